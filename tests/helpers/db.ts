import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../apps/server/src/db/index.ts';

export type TestEngine = 'sqlite' | 'postgres';

/** The engine this run tests: scripts/test.mjs runs the suite once per engine. */
export const ENGINE: TestEngine = process.env.WENMING_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  database: Database;
  dataDir: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.WENMING_TEST_DATABASE_URL;
  if (!url)
    throw new Error('WENMING_TEST_DB=postgres needs WENMING_TEST_DATABASE_URL (scripts/test.mjs sets it)');
  return url;
}

/** A fresh, empty database of the requested engine (a new PostgreSQL database per call, dropped after). */
export async function createTestDatabase(engine: TestEngine = ENGINE): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wenming-test-'));
  if (engine === 'sqlite') {
    const database = openDatabase({ dataDir });
    return {
      database,
      dataDir,
      async drop() {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `wm_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const database = openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 4 });
  return {
    database,
    dataDir,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
