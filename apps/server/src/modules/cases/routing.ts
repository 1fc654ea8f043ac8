import type { Kysely } from 'kysely';
import type { CaseKind, CaseLevel } from '../../../../../packages/contracts/src/index.ts';
import type { DB } from '../../db/schema.ts';

/**
 * Routing (分拨): which unit a new case goes to. A rule matches when its category is empty or the case's,
 * and its area is empty or contains the case's area (path prefix). The most specific rule wins: the
 * deeper area first, then a rule naming the category over one that does not. No rule: a 说事 addressed
 * to the village or township goes to that village or township itself; anything else waits in the
 * office's dispatch queue (pending).
 */

/** A rule as routing needs it: its area's path and depth are read with it. */
export interface RouteRule {
  id: string;
  categoryId: string | null;
  areaUnitId: string | null;
  /** The rule area's materialised path ('/…/id/'), null for "any area". */
  areaPath: string | null;
  areaDepth: number | null;
  unitId: string;
}

/** The case's area (a township or village), as routing needs it. */
export interface RouteArea {
  id: string;
  path: string;
  type: string;
  parentId: string | null;
}

export interface RouteInput {
  categoryId: string;
  kind: CaseKind;
  level: CaseLevel;
  area: RouteArea | null;
}

export type RouteDecision =
  | { unitId: string; reason: 'rule'; ruleId: string }
  | { unitId: string; reason: 'level' }
  | { unitId: null; reason: 'none' };

export function ruleMatches(rule: RouteRule, categoryId: string, areaPath: string | null): boolean {
  if (rule.categoryId !== null && rule.categoryId !== categoryId) return false;
  if (rule.areaUnitId === null) return true;
  return !!areaPath && !!rule.areaPath && areaPath.startsWith(rule.areaPath);
}

/** Deeper area first (no area ranks below any area), then a named category over "any category". */
function specificity(rule: RouteRule): [number, number] {
  return [rule.areaUnitId === null ? -1 : (rule.areaDepth ?? 0), rule.categoryId === null ? 0 : 1];
}

/** The most specific matching rule, or null. */
export function pickRule(rules: readonly RouteRule[], categoryId: string, areaPath: string | null) {
  let best: RouteRule | null = null;
  let bestKey: [number, number] = [-2, -1];
  for (const r of rules) {
    if (!ruleMatches(r, categoryId, areaPath)) continue;
    const key = specificity(r);
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = r;
      bestKey = key;
    }
  }
  return best;
}

/** Where a new case goes: a rule's unit, the addressed village/township (说事), or the office queue. */
export function routeCase(rules: readonly RouteRule[], input: RouteInput): RouteDecision {
  const rule = pickRule(rules, input.categoryId, input.area?.path ?? null);
  if (rule) return { unitId: rule.unitId, reason: 'rule', ruleId: rule.id };
  const area = input.area;
  if (input.kind === 'talk' && area) {
    if (input.level === 'village' && area.type === 'village') return { unitId: area.id, reason: 'level' };
    if (input.level === 'township') {
      if (area.type === 'township') return { unitId: area.id, reason: 'level' };
      if (area.type === 'village' && area.parentId) return { unitId: area.parentId, reason: 'level' };
    }
  }
  return { unitId: null, reason: 'none' };
}

// ---- repo --------------------------------------------------------------------------------------------

/** Every routing rule with its area's path (the table is small: one row per category × area at most). */
export async function loadRouteRules(db: Kysely<DB>): Promise<RouteRule[]> {
  const rows = await db
    .selectFrom('case_routing_rules as r')
    .leftJoin('org_units as a', 'a.id', 'r.area_unit_id')
    .select(['r.id', 'r.category_id', 'r.area_unit_id', 'r.unit_id', 'a.path', 'a.depth'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    areaUnitId: r.area_unit_id,
    areaPath: r.path,
    areaDepth: r.depth === null ? null : Number(r.depth),
    unitId: r.unit_id,
  }));
}

/** A township or village (what a case's area may be), or undefined. */
export async function loadArea(db: Kysely<DB>, id: string): Promise<RouteArea | undefined> {
  const row = await db
    .selectFrom('org_units')
    .select(['id', 'path', 'type', 'parent_id'])
    .where('id', '=', id)
    .where('type', 'in', ['township', 'village'])
    .executeTakeFirst();
  return row ? { id: row.id, path: row.path, type: row.type, parentId: row.parent_id } : undefined;
}
