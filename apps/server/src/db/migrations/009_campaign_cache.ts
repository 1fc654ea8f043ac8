import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';
import { createBumpTriggers } from './003_cache.ts';

/**
 * A cache version counter for campaigns (decision 0006): `campaigns` moves with every write of what
 * decides a campaign's state and who may see it — the campaign row (status, name, approval rule, creator),
 * its activities and their units. A new report's campaign check is answered from memory under it.
 */
const TRIGGERS = [
  ['cache_campaigns_write', 'campaigns', 'insert or update or delete', 'campaigns'],
  ['cache_campaign_activities_write', 'campaign_activities', 'insert or update or delete', 'campaigns'],
  [
    'cache_campaign_activity_units_write',
    'campaign_activity_units',
    'insert or update or delete',
    'campaigns',
  ],
] as const;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await sql`insert into cache_versions (name, version) values ('campaigns', 0)`.execute(db);
  await createBumpTriggers(db, engine, TRIGGERS);
}

export async function down(db: Kysely<unknown>, engine: Engine): Promise<void> {
  for (const [name, table, event] of TRIGGERS) {
    const names = engine === 'postgres' ? [name] : event.split(' or ').map((_, i) => `${name}_${i}`);
    for (const n of names)
      await sql.raw(`drop trigger ${n}${engine === 'postgres' ? ` on ${table}` : ''}`).execute(db);
  }
  await sql`delete from cache_versions where name = 'campaigns'`.execute(db);
}
