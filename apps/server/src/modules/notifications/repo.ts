import type { Kysely } from 'kysely';
import { bool, int } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

// ---- inbox: every query is keyed by the reader's own user id ---------------------------------------

export async function inboxPage(
  db: Kysely<DB>,
  userId: string,
  f: { unread?: boolean; page: number; pageSize: number },
) {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (f.unread) q = q.where('read_at', 'is', null);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}

export async function unreadCount(db: Kysely<DB>, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return int(r?.n);
}

export function ownNotification(db: Kysely<DB>, userId: string, id: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'kind', 'read_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

// ---- preferences ---------------------------------------------------------------------------------

export async function prefRules(db: Kysely<DB>, userId: string) {
  const rows = await db
    .selectFrom('notification_prefs')
    .select(['kind', 'channel', 'enabled'])
    .where('user_id', '=', userId)
    .orderBy('channel')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, channel: r.channel, enabled: bool(r.enabled) }));
}

// ---- group robots: visible when their unit is in the caller's scope (the office's own: scope all) --

export function webhookRows(db: Kysely<DB>, scope: Scope, id?: string) {
  let q = db
    .selectFrom('notify_webhooks as w')
    .leftJoin('org_units as o', 'o.id', 'w.unit_id')
    .select([
      'w.id',
      'w.name',
      'w.channel',
      'w.unit_id',
      'w.url_enc',
      'w.secret_enc',
      'w.enabled',
      'w.created_at',
      'w.updated_at',
      'o.name as unit_name',
    ])
    .where(unitInScope(scope, 'o.path', 'o.id'));
  if (id) q = q.where('w.id', '=', id);
  return q.orderBy('o.path').orderBy('w.name').orderBy('w.id').execute();
}

export type WebhookRow = Awaited<ReturnType<typeof webhookRows>>[number];

export async function unitVisible(db: Kysely<DB>, scope: Scope, unitId: string): Promise<boolean> {
  const row = await db
    .selectFrom('org_units')
    .select('id')
    .where('id', '=', unitId)
    .where(unitInScope(scope, 'org_units.path', 'org_units.id'))
    .executeTakeFirst();
  return row !== undefined;
}

// ---- the outbox log ----------------------------------------------------------------------------------

export interface DeliveryFilter {
  status?: string;
  channel?: string;
  page: number;
  pageSize: number;
}

/** Deliveries whose recipient's unit or robot's unit is in scope. */
export async function deliveryPage(db: Kysely<DB>, scope: Scope, f: DeliveryFilter) {
  let q = db
    .selectFrom('notification_deliveries as d')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .leftJoin('org_units as uo', 'uo.id', 'u.unit_id')
    .leftJoin('notify_webhooks as w', 'w.id', 'd.webhook_id')
    .leftJoin('org_units as wo', 'wo.id', 'w.unit_id');
  if (scope.kind !== 'all') {
    q = q.where((eb) =>
      eb.or([unitInScope(scope, 'uo.path', 'uo.id'), unitInScope(scope, 'wo.path', 'wo.id')]),
    );
  }
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.channel) q = q.where('d.channel', '=', f.channel);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select([
      'd.id',
      'd.channel',
      'd.target',
      'd.text',
      'd.status',
      'd.attempts',
      'd.error',
      'd.created_at',
      'd.sent_at',
      'd.next_attempt_at',
    ])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: int(total?.n) };
}
