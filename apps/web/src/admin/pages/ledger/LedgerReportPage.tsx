import { WarningOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Image,
  Input,
  Modal,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiClientError } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { contentUrl, type FileMeta, thumbUrl } from '../../../shared/files.ts';
import { formatTime } from '../../../shared/format.ts';
import { tid } from '../../../shared/testid.ts';
import { EvidenceList } from '../../components/EvidenceList.tsx';
import { StateTag } from './LedgerReviewPage.tsx';
import {
  actOnReport,
  COLOR_HEX,
  cycleLabel,
  getReport,
  NOTE_REQUIRED,
  orderedActions,
  type ReportAction,
  type ReportDetail,
  type ReportFlag,
  type ReportItem,
  reasonText,
} from './model.ts';

function Thumb({ file, testId }: { file: FileMeta | null; testId: string }) {
  const { t } = useTranslation();
  if (!file) return <Typography.Text type="secondary">{t('ledger.flag.hidden')}</Typography.Text>;
  return (
    <Image
      src={file.hasThumb ? thumbUrl(file.id) : undefined}
      preview={{ src: contentUrl(file.id) }}
      width={200}
      height={150}
      style={{ objectFit: 'cover', borderRadius: 6 }}
      alt={file.name}
      data-testid={testId}
    />
  );
}

/** One near-duplicate: this report's picture beside the other report's, with what that report says. */
function FlagCard({ flag, index }: { flag: ReportFlag; index: number }) {
  const { t } = useTranslation();
  const o = flag.other;
  return (
    <Card
      size="small"
      type="inner"
      style={{ marginBottom: 12 }}
      data-testid={`ledger-flag-${index}`}
      title={
        <Space>
          <WarningOutlined style={{ color: '#fa8c16' }} />
          {flag.file && flag.file.id === flag.otherFile?.id
            ? t('ledger.flag.same')
            : t('ledger.flag.near', { distance: flag.distance })}
        </Space>
      }
    >
      <Row gutter={24}>
        <Col span={12}>
          <Typography.Text type="secondary">{t('ledger.flag.thisReport')}</Typography.Text>
          <div style={{ marginTop: 8 }}>
            <Thumb file={flag.file} testId={`ledger-flag-${index}-this`} />
          </div>
        </Col>
        <Col span={12}>
          <Typography.Text type="secondary">{t('ledger.flag.otherReport')}</Typography.Text>
          <div style={{ marginTop: 8 }}>
            <Thumb file={flag.otherFile} testId={`ledger-flag-${index}-other`} />
          </div>
          {o ? (
            <Descriptions
              size="small"
              column={1}
              style={{ marginTop: 8 }}
              data-testid={`ledger-flag-${index}-report`}
            >
              <Descriptions.Item label={t('ledger.field.unit')}>{o.unit.name}</Descriptions.Item>
              <Descriptions.Item label={t('ledger.field.tasks')}>
                {o.tasks.map((x) => x.title).join('；')}
              </Descriptions.Item>
              <Descriptions.Item label={t('ledger.field.state')}>
                <StateTag state={o.state} />
              </Descriptions.Item>
              <Descriptions.Item label={t('ledger.field.summary')}>
                <Link to={`/ledger/${o.id}`} data-testid={`ledger-flag-${index}-link`}>
                  <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ marginBottom: 0 }}>
                    {o.summary}
                  </Typography.Paragraph>
                </Link>
              </Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('ledger.flag.outOfScope')}
            </Typography.Paragraph>
          )}
        </Col>
      </Row>
    </Card>
  );
}

function Amounts({ item }: { item: ReportItem }) {
  return (
    <Space direction="vertical" size={0}>
      {item.task.targets.map((target, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a task's targets are a fixed list, matched to amounts by position
        <span key={i}>
          {target.label}：<strong>{item.amounts[i] ?? 0}</strong> / {target.quantity}
          {target.measure}
        </span>
      ))}
    </Space>
  );
}

/** One report for review: what was done, the instances it counts toward, evidence, near-duplicates, history. */
export function LedgerReportPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [report, setReport] = useState<ReportDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<ReportAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ note: string }>();

  const load = useCallback(async () => {
    try {
      setReport(await getReport(id));
    } catch (e) {
      setError(e instanceof ApiClientError && e.status === 404 ? t('ledger.notFound') : errorMessage(e, t));
    }
  }, [id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (a: ReportAction, note?: string) => {
    if (!report) return;
    setBusy(true);
    try {
      setReport(await actOnReport(report.id, { action: a, version: report.version, note }));
      message.success(t('ledger.done', { action: t(`ledger.action.${a}`) }));
      setAction(null);
    } catch (e) {
      if (e instanceof ApiClientError && e.fields.length) {
        form.setFields(e.fields.map((f) => ({ name: f.field as 'note', errors: [f.message] })));
      } else {
        message.error(errorMessage(e, t));
        if (e instanceof ApiClientError && e.status === 409) {
          setAction(null);
          void load();
        }
      }
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <Result
        status="404"
        title={error}
        extra={<Button onClick={() => navigate('/ledger')}>{t('ledger.back')}</Button>}
      />
    );
  if (!report)
    return (
      <div style={{ padding: 80, textAlign: 'center' }}>
        <Spin />
      </div>
    );

  const actions = orderedActions(report.allowedActions);
  const flags = report.flags ?? [];
  return (
    <PageContainer
      title={t('ledger.detailTitle', { unit: report.unit.name })}
      onBack={() => navigate('/ledger')}
      tags={<StateTag state={report.state} testId="ledger-detail-state" />}
      extra={actions.map((a) => (
        <Button
          key={a}
          type={NOTE_REQUIRED.has(a) ? 'default' : 'primary'}
          danger={NOTE_REQUIRED.has(a)}
          loading={busy && action === null}
          onClick={() => {
            if (NOTE_REQUIRED.has(a)) {
              form.resetFields();
              setAction(a);
            } else void act(a);
          }}
          data-testid={`ledger-action-${a}`}
        >
          {t(`ledger.action.${a}`)}
        </Button>
      ))}
    >
      {report.state === 'returned' && report.returnReason && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('ledger.returnedBecause', { reason: report.returnReason })}
          data-testid="ledger-return-reason"
        />
      )}
      {flags.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('ledger.flagWarning', { count: flags.length })}
          data-testid="ledger-flag-warning"
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 3 }} size="small" data-testid="ledger-detail">
          <Descriptions.Item label={t('ledger.field.campaign')}>{report.campaign.name}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.field.unit')}>{report.unit.name}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.field.author')}>{report.author?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.field.submittedAt')}>
            {report.submittedAt ? formatTime(report.submittedAt).slice(0, 16) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('ledger.field.approvedBy')}>
            {report.approvedBy ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('ledger.field.reviewedBy')}>
            {report.reviewedBy ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('ledger.field.summary')} span={3}>
            <Typography.Paragraph
              style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
              data-testid="ledger-summary"
            >
              {report.summary}
            </Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('ledger.countsToward')} style={{ marginBottom: 16 }}>
        <Table<ReportItem>
          rowKey="instanceId"
          size="small"
          pagination={false}
          dataSource={report.items}
          data-testid="ledger-items"
          columns={[
            {
              title: t('ledger.field.task'),
              render: (_, it) => (
                <div>
                  <div>{it.task.title}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {it.activity.numeral} {it.activity.name}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('ledger.field.cycle'),
              dataIndex: 'cycle',
              width: 90,
              render: (_, it) => cycleLabel(it.cycle, t),
            },
            { title: t('ledger.field.due'), dataIndex: 'dueOn', width: 110 },
            { title: t('ledger.field.amounts'), width: 200, render: (_, it) => <Amounts item={it} /> },
            {
              title: t('ledger.field.progress'),
              width: 140,
              render: (_, it) => (
                <Progress percent={it.progress} size="small" strokeColor={COLOR_HEX[it.color]} />
              ),
            },
            {
              title: t('ledger.field.color'),
              width: 280,
              render: (_, it) => (
                <Badge
                  color={COLOR_HEX[it.color]}
                  text={reasonText(it.color, it.colorReason, i18n.language)}
                  data-testid={`ledger-item-color-${it.instanceId}`}
                />
              ),
            },
          ]}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          {flags.length > 0 && (
            <Card
              size="small"
              title={t('ledger.flagsTitle')}
              style={{ marginBottom: 16 }}
              data-testid="ledger-flags"
            >
              {flags.map((f, i) => (
                <FlagCard key={`${f.file?.id}-${f.otherReportId}`} flag={f} index={i} />
              ))}
            </Card>
          )}
          <Card size="small" title={t('ledger.evidence')} style={{ marginBottom: 16 }}>
            <EvidenceList files={report.evidence} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('ledger.timeline')}>
            <Timeline
              data-testid="ledger-timeline"
              items={report.timeline.map((e) => ({
                color:
                  e.action === 'return' || e.action === 'unit_return'
                    ? 'red'
                    : e.action === 'accept'
                      ? 'green'
                      : 'blue',
                children: (
                  <div data-testid={`ledger-history-${e.seq}`}>
                    <Typography.Text strong>{t(`ledger.action.${e.action}`)}</Typography.Text>
                    {e.from !== e.to && (
                      <Typography.Text type="secondary"> → {t(`ledger.state.${e.to}`)}</Typography.Text>
                    )}
                    <div>
                      <Typography.Text type="secondary">
                        {[e.actorName, e.actorUnitName, formatTime(e.at).slice(0, 16)]
                          .filter(Boolean)
                          .join(' · ')}
                      </Typography.Text>
                    </div>
                    {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <Modal
        open={action !== null}
        title={action ? t(`ledger.action.${action}`) : ''}
        okText={action ? t(`ledger.action.${action}`) : ''}
        okButtonProps={{ danger: true, loading: busy, ...tid('ledger-action-confirm') }}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => {
            if (action) void act(action, v.note);
          }}
        >
          <Form.Item
            name="note"
            label={t('ledger.returnReason')}
            rules={[{ required: true, whitespace: true, message: t('ledger.reasonRequired') }]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="ledger-action-note" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
