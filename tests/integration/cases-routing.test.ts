import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import {
  actOk,
  categoryId,
  demoArea,
  fileCase,
  makeCategory,
  makeRule,
  NO_CASE_LIMITS,
  signInCitizen,
} from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * Categories and routing rules as the office manages them (CRUD, the "try" box), and the office list:
 * filters, keyset paging and the data scope of units and townships.
 */
let t: TestApp;
let office: Client;
let citizen: Client;
let area: Awaited<ReturnType<typeof demoArea>>;
let health: string;
let xcb: string;

beforeAll(async () => {
  t = await makeTestApp({ env: NO_CASE_LIMITS });
  office = await signedIn(t.app, 'office_admin');
  citizen = await signInCitizen(t);
  area = await demoArea(t);
  health = await unitId(t, '市卫生健康局');
  xcb = await unitId(t, '市委宣传部');
});
afterAll(async () => {
  await t?.close();
});

describe(`case categories and routing rules on ${ENGINE}`, () => {
  it('creates and edits categories; codes are unique; inactive ones are hidden from the public', async () => {
    const id = await makeCategory(office, { code: 'noise' });
    const dup = await office.post('/api/case-categories', {
      code: 'noise',
      nameZh: '噪声',
      nameEn: 'Noise',
      description: '',
      slaClass: 'ordinary',
      photoRequired: false,
      answerReview: false,
      public: true,
      active: true,
      sort: 1,
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields[0].field).toBe('code');
    const off = await office.patch(`/api/case-categories/${id}`, { active: false, nameZh: '噪声扰民' });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false, nameZh: '噪声扰民' });
    expect((await citizen.get('/api/case-categories')).json().map((c: { id: string }) => c.id)).not.toContain(
      id,
    );
    expect((await office.get('/api/case-categories')).json().map((c: { id: string }) => c.id)).toContain(id);
    // An inactive category takes no new cases.
    const res = await citizen.post('/api/cases', {
      kind: 'snapshot',
      categoryId: id,
      description: '夜间施工噪声很大',
      address: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('categoryId');
  });

  it('keeps one rule per category × area, and the try box says where a case would go and why', async () => {
    const order = await categoryId(t, 'order');
    const anyRule = await makeRule(office, { categoryId: null, areaUnitId: area.town2Id, unitId: xcb });
    const dup = await office.post('/api/case-routing-rules', {
      categoryId: null,
      areaUnitId: area.town2Id,
      unitId: health,
    });
    expect(dup.statusCode).toBe(400);
    const bad = await office.post('/api/case-routing-rules', {
      categoryId: null,
      areaUnitId: health,
      unitId: health,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('areaUnitId');

    const resolve = async (areaUnitId: string) =>
      (
        await office.get(`/api/case-routing-rules/resolve?categoryId=${order}&areaUnitId=${areaUnitId}`)
      ).json();
    expect(await resolve(area.town2Id)).toMatchObject({
      unitId: xcb,
      unitName: '市委宣传部',
      ruleId: anyRule,
      reason: 'rule',
    });
    expect(await resolve(area.villageId)).toMatchObject({ unitId: null, reason: 'none' });

    const specific = await makeRule(office, {
      categoryId: order,
      areaUnitId: area.town2Id,
      unitId: health,
      note: '卫健',
    });
    expect(await resolve(area.town2Id)).toMatchObject({ unitId: health, ruleId: specific });
    const rules = (await office.get('/api/case-routing-rules')).json();
    expect(rules.find((r: { id: string }) => r.id === specific)).toMatchObject({
      categoryName: '公共秩序',
      unitName: '市卫生健康局',
      note: '卫健',
    });
    const moved = await office.patch(`/api/case-routing-rules/${specific}`, { unitId: xcb });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await resolve(area.town2Id)).toMatchObject({ unitId: xcb, ruleId: specific });
    expect((await office.delete(`/api/case-routing-rules/${specific}`)).statusCode).toBe(204);
    expect((await office.delete(`/api/case-routing-rules/${anyRule}`)).statusCode).toBe(204);
    expect(await resolve(area.town2Id)).toMatchObject({ unitId: null });
    expect((await citizen.get('/api/case-routing-rules')).statusCode).toBe(403);
  });
});

describe(`the office list on ${ENGINE}`, () => {
  it('filters, pages by cursor without gaps or repeats, and keeps to the caller’s scope', async () => {
    const order = await categoryId(t, 'order');
    const other = await categoryId(t, 'other');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await fileCase(citizen, {
        categoryId: i % 2 ? other : order,
        areaUnitId: i < 5 ? area.villageId : area.town2Id,
        title: `第${i}件`,
      });
      ids.push(c.id);
      t.clock.advance(1000);
    }
    await actOk(office, ids[0], 'dispatch', { payload: { unitId: health } });
    await actOk(office, ids[6], 'dispatch', { payload: { unitId: xcb } });

    // Keyset paging: three pages of 3, 3, 1 (the seven, newest first), no repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/cases?pageSize=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await office.get(url);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await office.get('/api/cases?cursor=not-a-cursor')).statusCode).toBe(400);

    const q = async (query: string) =>
      (await office.get(`/api/cases?${query}`)).json().items.map((i: { id: string }) => i.id);
    expect(await q(`state=dispatched`)).toEqual([ids[6], ids[0]]);
    expect(await q(`state=dispatched&state=pending`)).toHaveLength(7);
    expect(await q(`unitId=${health}`)).toEqual([ids[0]]);
    expect(await q(`categoryId=${other}`)).toEqual([ids[5], ids[3], ids[1]]);
    expect(await q(`areaUnitId=${area.townId}`)).toEqual(ids.slice(0, 5).reverse());
    expect(await q(`areaUnitId=${area.town2Id}`)).toEqual([ids[6], ids[5]]);
    expect(await q(`q=${encodeURIComponent('第3件')}`)).toEqual([ids[3]]);
    expect(await q('channel=hotline')).toEqual([]);
    expect(await q('overdue=true')).toEqual([]);
    expect(await q('from=2026-03-02&to=2026-03-02')).toHaveLength(7);
    expect(await q('from=2026-03-03')).toEqual([]);

    // 市卫生健康局's liaison sees its own case; the township (subtree) sees the cases of its area.
    const liaison = await signedIn(t.app, 'liaison');
    expect((await liaison.get('/api/cases')).json().items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    const town = await signedIn(t.app, 'liaison_town');
    expect((await town.get('/api/cases')).json().items.map((i: { id: string }) => i.id)).toEqual(
      ids.slice(0, 5).reverse(),
    );
    // A citizen has no office list, but their own.
    expect((await citizen.get('/api/cases')).statusCode).toBe(403);
    const mine = (await citizen.get('/api/cases/mine?pageSize=5')).json();
    expect(mine.total).toBeGreaterThanOrEqual(7);
    expect(mine.items).toHaveLength(5);
  });
});
