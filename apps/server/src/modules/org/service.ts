import { type Kysely, sql } from 'kysely';
import type { OrgGroup, OrgUnit, OrgUnitType } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { pathRange } from '../../db/paths.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { perDatabase, VersionedCache } from '../../platform/cache/cache.ts';
import { withReusableJson } from '../../platform/cache/json.ts';
import { versionsOf } from '../../platform/cache/versions.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalidField, notFound } from '../../platform/http/errors.ts';
import { type Scope, scopeKey } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import {
  aliasesByUnit,
  findUnitRow,
  groupViews,
  inScope,
  listUnitRows,
  lockTree,
  siblingNameTaken,
  toOrgUnit,
  type UnitListFilter,
  unitView,
} from './repo.ts';

export interface UnitInput {
  parentId: string;
  name: string;
  shortName?: string | null;
  type: OrgUnitType;
  regionCode?: string | null;
  sort?: number;
}

export interface UnitPatch {
  name?: string;
  shortName?: string | null;
  type?: OrgUnitType;
  regionCode?: string | null;
  sort?: number;
}

export interface UnitList {
  items: OrgUnit[];
  total: number;
}

/**
 * Unit lists by caller scope and query (decision 0006): valid while the `org` cache version is
 * unchanged, i.e. until any unit or alias is written. At most 500 lists and 20,000 units in all.
 */
export const unitListCacheOf = perDatabase(() => new VersionedCache<UnitList>(['org'], 500, 20_000));

/** A cached list is shared by every request that asks for it: frozen, and its JSON made only once. */
function frozen(list: UnitList): UnitList {
  for (const u of list.items) Object.freeze(Object.freeze(u).aliases);
  Object.freeze(list.items);
  return Object.freeze(withReusableJson(list));
}

export async function listUnits(
  ctx: AppContext,
  scope: Scope,
  filter: UnitListFilter = {},
): Promise<UnitList> {
  // The edge read the versions for this request (listing needs a session): reuse that reading.
  const versions = await versionsOf(ctx.database).recent();
  const cache = unitListCacheOf(ctx.database);
  const key = JSON.stringify([
    scopeKey(scope),
    filter.rootId ?? null,
    filter.keyword ?? null,
    filter.page ?? null,
    filter.pageSize ?? null,
  ]);
  const hit = versions && cache.get(key, versions);
  if (hit) return hit;
  const { rows, total } = await listUnitRows(ctx.database.db, scope, filter);
  const aliases = await aliasesByUnit(ctx.database.db, rows.length > 500 ? 'all' : rows.map((r) => r.id));
  const list = { items: rows.map((r) => toOrgUnit(r, aliases.get(r.id) ?? [])), total };
  if (!versions) return list;
  cache.set(key, versions, frozen(list), list.items.length + 1);
  return list;
}

async function visibleUnit(ctx: AppContext, scope: Scope, id: string) {
  const row = await findUnitRow(ctx.database.db, id);
  if (!row || !inScope(row, scope)) throw notFound();
  return row;
}

export async function getUnit(ctx: AppContext, scope: Scope, id: string): Promise<OrgUnit> {
  return unitView(ctx.database.db, await visibleUnit(ctx, scope, id));
}

export async function createUnit(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  input: UnitInput,
): Promise<OrgUnit> {
  const name = input.name.trim();
  return writeTx(ctx, actor, async (tx) => {
    // The parent's path is read under the tree lock, so a concurrent move cannot leave it stale.
    await lockTree(ctx.database.engine, tx.db);
    const parent = await findUnitRow(tx.db, input.parentId);
    if (!parent || !inScope(parent, scope)) throw invalidField('parentId', 'field.unknownUnit');
    if (await siblingNameTaken(tx.db, parent.id, name)) throw new AppError(409, 'UNIT_NAME_TAKEN');
    const id = uuidv7();
    const now = ctx.clock.now().toISOString();
    const row = {
      id,
      parent_id: parent.id,
      path: `${parent.path}${id}/`,
      depth: parent.depth + 1,
      name,
      short_name: input.shortName?.trim() || null,
      type: input.type,
      region_code: input.regionCode?.trim() || null,
      sort: input.sort ?? 0,
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('org_units').values(row).execute();
    const view = toOrgUnit(row, []);
    await tx.audit({ action: 'org.unit.create', entity: 'org_unit', entityId: id, after: view });
    return view;
  });
}

export async function updateUnit(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  patch: UnitPatch,
): Promise<OrgUnit> {
  const row = await visibleUnit(ctx, scope, id);
  return writeTx(ctx, actor, async (tx) => {
    const before = await unitView(tx.db, row);
    const name = patch.name?.trim() ?? row.name;
    if (name !== row.name && (await siblingNameTaken(tx.db, row.parent_id, name, id))) {
      throw new AppError(409, 'UNIT_NAME_TAKEN');
    }
    const next = {
      name,
      short_name: patch.shortName === undefined ? row.short_name : patch.shortName?.trim() || null,
      type: patch.type ?? row.type,
      region_code: patch.regionCode === undefined ? row.region_code : patch.regionCode?.trim() || null,
      sort: patch.sort ?? row.sort,
      updated_at: ctx.clock.now().toISOString(),
    };
    await tx.db.updateTable('org_units').set(next).where('id', '=', id).execute();
    const after = toOrgUnit({ ...row, ...next }, before.aliases);
    await tx.audit({ action: 'org.unit.update', entity: 'org_unit', entityId: id, before, after });
    return after;
  });
}

export async function moveUnit(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  parentId: string,
): Promise<OrgUnit> {
  await visibleUnit(ctx, scope, id);
  return writeTx(ctx, actor, async (tx) => {
    // Moves rewrite paths of whole subtrees: one at a time, with both rows read inside the lock, so two
    // crossing moves cannot make a cycle. (SQLite transactions are serialised already.)
    await lockTree(ctx.database.engine, tx.db);
    const row = await findUnitRow(tx.db, id);
    if (!row) throw notFound();
    if (row.parent_id === null) throw new AppError(400, 'ROOT_UNIT');
    const parent = await findUnitRow(tx.db, parentId);
    if (!parent || !inScope(parent, scope)) throw invalidField('parentId', 'field.unknownUnit');
    if (parent.path.startsWith(row.path)) {
      throw new AppError(400, 'MOVE_INTO_DESCENDANT', {}, [{ field: 'parentId', code: 'field.invalid' }]);
    }
    if (await siblingNameTaken(tx.db, parent.id, row.name, id)) throw new AppError(409, 'UNIT_NAME_TAKEN');
    const newPath = `${parent.path}${id}/`;
    const depthDelta = parent.depth + 1 - row.depth;
    const [lo, hi] = pathRange(row.path);
    // One statement rewrites the whole subtree: the new prefix, the rest of each path kept, depth shifted.
    const moved = await sql`update org_units
      set path = cast(${newPath} as text) || substr(path, cast(${row.path.length + 1} as integer)),
          depth = depth + cast(${depthDelta} as integer)
      where path >= ${lo} and path < ${hi}`.execute(tx.db);
    await tx.db
      .updateTable('org_units')
      .set({ parent_id: parent.id, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await tx.audit({
      action: 'org.unit.move',
      entity: 'org_unit',
      entityId: id,
      before: { parentId: row.parent_id },
      after: { parentId: parent.id, movedUnits: Number(moved.numAffectedRows ?? 0) },
    });
    const after = await findUnitRow(tx.db, id);
    if (!after) throw notFound();
    return unitView(tx.db, after);
  });
}

export async function deleteUnit(ctx: AppContext, actor: Actor, scope: Scope, id: string): Promise<void> {
  const row = await visibleUnit(ctx, scope, id);
  if (row.parent_id === null) throw new AppError(400, 'ROOT_UNIT');
  await writeTx(ctx, actor, async (tx) => {
    const child = await tx.db
      .selectFrom('org_units')
      .select('id')
      .where('parent_id', '=', id)
      .executeTakeFirst();
    const user = await tx.db.selectFrom('users').select('id').where('unit_id', '=', id).executeTakeFirst();
    if (child || user) throw new AppError(409, 'UNIT_NOT_EMPTY');
    const before = await unitView(tx.db, row);
    await tx.db.deleteFrom('org_units').where('id', '=', id).execute();
    await tx.audit({ action: 'org.unit.delete', entity: 'org_unit', entityId: id, before });
  });
}

export async function addAlias(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  alias: string,
): Promise<OrgUnit> {
  const row = await visibleUnit(ctx, scope, id);
  const a = alias.trim();
  return writeTx(ctx, actor, async (tx) => {
    const existing = await tx.db
      .selectFrom('org_aliases')
      .select('unit_id')
      .where('alias', '=', a)
      .executeTakeFirst();
    if (existing) {
      if (existing.unit_id === id) return unitView(tx.db, row);
      const other = await findUnitRow(tx.db, existing.unit_id);
      throw new AppError(409, 'ALIAS_TAKEN', { unit: other?.name ?? '' }, [
        { field: 'alias', code: 'field.invalid' },
      ]);
    }
    await tx.db
      .insertInto('org_aliases')
      .values({ alias: a, unit_id: id, created_at: ctx.clock.now().toISOString() })
      .execute();
    await tx.audit({ action: 'org.alias.add', entity: 'org_unit', entityId: id, after: { alias: a } });
    return unitView(tx.db, row);
  });
}

export async function removeAlias(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  alias: string,
): Promise<OrgUnit> {
  const row = await visibleUnit(ctx, scope, id);
  return writeTx(ctx, actor, async (tx) => {
    const res = await tx.db
      .deleteFrom('org_aliases')
      .where('alias', '=', alias)
      .where('unit_id', '=', id)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound();
    await tx.audit({ action: 'org.alias.remove', entity: 'org_unit', entityId: id, before: { alias } });
    return unitView(tx.db, row);
  });
}

export interface GroupInput {
  name: string;
  description?: string | null;
  aliases?: string[];
  memberIds: string[];
}

/** Which of these units the caller may see. */
async function visibleIds(db: Kysely<DB>, scope: Scope, ids: string[]): Promise<Set<string>> {
  if (scope.kind === 'all' || ids.length === 0) return new Set(ids);
  const rows = await db.selectFrom('org_units').select(['id', 'path']).where('id', 'in', ids).execute();
  return new Set(rows.filter((r) => inScope(r, scope)).map((r) => r.id));
}

/** Groups are shared definitions; a scoped caller sees only the members inside its scope. */
export async function listGroups(ctx: AppContext, scope: Scope): Promise<OrgGroup[]> {
  const groups = await groupViews(ctx.database.db);
  const visible = await visibleIds(ctx.database.db, scope, [...new Set(groups.flatMap((g) => g.memberIds))]);
  return groups.map((g) => ({ ...g, memberIds: g.memberIds.filter((m) => visible.has(m)) }));
}

/** Changing or deleting a group is for callers who can see every unit in it. */
async function assertWholeGroupInScope(db: Kysely<DB>, scope: Scope, group: OrgGroup): Promise<void> {
  const visible = await visibleIds(db, scope, group.memberIds);
  if (group.memberIds.some((m) => !visible.has(m))) throw new AppError(403, 'GROUP_OUTSIDE_SCOPE');
}

async function checkMembers(ctx: AppContext, scope: Scope, memberIds: string[]): Promise<void> {
  for (const [i, mid] of memberIds.entries()) {
    const row = await findUnitRow(ctx.database.db, mid);
    if (!row || !inScope(row, scope)) throw invalidField(`memberIds.${i}`, 'field.unknownUnit');
  }
}

export async function saveGroup(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string | null,
  input: GroupInput,
): Promise<OrgGroup> {
  const memberIds = [...new Set(input.memberIds)];
  await checkMembers(ctx, scope, memberIds);
  const name = input.name.trim();
  return writeTx(ctx, actor, async (tx) => {
    const clash = await tx.db
      .selectFrom('org_groups')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash && clash.id !== id)
      throw new AppError(409, 'GROUP_NAME_TAKEN', {}, [{ field: 'name', code: 'field.invalid' }]);
    const now = ctx.clock.now().toISOString();
    const values = {
      name,
      description: input.description?.trim() || null,
      aliases: JSON.stringify(input.aliases ?? []),
      updated_at: now,
    };
    let before: OrgGroup | undefined;
    const groupId = id ?? uuidv7();
    if (id) {
      [before] = await groupViews(tx.db, [id]);
      if (!before) throw notFound();
      await assertWholeGroupInScope(tx.db, scope, before);
      await tx.db.updateTable('org_groups').set(values).where('id', '=', id).execute();
      await tx.db.deleteFrom('org_group_members').where('group_id', '=', id).execute();
    } else {
      await tx.db
        .insertInto('org_groups')
        .values({ id: groupId, created_at: now, ...values })
        .execute();
    }
    if (memberIds.length) {
      await tx.db
        .insertInto('org_group_members')
        .values(memberIds.map((unit_id) => ({ group_id: groupId, unit_id })))
        .execute();
    }
    const [after] = await groupViews(tx.db, [groupId]);
    await tx.audit({
      action: id ? 'org.group.update' : 'org.group.create',
      entity: 'org_group',
      entityId: groupId,
      before,
      after,
    });
    return after;
  });
}

export async function deleteGroup(ctx: AppContext, actor: Actor, scope: Scope, id: string): Promise<void> {
  await writeTx(ctx, actor, async (tx) => {
    const [before] = await groupViews(tx.db, [id]);
    if (!before) throw notFound();
    await assertWholeGroupInScope(tx.db, scope, before);
    await tx.db.deleteFrom('org_groups').where('id', '=', id).execute();
    await tx.audit({ action: 'org.group.delete', entity: 'org_group', entityId: id, before });
  });
}
