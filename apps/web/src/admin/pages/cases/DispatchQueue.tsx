import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { CaseActionModal } from './CaseActionModal.tsx';
import { ReturnedTag, SlaDot } from './CaseTags.tsx';
import {
  type CaseAction,
  type CaseDetail,
  type CaseRow,
  caseCategoryName,
  loadCase,
  type SlaColor,
} from './model.ts';
import { useCaseFeed } from './useCaseFeed.ts';

const URGENCY: Record<SlaColor, number> = { red: 0, yellow: 1, green: 2 };

/** Most urgent first (red, yellow, green), newest first within a colour. */
export function byUrgency(a: CaseRow, b: CaseRow): number {
  return URGENCY[a.slaColor] - URGENCY[b.slaColor] || b.createdAt.localeCompare(a.createdAt);
}

/** 派单队列: cases no routing rule placed and cases units returned; the office dispatches them. */
export function DispatchQueuePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const feed = useCaseFeed({ state: 'pending' });
  const rows = useMemo(() => [...feed.rows].sort(byUrgency), [feed.rows]);
  const [opening, setOpening] = useState<string | null>(null);
  const [target, setTarget] = useState<{ record: CaseDetail; action: CaseAction } | null>(null);

  const dispatch = async (row: CaseRow) => {
    setOpening(row.id);
    try {
      const record = await loadCase(row.id);
      const action = (['dispatch', 'reassign'] as const).find((a) => record.allowedActions.includes(a));
      if (action) setTarget({ record, action });
      else message.warning(t('caseConsole.queue.gone'));
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setOpening(null);
    }
  };

  const columns: TableColumnsType<CaseRow> = [
    {
      title: t('caseConsole.field.sla'),
      dataIndex: 'slaColor',
      width: 90,
      render: (_, r) => (
        <SlaDot color={r.slaColor} state={r.state} dueAt={r.dueAt} testId={`case-sla-${r.id}`} />
      ),
    },
    { title: t('caseConsole.field.no'), dataIndex: 'no', width: 140 },
    {
      title: t('caseConsole.field.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (_, r) => (
        <>
          <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            <Link to={`/cases/${r.id}`} data-testid={`case-link-${r.id}`}>
              {r.title}
            </Link>
          </div>
          {r.returnedByUnitName && (
            <ReturnedTag unitName={r.returnedByUnitName} testId={`case-returned-${r.id}`} />
          )}
        </>
      ),
    },
    {
      title: t('caseConsole.field.category'),
      dataIndex: 'categoryName',
      width: 100,
      ellipsis: true,
      render: (_, r) => caseCategoryName(r),
    },
    {
      title: t('caseConsole.field.area'),
      dataIndex: 'areaName',
      width: 140,
      ellipsis: true,
      render: (_, r) => r.areaName ?? '—',
    },
    {
      title: t('caseConsole.field.channel'),
      dataIndex: 'channel',
      width: 100,
      render: (_, r) => <Tag bordered={false}>{t(`caseConsole.channel.${r.channel}`)}</Tag>,
    },
    {
      title: t('caseConsole.field.createdAt'),
      dataIndex: 'createdAt',
      width: 130,
      render: (_, r) => formatTime(r.createdAt).slice(0, 16),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 116,
      fixed: 'right',
      render: (_, r) => (
        <Button
          type="primary"
          size="small"
          icon={<SendOutlined />}
          loading={opening === r.id}
          onClick={() => void dispatch(r)}
          data-testid={`case-dispatch-${r.id}`}
        >
          {t('caseActions.dispatch')}
        </Button>
      ),
    },
  ];

  return (
    <PageContainer
      breadcrumbRender={false}
      title={t('caseConsole.queue.title')}
      content={t('caseConsole.queue.subtitle')}
      extra={[
        <Button key="reload" icon={<ReloadOutlined />} onClick={feed.reload} data-testid="case-queue-reload">
          {t('common.refresh')}
        </Button>,
      ]}
    >
      <Card
        data-testid="case-queue"
        title={
          <Typography.Text data-testid="case-queue-count">
            {t(feed.hasMore ? 'caseConsole.queue.countMore' : 'caseConsole.queue.count', {
              count: rows.length,
            })}
          </Typography.Text>
        }
      >
        <Table<CaseRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={feed.loading}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: t('caseConsole.queue.empty') }}
          onRow={(r) => ({ 'data-testid': `case-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
        />
        {feed.hasMore && (
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Button onClick={feed.loadMore} loading={feed.loading} data-testid="case-load-more">
              {t('caseConsole.loadMore')}
            </Button>
          </div>
        )}
      </Card>
      {target && (
        <CaseActionModal
          record={target.record}
          action={target.action}
          onClose={() => setTarget(null)}
          onDone={() => {
            setTarget(null);
            feed.reload();
          }}
        />
      )}
    </PageContainer>
  );
}
