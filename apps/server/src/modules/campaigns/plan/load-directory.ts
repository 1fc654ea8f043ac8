/** Builds the parser's unit directory from the org tree: units with aliases, and groups with members. */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { aliasesByUnit, groupViews } from '../../org/repo.ts';
import type { UnitDirectory } from './types.ts';

/** Units in tree order (sorted here, not by the database's collation), so output is the same on both engines. */
export async function loadUnitDirectory(db: Kysely<DB>): Promise<UnitDirectory> {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'name', 'short_name', 'type', 'path'])
    .execute();
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const order = new Map(rows.map((r, i) => [r.id, i]));
  const aliases = await aliasesByUnit(db, 'all');
  const groups = await groupViews(db);
  return {
    units: rows.map((r) => ({
      id: r.id,
      name: r.name,
      shortName: r.short_name,
      type: r.type,
      aliases: aliases.get(r.id) ?? [],
    })),
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      aliases: g.aliases,
      memberIds: [...g.memberIds].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    })),
  };
}
