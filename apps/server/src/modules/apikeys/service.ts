import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import { json } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalidField, notFound } from '../../platform/http/errors.ts';
import { writeTx } from '../../platform/tx.ts';
import { newUserRow } from '../users/repo.ts';

/** What a key may do. Only Open311 writes exist so far. */
export const API_KEY_SCOPES = ['open311:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_PREFIX = 'wm_';
/** Characters of the key kept in clear, to recognise it in lists ('wm_' + 6). */
const SHOWN_CHARS = 9;
/** last_used_at is written at most this often per key. */
const TOUCH_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  unitId: string | null;
  unitName: string | null;
  userId: string;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The caller behind a valid key: its service account and the unit it reports for. */
export interface ApiKeyPrincipal {
  keyId: string;
  name: string;
  userId: string;
  userName: string;
  unitId: string | null;
  unitName: string | null;
  unitPath: string | null;
  unitType: string | null;
  scopes: string[];
}

export const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');

function listQuery(db: Kysely<DB>) {
  return db
    .selectFrom('api_keys as k')
    .leftJoin('org_units as o', 'o.id', 'k.unit_id')
    .leftJoin('users as c', 'c.id', 'k.created_by')
    .select([
      'k.id',
      'k.name',
      'k.prefix',
      'k.scopes',
      'k.unit_id',
      'k.user_id',
      'k.created_by',
      'k.created_at',
      'k.last_used_at',
      'k.revoked_at',
      'o.name as unit_name',
      'c.display_name as created_by_name',
    ]);
}

type KeyRow = NonNullable<Awaited<ReturnType<ReturnType<typeof listQuery>['executeTakeFirst']>>>;

function view(r: KeyRow): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: json<string[]>(r.scopes) ?? [],
    unitId: r.unit_id,
    unitName: r.unit_name,
    userId: r.user_id,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

export async function listApiKeys(ctx: AppContext): Promise<ApiKeyView[]> {
  const rows = await listQuery(ctx.database.db).orderBy('k.created_at', 'desc').orderBy('k.id').execute();
  return rows.map(view);
}

/**
 * A new key and its service account (users.kind 'service': no username, password or phone, no roles,
 * so it can never sign in; history and audit rows name it). The key itself is returned once and only
 * its sha256 is stored.
 */
export async function createApiKey(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; unitId?: string | null; scopes?: ApiKeyScope[] },
): Promise<ApiKeyView & { key: string }> {
  const name = input.name.trim();
  if (!name) throw invalidField('name', 'field.required');
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = uuidv7();
  const userId = uuidv7();
  const scopes = input.scopes?.length ? [...new Set(input.scopes)] : ['open311:write'];
  await writeTx(ctx, actor, async (tx) => {
    if (input.unitId) {
      const unit = await tx.db
        .selectFrom('org_units')
        .select('id')
        .where('id', '=', input.unitId)
        .executeTakeFirst();
      if (!unit) throw invalidField('unitId', 'field.unknownUnit');
    }
    const now = tx.clock.now().toISOString();
    await tx.db
      .insertInto('users')
      .values(
        newUserRow({
          id: userId,
          display_name: `${name}（接口）`.slice(0, 100),
          kind: 'service',
          data_scope: 'own',
          unit_id: input.unitId ?? null,
          created_at: now,
        }),
      )
      .execute();
    await tx.db
      .insertInto('api_keys')
      .values({
        id,
        name,
        prefix: key.slice(0, SHOWN_CHARS),
        key_hash: keyHash(key),
        scopes: JSON.stringify(scopes),
        unit_id: input.unitId ?? null,
        user_id: userId,
        created_by: actor.id,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    await tx.audit({
      action: 'apikey.create',
      entity: 'api_key',
      entityId: id,
      after: { name, prefix: key.slice(0, SHOWN_CHARS), scopes, unitId: input.unitId ?? null, userId },
    });
  });
  const row = await listQuery(ctx.database.db).where('k.id', '=', id).executeTakeFirstOrThrow();
  return { ...view(row), key };
}

/** Revokes a key for good and disables its service account. Revoking twice changes nothing more. */
export async function revokeApiKey(ctx: AppContext, actor: Actor, id: string): Promise<ApiKeyView> {
  await writeTx(ctx, actor, async (tx) => {
    const row = await tx.db
      .selectFrom('api_keys')
      .select(['id', 'user_id', 'revoked_at', 'prefix'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound();
    if (row.revoked_at) return;
    const now = tx.clock.now().toISOString();
    await tx.db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
    await tx.db
      .updateTable('users')
      .set({ status: 'disabled', updated_at: now })
      .where('id', '=', row.user_id)
      .execute();
    await tx.audit({
      action: 'apikey.revoke',
      entity: 'api_key',
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: now, prefix: row.prefix },
    });
  });
  return view(await listQuery(ctx.database.db).where('k.id', '=', id).executeTakeFirstOrThrow());
}

/** Per database: when this process last wrote a key's last_used_at (ms). */
const touched = new WeakMap<object, Map<string, number>>();

/**
 * The principal behind a key with the given scope, or null when the key is unknown, revoked or lacks
 * the scope (the caller answers 403 either way). Records the use at most once a minute per key.
 */
export async function authenticateApiKey(
  ctx: AppContext,
  key: string,
  scope: ApiKeyScope,
): Promise<ApiKeyPrincipal | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const { db } = ctx.database;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .leftJoin('org_units as o', 'o.id', 'k.unit_id')
    .select([
      'k.id',
      'k.name',
      'k.scopes',
      'k.unit_id',
      'k.user_id',
      'k.revoked_at',
      'k.last_used_at',
      'u.display_name',
      'u.status',
      'o.name as unit_name',
      'o.path as unit_path',
      'o.type as unit_type',
    ])
    .where('k.key_hash', '=', keyHash(key))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== 'active') return null;
  const scopes = json<string[]>(row.scopes) ?? [];
  if (!scopes.includes(scope)) return null;

  const now = ctx.clock.now().getTime();
  let seen = touched.get(ctx.database);
  if (!seen) {
    seen = new Map();
    touched.set(ctx.database, seen);
  }
  const stored = row.last_used_at ? Date.parse(row.last_used_at) : 0;
  const last = Math.max(stored, seen.get(row.id) ?? 0);
  if (now - last >= TOUCH_MS) {
    seen.set(row.id, now);
    const iso = new Date(now).toISOString();
    await db
      .updateTable('api_keys')
      .set({ last_used_at: iso })
      .where('id', '=', row.id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<=', new Date(now - TOUCH_MS).toISOString()),
        ]),
      )
      .execute();
  }
  return {
    keyId: row.id,
    name: row.name,
    userId: row.user_id,
    userName: row.display_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPath: row.unit_path,
    unitType: row.unit_type,
    scopes,
  };
}
