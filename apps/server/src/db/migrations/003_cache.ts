import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * Version counters for the in-process caches (decision 0006). Triggers bump them in the transaction
 * of every write the cached answers depend on, so no writer can forget to (services, the CLI, the
 * seed, a dump import, a hand-written UPDATE):
 *
 * - `auth`: what a session resolves to — a session ended or changed, the user's signed-in fields
 *   (the columns `lookupSession` reads), the user's roles;
 * - `org`: the organisation tree — any change to a unit or an alias.
 *
 * Hot writes that change nothing cached bump nothing: new sessions, the last-seen touch, sign-in
 * counters (failed_logins, locked_until, totp_last_step).
 */
const AUTH_USER_COLUMNS = [
  'username',
  'display_name',
  'unit_id',
  'kind',
  'data_scope',
  'status',
  'must_change_password',
  'totp_enabled',
  'phone_enc',
  'password_hash',
];
const SESSION_COLUMNS = ['id', 'user_id', 'csrf_token', 'created_at', 'expires_at'];

/** [trigger name, table, event, counter] */
const TRIGGERS: [string, string, string, 'auth' | 'org'][] = [
  ['cache_org_units_write', 'org_units', 'insert or update or delete', 'org'],
  ['cache_org_aliases_write', 'org_aliases', 'insert or update or delete', 'org'],
  ['cache_users_update', 'users', `update of ${AUTH_USER_COLUMNS.join(', ')}`, 'auth'],
  ['cache_users_delete', 'users', 'delete', 'auth'],
  ['cache_user_roles_write', 'user_roles', 'insert or update or delete', 'auth'],
  ['cache_sessions_update', 'sessions', `update of ${SESSION_COLUMNS.join(', ')}`, 'auth'],
  ['cache_sessions_delete', 'sessions', 'delete', 'auth'],
];

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('cache_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', engine === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into cache_versions (name, version) values ('auth', 0), ('org', 0)`.execute(db);

  if (engine === 'postgres')
    await sql`create function cache_bump() returns trigger language plpgsql as $$
      begin
        update cache_versions set version = version + 1 where name = tg_argv[0];
        return null;
      end $$`.execute(db);
  await createBumpTriggers(db, engine, TRIGGERS);
}

/**
 * Creates triggers that bump a counter after each write of their table ([name, table, events, counter]).
 * PostgreSQL: one bump per statement (a move rewrites a whole subtree in one UPDATE), through cache_bump().
 * SQLite has row triggers only, and one trigger per event.
 */
export async function createBumpTriggers(
  db: Kysely<unknown>,
  engine: Engine,
  triggers: readonly (readonly [string, string, string, string])[],
): Promise<void> {
  for (const [name, table, event, counter] of triggers) {
    if (engine === 'postgres') {
      await sql
        .raw(
          `create trigger ${name} after ${event} on ${table} for each statement execute function cache_bump('${counter}')`,
        )
        .execute(db);
      continue;
    }
    for (const [i, e] of event.split(' or ').entries()) {
      await sql
        .raw(
          `create trigger ${name}_${i} after ${e} on ${table} begin
             update cache_versions set version = version + 1 where name = '${counter}';
           end`,
        )
        .execute(db);
    }
  }
}
