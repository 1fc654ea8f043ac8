import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/errors.ts';
import { CaseActionModal } from './CaseActionModal.tsx';
import { CaseTable, caseColumns } from './CaseTable.tsx';
import { ReturnedTag } from './CaseTags.tsx';
import { type CaseAction, type CaseDetail, type CaseRow, loadCase, type SlaColor } from './model.ts';
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

  const shared = caseColumns(
    t,
    (r) =>
      r.returnedByUnitName && (
        <ReturnedTag unitName={r.returnedByUnitName} testId={`case-returned-${r.id}`} />
      ),
  );
  const columns: TableColumnsType<CaseRow> = [
    shared.sla,
    shared.no,
    shared.title,
    shared.category,
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
    shared.createdAt,
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
        <CaseTable columns={columns} rows={rows} feed={feed} emptyText={t('caseConsole.queue.empty')} />
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
