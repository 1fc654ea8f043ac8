/** Report and instance rows for lists and details, always within a data scope. */
import type { Kysely } from 'kysely';
import { int } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';

export interface ReportFilter {
  campaignId?: string;
  state?: string;
  unitId?: string;
  page?: number;
  pageSize?: number;
}

/**
 * Reports in the caller's scope. A draft is its unit's work in progress: only users of that unit see it.
 */
function visibleReports(db: Kysely<DB>, scope: Scope, callerUnitId: string | null) {
  return db
    .selectFrom('ledger_reports as r')
    .innerJoin('org_units as o', 'o.id', 'r.unit_id')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .leftJoin('users as a', 'a.id', 'r.author_id')
    .where(unitInScope(scope, 'o.path', 'o.id'))
    .where((eb) => eb.or([eb('r.state', '<>', 'draft'), eb('r.unit_id', '=', callerUnitId ?? '')]));
}

export async function listReportRows(
  db: Kysely<DB>,
  scope: Scope,
  callerUnitId: string | null,
  f: ReportFilter,
) {
  let q = visibleReports(db, scope, callerUnitId);
  if (f.campaignId) q = q.where('r.campaign_id', '=', f.campaignId);
  if (f.state) q = q.where('r.state', '=', f.state);
  if (f.unitId) q = q.where('r.unit_id', '=', f.unitId);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const pageSize = f.pageSize ?? 20;
  const rows = await q
    .selectAll('r')
    .select(['o.name as unit_name', 'c.name as campaign_name', 'a.display_name as author_name'])
    .orderBy('r.updated_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(pageSize)
    .offset(((f.page ?? 1) - 1) * pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}

/** The instances the reports count toward, with their task and activity, for lists and details. */
export async function itemRowsOf(db: Kysely<DB>, reportIds: string[]) {
  if (!reportIds.length) return [];
  const out = [];
  for (let i = 0; i < reportIds.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('ledger_report_items as it')
        .innerJoin('task_instances as i', 'i.id', 'it.instance_id')
        .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
        .innerJoin('campaign_activities as ac', 'ac.id', 'i.activity_id')
        .select([
          'it.report_id',
          'it.instance_id',
          'it.amounts',
          'i.cycle',
          'i.starts_on',
          'i.due_on',
          'i.color',
          'i.color_reason',
          'i.progress',
          'i.amounts as instance_amounts',
          'i.unit_id',
          't.id as task_id',
          't.title as task_title',
          't.targets',
          'ac.id as activity_id',
          'ac.numeral as activity_numeral',
          'ac.name as activity_name',
        ])
        .where('it.report_id', 'in', reportIds.slice(i, i + 500))
        .orderBy('t.seq')
        .orderBy('i.due_on')
        .execute()),
    );
  }
  return out;
}

/** Near-duplicate flags of a report in both directions: its images that match, and images matching it. */
export async function flagRowsOf(db: Kysely<DB>, reportId: string) {
  const [mine, theirs] = await Promise.all([
    db.selectFrom('ledger_report_flags').selectAll().where('report_id', '=', reportId).execute(),
    db.selectFrom('ledger_report_flags').selectAll().where('other_report_id', '=', reportId).execute(),
  ]);
  return [
    ...mine.map((f) => ({
      fileId: f.file_id,
      otherReportId: f.other_report_id,
      otherFileId: f.other_file_id,
      distance: int(f.distance),
    })),
    ...theirs.map((f) => ({
      fileId: f.other_file_id,
      otherReportId: f.report_id,
      otherFileId: f.file_id,
      distance: int(f.distance),
    })),
  ];
}

/** The caller's unit's open instances (not yet done) in active campaigns. */
export function openInstanceRows(db: Kysely<DB>, unitId: string, campaignId: string | undefined) {
  let q = db
    .selectFrom('task_instances as i')
    .innerJoin('campaigns as c', 'c.id', 'i.campaign_id')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('campaign_activities as ac', 'ac.id', 'i.activity_id')
    .select([
      'i.id',
      'i.campaign_id',
      'c.name as campaign_name',
      'i.role',
      'i.cycle',
      'i.starts_on',
      'i.due_on',
      'i.color',
      'i.color_reason',
      'i.progress',
      'i.amounts',
      'i.accepted_reports',
      'i.pending_reports',
      'i.returned_at',
      't.id as task_id',
      't.title as task_title',
      't.description as task_description',
      't.targets',
      'ac.numeral as activity_numeral',
      'ac.name as activity_name',
    ])
    .where('i.unit_id', '=', unitId)
    .where('c.status', '=', 'active')
    .where('i.done_on', 'is', null);
  if (campaignId) q = q.where('i.campaign_id', '=', campaignId);
  return q.orderBy('i.due_on').orderBy('t.seq').orderBy('i.id').limit(1000).execute();
}

/** The unit of a report, unscoped (null when there is no such report): the key its writes share. */
export async function reportUnitId(db: Kysely<DB>, id: string): Promise<string | null> {
  const row = await db.selectFrom('ledger_reports').select('unit_id').where('id', '=', id).executeTakeFirst();
  return row?.unit_id ?? null;
}
