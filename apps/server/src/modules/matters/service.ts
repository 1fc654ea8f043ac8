import type { Kysely } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import type { DB } from '../../db/schema.ts';
import { getCalendar } from '../../platform/calendar/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { type FileMeta, filesOf, registerRecordAccess } from '../../platform/files/service.ts';
import { invalidField, notFound } from '../../platform/http/errors.ts';
import { kickDelivery, notify } from '../../platform/notify/service.ts';
import { scopeOf } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { colorOf } from '../../platform/workflow/deadlines.ts';
import { createRecord, timeline, transition } from '../../platform/workflow/engine.ts';
import { allowedActions, type Caller, type TransitionInput } from '../../platform/workflow/machine.ts';
import { findUnitRow, inScope } from '../org/repo.ts';
import { type MatterRecord, matterMachine, openMatterDeadlines } from './machine.ts';
import {
  deadlinesOf,
  listMatterRows,
  type MatterFilter,
  matterStats,
  nextMatterNo,
  pendingExtensionOf,
  unitNames,
} from './repo.ts';

export interface MatterInput {
  title: string;
  content: string;
  level: 'ordinary' | 'major';
  source?: string | null;
  assigneeUnitId: string;
  attachments?: string[];
}

/** The farthest an extension may reach: a year from now. */
const MAX_EXTENSION_MS = 366 * 24 * 3600_000;

function unitRef(id: string | null, name: string | null) {
  return id ? { id, name: name ?? '' } : null;
}

function listItem(r: Omit<MatterRecord, 'assignee_path' | 'assigner_path' | 'extension_pending'>) {
  return {
    id: r.id,
    no: r.no,
    title: r.title,
    level: r.level,
    state: r.state,
    version: r.version,
    slaColor: r.sla_color,
    dueAt: r.due_at,
    assignee: { id: r.assignee_unit_id, name: r.assignee_name },
    assigner: unitRef(r.assigner_unit_id, r.assigner_name),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type MatterListItem = ReturnType<typeof listItem>;

/** A unit the caller may assign to: exists and lies inside the caller's data scope. */
async function assignableUnit(db: Kysely<DB>, caller: Caller, unitId: string, field: string) {
  const unit = await findUnitRow(db, unitId);
  if (!unit || !inScope(unit, caller.scope)) throw invalidField(field, 'field.unknownUnit');
  return unit;
}

export async function createMatter(ctx: AppContext, caller: Caller, input: MatterInput) {
  await assignableUnit(ctx.database.db, caller, input.assigneeUnitId, 'assigneeUnitId');
  const id = uuidv7();
  const cal = await getCalendar(ctx);
  await writeTx(ctx, { id: caller.user.id, name: caller.user.displayName, ip: caller.ip }, async (tx) => {
    const now = ctx.clock.now();
    const no = await nextMatterNo(tx.db, ctx.database.engine, Number(cal.localDate(now).slice(0, 4)));
    const record = await createRecord(ctx, tx, cal, matterMachine, caller, id, {
      attachments: input.attachments,
      insert: async () => {
        await tx.db
          .insertInto('matters')
          .values({
            id,
            no,
            title: input.title.trim(),
            content: input.content.trim(),
            level: input.level,
            source: input.source?.trim() || null,
            assignee_unit_id: input.assigneeUnitId,
            assigner_unit_id: caller.user.unitId,
            created_by: caller.user.id,
            state: matterMachine.initial,
            version: 1,
            sla_color: 'green',
            due_at: null,
            acknowledged_at: null,
            first_feedback_at: null,
            resolved_at: null,
            closed_at: null,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          })
          .execute();
      },
      onCreate: async (a) => {
        await openMatterDeadlines(a, input.assigneeUnitId, input.level);
        await notifyAssigned(a);
      },
    });
    await tx.audit({
      action: 'matter.create',
      entity: 'matter',
      entityId: id,
      after: { ...record, version: 1 },
    });
  });
  kickDelivery(ctx);
  return getMatter(ctx, caller, id);
}

async function notifyAssigned(a: Parameters<typeof openMatterDeadlines>[0]) {
  await notify(a.tx, {
    units: { unitIds: [a.record.assignee_unit_id], roles: ['liaison', 'unit_head'] },
    kind: 'matter.assigned',
    params: { label: `${a.record.no} ${a.record.title}`, actor: a.caller.user.displayName },
    record: { type: 'matter', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

async function visibleMatter(ctx: AppContext, caller: Caller, id: string): Promise<MatterRecord> {
  const m = await matterMachine.load(ctx.database.db, id);
  if (!m || !(await matterMachine.visible(ctx.database.db, m, caller.scope))) throw notFound();
  return m;
}

export async function getMatter(ctx: AppContext, caller: Caller, id: string) {
  const m = await visibleMatter(ctx, caller, id);
  const db = ctx.database.db;
  const cal = await getCalendar(ctx);
  const now = ctx.clock.now();
  const [deadlines, ext, files, creator] = await Promise.all([
    deadlinesOf(db, id),
    pendingExtensionOf(db, id),
    filesOf(db, 'matter', id),
    m.created_by
      ? db
          .selectFrom('users')
          .select(['id', 'display_name'])
          .where('id', '=', m.created_by)
          .executeTakeFirst()
      : undefined,
  ]);
  return {
    ...listItem(m),
    content: m.content,
    source: m.source,
    createdBy: creator ? { id: creator.id, name: creator.display_name } : null,
    acknowledgedAt: m.acknowledged_at,
    firstFeedbackAt: m.first_feedback_at,
    resolvedAt: m.resolved_at,
    closedAt: m.closed_at,
    allowedActions: allowedActions(matterMachine, caller.user, m),
    deadlines: deadlines.map((d) => ({
      kind: d.kind,
      status: d.status,
      startsAt: d.starts_at,
      dueAt: d.due_at,
      originalDueAt: d.original_due_at,
      metAt: d.met_at,
      color: d.status === 'open' ? colorOf(cal, 'matter', [d], now) : null,
      late:
        d.status === 'met'
          ? !!d.met_at && d.met_at > d.due_at
          : d.status === 'open' && now.toISOString() >= d.due_at,
    })),
    pendingExtension: ext
      ? {
          requestedDueAt: ext.requested_due_at,
          oldDueAt: ext.old_due_at,
          reason: ext.reason,
          requestedAt: ext.requested_at,
          requestedBy: ext.requested_by_name ?? null,
        }
      : null,
    attachments: files,
  };
}

export async function listMatters(ctx: AppContext, caller: Caller, filter: MatterFilter) {
  const { rows, total } = await listMatterRows(ctx.database.db, caller.scope, filter, ctx.clock.now());
  return { items: rows.map(listItem), total };
}

export async function statsOfMatters(ctx: AppContext, caller: Caller) {
  return matterStats(ctx.database.db, caller.scope);
}

export async function matterTimeline(ctx: AppContext, caller: Caller, id: string) {
  await visibleMatter(ctx, caller, id);
  const db = ctx.database.db;
  const [entries, files] = await Promise.all([timeline(db, 'matter', id), filesOf(db, 'matter', id)]);
  const byId = new Map<string, FileMeta>(files.map((f) => [f.id, f]));
  const units = await unitNames(db, [
    ...new Set(entries.map((e) => e.actorUnitId).filter((u) => u !== null)),
  ]);
  return entries.map((e) => ({
    ...e,
    actorUnitName: e.actorUnitId ? (units.get(e.actorUnitId) ?? null) : null,
    attachments: e.attachments.map((fid) => byId.get(fid)).filter((f) => f !== undefined),
  }));
}

/** Checks what a transition's payload must carry before the engine runs it. */
async function checkPayload(ctx: AppContext, caller: Caller, m: MatterRecord, input: TransitionInput) {
  const p = input.payload ?? {};
  if (input.action === 'reassign') {
    if (typeof p.unitId !== 'string') throw invalidField('payload.unitId', 'field.required');
    await assignableUnit(ctx.database.db, caller, p.unitId, 'payload.unitId');
    if (p.unitId === m.assignee_unit_id) throw invalidField('payload.unitId', 'MATTER_SAME_UNIT');
  }
  if (input.action === 'request_extension') {
    if (typeof p.dueAt !== 'string') throw invalidField('payload.dueAt', 'field.required');
    const due = Date.parse(p.dueAt);
    const now = ctx.clock.now().getTime();
    if (!Number.isFinite(due)) throw invalidField('payload.dueAt', 'field.format', { format: 'date-time' });
    if (due > now + MAX_EXTENSION_MS) throw invalidField('payload.dueAt', 'MATTER_EXTENSION_TOO_FAR');
  }
}

export async function actOnMatter(ctx: AppContext, caller: Caller, id: string, input: TransitionInput) {
  const m = await visibleMatter(ctx, caller, id);
  await checkPayload(ctx, caller, m, input);
  await transition(ctx, matterMachine, id, input, caller);
  kickDelivery(ctx);
  return getMatter(ctx, caller, id);
}

/** A file attached to a matter is readable by whoever may read the matter. */
registerRecordAccess('matter', {
  async canRead(ctx, user, recordId) {
    const m = await matterMachine.load(ctx.database.db, recordId);
    return !!m && (await matterMachine.visible(ctx.database.db, m, scopeOf(user)));
  },
});
