/**
 * Task instances: one per task × responsible unit (the task's activity's lead and co units) × cycle of
 * the task's cadence within its window. Generating is idempotent; syncing after an edit also moves
 * windows and roles and removes instances that no longer fit (never one that has report items).
 */
import type { ColorReason, TaskCadence } from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { int } from '../../../db/normalize.ts';
import { SYSTEM_ACTOR } from '../../../platform/audit/audit.ts';
import type { WorkCalendar } from '../../../platform/calendar/calendar.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { type Tx, writeTx } from '../../../platform/tx.ts';
import { recolorInstances } from '../colors/recolor.ts';
import { cyclesOf } from './cycles.ts';

export { cyclesOf } from './cycles.ts';

/** Rows per INSERT: 500 × 20 columns stays far below both engines' parameter limits. */
const CHUNK = 500;

interface Wanted {
  taskId: string;
  activityId: string;
  unitId: string;
  role: string;
  cycle: string;
  startsOn: string;
  dueOn: string;
}

const keyOf = (taskId: string, unitId: string, cycle: string) => `${taskId}|${unitId}|${cycle}`;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** The instances the campaign's tasks (or only `taskIds`) call for, by task|unit|cycle. */
async function wantedInstances(tx: Tx, campaignId: string, taskIds?: string[]): Promise<Map<string, Wanted>> {
  let tq = tx.db
    .selectFrom('campaign_tasks')
    .select(['id', 'activity_id', 'cadence', 'starts_on', 'due_on'])
    .where('campaign_id', '=', campaignId);
  if (taskIds) tq = tq.where('id', 'in', taskIds.length > 0 ? taskIds : ['']);
  const tasks = await tq.execute();
  const units = await tx.db
    .selectFrom('campaign_activity_units as u')
    .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
    .select(['u.activity_id', 'u.unit_id', 'u.role'])
    .where('a.campaign_id', '=', campaignId)
    .execute();
  const byActivity = new Map<string, Map<string, string>>();
  for (const u of units) {
    const m = byActivity.get(u.activity_id) ?? new Map<string, string>();
    // a unit listed as lead and co is the lead
    if (m.get(u.unit_id) !== 'lead') m.set(u.unit_id, u.role);
    byActivity.set(u.activity_id, m);
  }
  const out = new Map<string, Wanted>();
  for (const t of tasks) {
    const cycles = cyclesOf(t.cadence as TaskCadence, t.starts_on, t.due_on);
    for (const [unitId, role] of byActivity.get(t.activity_id) ?? [])
      for (const c of cycles)
        out.set(keyOf(t.id, unitId, c.cycle), {
          taskId: t.id,
          activityId: t.activity_id,
          unitId,
          role,
          cycle: c.cycle,
          startsOn: c.startsOn,
          dueOn: c.dueOn,
        });
  }
  return out;
}

interface Existing {
  id: string;
  task_id: string;
  unit_id: string;
  cycle: string;
  role: string;
  starts_on: string;
  due_on: string;
}

async function existingInstances(tx: Tx, campaignId: string, taskIds?: string[]): Promise<Existing[]> {
  let q = tx.db
    .selectFrom('task_instances')
    .select(['id', 'task_id', 'unit_id', 'cycle', 'role', 'starts_on', 'due_on'])
    .where('campaign_id', '=', campaignId);
  if (taskIds) q = q.where('task_id', 'in', taskIds.length > 0 ? taskIds : ['']);
  return q.execute();
}

async function insertWanted(tx: Tx, campaignId: string, list: Wanted[]): Promise<string[]> {
  const now = tx.clock.now().toISOString();
  const ids: string[] = [];
  for (const part of chunks(list)) {
    const rows = part.map((w) => {
      const id = uuidv7();
      ids.push(id);
      // a placeholder: recolorInstances computes the real colour right after
      const reason: ColorReason = { code: 'in_progress', params: { due: w.dueOn, progress: 0, expected: 0 } };
      return {
        id,
        campaign_id: campaignId,
        task_id: w.taskId,
        activity_id: w.activityId,
        unit_id: w.unitId,
        role: w.role,
        cycle: w.cycle,
        starts_on: w.startsOn,
        due_on: w.dueOn,
        color: 'blue',
        color_reason: JSON.stringify(reason),
        color_at: now,
        progress: 0,
        amounts: '[]',
        accepted_reports: 0,
        pending_reports: 0,
        returned_at: null,
        done_on: null,
        version: 1,
      };
    });
    await tx.db.insertInto('task_instances').values(rows).execute();
  }
  return ids;
}

/** Moves existing instances to their wanted window and role; returns the ids that changed. */
async function updateChanged(tx: Tx, existing: Existing[], wanted: Map<string, Wanted>): Promise<string[]> {
  const changed: string[] = [];
  for (const e of existing) {
    const w = wanted.get(keyOf(e.task_id, e.unit_id, e.cycle));
    if (!w || (w.role === e.role && w.startsOn === e.starts_on && w.dueOn === e.due_on)) continue;
    await tx.db
      .updateTable('task_instances')
      .set((eb) => ({
        role: w.role,
        starts_on: w.startsOn,
        due_on: w.dueOn,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', e.id)
      .execute();
    changed.push(e.id);
  }
  return changed;
}

/**
 * Inserts the campaign's missing instances (task × unit × cycle), moves existing ones whose window or
 * role changed, and colours them (recolorInstances, cause 'create'). Idempotent: a second call inserts
 * nothing. Never removes an instance. Returns how many were inserted.
 */
export async function generateInstances(tx: Tx, cal: WorkCalendar, campaignId: string): Promise<number> {
  const wanted = await wantedInstances(tx, campaignId);
  const existing = await existingInstances(tx, campaignId);
  const have = new Set(existing.map((e) => keyOf(e.task_id, e.unit_id, e.cycle)));
  const inserted = await insertWanted(
    tx,
    campaignId,
    [...wanted].filter(([k]) => !have.has(k)).map(([, w]) => w),
  );
  const moved = await updateChanged(tx, existing, wanted);
  if (inserted.length > 0) await recolorInstances(tx, cal, { instanceIds: inserted }, 'create');
  if (moved.length > 0) await recolorInstances(tx, cal, { instanceIds: moved }, 'edit');
  return inserted.length;
}

export interface SyncResult {
  created: number;
  removed: number;
  moved: number;
}

/**
 * Brings the instances of some tasks in line with the tasks after an edit (window, cadence, units):
 * instances that no longer fit are removed, missing ones created, moved ones recoloured. An instance
 * that no longer fits but has report items is never removed: 409 CAMPAIGN_INSTANCES_HAVE_REPORTS.
 */
export async function syncTaskInstances(
  tx: Tx,
  cal: WorkCalendar,
  campaignId: string,
  taskIds: string[],
): Promise<SyncResult> {
  if (taskIds.length === 0) return { created: 0, removed: 0, moved: 0 };
  const wanted = await wantedInstances(tx, campaignId, taskIds);
  const existing = await existingInstances(tx, campaignId, taskIds);
  const stale = existing.filter((e) => !wanted.has(keyOf(e.task_id, e.unit_id, e.cycle))).map((e) => e.id);
  let reported = 0;
  for (const part of chunks(stale)) {
    const row = await tx.db
      .selectFrom('ledger_report_items')
      .select((eb) => eb.fn.count('instance_id').distinct().as('n'))
      .where('instance_id', 'in', part)
      .executeTakeFirst();
    reported += int(row?.n);
  }
  if (reported > 0) throw new AppError(409, 'CAMPAIGN_INSTANCES_HAVE_REPORTS', { count: reported });
  for (const part of chunks(stale))
    await tx.db.deleteFrom('task_instances').where('id', 'in', part).execute();
  const have = new Set(existing.map((e) => keyOf(e.task_id, e.unit_id, e.cycle)));
  const inserted = await insertWanted(
    tx,
    campaignId,
    [...wanted].filter(([k]) => !have.has(k)).map(([, w]) => w),
  );
  const moved = await updateChanged(tx, existing, wanted);
  if (inserted.length > 0) await recolorInstances(tx, cal, { instanceIds: inserted }, 'create');
  if (moved.length > 0) await recolorInstances(tx, cal, { instanceIds: moved }, 'edit');
  return { created: inserted.length, removed: stale.length, moved: moved.length };
}

/**
 * The daily job: every active campaign gets the instances its tasks call for (one transaction per
 * campaign, audited when something was added), before the colour sweep runs.
 */
export async function generateActiveCampaigns(
  ctx: AppContext,
): Promise<{ campaigns: number; created: number }> {
  const cal = await getCalendar(ctx);
  const active = await ctx.database.db
    .selectFrom('campaigns')
    .select('id')
    .where('status', '=', 'active')
    .execute();
  let created = 0;
  for (const c of active)
    created += await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
      const n = await generateInstances(tx, cal, c.id);
      if (n > 0)
        await tx.audit({
          action: 'campaign.instances',
          entity: 'campaign',
          entityId: c.id,
          after: { created: n },
        });
      return n;
    });
  return { campaigns: active.length, created };
}
