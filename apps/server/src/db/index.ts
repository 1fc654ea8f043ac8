import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  type PostgresPoolClient,
  SqliteDialect,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** For SQLite: the file path (or ':memory:'); for PostgreSQL: the URL without password. */
  location: string;
  /** SQLite only: the raw handle, for online backup. */
  sqlite?: SqliteDatabase.Database;
  /** SQLite with `backgroundCheckpoint`: the checkpointer thread (its next report on request; `close` stops it). */
  checkpointer?: Checkpointer;
  close(): Promise<void>;
}

/** Compiled statements kept per SQL text: 1,000 (the oldest kept goes first). */
const STATEMENT_CACHE_SIZE = 1000;

type Statement = SqliteDatabase.Statement;

/** better-sqlite3 cannot bind booleans: they go in as 0/1 (reads use normalize.bool). */
function bindable(parameters: readonly unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < parameters.length; i++) {
    const v = parameters[i];
    if (typeof v !== 'boolean') continue;
    out ??= [...parameters];
    out[i] = v ? 1 : 0;
  }
  return out ?? (parameters as unknown[]);
}

/** A compiled statement as Kysely's driver uses it, binding booleans as 0/1. */
interface KeptStatement {
  readonly reader: boolean;
  readonly busy: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): SqliteDatabase.RunResult;
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

function keep(stmt: Statement): KeptStatement {
  return {
    reader: stmt.reader,
    get busy() {
      return stmt.busy;
    },
    all: (p) => stmt.all(bindable(p)),
    run: (p) => stmt.run(bindable(p)),
    iterate: (p) => stmt.iterate(bindable(p)) as IterableIterator<unknown>,
  };
}

/**
 * better-sqlite3 compiles every statement Kysely hands it, and a request's statements are the same texts
 * over and over: keep the compiled ones. A statement still being iterated (a streamed read) is busy and
 * cannot run twice at once, so a second user of the same text gets a fresh one. SQLite recompiles a kept
 * statement by itself when the schema changes. Past 1,000 texts the oldest compiled goes, used or not: a
 * hot one is compiled again at its next use, which is cheaper than reordering the map on every use.
 */
function statementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, KeptStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const kept = cache.get(sql);
      if (kept && !kept.busy) return kept;
      const fresh = keep(sqlite.prepare(sql));
      if (!kept) {
        cache.set(sql, fresh);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return fresh;
    },
  };
}

/** A PostgreSQL connection is closed and replaced after this many uses (bounds its prepared statements). */
const PG_MAX_USES = 20_000;
/** Statement names kept per SQL text (the names only; each connection prepares its own). */
const PG_NAME_CACHE_SIZE = 2000;

/**
 * The pool Kysely's PostgreSQL driver uses, sending every statement as a named prepared statement: each
 * connection parses and plans a text once and then only binds and runs it (a ledger submission's
 * statements are the same texts over and over). Names are a hash of the text. The statements a connection
 * has prepared live as long as it does: `maxUses` replaces connections now and then, which bounds them.
 */
function preparingPool(pool: pg.Pool): PostgresDialectConfig['pool'] {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `wm_${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
      if (names.size > PG_NAME_CACHE_SIZE) names.delete(names.keys().next().value as string);
    }
    return name;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrapped.get(client);
    if (!w) {
      w = {
        // A cursor (streamed read) and anything else that is not plain text goes through unchanged. The
        // cast: one function stands for both of Kysely's overloads.
        query: ((text: unknown, values?: unknown[]) =>
          typeof text === 'string'
            ? client.query({ name: nameOf(text), text, values })
            : client.query(text as pg.Submittable)) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      wrapped.set(client, w);
    }
    return w;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}

export interface OpenOptions {
  /** postgres://… selects PostgreSQL; anything else (or nothing) selects SQLite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** SQLite file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  poolSize?: number;
  /**
   * SQLite in a file: checkpoint the WAL in a worker thread of its own, not in the commits of the serving
   * connection (the server turns this on; see db/checkpoint-thread.mjs).
   */
  backgroundCheckpoint?: boolean;
}

/** WAL pages after which the serving connection checkpoints by itself (the background one keeps below). */
const FALLBACK_AUTOCHECKPOINT_PAGES = 8000;
const CHECKPOINT_INTERVAL_MS = 50;

/** What the background checkpointer last did: frames in the WAL and frames copied back. */
export interface CheckpointReport {
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves with the report of a checkpoint run after this call. */
  next(): Promise<CheckpointReport>;
  stop(): Promise<void>;
}

const THREAD_ENTRY = new URL('./checkpoint-thread.mjs', import.meta.url);

function startCheckpointer(file: string): Checkpointer {
  const worker = new Worker(THREAD_ENTRY, { workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS } });
  // Never the reason the process stays up (a CLI command ends when its work does).
  worker.unref();
  worker.on('error', () => {
    // The thread is gone: the serving connection's own automatic checkpoints still keep the WAL bounded.
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let waiting: ((r: CheckpointReport) => void)[] = [];
  worker.on('message', (m: Partial<CheckpointReport>) => {
    if (m.log === undefined || m.checkpointed === undefined) return;
    const report = { log: m.log, checkpointed: m.checkpointed };
    const w = waiting;
    waiting = [];
    for (const resolve of w) resolve(report);
  });
  return {
    next: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage('now');
      }),
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}

export function openDatabase(opts: OpenOptions): Database {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, maxUses: PG_MAX_USES });
    // A dropped connection must not crash the process; the next query reports the error.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    return {
      db,
      engine: 'postgres',
      location: url.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@'),
      close: () => db.destroy(),
    };
  }
  const file = opts.sqliteFile ?? 'wenming.sqlite';
  const location = file === ':memory:' ? file : path.resolve(opts.dataDir, file);
  if (file !== ':memory:') mkdirSync(path.dirname(location), { recursive: true });
  const sqlite = new SqliteDatabase(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: statementCache(sqlite) }),
  });
  const checkpointer =
    opts.backgroundCheckpoint && file !== ':memory:' ? startCheckpointer(location) : undefined;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  return {
    db,
    engine: 'sqlite',
    location,
    sqlite,
    checkpointer,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
