import type { Kysely } from 'kysely';
import type { AuditEntry, Page } from '../../../../../packages/contracts/src/index.ts';
import { int, json } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { startsWithText } from '../../db/text.ts';
import { invalidField } from '../../platform/http/errors.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

function instant(field: string, value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalidField(field, 'field.format', { format: 'date-time' });
  return d.toISOString();
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/**
 * Audit rows visible to the caller: everything with scope "all"; otherwise the rows written by people
 * of the caller's unit (own) or subtree.
 */
export async function listAudit(db: Kysely<DB>, scope: Scope, f: AuditFilter): Promise<Page<AuditEntry>> {
  let q = db.selectFrom('audit_log');
  if (scope.kind !== 'all') {
    q = q.where('actor_id', 'in', (eb) =>
      eb
        .selectFrom('users as u')
        .innerJoin('org_units as o', 'o.id', 'u.unit_id')
        .select('u.id')
        .where(unitInScope(scope, 'o.path', 'o.id')),
    );
  }
  if (f.actor)
    q = q.where((eb) =>
      eb.or([eb('actor_id', '=', f.actor as string), eb('actor_name', '=', f.actor as string)]),
    );
  if (f.action) {
    const action = f.action;
    q = q.where((eb) => startsWithText(eb.ref('action'), action));
  }
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.from) q = q.where('at', '>=', instant('from', f.from));
  if (f.to) q = q.where('at', '<=', instant('to', f.to));
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    total: int(total?.n),
    items: rows.map((r) => ({
      seq: int(r.seq),
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      ip: r.ip,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: json(r.before_json),
      after: json(r.after_json),
      hash: r.hash,
    })),
  };
}
