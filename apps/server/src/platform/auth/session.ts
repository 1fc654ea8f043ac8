import { hash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DataScope, Role } from '../../../../../packages/contracts/src/index.ts';
import { permissionsOf } from '../../../../../packages/contracts/src/index.ts';
import { bool } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { perDatabase, VersionedCache } from '../cache/cache.ts';
import { type Versions, versionsOf } from '../cache/versions.ts';
import type { AppContext } from '../context.ts';
import type { AuthContext, AuthUser } from '../rbac/types.ts';

export const SESSION_COOKIE = 'wm_session';

export const tokenId = (token: string) => hash('sha256', token, 'hex');

export async function createSession(
  ctx: AppContext,
  userId: string,
  ip: string | null,
  userAgent: string | null,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = ctx.clock.now();
  await ctx.database.db
    .insertInto('sessions')
    .values({
      id: tokenId(token),
      user_id: userId,
      csrf_token: csrfToken,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ctx.config.sessionMaxHours * 3600_000).toISOString(),
    })
    .execute();
  return { token, csrfToken };
}

/**
 * The users columns a session resolves to. A cached session is valid while none of them changes:
 * migration 003's trigger bumps the `auth` cache version when one is updated (the caching test
 * checks each one), so a column added here must be added to that trigger by a new migration.
 */
export const AUTH_USER_COLUMNS = [
  'id',
  'username',
  'display_name',
  'kind',
  'unit_id',
  'data_scope',
  'status',
  'must_change_password',
  'totp_enabled',
  'phone_enc',
] as const;

function authUserQuery(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .leftJoin('org_units as o', 'o.id', 'u.unit_id')
    .select(AUTH_USER_COLUMNS.map((c) => `u.${c}` as const))
    .select(['o.name as unit_name', 'o.path as unit_path']);
}

type AuthUserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof authUserQuery>['executeTakeFirst']>>>;

async function toAuthUser(db: Kysely<DB>, u: AuthUserRow): Promise<AuthUser> {
  const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', u.id).execute()).map(
    (r) => r.role as Role,
  );
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    kind: u.kind === 'staff' ? 'staff' : 'citizen',
    unitId: u.unit_id,
    unitName: u.unit_name,
    unitPath: u.unit_path,
    roles,
    permissions: permissionsOf(roles),
    dataScope: u.data_scope as DataScope,
    mustChangePassword: bool(u.must_change_password),
    totpEnabled: bool(u.totp_enabled),
    phoneEnc: u.phone_enc,
  };
}

export async function loadAuthUser(db: Kysely<DB>, userId: string): Promise<AuthUser | null> {
  const u = await authUserQuery(db).where('u.id', '=', userId).executeTakeFirst();
  // An API key's service account (kind 'service') never gets a session, whatever credentials it is given.
  return u?.status === 'active' && u.kind !== 'service' ? toAuthUser(db, u) : null;
}

/** A resolved session comes with the cache versions read for it (null: unknown, cache nothing). */
export type SessionLookup =
  | { status: 'none' }
  | { status: 'expired' }
  | { status: 'ok'; auth: AuthContext; versions: Versions | null };

/** Touch last_seen_at at most once a minute: enough precision for the idle timeout, far fewer writes. */
const TOUCH_MS = 60_000;

interface CachedSession {
  auth: AuthContext;
  /** last_seen_at as this process last read or wrote it (ms). */
  lastSeen: number;
  expiresAt: number;
}

/**
 * Resolved sessions by token hash (decision 0006). An entry is used only under the cache versions it
 * was loaded with (any logout, password change, role, scope, unit or user change makes it stale) and
 * only while no touch is due, so each session is still read from the database at least once a minute.
 */
export const sessionCacheOf = perDatabase(() => new VersionedCache<CachedSession>(['auth', 'org'], 10_000));

/**
 * Resolves a cookie token: enforces the idle timeout and the absolute lifetime; touches last_seen.
 * For the HTTP edge, once per request before any handler: the cache versions it reads are shared with
 * the requests that arrive in the same turn of the event loop (`VersionReader.forRequest`).
 */
export async function lookupSession(ctx: AppContext, token: string): Promise<SessionLookup> {
  const id = tokenId(token);
  const versions = await versionsOf(ctx.database).forRequest();
  const now = ctx.clock.now().getTime();
  const idleMs = ctx.config.sessionIdleMinutes * 60_000;
  const cache = sessionCacheOf(ctx.database);
  if (versions) {
    const hit = cache.get(id, versions);
    // A cached last_seen_at can only be older than the stored one (another process may have touched
    // the session since): when it says "touch due", "idle" or "expired", the database decides.
    if (hit && now - hit.lastSeen <= TOUCH_MS && now <= hit.lastSeen + idleMs && now <= hit.expiresAt) {
      return { status: 'ok', auth: hit.auth, versions };
    }
  }
  const { db } = ctx.database;
  // One query for the session, its user and unit; a second for the roles.
  const row = await authUserQuery(db)
    .innerJoin('sessions as s', 's.user_id', 'u.id')
    .select(['s.csrf_token', 's.last_seen_at', 's.expires_at'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return { status: 'expired' };
  let lastSeen = Date.parse(row.last_seen_at);
  const expiresAt = Date.parse(row.expires_at);
  if (now > lastSeen + idleMs || now > expiresAt || row.status !== 'active' || row.kind === 'service') {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return { status: 'expired' };
  }
  if (now - lastSeen > TOUCH_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
    lastSeen = now;
  }
  const auth: AuthContext = { sessionId: id, csrfToken: row.csrf_token, user: await toAuthUser(db, row) };
  if (versions) cache.set(id, versions, { auth, lastSeen, expiresAt });
  return { status: 'ok', auth, versions };
}
