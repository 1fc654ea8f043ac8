import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DataScope, Role } from '../../../../../packages/contracts/src/index.ts';
import { permissionsOf } from '../../../../../packages/contracts/src/index.ts';
import { bool } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../context.ts';
import type { AuthContext, AuthUser } from '../rbac/types.ts';

export const SESSION_COOKIE = 'wm_session';

export const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

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

function authUserQuery(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .leftJoin('org_units as o', 'o.id', 'u.unit_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.kind',
      'u.unit_id',
      'u.data_scope',
      'u.status',
      'u.must_change_password',
      'u.totp_enabled',
      'u.phone_enc',
      'o.name as unit_name',
      'o.path as unit_path',
    ]);
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
  return u?.status === 'active' ? toAuthUser(db, u) : null;
}

export type SessionLookup = { status: 'none' } | { status: 'expired' } | { status: 'ok'; auth: AuthContext };

/** Resolves a cookie token: enforces the idle timeout and the absolute lifetime; touches last_seen. */
export async function lookupSession(ctx: AppContext, token: string): Promise<SessionLookup> {
  const { db } = ctx.database;
  const id = tokenId(token);
  // One query for the session, its user and unit; a second for the roles.
  const row = await authUserQuery(db)
    .innerJoin('sessions as s', 's.user_id', 'u.id')
    .select(['s.csrf_token', 's.last_seen_at', 's.expires_at'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return { status: 'expired' };
  const now = ctx.clock.now().getTime();
  const idleLimit = Date.parse(row.last_seen_at) + ctx.config.sessionIdleMinutes * 60_000;
  if (now > idleLimit || now > Date.parse(row.expires_at) || row.status !== 'active') {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return { status: 'expired' };
  }
  // Touch at most once a minute: enough precision for a 30-minute idle timeout, far fewer writes.
  if (now - Date.parse(row.last_seen_at) > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
  }
  return {
    status: 'ok',
    auth: { sessionId: id, csrfToken: row.csrf_token, user: await toAuthUser(db, row) },
  };
}
