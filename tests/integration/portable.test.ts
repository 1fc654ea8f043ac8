import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../apps/server/src/db/migrate.ts';
import { exportDump, importDump, summarize } from '../../apps/server/src/db/portable.ts';
import { verifyAuditChain } from '../../apps/server/src/platform/audit/audit.ts';
import { makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, ENGINE, type TestDatabase } from '../helpers/db.ts';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function emptyDb(engine: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const db = await createTestDatabase(engine);
  cleanup.push(db.drop);
  await migrateToLatest(db.database);
  return db;
}

/**
 * On the SQLite run: SQLite → SQLite. On the PostgreSQL run the real move: SQLite → PostgreSQL → SQLite,
 * and the counts and checksums must be equal at every step.
 */
describe(`portable export/import (${ENGINE} run)`, () => {
  it('moves a whole installation and back with equal counts and checksums, audit chain intact', async () => {
    const source: TestApp = await makeTestApp({ engine: 'sqlite' });
    cleanup.push(source.close);
    // Some activity beyond the seed: citizens with encrypted phones, sessions, audit rows.
    const admin = await signedIn(source.app, 'office_admin');
    const res = await admin.get('/api/org/units');
    const town = res.json().items.find((u: { name: string }) => u.name === '南孟镇').id;
    await admin.post('/api/org/units', { parentId: town, name: '迁移村', type: 'village' });

    const original = await summarize(source.ctx.database.db);
    const file1 = path.join(os.tmpdir(), `wm-dump-${process.pid}-1.jsonl`);
    const file2 = path.join(os.tmpdir(), `wm-dump-${process.pid}-2.jsonl`);
    cleanup.push(async () => {
      rmSync(file1, { force: true });
      rmSync(file2, { force: true });
    });
    expect(await exportDump(source.ctx.database, file1)).toEqual(original);

    const middle = await emptyDb(ENGINE);
    expect(await importDump(middle.database, file1)).toEqual(original);
    expect((await verifyAuditChain(middle.database.db)).ok).toBe(true);

    await exportDump(middle.database, file2);
    const back = await emptyDb('sqlite');
    expect(await importDump(back.database, file2)).toEqual(original);
    expect(original.org_units.count).toBeGreaterThan(100);
    expect(original.audit_log.count).toBeGreaterThan(1);
  });

  it('refuses to import into a database that is not empty', async () => {
    const source = await makeTestApp();
    cleanup.push(source.close);
    const file = path.join(os.tmpdir(), `wm-dump-${process.pid}-3.jsonl`);
    cleanup.push(async () => rmSync(file, { force: true }));
    await exportDump(source.ctx.database, file);
    await expect(importDump(source.ctx.database, file)).rejects.toThrow(/not empty/);
  });
});
