import { BellOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  Modal,
  Result,
  Row,
  Segmented,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiClientError, api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { tid } from '../../../shared/testid.ts';
import { EvidenceList } from '../../components/EvidenceList.tsx';
import {
  type MyReceipt,
  type NoticeDetail,
  type ReceiptCounts,
  type ReceiptFilter,
  type ReceiptRow,
  STATE_COLOR,
  unitState,
} from './types.ts';

/** The sender's view of who has read and acknowledged, with a filter and the reminder (催签收). */
function Receipts({ notice, onChanged }: { notice: NoticeDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<ReceiptFilter>('all');
  const [rows, setRows] = useState<ReceiptRow[]>([]);
  const [counts, setCounts] = useState<ReceiptCounts | null>(notice.counts);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api<{ items: ReceiptRow[]; counts: ReceiptCounts }>(`/notices/${notice.id}/receipts`, {
        query: { status: filter },
      });
      setRows(r.items);
      setCounts(r.counts);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [notice.id, filter, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const pending = counts ? counts.total - counts.acked : 0;
  const remind = () =>
    modal.confirm({
      title: t('notices.remindConfirm', { count: pending }),
      content: t('notices.remindHint'),
      okText: t('notices.remind'),
      cancelText: t('common.cancel'),
      okButtonProps: tid('notice-remind-ok'),
      onOk: async () => {
        try {
          const r = await api<{ reminded: number }>(`/notices/${notice.id}/remind`, { method: 'POST' });
          message.success(t('notices.reminded', { count: r.reminded }));
          onChanged();
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });

  const filters: ReceiptFilter[] = notice.requireAck
    ? ['all', 'unread', 'unacked', 'overdue']
    : ['all', 'unread'];

  return (
    <Card
      title={t('notices.receipts')}
      data-testid="notice-receipts"
      extra={
        notice.requireAck && pending > 0 ? (
          <Button icon={<BellOutlined />} onClick={remind} data-testid="notice-remind">
            {t('notices.remindButton', { count: pending })}
          </Button>
        ) : null
      }
    >
      {counts && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col xs={12} md={6}>
            <Statistic title={t('notices.counts.total')} value={counts.total} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('notices.counts.read')} value={counts.read} suffix={`/ ${counts.total}`} />
          </Col>
          {notice.requireAck && (
            <>
              <Col xs={12} md={6}>
                <div data-testid="notice-acked-count">
                  <Statistic
                    title={t('notices.counts.acked')}
                    value={counts.acked}
                    suffix={`/ ${counts.total}`}
                  />
                </div>
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('notices.counts.overdue')}
                  value={counts.overdue}
                  valueStyle={counts.overdue ? { color: '#cf1322' } : undefined}
                />
              </Col>
            </>
          )}
        </Row>
      )}
      <Segmented<ReceiptFilter>
        value={filter}
        onChange={setFilter}
        options={filters.map((f) => ({ value: f, label: t(`notices.filter.${f}`) }))}
        style={{ marginBottom: 12 }}
        data-testid="notice-receipt-filter"
      />
      <Table<ReceiptRow>
        rowKey="unitId"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 900 }}
        columns={[
          { title: t('notices.unit'), dataIndex: 'unitName', ellipsis: true },
          {
            title: t('notices.unitState'),
            key: 'state',
            width: 120,
            render: (_, r) => {
              const s = unitState(notice, r);
              return (
                <Space size={4} wrap>
                  <Tag color={STATE_COLOR[s]} data-testid={`receipt-state-${r.unitId}`}>
                    {t(`notices.state.${s}`)}
                  </Tag>
                  {r.late && <Tag color="volcano">{t('notices.late')}</Tag>}
                </Space>
              );
            },
          },
          {
            title: t('notices.readAt'),
            key: 'read',
            width: 200,
            render: (_, r) => (r.readAt ? `${formatTime(r.readAt)} ${r.readBy ?? ''}` : '—'),
          },
          ...(notice.requireAck
            ? [
                {
                  title: t('notices.ackedAt'),
                  key: 'acked',
                  width: 200,
                  render: (_: unknown, r: ReceiptRow) =>
                    r.ackedAt ? `${formatTime(r.ackedAt)} ${r.ackedBy ?? ''}` : '—',
                },
                {
                  title: t('notices.ackNote'),
                  dataIndex: 'ackNote',
                  ellipsis: true,
                  render: (v: string | null) => v ?? '—',
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

/** The recipient unit's state and the acknowledge button (签收) with an optional note. */
function MyUnit({ notice, onAcked }: { notice: NoticeDetail; onAcked: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const r = notice.receipt as MyReceipt;
  const s = unitState(notice, r);

  const ack = async () => {
    setSaving(true);
    try {
      await api<MyReceipt>(`/notices/${notice.id}/ack`, {
        method: 'POST',
        body: { note: note.trim() || null },
      });
      message.success(t('notices.acked'));
      setOpen(false);
      onAcked();
    } catch (e) {
      message.error(errorMessage(e, t));
      if (e instanceof ApiClientError && e.status === 409) {
        setOpen(false);
        onAcked();
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('notices.myUnit', { unit: r.unitName })} data-testid="notice-my-unit">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Space size={8} wrap>
          <Tag color={STATE_COLOR[s]} data-testid="notice-my-state">
            {t(`notices.state.${s}`)}
          </Tag>
          {r.ackedAt && (
            <Typography.Text type="secondary">
              {t('notices.ackedBy', { name: r.ackedBy ?? '', time: formatTime(r.ackedAt) })}
            </Typography.Text>
          )}
        </Space>
        {r.ackNote && <Typography.Paragraph style={{ margin: 0 }}>{r.ackNote}</Typography.Paragraph>}
        {r.canAck && (
          <Button
            type="primary"
            icon={<CheckCircleOutlined />}
            onClick={() => {
              // a note typed before Cancel is not kept for the next opening
              setNote('');
              setOpen(true);
            }}
            data-testid="notice-ack"
          >
            {t('notices.ackButton')}
          </Button>
        )}
        {notice.requireAck && !r.ackedAt && !r.canAck && (
          <Typography.Text type="secondary">{t('notices.ackByLiaison')}</Typography.Text>
        )}
      </Space>
      <Modal
        open={open}
        title={t('notices.ackTitle')}
        okText={t('notices.ackButton')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void ack()}
        onCancel={() => setOpen(false)}
        okButtonProps={tid('notice-ack-ok')}
        destroyOnHidden
      >
        <Input.TextArea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          showCount
          autoSize={{ minRows: 3, maxRows: 6 }}
          placeholder={t('notices.ackNotePlaceholder')}
          data-testid="notice-ack-note"
          style={{ marginBottom: 16 }}
        />
      </Modal>
    </Card>
  );
}

export function NoticeDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<NoticeDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads after an acknowledgement or reminder
  useEffect(() => {
    let alive = true;
    api<NoticeDetail>(`/notices/${id}`)
      .then((n) => alive && setNotice(n))
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [id, version]);

  const reload = () => setVersion((v) => v + 1);

  if (error) {
    const missing = error instanceof ApiClientError && (error.status === 404 || error.status === 400);
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '404' : undefined}
        subTitle={errorMessage(error, t)}
        extra={<Button onClick={() => navigate('/notices')}>{t('notices.backToList')}</Button>}
      />
    );
  }
  if (!notice) {
    return (
      <div style={{ minHeight: '40vh', display: 'grid', placeItems: 'center' }}>
        <Spin />
      </div>
    );
  }

  return (
    <PageContainer title={notice.title} onBack={() => navigate('/notices')}>
      <Row gutter={[16, 16]} data-testid="notice-detail">
        <Col xs={24} xl={notice.receipt ? 16 : 24}>
          <Card>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('notices.senderUnit')}>
                {notice.senderUnitName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('notices.sender')}>{notice.senderName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('notices.sentAt')}>
                {formatTime(notice.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('notices.ack')}>
                {notice.requireAck ? (
                  <Space size={4} wrap>
                    <Tag color="gold">{t('notices.requireAck')}</Tag>
                    {notice.ackDueAt && t('notices.dueAt', { time: formatTime(notice.ackDueAt) })}
                  </Space>
                ) : (
                  <Tag>{t('notices.noAck')}</Tag>
                )}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph
              style={{ whiteSpace: 'pre-wrap', fontSize: 15, lineHeight: 1.8 }}
              data-testid="notice-body"
            >
              {notice.body}
            </Typography.Paragraph>
            <Typography.Title level={5}>{t('notices.attachments')}</Typography.Title>
            {notice.attachments.length ? (
              <EvidenceList files={notice.attachments} />
            ) : (
              <Typography.Text type="secondary">{t('notices.noAttachments')}</Typography.Text>
            )}
          </Card>
        </Col>
        {notice.receipt && (
          <Col xs={24} xl={8}>
            <MyUnit notice={notice} onAcked={reload} />
          </Col>
        )}
        {notice.counts && (
          <Col span={24}>
            <Receipts key={version} notice={notice} onChanged={reload} />
          </Col>
        )}
      </Row>
    </PageContainer>
  );
}
