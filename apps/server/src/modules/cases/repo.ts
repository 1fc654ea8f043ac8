import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type {
  CaseChannel,
  CaseKind,
  CaseLevel,
  CaseListItem,
  CaseState,
} from '../../../../../packages/contracts/src/index.ts';
import { bool } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { containsText, startsWithText } from '../../db/text.ts';
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

/** A keyset cursor: the last row's (created_at, id), opaque to clients. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
    throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'cursor', code: 'field.invalid' }]);
  }
  return { createdAt, id };
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

/** Newest first by (created_at, id), one page and the cursor of the next. */
async function page(q: ReturnType<typeof baseQuery>, cursor: string | undefined, pageSize: number) {
  let query = q;
  if (cursor) {
    const c = decodeCursor(cursor);
    // A row-value comparison: both engines walk the created_at index from the cursor on.
    query = query.where(sql<SqlBool>`(c.created_at, c.id) < (${c.createdAt}, ${c.id})`);
  }
  const rows = await query
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(pageSize + 1)
    .execute();
  const more = rows.length > pageSize;
  const items = rows.slice(0, pageSize).map(toListItem);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

/**
 * The office list: filters, data scope, keyset paging. A scope other than "all" sees cases whose unit,
 * first unit, returning unit or area lies in it (each an indexed `in (units of the scope)`).
 */
export async function listCases(
  db: Kysely<DB>,
  scope: Scope,
  f: CaseFilters,
  now: Date,
): Promise<CasePage<CaseListRow>> {
  let q = baseQuery(db);
  if (scope.kind === 'none') return { items: [], nextCursor: null };
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
  if (f.state?.length) q = q.where('c.state', 'in', f.state);
  if (f.unitId) q = q.where('c.unit_id', '=', f.unitId);
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
  if (f.channel) q = q.where('c.channel', '=', f.channel);
  if (f.slaColor) q = q.where('c.sla_color', '=', f.slaColor).where('c.state', 'in', RUNNING_STATES);
  if (f.overdue) q = q.where('c.due_at', '<', now.toISOString()).where('c.state', 'in', RUNNING_STATES);
  if (f.q) {
    const text = f.q.trim();
    q = q.where((eb) =>
      eb.or([
        startsWithText(eb.ref('c.no'), text),
        containsText(eb.ref('c.title'), text),
      ] as Expression<SqlBool>[]),
    );
  }
  if (f.from) q = q.where('c.created_at', '>=', dayStart(f.from));
  if (f.to) q = q.where('c.created_at', '<', dayAfter(f.to));
  if (f.hidden !== undefined) q = q.where('c.hidden', '=', f.hidden);
  return page(q, f.cursor, f.pageSize ?? 20);
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
