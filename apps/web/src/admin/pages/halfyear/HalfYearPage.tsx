import { FileWordOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { useSession } from '../../../shared/session.tsx';
import { CampaignExports } from '../campaigns/CampaignExports.tsx';
import { ColorCounts, periodLabel } from './ColorCounts.tsx';
import { type HalfYearList, type HalfYearReport, type HalfYearUnitRow, STATE_COLOR } from './model.ts';

/** Which units the list shows: all, those with tasks in the period, or by report state. */
const FILTERS = ['all', 'withTasks', 'none', 'draft', 'submitted', 'returned', 'accepted'] as const;
type Filter = (typeof FILTERS)[number];

interface CampaignOption {
  id: string;
  name: string;
  year: number;
  status: string;
}

/**
 * 半年报告: pick a campaign and a half-year; every responsible unit in the caller's scope with its
 * colours, done/total and report state. A unit writes its own report; the office reviews, opens reports
 * for units, and downloads the compiled Word document.
 */
export function HalfYearPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const campaignId = params.get('campaign');
  const period = params.get('period');
  const [campaigns, setCampaigns] = useState<CampaignOption[]>([]);
  const [list, setList] = useState<HalfYearList | null>(null);
  const [loading, setLoading] = useState(false);
  const [opening, setOpening] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const matches = (r: HalfYearUnitRow) =>
    filter === 'all' || (filter === 'withTasks' ? r.instances > 0 : (r.report?.state ?? 'none') === filter);

  useEffect(() => {
    api<{ items: CampaignOption[] }>('/campaigns', { query: { pageSize: 200 } })
      .then((r) => {
        setCampaigns(r.items);
        const first = r.items.find((c) => c.status === 'active') ?? r.items[0];
        if (!campaignId && first) setParams({ campaign: first.id }, { replace: true });
      })
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaignId, message, t, setParams]);

  const load = useCallback(() => {
    if (!campaignId) return;
    setLoading(true);
    api<HalfYearList>(`/campaigns/${campaignId}/half-year`, { query: { period } })
      .then(setList)
      .catch((e) => {
        setList(null);
        message.error(errorMessage(e, t));
      })
      .finally(() => setLoading(false));
  }, [campaignId, period, message, t]);
  useEffect(load, [load]);

  const open = async (row: HalfYearUnitRow) => {
    if (!list?.period || !campaignId) return;
    setOpening(row.unit.id);
    try {
      const r = await api<HalfYearReport>(`/campaigns/${campaignId}/half-year`, {
        method: 'POST',
        body: { period: list.period, unitId: row.unit.id },
      });
      navigate(`/half-year-reports/${r.id}`);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setOpening(null);
    }
  };

  const submitted = list?.units.filter((u) => u.report && u.report.state !== 'draft').length ?? 0;
  const accepted = list?.units.filter((u) => u.report?.state === 'accepted').length ?? 0;

  return (
    <PageContainer
      title={t('halfYear.title')}
      content={<Typography.Text type="secondary">{t('halfYear.subtitle')}</Typography.Text>}
      data-testid="halfyear-page"
    >
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex wrap gap={8} justify="space-between" align="center">
          <Space wrap>
            <Select
              style={{ width: 320 }}
              value={campaignId ?? undefined}
              placeholder={t('halfYear.chooseCampaign')}
              data-testid="halfyear-campaign"
              options={campaigns.map((c) => ({ value: c.id, label: `${c.year} · ${c.name}` }))}
              onChange={(v) => setParams({ campaign: v })}
            />
            <Select
              style={{ width: 160 }}
              value={list?.period ?? undefined}
              placeholder={t('halfYear.choosePeriod')}
              data-testid="halfyear-period"
              options={(list?.periods ?? []).map((p) => ({ value: p, label: periodLabel(t, p) }))}
              onChange={(v) => campaignId && setParams({ campaign: campaignId, period: v })}
            />
            <Select
              style={{ width: 140 }}
              value={filter}
              data-testid="halfyear-filter"
              onChange={setFilter}
              options={FILTERS.map((k) => ({ value: k, label: t(`halfYear.filter.${k}`) }))}
            />
          </Space>
          {campaignId && (
            <Space wrap>
              {list?.canCompile && list.period && (
                <Button
                  icon={<FileWordOutlined />}
                  href={`/api/campaigns/${campaignId}/half-year/${list.period}/compilation.docx`}
                  data-testid="halfyear-compile"
                >
                  {t('halfYear.compile')}
                </Button>
              )}
              <CampaignExports campaignId={campaignId} hideHalfYear />
            </Space>
          )}
        </Flex>
        {list?.period && (
          <Typography.Text
            type="secondary"
            style={{ display: 'block', marginTop: 8 }}
            data-testid="halfyear-summary"
          >
            {t('halfYear.summary', { units: list.units.length, submitted, accepted })}
          </Typography.Text>
        )}
      </Card>
      {list && !list.period ? (
        <Card>
          <Empty description={t('halfYear.noPeriods')} />
        </Card>
      ) : (
        <Table<HalfYearUnitRow>
          size="small"
          rowKey={(r) => r.unit.id}
          loading={loading}
          dataSource={(list?.units ?? []).filter(matches)}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          data-testid="halfyear-units"
          scroll={{ x: 900 }}
          columns={[
            { title: '#', width: 50, render: (_, __, i) => i + 1 },
            {
              title: t('halfYear.field.unit'),
              dataIndex: ['unit', 'name'],
              width: 260,
              ellipsis: true,
            },
            {
              title: t('halfYear.field.done'),
              width: 100,
              render: (_, r) => `${r.done}/${r.instances}`,
            },
            {
              title: t('halfYear.field.colors'),
              render: (_, r) => <ColorCounts byColor={r.byColor} />,
            },
            {
              title: t('halfYear.field.state'),
              width: 120,
              render: (_, r) =>
                r.report ? (
                  <Tag color={STATE_COLOR[r.report.state]} data-testid={`halfyear-state-${r.unit.id}`}>
                    {t(`halfYear.state.${r.report.state}`)}
                  </Tag>
                ) : (
                  <Tag data-testid={`halfyear-state-${r.unit.id}`}>{t('halfYear.state.none')}</Tag>
                ),
            },
            {
              title: t('halfYear.field.submittedAt'),
              width: 150,
              render: (_, r) => (r.report?.submittedAt ? formatTime(r.report.submittedAt).slice(0, 16) : '—'),
            },
            {
              title: t('common.actions'),
              width: 170,
              render: (_, r) =>
                r.report ? (
                  <Link to={`/half-year-reports/${r.report.id}`} data-testid={`halfyear-open-${r.unit.id}`}>
                    {r.report.state === 'submitted' && user?.dataScope === 'all'
                      ? t('halfYear.review')
                      : t('halfYear.view')}
                  </Link>
                ) : list?.canOpen ? (
                  <Button
                    size="small"
                    type="link"
                    loading={opening === r.unit.id}
                    onClick={() => open(r)}
                    data-testid={`halfyear-write-${r.unit.id}`}
                  >
                    {t('halfYear.write')}
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
    </PageContainer>
  );
}
