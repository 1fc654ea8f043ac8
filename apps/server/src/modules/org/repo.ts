import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { OrgGroup, OrgUnit, OrgUnitType } from '../../../../../packages/contracts/src/index.ts';
import type { Engine } from '../../db/index.ts';
import { json } from '../../db/normalize.ts';
import { pathRange } from '../../db/paths.ts';
import type { DB, OrgUnitTable } from '../../db/schema.ts';
import { containsText } from '../../db/text.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

type UnitQuery<O> = SelectQueryBuilder<DB, 'org_units', O>;

/** Restricts a query on org_units to the caller's data scope. */
export function scoped<O>(q: UnitQuery<O>, scope: Scope): UnitQuery<O> {
  return q.where(unitInScope(scope, 'org_units.path', 'org_units.id'));
}

export function inScope(unit: Pick<OrgUnitTable, 'id' | 'path'>, scope: Scope): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'subtree':
      return unit.path.startsWith(scope.path);
    case 'own':
      return unit.id === scope.unitId;
    case 'none':
      return false;
  }
}

export function toOrgUnit(row: OrgUnitTable, aliases: string[]): OrgUnit {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    shortName: row.short_name,
    type: row.type as OrgUnitType,
    regionCode: row.region_code,
    sort: Number(row.sort),
    aliases,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function aliasesByUnit(
  db: Kysely<DB>,
  unitIds: string[] | 'all',
): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (unitIds !== 'all' && unitIds.length === 0) return map;
  let q = db.selectFrom('org_aliases').select(['alias', 'unit_id']).orderBy('alias');
  if (unitIds !== 'all' && unitIds.length <= 500) q = q.where('unit_id', 'in', unitIds);
  for (const r of await q.execute()) {
    const list = map.get(r.unit_id);
    if (list) list.push(r.alias);
    else map.set(r.unit_id, [r.alias]);
  }
  return map;
}

export interface UnitListFilter {
  rootId?: string;
  /** Name or alias contains this text. */
  keyword?: string;
  /** Without a page size, the whole (scoped) list: what the tree view needs. */
  page?: number;
  pageSize?: number;
}

export async function listUnitRows(
  db: Kysely<DB>,
  scope: Scope,
  f: UnitListFilter = {},
): Promise<{ rows: OrgUnitTable[]; total: number }> {
  let q = scoped(db.selectFrom('org_units').selectAll(), scope);
  if (f.rootId) {
    const root = await db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', f.rootId)
      .executeTakeFirst();
    if (!root) return { rows: [], total: 0 };
    const [lo, hi] = pathRange(root.path);
    q = q.where('org_units.path', '>=', lo).where('org_units.path', '<', hi);
  }
  if (f.keyword) {
    const k = f.keyword;
    q = q.where((eb) =>
      eb.or([
        containsText(eb.ref('org_units.name'), k),
        eb(
          'org_units.id',
          'in',
          eb
            .selectFrom('org_aliases')
            .select('unit_id')
            .where((a) => containsText(a.ref('org_aliases.alias'), k)),
        ),
      ]),
    );
  }
  if (!f.pageSize) {
    const rows = await q.orderBy('depth').orderBy('sort').orderBy('name').orderBy('id').execute();
    return { rows, total: rows.length };
  }
  // Pages follow tree order (the materialised path: each unit right after its parent, siblings by
  // creation): the path index yields it directly, so a page costs its own rows, not a sort of the subtree.
  const count = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const rows = await q
    .orderBy('org_units.path')
    .limit(f.pageSize)
    .offset(((f.page ?? 1) - 1) * f.pageSize)
    .execute();
  return { rows, total: Number(count?.n ?? 0) };
}

export function findUnitRow(db: Kysely<DB>, id: string): Promise<OrgUnitTable | undefined> {
  return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function unitView(db: Kysely<DB>, row: OrgUnitTable): Promise<OrgUnit> {
  const aliases = await aliasesByUnit(db, [row.id]);
  return toOrgUnit(row, aliases.get(row.id) ?? []);
}

export async function siblingNameTaken(
  db: Kysely<DB>,
  parentId: string | null,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db.selectFrom('org_units').select('id').where('name', '=', name);
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function groupViews(db: Kysely<DB>, ids?: string[]): Promise<OrgGroup[]> {
  let q = db.selectFrom('org_groups').selectAll().orderBy('name');
  if (ids) q = q.where('id', 'in', ids);
  const groups = await q.execute();
  if (groups.length === 0) return [];
  const members = await db
    .selectFrom('org_group_members')
    .select(['group_id', 'unit_id'])
    .where(
      'group_id',
      'in',
      groups.map((g) => g.id),
    )
    .execute();
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    aliases: json<string[]>(g.aliases) ?? [],
    memberIds: members.filter((m) => m.group_id === g.id).map((m) => m.unit_id),
  }));
}

/** Serialises writes that depend on materialised paths (PostgreSQL; SQLite has a single writer). */
export async function lockTree(engine: Engine, db: Kysely<DB>): Promise<void> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7370002)`.execute(db);
}
