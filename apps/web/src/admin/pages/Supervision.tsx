import { PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../shared/errors.ts';
import { formatDue, formatTime } from '../../shared/format.ts';
import { tid } from '../../shared/testid.ts';
import { pagedRequest } from '../components/pagedRequest.ts';
import { RECORD_ROUTES } from './Inbox.tsx';

const KINDS = ['reminder', 'overdue', 'escalation', 'supervision', 'circular'] as const;
type Kind = (typeof KINDS)[number];
type TabKey = 'supervision' | 'circular' | 'all';

interface SlaEvent {
  id: string;
  kind: Kind;
  at: string;
  dueAt: string;
  workingDaysLate: number;
  /** 督办单号 of a supervision notice. */
  no: string | null;
  deadline: string;
  record: { type: string; id: string; label: string | null };
  unit: { id: string; name: string } | null;
}

const KIND_COLOR: Record<Kind, string> = {
  reminder: 'gold',
  overdue: 'red',
  escalation: 'volcano',
  supervision: 'magenta',
  circular: 'purple',
};

/**
 * 督办通报: the escalation ledger of every deadline. Supervision notices (督办单) and the circular list
 * (通报) each on a tab, and every stage (reminders, overdue notices, escalations) on the last.
 */
export function SupervisionPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: TabKey = requested === 'circular' || requested === 'all' ? requested : 'supervision';

  const columns: ProColumns<SlaEvent>[] = [
    {
      title: t('supervision.kind'),
      dataIndex: 'kind',
      width: 110,
      hideInTable: tab !== 'all',
      hideInSearch: tab !== 'all',
      valueType: 'select',
      valueEnum: Object.fromEntries(KINDS.map((k) => [k, { text: t(`supervision.kinds.${k}`) }])),
      fieldProps: tid('supervision-filter-kind'),
      render: (_, e) => <Tag color={KIND_COLOR[e.kind]}>{t(`supervision.kinds.${e.kind}`)}</Tag>,
    },
    {
      title: t('supervision.no'),
      dataIndex: 'no',
      width: 130,
      search: false,
      hideInTable: tab !== 'supervision',
      render: (_, e) => e.no ?? '—',
    },
    {
      title: t('supervision.record'),
      dataIndex: ['record', 'label'],
      search: false,
      ellipsis: true,
      render: (_, e) => {
        const route = RECORD_ROUTES[e.record.type];
        const label = e.record.label ?? e.record.id;
        return route ? (
          <Link to={route(e.record.id)} data-testid={`supervision-record-${e.id}`}>
            {label}
          </Link>
        ) : (
          label
        );
      },
    },
    {
      title: t('supervision.deadline'),
      dataIndex: 'deadline',
      width: 100,
      search: false,
      render: (_, e) => t(`matters.deadline.${e.deadline}`, { defaultValue: e.deadline }),
    },
    {
      title: t('supervision.unit'),
      dataIndex: ['unit', 'name'],
      width: 150,
      search: false,
      ellipsis: true,
      render: (_, e) => e.unit?.name ?? '—',
    },
    {
      title: t('supervision.due'),
      dataIndex: 'dueAt',
      width: 140,
      search: false,
      render: (_, e) => formatDue(e.dueAt),
    },
    {
      title: t('supervision.late'),
      dataIndex: 'workingDaysLate',
      width: 100,
      search: false,
      render: (_, e) =>
        e.workingDaysLate > 0 ? <Typography.Text type="danger">{e.workingDaysLate}</Typography.Text> : '—',
    },
    {
      title: t('supervision.at'),
      dataIndex: 'at',
      width: 140,
      search: false,
      render: (_, e) => formatTime(e.at).slice(0, 16),
    },
  ];

  return (
    <PageContainer
      title={t('supervision.title')}
      content={t('supervision.subtitle')}
      tabList={[
        { key: 'supervision', tab: t('supervision.tabs.supervision') },
        { key: 'circular', tab: t('supervision.tabs.circular') },
        { key: 'all', tab: t('supervision.tabs.all') },
      ]}
      tabActiveKey={tab}
      onTabChange={(k) => setParams({ tab: k }, { replace: true })}
    >
      <div data-testid={`supervision-${tab}`}>
        <ProTable<SlaEvent, { kind?: Kind; current?: number; pageSize?: number }>
          key={tab}
          rowKey="id"
          columns={columns}
          scroll={{ x: 1000 }}
          search={tab === 'all' ? { labelWidth: 'auto', defaultCollapsed: false } : false}
          pagination={{ defaultPageSize: 20, showSizeChanger: true }}
          options={{ density: false, setting: false, reload: true }}
          headerTitle={t(`supervision.hint.${tab}`)}
          request={(p) =>
            pagedRequest<SlaEvent>('/sla/events', p, { kind: tab === 'all' ? p.kind : tab }, (e) =>
              message.error(errorMessage(e, t)),
            )
          }
        />
      </div>
    </PageContainer>
  );
}
