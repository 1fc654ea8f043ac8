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
