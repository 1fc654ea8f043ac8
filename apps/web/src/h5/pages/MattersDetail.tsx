import {
  Button,
  DatePicker,
  DotLoading,
  ErrorBlock,
  Image,
  ImageViewer,
  List,
  NavBar,
  NoticeBar,
  Popup,
  Steps,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import dayjs from 'dayjs';
import { type CSSProperties, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import {
  ACTION_NEEDS,
  type ActionFormProps,
  isConflict,
  isOpen,
  type MatterAction,
  type MatterDeadline,
  type MatterDetail,
  orderedActions,
  resolutionDue,
  SLA_HEX,
  type TimelineEntry,
  transitionBody,
  transitionFieldErrors,
  transitionMatter,
  UNIT_ACTIONS,
} from '../../admin/pages/matters/model.ts';
import { ApiClientError, api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { contentUrl, type FileMeta, thumbUrl } from '../../shared/files.ts';
import { endOfShanghaiDay, formatDue, formatTime } from '../../shared/format.ts';
import { EvidencePicker } from '../components/EvidencePicker.tsx';
import { ColorDot, H5_STATE_COLOR } from './Matters.tsx';

const fieldError: CSSProperties = { color: 'var(--adm-color-danger)', fontSize: 13, marginTop: 4 };

/** The first day an extension may ask for: its end must fall after the current due instant. */
function firstExtensionDay(due: string): string {
  const day = formatTime(new Date(Date.parse(due) - 1).toISOString()).slice(0, 10);
  return Date.parse(endOfShanghaiDay(day)) > Date.parse(due)
    ? day
    : dayjs(day).add(1, 'day').format('YYYY-MM-DD');
}

function Photos({ files }: { files: FileMeta[] }) {
  const images = files.filter((f) => f.hasThumb);
  const others = files.filter((f) => !f.hasThumb);
  return (
    <>
      {images.length > 0 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginTop: 6 }}>
          {images.map((f, i) => (
            <Image
              key={f.id}
              src={thumbUrl(f.id)}
              width={64}
              height={64}
              fit="cover"
              style={{ borderRadius: 4 }}
              alt={f.name}
              data-testid="h5-matter-thumb"
              onClick={(e) => {
                e.stopPropagation();
                ImageViewer.Multi.show({ images: images.map((x) => contentUrl(x.id)), defaultIndex: i });
              }}
            />
          ))}
        </div>
      )}
      {others.map((f) => (
        <div key={f.id} style={{ marginTop: 4 }}>
          <a href={contentUrl(f.id)} target="_blank" rel="noreferrer">
            {f.name}
          </a>
        </div>
      ))}
    </>
  );
}

function DeadlineRow({ d }: { d: MatterDeadline }) {
  const { t } = useTranslation();
  const status =
    d.status === 'open'
      ? t(`matters.color.${d.color ?? 'green'}`)
      : d.status === 'met'
        ? t(d.late ? 'matters.metLate' : 'matters.met')
        : t('matters.deadlineCancelled');
  return (
    <List.Item
      data-testid={`h5-deadline-${d.kind}`}
      prefix={
        <span
          style={{
            display: 'inline-block',
            width: 8,
            height: 8,
            borderRadius: 4,
            background: d.status === 'open' ? SLA_HEX[d.color ?? 'green'] : '#d9d9d9',
          }}
        />
      }
      description={
        d.originalDueAt !== d.dueAt
          ? t('matters.originalDue', { due: formatDue(d.originalDueAt) })
          : undefined
      }
      extra={<span style={{ fontSize: 13 }}>{status}</span>}
      style={{ opacity: d.status === 'cancelled' ? 0.55 : 1 }}
    >
      <span style={{ fontSize: 15 }}>{t(`matters.deadline.${d.kind}`)}</span>
      <span className="h5-muted" style={{ marginLeft: 8 }}>
        {formatDue(d.dueAt)}
      </span>
    </List.Item>
  );
}

/** The bottom sheet of one action: a note, photos, or the new day, as the action needs. */
function ActionSheet({ matter, action, onClose, onDone }: ActionFormProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const [day, setDay] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const needs = action ? ACTION_NEEDS[action] : null;
  const due = resolutionDue(matter);

  useEffect(() => {
    if (!action) return;
    setNote('');
    setFiles([]);
    setDay(null);
    setErrors({});
  }, [action]);

  const submit = async () => {
    if (!action || !needs) return;
    const local: Record<string, string> = {};
    if (needs.note === 'required' && !note.trim()) local.note = t('matters.form.noteRequired');
    if (needs.attachments === 'required' && !files.length)
      local.attachments = t('matters.form.photoRequired');
    if (needs.dueDate && !day) local.dueAt = t('matters.form.dueRequired');
    setErrors(local);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      const m = await transitionMatter(
        matter.id,
        transitionBody(matter, action, { note, attachments: files, dueDay: day }),
      );
      Toast.show({ icon: 'success', content: t('matters.done', { action: t(`matters.action.${action}`) }) });
      onDone(m);
    } catch (e) {
      const fields = transitionFieldErrors(e);
      if (fields.length) {
        setErrors(Object.fromEntries(fields.map((f) => [f.name, f.errors.join(' ')])));
      } else {
        Toast.show({ icon: 'fail', content: errorMessage(e, t) });
        if (isConflict(e)) onDone(null);
      }
    } finally {
      setSaving(false);
    }
  };

  const min = due ? firstExtensionDay(due) : dayjs().format('YYYY-MM-DD');
  return (
    <Popup
      visible={!!action}
      onMaskClick={onClose}
      onClose={onClose}
      destroyOnClose
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '88vh', overflowY: 'auto' }}
    >
      {action && needs && (
        <div style={{ padding: 16 }} data-testid="h5-action-sheet">
          <div style={{ fontSize: 17, fontWeight: 600, marginBottom: 4 }}>
            {t(`matters.action.${action}`)}
          </div>
          <div className="h5-muted" style={{ marginBottom: 12 }}>
            {t(`matters.hint.${action}`)}
          </div>
          {needs.dueDate && (
            <div style={{ marginBottom: 12 }}>
              <div style={{ fontSize: 14, marginBottom: 6 }}>{t('matters.field.newDue')}</div>
              <Button block onClick={() => setPicking(true)} data-testid="h5-action-due">
                {day ? `${day} 24:00` : t('h5.matters.pickDay')}
              </Button>
              {due && (
                <div className="h5-muted" style={{ marginTop: 4 }}>
                  {t('matters.extension.current', { due: formatDue(due) })}
                </div>
              )}
              {errors.dueAt && <div style={fieldError}>{errors.dueAt}</div>}
              <DatePicker
                visible={picking}
                onClose={() => setPicking(false)}
                precision="day"
                min={dayjs(min).toDate()}
                max={dayjs().add(365, 'day').toDate()}
                title={t('matters.field.newDue')}
                confirmText={<span data-testid="h5-due-ok">{t('common.done')}</span>}
                cancelText={t('common.cancel')}
                onConfirm={(d) => {
                  setDay(dayjs(d).format('YYYY-MM-DD'));
                  setErrors(({ dueAt: _, ...rest }) => rest);
                }}
              />
            </div>
          )}
          <div style={{ fontSize: 14, marginBottom: 6 }}>
            {t(`matters.note.${action}`)}
            {needs.note === 'required' && <span style={{ color: 'var(--adm-color-danger)' }}> *</span>}
          </div>
          <div style={{ background: '#f5f5f5', borderRadius: 8, padding: '8px 12px' }}>
            <TextArea
              value={note}
              onChange={(v) => {
                setNote(v);
                setErrors(({ note: _, ...rest }) => rest);
              }}
              rows={3}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              showCount
              data-testid="h5-action-note"
            />
          </div>
          {errors.note && <div style={fieldError}>{errors.note}</div>}
          {needs.attachments && (
            <div style={{ marginTop: 12 }}>
              <div style={{ fontSize: 14, marginBottom: 6 }}>
                {t(needs.attachments === 'required' ? 'h5.matters.photosRequired' : 'h5.matters.photos')}
                {needs.attachments === 'required' && (
                  <span style={{ color: 'var(--adm-color-danger)' }}> *</span>
                )}
              </div>
              <EvidencePicker
                onChange={(ids) => {
                  setFiles(ids);
                  setErrors(({ attachments: _, ...rest }) => rest);
                }}
              />
              {errors.attachments && <div style={fieldError}>{errors.attachments}</div>}
            </div>
          )}
          <Button
            block
            color={needs.danger ? 'danger' : 'primary'}
            size="large"
            loading={saving}
            style={{ marginTop: 16 }}
            onClick={() => void submit()}
            data-testid="h5-action-submit"
          >
            {t(`matters.action.${action}`)}
          </Button>
        </div>
      )}
    </Popup>
  );
}

/** One matter on the phone: what to do and by when, the unit's actions (签收, 反馈, 办结, 延期, 退回) and the history. */
export function H5MatterDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [matter, setMatter] = useState<MatterDetail | null>(null);
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<MatterAction | null>(null);

  const load = useCallback(async () => {
    try {
      const [m, tl] = await Promise.all([
        api<MatterDetail>(`/matters/${id}`),
        api<TimelineEntry[]>(`/matters/${id}/timeline`),
      ]);
      setMatter(m);
      setEntries(tl);
    } catch (e) {
      setError(e instanceof ApiClientError && e.status === 404 ? t('matters.notFound') : errorMessage(e, t));
    }
  }, [id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = () => navigate('/matters');
  if (error || !matter) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.matters.title')}</NavBar>
        {error ? (
          <ErrorBlock status="default" title={error} description="" />
        ) : (
          <div style={{ padding: 40, textAlign: 'center', color: 'var(--adm-color-primary)' }}>
            <DotLoading color="currentColor" />
          </div>
        )}
      </div>
    );
  }

  const allowed = orderedActions(matter.allowedActions);
  const mine = allowed.filter((a) => UNIT_ACTIONS.includes(a));
  const [main, ...rest] = mine;
  const ext = matter.pendingExtension;
  const open = isOpen(matter.state);

  return (
    <div className="h5-page" style={{ paddingBottom: mine.length ? (rest.length ? 124 : 80) : 16 }}>
      <NavBar onBack={back}>{t('h5.matters.detail')}</NavBar>
      <div className="h5-panel" data-testid="h5-matter-detail">
        <div style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }}>
          <Tag color={H5_STATE_COLOR[matter.state]} data-testid="h5-matter-state">
            {t(`matters.state.${matter.state}`)}
          </Tag>
          {open && (
            <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontSize: 13 }}>
              <ColorDot color={matter.slaColor} state={matter.state} />
              {t(`matters.color.${matter.slaColor}`)}
            </span>
          )}
          {matter.level === 'major' && (
            <Tag color="danger" fill="outline">
              {t('matters.level.major')}
            </Tag>
          )}
        </div>
        <h2 style={{ margin: '0 0 6px', fontSize: 19, lineHeight: 1.4 }}>{matter.title}</h2>
        <div className="h5-muted">
          {matter.no} · {matter.assigner?.name ?? ''} {matter.createdBy?.name ?? ''} ·{' '}
          {formatTime(matter.createdAt).slice(0, 16)}
        </div>
        {matter.dueAt && open && (
          <div
            style={{ marginTop: 8, fontSize: 15, color: matter.slaColor === 'red' ? SLA_HEX.red : '#333' }}
            data-testid="h5-matter-due"
          >
            {t('matters.resolveBy', { due: formatDue(matter.dueAt) })}
          </div>
        )}
        <div
          style={{ marginTop: 12, whiteSpace: 'pre-wrap', fontSize: 16, lineHeight: 1.75, color: '#333' }}
          data-testid="h5-matter-content"
        >
          {matter.content}
        </div>
        {matter.source && (
          <div className="h5-muted" style={{ marginTop: 8 }}>
            {t('matters.sourceLine', { source: matter.source })}
          </div>
        )}
      </div>

      {ext && (
        <NoticeBar
          color="alert"
          wrap
          content={t('matters.extension.pending', { due: formatDue(ext.requestedDueAt) })}
          style={{ marginBottom: 12 }}
          data-testid="h5-matter-extension"
        />
      )}

      <List header={t('matters.deadlines')} style={{ marginBottom: 12 }}>
        {matter.deadlines.map((d) => (
          <DeadlineRow key={`${d.kind}-${d.startsAt}`} d={d} />
        ))}
      </List>

      <List header={t('matters.history')}>
        <div style={{ padding: '8px 12px 4px' }}>
          <Steps direction="vertical" current={entries.length - 1} data-testid="h5-matter-history">
            {entries.map((e) => (
              <Steps.Step
                key={e.seq}
                status="finish"
                title={
                  <span>
                    {t(`matters.action.${e.action}`)}
                    {e.from !== e.to && (
                      <span className="h5-muted" style={{ marginLeft: 6 }}>
                        → {t(`matters.state.${e.to}`)}
                      </span>
                    )}
                  </span>
                }
                description={
                  <div data-testid={`h5-history-${e.seq}`} data-action={e.action}>
                    <div>
                      {[e.actorName, e.actorUnitName, formatTime(e.at).slice(5, 16)]
                        .filter(Boolean)
                        .join(' · ')}
                    </div>
                    {e.payload.dueAt && (
                      <div>{t('matters.extension.to', { due: formatDue(e.payload.dueAt) })}</div>
                    )}
                    {e.note && (
                      <div style={{ color: '#333', whiteSpace: 'pre-wrap', marginTop: 2 }}>{e.note}</div>
                    )}
                    <Photos files={e.attachments} />
                  </div>
                }
              />
            ))}
          </Steps>
        </div>
      </List>
      {allowed.length > mine.length && (
        <p className="h5-muted h5-center" style={{ margin: '12px 16px' }}>
          {t('h5.matters.moreOnConsole')}
        </p>
      )}

      {main && (
        <div className="h5-action-bar">
          <Button
            block
            color="primary"
            size="large"
            onClick={() => setAction(main)}
            data-testid={`h5-action-${main}`}
          >
            {t(`matters.action.${main}`)}
          </Button>
          {rest.length > 0 && (
            <div
              style={{
                display: 'grid',
                gridTemplateColumns: `repeat(${rest.length}, minmax(0, 1fr))`,
                gap: 8,
              }}
            >
              {rest.map((a) => (
                <Button
                  key={a}
                  color={ACTION_NEEDS[a].danger ? 'danger' : 'default'}
                  fill="outline"
                  onClick={() => setAction(a)}
                  data-testid={`h5-action-${a}`}
                  style={{ paddingLeft: 4, paddingRight: 4 }}
                >
                  {t(`h5.matters.short.${a}`)}
                </Button>
              ))}
            </div>
          )}
        </div>
      )}

      <ActionSheet
        matter={matter}
        action={action}
        onClose={() => setAction(null)}
        onDone={(m) => {
          setAction(null);
          if (m) setMatter(m);
          void load();
        }}
      />
    </div>
  );
}
