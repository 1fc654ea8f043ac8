/**
 * Campaign supervision by the office: reminders (催办), supervision notices (督办单, DB-YYYY-NNNN),
 * interviews (约谈) and circulars (通报, TB-YYYY-NNNN, a generated .docx); the list and detail every
 * campaign reader sees within their data scope (circulars are for all of them).
 */
import type { Kysely } from 'kysely';
import {
  type Color,
  type ColorReason,
  colorReasonText,
  type SupervisionKind,
} from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { int, json } from '../../../db/normalize.ts';
import type { DB, SupervisionRecordTable } from '../../../db/schema.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import { parseLocalDate } from '../../../platform/calendar/calendar.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { buildDocx, DOCX_MIME } from '../../../platform/docx/docx.ts';
import { blobStore, registerRecordAccess } from '../../../platform/files/service.ts';
import { AppError, invalidField, notFound } from '../../../platform/http/errors.ts';
import type { Lang } from '../../../platform/http/messages.ts';
import { kickDelivery, notify } from '../../../platform/notify/service.ts';
import { maskPhone, normalizePhone } from '../../../platform/pii/mask.ts';
import { type AuthUser, type Scope, scopeOf } from '../../../platform/rbac/types.ts';
import { type Tx, writeTx } from '../../../platform/tx.ts';
import {
  formatNumber,
  nextCircularSeq,
  reserveSupervisionNumbers,
} from '../../../platform/workflow/numbers.ts';
import { type ReasonReader, reasonReader } from '../colors/reason.ts';
import type { AutoDetails } from './auto.ts';
import { type CircularInstance, chineseDate, circularDocument, summarize } from './circular.ts';
import type { RecordRow } from './repo.ts';
import * as repo from './repo.ts';
import { NOTIFY_RECORD, REPORT_ROLES, shanghaiDate, type TaskLine, taskList } from './text.ts';
import './templates.ts';

export const RECORD_TYPE = 'supervision_record';

export interface Caller {
  actor: Actor;
  scope: Scope;
  lang: Lang;
}

// ---- the record as the API shows it --------------------------------------------------------------

export interface Interviewee {
  name: string;
  post: string;
  /** Masked (138****8000); the number itself is stored encrypted. */
  phone: string | null;
}

export interface SupervisionItem {
  id: string;
  campaignId: string;
  kind: SupervisionKind;
  number: string | null;
  unit: { id: string; name: string } | null;
  instance: { id: string; title: string; cycle: string; color: string } | null;
  body: string;
  automatic: boolean;
  /** Automatic records: the colour that triggered it and its reason sentence in the caller's language. */
  color: Color | null;
  reason: string | null;
  suggestInterview: boolean;
  /** Orders: the deadline to put things right (local date). */
  deadline: string | null;
  /** Tasks a manual record names (reminders by unit, orders, interviews). */
  instanceIds: string[];
  interview: {
    interviewee: Interviewee;
    at: string;
    place: string;
    attendees: string[];
    topics: string;
    commitments: string;
  } | null;
  circular: {
    title: string;
    asOf: string;
    units: number;
    counts: Record<Color, number>;
  } | null;
  fileId: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

/** What manual records keep in `details` (automatic ones: AutoDetails). */
interface ManualDetails {
  instanceIds?: string[];
  deadline?: string;
  interviewee?: { name: string; post: string; phoneEnc: string | null };
  at?: string;
  place?: string;
  attendees?: string[];
  topics?: string;
  commitments?: string;
  title?: string;
  asOf?: string;
  units?: number;
  counts?: Record<Color, number>;
}
type Details = Partial<AutoDetails> & ManualDetails;

function toItem(r: RecordRow, lang: Lang, phone: string | null): SupervisionItem {
  const d = json<Details>(r.details) ?? {};
  const automatic = r.created_by === null && d.automatic === true;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    kind: r.kind as SupervisionKind,
    number: r.number,
    unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
    instance: r.instance_id
      ? { id: r.instance_id, title: r.task_title ?? '', cycle: r.cycle ?? '', color: r.instance_color ?? '' }
      : null,
    body: r.body,
    automatic,
    color: automatic ? (d.color ?? null) : null,
    reason: automatic && d.color && d.reason ? colorReasonText(d.color, d.reason, lang) : null,
    suggestInterview: d.suggestInterview === true,
    deadline: d.deadline ?? null,
    instanceIds: d.instanceIds ?? (r.instance_id ? [r.instance_id] : []),
    interview:
      r.kind === 'interview' && d.interviewee
        ? {
            interviewee: {
              name: d.interviewee.name,
              post: d.interviewee.post,
              phone,
            },
            at: d.at ?? '',
            place: d.place ?? '',
            attendees: d.attendees ?? [],
            topics: d.topics ?? '',
            commitments: d.commitments ?? '',
          }
        : null,
    circular:
      r.kind === 'circular'
        ? {
            title: d.title ?? '',
            asOf: d.asOf ?? '',
            units: d.units ?? 0,
            counts: d.counts ?? { red: 0, orange: 0, yellow: 0, blue: 0, green: 0 },
          }
        : null,
    fileId: r.file_id,
    createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
    createdAt: r.created_at,
  };
}

/** Items as the API shows them: an interviewee's phone is decrypted only to be masked. */
function present(ctx: AppContext, rows: RecordRow[], lang: Lang): SupervisionItem[] {
  return rows.map((r) => {
    const enc = json<Details>(r.details)?.interviewee?.phoneEnc;
    return toItem(r, lang, enc ? maskPhone(ctx.pii.decrypt(enc)) : null);
  });
}

async function campaignOf(db: Kysely<DB>, id: string) {
  const c = await repo.findCampaign(db, id);
  if (!c) throw notFound();
  return c;
}

export async function listRecords(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  f: { kind?: SupervisionKind; unitId?: string; page?: number; pageSize?: number },
): Promise<{ items: SupervisionItem[]; total: number }> {
  await campaignOf(ctx.database.db, campaignId);
  const { rows, total } = await repo.listRows(ctx.database.db, caller.scope, campaignId, f);
  return { items: present(ctx, rows, caller.lang), total };
}

export async function getRecord(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  recordId: string,
): Promise<SupervisionItem> {
  const row = await repo.findRow(ctx.database.db, caller.scope, campaignId, recordId);
  if (!row) throw notFound();
  return present(ctx, [row], caller.lang)[0];
}

// ---- validation of what a manual record names ------------------------------------------------------

interface InstanceFacts {
  id: string;
  unitId: string;
  title: string;
  cycle: string;
  color: Color;
  reason: ColorReason;
}

/** A stored colour reason as of today; an instance not coloured yet reads as in progress. */
function reasonOf(text: string, read: ReasonReader): ColorReason {
  return read(text) ?? { code: 'in_progress', params: { due: '', progress: 0, expected: 0 } };
}

/** The tasks, each of which must be of the campaign and of a unit in the caller's scope. */
async function instancesOf(
  tx: Tx,
  scope: Scope,
  campaignId: string,
  ids: string[],
  field: string,
  read: ReasonReader,
): Promise<InstanceFacts[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await repo.instanceRows(tx.db, scope, unique);
  const found = new Map(rows.filter((r) => r.campaign_id === campaignId).map((r) => [r.id, r]));
  const missing = unique.findIndex((id) => !found.has(id));
  if (missing >= 0)
    throw invalidField(`${field}.${ids.indexOf(unique[missing])}`, 'supervision.unknownInstance');
  return unique.map((id) => {
    const r = found.get(id);
    if (!r) throw notFound();
    return {
      id: r.id,
      unitId: r.unit_id,
      title: r.title,
      cycle: r.cycle,
      color: r.color as Color,
      reason: reasonOf(r.color_reason, read),
    };
  });
}

/** The units, each of which must be in the caller's scope and have a task in the campaign. */
async function unitsOf(
  tx: Tx,
  scope: Scope,
  campaignId: string,
  ids: string[],
  field: string,
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const rows = await repo.unitsWithTasks(tx.db, scope, campaignId, unique);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const missing = unique.find((id) => !names.has(id));
  if (missing !== undefined) {
    const single = field === 'unitId';
    throw invalidField(single ? field : `${field}.${ids.indexOf(missing)}`, 'supervision.unitNotInCampaign');
  }
  return names;
}

function requireActive(c: { status: string }): void {
  if (c.status !== 'active') throw new AppError(409, 'SUPERVISION_CAMPAIGN_NOT_ACTIVE');
}

function nonBlank(field: string, value: string): string {
  const v = value.trim();
  if (!v) throw invalidField(field, 'supervision.blank');
  return v;
}

function lineOf(i: InstanceFacts): TaskLine {
  return { title: i.title, cycle: i.cycle, color: i.color, reason: i.reason };
}

function newRow(
  campaignId: string,
  actor: Actor,
  now: string,
  r: Pick<SupervisionRecordTable, 'kind' | 'unit_id' | 'instance_id' | 'body'> & {
    number?: string | null;
    details: Details;
  },
): SupervisionRecordTable {
  return {
    id: uuidv7(),
    campaign_id: campaignId,
    instance_id: r.instance_id,
    unit_id: r.unit_id,
    kind: r.kind,
    number: r.number ?? null,
    body: r.body,
    details: JSON.stringify(r.details),
    file_id: null,
    created_by: actor.id,
    created_at: now,
  };
}

// ---- 催办 -------------------------------------------------------------------------------------------

export interface ReminderInput {
  instanceIds?: string[];
  unitIds?: string[];
  note: string;
}

/**
 * Reminds now: one record per named task, or per named unit (listing its yellow/orange/red tasks);
 * the unit's reporting users get one message per unit.
 */
export async function createReminders(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  input: ReminderInput,
): Promise<SupervisionItem[]> {
  const byInstance = (input.instanceIds?.length ?? 0) > 0;
  const byUnit = (input.unitIds?.length ?? 0) > 0;
  if (byInstance === byUnit) throw invalidField('instanceIds', 'supervision.targetRequired');
  const note = nonBlank('note', input.note);
  const read = await reasonReader(ctx);
  const ids = await writeTx(ctx, caller.actor, async (tx) => {
    const campaign = await campaignOf(tx.db, campaignId);
    requireActive(campaign);
    const now = tx.clock.now().toISOString();
    const rows: SupervisionRecordTable[] = [];
    const perUnit = new Map<string, TaskLine[]>();
    if (byInstance) {
      for (const i of await instancesOf(
        tx,
        caller.scope,
        campaignId,
        input.instanceIds ?? [],
        'instanceIds',
        read,
      )) {
        rows.push(
          newRow(campaignId, caller.actor, now, {
            kind: 'reminder',
            unit_id: i.unitId,
            instance_id: i.id,
            body: note,
            details: {},
          }),
        );
        perUnit.set(i.unitId, [...(perUnit.get(i.unitId) ?? []), lineOf(i)]);
      }
    } else {
      const units = await unitsOf(tx, caller.scope, campaignId, input.unitIds ?? [], 'unitIds');
      const lagging = await repo.laggingInstances(tx.db, campaignId, [...units.keys()]);
      for (const unitId of units.keys()) {
        const mine = lagging.filter((l) => l.unit_id === unitId);
        rows.push(
          newRow(campaignId, caller.actor, now, {
            kind: 'reminder',
            unit_id: unitId,
            instance_id: null,
            body: note,
            details: { instanceIds: mine.map((m) => m.id) },
          }),
        );
        perUnit.set(
          unitId,
          mine.map((m) => ({
            title: m.title,
            cycle: m.cycle,
            color: m.color as Color,
            reason: reasonOf(m.color_reason, read),
          })),
        );
      }
    }
    await repo.insertRecords(tx.db, rows);
    for (const [unitId, tasks] of perUnit)
      await notify(tx, {
        units: { unitIds: [unitId], roles: REPORT_ROLES },
        kind: 'supervision.reminder',
        params: {
          campaign: campaign.name,
          count: tasks.length,
          tasks: taskList(tasks, 'zh-CN') || '—',
          tasksEn: taskList(tasks, 'en-US') || '—',
          note: `。催办意见：${note}`,
          noteEn: `. Note: ${note}`,
        },
        record: { type: NOTIFY_RECORD, id: campaignId },
        excludeUserId: caller.actor.id ?? undefined,
      });
    await tx.audit({
      action: 'supervision.remind',
      entity: RECORD_TYPE,
      entityId: rows.length === 1 ? rows[0].id : null,
      after: { campaignId, records: rows.map((r) => r.id), units: [...perUnit.keys()], note },
    });
    return rows.map((r) => r.id);
  });
  kickDelivery(ctx);
  return present(ctx, await repo.rowsByIds(ctx.database.db, ids), caller.lang);
}

// ---- 督办单 ------------------------------------------------------------------------------------------

export interface OrderInput {
  unitId: string;
  instanceIds?: string[];
  deadline: string;
  body: string;
}

export async function createOrder(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  input: OrderInput,
): Promise<SupervisionItem> {
  const body = nonBlank('body', input.body);
  if (!parseLocalDate(input.deadline)) throw invalidField('deadline', 'field.format', { format: 'date' });
  const cal = await getCalendar(ctx);
  const today = cal.localDate(ctx.clock.now());
  if (input.deadline < today) throw invalidField('deadline', 'supervision.dateInPast');
  const read = await reasonReader(ctx);
  const id = await writeTx(ctx, caller.actor, async (tx) => {
    const campaign = await campaignOf(tx.db, campaignId);
    requireActive(campaign);
    await unitsOf(tx, caller.scope, campaignId, [input.unitId], 'unitId');
    const instances = await instancesOf(
      tx,
      caller.scope,
      campaignId,
      input.instanceIds ?? [],
      'instanceIds',
      read,
    );
    const other = instances.findIndex((i) => i.unitId !== input.unitId);
    if (other >= 0) throw invalidField(`instanceIds.${other}`, 'supervision.instanceOtherUnit');
    const year = Number(today.slice(0, 4));
    const number = formatNumber('DB', year, await reserveSupervisionNumbers(tx, year, 1));
    const row = newRow(campaignId, caller.actor, tx.clock.now().toISOString(), {
      kind: 'order',
      unit_id: input.unitId,
      instance_id: instances.length === 1 ? instances[0].id : null,
      number,
      body,
      details: { instanceIds: instances.map((i) => i.id), deadline: input.deadline },
    });
    await repo.insertRecords(tx.db, [row]);
    const tasks = instances.map(lineOf);
    await notify(tx, {
      units: { unitIds: [input.unitId], roles: REPORT_ROLES },
      kind: 'supervision.order',
      params: {
        campaign: campaign.name,
        number,
        count: tasks.length,
        tasks: taskList(tasks, 'zh-CN') || '—',
        tasksEn: taskList(tasks, 'en-US') || '—',
        note: `。督办要求：${body}。请于${chineseDate(input.deadline)}前整改到位并反馈。`,
        noteEn: `. Required: ${body}. Put it right and report back by ${input.deadline}.`,
      },
      record: { type: NOTIFY_RECORD, id: campaignId },
      excludeUserId: caller.actor.id ?? undefined,
    });
    await tx.audit({
      action: 'supervision.order',
      entity: RECORD_TYPE,
      entityId: row.id,
      after: {
        campaignId,
        number,
        unitId: input.unitId,
        instanceIds: instances.map((i) => i.id),
        deadline: input.deadline,
      },
    });
    return row.id;
  });
  kickDelivery(ctx);
  return present(ctx, await repo.rowsByIds(ctx.database.db, [id]), caller.lang)[0];
}

// ---- 约谈 -------------------------------------------------------------------------------------------

export interface InterviewInput {
  unitId: string;
  instanceIds?: string[];
  interviewee: { name: string; post: string; phone?: string | null };
  at: string;
  place: string;
  attendees: string[];
  topics: string;
  commitments: string;
}

export async function createInterview(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  input: InterviewInput,
): Promise<SupervisionItem> {
  const name = nonBlank('interviewee.name', input.interviewee.name);
  const post = nonBlank('interviewee.post', input.interviewee.post);
  const place = nonBlank('place', input.place);
  const topics = nonBlank('topics', input.topics);
  const commitments = input.commitments.trim();
  const attendees = input.attendees.map((a) => a.trim()).filter(Boolean);
  let phoneEnc: string | null = null;
  const rawPhone = input.interviewee.phone?.trim();
  if (rawPhone) {
    const phone = normalizePhone(rawPhone);
    if (!phone) throw invalidField('interviewee.phone', 'INVALID_PHONE');
    phoneEnc = ctx.pii.encrypt(phone);
  }
  const at = new Date(input.at);
  if (Number.isNaN(at.getTime())) throw invalidField('at', 'field.format', { format: 'date-time' });
  if (at.getTime() > ctx.clock.now().getTime() + 365 * 86_400_000) throw invalidField('at', 'field.invalid');
  const read = await reasonReader(ctx);
  const id = await writeTx(ctx, caller.actor, async (tx) => {
    const campaign = await campaignOf(tx.db, campaignId);
    requireActive(campaign);
    await unitsOf(tx, caller.scope, campaignId, [input.unitId], 'unitId');
    const instances = await instancesOf(
      tx,
      caller.scope,
      campaignId,
      input.instanceIds ?? [],
      'instanceIds',
      read,
    );
    const other = instances.findIndex((i) => i.unitId !== input.unitId);
    if (other >= 0) throw invalidField(`instanceIds.${other}`, 'supervision.instanceOtherUnit');
    const row = newRow(campaignId, caller.actor, tx.clock.now().toISOString(), {
      kind: 'interview',
      unit_id: input.unitId,
      instance_id: instances.length === 1 ? instances[0].id : null,
      body: topics,
      details: {
        instanceIds: instances.map((i) => i.id),
        interviewee: { name, post, phoneEnc },
        at: at.toISOString(),
        place,
        attendees,
        topics,
        commitments,
      },
    });
    await repo.insertRecords(tx.db, [row]);
    const when = `${shanghaiDate(at)} ${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;
    await notify(tx, {
      units: { unitIds: [input.unitId], roles: REPORT_ROLES },
      kind: 'supervision.interview',
      params: { campaign: campaign.name, when, place },
      record: { type: NOTIFY_RECORD, id: campaignId },
      excludeUserId: caller.actor.id ?? undefined,
    });
    await tx.audit({
      action: 'supervision.interview',
      entity: RECORD_TYPE,
      entityId: row.id,
      // the phone stays out of the audit log: only whether one was given
      after: {
        campaignId,
        unitId: input.unitId,
        interviewee: { name, post, phone: phoneEnc !== null },
        at: at.toISOString(),
        place,
        attendees,
      },
    });
    return row.id;
  });
  kickDelivery(ctx);
  return present(ctx, await repo.rowsByIds(ctx.database.db, [id]), caller.lang)[0];
}

// ---- 通报 -------------------------------------------------------------------------------------------

/**
 * The instances and their colours at the end of `asOf`: today's as read now, a past day's from the colour
 * history (each reason as shown the day it was recorded).
 */
async function colorsAsOf(
  db: Kysely<DB>,
  campaignId: string,
  asOf: string,
  today: string,
  read: ReasonReader,
): Promise<CircularInstance[]> {
  const rows = await repo.campaignInstances(db, campaignId);
  const current = new Map(rows.map((r) => [r.id, { color: r.color as Color, reason: read(r.color_reason) }]));
  let colors = current;
  if (asOf < today) {
    // The end of asOf in Shanghai; the last history row before it is the colour of that day.
    const end = new Date(Date.parse(`${asOf}T00:00:00+08:00`) + 86_400_000).toISOString();
    const history = await repo.colorHistoryBefore(db, campaignId, end);
    colors = new Map();
    for (const h of history)
      colors.set(h.instance_id, { color: h.color as Color, reason: json<ColorReason>(h.reason) });
  }
  const out: CircularInstance[] = [];
  for (const r of rows) {
    const c = colors.get(r.id);
    if (!c?.reason) continue;
    out.push({
      unitId: r.unit_id,
      unitName: r.name,
      unitSort: int(r.sort),
      title: r.title,
      cycle: r.cycle,
      color: c.color,
      reason: c.reason,
    });
  }
  return out;
}

class NumberTaken extends Error {}

/**
 * Generates the circular as .docx and records it. The document carries its number, so it is written
 * before the transaction (no file I/O inside one) with the number expected then; if another circular
 * took that number meanwhile, the document is made again with the next one.
 */
export async function createCircular(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  input: { title?: string; asOf?: string },
): Promise<SupervisionItem> {
  const db = ctx.database.db;
  const campaign = await campaignOf(db, campaignId);
  if (campaign.status === 'draft') throw new AppError(409, 'SUPERVISION_CAMPAIGN_DRAFT');
  const cal = await getCalendar(ctx);
  const today = cal.localDate(ctx.clock.now());
  const asOf = input.asOf ?? today;
  if (!parseLocalDate(asOf)) throw invalidField('asOf', 'field.format', { format: 'date' });
  if (asOf > today) throw invalidField('asOf', 'supervision.dateInFuture');
  const title = input.title?.trim() || `关于“${campaign.name}”工作推进情况的通报`;
  const summary = summarize(await colorsAsOf(db, campaignId, asOf, today, await reasonReader(ctx)));
  const office = await repo.officeName(db);
  const year = Number(today.slice(0, 4));
  const store = blobStore(ctx);

  for (let attempt = 0; ; attempt++) {
    const expected = await writeTx(ctx, caller.actor, (tx) => nextCircularSeq(tx, year));
    const number = formatNumber('TB', year, expected);
    const bytes = await buildDocx(
      circularDocument({ title, number, campaign: campaign.name, asOf, office, issuedOn: today }, summary),
    );
    const sha = await store.put(bytes);
    try {
      const id = await writeTx(ctx, caller.actor, async (tx) => {
        if ((await nextCircularSeq(tx, year)) !== expected) throw new NumberTaken();
        const now = tx.clock.now().toISOString();
        const fileId = uuidv7();
        const name = `${number} ${title}.docx`.replace(/[\\/:*?"<>|]/g, '_');

        const row = newRow(campaignId, caller.actor, now, {
          kind: 'circular',
          unit_id: null,
          instance_id: null,
          number,
          body: title,
          details: { title, asOf, units: summary.units.length, counts: summary.totals },
        });
        row.file_id = fileId;
        await repo.insertRecordFile(
          tx.db,
          {
            id: fileId,
            sha256: sha,
            size: bytes.length,
            mime: DOCX_MIME,
            kind: 'office',
            original_name: name,
            analysis: 'done',
            uploaded_by: caller.actor.id,
            uploaded_at: now,
            width: null,
            height: null,
            taken_at: null,
            gps_lat: null,
            gps_lng: null,
            dhash: null,
            thumb_sha256: null,
            public_sha256: null,
          },
          row.id,
          caller.actor.id,
        );
        await repo.insertRecords(tx.db, [row]);

        await tx.audit({
          action: 'supervision.circular',
          entity: RECORD_TYPE,
          entityId: row.id,
          after: {
            campaignId,
            number,
            title,
            asOf,
            file: { id: fileId, sha256: sha, size: bytes.length },
            counts: summary.totals,
          },
        });
        return row.id;
      });
      return present(ctx, await repo.rowsByIds(db, [id]), caller.lang)[0];
    } catch (e) {
      if (!(e instanceof NumberTaken) || attempt >= 4) throw e;
    }
  }
}

/** The circular's document, if the caller may read the record. */
export async function circularFile(ctx: AppContext, caller: Caller, campaignId: string, recordId: string) {
  const item = await getRecord(ctx, caller, campaignId, recordId);
  if (item.kind !== 'circular' || !item.fileId) throw notFound();
  const file = await repo.fileById(ctx.database.db, item.fileId);
  if (!file) throw notFound();
  return file;
}

// ---- files attached to records -----------------------------------------------------------------------

registerRecordAccess(RECORD_TYPE, {
  async canRead(ctx: AppContext, user: AuthUser, recordId: string) {
    if (!user.permissions.has('campaign:read')) return false;
    return repo.isVisible(ctx.database.db, scopeOf(user), recordId);
  },
});
