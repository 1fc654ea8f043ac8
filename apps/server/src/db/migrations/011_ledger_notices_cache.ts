import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * A cache version counter for the ledger's "report submitted" notices (decision 0006): `ledger_notices`
 * moves with every insert, update or delete of a notification of that kind — who among the reviewers has
 * one unread, which every submission asks, is answered from memory under it. PostgreSQL: a trigger per
 * statement that looks at the statement's rows (a transition table), so that other notifications bump
 * nothing; SQLite: row triggers for that kind.
 */
const KIND = 'ledger.submitted';

/** Each event with the row it leaves to look at (its transition table on PostgreSQL). */
const EVENTS = [
  ['insert', 'new'],
  ['update', 'new'],
  ['delete', 'old'],
] as const;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await sql`insert into cache_versions (name, version) values ('ledger_notices', 0)`.execute(db);
  const bump = "update cache_versions set version = version + 1 where name = 'ledger_notices'";
  if (engine === 'postgres')
    await sql`create function cache_bump_ledger_notices() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from changed where kind = ${sql.lit(KIND)}) then
          ${sql.raw(bump)};
        end if;
        return null;
      end $$`.execute(db);
  for (const [event, row] of EVENTS) {
    const action =
      engine === 'postgres'
        ? `referencing ${row} table as changed for each statement execute function cache_bump_ledger_notices()`
        : `when ${row}.kind = '${KIND}' begin ${bump}; end`;
    await sql
      .raw(`create trigger cache_ledger_notices_${event} after ${event} on notifications ${action}`)
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>, engine: Engine): Promise<void> {
  for (const [event] of EVENTS)
    await sql
      .raw(`drop trigger cache_ledger_notices_${event}${engine === 'postgres' ? ' on notifications' : ''}`)
      .execute(db);
  if (engine === 'postgres') await sql`drop function cache_bump_ledger_notices()`.execute(db);
  await sql`delete from cache_versions where name = 'ledger_notices'`.execute(db);
}
