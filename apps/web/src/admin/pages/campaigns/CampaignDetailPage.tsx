import { PageContainer } from '@ant-design/pro-components';
import { App, Card, Descriptions, Result, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { useSession } from '../../../shared/session.tsx';
import { SupervisionLink } from '../campaign-supervision/SupervisionLink.tsx';
import { CampaignActions } from './CampaignActions.tsx';
import { CampaignDeploymentsTab } from './CampaignDeploymentsTab.tsx';
import { CampaignExports } from './CampaignExports.tsx';
import { CampaignSettingsTab } from './CampaignSettingsTab.tsx';
import { CampaignTasksTab } from './CampaignTasksTab.tsx';
import { type CampaignActivity, type CampaignDetail, STATUS_COLOR } from './model.ts';

function Units({ units }: { units: CampaignActivity['units'] }) {
  const { t } = useTranslation();
  const lead = units.filter((u) => u.role === 'lead');
  const co = units.filter((u) => u.role === 'co');
  return (
    <div>
      {lead.map((u) => (
        <Tag key={u.unitId} color="blue">
          {t('campaigns.role.lead')}·{u.name}
        </Tag>
      ))}
      {co.slice(0, 12).map((u) => (
        <Tag key={u.unitId}>{u.name}</Tag>
      ))}
      {co.length > 12 && (
        <Typography.Text type="secondary">
          {t('campaigns.moreUnits', { count: co.length - 12 })}
        </Typography.Text>
      )}
    </div>
  );
}

/** A campaign: phases, then each section's activities with their lead and co units. */
export function CampaignDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [c, setC] = useState<CampaignDetail | null>(null);
  const [failed, setFailed] = useState(false);
  const [params, setParams] = useSearchParams();
  const { can } = useSession();
  const canWrite = can('campaign:write');
  const tab = params.get('tab') ?? 'structure';

  const load = useCallback(() => {
    api<CampaignDetail>(`/campaigns/${id}`)
      .then(setC)
      .catch((e) => {
        setFailed(true);
        message.error(errorMessage(e, t));
      });
  }, [id, message, t]);
  useEffect(load, [load]);

  if (failed) return <Result status="404" title="404" subTitle={t('common.notFound')} />;
  if (!c) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const count = c.sections.reduce((n, s) => n + s.activities.length, 0);

  const structure = (
    <>
      <Card size="small" title={t('campaigns.phases')} style={{ marginBottom: 12 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={c.phases}
          data-testid="campaign-phases"
          columns={[
            { title: '#', dataIndex: 'seq', width: 50 },
            { title: t('campaigns.field.phase'), dataIndex: 'name' },
            {
              title: t('campaigns.field.startsOn'),
              dataIndex: 'startsOn',
              width: 140,
              render: (v) => v ?? '—',
            },
            { title: t('campaigns.field.endsOn'), dataIndex: 'endsOn', width: 140, render: (v) => v ?? '—' },
          ]}
        />
      </Card>
      {c.sections.map((s) => (
        <Card key={s.id} size="small" title={`${s.numeral}${s.title}`} style={{ marginBottom: 12 }}>
          <Table<CampaignActivity>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={s.activities}
            data-testid="campaign-section"
            columns={[
              {
                title: '#',
                dataIndex: 'numeral',
                width: 60,
                render: (v, a) => (a.parentId ? <span style={{ paddingLeft: 16 }}>{v}</span> : v),
              },
              {
                title: t('campaigns.field.activity'),
                dataIndex: 'name',
                width: 300,
                render: (v, a) => (
                  <Typography.Text data-testid="campaign-activity" title={a.description}>
                    {v}
                  </Typography.Text>
                ),
              },
              {
                title: t('campaigns.field.deadline'),
                dataIndex: 'deadlineText',
                width: 140,
                render: (v, a) => (v ? <Tag color="gold">{a.deadlineOn ?? v}</Tag> : '—'),
              },
              {
                title: t('campaigns.field.cadence'),
                dataIndex: 'cadence',
                width: 100,
                render: (v) => (v ? t(`campaigns.cadence.${v}`) : t('campaigns.cadence.once')),
              },
              {
                title: t('campaigns.field.units'),
                dataIndex: 'units',
                render: (_, a) => <Units units={a.units} />,
              },
            ]}
          />
        </Card>
      ))}
    </>
  );

  return (
    <PageContainer
      title={c.name}
      data-testid="campaign-detail"
      extra={
        <Space wrap>
          {canWrite && <CampaignActions campaign={c} onChanged={setC} />}
          <CampaignExports campaignId={c.id} />
          {c.status !== 'draft' && <SupervisionLink campaignId={c.id} />}
        </Space>
      }
    >
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('campaigns.field.year')}>{c.year}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.field.docNo')}>{c.docNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.field.issuedOn')}>{c.issuedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.field.status')}>
            <Tag color={STATUS_COLOR[c.status]} data-testid="campaign-status">
              {t(`campaigns.status.${c.status}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.field.activities')}>
            <span data-testid="campaign-activity-count">{count}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.settings.window')}>
            <span data-testid="campaign-window">
              {c.startsOn ?? '—'} ~ {c.endsOn ?? '—'}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.settings.rules')}>
            {t(`campaigns.settings.presets.${c.colorRules?.preset ?? 'default'}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.field.createdAt')}>
            {formatTime(c.createdAt).slice(0, 16)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        data-testid="campaign-tabs"
        items={[
          { key: 'structure', label: t('campaigns.tabs.structure'), children: structure },
          {
            key: 'tasks',
            label: <span data-testid="campaign-tab-tasks">{t('campaigns.tabs.tasks')}</span>,
            children: <CampaignTasksTab key={c.version} campaign={c} canWrite={canWrite} onChanged={load} />,
          },
          {
            key: 'settings',
            label: <span data-testid="campaign-tab-settings">{t('campaigns.tabs.settings')}</span>,
            children: <CampaignSettingsTab campaign={c} canWrite={canWrite} onSaved={setC} />,
          },
          {
            key: 'deployments',
            label: <span data-testid="campaign-tab-deployments">{t('campaigns.tabs.deployments')}</span>,
            children: <CampaignDeploymentsTab campaign={c} canWrite={canWrite} />,
          },
        ]}
      />
    </PageContainer>
  );
}
