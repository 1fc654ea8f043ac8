/**
 * Tasks of a campaign and their instances (one per task × responsible unit × cycle): listing within the
 * caller's data scope, editing tasks and activity units, keeping instances in step with the tasks.
 */
import type {
  Color,
  ColorReason,
  TaskCadence,
  TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { int, json } from '../../../db/normalize.ts';
import type { CampaignTable } from '../../../db/schema.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, type FieldProblem, notFound } from '../../../platform/http/errors.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { type Tx, writeTx } from '../../../platform/tx.ts';
import { reasonReader } from '../colors/reason.ts';
import { recolorInstances } from '../colors/recolor.ts';
import { findCampaign } from '../repo.ts';
import { syncTaskInstances } from './instances.ts';
import {
  activityUnitRows,
  type InstanceFilter,
  listInstanceRows,
  nextTaskSeq,
  reportedInstances,
  taskRows,
  unitsInScope,
} from './repo.ts';
import { targetProblems, windowProblems } from './validate.ts';

/** An instance as lists show it (the ledger, the battle map and the task pages). */
export interface InstanceView {
  id: string;
  taskId: string;
  taskTitle: string;
  activityId: string;
  activityNumeral: string;
  activityName: string;
  unitId: string;
  unitName: string;
  role: 'lead' | 'co';
  cycle: string;
  startsOn: string;
  dueOn: string;
  color: Color;
  reason: ColorReason;
  colorAt: string;
  progress: number;
  /** The task's targets and the accepted amounts per target. */
  targets: TaskTarget[];
  amounts: number[];
  acceptedReports: number;
  pendingReports: number;
  returnedAt: string | null;
  doneOn: string | null;
  version: number;
}

/** The campaign's instances in the caller's scope (a unit's users see their unit's instances only). */
export async function listInstances(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  f: InstanceFilter,
): Promise<{ items: InstanceView[]; total: number }> {
  const db = ctx.database.db;
  if (!(await findCampaign(db, scope, campaignId))) throw notFound();
  const { rows, total } = await listInstanceRows(db, scope, campaignId, f);
  const read = await reasonReader(ctx);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      taskTitle: r.task_title,
      activityId: r.activity_id,
      activityNumeral: r.activity_numeral,
      activityName: r.activity_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      role: r.role === 'lead' ? 'lead' : 'co',
      cycle: r.cycle,
      startsOn: r.starts_on,
      dueOn: r.due_on,
      color: r.color as Color,
      reason: read(r.color_reason) as ColorReason,
      colorAt: r.color_at,
      progress: int(r.progress),
      targets: json<TaskTarget[]>(r.targets) ?? [],
      amounts: json<number[]>(r.amounts) ?? [],
      acceptedReports: int(r.accepted_reports),
      pendingReports: int(r.pending_reports),
      returnedAt: r.returned_at,
      doneOn: r.done_on,
      version: int(r.version),
    })),
  };
}

export interface UnitView {
  unitId: string;
  name: string;
  role: 'lead' | 'co';
}

export interface TaskView {
  id: string;
  activityId: string;
  activityNumeral: string;
  activityName: string;
  sectionId: string;
  seq: number;
  title: string;
  description: string;
  cadence: TaskCadence;
  startsOn: string;
  dueOn: string;
  weight: number;
  targets: TaskTarget[];
  version: number;
  updatedAt: string;
  /** Instances in the caller's scope. */
  instances: number;
  /** Instances with at least one report item: they cannot be removed. */
  reported: number;
  /** The activity's lead and co units: the task's responsible units. */
  units: UnitView[];
}

/** The campaign's window; a campaign without one spans its year. */
export function windowOf(c: Pick<CampaignTable, 'year' | 'starts_on' | 'ends_on'>) {
  return { startsOn: c.starts_on ?? `${c.year}-01-01`, endsOn: c.ends_on ?? `${c.year}-12-31` };
}

/** A visible campaign that may still be changed (not closed). */
export async function writableCampaign(tx: Tx, scope: Scope, id: string) {
  const c = await findCampaign(tx.db, scope, id);
  if (!c) throw notFound();
  if (c.status === 'closed') throw new AppError(409, 'CAMPAIGN_CLOSED');
  return c;
}

function failIf(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new AppError(400, 'VALIDATION_FAILED', {}, problems);
}

async function taskViews(
  db: AppContext['database']['db'],
  scope: Scope,
  campaignId: string,
  taskId?: string,
): Promise<TaskView[]> {
  const [rows, units] = await Promise.all([
    taskRows(db, scope, campaignId, taskId),
    activityUnitRows(db, campaignId),
  ]);
  const byActivity = new Map<string, UnitView[]>();
  for (const u of units) {
    const list = byActivity.get(u.activity_id) ?? [];
    list.push({ unitId: u.unit_id, name: u.name, role: u.role === 'lead' ? 'lead' : 'co' });
    byActivity.set(u.activity_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    activityId: r.activity_id,
    activityNumeral: r.activity_numeral,
    activityName: r.activity_name,
    sectionId: r.section_id,
    seq: int(r.seq),
    title: r.title,
    description: r.description,
    cadence: r.cadence as TaskCadence,
    startsOn: r.starts_on,
    dueOn: r.due_on,
    weight: int(r.weight),
    targets: json<TaskTarget[]>(r.targets) ?? [],
    version: int(r.version),
    updatedAt: r.updated_at,
    instances: int(r.instances),
    reported: int(r.reported),
    units: (byActivity.get(r.activity_id) ?? []).sort(
      (x, y) => (x.role === 'lead' ? 0 : 1) - (y.role === 'lead' ? 0 : 1),
    ),
  }));
}

export async function listTasks(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
): Promise<{ items: TaskView[] }> {
  const db = ctx.database.db;
  if (!(await findCampaign(db, scope, campaignId))) throw notFound();
  return { items: await taskViews(db, scope, campaignId) };
}

async function taskView(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  taskId: string,
): Promise<TaskView> {
  const [view] = await taskViews(ctx.database.db, scope, campaignId, taskId);
  if (!view) throw notFound();
  return view;
}

export interface TaskFields {
  title: string;
  description: string;
  cadence: TaskCadence;
  startsOn: string;
  dueOn: string;
  weight: number;
  targets: TaskTarget[];
}

const cleanTargets = (targets: TaskTarget[]): TaskTarget[] =>
  targets.map((t) => ({ label: t.label.trim(), quantity: t.quantity, measure: t.measure.trim() }));

function checkTask(f: TaskFields, window: { startsOn: string; endsOn: string }): void {
  const problems: FieldProblem[] = [];
  if (!f.title.trim()) problems.push({ field: 'title', code: 'field.required' });
  problems.push(...windowProblems(f, window), ...targetProblems(f.targets));
  failIf(problems);
}

export interface NewTask extends Partial<Omit<TaskFields, 'title'>> {
  activityId: string;
  title: string;
}

/** Adds a task under an activity; in an active campaign its instances are created at once. */
export async function createTask(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  campaignId: string,
  input: NewTask,
): Promise<TaskView> {
  const cal = await getCalendar(ctx);
  const id = uuidv7();
  await writeTx(ctx, actor, async (tx) => {
    const c = await writableCampaign(tx, scope, campaignId);
    const activity = await tx.db
      .selectFrom('campaign_activities')
      .select(['id', 'deadline_on'])
      .where('id', '=', input.activityId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!activity)
      throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'activityId', code: 'field.invalid' }]);
    const window = windowOf(c);
    const deadline = activity.deadline_on;
    const f: TaskFields = {
      title: input.title.trim(),
      description: input.description?.trim() ?? '',
      cadence: input.cadence ?? 'once',
      startsOn: input.startsOn ?? window.startsOn,
      dueOn:
        input.dueOn ??
        (deadline && deadline >= window.startsOn && deadline <= window.endsOn ? deadline : window.endsOn),
      weight: input.weight ?? 1,
      targets: cleanTargets(input.targets ?? []),
    };
    checkTask(f, window);
    const now = tx.clock.now().toISOString();
    await tx.db
      .insertInto('campaign_tasks')
      .values({
        id,
        campaign_id: campaignId,
        activity_id: input.activityId,
        seq: await nextTaskSeq(tx.db, campaignId),
        title: f.title,
        description: f.description,
        cadence: f.cadence,
        starts_on: f.startsOn,
        due_on: f.dueOn,
        weight: f.weight,
        targets: JSON.stringify(f.targets),
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const sync = c.status === 'active' ? await syncTaskInstances(tx, cal, campaignId, [id]) : null;
    await tx.audit({
      action: 'campaign.task.create',
      entity: 'campaign_task',
      entityId: id,
      after: { campaignId, activityId: input.activityId, ...f, instances: sync?.created ?? 0 },
    });
  });
  return taskView(ctx, scope, campaignId, id);
}

export interface TaskPatch extends Partial<TaskFields> {
  version: number;
}

/**
 * Edits a task (optimistic: a stale version → 409 STALE_VERSION). In an active campaign a new window or
 * cadence regenerates the task's instances (an instance with reports that would go → 409, nothing
 * changed) and every instance of the task is coloured again.
 */
export async function updateTask(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  campaignId: string,
  taskId: string,
  patch: TaskPatch,
): Promise<TaskView> {
  const cal = await getCalendar(ctx);
  await writeTx(ctx, actor, async (tx) => {
    const c = await writableCampaign(tx, scope, campaignId);
    const t = await tx.db
      .selectFrom('campaign_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!t) throw notFound();
    if (int(t.version) !== patch.version)
      throw new AppError(409, 'STALE_VERSION', { current: int(t.version) });
    const before: TaskFields = {
      title: t.title,
      description: t.description,
      cadence: t.cadence as TaskCadence,
      startsOn: t.starts_on,
      dueOn: t.due_on,
      weight: int(t.weight),
      targets: json<TaskTarget[]>(t.targets) ?? [],
    };
    const after: TaskFields = {
      title: patch.title?.trim() ?? before.title,
      description: patch.description?.trim() ?? before.description,
      cadence: patch.cadence ?? before.cadence,
      startsOn: patch.startsOn ?? before.startsOn,
      dueOn: patch.dueOn ?? before.dueOn,
      weight: patch.weight ?? before.weight,
      targets: patch.targets ? cleanTargets(patch.targets) : before.targets,
    };
    checkTask(after, windowOf(c));
    const updated = await tx.db
      .updateTable('campaign_tasks')
      .set({
        title: after.title,
        description: after.description,
        cadence: after.cadence,
        starts_on: after.startsOn,
        due_on: after.dueOn,
        weight: after.weight,
        targets: JSON.stringify(after.targets),
        version: int(t.version) + 1,
        updated_at: tx.clock.now().toISOString(),
      })
      .where('id', '=', taskId)
      .where('version', '=', patch.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError(409, 'STALE_VERSION', { current: int(t.version) + 1 });
    let sync = null;
    if (c.status === 'active') {
      sync = await syncTaskInstances(tx, cal, campaignId, [taskId]);
      const ids = await tx.db
        .selectFrom('task_instances')
        .select('id')
        .where('task_id', '=', taskId)
        .execute();
      await recolorInstances(tx, cal, { instanceIds: ids.map((r) => r.id) }, 'edit');
    }
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof TaskFields)[])
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, before[k]]),
    );
    await tx.audit({
      action: 'campaign.task.update',
      entity: 'campaign_task',
      entityId: taskId,
      before: changed,
      after: {
        ...Object.fromEntries(Object.keys(changed).map((k) => [k, after[k as keyof TaskFields]])),
        ...(sync ?? {}),
      },
    });
  });
  return taskView(ctx, scope, campaignId, taskId);
}

/** Deletes a task and its instances; refused (409) while any instance has report items. */
export async function deleteTask(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  campaignId: string,
  taskId: string,
): Promise<void> {
  await writeTx(ctx, actor, async (tx) => {
    await writableCampaign(tx, scope, campaignId);
    const t = await tx.db
      .selectFrom('campaign_tasks')
      .select(['id', 'title', 'activity_id'])
      .where('id', '=', taskId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!t) throw notFound();
    const reported = await reportedInstances(tx.db, [taskId]);
    if (reported > 0) throw new AppError(409, 'CAMPAIGN_INSTANCES_HAVE_REPORTS', { count: reported });
    const removed = await tx.db.deleteFrom('task_instances').where('task_id', '=', taskId).executeTakeFirst();
    await tx.db.deleteFrom('campaign_tasks').where('id', '=', taskId).execute();
    await tx.audit({
      action: 'campaign.task.delete',
      entity: 'campaign_task',
      entityId: taskId,
      before: {
        campaignId,
        activityId: t.activity_id,
        title: t.title,
        instances: Number(removed.numDeletedRows),
      },
    });
  });
}

export interface UnitsInput {
  lead: string[];
  co: string[];
}

/**
 * Replaces an activity's lead and co units. In an active campaign the instances of the activity's tasks
 * follow (a unit dropped whose instances have reports → 409, nothing changed).
 */
export async function setActivityUnits(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  campaignId: string,
  activityId: string,
  input: UnitsInput,
): Promise<{ units: UnitView[] }> {
  const cal = await getCalendar(ctx);
  await writeTx(ctx, actor, async (tx) => {
    const c = await writableCampaign(tx, scope, campaignId);
    const activity = await tx.db
      .selectFrom('campaign_activities')
      .select(['id', 'numeral'])
      .where('id', '=', activityId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!activity) throw notFound();
    const problems: FieldProblem[] = [];
    if (input.lead.length + input.co.length === 0)
      problems.push({ field: 'lead', code: 'CAMPAIGN_UNITS_EMPTY' });
    const known = await unitsInScope(tx.db, scope, [...input.lead, ...input.co]);
    const lead = new Set(input.lead);
    for (const [i, id] of input.lead.entries())
      if (!known.has(id)) problems.push({ field: `lead.${i}`, code: 'field.unknownUnit' });
    for (const [i, id] of input.co.entries()) {
      if (!known.has(id)) problems.push({ field: `co.${i}`, code: 'field.unknownUnit' });
      else if (lead.has(id)) problems.push({ field: `co.${i}`, code: 'CAMPAIGN_UNIT_TWICE' });
    }
    failIf(problems);
    const before = await activityUnitRows(tx.db, campaignId, activityId);
    await tx.db.deleteFrom('campaign_activity_units').where('activity_id', '=', activityId).execute();
    await tx.db
      .insertInto('campaign_activity_units')
      .values([
        ...input.lead.map((unitId) => ({ activity_id: activityId, unit_id: unitId, role: 'lead' })),
        ...input.co.map((unitId) => ({ activity_id: activityId, unit_id: unitId, role: 'co' })),
      ])
      .execute();
    let sync = null;
    if (c.status === 'active') {
      const tasks = await tx.db
        .selectFrom('campaign_tasks')
        .select('id')
        .where('activity_id', '=', activityId)
        .execute();
      sync = await syncTaskInstances(
        tx,
        cal,
        campaignId,
        tasks.map((t) => t.id),
      );
    }
    await tx.audit({
      action: 'campaign.activity.units',
      entity: 'campaign_activity',
      entityId: activityId,
      before: {
        lead: before.filter((u) => u.role === 'lead').map((u) => u.unit_id),
        co: before.filter((u) => u.role === 'co').map((u) => u.unit_id),
      },
      after: { ...input, ...(sync ?? {}) },
    });
  });
  const units = await activityUnitRows(ctx.database.db, campaignId, activityId);
  return {
    units: units
      .map((u) => ({
        unitId: u.unit_id,
        name: u.name,
        role: u.role === 'lead' ? ('lead' as const) : ('co' as const),
      }))
      .sort((x, y) => (x.role === 'lead' ? 0 : 1) - (y.role === 'lead' ? 0 : 1)),
  };
}
