import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Database } from './index.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_platform.ts';
import * as m003 from './migrations/003_cache.ts';
import * as m004 from './migrations/004_campaigns.ts';
import * as m005 from './migrations/005_ledger.ts';
import * as m006 from './migrations/006_cases.ts';
import * as m007 from './migrations/007_unread_by_kind.ts';
import * as m008 from './migrations/008_audit_head.ts';
import * as m009 from './migrations/009_campaign_cache.ts';
import * as m010 from './migrations/010_audit_append.ts';
import * as m011 from './migrations/011_ledger_notices_cache.ts';
import * as m012 from './migrations/012_instances_hot.ts';

/** One migration stream for both engines; each migration receives the engine to pick column types. */
export type EngineMigration = {
  up(db: Kysely<unknown>, engine: Database['engine']): Promise<void>;
  down?(db: Kysely<unknown>, engine: Database['engine']): Promise<void>;
};

const MIGRATIONS: Record<string, EngineMigration> = {
  '001_foundation': m001,
  '002_platform': m002,
  '003_cache': m003,
  '004_campaigns': m004,
  '005_ledger': m005,
  '006_cases': m006,
  '007_unread_by_kind': m007,
  '008_audit_head': m008,
  '009_campaign_cache': m009,
  '010_audit_append': m010,
  '011_ledger_notices_cache': m011,
  '012_instances_hot': m012,
};

export async function migrateToLatest(database: Database): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) {
        out[name] = {
          up: (db) => m.up(db, database.engine),
          down: m.down ? (db) => m.down?.(db, database.engine) ?? Promise.resolve() : undefined,
        };
      }
      return out;
    },
  };
  const migrator = new Migrator({ db: database.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
