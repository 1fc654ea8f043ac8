import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  SqliteDialect,
  type SqliteDialectConfig,
  type UnknownRow,
  type ValueNode,
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
  close(): Promise<void>;
}

/** better-sqlite3 cannot bind booleans: turn them into 0/1 on the way in (reads use normalize.bool). */
class BooleanToInteger extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const n = super.transformValue(node);
    return typeof n.value === 'boolean' ? { ...n, value: n.value ? 1 : 0 } : n;
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) };
  }
}

class BooleanToIntegerPlugin implements KyselyPlugin {
  readonly #t = new BooleanToInteger();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#t.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** Compiled statements kept per SQL text: the most recent 1,000. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * better-sqlite3 compiles every statement Kysely hands it, and a request's statements are the same texts
 * over and over: keep the compiled ones. A statement still being iterated (a streamed read) is busy and
 * cannot run twice at once, so a second user of the same text gets a fresh one. SQLite recompiles a kept
 * statement by itself when the schema changes.
 */
function statementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const kept = cache.get(sql);
      if (kept && !kept.busy) {
        // Most recently used last: the first key is the one to drop.
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const fresh = sqlite.prepare(sql);
      if (!kept) {
        cache.set(sql, fresh);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return fresh;
    },
  };
}

export interface OpenOptions {
  /** postgres://… selects PostgreSQL; anything else (or nothing) selects SQLite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** SQLite file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  poolSize?: number;
}

export function openDatabase(opts: OpenOptions): Database {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // A dropped connection must not crash the process; the next query reports the error.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
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
    plugins: [new BooleanToIntegerPlugin()],
  });
  return { db, engine: 'sqlite', location, sqlite, close: () => db.destroy() };
}
