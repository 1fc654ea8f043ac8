/** Progress reports (工作台账): create and edit drafts, read, list, act, and the unit's open tasks. */
import type { Kysely } from 'kysely';
import {
  COLOR_SEVERITY,
  type Color,
  type TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { bool, int, json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import type { AuditInput } from '../../../platform/audit/audit.ts';
import { perDatabase, VersionedCache } from '../../../platform/cache/cache.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import {
  type FileMeta,
  filesOf,
  linkFiles,
  registerRecordAccess,
  toFileMeta,
} from '../../../platform/files/service.ts';
import { AppError, invalidField, notFound } from '../../../platform/http/errors.ts';
import { kickDelivery } from '../../../platform/notify/service.ts';
import { scopeKey, scopeOf } from '../../../platform/rbac/types.ts';
import { groupTx, type Tx, writeTx } from '../../../platform/tx.ts';
import { createAndAct, createRecord, timeline, transitionInTx } from '../../../platform/workflow/engine.ts';
import { allowedActions, type Caller } from '../../../platform/workflow/machine.ts';
import { type ReasonReader, reasonReader } from '../colors/reason.ts';
import { instancesAhead, recolorInstances } from '../colors/recolor.ts';
import { type CampaignState, findCampaignState } from '../repo.ts';
import { checkItems, type ItemInput, itemsOf, rememberReport, takeTold } from './effects.ts';
import { inReportUnit, type ReportAction, type ReportRecord, reportMachine } from './machine.ts';
import {
  flagRowsOf,
  itemRowsOf,
  listReportRows,
  openInstanceRows,
  type ReportFilter,
  reportUnitId,
} from './repo.ts';
import { prepareSimilar, prepareSimilarOf } from './similar.ts';

export interface ReportInput {
  campaignId: string;
  summary: string;
  items: ItemInput[];
  fileIds?: string[];
  /** Submit at once, in the same transaction. */
  submit?: boolean;
}

/** What a write returns: the report's id, state and version after the commit (the routes read the rest back). */
export interface ReportRef {
  id: string;
  state: string;
  version: number;
}

export interface ReportEdit {
  version: number;
  summary?: string;
  items?: ItemInput[];
  fileIds?: string[];
}

const EDITABLE = new Set(['draft', 'returned']);

function actorOfCaller(caller: Caller) {
  return { id: caller.user.id, name: caller.user.displayName, ip: caller.ip };
}

function unitOf(caller: Caller): string {
  if (!caller.user.unitId) throw new AppError(403, 'LEDGER_NO_UNIT');
  return caller.user.unitId;
}

/** The caller's unit's path and name (in the session; read when it lacks them). */
async function unitOfRecord(db: Kysely<DB>, caller: Caller): Promise<{ path: string; name: string }> {
  const { unitPath, unitName } = caller.user;
  if (unitPath !== null && unitName !== null) return { path: unitPath, name: unitName };
  return db
    .selectFrom('org_units')
    .select(['path', 'name'])
    .where('id', '=', unitOf(caller))
    .executeTakeFirstOrThrow();
}

/**
 * Campaigns' states by scope (decision 0006): every new report asks for its campaign's, and campaigns
 * rarely change. An answer is served under the request's edge reading of the counters it depends on —
 * `campaigns` (the campaign, its activities and their units), `org` and `auth` (whose units a scope and
 * a creator have).
 */
const campaignStates = perDatabase(
  () => new VersionedCache<Readonly<CampaignState>>(['auth', 'org', 'campaigns'], 10_000),
);

/**
 * The campaign of a new report: visible to the caller, else 404 on the field; active, else 409. Asked
 * before the report's transaction, like any check that reads no row the report writes: a campaign closed
 * while the report is in flight is as closed as one closed just after its commit.
 */
async function activeCampaign(ctx: AppContext, caller: Caller, campaignId: string) {
  const { versions } = caller;
  const key = `${scopeKey(caller.scope)} ${campaignId}`;
  let c = versions ? campaignStates(ctx.database).get(key, versions) : undefined;
  if (!c) {
    c = await findCampaignState(ctx.database.db, caller.scope, campaignId);
    if (c && versions) campaignStates(ctx.database).set(key, versions, Object.freeze(c));
  }
  if (!c)
    throw new AppError(404, 'NOT_FOUND', {}, [{ field: 'campaignId', code: 'LEDGER_CAMPAIGN_UNKNOWN' }]);
  if (c.status !== 'active') throw new AppError(409, 'CAMPAIGN_CLOSED');
  return c;
}

/** Files the caller may link: their own uploads (what is linked already stays linked). */
async function checkNewFiles(db: Kysely<DB>, userId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const mine = await db
    .selectFrom('files')
    .select('id')
    .where('id', 'in', ids)
    .where('uploaded_by', '=', userId)
    .execute();
  if (mine.length !== ids.length) throw invalidField('fileIds', 'field.unknownFile');
}

function itemRows(reportId: string, items: ItemInput[]) {
  return items.map((i) => ({
    report_id: reportId,
    instance_id: i.instanceId,
    amounts: JSON.stringify(i.amounts),
  }));
}

async function insertItems(tx: Tx, reportId: string, items: ItemInput[]): Promise<void> {
  await tx.db.insertInto('ledger_report_items').values(itemRows(reportId, items)).execute();
}

/**
 * Saves a new report of the caller's unit as a draft, or with `submit` creates and submits it in one
 * transaction: the same checks, history rows (create, submit), audit rows, recolouring and notifications
 * as the two requests would make (one round trip for a phone on a weak network). Reports come in bursts
 * (everyone reports before the deadline): they are written by group commit.
 */
export async function createReport(ctx: AppContext, caller: Caller, input: ReportInput): Promise<ReportRef> {
  const unitId = unitOf(caller);
  const id = uuidv7();
  const cal = await getCalendar(ctx);
  const fileIds = [...new Set(input.fileIds ?? [])];
  const campaign = await activeCampaign(ctx, caller, input.campaignId);
  const images = input.submit ? await ownImages(ctx.database.db, caller.user.id, fileIds) : [];
  if (input.submit) await prepareSimilarOf(ctx, caller, images);
  // The unit's reports update its task instances: its writes go one group at a time (platform/tx.ts).
  // Without files the new report, its items and its instances' aggregates may wait for the group's end
  // (Tx.holding): it reads nothing of the kind but its instances, through recolouring's held updates. (A
  // report with files gets rows that point at it at once, its links and similarity flags: it goes in first.)
  const write = async (tx: Tx): Promise<ReportRef> => {
    const instances = await checkItems(tx, { campaign_id: campaign.id, unit_id: unitId }, input.items);
    await checkNewFiles(tx.db, caller.user.id, fileIds);
    const now = ctx.clock.now().toISOString();
    const row = {
      id,
      campaign_id: campaign.id,
      unit_id: unitId,
      author_id: caller.user.id,
      state: reportMachine.initial,
      sla_color: 'green',
      summary: input.summary.trim(),
      similar_flags: 0,
      // Submitted in this transaction: the submit effect then has nothing of its own to write here.
      submitted_at: input.submit ? now : null,
      approved_by: null,
      reviewed_by: null,
      reviewed_at: null,
      return_reason: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    // The record as reportMachine.load would read it: the caller's unit, the campaign just read.
    const unit = await unitOfRecord(tx.db, caller);
    const record: ReportRecord = {
      ...row,
      unit_path: unit.path,
      unit_name: unit.name,
      campaign_name: campaign.name,
      campaign_status: campaign.status,
      requires_unit_approval: bool(campaign.requires_unit_approval),
    };
    const insert = async (state: string, version: number) => {
      // submitted by a head of its unit: approved by them at once (the submit effect writes nothing)
      const inserted = {
        ...row,
        state,
        version,
        approved_by: state === 'unit_approved' ? caller.user.id : null,
      };
      if (tx.holding) {
        tx.insertLater('ledger_reports', [inserted]);
        tx.insertLater('ledger_report_items', itemRows(id, input.items));
        return;
      }
      await tx.db.insertInto('ledger_reports').values(inserted).execute();
      await insertItems(tx, id, input.items);
    };
    const created: AuditInput = {
      action: 'ledger_report.create',
      entity: 'ledger_report',
      entityId: id,
      after: { ...stripped(record), items: input.items, files: fileIds },
    };
    if (!input.submit) {
      await createRecord<ReportRecord>(ctx, tx, cal, reportMachine, caller, id, {
        attachments: fileIds,
        insert: async () => {
          await insert(record.state, record.version);
          return record;
        },
      });
      await tx.audit(created);
      return { id, state: record.state, version: record.version };
    }
    rememberReport(record, { items: input.items, instances });
    await tx.audit(created);
    const step = await createAndAct(
      ctx,
      tx,
      cal,
      reportMachine,
      caller,
      record,
      { action: 'submit', version: 1 },
      {
        attachments: fileIds,
        insert,
      },
    );
    return { id, state: step.to, version: record.version + 1 };
  };
  const holds = fileIds.length === 0;
  const ref = await groupTx(ctx, actorOfCaller(caller), unitId, write, {
    holds,
    ahead: holds ? instancesAhead(input.items.map((i) => i.instanceId)) : undefined,
  });
  if (takeTold(ctx, caller)) kickDelivery(ctx);
  return ref;
}

/** The image files among `ids` that the user uploaded (the others are refused in the transaction). */
async function ownImages(db: Kysely<DB>, userId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('files')
    .select('id')
    .where('id', 'in', ids)
    .where('uploaded_by', '=', userId)
    .where('kind', '=', 'image')
    .execute();
  return rows.map((r) => r.id);
}

function stripped(r: ReportRecord) {
  return {
    campaign_id: r.campaign_id,
    unit_id: r.unit_id,
    state: r.state,
    summary: r.summary,
    version: r.version,
  };
}

/** Edits a draft or a returned report (its unit's reporters only); a stale version is refused. */
export async function updateReport(ctx: AppContext, caller: Caller, id: string, input: ReportEdit) {
  const cal = await getCalendar(ctx);
  await writeTx(ctx, actorOfCaller(caller), async (tx) => {
    const r = await visibleReport(tx.db, caller, id);
    if (!caller.user.permissions.has('ledger:report') || !inReportUnit(caller.user, r))
      throw new AppError(403, 'LEDGER_NOT_YOUR_REPORT');
    if (!EDITABLE.has(r.state))
      throw new AppError(409, 'LEDGER_NOT_EDITABLE', {
        state: reportMachine.labels.states[r.state] ?? r.state,
      });
    if (r.campaign_status !== 'active') throw new AppError(409, 'CAMPAIGN_CLOSED');
    if (input.version !== r.version) throw new AppError(409, 'STALE_VERSION', { current: r.version });
    const before = { ...stripped(r), items: await itemsOf(tx.db, id) };
    if (input.items) await checkItems(tx, r, input.items);
    const linked = (await filesOf(tx.db, 'ledger_report', id)).map((f) => f.id);
    const fileIds = input.fileIds ? [...new Set(input.fileIds)] : linked;
    const added = fileIds.filter((f) => !linked.includes(f));
    const removed = linked.filter((f) => !fileIds.includes(f));
    await checkNewFiles(tx.db, caller.user.id, added);

    const now = ctx.clock.now().toISOString();
    const res = await tx.db
      .updateTable('ledger_reports')
      .set({
        ...(input.summary !== undefined ? { summary: input.summary.trim() } : {}),
        version: r.version + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', r.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new AppError(409, 'STALE_VERSION', { current: r.version + 1 });
    if (input.items) {
      await tx.db.deleteFrom('ledger_report_items').where('report_id', '=', id).execute();
      await insertItems(tx, id, input.items);
    }
    if (removed.length) {
      await tx.db
        .deleteFrom('file_links')
        .where('record_type', '=', 'ledger_report')
        .where('record_id', '=', id)
        .where('file_id', 'in', removed)
        .execute();
      await dropFlagsOf(tx, id, removed);
    }
    await linkFiles(tx, added, { type: 'ledger_report', id }, caller.user.id);
    // A returned report counts on its instances (returned_at): moving it to other instances recolours both.
    if (r.state === 'returned' && input.items) {
      const ids = new Set([
        ...before.items.map((i) => i.instanceId),
        ...input.items.map((i) => i.instanceId),
      ]);
      await recolorInstances(tx, cal, { instanceIds: [...ids] }, 'review');
    }
    await tx.audit({
      action: 'ledger_report.update',
      entity: 'ledger_report',
      entityId: id,
      before,
      after: {
        summary: input.summary?.trim() ?? r.summary,
        version: r.version + 1,
        items: input.items ?? before.items,
        filesAdded: added,
        filesRemoved: removed,
      },
    });
  });
  return getReport(ctx, caller, id);
}

/** Flags that point at files no longer linked to the report, in either direction; the counts follow. */
async function dropFlagsOf(tx: Tx, reportId: string, fileIds: string[]): Promise<void> {
  const touched = await tx.db
    .selectFrom('ledger_report_flags')
    .select('report_id')
    .distinct()
    .where('other_report_id', '=', reportId)
    .where('other_file_id', 'in', fileIds)
    .execute();
  await tx.db
    .deleteFrom('ledger_report_flags')
    .where((eb) =>
      eb.or([
        eb.and([eb('report_id', '=', reportId), eb('file_id', 'in', fileIds)]),
        eb.and([eb('other_report_id', '=', reportId), eb('other_file_id', 'in', fileIds)]),
      ]),
    )
    .execute();
  for (const rid of [reportId, ...touched.map((t) => t.report_id)]) {
    const n = await tx.db
      .selectFrom('ledger_report_flags')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('report_id', '=', rid)
      .executeTakeFirst();
    await tx.db
      .updateTable('ledger_reports')
      .set({ similar_flags: int(n?.n) })
      .where('id', '=', rid)
      .execute();
  }
}

/** Whether this user may read the report: its unit in their scope, and a draft only inside its unit. */
function mayRead(caller: { user: Caller['user'] }, r: ReportRecord, scopeOk: boolean): boolean {
  return (
    scopeOk &&
    caller.user.permissions.has('campaign:read') &&
    (r.state !== 'draft' || inReportUnit(caller.user, r))
  );
}

async function visibleReport(db: Kysely<DB>, caller: Caller, id: string): Promise<ReportRecord> {
  const r = await reportMachine.load(db, id);
  if (!r || !mayRead(caller, r, await reportMachine.visible(db, r, caller.scope))) throw notFound();
  return r;
}

type ItemRow = Awaited<ReturnType<typeof itemRowsOf>>[number];

function itemOut(it: ItemRow, read: ReasonReader) {
  return {
    instanceId: it.instance_id,
    amounts: json<number[]>(it.amounts) ?? [],
    task: { id: it.task_id, title: it.task_title, targets: json<TaskTarget[]>(it.targets) ?? [] },
    activity: { id: it.activity_id, numeral: it.activity_numeral, name: it.activity_name },
    cycle: it.cycle,
    startsOn: it.starts_on,
    dueOn: it.due_on,
    color: it.color as Color,
    colorReason: read(it.color_reason),
    progress: int(it.progress),
    instanceAmounts: json<number[]>(it.instance_amounts) ?? [],
  };
}

type ListRow = Awaited<ReturnType<typeof listReportRows>>['rows'][number];

function listItem(r: ListRow | (ReportRecord & { author_name: string | null }), items: ItemRow[]) {
  return {
    id: r.id,
    campaign: { id: r.campaign_id, name: r.campaign_name },
    unit: { id: r.unit_id, name: r.unit_name },
    author: r.author_id ? { id: r.author_id, name: r.author_name ?? '' } : null,
    state: r.state,
    version: int(r.version),
    summary: r.summary,
    similarFlags: int(r.similar_flags),
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    returnReason: r.return_reason,
    tasks: items.map((it) => ({ instanceId: it.instance_id, title: it.task_title, cycle: it.cycle })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listReports(ctx: AppContext, caller: Caller, filter: ReportFilter) {
  const db = ctx.database.db;
  const { rows, total } = await listReportRows(db, caller.scope, caller.user.unitId, filter);
  const items = await itemRowsOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) =>
      listItem(
        r,
        items.filter((it) => it.report_id === r.id),
      ),
    ),
    total,
  };
}

async function userName(db: Kysely<DB>, id: string | null): Promise<string | null> {
  return (await userNames(db, [id])).get(id ?? '') ?? null;
}

/** Display names of the given users (nulls skipped), in one query. */
async function userNames(db: Kysely<DB>, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((u) => [u.id, u.display_name]));
}

/** The flags of a report with the matching report beside each (details only when the caller may read it). */
async function flagsOf(ctx: AppContext, caller: Caller, id: string) {
  const db = ctx.database.db;
  const rows = await flagRowsOf(db, id);
  if (!rows.length) return [];
  const fileIds = [...new Set(rows.flatMap((f) => [f.fileId, f.otherFileId]))];
  const files = new Map(
    (await db.selectFrom('files').selectAll().where('id', 'in', fileIds).execute()).map((f) => [
      f.id,
      toFileMeta(f),
    ]),
  );
  const others = new Map<string, ReturnType<typeof listItem> | null>();
  for (const rid of new Set(rows.map((f) => f.otherReportId))) {
    const r = await reportMachine.load(db, rid);
    const ok = !!r && mayRead(caller, r, await reportMachine.visible(db, r, caller.scope));
    others.set(
      rid,
      r && ok
        ? listItem({ ...r, author_name: await userName(db, r.author_id) }, await itemRowsOf(db, [rid]))
        : null,
    );
  }
  return rows.map((f) => ({
    file: files.get(f.fileId) ?? null,
    otherFile: others.get(f.otherReportId) ? (files.get(f.otherFileId) ?? null) : null,
    distance: f.distance,
    otherReportId: f.otherReportId,
    other: others.get(f.otherReportId) ?? null,
  }));
}

export async function getReport(ctx: AppContext, caller: Caller, id: string) {
  const db = ctx.database.db;
  const r = await visibleReport(db, caller, id);
  const read = await reasonReader(ctx);
  const [items, evidence, entries, names] = await Promise.all([
    itemRowsOf(db, [id]),
    filesOf(db, 'ledger_report', id),
    timeline(db, 'ledger_report', id),
    userNames(db, [r.author_id, r.approved_by, r.reviewed_by]),
  ]);
  const nameOf = (uid: string | null) => (uid ? (names.get(uid) ?? null) : null);
  const [author, approver, reviewer] = [nameOf(r.author_id), nameOf(r.approved_by), nameOf(r.reviewed_by)];
  const reviewer_ = caller.user.permissions.has('ledger:review');
  const byFile = new Map<string, FileMeta>(evidence.map((f) => [f.id, f]));
  const unitIds = [...new Set(entries.map((e) => e.actorUnitId).filter((u) => u !== null))];
  const units = unitIds.length
    ? new Map(
        (await db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', unitIds).execute()).map(
          (u) => [u.id, u.name],
        ),
      )
    : new Map<string, string>();
  return {
    ...listItem({ ...r, author_name: author }, items),
    campaign: {
      id: r.campaign_id,
      name: r.campaign_name,
      status: r.campaign_status,
      requiresUnitApproval: r.requires_unit_approval,
    },
    approvedBy: approver,
    reviewedBy: reviewer,
    items: items.map((it) => itemOut(it, read)),
    evidence,
    // Near-duplicate matches are for the reviewers: they name other units' reports.
    flags: reviewer_ ? await flagsOf(ctx, caller, id) : null,
    timeline: entries.map((e) => ({
      ...e,
      actorUnitName: e.actorUnitId ? (units.get(e.actorUnitId) ?? null) : null,
      attachments: e.attachments.map((fid) => byFile.get(fid)).filter((f) => f !== undefined),
    })),
    allowedActions: allowedActions(reportMachine, caller.user, r),
    editable:
      EDITABLE.has(r.state) &&
      r.campaign_status === 'active' &&
      caller.user.permissions.has('ledger:report') &&
      inReportUnit(caller.user, r),
  };
}

export async function actOnReport(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { action: ReportAction; version: number; note?: string | null },
): Promise<ReportRef> {
  // Out of scope reads as not found before any image is compared.
  if (input.action === 'submit')
    await prepareSimilar(ctx, caller, id, async () => {
      await visibleReport(ctx.database.db, caller, id);
    });
  const cal = await getCalendar(ctx);
  // A transition updates the report's unit's task instances: that unit's writes, one group at a time.
  const unitId = (await reportUnitId(ctx.database.db, id)) ?? undefined;
  const ref = await groupTx(ctx, actorOfCaller(caller), unitId, async (tx): Promise<ReportRef> => {
    const record = await reportMachine.load(tx.db, id);
    if (!record) throw notFound();
    const step = await transitionInTx(
      ctx,
      tx,
      cal,
      reportMachine,
      record,
      { action: input.action, version: input.version, note: input.note },
      caller,
    );
    return { id, state: step.to, version: record.version + 1 };
  });
  if (takeTold(ctx, caller)) kickDelivery(ctx);
  return ref;
}

/** The caller's unit's open task instances, worst colour first, then by due date (the H5's 我的任务). */
export async function myTasks(ctx: AppContext, caller: Caller, campaignId?: string) {
  if (!caller.user.unitId) return { items: [] };
  const rows = await openInstanceRows(ctx.database.db, caller.user.unitId, campaignId);
  const read = await reasonReader(ctx);
  const items = rows.map((r) => ({
    id: r.id,
    campaign: { id: r.campaign_id, name: r.campaign_name },
    task: {
      id: r.task_id,
      title: r.task_title,
      description: r.task_description,
      targets: json<TaskTarget[]>(r.targets) ?? [],
    },
    activity: { numeral: r.activity_numeral, name: r.activity_name },
    role: r.role,
    cycle: r.cycle,
    startsOn: r.starts_on,
    dueOn: r.due_on,
    color: r.color as Color,
    colorReason: read(r.color_reason),
    progress: int(r.progress),
    amounts: json<number[]>(r.amounts) ?? [],
    acceptedReports: int(r.accepted_reports),
    pendingReports: int(r.pending_reports),
    returnedAt: r.returned_at,
  }));
  items.sort(
    (a, b) =>
      (COLOR_SEVERITY[b.color] ?? 0) - (COLOR_SEVERITY[a.color] ?? 0) || a.dueOn.localeCompare(b.dueOn),
  );
  return { items };
}

/** Evidence of a report is readable by whoever may read the report. */
registerRecordAccess('ledger_report', {
  async canRead(ctx, user, recordId) {
    const db = ctx.database.db;
    const r = await reportMachine.load(db, recordId);
    return !!r && mayRead({ user }, r, await reportMachine.visible(db, r, scopeOf(user)));
  },
});
