/** Task and task-instance rows of a campaign: the only SQL of the tasks module. */
import type { Kysely } from 'kysely';
import { int } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';

export interface InstanceFilter {
  unitId?: string;
  activityId?: string;
  taskId?: string;
  color?: string;
  page: number;
  pageSize: number;
}

/** A campaign's instances inside the scope (the instance's unit), in activity, task, unit and cycle order. */
export async function listInstanceRows(db: Kysely<DB>, scope: Scope, campaignId: string, f: InstanceFilter) {
  let q = db
    .selectFrom('task_instances as i')
    .innerJoin('org_units as o', 'o.id', 'i.unit_id')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('campaign_activities as a', 'a.id', 'i.activity_id')
    .where('i.campaign_id', '=', campaignId)
    .where(unitInScope(scope, 'o.path', 'o.id'));
  if (f.unitId) q = q.where('i.unit_id', '=', f.unitId);
  if (f.activityId) q = q.where('i.activity_id', '=', f.activityId);
  if (f.taskId) q = q.where('i.task_id', '=', f.taskId);
  if (f.color) q = q.where('i.color', '=', f.color);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select([
      'i.id',
      'i.task_id',
      'i.activity_id',
      'i.unit_id',
      'i.role',
      'i.cycle',
      'i.starts_on',
      'i.due_on',
      'i.color',
      'i.color_reason',
      'i.color_at',
      'i.progress',
      'i.amounts',
      'i.accepted_reports',
      'i.pending_reports',
      'i.returned_at',
      'i.done_on',
      'i.version',
      't.title as task_title',
      't.targets',
      'a.numeral as activity_numeral',
      'a.name as activity_name',
      'o.name as unit_name',
    ])
    .orderBy('a.seq')
    .orderBy('t.seq')
    .orderBy('o.path')
    .orderBy('i.starts_on')
    .orderBy('i.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}

/** The campaign's tasks with their activity, in activity and task order; instance counts in the scope. */
export function taskRows(db: Kysely<DB>, scope: Scope, campaignId: string, taskId?: string) {
  let q = db
    .selectFrom('campaign_tasks as t')
    .innerJoin('campaign_activities as a', 'a.id', 't.activity_id')
    .where('t.campaign_id', '=', campaignId);
  if (taskId) q = q.where('t.id', '=', taskId);
  return q
    .select([
      't.id',
      't.activity_id',
      't.seq',
      't.title',
      't.description',
      't.cadence',
      't.starts_on',
      't.due_on',
      't.weight',
      't.targets',
      't.version',
      't.updated_at',
      'a.section_id',
      'a.numeral as activity_numeral',
      'a.name as activity_name',
      (eb) =>
        eb
          .selectFrom('task_instances as i')
          .innerJoin('org_units as o', 'o.id', 'i.unit_id')
          .whereRef('i.task_id', '=', 't.id')
          .where(unitInScope(scope, 'o.path', 'o.id'))
          .select((e) => e.fn.countAll().as('n'))
          .as('instances'),
      (eb) =>
        eb
          .selectFrom('ledger_report_items as it')
          .innerJoin('task_instances as i', 'i.id', 'it.instance_id')
          .whereRef('i.task_id', '=', 't.id')
          .select((e) => e.fn.count('it.instance_id').distinct().as('n'))
          .as('reported'),
    ])
    .orderBy('a.seq')
    .orderBy('t.seq')
    .execute();
}

/** Lead and co units of the campaign's activities (or one activity), in tree order. */
export function activityUnitRows(db: Kysely<DB>, campaignId: string, activityId?: string) {
  let q = db
    .selectFrom('campaign_activity_units as u')
    .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
    .innerJoin('org_units as o', 'o.id', 'u.unit_id')
    .where('a.campaign_id', '=', campaignId);
  if (activityId) q = q.where('u.activity_id', '=', activityId);
  return q.select(['u.activity_id', 'u.unit_id', 'u.role', 'o.name']).orderBy('o.path').execute();
}

export async function nextTaskSeq(db: Kysely<DB>, campaignId: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_tasks')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return int(row?.m) + 1;
}

/** Instances of a task that reports count toward. */
export async function reportedInstances(db: Kysely<DB>, taskIds: string[]): Promise<number> {
  if (taskIds.length === 0) return 0;
  const row = await db
    .selectFrom('ledger_report_items as it')
    .innerJoin('task_instances as i', 'i.id', 'it.instance_id')
    .where('i.task_id', 'in', taskIds)
    .select((eb) => eb.fn.count('it.instance_id').distinct().as('n'))
    .executeTakeFirst();
  return int(row?.n);
}

/** The ids among `ids` of units that exist and lie in the scope. */
export async function unitsInScope(db: Kysely<DB>, scope: Scope, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('org_units as o')
    .select('o.id')
    .where('o.id', 'in', ids)
    .where(unitInScope(scope, 'o.path', 'o.id'))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Deployment notices of a campaign, newest first; outside scope "all" only those addressed to a unit in scope. */
export function deploymentRows(db: Kysely<DB>, scope: Scope, campaignId: string) {
  let q = db
    .selectFrom('notices as n')
    .leftJoin('users as su', 'su.id', 'n.sender_id')
    .where('n.record_type', '=', 'campaign')
    .where('n.record_id', '=', campaignId);
  if (scope.kind !== 'all')
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('notice_recipients as r')
          .innerJoin('org_units as o', 'o.id', 'r.unit_id')
          .whereRef('r.notice_id', '=', 'n.id')
          .where(unitInScope(scope, 'o.path', 'o.id'))
          .select('r.unit_id'),
      ),
    );
  return q
    .select(['n.id', 'n.title', 'n.body', 'n.ack_due_at', 'n.created_at', 'su.display_name as sender_name'])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .execute();
}

/** Every unit responsible for an activity of the campaign. */
export async function campaignUnitIds(db: Kysely<DB>, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_activity_units as u')
    .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
    .innerJoin('org_units as o', 'o.id', 'u.unit_id')
    .where('a.campaign_id', '=', campaignId)
    .select('u.unit_id')
    .distinct()
    .orderBy('u.unit_id')
    .execute();
  return rows.map((r) => r.unit_id);
}
