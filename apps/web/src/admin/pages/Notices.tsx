import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Progress, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { useSession } from '../../shared/session.tsx';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';
import { NoticeDrawer } from './notices/NoticeDrawer.tsx';
import { type NoticeSummary, type OverdueRow, STATE_COLOR, unitState } from './notices/types.ts';

const BOXES = ['sent', 'received', 'overdue'] as const;
type Box = (typeof BOXES)[number];

/** Acknowledged (or, without acknowledgement, read) units of all recipients, as "已签收 12/42" and a bar. */
function ProgressCell({ n }: { n: NoticeSummary }) {
  const { t } = useTranslation();
  const c = n.counts;
  if (!c) return null;
  const done = n.requireAck ? c.acked : c.read;
  const label = n.requireAck
    ? t('notices.ackedOf', { done, total: c.total })
    : t('notices.readOf', { done, total: c.total });
  return (
    <Space direction="vertical" size={0} style={{ width: '100%' }} data-testid={`notice-progress-${n.id}`}>
      <Space size={6} wrap>
        <span>{label}</span>
        {c.overdue > 0 && <Tag color="red">{t('notices.overdueUnits', { count: c.overdue })}</Tag>}
      </Space>
      <Progress
        percent={c.total ? Math.round((done / c.total) * 100) : 0}
        size="small"
        showInfo={false}
        status={c.overdue > 0 ? 'exception' : done === c.total ? 'success' : 'active'}
      />
    </Space>
  );
}

export function NoticesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const canSend = can('notice:send');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requested = BOXES.find((b) => b === params.get('box'));
  const box: Box = canSend ? (requested ?? 'sent') : 'received';
  const [drawer, setDrawer] = useState(false);
  const actionRef = useRef<ActionType>(null);

  const titleCell = (n: NoticeSummary) => (
    <Link to={`/notices/${n.id}`} data-testid={`notice-link-${n.id}`}>
      {n.title}
    </Link>
  );
  const ackCell = (n: NoticeSummary) =>
    n.requireAck ? (
      <Space direction="vertical" size={0}>
        <Tag color="gold">{t('notices.requireAck')}</Tag>
        {n.ackDueAt && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('notices.dueAt', { time: formatTime(n.ackDueAt) })}
          </Typography.Text>
        )}
      </Space>
    ) : (
      <Tag>{t('notices.noAck')}</Tag>
    );

  const keywordColumn: ProColumns<NoticeSummary> = {
    title: t('notices.keyword'),
    dataIndex: 'keyword',
    hideInTable: true,
    fieldProps: { placeholder: t('notices.keywordPlaceholder'), ...tid('notice-search') },
  };

  const sentColumns: ProColumns<NoticeSummary>[] = [
    keywordColumn,
    {
      title: t('notices.title'),
      dataIndex: 'title',
      search: false,
      render: (_, n) => titleCell(n),
    },
    {
      title: t('notices.sender'),
      dataIndex: 'senderName',
      search: false,
      width: 190,
      render: (_, n) => (
        <Space direction="vertical" size={0}>
          <span>{n.senderName ?? '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.senderUnitName}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('notices.sentAt'),
      dataIndex: 'createdAt',
      search: false,
      width: 165,
      render: (_, n) => formatTime(n.createdAt),
    },
    {
      title: t('notices.ack'),
      dataIndex: 'requireAck',
      search: false,
      width: 180,
      render: (_, n) => ackCell(n),
    },
    {
      title: t('notices.progress'),
      dataIndex: 'counts',
      search: false,
      width: 200,
      render: (_, n) => <ProgressCell n={n} />,
    },
  ];

  const receivedColumns: ProColumns<NoticeSummary>[] = [
    keywordColumn,
    {
      title: t('notices.title'),
      dataIndex: 'title',
      search: false,
      render: (_, n) => titleCell(n),
    },
    {
      title: t('notices.senderUnit'),
      dataIndex: 'senderUnitName',
      search: false,
      width: 220,
      ellipsis: true,
      render: (_, n) => n.senderUnitName ?? '—',
    },
    {
      title: t('notices.sentAt'),
      dataIndex: 'createdAt',
      search: false,
      width: 165,
      render: (_, n) => formatTime(n.createdAt),
    },
    {
      title: t('notices.ack'),
      dataIndex: 'requireAck',
      search: false,
      width: 180,
      render: (_, n) => ackCell(n),
    },
    {
      title: t('notices.myState'),
      dataIndex: 'ackedAt',
      search: false,
      width: 130,
      render: (_, n) => {
        const s = unitState(n, n);
        return (
          <Tag color={STATE_COLOR[s]} data-testid={`notice-state-${n.id}`}>
            {t(`notices.state.${s}`)}
          </Tag>
        );
      },
    },
  ];

  const overdueColumns: ProColumns<OverdueRow>[] = [
    {
      title: t('notices.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (_, r) => <Link to={`/notices/${r.noticeId}`}>{r.title}</Link>,
    },
    { title: t('notices.unit'), dataIndex: 'unitName', width: 240, ellipsis: true },
    {
      title: t('notices.ackDue'),
      dataIndex: 'ackDueAt',
      width: 170,
      render: (_, r) => formatTime(r.ackDueAt),
    },
    {
      title: t('notices.readAt'),
      dataIndex: 'readAt',
      width: 170,
      render: (_, r) => (r.readAt ? formatTime(r.readAt) : <Tag>{t('notices.state.unread')}</Tag>),
    },
  ];

  const onError = (e: unknown) => message.error(errorMessage(e, t));
  const tabs = canSend
    ? [
        { key: 'sent', tab: t('notices.tabs.sent') },
        { key: 'received', tab: t('notices.tabs.received') },
        { key: 'overdue', tab: t('notices.tabs.overdue') },
      ]
    : [];

  return (
    <PageContainer
      title={t('notices.pageTitle')}
      tabList={tabs.length ? tabs : undefined}
      tabActiveKey={box}
      onTabChange={(k) => setParams({ box: k }, { replace: true })}
      extra={
        canSend
          ? [
              <Button
                key="new"
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setDrawer(true)}
                data-testid="notice-new"
              >
                {t('notices.new')}
              </Button>,
            ]
          : []
      }
    >
      {box === 'overdue' ? (
        <ProTable<OverdueRow>
          key="overdue"
          rowKey={(r) => `${r.noticeId}:${r.unitId}`}
          columns={overdueColumns}
          search={false}
          scroll={{ x: 900 }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true }}
          options={{ density: false, setting: false, reload: true }}
          request={(p) => pagedRequest<OverdueRow>('/notices/overdue-acks', p, {}, onError)}
          headerTitle={t('notices.overdueHint')}
        />
      ) : (
        <div data-testid={`notices-${box}`}>
          <ProTable<NoticeSummary, { keyword?: string; current?: number; pageSize?: number }>
            key={box}
            rowKey="id"
            actionRef={actionRef}
            columns={box === 'sent' ? sentColumns : receivedColumns}
            scroll={{ x: 960 }}
            search={{
              labelWidth: 'auto',
              defaultCollapsed: false,
              span: { xs: 24, sm: 12, md: 8, lg: 8, xl: 8, xxl: 6 },
            }}
            pagination={{ defaultPageSize: 20, showSizeChanger: true }}
            options={{ density: false, setting: false, reload: true }}
            request={(p) =>
              pagedRequest<NoticeSummary>('/notices', p, { box, keyword: p.keyword?.trim() }, onError)
            }
          />
        </div>
      )}
      <NoticeDrawer
        open={drawer}
        onClose={() => setDrawer(false)}
        onSent={(id) => {
          setDrawer(false);
          navigate(`/notices/${id}`);
        }}
      />
    </PageContainer>
  );
}
