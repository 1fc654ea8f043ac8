import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';

/**
 * PostgreSQL: task instances rewritten in place. The colour sweep rewrites some 20,000 of a province's
 * 50,000 instances a day and every report submission one: with the battle map's covering index
 * (migration 005: colour, progress, reason and dates in it) each rewrite was a new row version plus an
 * entry in each of the table's five indexes. Without it no index holds a column that recolouring or a
 * report changes, so PostgreSQL can make those rewrites heap-only (HOT: no index entry), given room on the
 * row's page — kept by a fill factor of 70 (new pages; an existing table gets it as it is rewritten, e.g.
 * `VACUUM FULL task_instances`). The battle map then reads a campaign's instances through
 * task_instances_campaign (PostgreSQL could rarely read the covering index alone anyway: the visibility
 * map of a table rewritten daily is seldom all-visible). SQLite keeps the covering index: it has no such
 * versions, and its battle map reads the index alone.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`drop index if exists task_instances_battlemap`.execute(db);
  await sql`alter table task_instances set (fillfactor = 70)`.execute(db);
}

export async function down(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`alter table task_instances reset (fillfactor)`.execute(db);
  await sql`create index task_instances_battlemap on task_instances
    (campaign_id, task_id, unit_id, color, due_on, starts_on, done_on, progress, color_reason)`.execute(db);
}
