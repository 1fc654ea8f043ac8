import { ArrowRightOutlined, EyeInvisibleOutlined, EyeOutlined, LoadingOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Divider,
  Empty,
  Image,
  List,
  Rate,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { OrgUnit } from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { contentUrl, thumbUrl } from '../../../shared/files.ts';
import { formatDue, formatTime } from '../../../shared/format.ts';
import { useSession } from '../../../shared/session.tsx';
import { TimelineFiles } from '../../components/TimelineFiles.tsx';
import { CaseActionModal } from './CaseActionModal.tsx';
import { CaseStateTag, ReturnedTag, SlaDot } from './CaseTags.tsx';
import {
  ACTION_NEEDS,
  CASE_STATES,
  type CaseAction,
  type CaseDeadline,
  type CaseDetail,
  type CasePhoto,
  type CaseRating,
  type CaseState,
  type CaseTimelineEntry,
  caseCategoryName,
  isOpen,
  loadCase,
  orderedActions,
  SLA_HEX,
} from './model.ts';
import { ReasonModal, type ReasonRequest } from './ReasonModal.tsx';

const PHOTO = 104;

/** A photo: its thumbnail (opens the original), a placeholder while it is analysed, hide/unhide for moderators. */
function PhotoTile({
  photo,
  moderate,
  onHide,
  onUnhide,
}: {
  photo: CasePhoto;
  moderate: boolean;
  onHide: () => void;
  onUnhide: () => void;
}) {
  const { t } = useTranslation();
  const pending = photo.analysis === 'pending' || !photo.hasThumb;
  return (
    <div style={{ width: PHOTO }} data-testid={`case-photo-${photo.id}`} data-hidden={!!photo.hidden}>
      {pending ? (
        <div
          data-testid="case-photo-pending"
          style={{
            width: PHOTO,
            height: PHOTO,
            display: 'grid',
            placeItems: 'center',
            background: '#f5f5f5',
            borderRadius: 6,
            color: '#8c8c8c',
            fontSize: 12,
            textAlign: 'center',
          }}
        >
          <span>
            <LoadingOutlined style={{ fontSize: 20 }} />
            <br />
            {t(photo.analysis === 'failed' ? 'caseConsole.photoFailed' : 'caseConsole.photoPending')}
          </span>
        </div>
      ) : (
        <Image
          src={thumbUrl(photo.id)}
          preview={{ src: contentUrl(photo.id) }}
          width={PHOTO}
          height={PHOTO}
          alt={photo.name}
          style={{ objectFit: 'cover', borderRadius: 6, opacity: photo.hidden ? 0.4 : 1 }}
          data-testid="case-photo-thumb"
        />
      )}
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', minHeight: 22 }}>
        {photo.hidden ? (
          <Tag bordered={false} style={{ marginInlineEnd: 0, fontSize: 12 }}>
            {t('caseConsole.hiddenTag')}
          </Tag>
        ) : (
          <span />
        )}
        {moderate && (
          <Typography.Link
            style={{ fontSize: 12 }}
            onClick={photo.hidden ? onUnhide : onHide}
            data-testid={`case-photo-${photo.hidden ? 'unhide' : 'hide'}-${photo.id}`}
          >
            {photo.hidden ? <EyeOutlined /> : <EyeInvisibleOutlined />}{' '}
            {t(photo.hidden ? 'caseConsole.unhide' : 'caseConsole.hide')}
          </Typography.Link>
        )}
      </div>
    </div>
  );
}

const DOT: Record<string, string> = {
  answer: 'green',
  approve_answer: 'green',
  rate: 'green',
  reject: 'red',
  return: 'red',
  return_answer: 'red',
  reject_extension: 'red',
  urge: 'orange',
  request_extension: 'orange',
  escalate: 'orange',
  merge: 'gray',
};

function isState(s: string | null): s is CaseState {
  return !!s && (CASE_STATES as readonly string[]).includes(s);
}

function CaseTimeline({
  entries,
  state,
  unitNames,
}: {
  entries: CaseTimelineEntry[];
  state: CaseState;
  /** Names of the units dispatch/reassign named (the history keeps their ids). */
  unitNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  if (!entries.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="case-timeline"
      pending={isOpen(state) || state === 'rating' ? t(`caseConsole.waiting.${state}`) : undefined}
      pendingDot={<LoadingOutlined style={{ color: '#8c8c8c' }} />}
      items={entries.map((e) => {
        const unitName =
          typeof e.payload.unitId === 'string' ? (unitNames.get(e.payload.unitId) ?? null) : null;
        const score = typeof e.payload.score === 'number' ? e.payload.score : null;
        const dueAt = typeof e.payload.dueAt === 'string' ? e.payload.dueAt : null;
        return {
          key: e.seq,
          color: DOT[e.action] ?? '#1677ff',
          children: (
            <div data-testid={`timeline-${e.seq}`} data-action={e.action}>
              <Space size={8} wrap>
                <Typography.Text strong>
                  {t(`caseActions.${e.action}`, { defaultValue: e.action })}
                </Typography.Text>
                {e.from !== e.to && isState(e.to) && (
                  <Space size={4}>
                    {isState(e.from) && <CaseStateTag state={e.from} />}
                    {isState(e.from) && <ArrowRightOutlined style={{ color: '#bfbfbf', fontSize: 12 }} />}
                    <CaseStateTag state={e.to} />
                  </Space>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(e.at).slice(0, 16)}
                </Typography.Text>
              </Space>
              <div>
                <Typography.Text type="secondary">
                  {[e.actorName, e.actorUnitName].filter(Boolean).join(' · ')}
                </Typography.Text>
              </div>
              {unitName && <div>{t('caseConsole.toUnit', { unit: unitName })}</div>}
              {dueAt && <div>{t('caseConsole.extensionTo', { due: formatDue(dueAt) })}</div>}
              {score !== null && <Rate disabled value={score} style={{ fontSize: 14 }} />}
              {e.note && (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
                  {e.note}
                </Typography.Paragraph>
              )}
              <TimelineFiles files={e.attachments} size={64} />
            </div>
          ),
        };
      })}
    />
  );
}

function DeadlineItem({ d }: { d: CaseDeadline }) {
  const { t } = useTranslation();
  const status =
    d.status === 'open' ? (
      <Tag color={d.late ? 'error' : d.color === 'yellow' ? 'warning' : 'success'} data-color={d.color}>
        <span style={{ color: SLA_HEX[d.color ?? 'green'] }}>●</span>{' '}
        {t(`caseConsole.color.${d.late ? 'red' : (d.color ?? 'green')}`)}
      </Tag>
    ) : d.status === 'met' ? (
      <Tag color={d.late ? 'orange' : 'success'}>{t(d.late ? 'caseConsole.metLate' : 'caseConsole.met')}</Tag>
    ) : (
      <Tag>{t('caseConsole.cancelled')}</Tag>
    );
  return (
    <List.Item data-testid={`case-deadline-${d.kind}`} data-status={d.status}>
      <div style={{ width: '100%', opacity: d.status === 'cancelled' ? 0.55 : 1 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
          <Typography.Text strong>{t(`caseConsole.deadline.${d.kind}`)}</Typography.Text>
          {status}
        </div>
        <Typography.Text type={d.status === 'open' && d.late ? 'danger' : 'secondary'}>
          {t('caseConsole.dueBy', { due: formatDue(d.dueAt) })}
          {d.unitName ? ` · ${d.unitName}` : ''}
        </Typography.Text>
        {d.metAt && (
          <div>
            <Typography.Text type="secondary">
              {t('caseConsole.metAt', { time: formatTime(d.metAt).slice(0, 16) })}
            </Typography.Text>
          </div>
        )}
      </div>
    </List.Item>
  );
}

function RatingItem({ r }: { r: CaseRating }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid={`case-rating-${r.round}`}>
      <div style={{ width: '100%' }}>
        <Space size={8} wrap>
          <Rate disabled value={r.score} style={{ fontSize: 14 }} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('caseConsole.round', { round: r.round })} · {formatTime(r.createdAt).slice(0, 16)}
          </Typography.Text>
        </Space>
        {r.unitName && (
          <div>
            <Typography.Text type="secondary">{r.unitName}</Typography.Text>
          </div>
        )}
        {r.comment && <Typography.Paragraph style={{ margin: 0 }}>{r.comment}</Typography.Paragraph>}
      </div>
    </List.Item>
  );
}

/** The contact: the name (or 匿名) and the masked phone; pii:read may show it in full (audited). */
function Contact({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [full, setFull] = useState<string | null>(null);
  const reveal = async () => {
    try {
      const r = await api<{ contactPhone: string | null }>(`/cases/${c.id}/contact`);
      setFull(r.contactPhone);
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };
  const name = c.contactName || c.reporterName || (c.anonymous ? t('caseConsole.anonymous') : null);
  return (
    <Space size={8} wrap data-testid="case-contact">
      <span>{name ?? '—'}</span>
      {c.contactPhone && (
        <span style={{ fontFamily: 'monospace' }} data-testid="case-contact-phone">
          {full ?? c.contactPhone}
        </span>
      )}
      {c.contactPhone && can('pii:read') && !full && (
        <Typography.Link onClick={() => void reveal()} data-testid="case-contact-reveal">
          {t('caseConsole.showFull')}
        </Typography.Link>
      )}
    </Space>
  );
}

/** One case: what was reported, where, by whom (masked), its photos, deadlines, ratings, history and actions. */
export function CaseDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [action, setAction] = useState<CaseAction | null>(null);
  const [reason, setReason] = useState<ReasonRequest | null>(null);
  const [unitNames, setUnitNames] = useState(new Map<string, string>());

  const load = useCallback(async () => {
    try {
      const detail = await loadCase(id);
      setC(detail);
      if (detail.timeline.some((e) => typeof e.payload.unitId === 'string')) {
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

  // a photo still being analysed gets its thumbnail shortly: look again
  const analysing = !!c && [...c.photos, ...c.afterPhotos].some((p) => p.analysis === 'pending');
  useEffect(() => {
    if (!analysing) return;
    const timer = setTimeout(() => void load(), 3000);
    return () => clearTimeout(timer);
  }, [analysing, load]);

  const post = async (path: string) => {
    try {
      await api(path, { method: 'POST', body: {} });
      message.success(t('common.saved'));
      void load();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  if (missing) return <Result status="404" title="404" subTitle={t('caseConsole.notFound')} />;
  if (!c) {
    return (
      <div style={{ minHeight: '50vh', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }

  const moderate = can('case:moderate');
  const actions = orderedActions(c.allowedActions);
  const buttons: ReactNode[] = actions.map((a, i) => (
    <Button
      key={a}
      type={i === 0 ? 'primary' : 'default'}
      danger={ACTION_NEEDS[a].danger}
      onClick={() => setAction(a)}
      data-testid={`case-action-${a}`}
    >
      {t(`caseActions.${a}`)}
    </Button>
  ));
  const moderation: ReactNode = moderate ? (
    c.hidden ? (
      <Button
        key="unhide"
        icon={<EyeOutlined />}
        onClick={() => void post(`/cases/${c.id}/unhide`)}
        data-testid="case-unhide"
      >
        {t('caseConsole.unhideCase')}
      </Button>
    ) : (
      <Button
        key="hide"
        icon={<EyeInvisibleOutlined />}
        onClick={() =>
          setReason({
            title: t('caseConsole.hideCase'),
            path: `/cases/${c.id}/hide`,
            field: 'reason',
            required: true,
            danger: true,
          })
        }
        data-testid="case-hide"
      >
        {t('caseConsole.hideCase')}
      </Button>
    )
  ) : null;

  const validity = (valid: boolean) =>
    setReason({
      title: t(valid ? 'caseConsole.markValid' : 'caseConsole.markInvalid'),
      path: `/cases/${c.id}/validity`,
      field: 'note',
      required: !valid,
      extra: { valid },
      danger: !valid,
    });

  const info: { label: string; value: ReactNode; show?: boolean }[] = [
    { label: t('caseConsole.field.category'), value: caseCategoryName(c) },
    { label: t('caseConsole.field.kind'), value: t(`caseConsole.kind.${c.kind}`) },
    { label: t('caseConsole.field.channel'), value: t(`caseConsole.channel.${c.channel}`) },
    {
      label: t('caseConsole.field.level'),
      value: t(`caseConsole.level.${c.level}`),
      show: c.kind === 'talk',
    },
    { label: t('caseConsole.field.slaClass'), value: t(`caseConsole.slaClass.${c.slaClass}`) },
    { label: t('caseConsole.field.area'), value: c.areaName ?? '—' },
    { label: t('caseConsole.field.address'), value: c.address || '—' },
    {
      label: t('caseConsole.field.coords'),
      value: c.lat !== null && c.lng !== null ? `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}` : '—',
      show: c.lat !== null,
    },
    { label: t('caseConsole.field.contact'), value: <Contact c={c} /> },
    {
      label: t('caseConsole.field.unit'),
      value: <span data-testid="case-unit">{c.unitName ?? t('caseConsole.office')}</span>,
    },
    {
      label: t('caseConsole.field.firstUnit'),
      value: c.firstUnitName ?? '—',
      show: !!c.firstUnitName && c.firstUnitName !== c.unitName,
    },
    { label: t('caseConsole.field.createdAt'), value: formatTime(c.createdAt).slice(0, 16) },
    {
      label: t('caseConsole.field.duplicateOf'),
      value: c.duplicateOf ? (
        <Typography.Link onClick={() => navigate(`/cases/${c.duplicateOf?.id}`)}>
          {c.duplicateOf.no}
        </Typography.Link>
      ) : null,
      show: !!c.duplicateOf,
    },
  ];

  return (
    <PageContainer
      title={
        <Typography.Text ellipsis style={{ maxWidth: 600, fontSize: 20 }} data-testid="case-title">
          {c.title}
        </Typography.Text>
      }
      subTitle={
        <span data-testid="case-no" style={{ whiteSpace: 'nowrap' }}>
          {c.no}
        </span>
      }
      tags={
        <Space size={8} style={{ whiteSpace: 'nowrap' }}>
          <CaseStateTag state={c.state} testId="case-state" />
          <SlaDot color={c.slaColor} state={c.state} dueAt={c.dueAt} testId="case-sla" />
          {c.state === 'pending' && c.returnedByUnitName && (
            <ReturnedTag unitName={c.returnedByUnitName} testId="case-returned" />
          )}
          {c.hidden && <Tag data-testid="case-hidden">{t('caseConsole.hiddenTag')}</Tag>}
        </Space>
      }
      onBack={() => navigate(-1)}
    >
      {(buttons.length > 0 || moderation) && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="case-actions">
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16, alignItems: 'center' }}>
            <Space wrap>
              {buttons.length > 0 ? (
                buttons
              ) : (
                <Typography.Text type="secondary">{t('caseConsole.noActions')}</Typography.Text>
              )}
            </Space>
            {moderation}
          </div>
        </Card>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('caseConsole.info')} data-testid="case-info">
              <Typography.Paragraph
                style={{ whiteSpace: 'pre-wrap', fontSize: 15 }}
                data-testid="case-description"
              >
                {c.description}
              </Typography.Paragraph>
              {c.photos.length > 0 && (
                <Image.PreviewGroup>
                  <Space size={12} wrap style={{ marginBottom: 16 }} data-testid="case-photos">
                    {c.photos.map((p) => (
                      <PhotoTile
                        key={p.id}
                        photo={p}
                        moderate={moderate}
                        onHide={() =>
                          setReason({
                            title: t('caseConsole.hidePhoto'),
                            path: `/cases/${c.id}/photos/${p.id}/hide`,
                            field: 'reason',
                            required: true,
                            danger: true,
                          })
                        }
                        onUnhide={() => void post(`/cases/${c.id}/photos/${p.id}/unhide`)}
                      />
                    ))}
                  </Space>
                </Image.PreviewGroup>
              )}
              {c.hidden && c.hiddenReason && (
                <Typography.Paragraph type="warning">
                  {t('caseConsole.hiddenBecause', { reason: c.hiddenReason })}
                </Typography.Paragraph>
              )}
              <Divider style={{ margin: '0 0 16px' }} />
              <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small">
                {info
                  .filter((i) => i.show !== false)
                  .map((i) => (
                    <Descriptions.Item key={i.label} label={i.label}>
                      {i.value}
                    </Descriptions.Item>
                  ))}
              </Descriptions>
            </Card>
            {(c.answer || c.afterPhotos.length > 0) && (
              <Card title={t('caseConsole.answer')} data-testid="case-answer">
                {c.answer && (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.answer}</Typography.Paragraph>
                )}
                {c.afterPhotos.length > 0 && (
                  <Image.PreviewGroup>
                    <Space size={12} wrap data-testid="case-after-photos">
                      {c.afterPhotos.map((p) => (
                        <PhotoTile
                          key={p.id}
                          photo={p}
                          moderate={false}
                          onHide={() => undefined}
                          onUnhide={() => undefined}
                        />
                      ))}
                    </Space>
                  </Image.PreviewGroup>
                )}
              </Card>
            )}
            <Card title={t('caseConsole.history')} data-testid="case-history">
              <CaseTimeline entries={c.timeline} state={c.state} unitNames={unitNames} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            {c.pendingExtension && (
              <Card
                title={t('caseConsole.extension')}
                data-testid="case-extension"
                styles={{ header: { background: '#fffbe6' } }}
              >
                <Typography.Text strong>
                  {t('caseConsole.extensionAsks', {
                    due: formatDue(c.pendingExtension.requestedDueAt),
                    old: formatDue(c.pendingExtension.oldDueAt),
                  })}
                </Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>
                  {c.pendingExtension.reason}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[c.pendingExtension.requestedBy, formatTime(c.pendingExtension.requestedAt).slice(0, 16)]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </Card>
            )}
            <Card title={t('caseConsole.deadlines')} data-testid="case-deadlines">
              <List<CaseDeadline>
                size="small"
                dataSource={c.deadlines}
                locale={{ emptyText: t('caseConsole.noDeadlines') }}
                renderItem={(d) => <DeadlineItem d={d} />}
              />
            </Card>
            <Card title={t('caseConsole.ratings')} data-testid="case-ratings">
              <List<CaseRating>
                size="small"
                dataSource={c.ratings}
                locale={{ emptyText: t('caseConsole.noRatings') }}
                renderItem={(r) => <RatingItem r={r} />}
              />
            </Card>
            {can('case:dispatch') && (
              <Card title={t('caseConsole.validity')} data-testid="case-validity">
                <Space direction="vertical" size={12} style={{ width: '100%' }}>
                  <Typography.Text type="secondary" data-testid="case-validity-value">
                    {t(
                      c.valid === null
                        ? 'caseConsole.validUnset'
                        : c.valid
                          ? 'caseConsole.validYes'
                          : 'caseConsole.validNo',
                    )}
                  </Typography.Text>
                  <Space wrap>
                    <Button
                      onClick={() => validity(true)}
                      disabled={c.valid === true}
                      data-testid="case-valid"
                    >
                      {t('caseConsole.markValid')}
                    </Button>
                    <Button
                      danger
                      onClick={() => validity(false)}
                      disabled={c.valid === false}
                      data-testid="case-invalid"
                    >
                      {t('caseConsole.markInvalid')}
                    </Button>
                  </Space>
                </Space>
              </Card>
            )}
          </Space>
        </Col>
      </Row>
      <CaseActionModal
        record={c}
        action={action}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          void load();
        }}
      />
      <ReasonModal
        request={reason}
        onClose={() => setReason(null)}
        onDone={() => {
          setReason(null);
          void load();
        }}
      />
    </PageContainer>
  );
}
