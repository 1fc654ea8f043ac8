import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * PostgreSQL: the audit chain's lock and head in one round trip (platform/audit/audit.ts). The function
 * takes the transaction-scoped advisory lock that orders appends, then reads the chain's last row; being
 * VOLATILE, its read runs under a snapshot taken after the lock was granted, so it sees every append
 * committed before. The read is planned at every call (EXECUTE): measured, about one server process in
 * two whose sessions kept a plan spent milliseconds of PostgreSQL CPU a call in it once the log had
 * grown (most likely a plan made while the log was small). SQLite has one writer and needs neither.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create function wm_audit_head(out seq bigint, out hash text) language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(7370001);
      execute 'select a.seq, a.hash from audit_log a order by a.seq desc limit 1' into seq, hash;
    end
  $$`.execute(db);
}

export async function down(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`drop function wm_audit_head()`.execute(db);
}
