import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { periodLabel } from './ColorCounts.tsx';
import {
  type HalfYearReport,
  SECTION_MAX,
  SECTIONS,
  type SectionName,
  STATE_COLOR,
  type TimelineEntry,
} from './model.ts';
import { StatsPanel } from './StatsPanel.tsx';

type Sections = Record<SectionName, string>;

/**
 * One unit's half-year report: the four sections (editable while a draft or returned) beside the ledger
 * statistics; submit, and for the office accept or return with a reason; the timeline below.
 */
export function HalfYearReportPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Sections>();
  const [r, setR] = useState<HalfYearReport | null>(null);
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');

  const show = useCallback(
    (next: HalfYearReport) => {
      setR(next);
      form.setFieldsValue({
        progressText: next.progressText,
        practices: next.practices,
        problems: next.problems,
        plans: next.plans,
      });
      api<TimelineEntry[]>(`/half-year-reports/${next.id}/timeline`).then(setEntries, () => setEntries([]));
    },
    [form],
  );

  useEffect(() => {
    api<HalfYearReport>(`/half-year-reports/${id}`)
      .then(show)
      .catch((e) => {
        setFailed(true);
        message.error(errorMessage(e, t));
      });
  }, [id, message, t, show]);

  if (failed) return <Result status="404" title="404" subTitle={t('common.notFound')} />;
  if (!r) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;

  const save = async (): Promise<HalfYearReport | null> => {
    const values = form.getFieldsValue();
    try {
      const next = await api<HalfYearReport>(`/half-year-reports/${r.id}`, {
        method: 'PUT',
        body: { version: r.version, ...values },
      });
      show(next);
      return next;
    } catch (e) {
      if (!applyFieldErrors(form, e, SECTIONS)) message.error(errorMessage(e, t));
      return null;
    }
  };

  const act = async (action: string, note?: string) => {
    setBusy(true);
    try {
      let current = r;
      if (action === 'submit' && r.editable) {
        await form.validateFields();
        const saved = await save();
        if (!saved) return;
        current = saved;
      }
      const next = await api<HalfYearReport>(`/half-year-reports/${r.id}/transitions`, {
        method: 'POST',
        body: { action, version: current.version, note: note ?? null },
      });
      show(next);
      setReturning(false);
      message.success(t(`halfYear.done.${action}`));
    } catch (e) {
      // The form's own check has already marked the empty sections.
      if (typeof e === 'object' && e !== null && 'errorFields' in e) return;
      if (!applyFieldErrors(form, e, SECTIONS)) message.error(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const onSave = async () => {
    setBusy(true);
    if (await save()) message.success(t('common.saved'));
    setBusy(false);
  };

  const can = (a: string) => r.allowedActions.includes(a);

  return (
    <PageContainer
      title={t('halfYear.reportTitle', { unit: r.unit.name, period: periodLabel(t, r.period) })}
      subTitle={<Link to={`/half-year?campaign=${r.campaign.id}&period=${r.period}`}>{r.campaign.name}</Link>}
      data-testid="halfyear-report"
      extra={
        <Space wrap>
          {r.editable && (
            <Button onClick={onSave} loading={busy} data-testid="halfyear-save">
              {t('common.save')}
            </Button>
          )}
          {can('submit') && (
            <Button type="primary" onClick={() => act('submit')} loading={busy} data-testid="halfyear-submit">
              {t('halfYear.action.submit')}
            </Button>
          )}
          {can('return') && (
            <Button
              danger
              onClick={() => {
                // a reason typed before Cancel is not kept for the next opening
                setReason('');
                setReturning(true);
              }}
              data-testid="halfyear-return"
            >
              {t('halfYear.action.return')}
            </Button>
          )}
          {can('accept') && (
            <Button type="primary" onClick={() => act('accept')} loading={busy} data-testid="halfyear-accept">
              {t('halfYear.action.accept')}
            </Button>
          )}
        </Space>
      }
    >
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 4, xl: 4, xxl: 4 }}>
          <Descriptions.Item label={t('halfYear.field.state')}>
            <Tag color={STATE_COLOR[r.state]} data-testid="halfyear-state" data-state={r.state}>
              {t(`halfYear.state.${r.state}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('halfYear.field.unit')}>{r.unit.name}</Descriptions.Item>
          <Descriptions.Item label={t('halfYear.field.submittedAt')}>
            {r.submittedAt ? formatTime(r.submittedAt).slice(0, 16) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('halfYear.field.reviewedAt')}>
            {r.reviewedAt ? formatTime(r.reviewedAt).slice(0, 16) : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {r.state === 'returned' && r.returnReason && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('halfYear.returnedBecause', { reason: r.returnReason })}
          data-testid="halfyear-return-reason"
        />
      )}
      <Row gutter={12}>
        <Col xs={24} lg={15}>
          <Card size="small">
            <Form form={form} layout="vertical" disabled={!r.editable}>
              {SECTIONS.map((s) => (
                <Form.Item
                  key={s}
                  name={s}
                  label={t(`halfYear.section.${s}`)}
                  rules={[{ required: true, whitespace: true, message: t('halfYear.sectionRequired') }]}
                >
                  <Input.TextArea
                    autoSize={{ minRows: s === 'progressText' ? 6 : 3, maxRows: 16 }}
                    maxLength={SECTION_MAX}
                    showCount
                    data-testid={`halfyear-${s}`}
                  />
                </Form.Item>
              ))}
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <StatsPanel stats={r.stats} />
          <Card size="small" title={t('halfYear.timeline')} style={{ marginTop: 12 }}>
            <Timeline
              data-testid="halfyear-timeline"
              items={entries.map((e) => ({
                key: e.seq,
                color: e.action === 'return' ? 'red' : e.action === 'accept' ? 'green' : 'blue',
                children: (
                  <div>
                    <Typography.Text strong>{t(`halfYear.history.${e.action}`)}</Typography.Text>{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(e.at).slice(0, 16)} · {e.actorName}
                    </Typography.Text>
                    {e.note && (
                      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
                        {e.note}
                      </Typography.Paragraph>
                    )}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <Modal
        open={returning}
        title={t('halfYear.action.return')}
        okText={t('halfYear.action.return')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy }}
        onOk={() => act('return', reason)}
        onCancel={() => setReturning(false)}
      >
        <Typography.Paragraph type="secondary">{t('halfYear.returnHint')}</Typography.Paragraph>
        <Input.TextArea
          rows={4}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('halfYear.returnReason')}
          data-testid="halfyear-return-note"
        />
      </Modal>
    </PageContainer>
  );
}
