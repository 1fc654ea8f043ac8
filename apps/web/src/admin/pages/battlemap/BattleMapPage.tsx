import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Empty, Select, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import type { Color } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { CampaignPicker, useCampaign } from './CampaignPicker.tsx';
import { CellDrawer } from './CellDrawer.tsx';
import { Legend, Matrix } from './Matrix.tsx';
import {
  type BattleMap,
  type MatrixCell,
  type Rankings,
  type TownshipMapData,
  unitMatrixPath,
} from './model.ts';
import { RankingsTable } from './RankingsTable.tsx';
import { TownshipMap } from './TownshipMap.tsx';

type Tab = 'matrix' | 'rankings' | 'map';
const PATHS: Record<Tab, string> = {
  matrix: '/battlemap',
  rankings: '/battlemap/rankings',
  map: '/battlemap/map',
};
const FILTERS = ['phase', 'section', 'scope', 'color'] as const;

/** GET with loading state; `path` null = nothing to load yet. */
function useData<T>(path: string | null, query: Record<string, string | undefined>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify(query);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setLoading(true);
    api<T>(path, { query: JSON.parse(key) })
      .then((d) => live && setData(d))
      .catch((e) => live && message.error(errorMessage(e, t)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, key, message, t]);
  return { data, loading };
}

function MatrixTab({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [cell, setCell] = useState<MatrixCell | null>(null);
  const [scopeOptions, setScopeOptions] = useState<BattleMap['units']>([]);
  const scope = params.get('scope') ?? '';
  const color = (params.get('color') as Color | null) ?? null;
  const query = {
    phaseId: params.get('phase') ?? undefined,
    sectionId: params.get('section') ?? undefined,
    unitId: scope.startsWith('u:') ? scope.slice(2) : undefined,
    groupId: scope.startsWith('g:') ? scope.slice(2) : undefined,
    color: color ?? undefined,
  };
  const { data, loading } = useData<BattleMap>(`/campaigns/${campaignId}/battlemap`, query);

  // The unit choices come from the unfiltered matrix, so that narrowing to one unit keeps the others listed.
  useEffect(() => {
    if (data && !scope && !color && data.campaign.id === campaignId) setScopeOptions(data.units);
  }, [data, scope, color, campaignId]);

  const set = (k: (typeof FILTERS)[number], v: string | null) =>
    setParams(
      (p) => {
        if (v) p.set(k, v);
        else p.delete(k);
        return p;
      },
      { replace: true },
    );

  if (!data) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const filtered = FILTERS.some((k) => params.get(k));
  return (
    <>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Select
          data-testid="bm-filter-phase"
          allowClear
          style={{ width: 130 }}
          placeholder={t('battlemap.allPhases')}
          value={query.phaseId}
          onChange={(v) => set('phase', v ?? null)}
          options={data.filters.phases.map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          data-testid="bm-filter-section"
          allowClear
          style={{ width: 170 }}
          placeholder={t('battlemap.allSections')}
          value={query.sectionId}
          onChange={(v) => set('section', v ?? null)}
          options={data.filters.sections.map((s) => ({ value: s.id, label: `${s.numeral}${s.title}` }))}
          popupMatchSelectWidth={false}
        />
        <Select
          data-testid="bm-filter-scope"
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: 190 }}
          placeholder={t('battlemap.allUnits')}
          value={scope || undefined}
          onChange={(v) => set('scope', v ?? null)}
          popupMatchSelectWidth={false}
          options={[
            {
              label: t('battlemap.groups'),
              options: data.filters.groups.map((g) => ({ value: `g:${g.id}`, label: g.name })),
            },
            {
              label: t('battlemap.units'),
              options: scopeOptions.map((u) => ({ value: `u:${u.id}`, label: u.name })),
            },
          ]}
        />
        <Legend totals={data.totals} active={color} onPick={(c) => set('color', c)} />
        {filtered && (
          <Button
            size="small"
            type="link"
            onClick={() => setParams({ campaign: campaignId }, { replace: true })}
          >
            {t('battlemap.clearFilters')}
          </Button>
        )}
        {loading && <Spin size="small" />}
      </Space>
      <Matrix data={data} onCell={setCell} maxHeight="calc(100vh - 270px)" />
      <CellDrawer campaignId={campaignId} cell={cell} onClose={() => setCell(null)} />
    </>
  );
}

function RankingsTab({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const [groupId, setGroupId] = useState<string | undefined>();
  const { data } = useData<Rankings>(`/campaigns/${campaignId}/rankings`, { groupId });
  if (!data) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Select
          data-testid="bm-rank-group"
          allowClear
          style={{ width: 220 }}
          placeholder={t('battlemap.allUnits')}
          value={groupId}
          onChange={setGroupId}
          options={data.groups.map((g) => ({ value: g.id, label: g.name }))}
        />
        <Typography.Text type="secondary">{t('battlemap.rankingsNote', { date: data.asOf })}</Typography.Text>
        <Typography.Text type="secondary" data-testid="bm-cases-note">
          {t('battlemap.casesNote', data.casePeriod)}
        </Typography.Text>
      </Space>
      <RankingsTable units={data.units} />
    </>
  );
}

function MapTab({ campaignId }: { campaignId: string }) {
  const navigate = useNavigate();
  const { data } = useData<TownshipMapData>(`/campaigns/${campaignId}/township-map`, {});
  const onPick = useCallback(
    (unitId: string) => navigate(unitMatrixPath(campaignId, unitId)),
    [navigate, campaignId],
  );
  if (!data) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  return (
    <Card size="small">
      <TownshipMap data={data} height={Math.max(360, window.innerHeight - 330)} onPick={onPick} />
    </Card>
  );
}

/** 挂图作战: the matrix, the rankings and the township map of one campaign. */
export function BattleMapPage() {
  const { t } = useTranslation();
  const loc = useLocation();
  const navigate = useNavigate();
  const { campaignId, campaigns, none, setCampaign } = useCampaign();
  const tab: Tab = loc.pathname.endsWith('/rankings')
    ? 'rankings'
    : loc.pathname.endsWith('/map')
      ? 'map'
      : 'matrix';

  return (
    <PageContainer
      title={t('battlemap.title')}
      extra={<CampaignPicker campaignId={campaignId} campaigns={campaigns} onChange={setCampaign} />}
      tabActiveKey={tab}
      tabList={(['matrix', 'rankings', 'map'] as const).map((k) => ({
        key: k,
        tab: <span data-testid={`bm-tab-${k}`}>{t(`battlemap.tab.${k}`)}</span>,
      }))}
      onTabChange={(k) => navigate(`${PATHS[k as Tab]}${campaignId ? `?campaign=${campaignId}` : ''}`)}
      data-testid="battlemap-page"
    >
      {none ? (
        <Empty description={t('battlemap.noCampaign')} />
      ) : !campaignId ? (
        <Spin style={{ display: 'block', margin: '20vh auto' }} />
      ) : tab === 'matrix' ? (
        <MatrixTab key={campaignId} campaignId={campaignId} />
      ) : tab === 'rankings' ? (
        <RankingsTab key={campaignId} campaignId={campaignId} />
      ) : (
        <MapTab key={campaignId} campaignId={campaignId} />
      )}
    </PageContainer>
  );
}
