import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../db/index.ts';
import { int } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { containsText } from '../../db/text.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

export interface MatterFilter {
  state?: string;
  color?: string;
  assigneeUnitId?: string;
  keyword?: string;
  /** Only matters whose resolution deadline has passed. */
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

/** Matters visible in a scope: assigned to a unit in it, or assigned by one. */
function visibleMatters(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('matters as m')
    .innerJoin('org_units as a', 'a.id', 'm.assignee_unit_id')
    .leftJoin('org_units as o', 'o.id', 'm.assigner_unit_id')
    .where((eb) => eb.or([unitInScope(scope, 'a.path', 'a.id'), unitInScope(scope, 'o.path', 'o.id')]));
}

export async function listMatterRows(db: Kysely<DB>, scope: Scope, f: MatterFilter, now: Date) {
  let q = visibleMatters(db, scope);
  if (f.state) q = q.where('m.state', '=', f.state);
  // A color is a running matter's: closed and cancelled ones keep a stale one (as in matterStats).
  if (f.color) q = q.where('m.sla_color', '=', f.color).where('m.state', 'not in', ['closed', 'cancelled']);
  if (f.assigneeUnitId) q = q.where('m.assignee_unit_id', '=', f.assigneeUnitId);
  if (f.keyword) {
    const k = f.keyword;
    q = q.where((eb) => eb.or([containsText(eb.ref('m.title'), k), containsText(eb.ref('m.no'), k)]));
  }
  if (f.overdue)
    q = q.where('m.due_at', '<', now.toISOString()).where('m.state', 'in', ['assigned', 'in_progress']);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const pageSize = f.pageSize ?? 20;
  const rows = await q
    .selectAll('m')
    .select(['a.name as assignee_name', 'o.name as assigner_name'])
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(pageSize)
    .offset(((f.page ?? 1) - 1) * pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}

export async function matterStats(db: Kysely<DB>, scope: Scope) {
  const byState = await visibleMatters(db, scope)
    .select(['m.state', (eb) => eb.fn.countAll().as('n')])
    .groupBy('m.state')
    .execute();
  const byColor = await visibleMatters(db, scope)
    .where('m.state', 'not in', ['closed', 'cancelled'])
    .select(['m.sla_color', (eb) => eb.fn.countAll().as('n')])
    .groupBy('m.sla_color')
    .execute();
  return {
    byState: Object.fromEntries(byState.map((r) => [r.state, int(r.n)])),
    byColor: Object.fromEntries(byColor.map((r) => [r.sla_color, int(r.n)])),
  };
}

/** The next number of the year, JB-2026-0001…; on PostgreSQL serialised by an advisory lock. */
export async function nextMatterNo(db: Kysely<DB>, engine: Engine, year: number): Promise<string> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7370002)`.execute(db);
  const prefix = `JB-${year}-`;
  const last = await db
    .selectFrom('matters')
    .select((eb) => eb.fn.max('no').as('no'))
    .where('no', 'like', `${prefix}%`)
    .executeTakeFirst();
  const n = last?.no ? Number(last.no.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}

export function deadlinesOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('deadlines')
    .selectAll()
    .where('record_type', '=', 'matter')
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
    .where('e.record_type', '=', 'matter')
    .where('e.record_id', '=', id)
    .where('e.status', '=', 'pending')
    .executeTakeFirst();
}

export async function unitNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('org_units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
