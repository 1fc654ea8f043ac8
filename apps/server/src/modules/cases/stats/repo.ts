/**
 * The SQL of case statistics, the public board and the case columns of the battle map: GROUP BY over the
 * cases of a period (cases_created, cases_category) joined to their deadlines (deadlines_record) and
 * ratings (case_ratings_round). Every figure is a count or a sum, so rates and averages are worked out by
 * the caller from the totals.
 */
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Engine } from '../../../db/index.ts';
import type { DB } from '../../../db/schema.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';

/** The cases counted: created in [from, to) (UTC ISO instants), optionally of one category or kind. */
export interface CaseCohort {
  from: string;
  to: string;
  categoryId?: string;
  kind?: string;
  /** The public board: public categories, not hidden, not merged or rejected. */
  publicOnly?: boolean;
  /** Only cases now held by this unit (the public board's unit filter). */
  unitId?: string;
}

/** What the rows are grouped by: the unit (held / first / deadline / rated unit) or the category. */
export type GroupBy = 'unit' | 'category';

export interface HeldRow {
  key: string | null;
  held: number | string;
  answered: number | string;
  closed: number | string;
  reopened: number | string | null;
  answer_hours: number | string | null;
  answer_n: number | string;
  resolve_hours: number | string | null;
  resolve_n: number | string;
}

export interface ReceivedRow {
  key: string;
  received: number | string;
  transferred: number | string;
}

export interface DeadlineRow {
  key: string | null;
  on_time: number | string;
  late: number | string;
  overdue: number | string;
}

export interface RatingRow {
  key: string | null;
  ratings: number | string;
  score_sum: number | string | null;
  satisfied: number | string;
}

const SATISFIED_MIN = 3;

function hoursBetween(engine: Engine, from: string, to: string): RawBuilder<number> {
  return engine === 'postgres'
    ? sql<number>`extract(epoch from (${sql.ref(to)}::timestamptz - ${sql.ref(from)}::timestamptz)) / 3600.0`
    : sql<number>`(julianday(${sql.ref(to)}) - julianday(${sql.ref(from)})) * 24.0`;
}

/** The cohort's conditions on `c`, apart from publicOnly. */
function cohortWhere(f: CaseCohort): Expression<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`c.created_at >= ${f.from}`, sql`c.created_at < ${f.to}`];
  if (f.categoryId) parts.push(sql`c.category_id = ${f.categoryId}`);
  if (f.kind) parts.push(sql`c.kind = ${f.kind}`);
  if (f.unitId) parts.push(sql`c.unit_id = ${f.unitId}`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/**
 * A grouping column as an expression (`col || ''`, the same text): SQLite would otherwise walk the whole
 * index on that column (cases_category, cases_unit) to group without sorting — one random row read per
 * case of every period — instead of reading the period's range of cases_created and grouping in a temp
 * B-tree. PostgreSQL plans a hash aggregate either way.
 */
function groupKey(column: string): RawBuilder<string | null> {
  return sql<string | null>`(${sql.ref(column)} || '')`;
}

/** `true`/`false` literals as each engine stores booleans. */
function lits(engine: Engine) {
  return engine === 'postgres' ? { t: sql`true`, f: sql`false` } : { t: sql`1`, f: sql`0` };
}

function publicWhere(engine: Engine, f: CaseCohort): Expression<SqlBool> {
  if (!f.publicOnly) return cohortWhere(f);
  const { t, f: no } = lits(engine);
  return sql<SqlBool>`${cohortWhere(f)} and c.public = ${t} and c.hidden = ${no} and c.state not in ('merged', 'rejected')`;
}

/**
 * Cases grouped by the unit now holding them (or their category): how many, answered, closed, reopened,
 * and the sums behind the mean dispatch→answer and intake→close times (calendar hours).
 */
export async function heldFigures(
  db: Kysely<DB>,
  engine: Engine,
  scope: Scope,
  f: CaseCohort,
  by: GroupBy,
): Promise<HeldRow[]> {
  const answerHours = hoursBetween(engine, 'c.dispatched_at', 'c.answered_at');
  const resolveHours = hoursBetween(engine, 'c.created_at', 'c.closed_at');
  const answeredCond = sql`c.answered_at is not null and c.dispatched_at is not null and c.answered_at >= c.dispatched_at`;
  const closedCond = sql`c.state = 'closed' and c.closed_at is not null`;
  const key = groupKey(by === 'unit' ? 'c.unit_id' : 'c.category_id');
  const q = db
    .selectFrom('cases as c')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .select([
      sql<string | null>`${key}`.as('key'),
      sql<number>`count(*)`.as('held'),
      sql<number>`sum(case when c.answered_at is not null then 1 else 0 end)`.as('answered'),
      sql<number>`sum(case when c.state = 'closed' then 1 else 0 end)`.as('closed'),
      sql<number>`sum(c.reopen_count)`.as('reopened'),
      sql<number>`sum(case when ${answeredCond} then ${answerHours} else 0 end)`.as('answer_hours'),
      sql<number>`sum(case when ${answeredCond} then 1 else 0 end)`.as('answer_n'),
      sql<number>`sum(case when ${closedCond} then ${resolveHours} else 0 end)`.as('resolve_hours'),
      sql<number>`sum(case when ${closedCond} then 1 else 0 end)`.as('resolve_n'),
    ])
    .where(publicWhere(engine, f))
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .groupBy(key);
  return (await q.execute()) as HeldRow[];
}

/** 首接: cases first dispatched to each unit, and how many of them another unit (or the office) now holds. */
export async function receivedFigures(
  db: Kysely<DB>,
  engine: Engine,
  scope: Scope,
  f: CaseCohort,
): Promise<ReceivedRow[]> {
  return (await db
    .selectFrom('cases as c')
    .innerJoin('org_units as u', 'u.id', 'c.first_unit_id')
    .select([
      sql<string>`${groupKey('c.first_unit_id')}`.as('key'),
      sql<number>`count(*)`.as('received'),
      sql<number>`sum(case when c.unit_id is null or c.unit_id <> c.first_unit_id then 1 else 0 end)`.as(
        'transferred',
      ),
    ])
    .where(publicWhere(engine, f))
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .groupBy(groupKey('c.first_unit_id'))
    .execute()) as ReceivedRow[];
}

/**
 * The answer and redo deadlines of the cohort's cases, grouped by the unit that owed them (or the case's
 * category): met by due, met late, and open past due at `now`. Cancelled ones (a reassigned case) and open
 * ones not yet due are not judged.
 */
export async function deadlineFigures(
  db: Kysely<DB>,
  engine: Engine,
  scope: Scope,
  f: CaseCohort,
  by: GroupBy,
  now: string,
): Promise<DeadlineRow[]> {
  const key = groupKey(by === 'unit' ? 'd.unit_id' : 'c.category_id');
  const unitCol = by === 'unit' ? 'd.unit_id' : 'c.unit_id';
  const q = db
    .selectFrom('cases as c')
    .innerJoin('deadlines as d', (j) =>
      j
        .on('d.record_type', '=', 'case')
        .onRef('d.record_id', '=', 'c.id')
        .on('d.kind', 'in', ['answer', 'redo']),
    )
    .leftJoin('org_units as u', 'u.id', unitCol)
    .select([
      sql<string | null>`${key}`.as('key'),
      sql<number>`sum(case when d.status = 'met' and d.met_at <= d.due_at then 1 else 0 end)`.as('on_time'),
      sql<number>`sum(case when d.status = 'met' and d.met_at > d.due_at then 1 else 0 end)`.as('late'),
      sql<number>`sum(case when d.status = 'open' and d.due_at < ${now} then 1 else 0 end)`.as('overdue'),
    ])
    .where(publicWhere(engine, f))
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .groupBy(key);
  return (await q.execute()) as DeadlineRow[];
}

/** The ratings of the cohort's cases (every round), by the unit rated (or the case's category). */
export async function ratingFigures(
  db: Kysely<DB>,
  engine: Engine,
  scope: Scope,
  f: CaseCohort,
  by: GroupBy,
): Promise<RatingRow[]> {
  const key = groupKey(by === 'unit' ? 'r.unit_id' : 'c.category_id');
  const unitCol = by === 'unit' ? 'r.unit_id' : 'c.unit_id';
  const q = db
    .selectFrom('cases as c')
    .innerJoin('case_ratings as r', 'r.case_id', 'c.id')
    .leftJoin('org_units as u', 'u.id', unitCol)
    .select([
      sql<string | null>`${key}`.as('key'),
      sql<number>`count(*)`.as('ratings'),
      sql<number>`sum(r.score)`.as('score_sum'),
      sql<number>`sum(case when r.score >= ${SATISFIED_MIN} then 1 else 0 end)`.as('satisfied'),
    ])
    .where(publicWhere(engine, f))
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .groupBy(key);
  return (await q.execute()) as RatingRow[];
}

/** Open answer/redo deadlines of the cohort past due, with the case number (for the circular's reasons). */
export async function lateDeadlines(
  db: Kysely<DB>,
  engine: Engine,
  scope: Scope,
  f: CaseCohort,
  now: string,
) {
  return db
    .selectFrom('cases as c')
    .innerJoin('deadlines as d', (j) =>
      j
        .on('d.record_type', '=', 'case')
        .onRef('d.record_id', '=', 'c.id')
        .on('d.kind', 'in', ['answer', 'redo']),
    )
    .innerJoin('org_units as u', 'u.id', 'd.unit_id')
    .select(['d.unit_id', 'd.due_at', 'd.met_at', 'd.status', 'c.no'])
    .where(publicWhere(engine, f))
    .where(unitInScope(scope, 'u.path', 'u.id'))
    .where((eb) =>
      eb.or([
        eb.and([eb('d.status', '=', 'open'), eb('d.due_at', '<', now)]),
        eb.and([eb('d.status', '=', 'met'), eb('d.met_at', '>', eb.ref('d.due_at'))]),
      ]),
    )
    .orderBy('d.due_at')
    .orderBy('c.no')
    .execute();
}

export function unitsByIds(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('org_units')
    .select(['id', 'name', 'short_name', 'type', 'sort', 'path'])
    .where('id', 'in', ids)
    .execute();
}

export function categories(db: Kysely<DB>) {
  return db
    .selectFrom('case_categories')
    .select(['id', 'code', 'name_zh', 'name_en', 'public', 'sort'])
    .orderBy('sort')
    .orderBy('code')
    .execute();
}

export function categoryById(db: Kysely<DB>, id: string) {
  return db.selectFrom('case_categories').select(['id', 'public']).where('id', '=', id).executeTakeFirst();
}

export function unitById(db: Kysely<DB>, id: string) {
  return db.selectFrom('org_units').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

/** The public board's latest resolved cases (closed, public, not hidden), newest closure first. */
export function recentResolved(db: Kysely<DB>, engine: Engine, f: CaseCohort, limit: number) {
  return db
    .selectFrom('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .leftJoin('org_units as a', 'a.id', 'c.area_unit_id')
    .select([
      'c.id',
      'c.no',
      'c.title',
      'c.address',
      'c.answer',
      'c.rating',
      'c.created_at',
      'c.closed_at',
      'cat.name_zh',
      'cat.name_en',
      'u.name as unit_name',
      'a.name as area_name',
    ])
    .where(publicWhere(engine, { ...f, publicOnly: true }))
    .where('c.state', '=', 'closed')
    .where('c.closed_at', 'is not', null)
    .orderBy('c.closed_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

/** The image files linked to these cases (photos and answer attachments), minus the hidden ones. */
export function visibleImages(db: Kysely<DB>, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('file_links as l')
    .innerJoin('files as f', 'f.id', 'l.file_id')
    .leftJoin('case_hidden_files as h', (j) =>
      j.onRef('h.case_id', '=', 'l.record_id').onRef('h.file_id', '=', 'l.file_id'),
    )
    .select(['l.record_id as case_id', 'f.id', 'f.width', 'f.height'])
    .where('l.record_type', '=', 'case')
    .where('l.record_id', 'in', caseIds)
    .where('f.kind', '=', 'image')
    .where('h.file_id', 'is', null)
    .orderBy('l.linked_at')
    .orderBy('f.id')
    .execute();
}

/** The history rows of these cases that carried files (which of a case's files came with which action). */
export function attachmentRows(db: Kysely<DB>, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('workflow_history')
    .select(['record_id', 'action', 'attachments'])
    .where('record_type', '=', 'case')
    .where('record_id', 'in', caseIds)
    .where('attachments', '<>', '[]')
    .execute();
}

// ---- circulars (通报) ---------------------------------------------------------------------------------

export const CIRCULAR_RECORD = 'case_circular';

/** The last number of the year's circulars of cases (0 when none yet). */
export async function lastCircularSeq(db: Kysely<DB>, name: string): Promise<number> {
  const row = await db.selectFrom('sequences').select('value').where('name', '=', name).executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Takes the next number of the series inside the caller's transaction. */
export async function bumpCircularSeq(db: Kysely<DB>, name: string): Promise<number> {
  await db
    .insertInto('sequences')
    .values({ name, value: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .updateTable('sequences')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export function circularFiles(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('file_links as l')
    .innerJoin('files as f', 'f.id', 'l.file_id')
    .leftJoin('users as us', 'us.id', 'f.uploaded_by')
    .select([
      'l.record_id as id',
      'f.id as file_id',
      'f.original_name',
      'f.size',
      'f.uploaded_at',
      'us.display_name as created_by',
    ])
    .where('l.record_type', '=', CIRCULAR_RECORD)
    .orderBy('f.uploaded_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit)
    .execute();
}

export function circularFile(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('file_links as l')
    .innerJoin('files as f', 'f.id', 'l.file_id')
    .selectAll('f')
    .where('l.record_type', '=', CIRCULAR_RECORD)
    .where('l.record_id', '=', id)
    .executeTakeFirst();
}
