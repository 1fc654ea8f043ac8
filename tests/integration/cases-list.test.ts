import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { actOk, categoryId, demoArea, fileCase, NO_CASE_LIMITS, signInCitizen } from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * The office list's fast paths (docs/performance.md §6): several states and a township's areas read as
 * one part per state or area, overdue cases by their deadline, case numbers whole or by prefix; each
 * pages by its own keyset cursor without gaps or repeats.
 */
let t: TestApp;
let office: Client;
let ids: string[];
let nos: string[];

beforeAll(async () => {
  t = await makeTestApp({ env: NO_CASE_LIMITS });
  office = await signedIn(t.app, 'office_admin');
  const citizen = await signInCitizen(t);
  const area = await demoArea(t);
  const order = await categoryId(t, 'order');
  ids = [];
  nos = [];
  for (let i = 0; i < 7; i++) {
    const c = await fileCase(citizen, {
      categoryId: order,
      areaUnitId: i < 5 ? (i % 2 ? area.townId : area.villageId) : area.town2Id,
      title: `第${i}件`,
    });
    ids.push(c.id);
    nos.push(c.no);
    t.clock.advance(1000);
  }
  // Dispatched in the order 3, 1, 0 two days apart: their answer deadlines fall due in that order.
  const health = await unitId(t, '市卫生健康局');
  for (const i of [3, 1, 0]) {
    await actOk(office, ids[i], 'dispatch', { payload: { unitId: health } });
    t.clock.advance(2 * 24 * 3600_000);
    office = await signedIn(t.app, 'office_admin');
  }
});
afterAll(async () => {
  await t?.close();
});

/** Every page of a query with a page size, followed by its cursors. */
async function allPages(c: Client, query: string, pageSize: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res = await c.get(`/api/cases?pageSize=${pageSize}&${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    pages.push(res.json().items.map((i: { id: string }) => i.id));
    cursor = res.json().nextCursor;
  } while (cursor);
  return pages;
}

describe(`the office list's orders and parts on ${ENGINE}`, () => {
  it('pages several states and a township with its villages, newest first', async () => {
    const newest = [...ids].reverse();
    expect(await allPages(office, 'state=dispatched&state=pending', 3)).toEqual([
      newest.slice(0, 3),
      newest.slice(3, 6),
      newest.slice(6),
    ]);
    expect((await allPages(office, 'state=dispatched&state=signed', 2)).flat()).toEqual([
      ids[3],
      ids[1],
      ids[0],
    ]);
    const town = (await demoArea(t)).townId;
    expect((await allPages(office, `areaUnitId=${town}`, 2)).flat()).toEqual(ids.slice(0, 5).reverse());
    expect((await allPages(office, `areaUnitId=${town}&state=pending&state=dispatched`, 2)).flat()).toEqual(
      ids.slice(0, 5).reverse(),
    );
  });

  it('lists overdue cases oldest deadline first, paged by the deadline', async () => {
    expect((await allPages(office, 'overdue=true', 2)).flat()).toEqual([]);
    t.clock.advance(40 * 24 * 3600_000);
    office = await signedIn(t.app, 'office_admin');
    expect(await allPages(office, 'overdue=true', 2)).toEqual([[ids[3], ids[1]], [ids[0]]]);
    // A cursor belongs to its order.
    const first = (await office.get('/api/cases?pageSize=2&overdue=true')).json();
    expect(first.nextCursor).toBeTruthy();
    expect((await office.get(`/api/cases?cursor=${first.nextCursor}`)).statusCode).toBe(400);
    // The township's liaison sees the overdue cases of its area only (1 and 3 are in the township).
    const town = await signedIn(t.app, 'liaison_town');
    expect((await allPages(town, 'overdue=true', 1)).flat()).toEqual([ids[3], ids[1], ids[0]]);
  });

  it('finds a whole case number in any case, and pages a number prefix by number', async () => {
    const one = (await office.get(`/api/cases?q=${nos[4].toLowerCase()}`)).json();
    expect(one.items.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
    expect(one.nextCursor).toBeNull();
    const prefix = nos[0].slice(0, 9).toLowerCase();
    const byNo = (await allPages(office, `q=${prefix}`, 3)).flat();
    const expected = ids.filter((_, i) => nos[i].startsWith(prefix.toUpperCase()));
    expect(byNo).toEqual(expected.reverse());
    expect((await allPages(office, 'q=RX-', 3)).flat()).toEqual([]);
  });

  it('matches title words', async () => {
    expect((await allPages(office, `q=${encodeURIComponent('第3件')}`, 3)).flat()).toEqual([ids[3]]);
    expect((await allPages(office, `q=${encodeURIComponent('件')}&state=pending`, 3)).flat()).toEqual(
      [6, 5, 4, 2].map((i) => ids[i]),
    );
  });
});
