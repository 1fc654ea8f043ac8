import {
  Button,
  DotLoading,
  ErrorBlock,
  List,
  NavBar,
  ProgressBar,
  PullToRefresh,
  Tabs,
  Tag,
} from 'antd-mobile';
import { type CSSProperties, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { Page } from '../../../../../../packages/contracts/src/index.ts';
import {
  COLOR_HEX,
  COLOR_TEXT,
  type MyTask,
  myTasks,
  type ReportListItem,
  reasonText,
} from '../../../admin/pages/ledger/model.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { useSession } from '../../../shared/session.tsx';
import { PagedList, usePagedList } from '../../components/PagedList.tsx';

/** antd-mobile tag colours of the report states. */
export const H5_REPORT_COLOR: Record<string, string> = {
  draft: 'default',
  submitted: '#1677ff',
  unit_approved: '#13c2c2',
  accepted: 'success',
  returned: 'danger',
};

/** 我的任务: the unit's open task instances, worst colour first, each with its reason; tap to report. */
function Tasks() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [items, setItems] = useState<MyTask[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setItems((await myTasks()).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e, t));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <ErrorBlock status="default" title={error} description="" />;
  if (!items)
    return (
      <div style={{ padding: 40, textAlign: 'center', color: 'var(--adm-color-primary)' }}>
        <DotLoading color="currentColor" />
      </div>
    );
  return (
    <PullToRefresh onRefresh={load}>
      {items.length === 0 && <ErrorBlock status="empty" title={t('h5.ledger.noTasks')} description="" />}
      <div data-testid="h5-ledger-tasks">
        {items.map((it) => (
          <div
            key={it.id}
            className="h5-panel"
            style={{ borderLeft: `4px solid ${COLOR_HEX[it.color]}`, marginBottom: 8, padding: '12px 14px' }}
            data-testid={`h5-task-${it.id}`}
            data-color={it.color}
          >
            <div style={{ fontSize: 16, fontWeight: 600, lineHeight: 1.4 }}>{it.task.title}</div>
            <div className="h5-muted" style={{ marginTop: 2 }}>
              {it.campaign.name} · {it.activity.numeral} {it.activity.name}
              {it.cycle !== 'once' ? ` · ${it.cycle}` : ''}
            </div>
            <div
              style={{ marginTop: 6, fontSize: 14, color: COLOR_TEXT[it.color] }}
              data-testid={`h5-task-reason-${it.id}`}
            >
              {reasonText(it.color, it.colorReason, i18n.language)}
            </div>
            <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 8 }}>
              <ProgressBar
                percent={it.progress}
                style={{ flex: 1, '--fill-color': COLOR_HEX[it.color] } as CSSProperties}
              />
              <span className="h5-muted">{it.progress}%</span>
            </div>
            <div
              style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 8 }}
            >
              <span className="h5-muted">
                {t('h5.ledger.due', { due: it.dueOn })}
                {it.pendingReports > 0 && ` · ${t('h5.ledger.pending', { count: it.pendingReports })}`}
              </span>
              <Button
                size="small"
                color="primary"
                onClick={() => navigate(`/ledger/new?instance=${it.id}`)}
                data-testid={`h5-task-report-${it.id}`}
              >
                {t('h5.ledger.report')}
              </Button>
            </div>
          </div>
        ))}
      </div>
    </PullToRefresh>
  );
}

/** 我的报告: the unit's reports with their state; a returned one shows why. */
function Reports() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const list = usePagedList(
    useCallback(
      (page: number, pageSize: number) =>
        api<Page<ReportListItem>>('/ledger/reports', {
          query: { unitId: user?.unitId ?? undefined, page, pageSize },
        }),
      [user?.unitId],
    ),
  );
  return (
    <PagedList list={list} empty={t('h5.ledger.noReports')} noMore={t('h5.ledger.noMore')}>
      <List data-testid="h5-ledger-reports">
        {list.items.map((r) => (
          <List.Item
            key={r.id}
            onClick={() => navigate(`/ledger/reports/${r.id}`)}
            data-testid={`h5-report-${r.id}`}
            description={
              <div>
                <div>{r.tasks.map((x) => x.title).join('；')}</div>
                {r.state === 'returned' && r.returnReason && (
                  <div style={{ color: 'var(--adm-color-danger)' }} data-testid={`h5-report-reason-${r.id}`}>
                    {t('h5.ledger.returnedBecause', { reason: r.returnReason })}
                  </div>
                )}
                <div>{formatTime(r.updatedAt).slice(0, 16)}</div>
              </div>
            }
            extra={
              <Tag color={H5_REPORT_COLOR[r.state]} data-testid={`h5-report-state-${r.id}`}>
                {t(`ledger.state.${r.state}`)}
              </Tag>
            }
          >
            <div
              style={{
                fontSize: 15,
                lineHeight: 1.4,
                display: '-webkit-box',
                WebkitLineClamp: 2,
                WebkitBoxOrient: 'vertical',
                overflow: 'hidden',
              }}
            >
              {r.summary}
            </div>
          </List.Item>
        ))}
      </List>
    </PagedList>
  );
}

/** 工作台账 on the phone: two of the three screens (tasks, reports); the third is the report form. */
export function H5LedgerPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'reports' ? 'reports' : 'tasks';
  return (
    <div className="h5-page">
      <NavBar onBack={() => navigate('/')}>{t('h5.ledger.title')}</NavBar>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        style={{ background: '#fff', marginBottom: 8 }}
      >
        <Tabs.Tab title={<span data-testid="h5-ledger-tab-tasks">{t('h5.ledger.tasks')}</span>} key="tasks" />
        <Tabs.Tab
          title={<span data-testid="h5-ledger-tab-reports">{t('h5.ledger.reports')}</span>}
          key="reports"
        />
      </Tabs>
      {tab === 'tasks' ? <Tasks /> : <Reports />}
    </div>
  );
}
