/**
 * 公开看板 (issue #5): the public board over the cases of tests/helpers/case-stats-rows.ts — public
 * categories only, hidden cases and hidden photos left out, no personal data, before/after photos, cached
 * briefly. The board's window is the last 365 days, so February's c7 counts here.
 *
 * Public, not hidden: c1, c2, c3, c5, c6, c7, c8 (c4 is of an internal category, c9 hidden).
 * Closed: c1 (49 h from intake), c2 (169 h), c6 (385 h), c7 (24 h) → mean 156.75 h; ratings 5, 2, 4, 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { Client, makeTestApp, type TestApp } from '../helpers/app.ts';
import { type CaseStatsFixture, NOW, seedCaseStats } from '../helpers/case-stats-rows.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let fx: CaseStatsFixture;
let anon: Client;

beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date(NOW);
  fx = await seedCaseStats(t);
  anon = new Client(t.app);
});
afterAll(async () => {
  await t?.close();
});

type Row = Record<string, unknown>;

describe(`the public case board on ${ENGINE}`, () => {
  it('totals, by unit and by category, without hidden cases or internal categories', async () => {
    const res = await anon.get('/api/public/case-board');
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.period).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(b.totals).toEqual({
      received: 7,
      resolved: 4,
      resolutionRate: 57.1,
      avgResolveHours: 156.8,
      ratings: 4,
      avgScore: 3.5,
      satisfiedRate: 75,
    });
    expect(b.categories.map((c: Row) => [c.categoryId, c.received, c.resolved])).toEqual([[fx.cat.A, 7, 4]]);
    const units = new Map(b.units.map((u: Row) => [u.unitId, u]));
    // H holds c1, c2, c7 (c9 is hidden); Y holds c3 (c4 is internal); c8 is with the office (no unit row).
    expect(units.get(fx.unit.H)).toMatchObject({
      unitName: '市卫生健康局',
      received: 3,
      resolved: 3,
      avgScore: 3.67,
    });
    expect(units.get(fx.unit.Y)).toMatchObject({ received: 1, resolved: 0, resolutionRate: 0 });
    expect(units.get(fx.unit.B)).toMatchObject({ received: 1, resolved: 1, avgScore: 3 });
    expect(b.units).toHaveLength(4);
  });

  it('lists the latest resolved cases with before and after photos, hidden photos left out', async () => {
    const b = (await anon.get('/api/public/case-board')).json();
    expect(b.recent.map((c: Row) => c.id)).toEqual([fx.c.c6, fx.c.c2, fx.c.c1, fx.c.c7]);
    const c1 = b.recent.find((c: Row) => c.id === fx.c.c1);
    expect(c1).toMatchObject({
      no: fx.no[fx.c.c1],
      category: '测试公开类',
      unitName: '市卫生健康局',
      answer: '已处理完毕',
      rating: 5,
      closedAt: '2026-03-04T02:00:00.000Z',
    });
    expect(c1.before).toEqual([
      { id: fx.photo.P1, url: `/api/public/files/${fx.photo.P1}`, width: 640, height: 480 },
    ]);
    expect(c1.after).toEqual([
      { id: fx.photo.A1, url: `/api/public/files/${fx.photo.A1}`, width: 640, height: 480 },
    ]);
    const text = JSON.stringify(b);
    expect(text).not.toContain(fx.photo.P2);
    expect(text).not.toContain(fx.photo.P3);
    expect(text).not.toContain(fx.c.c9);
    expect(text).not.toContain(fx.c.c4);
  });

  it('carries no personal data', async () => {
    const text = (await anon.get('/api/public/case-board')).body;
    for (const secret of [
      '张三丰',
      '13912345678',
      'hash-13912345678',
      '10.1.2.3',
      '孙丽娟',
      fx.citizenId,
      '评价',
    ])
      expect(text).not.toContain(secret);
    for (const key of ['reporter', 'contact', 'phone', 'ip', 'ratingComment', 'description'])
      expect(text).not.toContain(`"${key}`);
  });

  it('filters by category and unit, refusing unknown or internal ones', async () => {
    const byUnit = (await anon.get(`/api/public/case-board?unitId=${fx.unit.B}`)).json();
    expect(byUnit.totals).toMatchObject({ received: 1, resolved: 1 });
    expect(byUnit.recent.map((c: Row) => c.id)).toEqual([fx.c.c6]);
    const byCat = (await anon.get(`/api/public/case-board?categoryId=${fx.cat.A}`)).json();
    expect(byCat.totals.received).toBe(7);
    for (const [q, field] of [
      [`categoryId=${fx.cat.N}`, 'categoryId'],
      ['categoryId=01900000-0000-7000-8000-000000000000', 'categoryId'],
      ['unitId=01900000-0000-7000-8000-000000000000', 'unitId'],
      ['unitId=nope', 'unitId'],
    ]) {
      const res = await anon.get(`/api/public/case-board?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields[0].field, q).toBe(field);
    }
  });

  it('answers from a cache for 30 seconds, then sees new cases', async () => {
    const first = (await anon.get('/api/public/case-board')).json();
    const db = t.ctx.database.db;
    const row = await db.selectFrom('cases').selectAll().where('id', '=', fx.c.c1).executeTakeFirstOrThrow();
    const id = uuidv7();
    await db
      .insertInto('cases')
      .values({ ...row, id, no: 'SP-2026-999999', closed_at: '2026-03-30T02:00:00.000Z' })
      .execute();
    t.clock.advance(20_000);
    expect((await anon.get('/api/public/case-board')).json().totals.received).toBe(first.totals.received);
    t.clock.advance(11_000);
    const fresh = (await anon.get('/api/public/case-board')).json();
    expect(fresh.totals.received).toBe(first.totals.received + 1);
    expect(fresh.recent[0].id).toBe(id);
  });
});
