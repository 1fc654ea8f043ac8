import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { int } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { perDatabase } from './cache.ts';

/**
 * The committed values of the cache version counters (table cache_versions, migration 003). Triggers
 * bump them in the same transaction as every write a cached answer depends on:
 * - `auth`: sessions ended or changed, the signed-in fields of users, user roles;
 * - `org`: organisation units and aliases;
 * - `campaigns`: campaigns, their activities and the activities' units (migration 009);
 * - `ledger_notices`: notifications of the kind `ledger.submitted` (migration 011).
 * An answer cached under some versions may be reused as long as the counters still have those values.
 */
export interface Versions {
  readonly auth: number;
  readonly org: number;
  readonly campaigns: number;
  readonly ledger_notices: number;
}

const SELECT = 'select name, version from cache_versions';

const NAMES = ['auth', 'org', 'campaigns', 'ledger_notices'] as const;

function fromRows(rows: { name: string; version: unknown }[]): Versions | null {
  const found = new Map(rows.map((r) => [r.name, int(r.version)]));
  const versions: Partial<Record<keyof Versions, number>> = {};
  for (const name of NAMES) {
    const v = found.get(name);
    if (v === undefined) return null;
    versions[name] = v;
  }
  return versions as Versions;
}

/**
 * Reads the counters; null means "unknown right now": do not use or fill any cache. A reading is
 * always taken before the data it tags, so a cached answer is never older than its versions.
 */
export interface VersionReader {
  /** Reads the counters now: a write committed by this process, another server process or the CLI is seen. */
  read(): Promise<Versions | null>;
  /**
   * For the HTTP edge, for every request with a session, before any handler runs: a reading taken after
   * this call. It is taken in the event loop's next check phase, once for every caller until then, so
   * the requests that arrived in one turn share one reading (one WAL lock on SQLite, one round trip on
   * PostgreSQL); each of them had arrived before it was taken, so each still sees every earlier commit.
   */
  forRequest(): Promise<Versions | null>;
  /**
   * For code that runs after the edge has read the counters for the current request: on SQLite, that
   * reading is reused when it was taken in this turn of the event loop and nothing was written through
   * this process's connection since (any reading taken in the meantime is newer still). Otherwise, and
   * always on PostgreSQL (where this process's own commits cannot be seen cheaply), it reads now.
   */
  recent(): Promise<Versions | null>;
}

/**
 * SQLite: each read transaction costs system calls (the WAL lock and unlock), so the table is read
 * again only when something may have changed it: `data_version` moves when another connection (the
 * CLI, another process) commits, `total_changes()` when this connection writes any row (trigger rows
 * included, rolled back ones too). `total_changes()` alone needs no lock.
 */
function sqliteReader(database: Database, sqlite: BetterSqlite3.Database): VersionReader {
  const query = CompiledQuery.raw(SELECT);
  let statements:
    | {
        dataVersion: BetterSqlite3.Statement<[], number>;
        totalChanges: BetterSqlite3.Statement<[], number>;
        select: BetterSqlite3.Statement<[], { name: string; version: unknown }>;
      }
    | undefined;
  let last: { dataVersion: number; totalChanges: number; versions: Versions | null } | undefined;
  /** Whether `last` was read in this turn of the event loop (reset in the next check phase). */
  let lastIsRecent = false;
  let resetScheduled = false;
  const resetRecent = () => {
    lastIsRecent = false;
    resetScheduled = false;
  };

  const read = async (): Promise<Versions | null> => {
    // One connection serves the whole process: while a transaction is open on it, it would see that
    // transaction's uncommitted bumps (which a rollback could undo). Ask through the driver instead,
    // which runs the query on that connection once the transaction has ended: committed values. (Every
    // transaction here is the driver's; the raw handle is only used for online backups.)
    if (sqlite.inTransaction) {
      lastIsRecent = false;
      return fromRows((await database.db.executeQuery<{ name: string; version: unknown }>(query)).rows);
    }
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
    lastIsRecent = true;
    if (!resetScheduled) {
      resetScheduled = true;
      setImmediate(resetRecent);
    }
    return last.versions;
  };

  const recent = async (): Promise<Versions | null> => {
    if (lastIsRecent && last && statements && !sqlite.inTransaction) {
      if (statements.totalChanges.get() === last.totalChanges) return last.versions;
    }
    return read();
  };

  return { read, forRequest: sharedReadings(read), recent };
}

function postgresReader(database: Database): VersionReader {
  const query = CompiledQuery.raw(SELECT);
  const read = async () =>
    fromRows((await database.db.executeQuery<{ name: string; version: unknown }>(query)).rows);
  return { read, forRequest: sharedReadings(read), recent: read };
}

/** One reading in the next check phase for every caller until then (see `VersionReader.forRequest`). */
function sharedReadings(read: () => Promise<Versions | null>): () => Promise<Versions | null> {
  let next: Promise<Versions | null> | null = null;
  return () => {
    next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // Whoever asks from now on waits for the next reading: this one is taken right here.
      next = null;
      return read();
    });
    return next;
  };
}

/**
 * The counters as a transaction sees them (its own uncommitted bumps included): for an answer cached for
 * the use of writers, computed and used inside their transactions.
 */
export async function versionsIn(db: Kysely<DB>): Promise<Versions | null> {
  return fromRows(
    (await db.executeQuery<{ name: string; version: unknown }>(CompiledQuery.raw(SELECT))).rows,
  );
}

/** The version reader of this database. */
export const versionsOf = perDatabase(
  (database): VersionReader =>
    database.sqlite ? sqliteReader(database, database.sqlite) : postgresReader(database),
);
