import { statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../apps/server/src/db/index.ts';

/** The generated database's size on disk (SQLite: the file after a WAL checkpoint), for the generators' reports. */
export async function databaseBytes(database: Database, dataDir: string): Promise<number> {
  if (database.engine === 'postgres') {
    const r = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(database.db);
    return Number(r.rows[0]?.n ?? 0);
  }
  await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
  try {
    return statSync(path.join(dataDir, 'wenming.sqlite')).size;
  } catch {
    return 0;
  }
}
