import type { Kysely } from 'kysely';
import type { DataScope, Role, UserView } from '../../../../../packages/contracts/src/index.ts';
import { bool } from '../../db/normalize.ts';
import type { DB, UserTable } from '../../db/schema.ts';
import { containsText } from '../../db/text.ts';
import type { PiiCipher } from '../../platform/pii/crypto.ts';
import { maskIdCard, maskPhone } from '../../platform/pii/mask.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

export interface UserFilter {
  keyword?: string;
  unitId?: string;
  role?: string;
  page: number;
  pageSize: number;
}

const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.title',
  'u.unit_id',
  'u.kind',
  'u.data_scope',
  'u.status',
  'u.must_change_password',
  'u.failed_logins',
  'u.locked_until',
  'u.phone_enc',
  'u.phone_hash',
  'u.id_card_enc',
  'u.totp_enabled',
  'u.created_at',
  'u.updated_at',
  'o.name as unit_name',
  'o.path as unit_path',
] as const;

/**
 * The people an administrator manages. API keys' service accounts are not among them: they are managed
 * with their keys (modules/apikeys), and giving one roles, a phone or a password here would have turned a
 * key's account into one that can sign in.
 */
function baseQuery(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('users as u')
    .leftJoin('org_units as o', 'o.id', 'u.unit_id')
    .where('u.kind', '!=', 'service')
    .where(unitInScope(scope, 'o.path', 'o.id'));
}

export type UserRow = Awaited<ReturnType<typeof findUserRow>> & object;

export function findUserRow(db: Kysely<DB>, scope: Scope, id: string) {
  return baseQuery(db, scope).select(USER_COLUMNS).where('u.id', '=', id).executeTakeFirst();
}

export async function rolesOf(db: Kysely<DB>, userIds: string[]): Promise<Map<string, Role[]>> {
  const map = new Map<string, Role[]>();
  if (userIds.length === 0) return map;
  const rows = await db
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where('user_id', 'in', userIds)
    .execute();
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.role as Role]);
  return map;
}

export async function listUserRows(db: Kysely<DB>, scope: Scope, f: UserFilter) {
  let q = baseQuery(db, scope);
  if (f.keyword) {
    const k = f.keyword;
    q = q.where((eb) =>
      eb.or([containsText(eb.ref('u.username'), k), containsText(eb.ref('u.display_name'), k)]),
    );
  }
  if (f.unitId) q = q.where('u.unit_id', '=', f.unitId);
  if (f.role) {
    const role = f.role;
    q = q.where('u.id', 'in', (eb) => eb.selectFrom('user_roles').select('user_id').where('role', '=', role));
  }
  const totalRow = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select(USER_COLUMNS)
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: Number(totalRow?.n ?? 0) };
}

/** The API view of a user: personal numbers always masked (unmasked reads go through /pii). */
export function toUserView(row: UserRow, roles: Role[], pii: PiiCipher): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    title: row.title,
    unitId: row.unit_id,
    unitName: row.unit_name,
    roles,
    dataScope: row.data_scope as DataScope,
    phone: row.phone_enc ? maskPhone(pii.decrypt(row.phone_enc)) : null,
    idCard: row.id_card_enc ? maskIdCard(pii.decrypt(row.id_card_enc)) : null,
    status: row.status === 'disabled' ? 'disabled' : 'active',
    lockedUntil: row.locked_until,
    mustChangePassword: bool(row.must_change_password),
    totpEnabled: bool(row.totp_enabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A complete users row: every column at its default except what the caller gives. */
export function newUserRow(
  p: Pick<UserTable, 'id' | 'display_name' | 'kind' | 'data_scope' | 'created_at'> & Partial<UserTable>,
): UserTable {
  return {
    username: null,
    title: null,
    unit_id: null,
    status: 'active',
    password_hash: null,
    must_change_password: false,
    failed_logins: 0,
    locked_until: null,
    phone_enc: null,
    phone_hash: null,
    id_card_enc: null,
    id_card_hash: null,
    totp_secret_enc: null,
    totp_enabled: false,
    totp_last_step: null,
    password_changed_at: null,
    updated_at: p.created_at,
    ...p,
  };
}
