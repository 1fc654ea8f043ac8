import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Divider,
  List,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { OrgUnit } from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatDue, formatTime } from '../../../shared/format.ts';
import { EvidenceList } from '../../components/EvidenceList.tsx';
import { ActionModal } from './ActionModal.tsx';
import { LevelTag, SlaBadge, StateTag } from './MatterTags.tsx';
import { MatterTimeline } from './MatterTimeline.tsx';
import {
  ACTION_NEEDS,
  isOpen,
  type MatterAction,
  type MatterDeadline,
  type MatterDetail,
  orderedActions,
  type TimelineEntry,
} from './model.ts';

/** Extension decisions sit on the extension card; every other action in the page header. */
const EXTENSION_DECISIONS: readonly MatterAction[] = ['approve_extension', 'reject_extension'];

function DeadlineItem({ d }: { d: MatterDeadline }) {
  const { t } = useTranslation();
  const status =
    d.status === 'open' ? (
      <SlaBadge color={d.color ?? 'green'} />
    ) : d.status === 'met' ? (
      <Tag color={d.late ? 'orange' : 'success'}>{t(d.late ? 'matters.metLate' : 'matters.met')}</Tag>
    ) : (
      <Tag>{t('matters.deadlineCancelled')}</Tag>
    );
  return (
    <List.Item data-testid={`deadline-${d.kind}`} data-status={d.status}>
      <div style={{ width: '100%', opacity: d.status === 'cancelled' ? 0.55 : 1 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
          <Typography.Text strong>{t(`matters.deadline.${d.kind}`)}</Typography.Text>
          {status}
        </div>
        <div>
          <Typography.Text type={d.status === 'open' && d.late ? 'danger' : 'secondary'}>
            {t('matters.dueBy', { due: formatDue(d.dueAt) })}
          </Typography.Text>
          {d.originalDueAt !== d.dueAt && (
            <div>
              <Typography.Text type="secondary" delete>
                {t('matters.originalDue', { due: formatDue(d.originalDueAt) })}
              </Typography.Text>
            </div>
          )}
          {d.metAt && (
            <div>
              <Typography.Text type="secondary">
                {t('matters.metAt', { time: formatTime(d.metAt).slice(0, 16) })}
              </Typography.Text>
            </div>
          )}
        </div>
      </div>
    </List.Item>
  );
}

/** One matter: what was assigned, its deadlines, a pending extension, the caller's actions and the history. */
export function MatterDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [matter, setMatter] = useState<MatterDetail | null>(null);
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [unitNames, setUnitNames] = useState(new Map<string, string>());
  const [missing, setMissing] = useState(false);
  const [action, setAction] = useState<MatterAction | null>(null);

  const load = useCallback(async () => {
    try {
      const [m, tl] = await Promise.all([
        api<MatterDetail>(`/matters/${id}`),
        api<TimelineEntry[]>(`/matters/${id}/timeline`),
      ]);
      setMatter(m);
      setEntries(tl);
      if (tl.some((e) => e.payload.unitId)) {
        const units = await api<{ items: OrgUnit[] }>('/org/units');
        setUnitNames(new Map(units.items.map((u) => [u.id, u.name])));
      }
    } catch (e) {
      if (e instanceof ApiClientError && e.status === 404) setMissing(true);
      else message.error(errorMessage(e, t));
    }
  }, [id, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  if (missing) return <Result status="404" title="404" subTitle={t('matters.notFound')} />;
  if (!matter) {
    return (
      <div style={{ minHeight: '50vh', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }

  const actions = orderedActions(matter.allowedActions);
  const button = (a: MatterAction, primary: boolean) => (
    <Button
      key={a}
      type={primary ? 'primary' : 'default'}
      danger={ACTION_NEEDS[a].danger}
      onClick={() => setAction(a)}
      data-testid={`matter-action-${a}`}
    >
      {t(`matters.action.${a}`)}
    </Button>
  );
  const headerActions = actions.filter((a) => !EXTENSION_DECISIONS.includes(a));
  const ext = matter.pendingExtension;

  return (
    <PageContainer
      title={
        <Typography.Text ellipsis style={{ maxWidth: 560, fontSize: 20 }} data-testid="matter-title">
          {matter.title}
        </Typography.Text>
      }
      subTitle={<span data-testid="matter-no">{matter.no}</span>}
      tags={
        <Space size={8}>
          <LevelTag level={matter.level} />
          <StateTag state={matter.state} testId="matter-state" />
          {isOpen(matter.state) && <SlaBadge color={matter.slaColor} testId="matter-color" />}
        </Space>
      }
      onBack={() => navigate('/matters')}
      extra={headerActions.map((a, i) => button(a, i === 0))}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('matters.info')} data-testid="matter-info">
              <Typography.Paragraph
                style={{ whiteSpace: 'pre-wrap', fontSize: 15 }}
                data-testid="matter-content"
              >
                {matter.content}
              </Typography.Paragraph>
              <Divider style={{ margin: '0 0 16px' }} />
              <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small">
                <Descriptions.Item label={t('matters.field.assignee')}>
                  {matter.assignee.name}
                </Descriptions.Item>
                <Descriptions.Item label={t('matters.field.assigner')}>
                  {matter.assigner?.name ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('matters.field.level')}>
                  {t(`matters.level.${matter.level}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('matters.field.source')}>
                  {matter.source || '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('matters.field.createdBy')}>
                  {matter.createdBy?.name ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('matters.field.createdAt')}>
                  {formatTime(matter.createdAt).slice(0, 16)}
                </Descriptions.Item>
                {matter.acknowledgedAt && (
                  <Descriptions.Item label={t('matters.field.acknowledgedAt')}>
                    {formatTime(matter.acknowledgedAt).slice(0, 16)}
                  </Descriptions.Item>
                )}
                {matter.firstFeedbackAt && (
                  <Descriptions.Item label={t('matters.field.firstFeedbackAt')}>
                    {formatTime(matter.firstFeedbackAt).slice(0, 16)}
                  </Descriptions.Item>
                )}
                {matter.resolvedAt && (
                  <Descriptions.Item label={t('matters.field.resolvedAt')}>
                    {formatTime(matter.resolvedAt).slice(0, 16)}
                  </Descriptions.Item>
                )}
                {matter.closedAt && (
                  <Descriptions.Item label={t('matters.field.closedAt')}>
                    {formatTime(matter.closedAt).slice(0, 16)}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
            <Card title={t('matters.history')} data-testid="matter-history">
              <MatterTimeline entries={entries} state={matter.state} unitNames={unitNames} />
            </Card>
            <Card title={t('matters.files', { count: matter.attachments.length })}>
              <EvidenceList files={matter.attachments} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            {ext && (
              <Card
                title={t('matters.extension.title')}
                data-testid="matter-extension"
                styles={{ header: { background: '#fffbe6' } }}
              >
                <Space direction="vertical" size={4} style={{ width: '100%' }}>
                  <Typography.Text strong>
                    {t('matters.extension.asks', {
                      due: formatDue(ext.requestedDueAt),
                      old: formatDue(ext.oldDueAt),
                    })}
                  </Typography.Text>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                    {ext.reason}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[ext.requestedBy, formatTime(ext.requestedAt).slice(0, 16)].filter(Boolean).join(' · ')}
                  </Typography.Text>
                  {actions.some((a) => EXTENSION_DECISIONS.includes(a)) && (
                    <Space wrap style={{ marginTop: 8 }}>
                      {actions
                        .filter((a) => EXTENSION_DECISIONS.includes(a))
                        .map((a) => button(a, a === 'approve_extension'))}
                    </Space>
                  )}
                </Space>
              </Card>
            )}
            <Card
              title={t('matters.deadlines')}
              extra={<Tag>{t('matters.rule13710')}</Tag>}
              data-testid="matter-deadlines"
            >
              <List<MatterDeadline>
                size="small"
                split
                dataSource={matter.deadlines}
                locale={{ emptyText: t('matters.noDeadlines') }}
                renderItem={(d) => <DeadlineItem d={d} />}
              />
            </Card>
          </Space>
        </Col>
      </Row>
      <ActionModal
        matter={matter}
        action={action}
        onClose={() => setAction(null)}
        onDone={(m) => {
          setAction(null);
          if (m) setMatter(m);
          void load();
        }}
      />
    </PageContainer>
  );
}
