import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import {
  actOk,
  categoryId,
  demoArea,
  fileCase,
  NO_CASE_LIMITS,
  postCaseForm,
  signInCitizen,
  smallJpeg,
} from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * The public view of cases: no personal data, hidden and non-public cases left out, a merged case
 * pointing to its original, photos served EXIF-free to anyone; following a case and hearing of it.
 */
let t: TestApp;
let citizen: Client;
let volunteer: Client;
let office: Client;
let liaison: Client;
let anonymous: Client;
let area: Awaited<ReturnType<typeof demoArea>>;
let health: string;

beforeAll(async () => {
  t = await makeTestApp({ env: NO_CASE_LIMITS });
  citizen = await signInCitizen(t);
  volunteer = await signedIn(t.app, 'volunteer');
  office = await signedIn(t.app, 'office_admin');
  liaison = await signedIn(t.app, 'liaison');
  anonymous = new Client(t.app);
  area = await demoArea(t);
  health = await unitId(t, '市卫生健康局');
});
afterAll(async () => {
  await t?.close();
});

const PERSONAL = ['孙丽娟', '13800138002', '138****8002', '张三', 'contactName', 'contactPhone', 'reporter'];

describe(`public cases on ${ENGINE}`, () => {
  it('shows a public case without personal data; its photo is public, EXIF-free', async () => {
    const res = await postCaseForm(
      citizen,
      {
        kind: 'snapshot',
        categoryId: await categoryId(t, 'traffic'),
        description: '公交站台广告牌破损',
        areaUnitId: area.villageId,
        address: '人民路公交站',
        contactName: '张三',
        anonymous: 'false',
      },
      [{ filename: 'stop.jpg', bytes: await smallJpeg(7) }],
    );
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    await actOk(office, id, 'dispatch', { payload: { unitId: health } });
    await actOk(liaison, id, 'sign');
    await actOk(liaison, id, 'answer', { note: '已更换广告牌' });

    const detail = await anonymous.get(`/api/public/cases/${id}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.body;
    for (const p of PERSONAL) expect(body).not.toContain(p);
    const view = detail.json();
    expect(view).toMatchObject({
      state: 'rating',
      address: '人民路公交站',
      answer: '已更换广告牌',
      unitName: '市卫生健康局',
      mergedInto: null,
    });
    expect(
      view.timeline.every((e: { actorName: null; note: null }) => e.actorName === null && e.note === null),
    ).toBe(true);
    // Staff act for their unit; the resident's own step names no unit (theirs is where they live).
    expect(view.timeline.map((e: { actorUnitName: string | null }) => e.actorUnitName)).toEqual([
      null,
      '霸州市精神文明建设委员会办公室',
      '市卫生健康局',
      '市卫生健康局',
    ]);
    expect(view.photos).toHaveLength(1);
    const photo = await anonymous.get(view.photos[0].url);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toMatch(/^image\//);

    const list = await anonymous.get('/api/public/cases');
    expect(list.statusCode).toBe(200);
    const row = list.json().items.find((i: { id: string }) => i.id === id);
    expect(row).toBeTruthy();
    for (const p of PERSONAL) expect(JSON.stringify(row)).not.toContain(p);

    // Someone else's case through the staff/reporter detail: not found (the public view is the way).
    expect((await volunteer.get(`/api/cases/${id}`)).statusCode).toBe(404);
  });

  it('leaves out non-public categories, hidden and rejected cases; a merged case points to its original', async () => {
    const rumour = await fileCase(citizen, {
      categoryId: await categoryId(t, 'rumour'),
      areaUnitId: area.villageId,
    });
    expect((await anonymous.get(`/api/public/cases/${rumour.id}`)).statusCode).toBe(404);
    const order = await categoryId(t, 'order');
    const rejected = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    await actOk(office, rejected.id, 'reject', { note: '无效' });
    expect((await anonymous.get(`/api/public/cases/${rejected.id}`)).statusCode).toBe(404);
    const hidden = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    await t.ctx.database.db.updateTable('cases').set({ hidden: true }).where('id', '=', hidden.id).execute();
    expect((await anonymous.get(`/api/public/cases/${hidden.id}`)).statusCode).toBe(404);

    const original = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    const dup = await fileCase(volunteer, { categoryId: order, areaUnitId: area.villageId });
    await actOk(office, dup.id, 'merge', { note: '重复', payload: { originalId: original.id } });
    const merged = await anonymous.get(`/api/public/cases/${dup.id}`);
    expect(merged.statusCode).toBe(200);
    expect(merged.json().mergedInto).toEqual({ id: original.id, no: original.no });

    const ids = (await anonymous.get('/api/public/cases?pageSize=200'))
      .json()
      .items.map((i: { id: string }) => i.id);
    expect(ids).toContain(original.id);
    for (const gone of [rumour.id, rejected.id, hidden.id, dup.id]) expect(ids).not.toContain(gone);
  });

  it('follows public cases only; followers hear of state changes; unfollow stops it', async () => {
    const order = await categoryId(t, 'order');
    const c = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    const on = await volunteer.post(`/api/cases/${c.id}/follow`);
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toEqual({ followed: true, followerCount: 1 });
    // Following twice keeps one follow.
    expect((await volunteer.post(`/api/cases/${c.id}/follow`)).json().followerCount).toBe(1);
    expect((await volunteer.get(`/api/public/cases/${c.id}`)).json().followed).toBe(true);
    await actOk(office, c.id, 'dispatch', { payload: { unitId: health } });
    const heard = async () =>
      (
        await t.ctx.database.db
          .selectFrom('notifications as n')
          .innerJoin('users as u', 'u.id', 'n.user_id')
          .select('n.id')
          .where('u.username', '=', 'volunteer')
          .where('n.kind', '=', 'case.followed_update')
          .where('n.record_id', '=', c.id)
          .execute()
      ).length;
    expect(await heard()).toBe(1);
    const off = await volunteer.delete(`/api/cases/${c.id}/follow`);
    expect(off.json()).toEqual({ followed: false, followerCount: 0 });
    await actOk(liaison, c.id, 'sign');
    await actOk(liaison, c.id, 'answer', { note: '已处理' });
    expect(await heard()).toBe(1);

    const rumour = await fileCase(citizen, {
      categoryId: await categoryId(t, 'rumour'),
      areaUnitId: area.villageId,
    });
    expect((await volunteer.post(`/api/cases/${rumour.id}/follow`)).statusCode).toBe(404);
    const ownRumour = await citizen.post(`/api/cases/${rumour.id}/follow`);
    expect(ownRumour.statusCode).toBe(409);
    expect(ownRumour.json().error.code).toBe('CASE_NOT_PUBLIC');
    expect((await anonymous.post(`/api/cases/${c.id}/follow`)).statusCode).toBe(401);
  });

  it('lists the case areas and the active categories to anyone', async () => {
    const areas = (await anonymous.get('/api/case-areas')).json();
    const town = areas.find((a: { id: string }) => a.id === area.townId);
    expect(town.villages.map((v: { id: string }) => v.id)).toContain(area.villageId);
    const cats = (await anonymous.get('/api/case-categories')).json();
    expect(cats.map((c: { code: string }) => c.code)).toEqual([
      'traffic',
      'environment',
      'order',
      'behaviour',
      'integrity',
      'rumour',
      'volunteer',
      'other',
    ]);
  });
});
