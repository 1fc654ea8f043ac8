import { type Kysely, type SqlBool, sql } from 'kysely';
import type {
  CaseChannel,
  CaseKind,
  CaseLevel,
  CaseListItem,
  CaseState,
} from '../../../../../packages/contracts/src/index.ts';
import type { Engine } from '../../db/index.ts';
import { bool } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { containsText } from '../../db/text.ts';
import { AppError } from '../../platform/http/errors.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

/** Cases in which a unit (or the office) still has to act: what "overdue" and SLA colours are about. */
export const RUNNING_STATES: CaseState[] = ['pending', 'dispatched', 'signed', 'processing', 'answered'];

export interface CaseFilters {
  state?: CaseState[];
  unitId?: string;
  categoryId?: string;
  /** A township (its villages included) or a village. */
  areaUnitId?: string;
  channel?: CaseChannel;
  slaColor?: 'green' | 'yellow' | 'red';
  overdue?: boolean;
  /** A number prefix or words of the title. */
  q?: string;
  /** Created on or after this day / up to the end of this day (YYYY-MM-DD, Asia/Shanghai). */
  from?: string;
  to?: string;
  hidden?: boolean;
  cursor?: string;
  pageSize?: number;
}

export interface CaseListRow extends CaseListItem {
  version: number;
  categoryNameEn: string;
  /** The unit that sent the case back (退回) until the office decides. */
  returnedByUnitId: string | null;
  returnedByUnitName: string | null;
}

export interface CasePage<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * How a list is ordered, and so what its keyset cursor holds: newest first by (created_at, id); the
 * overdue list oldest deadline first by (due_at, id); a case-number prefix by number, highest first.
 */
type SortMode = 'created' | 'due' | 'no';

/** A keyset cursor: the order, and the last row's sort key and id, opaque to clients. */
export function encodeCursor(mode: SortMode, key: string, id: string): string {
  return Buffer.from(`${mode}|${key}|${id}`, 'utf8').toString('base64url');
}

/** The cursor's key and id; 400 when it is not one of this list's cursors (another order, garbage). */
function decodeCursor(cursor: string, mode: SortMode): { key: string; id: string } {
  const [m, key, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const keyOk = mode === 'no' ? CASE_NO_PREFIX.test(key ?? '') : !Number.isNaN(Date.parse(key ?? ''));
  if (m !== mode || !key || !id || !keyOk) {
    throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'cursor', code: 'field.invalid' }]);
  }
  return { key, id };
}

const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 24 * 3600_000).toISOString();

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .leftJoin('org_units as ar', 'ar.id', 'c.area_unit_id')
    .leftJoin('org_units as rb', 'rb.id', 'c.returned_by_unit_id')
    .select([
      'c.id',
      'c.no',
      'c.kind',
      'c.channel',
      'c.level',
      'c.category_id',
      'k.name_zh as category_name',
      'k.name_en as category_name_en',
      'c.title',
      'c.address',
      'c.area_unit_id',
      'ar.name as area_name',
      'c.unit_id',
      'u.name as unit_name',
      'c.returned_by_unit_id',
      'rb.name as returned_by_name',
      'c.state',
      'c.version',
      'c.sla_color',
      'c.due_at',
      'c.rating',
      'c.hidden',
      'c.created_at',
      'c.updated_at',
    ]);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toListItem(r: BaseRow): CaseListRow {
  return {
    id: r.id,
    no: r.no,
    kind: r.kind as CaseKind,
    channel: r.channel as CaseChannel,
    level: r.level as CaseLevel,
    categoryId: r.category_id,
    categoryName: r.category_name,
    categoryNameEn: r.category_name_en,
    title: r.title,
    address: r.address,
    areaUnitId: r.area_unit_id,
    areaName: r.area_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    returnedByUnitId: r.returned_by_unit_id,
    returnedByUnitName: r.returned_by_name,
    state: r.state as CaseState,
    version: Number(r.version),
    slaColor: r.sla_color as CaseListItem['slaColor'],
    dueAt: r.due_at,
    rating: r.rating === null ? null : Number(r.rating),
    hidden: bool(r.hidden),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A whole case number (`SP-2026-000123`), any case. */
const CASE_NO = /^(SP|SS|RX|OP)-\d{4}-\d{6}$/i;
/** The start of one (`sp`, `SP-2026`, `SP-2026-01`): searched as a range of the number index. */
const CASE_NO_PREFIX = /^(SP|SS|RX|OP)(-\d{0,4}|-\d{4}-\d{0,6})?$/i;
/**
 * Title words are matched by scanning cases, newest first: each page scans at most this many cases
 * after its cursor (a page may come back short, with a cursor to scan on). A search over every title
 * would need a full-text index (SQLite FTS5 with the trigram tokenizer, PostgreSQL pg_trgm).
 */
export const TITLE_SCAN_WINDOW = 20_000;
/**
 * Several states, or a township and its villages, are read as one index-ordered page per state and
 * area (merged, then cut): SQLite, without statistics, would otherwise read and sort every case of
 * them. Up to this many parts; beyond, one query with `in`.
 */
const MAX_PARTS = 64;

const casesFrom = (db: Kysely<DB>) => db.selectFrom('cases as c');
type CaseQuery = ReturnType<typeof casesFrom>;

/**
 * The number column as the prefix search compares it: PostgreSQL in byte order (`collate "C"`, index
 * `cases_no_c`), whatever the database's collation; SQLite's default collation already is.
 */
const noKey = (engine: Engine) => (engine === 'postgres' ? sql<string>`c.no collate "C"` : sql<string>`c.no`);

/** The sort key of a mode as SQL, and its direction. */
function sortOf(mode: SortMode, engine: Engine) {
  if (mode === 'due') return { key: sql<string>`c.due_at`, dir: 'asc' as const };
  if (mode === 'no') return { key: noKey(engine), dir: 'desc' as const };
  return { key: sql<string>`c.created_at`, dir: 'desc' as const };
}

/** One index-ordered slice: the rows after the cursor, in order, `limit` of them (id and sort key). */
function slice(
  q: CaseQuery,
  mode: SortMode,
  engine: Engine,
  cursor: { key: string; id: string } | null,
  limit: number,
) {
  const { key, dir } = sortOf(mode, engine);
  let s = q.select([sql<string>`c.id`.as('id'), key.as('k')]);
  if (cursor) {
    // A row-value comparison: both engines walk the sort key's index from the cursor on.
    s = s.where(
      dir === 'desc'
        ? sql<SqlBool>`(${key}, c.id) < (${cursor.key}, ${cursor.id})`
        : sql<SqlBool>`(${key}, c.id) > (${cursor.key}, ${cursor.id})`,
    );
  }
  return s.orderBy(key, dir).orderBy('c.id', dir).limit(limit);
}

/** One query per state and area (each of the lists may be empty: no split on it). */
function partsOf(q: CaseQuery, states: CaseState[], areas: string[]): CaseQuery[] {
  const parts: CaseQuery[] = [];
  for (const s of states.length ? states : [null]) {
    for (const a of areas.length ? areas : [null]) {
      let p = q;
      if (s) p = p.where('c.state', '=', s);
      if (a) p = p.where('c.area_unit_id', '=', a);
      parts.push(p);
    }
  }
  return parts;
}

/** The page's ids from several parts: each part's first `limit` in order, merged and cut. */
function mergedIds(
  db: Kysely<DB>,
  parts: CaseQuery[],
  mode: SortMode,
  engine: Engine,
  cursor: { key: string; id: string } | null,
  limit: number,
) {
  const { dir } = sortOf(mode, engine);
  // Each part ordered and cut inside its own subquery (a compound member may not order itself).
  const wrapped = parts.map((p, i) =>
    db.selectFrom(slice(p, mode, engine, cursor, limit).as(`p${i}`)).selectAll(),
  );
  const union = wrapped.slice(1).reduce((acc, w) => acc.unionAll(w), wrapped[0]);
  return db.selectFrom(union.as('u')).select('u.id').orderBy('u.k', dir).orderBy('u.id', dir).limit(limit);
}

/**
 * The office list: filters, data scope, keyset paging. A scope other than "all" sees cases whose unit,
 * first unit, returning unit or area lies in it (each an indexed `in (units of the scope)`).
 *
 * What is fast over a million cases (docs/performance.md §6): every filter that an index orders newest
 * first (state, unit, category, area, channel with one of them); several states or a township with its
 * villages (one index-ordered part each, merged); a whole number (`no =`), a number prefix (a range of
 * the number index, listed by number); overdue cases (the `cases_due` index, oldest deadline first). Title
 * words scan at most TITLE_SCAN_WINDOW cases per page.
 */
export async function listCases(
  db: Kysely<DB>,
  engine: Engine,
  scope: Scope,
  f: CaseFilters,
  now: Date,
): Promise<CasePage<CaseListRow>> {
  if (scope.kind === 'none') return { items: [], nextCursor: null };
  const pageSize = f.pageSize ?? 20;
  const text = f.q?.trim() ?? '';
  const wholeNo = CASE_NO.test(text);
  const noPrefix = !wholeNo && CASE_NO_PREFIX.test(text);
  const mode: SortMode = noPrefix ? 'no' : f.overdue ? 'due' : 'created';
  const cursor = f.cursor ? decodeCursor(f.cursor, mode) : null;

  let q: CaseQuery = casesFrom(db);
  if (scope.kind !== 'all') {
    const units = db
      .selectFrom('org_units')
      .select('org_units.id')
      .where(unitInScope(scope, 'org_units.path', 'org_units.id'));
    q = q.where((eb) =>
      eb.or([
        eb('c.unit_id', 'in', units),
        eb('c.first_unit_id', 'in', units),
        eb('c.returned_by_unit_id', 'in', units),
        eb('c.area_unit_id', 'in', units),
      ]),
    );
  }
  if (f.unitId) q = q.where('c.unit_id', '=', f.unitId);
  if (f.categoryId) q = q.where('c.category_id', '=', f.categoryId);
  if (f.channel) q = q.where('c.channel', '=', f.channel);
  if (f.slaColor) q = q.where('c.sla_color', '=', f.slaColor).where('c.state', 'in', RUNNING_STATES);
  // due_at is set only while an answer is awaited: the `cases_due` range is the overdue cases, read
  // in the list's order. The state test is written so that no index serves it (`state || ''`): SQLite,
  // without statistics, would otherwise read every running case by state and sort them.
  if (f.overdue)
    q = q
      .where('c.due_at', '<', now.toISOString())
      .where(sql<SqlBool>`(c.state || '') in (${sql.join(RUNNING_STATES)})`);
  if (f.from) q = q.where('c.created_at', '>=', dayStart(f.from));
  if (f.to) q = q.where('c.created_at', '<', dayAfter(f.to));
  if (f.hidden !== undefined) q = q.where('c.hidden', '=', f.hidden);

  // The end of this page's title scan: the TITLE_SCAN_WINDOW-th case after the cursor (none: to the end).
  let windowEnd: { key: string; id: string } | null = null;
  if (wholeNo) q = q.where('c.no', '=', text.toUpperCase());
  else if (noPrefix) {
    const p = text.toUpperCase();
    // Numbers are ASCII: every one starting with p lies in [p, p + U+FFFF).
    q = q
      .where(sql<SqlBool>`${noKey(engine)} >= ${p}`)
      .where(sql<SqlBool>`${noKey(engine)} < ${`${p}\uffff`}`);
  } else if (text) {
    // (The overdue list is bounded by its index range already.)
    if (mode === 'created') {
      let w = casesFrom(db);
      if (cursor) w = w.where(sql<SqlBool>`(c.created_at, c.id) < (${cursor.key}, ${cursor.id})`);
      const end = await w
        .select(['c.created_at', 'c.id'])
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .offset(TITLE_SCAN_WINDOW - 1)
        .limit(1)
        .executeTakeFirst();
      if (end) {
        windowEnd = { key: end.created_at, id: end.id };
        q = q.where(sql<SqlBool>`(c.created_at, c.id) >= (${end.created_at}, ${end.id})`);
      }
    }
    q = q.where(containsText(sql.ref('c.title'), text));
  }

  // Parts: one per state and area when several (see MAX_PARTS), else the query as it is.
  const states = f.state ?? [];
  let areas: string[] = [];
  if (f.areaUnitId) {
    const rows = await db
      .selectFrom('org_units')
      .select('id')
      .where((eb) =>
        eb.or([eb('id', '=', f.areaUnitId as string), eb('parent_id', '=', f.areaUnitId as string)]),
      )
      .execute();
    areas = rows.map((r) => r.id);
    if (!areas.length) return { items: [], nextCursor: null };
  }
  const split =
    mode === 'created' &&
    (states.length > 1 || areas.length > 1) &&
    Math.max(1, states.length) * Math.max(1, areas.length) <= MAX_PARTS;
  const limit = pageSize + 1;
  const ids = split
    ? mergedIds(db, partsOf(q, states, areas), mode, engine, cursor, limit)
    : slice(
        states.length || areas.length
          ? q.where((eb) =>
              eb.and([
                ...(states.length ? [eb('c.state', 'in', states)] : []),
                ...(areas.length ? [eb('c.area_unit_id', 'in', areas)] : []),
              ]),
            )
          : q,
        mode,
        engine,
        cursor,
        limit,
      )
        .clearSelect()
        .select('c.id');

  const { key, dir } = sortOf(mode, engine);
  const rows = await baseQuery(db)
    .select(key.as('sort_key'))
    .where('c.id', 'in', ids)
    .orderBy(key, dir)
    .orderBy('c.id', dir)
    .limit(limit)
    .execute();
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  let nextCursor: string | null = null;
  if (more && last) nextCursor = encodeCursor(mode, last.sort_key, last.id);
  // A title search that found fewer than a page in its window goes on from the window's end.
  else if (windowEnd) nextCursor = encodeCursor(mode, windowEnd.key, windowEnd.id);
  return { items: page.map(toListItem), nextCursor };
}

/** Page `page` (from 1) of a small list, newest first, with the total (a citizen's own, the public ones). */
async function offsetPage(q: ReturnType<typeof baseQuery>, pageNo: number, pageSize: number) {
  const [rows, count] = await Promise.all([
    q
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(pageSize)
      .offset((pageNo - 1) * pageSize)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  return { items: rows.map(toListItem), total: Number(count?.n ?? 0) };
}

/** A citizen's own cases, newest first. */
export async function listMine(db: Kysely<DB>, userId: string, pageNo: number, pageSize: number) {
  return offsetPage(baseQuery(db).where('c.reporter_id', '=', userId), pageNo, pageSize);
}

/** States the public sees: merged cases point to their original, rejected ones are not shown. */
const PUBLIC_HIDDEN_STATES: CaseState[] = ['merged', 'rejected'];

/** Public cases (category public, not hidden, not merged or rejected), newest first. */
export async function listPublic(
  db: Kysely<DB>,
  f: { categoryId?: string; areaUnitId?: string; state?: CaseState[]; page?: number; pageSize?: number },
) {
  let q = baseQuery(db)
    .where('c.public', '=', true)
    .where('c.hidden', '=', false)
    .where('c.state', 'not in', PUBLIC_HIDDEN_STATES);
  if (f.categoryId) q = q.where('c.category_id', '=', f.categoryId);
  if (f.areaUnitId) {
    const area = f.areaUnitId;
    q = q.where((eb) =>
      eb.or([
        eb('c.area_unit_id', '=', area),
        eb('c.area_unit_id', 'in', eb.selectFrom('org_units').select('id').where('parent_id', '=', area)),
      ]),
    );
  }
  if (f.state?.length) q = q.where('c.state', 'in', f.state);
  return offsetPage(q, f.page ?? 1, f.pageSize ?? 20);
}

export function deadlinesOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('deadlines')
    .selectAll()
    .where('record_type', '=', 'case')
    .where('record_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function pendingExtensionOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('deadline_extensions as e')
    .leftJoin('users as u', 'u.id', 'e.requested_by')
    .selectAll('e')
    .select('u.display_name as requested_by_name')
    .where('e.record_type', '=', 'case')
    .where('e.record_id', '=', id)
    .where('e.status', '=', 'pending')
    .executeTakeFirst();
}

export async function ratingsOf(db: Kysely<DB>, id: string) {
  const rows = await db
    .selectFrom('case_ratings as r')
    .leftJoin('org_units as u', 'u.id', 'r.unit_id')
    .select(['r.round', 'r.score', 'r.comment', 'r.created_at', 'r.unit_id', 'u.name as unit_name'])
    .where('r.case_id', '=', id)
    .orderBy('r.round')
    .execute();
  return rows.map((r) => ({
    round: Number(r.round),
    score: Number(r.score),
    comment: r.comment,
    unitId: r.unit_id,
    unitName: r.unit_name,
    createdAt: r.created_at,
  }));
}

export async function unitNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
