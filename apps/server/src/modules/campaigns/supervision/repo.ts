/** The SQL of campaign supervision: records, the tasks and units they name, colours for the circular. */
import type { Kysely } from 'kysely';
import type { SupervisionKind } from '../../../../../../packages/contracts/src/index.ts';
import { int } from '../../../db/normalize.ts';
import type { DB, FileTable, SupervisionRecordTable } from '../../../db/schema.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';

const CHUNK = 500;

/** A record with the names the API shows beside it. */
export interface RecordRow {
  id: string;
  campaign_id: string;
  kind: string;
  number: string | null;
  body: string;
  details: string;
  file_id: string | null;
  created_by: string | null;
  created_at: string;
  unit_id: string | null;
  unit_name: string | null;
  instance_id: string | null;
  task_title: string | null;
  cycle: string | null;
  instance_color: string | null;
  creator_name: string | null;
}

function recordQuery(db: Kysely<DB>, scope: Scope) {
  return (
    db
      .selectFrom('supervision_records as r')
      .leftJoin('org_units as u', 'u.id', 'r.unit_id')
      .leftJoin('task_instances as i', 'i.id', 'r.instance_id')
      .leftJoin('campaign_tasks as t', 't.id', 'i.task_id')
      .leftJoin('users as p', 'p.id', 'r.created_by')
      // a unit's users see their unit's records; circulars (about every unit) are for all readers
      .where((eb) => eb.or([unitInScope(scope, 'u.path', 'u.id'), eb('r.kind', '=', 'circular')]))
  );
}

const COLUMNS = [
  'r.id',
  'r.campaign_id',
  'r.kind',
  'r.number',
  'r.body',
  'r.details',
  'r.file_id',
  'r.created_by',
  'r.created_at',
  'r.unit_id',
  'u.name as unit_name',
  'r.instance_id',
  't.title as task_title',
  'i.cycle',
  'i.color as instance_color',
  'p.display_name as creator_name',
] as const;

export function findCampaign(db: Kysely<DB>, id: string) {
  return db.selectFrom('campaigns').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

export async function listRows(
  db: Kysely<DB>,
  scope: Scope,
  campaignId: string,
  f: { kind?: SupervisionKind; unitId?: string; page?: number; pageSize?: number },
): Promise<{ rows: RecordRow[]; total: number }> {
  let q = recordQuery(db, scope).where('r.campaign_id', '=', campaignId);
  if (f.kind) q = q.where('r.kind', '=', f.kind);
  if (f.unitId) q = q.where('r.unit_id', '=', f.unitId);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const pageSize = f.pageSize ?? 20;
  const rows = await q
    .select([...COLUMNS])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(pageSize)
    .offset(((f.page ?? 1) - 1) * pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}

export function findRow(
  db: Kysely<DB>,
  scope: Scope,
  campaignId: string,
  recordId: string,
): Promise<RecordRow | undefined> {
  return recordQuery(db, scope)
    .select([...COLUMNS])
    .where('r.id', '=', recordId)
    .where('r.campaign_id', '=', campaignId)
    .executeTakeFirst();
}

/** Records just written, in the order of `ids` (no scope: the writer may read what it wrote). */
export async function rowsByIds(db: Kysely<DB>, ids: string[]): Promise<RecordRow[]> {
  if (ids.length === 0) return [];
  const rows = await recordQuery(db, { kind: 'all' })
    .select([...COLUMNS])
    .where('r.id', 'in', ids)
    .execute();
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export async function isVisible(db: Kysely<DB>, scope: Scope, recordId: string): Promise<boolean> {
  const row = await recordQuery(db, scope).select('r.id').where('r.id', '=', recordId).executeTakeFirst();
  return !!row;
}

export async function insertRecords(db: Kysely<DB>, rows: SupervisionRecordTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('supervision_records')
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

/** Instances by id, within a scope, with their task's title (any campaign: the caller checks). */
export function instanceRows(db: Kysely<DB>, scope: Scope, ids: string[]) {
  return db
    .selectFrom('task_instances as i')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('org_units as u', 'u.id', 'i.unit_id')
    .select(['i.id', 'i.unit_id', 'i.campaign_id', 'i.cycle', 'i.color', 'i.color_reason', 't.title'])
    .where('i.id', 'in', ids)
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .execute();
}

/** Those of the units that are in the scope and have a task in the campaign. */
export function unitsWithTasks(db: Kysely<DB>, scope: Scope, campaignId: string, ids: string[]) {
  return db
    .selectFrom('org_units as u')
    .select(['u.id', 'u.name'])
    .where('u.id', 'in', ids)
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('task_instances as i')
          .select('i.id')
          .whereRef('i.unit_id', '=', 'u.id')
          .where('i.campaign_id', '=', campaignId),
      ),
    )
    .execute();
}

/** The yellow, orange and red instances of some units in a campaign, soonest due first. */
export function laggingInstances(db: Kysely<DB>, campaignId: string, unitIds: string[]) {
  return db
    .selectFrom('task_instances as i')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .select(['i.id', 'i.unit_id', 'i.cycle', 'i.color', 'i.color_reason', 't.title'])
    .where('i.campaign_id', '=', campaignId)
    .where('i.unit_id', 'in', unitIds)
    .where('i.color', 'in', ['yellow', 'orange', 'red'])
    .orderBy('i.due_on')
    .orderBy('i.id')
    .execute();
}

/** Title and cycle of instances, by id. */
export async function taskLines(
  db: Kysely<DB>,
  instanceIds: string[],
): Promise<Map<string, { title: string; cycle: string }>> {
  const out = new Map<string, { title: string; cycle: string }>();
  for (let i = 0; i < instanceIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('task_instances as i')
      .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
      .select(['i.id', 'i.cycle', 't.title'])
      .where('i.id', 'in', instanceIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.id, { title: r.title, cycle: r.cycle });
  }
  return out;
}

export async function campaignNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('campaigns').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every instance of a campaign with its unit, task and current colour. */
export function campaignInstances(db: Kysely<DB>, campaignId: string) {
  return db
    .selectFrom('task_instances as i')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('org_units as u', 'u.id', 'i.unit_id')
    .select(['i.id', 'i.unit_id', 'u.name', 'u.sort', 'i.cycle', 'i.color', 'i.color_reason', 't.title'])
    .where('i.campaign_id', '=', campaignId)
    .execute();
}

/** The colour history of a campaign's instances before an instant, oldest first. */
export function colorHistoryBefore(db: Kysely<DB>, campaignId: string, beforeIso: string) {
  return db
    .selectFrom('task_instance_colors as h')
    .innerJoin('task_instances as i', 'i.id', 'h.instance_id')
    .select(['h.instance_id', 'h.color', 'h.reason'])
    .where('i.campaign_id', '=', campaignId)
    .where('h.at', '<', beforeIso)
    .orderBy('h.at')
    .orderBy('h.id')
    .execute();
}

/** The name of the civilization office (the unit of type 'office'), which signs circulars. */
export async function officeName(db: Kysely<DB>): Promise<string> {
  const office = await db
    .selectFrom('org_units')
    .select('name')
    .where('type', '=', 'office')
    .orderBy('sort')
    .orderBy('name')
    .limit(1)
    .executeTakeFirst();
  return office?.name ?? '';
}

/** A generated document's file row, linked to its record. */
export async function insertRecordFile(
  db: Kysely<DB>,
  file: FileTable,
  recordId: string,
  userId: string | null,
): Promise<void> {
  await db.insertInto('files').values(file).execute();
  await db
    .insertInto('file_links')
    .values({
      file_id: file.id,
      record_type: 'supervision_record',
      record_id: recordId,
      linked_by: userId,
      linked_at: file.uploaded_at,
    })
    .execute();
}

export function fileById(db: Kysely<DB>, id: string) {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}
