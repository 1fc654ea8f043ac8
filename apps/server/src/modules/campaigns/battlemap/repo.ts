/**
 * Battle map queries. Each figure is one aggregate over task_instances (GROUP BY activity, unit, colour or
 * unit, colour), filtered by the campaign, the caller's data scope and the page's filters.
 */
import { type Kysely, sql } from 'kysely';
import { pathRange } from '../../../db/paths.ts';
import type { DB } from '../../../db/schema.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';

export interface InstanceFilter {
  /** Instances whose window overlaps [from, to] (open ends allowed). */
  window?: { from: string | null; to: string | null };
  sectionId?: string;
  activityId?: string;
  /** The unit's materialised path: instances of the unit and its subtree. */
  unitPath?: string;
  groupId?: string;
  /** Only instances of these units (e.g. the townships). */
  unitType?: string;
}

/**
 * task_instances (ti) within the campaign, the scope and the filters. Every condition is on a column of the
 * task_instances_battlemap index, so on SQLite the aggregates below read the index only (migration 005);
 * PostgreSQL reads the campaign's rows through task_instances_campaign (migration 012 dropped the covering
 * index there, so that recolouring rewrites rows in place).
 */
export function instances(db: Kysely<DB>, campaignId: string, scope: Scope, f: InstanceFilter) {
  let q = db.selectFrom('task_instances as ti').where('ti.campaign_id', '=', campaignId);
  if (scope.kind === 'own') q = q.where('ti.unit_id', '=', scope.unitId);
  else if (scope.kind !== 'all')
    q = q.where(
      'ti.unit_id',
      'in',
      db
        .selectFrom('org_units as o')
        .select('o.id')
        .where(unitInScope(scope, 'o.path', 'o.id')),
    );
  const from = f.window?.from;
  const to = f.window?.to;
  if (to) q = q.where('ti.starts_on', '<=', to);
  if (from) q = q.where('ti.due_on', '>=', from);
  if (f.activityId) {
    const activityId = f.activityId;
    q = q.where(
      'ti.task_id',
      'in',
      db.selectFrom('campaign_tasks').select('id').where('activity_id', '=', activityId),
    );
  }
  if (f.sectionId) {
    const sectionId = f.sectionId;
    q = q.where(
      'ti.task_id',
      'in',
      db
        .selectFrom('campaign_tasks as st')
        .innerJoin('campaign_activities as sa', 'sa.id', 'st.activity_id')
        .select('st.id')
        .where('sa.section_id', '=', sectionId),
    );
  }
  if (f.unitPath) {
    const [lo, hi] = pathRange(f.unitPath);
    q = q.where(
      'ti.unit_id',
      'in',
      db.selectFrom('org_units as o').select('o.id').where('o.path', '>=', lo).where('o.path', '<', hi),
    );
  }
  if (f.groupId) {
    const groupId = f.groupId;
    q = q.where(
      'ti.unit_id',
      'in',
      db.selectFrom('org_group_members').select('unit_id').where('group_id', '=', groupId),
    );
  }
  if (f.unitType) {
    const type = f.unitType;
    q = q.where(
      'ti.unit_id',
      'in',
      db.selectFrom('org_units as o').select('o.id').where('o.type', '=', type),
    );
  }
  return q;
}

type Num = number | string | bigint | null;

export interface CellRow {
  task_id: string;
  unit_id: string;
  color: string;
  n: Num;
  /** Σ progress (the task's weight is applied by the caller). */
  p: Num;
  /** The earliest due date of the group followed by that instance's reason JSON. */
  worst: string | null;
}

/** The matrix: one row per (task, unit, colour) with its count, progress sum and most urgent reason. */
export function matrixRows(
  db: Kysely<DB>,
  campaignId: string,
  scope: Scope,
  f: InstanceFilter,
): Promise<CellRow[]> {
  return instances(db, campaignId, scope, f)
    .groupBy(['ti.task_id', 'ti.unit_id', 'ti.color'])
    .select([
      'ti.task_id',
      'ti.unit_id',
      'ti.color',
      (eb) => eb.fn.countAll().as('n'),
      sql<number>`sum(ti.progress)`.as('p'),
      // due_on is always YYYY-MM-DD: the minimum is the most urgent instance, its reason follows.
      sql<string>`min(ti.due_on || ti.color_reason)`.as('worst'),
    ])
    .execute();
}

export interface UnitColorRow {
  task_id: string;
  unit_id: string;
  color: string;
  n: Num;
  p: Num;
  /** Instances that count so far (due by today, or done), done ones, done on time. */
  counted: Num;
  done: Num;
  on_time: Num;
}

/** Per task, unit and colour: counts, progress sum, and what the ranking needs as of `today`. */
export function unitRows(
  db: Kysely<DB>,
  campaignId: string,
  scope: Scope,
  f: InstanceFilter,
  today: string,
): Promise<UnitColorRow[]> {
  return instances(db, campaignId, scope, f)
    .groupBy(['ti.task_id', 'ti.unit_id', 'ti.color'])
    .select([
      'ti.task_id',
      'ti.unit_id',
      'ti.color',
      (eb) => eb.fn.countAll().as('n'),
      sql<number>`sum(ti.progress)`.as('p'),
      sql<number>`sum(case when ti.due_on <= ${today} or ti.done_on is not null then 1 else 0 end)`.as(
        'counted',
      ),
      sql<number>`sum(case when ti.done_on is not null then 1 else 0 end)`.as('done'),
      sql<number>`sum(case when ti.done_on <= ti.due_on then 1 else 0 end)`.as('on_time'),
    ])
    .execute();
}

/** Late instances per unit and (due, done) pair: done after due, or past due and not done. */
export function latePairs(
  db: Kysely<DB>,
  campaignId: string,
  scope: Scope,
  f: InstanceFilter,
  today: string,
) {
  return instances(db, campaignId, scope, f)
    .where((eb) =>
      eb.or([
        eb('ti.done_on', '>', eb.ref('ti.due_on')),
        eb.and([eb('ti.done_on', 'is', null), eb('ti.due_on', '<', today)]),
      ]),
    )
    .groupBy(['ti.unit_id', 'ti.due_on', 'ti.done_on'])
    .select(['ti.unit_id', 'ti.due_on', 'ti.done_on', (eb) => eb.fn.countAll().as('n')])
    .execute();
}

/** The campaign's tasks: their activity and weight (applied to the aggregates in memory). */
export function taskWeights(db: Kysely<DB>, campaignId: string) {
  return db
    .selectFrom('campaign_tasks')
    .select(['id', 'activity_id', 'weight'])
    .where('campaign_id', '=', campaignId)
    .execute();
}

export function activityRows(db: Kysely<DB>, campaignId: string) {
  return db
    .selectFrom('campaign_activities as a')
    .innerJoin('campaign_sections as s', 's.id', 'a.section_id')
    .where('a.campaign_id', '=', campaignId)
    .select([
      'a.id',
      'a.numeral',
      'a.name',
      'a.seq',
      'a.parent_id',
      's.id as section_id',
      's.numeral as section_numeral',
      's.title as section_title',
      (eb) =>
        eb
          .selectFrom('campaign_activity_units as au')
          .innerJoin('org_units as lo', 'lo.id', 'au.unit_id')
          .whereRef('au.activity_id', '=', 'a.id')
          .where('au.role', '=', 'lead')
          .select(sql<string>`min(coalesce(lo.short_name, lo.name))`.as('lead'))
          .as('lead_unit'),
    ])
    .orderBy('a.seq')
    .execute();
}

export function unitsById(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('org_units')
    .select(['id', 'name', 'short_name', 'path', 'type'])
    .where('id', 'in', [...ids])
    .orderBy('path')
    .execute();
}

export function campaignPhases(db: Kysely<DB>, campaignId: string) {
  return db
    .selectFrom('campaign_phases')
    .select(['id', 'name', 'starts_on', 'ends_on'])
    .where('campaign_id', '=', campaignId)
    .orderBy('seq')
    .execute();
}

export function campaignSections(db: Kysely<DB>, campaignId: string) {
  return db
    .selectFrom('campaign_sections')
    .select(['id', 'numeral', 'title'])
    .where('campaign_id', '=', campaignId)
    .orderBy('seq')
    .execute();
}

export function orgGroups(db: Kysely<DB>) {
  return db.selectFrom('org_groups').select(['id', 'name']).orderBy('name').execute();
}

/** The instances of one cell (activity × unit) with their task. */
export function cellInstances(
  db: Kysely<DB>,
  campaignId: string,
  scope: Scope,
  activityId: string,
  unitId: string,
) {
  return instances(db, campaignId, scope, { activityId })
    .innerJoin('campaign_tasks as t', 't.id', 'ti.task_id')
    .where('ti.unit_id', '=', unitId)
    .select([
      'ti.id',
      'ti.task_id',
      't.title',
      't.seq',
      't.weight',
      'ti.role',
      'ti.cycle',
      'ti.starts_on',
      'ti.due_on',
      'ti.color',
      'ti.color_reason',
      'ti.progress',
      'ti.accepted_reports',
      'ti.pending_reports',
      'ti.done_on',
    ])
    .orderBy('t.seq')
    .orderBy('ti.due_on')
    .orderBy('ti.id')
    .execute();
}

/** The non-draft reports counting toward these instances, with their evidence count. */
export function reportsOf(db: Kysely<DB>, instanceIds: readonly string[]) {
  if (instanceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('ledger_report_items as li')
    .innerJoin('ledger_reports as r', 'r.id', 'li.report_id')
    .where('li.instance_id', 'in', [...instanceIds])
    .where('r.state', '!=', 'draft')
    .select([
      'li.instance_id',
      'r.id',
      'r.state',
      'r.summary',
      'r.submitted_at',
      'r.reviewed_at',
      'r.similar_flags',
      (eb) =>
        eb
          .selectFrom('file_links as fl')
          .where('fl.record_type', '=', 'ledger_report')
          .whereRef('fl.record_id', '=', 'r.id')
          .select((e) => e.fn.countAll().as('n'))
          .as('evidence'),
    ])
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id')
    .execute();
}

/** Supervision records of the campaign per kind, within the scope (records without a unit: scope "all"). */
export function supervisionCounts(db: Kysely<DB>, campaignId: string, scope: Scope) {
  let q = db.selectFrom('supervision_records as s').where('s.campaign_id', '=', campaignId);
  if (scope.kind !== 'all')
    q = q.where(
      's.unit_id',
      'in',
      db
        .selectFrom('org_units as o')
        .select('o.id')
        .where(unitInScope(scope, 'o.path', 'o.id')),
    );
  return q
    .groupBy('s.kind')
    .select(['s.kind', (eb) => eb.fn.countAll().as('n')])
    .execute();
}

export function townshipUnits(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('org_units as o')
    .select(['o.id', 'o.name', 'o.short_name', 'o.path'])
    .where('o.type', '=', 'township')
    .where(unitInScope(scope, 'o.path', 'o.id'))
    .orderBy('o.path')
    .execute();
}

/** The colour changes of the given instances, newest first (task_instance_colors). */
export function colorHistoryOf(db: Kysely<DB>, instanceIds: readonly string[]) {
  if (instanceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('task_instance_colors')
    .where('instance_id', 'in', [...instanceIds])
    .select(['instance_id', 'at', 'previous', 'color', 'reason', 'cause'])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
