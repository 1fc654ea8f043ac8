import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh SQLite database with one table, and the size of its main file. */
function open(backgroundCheckpoint: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wenming-checkpoint-'));
  dirs.push(dir);
  const database = openDatabase({ dataDir: dir, backgroundCheckpoint });
  const sqlite = database.sqlite;
  if (!sqlite) throw new Error('SQLite expected');
  sqlite.exec('create table blobs (id integer primary key, body blob not null)');
  const mainFileBytes = () => statSync(path.join(dir, 'wenming.sqlite')).size;
  /** About 2 MB in one commit: 500 pages, under the serving connection's own checkpoint threshold. */
  const write = () => {
    const insert = sqlite.prepare('insert into blobs (body) values (?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run(Buffer.alloc(4000, i));
    })();
  };
  return { database, sqlite, mainFileBytes, write };
}

describe('SQLite WAL checkpoints', () => {
  it('are run by the background checkpointer: the pages reach the database file, the commits never sync', async () => {
    const db = open(true);
    try {
      expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(8000);
      const before = db.mainFileBytes();
      db.write();
      const checkpointer = db.database.checkpointer;
      if (!checkpointer) throw new Error('no checkpointer');
      const report = await checkpointer.next();
      expect(report.log).toBeGreaterThanOrEqual(500);
      expect(report.checkpointed).toBe(report.log);
      expect(db.mainFileBytes()).toBeGreaterThan(before + 2_000_000);
      expect(db.sqlite.prepare('select count(*) as n from blobs').get()).toEqual({ n: 500 });
    } finally {
      await db.database.close();
    }
  });

  it('without it, the serving connection keeps its own threshold and the WAL holds the pages', async () => {
    const db = open(false);
    try {
      expect(db.database.checkpointer).toBeUndefined();
      expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      const before = db.mainFileBytes();
      db.write();
      expect(db.mainFileBytes()).toBe(before);
    } finally {
      await db.database.close();
    }
  });
});
