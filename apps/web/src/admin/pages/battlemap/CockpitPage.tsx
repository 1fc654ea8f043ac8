import { PageContainer } from '@ant-design/pro-components';
import { App, Card, Col, Empty, Row, Spin, Statistic, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { CampaignPicker, useCampaign } from './CampaignPicker.tsx';
import {
  COLOR_HEX,
  type Cockpit,
  LEGEND,
  type Rankings,
  type TownshipMapData,
  unitMatrixPath,
} from './model.ts';
import { RankingsTable } from './RankingsTable.tsx';
import { TownshipMap } from './TownshipMap.tsx';

const TOP = 5;

/** The four colours as one bar, each part as wide as its share of the instances. */
function Distribution({ data }: { data: Cockpit }) {
  const lang = currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN';
  const total = data.totals.instances || 1;
  const shown = LEGEND.filter((c) => c !== 'orange' || data.totals.counts.orange > 0);
  return (
    <div data-testid="cockpit-distribution">
      <div
        style={{ display: 'flex', height: 14, borderRadius: 7, overflow: 'hidden', background: '#f0f0f0' }}
      >
        {shown.map((c) => (
          <div
            key={c}
            style={{ width: `${(100 * data.totals.counts[c]) / total}%`, background: COLOR_HEX[c] }}
          />
        ))}
      </div>
      <Row gutter={8} style={{ marginTop: 12 }}>
        {shown.map((c) => (
          <Col key={c} flex={1}>
            <Statistic
              title={
                <span>
                  <span
                    style={{
                      display: 'inline-block',
                      width: 10,
                      height: 10,
                      borderRadius: 2,
                      marginRight: 4,
                      background: COLOR_HEX[c],
                    }}
                  />
                  {colorWord(c, lang)}
                </span>
              }
              value={data.totals.counts[c]}
              suffix={
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {Math.round((100 * data.totals.counts[c]) / total)}%
                </Typography.Text>
              }
              valueStyle={{ fontSize: 22 }}
              data-testid={`cockpit-count-${c}`}
            />
          </Col>
        ))}
      </Row>
    </div>
  );
}

/** 领导驾驶舱: read-only, one screen: colours, progress, the best and the last units, the map, supervision. */
export function CockpitPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { campaignId, campaigns, none, setCampaign } = useCampaign();
  const [cockpit, setCockpit] = useState<Cockpit | null>(null);
  const [rankings, setRankings] = useState<Rankings | null>(null);
  const [map, setMap] = useState<TownshipMapData | null>(null);
  const navigate = useNavigate();
  const onPick = useCallback(
    (unitId: string) => campaignId && navigate(unitMatrixPath(campaignId, unitId)),
    [navigate, campaignId],
  );

  useEffect(() => {
    if (!campaignId) return;
    setCockpit(null);
    const fail = (e: unknown) => message.error(errorMessage(e, t));
    api<Cockpit>(`/campaigns/${campaignId}/cockpit`).then(setCockpit).catch(fail);
    api<Rankings>(`/campaigns/${campaignId}/rankings`).then(setRankings).catch(fail);
    api<TownshipMapData>(`/campaigns/${campaignId}/township-map`).then(setMap).catch(fail);
  }, [campaignId, message, t]);

  const ranked = rankings?.units.filter((u) => u.completionRate !== null) ?? [];
  const top = ranked.slice(0, TOP);
  const bottom = ranked.length > TOP ? ranked.slice(-TOP).reverse() : [];

  return (
    <PageContainer
      title={t('battlemap.cockpit')}
      extra={<CampaignPicker campaignId={campaignId} campaigns={campaigns} onChange={setCampaign} />}
      data-testid="cockpit-page"
    >
      {none ? (
        <Empty description={t('battlemap.noCampaign')} />
      ) : !cockpit ? (
        <Spin style={{ display: 'block', margin: '20vh auto' }} />
      ) : (
        <Row gutter={[12, 12]}>
          <Col span={16}>
            <Card
              size="small"
              title={t('battlemap.distribution')}
              extra={
                <Link to={`/battlemap?campaign=${cockpit.campaign.id}`} data-testid="cockpit-open-map">
                  {t('battlemap.openMatrix')}
                </Link>
              }
            >
              <Distribution data={cockpit} />
            </Card>
          </Col>
          <Col span={8}>
            <Card size="small" title={t('battlemap.overview')}>
              <Row gutter={8}>
                <Col span={8}>
                  <Statistic title={t('battlemap.progress')} value={cockpit.totals.progress} suffix="%" />
                </Col>
                <Col span={8}>
                  <Statistic title={t('battlemap.activities')} value={cockpit.activities} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('battlemap.unitCount')} value={cockpit.units} />
                </Col>
              </Row>
            </Card>
          </Col>
          <Col span={10}>
            <Card size="small" title={t('battlemap.townshipMap')} styles={{ body: { padding: 8 } }}>
              {map ? <TownshipMap data={map} height={300} onPick={onPick} /> : <Spin />}
            </Card>
          </Col>
          <Col span={14}>
            <Row gutter={[12, 12]}>
              <Col span={12}>
                <Card
                  size="small"
                  title={t('battlemap.top', { count: TOP })}
                  styles={{ body: { padding: 0 } }}
                >
                  <RankingsTable units={top} compact testId="cockpit-top" />
                </Card>
              </Col>
              <Col span={12}>
                <Card
                  size="small"
                  title={t('battlemap.bottom', { count: TOP })}
                  styles={{ body: { padding: 0 } }}
                >
                  <RankingsTable units={bottom} compact testId="cockpit-bottom" />
                </Card>
              </Col>
              <Col span={24}>
                <Card size="small" title={t('battlemap.supervision')}>
                  <Row gutter={8} data-testid="cockpit-supervision">
                    {(['reminder', 'order', 'interview', 'circular'] as const).map((k) => (
                      <Col key={k} span={6}>
                        <Statistic
                          title={t(`battlemap.supervisionKind.${k}`)}
                          value={cockpit.supervision[k]}
                        />
                      </Col>
                    ))}
                  </Row>
                </Card>
              </Col>
            </Row>
          </Col>
        </Row>
      )}
    </PageContainer>
  );
}
