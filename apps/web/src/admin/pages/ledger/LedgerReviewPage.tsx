import { PageContainer } from '@ant-design/pro-components';
import { App, Badge, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { tid } from '../../../shared/testid.ts';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import { CampaignExports } from '../campaigns/CampaignExports.tsx';
import { REPORT_STATES, type ReportListItem, STATE_COLOR } from './model.ts';

const PAGE_SIZE = 20;

export function StateTag({ state, testId }: { state: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} data-testid={testId}>
      {t(`ledger.state.${state}`)}
    </Tag>
  );
}

/** 台账审核: the reports of the units in the caller's scope, filtered by campaign, state and unit. */
export function LedgerReviewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const campaignId = params.get('campaignId') ?? undefined;
  const state = params.get('state') ?? undefined;
  const unitId = params.get('unitId') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const [campaigns, setCampaigns] = useState<{ id: string; name: string; year: number }[]>([]);
  const [rows, setRows] = useState<ReportListItem[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const units = useUnitTree(true);

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };

  useEffect(() => {
    api<{ items: { id: string; name: string; year: number }[] }>('/campaigns', { query: { pageSize: 200 } })
      .then((r) => setCampaigns(r.items))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [message, t]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api<{ items: ReportListItem[]; total: number }>('/ledger/reports', {
        query: { campaignId, state, unitId, page, pageSize: PAGE_SIZE },
      });
      setRows(r.items);
      setTotal(r.total);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [campaignId, state, unitId, page, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <PageContainer
      title={t('ledger.title')}
      content={t('ledger.subtitle')}
      extra={campaignId ? <CampaignExports campaignId={campaignId} unitId={unitId} /> : undefined}
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size={16}>
          <Space>
            <span>{t('ledger.field.campaign')}</span>
            <Select
              allowClear
              style={{ width: 260 }}
              placeholder={t('ledger.allCampaigns')}
              value={campaignId}
              onChange={(v) => set('campaignId', v)}
              options={campaigns.map((c) => ({ value: c.id, label: `${c.name}（${c.year}）` }))}
              {...tid('ledger-filter-campaign')}
            />
          </Space>
          <Space>
            <span>{t('ledger.field.state')}</span>
            <Select
              allowClear
              style={{ width: 160 }}
              placeholder={t('ledger.allStates')}
              value={state}
              onChange={(v) => set('state', v)}
              options={REPORT_STATES.map((s) => ({ value: s, label: t(`ledger.state.${s}`) }))}
              {...tid('ledger-filter-state')}
            />
          </Space>
          <Space>
            <span>{t('ledger.field.unit')}</span>
            <UnitTreeSelect
              allowClear
              style={{ width: 240 }}
              placeholder={t('ledger.allUnits')}
              treeData={units}
              value={unitId}
              onChange={(v) => set('unitId', typeof v === 'string' ? v : undefined)}
              data-testid="ledger-filter-unit"
            />
          </Space>
        </Space>
      </Card>
      <Card size="small">
        <Table<ReportListItem>
          rowKey="id"
          loading={loading}
          dataSource={rows}
          data-testid="ledger-table"
          scroll={{ x: 1000 }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total,
            showSizeChanger: false,
            onChange: (p) => set('page', String(p)),
          }}
          columns={[
            {
              title: t('ledger.field.unit'),
              dataIndex: ['unit', 'name'],
              width: 150,
              ellipsis: true,
            },
            {
              title: t('ledger.field.summary'),
              dataIndex: 'summary',
              ellipsis: true,
              render: (_, r) => (
                <Link to={`/ledger/${r.id}`} data-testid={`ledger-link-${r.id}`}>
                  {r.summary}
                </Link>
              ),
            },
            {
              title: t('ledger.field.tasks'),
              dataIndex: 'tasks',
              width: 240,
              ellipsis: true,
              render: (_, r) => (
                <Typography.Text ellipsis style={{ maxWidth: 230 }}>
                  {r.tasks.map((x) => `${x.title}${x.cycle === 'once' ? '' : ` ${x.cycle}`}`).join('；')}
                </Typography.Text>
              ),
            },
            {
              title: t('ledger.field.state'),
              dataIndex: 'state',
              width: 120,
              render: (_, r) => <StateTag state={r.state} testId={`ledger-state-${r.id}`} />,
            },
            {
              title: t('ledger.field.flags'),
              dataIndex: 'similarFlags',
              width: 140,
              render: (_, r) =>
                r.similarFlags > 0 ? (
                  <Badge
                    status="warning"
                    text={t('ledger.flagCount', { count: r.similarFlags })}
                    data-testid={`ledger-flags-${r.id}`}
                  />
                ) : (
                  '—'
                ),
            },
            {
              title: t('ledger.field.submittedAt'),
              dataIndex: 'submittedAt',
              width: 150,
              render: (_, r) => (r.submittedAt ? formatTime(r.submittedAt).slice(0, 16) : '—'),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
