import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledOnce } from './compiled.ts';
import { type Database, openDatabase } from './index.ts';

let database: Database;

beforeAll(async () => {
  database = openDatabase({ dataDir: '.', sqliteFile: ':memory:' });
  await sql`create table org_units (id text primary key, name text, parent_id text)`.execute(database.db);
  await sql`insert into org_units values ('a', 'A', null), ('b', 'B', 'a'), ('c', 'C', 'a')`.execute(
    database.db,
  );
});
afterAll(async () => {
  await database.close();
});

describe('compiledOnce', () => {
  it('builds a shape once and runs it with each call’s values', async () => {
    const query = compiledOnce<{ id: string; name: string | null }>();
    let builds = 0;
    const byIds = (ids: string[]) =>
      query(database.db, String(ids.length), ids, (marks) => {
        builds += 1;
        return database.db
          .selectFrom('org_units')
          .select(['id', 'name'])
          .where('id', 'in', marks)
          .orderBy('id');
      });
    expect(await byIds(['a'])).toEqual([{ id: 'a', name: 'A' }]);
    expect(await byIds(['c'])).toEqual([{ id: 'c', name: 'C' }]);
    expect(await byIds(['c', 'b'])).toEqual([
      { id: 'b', name: 'B' },
      { id: 'c', name: 'C' },
    ]);
    expect(await byIds(['zz'])).toEqual([]);
    expect(builds).toBe(2);
  });

  it('puts a value used twice in both places; refuses a value that is not a bound parameter', async () => {
    const query = compiledOnce<{ id: string }>();
    const twice = (id: string) =>
      query(database.db, 'twice', [id], ([m]) =>
        database.db
          .selectFrom('org_units')
          .select('id')
          .where((eb) => eb.or([eb('id', '=', m as string), eb('parent_id', '=', m as string)]))
          .orderBy('id'),
      );
    expect((await twice('a')).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect((await twice('b')).map((r) => r.id)).toEqual(['b']);
    await expect(
      query(database.db, 'inlined', ['a'], ([m]) =>
        database.db
          .selectFrom('org_units')
          .select('id')
          .where('id', '=', sql.lit(m as string)),
      ),
    ).rejects.toThrow(/every value must be a bound parameter/);
  });
});
