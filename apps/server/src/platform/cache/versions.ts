import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Database } from '../../db/index.ts';
import { int } from '../../db/normalize.ts';
import { perDatabase } from './cache.ts';

/**
 * The committed values of the cache version counters (table cache_versions, migration 003). Triggers
 * bump them in the same transaction as every write a cached answer depends on:
 * - `auth`: sessions ended or changed, the signed-in fields of users, user roles;
 * - `org`: organisation units and aliases.
 * An answer cached under some versions may be reused as long as the counters still have those values.
 */
export interface Versions {
  readonly auth: number;
  readonly org: number;
}

const SELECT = 'select name, version from cache_versions';

function fromRows(rows: { name: string; version: unknown }[]): Versions | null {
  let auth: number | undefined;
  let org: number | undefined;
  for (const r of rows) {
    if (r.name === 'auth') auth = int(r.version);
    else if (r.name === 'org') org = int(r.version);
  }
  return auth === undefined || org === undefined ? null : { auth, org };
}

/**
 * Reads the counters; null means "unknown right now": do not use or fill any cache.
 *
 * Every reader reads them anew (one indexed read of two rows), so a write committed by this process,
 * another server process or the CLI is seen by the very next request. The value is read before the
 * data it tags, so a cached answer is never older than its versions.
 */
export type VersionReader = () => Promise<Versions | null>;

/**
 * SQLite: reading the table costs a few microseconds, so it is read again only when something may
 * have changed it: `data_version` moves when another connection (the CLI, another process) commits,
 * `total_changes()` when this connection writes any row (trigger rows included, rolled back ones too).
 */
function sqliteReader(sqlite: BetterSqlite3.Database): VersionReader {
  let statements:
    | {
        dataVersion: BetterSqlite3.Statement<[], number>;
        totalChanges: BetterSqlite3.Statement<[], number>;
        select: BetterSqlite3.Statement<[], { name: string; version: unknown }>;
      }
    | undefined;
  let last: { dataVersion: number; totalChanges: number; versions: Versions | null } | undefined;
  return async () => {
    // One connection serves the whole process: while a transaction is open on it, it would see that
    // transaction's uncommitted bumps (which a rollback could undo). Go to the database then.
    if (sqlite.inTransaction) return null;
    statements ??= {
      dataVersion: sqlite.prepare<[], number>('pragma data_version').pluck(),
      totalChanges: sqlite.prepare<[], number>('select total_changes()').pluck(),
      select: sqlite.prepare(SELECT),
    };
    // Both counters before the table: a commit in between makes the next call read it again.
    const dataVersion = statements.dataVersion.get() ?? -1;
    const totalChanges = statements.totalChanges.get() ?? -1;
    if (last?.dataVersion !== dataVersion || last.totalChanges !== totalChanges) {
      last = { dataVersion, totalChanges, versions: fromRows(statements.select.all()) };
    }
    return last.versions;
  };
}

function postgresReader(database: Database): VersionReader {
  const query = CompiledQuery.raw(SELECT);
  return async () =>
    fromRows((await database.db.executeQuery<{ name: string; version: unknown }>(query)).rows);
}

/** The version reader of this database. */
export const versionsOf = perDatabase(
  (database): VersionReader => (database.sqlite ? sqliteReader(database.sqlite) : postgresReader(database)),
);
