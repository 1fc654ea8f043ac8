/**
 * Statements are compiled once and then reused (db/index.ts): SQLite keeps the compiled statement per SQL
 * text; PostgreSQL gets named prepared statements, parsed and planned once per connection. Booleans bind
 * as 0/1 on SQLite.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

describe(`prepared statements on ${ENGINE}`, () => {
  it('runs the same text three times on one connection with one preparation', async () => {
    const db = t.ctx.database.db;
    const sqlite = t.ctx.database.sqlite;
    const text = 'select "id" from "org_units" where "id" = ?';
    if (sqlite) {
      const proto = Object.getPrototypeOf(sqlite) as { prepare(this: unknown, s: string): unknown };
      const original = proto.prepare;
      let compiled = 0;
      proto.prepare = function (this: unknown, s: string) {
        if (s === text) compiled++;
        return original.call(this, s);
      };
      try {
        for (let i = 0; i < 3; i++)
          await db.selectFrom('org_units').select('id').where('id', '=', `x${i}`).execute();
      } finally {
        proto.prepare = original;
      }
      expect(compiled).toBe(1);
      return;
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++)
        await trx.selectFrom('org_units').select('id').where('id', '=', `x${i}`).execute();
      const prepared = await sql<{ name: string }>`
        select name from pg_prepared_statements where statement = ${text.replace('?', '$1')}`.execute(trx);
      expect(prepared.rows).toHaveLength(1);
      expect(prepared.rows[0]?.name).toMatch(/^wm_/);
    });
  });

  it('binds booleans as 0/1 on SQLite and as booleans on PostgreSQL', async () => {
    const db = t.ctx.database.db;
    const row = await sql<{ yes: unknown; no: unknown }>`select ${true} as yes, ${false} as no`.execute(db);
    const [first] = row.rows;
    if (ENGINE === 'sqlite') expect(first).toEqual({ yes: 1, no: 0 });
    else expect([first?.yes, first?.no].map(String)).toEqual(['true', 'false']);
  });
});
