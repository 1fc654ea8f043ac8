import { CloseCircleFilled } from '@ant-design/icons';
import {
  Button,
  Checkbox,
  DotLoading,
  ErrorBlock,
  Image,
  ImageViewer,
  Input,
  List,
  NavBar,
  NoticeBar,
  Steps,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { type CSSProperties, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { TaskTarget } from '../../../../../../packages/contracts/src/index.ts';
import {
  actOnReport,
  COLOR_HEX,
  createReport,
  getReport,
  isPercent,
  type MyTask,
  myTasks,
  type ReportDetail,
  updateReport,
} from '../../../admin/pages/ledger/model.ts';
import { ApiClientError } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { contentUrl, type FileMeta, thumbUrl } from '../../../shared/files.ts';
import { formatTime } from '../../../shared/format.ts';
import { EvidencePicker } from '../../components/EvidencePicker.tsx';
import { H5_REPORT_COLOR } from './LedgerPage.tsx';

const fieldError: CSSProperties = { color: 'var(--adm-color-danger)', fontSize: 13, marginTop: 4 };

/** A task the report may count toward: an open instance of the unit, or one the report already names. */
interface Choice {
  id: string;
  title: string;
  cycle: string;
  dueOn: string;
  color: MyTask['color'];
  targets: TaskTarget[];
}

function Photos({ files, onRemove }: { files: FileMeta[]; onRemove?: (id: string) => void }) {
  const images = files.filter((f) => f.hasThumb);
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
      {images.map((f, i) => (
        <div key={f.id} style={{ position: 'relative' }}>
          <Image
            src={thumbUrl(f.id)}
            width={80}
            height={80}
            fit="cover"
            style={{ borderRadius: 6 }}
            onClick={() =>
              ImageViewer.Multi.show({ images: images.map((x) => contentUrl(x.id)), defaultIndex: i })
            }
            data-testid={`h5-report-photo-${f.id}`}
          />
          {onRemove && (
            <CloseCircleFilled
              onClick={() => onRemove(f.id)}
              style={{
                position: 'absolute',
                top: -6,
                right: -6,
                fontSize: 20,
                color: '#999',
                background: '#fff',
                borderRadius: 10,
              }}
              data-testid={`h5-report-photo-remove-${f.id}`}
            />
          )}
        </div>
      ))}
      {files
        .filter((f) => !f.hasThumb)
        .map((f) => (
          <a key={f.id} href={contentUrl(f.id)} target="_blank" rel="noreferrer">
            {f.name}
          </a>
        ))}
    </div>
  );
}

/** A submitted or accepted report: what was said, and what happened to it. */
function ReadOnly({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="h5-panel" data-testid="h5-report-view">
        <Tag color={H5_REPORT_COLOR[report.state]} data-testid="h5-report-state">
          {t(`ledger.state.${report.state}`)}
        </Tag>
        <div style={{ marginTop: 8, whiteSpace: 'pre-wrap', fontSize: 16, lineHeight: 1.7 }}>
          {report.summary}
        </div>
        {report.items.map((it) => (
          <div key={it.instanceId} style={{ marginTop: 10 }}>
            <div style={{ fontWeight: 600 }}>{it.task.title}</div>
            {it.task.targets.map((tg, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a task's targets are a fixed list, matched to amounts by position
              <div key={i} className="h5-muted">
                {tg.label}：{it.amounts[i] ?? 0} / {tg.quantity}
                {tg.measure}
              </div>
            ))}
          </div>
        ))}
        <div style={{ marginTop: 12 }}>
          <Photos files={report.evidence} />
        </div>
      </div>
      <List header={t('ledger.timeline')}>
        <div style={{ padding: '8px 12px 4px' }}>
          <Steps direction="vertical" current={report.timeline.length - 1}>
            {report.timeline.map((e) => (
              <Steps.Step
                key={e.seq}
                status="finish"
                title={t(`ledger.action.${e.action}`)}
                description={
                  <div>
                    <div>{[e.actorName, formatTime(e.at).slice(5, 16)].filter(Boolean).join(' · ')}</div>
                    {e.note && <div style={{ color: '#333' }}>{e.note}</div>}
                  </div>
                }
              />
            ))}
          </Steps>
        </div>
      </List>
    </>
  );
}

/** 填报: pick one or more tasks, say what was done, the numbers per target, photos; save or submit. */
export function H5ReportFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params] = useSearchParams();
  const firstInstance = params.get('instance');
  const [report, setReport] = useState<ReportDetail | null>(null);
  const [tasks, setTasks] = useState<MyTask[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [amounts, setAmounts] = useState<Record<string, string[]>>({});
  const [kept, setKept] = useState<FileMeta[]>([]);
  const [added, setAdded] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<'save' | 'submit' | null>(null);

  const load = useCallback(async () => {
    try {
      const r = id ? await getReport(id) : null;
      const all = (await myTasks(r?.campaign.id)).items;
      setTasks(all);
      setReport(r);
      if (r) {
        setSummary(r.summary);
        setChosen(r.items.map((i) => i.instanceId));
        setAmounts(Object.fromEntries(r.items.map((i) => [i.instanceId, i.amounts.map(String)])));
        setKept(r.evidence);
      } else if (firstInstance) {
        setChosen([firstInstance]);
      }
    } catch (e) {
      setError(e instanceof ApiClientError && e.status === 404 ? t('ledger.notFound') : errorMessage(e, t));
    }
  }, [id, firstInstance, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const campaignId = report?.campaign.id ?? tasks?.find((x) => x.id === firstInstance)?.campaign.id;
  const choices: Choice[] = useMemo(() => {
    const out = new Map<string, Choice>();
    for (const it of report?.items ?? [])
      out.set(it.instanceId, {
        id: it.instanceId,
        title: it.task.title,
        cycle: it.cycle,
        dueOn: it.dueOn,
        color: it.color,
        targets: it.task.targets,
      });
    for (const x of tasks ?? [])
      if (x.campaign.id === campaignId)
        out.set(x.id, {
          id: x.id,
          title: x.task.title,
          cycle: x.cycle,
          dueOn: x.dueOn,
          color: x.color,
          targets: x.task.targets,
        });
    return [...out.values()];
  }, [report, tasks, campaignId]);

  const back = () => navigate(report ? '/ledger?tab=reports' : '/ledger');
  if (error) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.ledger.fill')}</NavBar>
        <ErrorBlock status="default" title={error} description="" />
      </div>
    );
  }
  if (!tasks || (id && !report)) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.ledger.fill')}</NavBar>
        <div style={{ padding: 40, textAlign: 'center', color: 'var(--adm-color-primary)' }}>
          <DotLoading color="currentColor" />
        </div>
      </div>
    );
  }
  if (report && !report.editable) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.ledger.view')}</NavBar>
        <ReadOnly report={report} />
      </div>
    );
  }
  if (!campaignId) {
    return (
      <div className="h5-page">
        <NavBar onBack={back}>{t('h5.ledger.fill')}</NavBar>
        <ErrorBlock status="empty" title={t('h5.ledger.pickFromTasks')} description="" />
      </div>
    );
  }

  const clear = (key: string) => setErrors(({ [key]: _, ...rest }) => rest);

  const save = async (submit: boolean) => {
    const local: Record<string, string> = {};
    if (!summary.trim()) local.summary = t('h5.ledger.summaryRequired');
    if (!chosen.length) local.items = t('h5.ledger.taskRequired');
    setErrors(local);
    if (Object.keys(local).length) return;
    const items = chosen.map((instanceId) => {
      const c = choices.find((x) => x.id === instanceId);
      const raw = amounts[instanceId] ?? [];
      return { instanceId, amounts: (c?.targets ?? []).map((_, i) => Number(raw[i] || 0)) };
    });
    const fileIds = [...kept.map((f) => f.id), ...added];
    setSaving(submit ? 'submit' : 'save');
    try {
      // A new report is created and submitted in one request; an edited one is saved, then submitted.
      let id: string;
      if (report) {
        const r = await updateReport(report.id, { version: report.version, summary, items, fileIds });
        setReport(r);
        if (submit) await actOnReport(r.id, { action: 'submit', version: r.version });
        id = r.id;
      } else id = (await createReport({ campaignId, summary, items, fileIds, submit })).id;
      Toast.show({ icon: 'success', content: t(submit ? 'h5.ledger.submitted' : 'h5.ledger.saved') });
      navigate(submit ? '/ledger?tab=reports' : `/ledger/reports/${id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiClientError && e.fields.length) {
        setErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
        Toast.show({ icon: 'fail', content: e.message });
      } else Toast.show({ icon: 'fail', content: errorMessage(e, t) });
    } finally {
      setSaving(null);
    }
  };

  const itemError = (k: number) =>
    Object.entries(errors)
      .filter(([f]) => f.startsWith(`items.${k}.`) || f === `items.${k}`)
      .map(([, m]) => m)
      .join(' ');

  return (
    <div className="h5-page" style={{ paddingBottom: 90 }}>
      <NavBar onBack={back}>{t('h5.ledger.fill')}</NavBar>
      {report?.state === 'returned' && report.returnReason && (
        <NoticeBar
          color="alert"
          wrap
          content={t('h5.ledger.returnedBecause', { reason: report.returnReason })}
          data-testid="h5-report-return-reason"
        />
      )}
      <List header={t('h5.ledger.pickTasks')} data-testid="h5-report-tasks">
        <Checkbox.Group
          value={chosen}
          onChange={(v) => {
            setChosen(v as string[]);
            clear('items');
          }}
        >
          {choices.map((c) => {
            const k = chosen.indexOf(c.id);
            return (
              <List.Item key={c.id} data-testid={`h5-report-task-${c.id}`}>
                <Checkbox value={c.id} data-testid={`h5-report-pick-${c.id}`}>
                  <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
                    <span
                      style={{
                        width: 8,
                        height: 8,
                        borderRadius: 4,
                        background: COLOR_HEX[c.color],
                        flex: 'none',
                      }}
                    />
                    <span>
                      {c.title}
                      <span className="h5-muted">
                        {c.cycle !== 'once' ? ` · ${c.cycle}` : ''} · {t('h5.ledger.due', { due: c.dueOn })}
                      </span>
                    </span>
                  </span>
                </Checkbox>
                {k >= 0 && c.targets.length > 0 && (
                  <div style={{ marginTop: 8, paddingLeft: 28 }}>
                    {c.targets.map((tg, i) => (
                      <div
                        // biome-ignore lint/suspicious/noArrayIndexKey: a task's targets are a fixed list, matched to amounts by position
                        key={i}
                        style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 6 }}
                      >
                        <span style={{ flex: 1, fontSize: 14 }}>
                          {tg.label}
                          <span className="h5-muted">
                            （{t('h5.ledger.target', { quantity: tg.quantity, measure: tg.measure })}）
                          </span>
                        </span>
                        <Input
                          type="number"
                          inputMode={isPercent(tg) ? 'decimal' : 'numeric'}
                          min={0}
                          max={isPercent(tg) ? 100 : undefined}
                          value={amounts[c.id]?.[i] ?? ''}
                          placeholder="0"
                          onChange={(v) => {
                            setAmounts((old) => {
                              const next = [...(old[c.id] ?? c.targets.map(() => ''))];
                              next[i] = v;
                              return { ...old, [c.id]: next };
                            });
                            clear(`items.${k}.amounts.${i}`);
                            clear(`items.${k}.amounts`);
                          }}
                          style={
                            {
                              width: 80,
                              '--text-align': 'right',
                              background: '#f5f5f5',
                              padding: '4px 8px',
                              borderRadius: 4,
                            } as CSSProperties
                          }
                          data-testid={`h5-report-amount-${c.id}-${i}`}
                        />
                        <span style={{ width: 24 }}>{tg.measure}</span>
                      </div>
                    ))}
                  </div>
                )}
                {k >= 0 && itemError(k) && <div style={fieldError}>{itemError(k)}</div>}
              </List.Item>
            );
          })}
        </Checkbox.Group>
        {errors.items && <div style={{ ...fieldError, padding: '0 12px 8px' }}>{errors.items}</div>}
      </List>
      <div className="h5-panel" style={{ marginTop: 12 }}>
        <div style={{ fontSize: 15, marginBottom: 6 }}>
          {t('h5.ledger.summary')}
          <span style={{ color: 'var(--adm-color-danger)' }}> *</span>
        </div>
        <div style={{ background: '#f5f5f5', borderRadius: 8, padding: '8px 12px' }}>
          <TextArea
            value={summary}
            onChange={(v) => {
              setSummary(v);
              clear('summary');
            }}
            placeholder={t('h5.ledger.summaryPlaceholder')}
            autoSize={{ minRows: 4, maxRows: 10 }}
            maxLength={5000}
            showCount
            data-testid="h5-report-summary"
          />
        </div>
        {errors.summary && <div style={fieldError}>{errors.summary}</div>}
        <div style={{ fontSize: 15, margin: '16px 0 6px' }}>{t('h5.ledger.photos')}</div>
        {kept.length > 0 && (
          <div style={{ marginBottom: 8 }}>
            <Photos files={kept} onRemove={(fid) => setKept((old) => old.filter((f) => f.id !== fid))} />
          </div>
        )}
        <EvidencePicker onChange={setAdded} />
        {errors.fileIds && <div style={fieldError}>{errors.fileIds}</div>}
      </div>
      <div className="h5-action-bar" style={{ display: 'grid', gridTemplateColumns: '1fr 2fr', gap: 8 }}>
        <Button
          block
          size="large"
          loading={saving === 'save'}
          disabled={saving !== null}
          onClick={() => void save(false)}
          data-testid="h5-report-save"
        >
          {t('h5.ledger.saveDraft')}
        </Button>
        <Button
          block
          size="large"
          color="primary"
          loading={saving === 'submit'}
          disabled={saving !== null}
          onClick={() => void save(true)}
          data-testid="h5-report-submit"
        >
          {t(report?.state === 'returned' ? 'h5.ledger.resubmit' : 'h5.ledger.submit')}
        </Button>
      </div>
    </div>
  );
}
