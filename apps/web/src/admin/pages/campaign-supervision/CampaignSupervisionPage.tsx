import {
  AlertOutlined,
  AuditOutlined,
  BellOutlined,
  DownloadOutlined,
  FileWordOutlined,
} from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import {
  COLORS,
  SUPERVISION_KINDS,
  type SupervisionKind,
} from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { useSession } from '../../../shared/session.tsx';
import { useDialog } from '../../components/useDialog.ts';
import type { CampaignDetail, CampaignListItem } from '../campaigns/model.ts';
import { COLOR_TAG, documentUrl, KIND_COLOR, type SupervisionItem } from './model.ts';
import { type FormKind, SupervisionForms } from './SupervisionForms.tsx';

const PAGE_SIZE = 20;

function KindTag({ item }: { item: SupervisionItem }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={KIND_COLOR[item.kind]}>{t(`campaignSupervision.kind.${item.kind}`)}</Tag>
      {item.automatic && <Tag>{t('campaignSupervision.automatic')}</Tag>}
      {item.suggestInterview && <Tag color="orange">{t('campaignSupervision.suggestInterview')}</Tag>}
    </Space>
  );
}

/** What a record says, in one line: the reason of an automatic one, the circular's title, else its text. */
function summaryOf(item: SupervisionItem): string {
  if (item.reason) return item.reason;
  if (item.circular) return item.circular.title;
  return item.body;
}

function Detail({ item, onClose }: { item: SupervisionItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={!!item}
      onClose={onClose}
      width={560}
      title={item ? `${t(`campaignSupervision.kind.${item.kind}`)} ${item.number ?? ''}` : ''}
      destroyOnHidden
    >
      {item && (
        <div data-testid="supervision-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('campaignSupervision.field.kind')}>
              <KindTag item={item} />
            </Descriptions.Item>
            {item.number && (
              <Descriptions.Item label={t('campaignSupervision.field.number')}>
                {item.number}
              </Descriptions.Item>
            )}
            {item.unit && (
              <Descriptions.Item label={t('campaignSupervision.field.unit')}>
                {item.unit.name}
              </Descriptions.Item>
            )}
            {item.instance && (
              <Descriptions.Item label={t('campaignSupervision.field.instance')}>
                {item.instance.title}
                {item.instance.cycle !== 'once' ? ` · ${item.instance.cycle}` : ''}
              </Descriptions.Item>
            )}
            {item.instanceIds.length > 1 && (
              <Descriptions.Item label={t('campaignSupervision.field.instances')}>
                {t('campaignSupervision.taskCount', { count: item.instanceIds.length })}
              </Descriptions.Item>
            )}
            {item.reason && (
              <Descriptions.Item label={t('campaignSupervision.field.reason')}>
                {item.reason}
              </Descriptions.Item>
            )}
            {item.deadline && (
              <Descriptions.Item label={t('campaignSupervision.field.deadline')}>
                {item.deadline}
              </Descriptions.Item>
            )}
            {item.interview ? (
              <>
                <Descriptions.Item label={t('campaignSupervision.field.interviewee')}>
                  {item.interview.interviewee.name}（{item.interview.interviewee.post}）
                  {item.interview.interviewee.phone ? ` ${item.interview.interviewee.phone}` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.at')}>
                  {formatTime(item.interview.at).slice(0, 16)}
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.place')}>
                  {item.interview.place}
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.attendees')}>
                  {item.interview.attendees.join('、') || '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.topics')}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                    {item.interview.topics}
                  </Typography.Paragraph>
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.commitments')}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                    {item.interview.commitments || '—'}
                  </Typography.Paragraph>
                </Descriptions.Item>
              </>
            ) : item.circular ? (
              <>
                <Descriptions.Item label={t('campaignSupervision.field.title')}>
                  {item.circular.title}
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.asOf')}>
                  {item.circular.asOf}
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.counts')}>
                  <Space size={4} wrap>
                    {t('campaignSupervision.unitCount', { count: item.circular.units })}
                    {[...COLORS]
                      .reverse()
                      .filter((c) => (item.circular?.counts[c] ?? 0) > 0)
                      .map((c) => (
                        <Tag key={c} color={COLOR_TAG[c]}>
                          {t(`campaignSupervision.color.${c}`)} {item.circular?.counts[c]}
                        </Tag>
                      ))}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('campaignSupervision.field.document')}>
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={documentUrl(item.campaignId, item.id)}
                    data-testid="supervision-detail-download"
                  >
                    {t('campaignSupervision.download')}
                  </Button>
                </Descriptions.Item>
              </>
            ) : (
              <Descriptions.Item label={t('campaignSupervision.field.body')}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                  {item.body}
                </Typography.Paragraph>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('campaignSupervision.field.createdBy')}>
              {item.createdBy?.name ?? t('campaignSupervision.system')}
            </Descriptions.Item>
            <Descriptions.Item label={t('campaignSupervision.field.createdAt')}>
              {formatTime(item.createdAt).slice(0, 16)}
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Drawer>
  );
}

/**
 * 督导: a campaign's reminders (催办), supervision notices (督办单), interviews (约谈) and circulars (通报);
 * the office issues them from drawers and generates the circular as a Word document.
 */
export function CampaignSupervisionPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const campaignId = params.get('campaign');
  const kindParam = params.get('kind');
  const kind = SUPERVISION_KINDS.includes(kindParam as SupervisionKind)
    ? (kindParam as SupervisionKind)
    : null;
  const unitId = params.get('unit');
  const [campaigns, setCampaigns] = useState<CampaignListItem[] | null>(null);
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: SupervisionItem[]; total: number } | null>(null);
  const forms = useDialog<FormKind>();
  const [detail, setDetail] = useState<SupervisionItem | null>(null);
  const writer = can('campaign:write');

  const setParam = useCallback(
    (key: string, value: string | null) => {
      const next = new URLSearchParams(params);
      if (value) next.set(key, value);
      else next.delete(key);
      setParams(next, { replace: true });
      setPage(1);
    },
    [params, setParams],
  );

  useEffect(() => {
    api<{ items: CampaignListItem[] }>('/campaigns', { query: { pageSize: 200 } })
      .then((r) => setCampaigns(r.items.filter((c) => c.status !== 'draft')))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [message, t]);

  useEffect(() => {
    if (!campaignId && campaigns?.length) setParam('campaign', campaigns[0].id);
  }, [campaignId, campaigns, setParam]);

  useEffect(() => {
    if (!campaignId) return;
    setCampaign(null);
    api<CampaignDetail>(`/campaigns/${campaignId}`)
      .then(setCampaign)
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaignId, message, t]);

  const load = useCallback(() => {
    if (!campaignId) return;
    api<{ items: SupervisionItem[]; total: number }>(`/campaigns/${campaignId}/supervision`, {
      query: { kind: kind ?? undefined, unitId: unitId ?? undefined, page, pageSize: PAGE_SIZE },
    })
      .then(setData)
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaignId, kind, unitId, page, message, t]);
  useEffect(load, [load]);

  const units = useMemo(() => {
    const seen = new Map<string, string>();
    for (const s of campaign?.sections ?? [])
      for (const a of s.activities) for (const u of a.units) seen.set(u.unitId, u.name);
    return [...seen].map(([id, name]) => ({ id, name }));
  }, [campaign]);

  const done = (items: SupervisionItem[]) => {
    forms.close();
    load();
    const circular = items.find((i) => i.kind === 'circular');
    if (circular) setDetail(circular);
  };

  const actions = writer && campaignId && (
    <Space wrap>
      <Button
        icon={<BellOutlined />}
        onClick={() => forms.open('reminder')}
        data-testid="supervision-new-reminder"
      >
        {t('campaignSupervision.reminder.open')}
      </Button>
      <Button
        icon={<AlertOutlined />}
        onClick={() => forms.open('order')}
        data-testid="supervision-new-order"
      >
        {t('campaignSupervision.order.open')}
      </Button>
      <Button
        icon={<AuditOutlined />}
        onClick={() => forms.open('interview')}
        data-testid="supervision-new-interview"
      >
        {t('campaignSupervision.interview.open')}
      </Button>
      <Button
        type="primary"
        icon={<FileWordOutlined />}
        onClick={() => forms.open('circular')}
        data-testid="supervision-new-circular"
      >
        {t('campaignSupervision.circular.open')}
      </Button>
    </Space>
  );

  return (
    <PageContainer
      title={t('campaignSupervision.title')}
      content={t('campaignSupervision.subtitle')}
      extra={actions}
    >
      <div data-testid="campaign-supervision">
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space wrap size={[16, 8]}>
            <Select
              style={{ width: 340 }}
              value={campaignId ?? undefined}
              loading={!campaigns}
              placeholder={t('campaignSupervision.chooseCampaign')}
              onChange={(v: string) => {
                const next = new URLSearchParams();
                next.set('campaign', v);
                setParams(next, { replace: true });
                setPage(1);
              }}
              options={(campaigns ?? []).map((c) => ({ value: c.id, label: `${c.year} ${c.name}` }))}
              data-testid="supervision-campaign"
            />
            <Segmented
              value={kind ?? 'all'}
              onChange={(v) => setParam('kind', v === 'all' ? null : String(v))}
              options={[
                { value: 'all', label: t('campaignSupervision.all') },
                ...SUPERVISION_KINDS.map((k) => ({ value: k, label: t(`campaignSupervision.kind.${k}`) })),
              ]}
              data-testid="supervision-kind"
            />
            <Select
              style={{ width: 240 }}
              allowClear
              showSearch
              optionFilterProp="label"
              value={unitId ?? undefined}
              placeholder={t('campaignSupervision.allUnits')}
              onChange={(v: string | undefined) => setParam('unit', v ?? null)}
              options={units.map((u) => ({ value: u.id, label: u.name }))}
              data-testid="supervision-unit"
            />
            {campaignId && (
              <Link to={`/campaigns/${campaignId}`} data-testid="supervision-campaign-link">
                {t('campaignSupervision.openCampaign')}
              </Link>
            )}
          </Space>
        </Card>
        {campaigns && campaigns.length === 0 ? (
          <Empty description={t('campaignSupervision.noCampaign')} />
        ) : (
          <Table<SupervisionItem>
            size="small"
            rowKey="id"
            loading={!data}
            dataSource={data?.items ?? []}
            data-testid="supervision-records"
            scroll={{ x: 1000 }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              showSizeChanger: false,
              onChange: setPage,
              showTotal: (n) => t('campaignSupervision.total', { count: n }),
            }}
            onRow={(r) => ({ 'data-testid': `supervision-row-${r.kind}` }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('campaignSupervision.field.kind'),
                width: 170,
                render: (_, r) => <KindTag item={r} />,
              },
              {
                title: t('campaignSupervision.field.number'),
                dataIndex: 'number',
                width: 120,
                render: (v) => v ?? '—',
              },
              {
                title: t('campaignSupervision.field.unit'),
                width: 130,
                ellipsis: true,
                render: (_, r) => r.unit?.name ?? t('campaignSupervision.allUnitsShort'),
              },
              {
                title: t('campaignSupervision.field.instance'),
                width: 170,
                ellipsis: true,
                render: (_, r) =>
                  r.instance ? (
                    <span>
                      <Tag color={COLOR_TAG[r.instance.color as keyof typeof COLOR_TAG] ?? 'default'}>
                        {t(`campaignSupervision.color.${r.instance.color}`)}
                      </Tag>
                      {r.instance.title}
                    </span>
                  ) : r.instanceIds.length > 0 ? (
                    t('campaignSupervision.taskCount', { count: r.instanceIds.length })
                  ) : (
                    '—'
                  ),
              },
              {
                title: t('campaignSupervision.field.content'),
                ellipsis: true,
                render: (_, r) => <span title={summaryOf(r)}>{summaryOf(r)}</span>,
              },
              {
                title: t('campaignSupervision.field.createdAt'),
                dataIndex: 'createdAt',
                width: 150,
                render: (v: string, r) => (
                  <div style={{ lineHeight: 1.3 }}>
                    <div>{formatTime(v).slice(0, 16)}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.createdBy?.name ?? t('campaignSupervision.system')}
                    </Typography.Text>
                  </div>
                ),
              },
              {
                title: t('common.actions'),
                width: 90,
                fixed: 'right',
                render: (_, r) => (
                  <Space size={4}>
                    <Button
                      type="link"
                      size="small"
                      onClick={() => setDetail(r)}
                      data-testid={`supervision-open-${r.id}`}
                    >
                      {t('campaignSupervision.details')}
                    </Button>
                    {r.kind === 'circular' && (
                      <Button
                        type="link"
                        size="small"
                        icon={<DownloadOutlined />}
                        href={documentUrl(r.campaignId, r.id)}
                        data-testid={`supervision-download-${r.id}`}
                      />
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
        {campaignId && (
          <SupervisionForms
            key={forms.key}
            campaignId={campaignId}
            units={units}
            open={forms.subject}
            onClose={forms.close}
            onDone={done}
          />
        )}
        <Detail item={detail} onClose={() => setDetail(null)} />
      </div>
    </PageContainer>
  );
}
