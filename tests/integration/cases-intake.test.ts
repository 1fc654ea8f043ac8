import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeCase, updateImportedCase } from '../../apps/server/src/modules/cases/intake.ts';
import { caseCaller } from '../../apps/server/src/modules/cases/service.ts';
import { loadAuthUser } from '../../apps/server/src/platform/auth/session.ts';
import { CASE_MAX_PHOTOS } from '../../packages/contracts/src/index.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import {
  caseOf,
  categoryId,
  demoArea,
  fileCase,
  makeRule,
  NO_CASE_LIMITS,
  postCase,
  postCaseForm,
  signInCitizen,
  smallJpeg,
  uploadPhoto,
} from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';
import { makePdf } from '../helpers/images.ts';

/**
 * Intake: the H5's multipart form with real photos, JSON with uploaded photo ids, routing at intake,
 * numbers, and bad input refused with the field at fault while nothing is written.
 */
let t: TestApp;
let citizen: Client;
let office: Client;
let area: Awaited<ReturnType<typeof demoArea>>;
let traffic: string;
let order: string;

beforeAll(async () => {
  t = await makeTestApp({ env: NO_CASE_LIMITS });
  citizen = await signInCitizen(t);
  office = await signedIn(t.app, 'office_admin');
  area = await demoArea(t);
  traffic = await categoryId(t, 'traffic');
  order = await categoryId(t, 'order');
});
afterAll(async () => {
  await t?.close();
});

async function counts() {
  const db = t.ctx.database.db;
  const n = async (table: 'cases' | 'files' | 'file_links' | 'workflow_history' | 'deadlines') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  return {
    cases: await n('cases'),
    files: await n('files'),
    links: await n('file_links'),
    history: await n('workflow_history'),
    deadlines: await n('deadlines'),
    audit: await auditCount(t),
  };
}

const FORM = (over: Record<string, string> = {}) => ({
  kind: 'snapshot',
  categoryId: traffic,
  description: '十字路口有车辆长期违停',
  areaUnitId: area.villageId,
  address: '建设路与人民路交叉口',
  anonymous: 'false',
  ...over,
});

describe(`case intake on ${ENGINE}`, () => {
  it('takes the H5 form with real photos: stored for later analysis, linked, numbered, routed', async () => {
    const res = await postCaseForm(citizen, FORM({ lat: '39.1', lng: '116.4', website: '' }), [
      { filename: 'IMG_0001.jpg', bytes: await smallJpeg(1) },
      { filename: 'camera', bytes: await smallJpeg(2) },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const reply = res.json();
    expect(reply).toMatchObject({ state: 'pending', unitId: null });
    expect(reply.no).toMatch(/^SP-2026-\d{6}$/);
    const d = await caseOf(citizen, reply.id);
    expect(d.photos).toHaveLength(2);
    expect(d.photos.map((p: { name: string }) => p.name)).toEqual(['IMG_0001.jpg', 'photo-2.jpg']);
    expect(d).toMatchObject({
      channel: 'h5',
      lat: 39.1,
      lng: 116.4,
      title: '十字路口有车辆长期违停',
      contactPhone: '138****8002',
      categoryName: '交通秩序',
    });
    // The reporter and the office read the photos; another citizen does not.
    const photo = d.photos[0].id;
    expect((await citizen.get(`/api/files/${photo}`)).statusCode).toBe(200);
    expect((await office.get(`/api/files/${photo}`)).statusCode).toBe(200);
    const volunteer = await signedIn(t.app, 'volunteer');
    expect((await volunteer.get(`/api/files/${photo}`)).statusCode).toBe(404);
  });

  it('takes JSON with uploaded photo ids; numbers follow one another per series', async () => {
    const photo = await uploadPhoto(citizen, 3);
    const a = await fileCase(citizen, { categoryId: traffic, areaUnitId: area.villageId, photoIds: [photo] });
    const b = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    expect(Number(b.no.slice(-6))).toBe(Number(a.no.slice(-6)) + 1);
    const talk = await fileCase(citizen, {
      kind: 'talk',
      level: 'county',
      categoryId: order,
      areaUnitId: area.villageId,
    });
    expect(talk.no).toBe('SS-2026-000001');
    expect(talk.state).toBe('pending');
    // Someone else's upload is not a photo of mine.
    const volunteer = await signedIn(t.app, 'volunteer');
    const theirs = await uploadPhoto(volunteer, 4);
    const res = await postCase(citizen, { categoryId: traffic, photoIds: [theirs] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('photoIds');
  });

  it('routes at intake by the most specific rule and opens the unit’s deadlines', async () => {
    const health = await unitId(t, '市卫生健康局');
    const xcb = await unitId(t, '市委宣传部');
    const rumour = await categoryId(t, 'rumour');
    await makeRule(office, { categoryId: rumour, areaUnitId: null, unitId: xcb });
    await makeRule(office, { categoryId: rumour, areaUnitId: area.townId, unitId: health });
    const inTown = await fileCase(citizen, { categoryId: rumour, areaUnitId: area.villageId });
    expect(inTown).toMatchObject({ state: 'dispatched', unitId: health, unitName: '市卫生健康局' });
    const elsewhere = await fileCase(citizen, { categoryId: rumour, areaUnitId: area.town2Id });
    expect(elsewhere).toMatchObject({ state: 'dispatched', unitId: xcb });
    const d = await caseOf(office, inTown.id);
    expect(d.deadlines.map((x: { kind: string }) => x.kind)).toEqual(['sign', 'answer']);
    expect(d.timeline[0]).toMatchObject({ action: 'create', to: 'dispatched', payload: { routing: 'rule' } });
  });

  it('refuses bad input with the field at fault and writes nothing', async () => {
    const jpeg = await smallJpeg(5);
    const before = await counts();
    const cases: [
      string,
      Promise<{ statusCode: number; json(): { error: { fields?: { field: string }[] } } }>,
    ][] = [
      // 交通秩序 needs a photo from the H5
      ['photos', postCaseForm(citizen, FORM())],
      [
        'photos',
        postCaseForm(
          citizen,
          FORM(),
          Array.from({ length: CASE_MAX_PHOTOS + 1 }, (_, i) => ({ filename: `p${i}.jpg`, bytes: jpeg })),
        ),
      ],
      ['photos', postCaseForm(citizen, FORM(), [{ filename: 'doc.pdf', bytes: makePdf() }])],
      [
        'photos',
        postCaseForm(citizen, FORM(), [{ filename: 'fake.jpg', bytes: Buffer.from('not an image') }]),
      ],
      [
        'areaUnitId',
        postCaseForm(citizen, FORM({ areaUnitId: await unitId(t, '市卫生健康局') }), [
          { filename: 'a.jpg', bytes: jpeg },
        ]),
      ],
      [
        'areaUnitId',
        postCase(citizen, { categoryId: order, areaUnitId: '01900000-0000-7000-8000-000000000000' }),
      ],
      ['lng', postCaseForm(citizen, FORM({ lat: '39.1' }), [{ filename: 'a.jpg', bytes: jpeg }])],
      ['lat', postCase(citizen, { categoryId: order, lng: 116.4 })],
      ['lat', postCase(citizen, { categoryId: order, lat: 91, lng: 116.4 })],
      ['level', postCase(citizen, { kind: 'talk', categoryId: order })],
      ['description', postCase(citizen, { categoryId: order, description: '太短' })],
      ['description', postCaseForm(citizen, FORM({ description: '' }), [{ filename: 'a.jpg', bytes: jpeg }])],
      ['categoryId', postCase(citizen, { categoryId: '01900000-0000-7000-8000-000000000000' })],
      ['kind', postCaseForm(citizen, FORM({ kind: 'complaint' }), [{ filename: 'a.jpg', bytes: jpeg }])],
      ['contactPhone', postCase(citizen, { categoryId: order, contactPhone: '12345' })],
      // a citizen gives a mobile number (staff filing for a caller may keep a landline: below)
      ['contactPhone', postCase(citizen, { categoryId: order, contactPhone: '0316-7221234' })],
      [
        'lat',
        postCaseForm(citizen, FORM({ lat: 'north', lng: '116' }), [{ filename: 'a.jpg', bytes: jpeg }]),
      ],
    ];
    for (const [field, pending] of cases) {
      const res = await pending;
      expect(res.statusCode, `${field}: ${JSON.stringify(res.json())}`).toBe(400);
      expect(res.json().error.fields?.map((f) => f.field)).toContain(field);
    }
    // A photo over 10 MB: 413, named.
    const huge = await postCaseForm(citizen, FORM(), [
      { filename: 'a.jpg', bytes: Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]) },
    ]);
    expect([huge.statusCode, huge.json().error.code, huge.json().error.fields[0].field]).toEqual([
      413,
      'CASE_PHOTO_TOO_LARGE',
      'photos',
    ]);
    // The honeypot: refused like any other bad report.
    const bot = await postCase(citizen, { categoryId: order, website: 'http://spam.example' });
    expect(bot.statusCode).toBe(400);
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
  });

  it('the office files from the console without a reporter; a citizen may not file for others by JSON ids of no file', async () => {
    const c = await fileCase(office, {
      categoryId: order,
      areaUnitId: area.villageId,
      contactPhone: '13900139000',
    });
    const d = await caseOf(office, c.id);
    expect(d).toMatchObject({ channel: 'console', reporterName: null, contactPhone: '139****9000' });
    const landline = await fileCase(office, {
      categoryId: order,
      areaUnitId: area.villageId,
      contactPhone: '(0316)7221234',
    });
    expect(await caseOf(office, landline.id)).toMatchObject({ contactPhone: '031*****1234' });
    // Staff without case:report cannot file.
    const liaison = await signedIn(t.app, 'liaison');
    expect((await postCase(liaison, { categoryId: order })).statusCode).toBe(403);
  });
  it('anonymous: the unit sees 匿名 and no contact; the office sees who; pii:read reveals the phone (audited)', async () => {
    const health = await unitId(t, '市卫生健康局');
    const c = await fileCase(citizen, {
      categoryId: order,
      areaUnitId: area.villageId,
      anonymous: true,
      contactName: '孙女士',
    });
    const dispatched = await office.post(`/api/cases/${c.id}/transitions`, {
      action: 'dispatch',
      version: 1,
      payload: { unitId: health },
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const liaison = await signedIn(t.app, 'liaison');
    const unitView = await caseOf(liaison, c.id);
    expect(unitView).toMatchObject({
      anonymous: true,
      reporterName: '匿名',
      contactName: null,
      contactPhone: null,
    });
    expect(JSON.stringify(unitView)).not.toContain('孙丽娟');
    expect(await caseOf(office, c.id)).toMatchObject({ reporterName: '孙丽娟', contactPhone: '138****8002' });
    expect((await office.get(`/api/cases/${c.id}/contact`)).statusCode).toBe(403);
    const sys = await signedIn(t.app, 'sysadmin');
    const before = await auditCount(t);
    const revealed = await sys.get(`/api/cases/${c.id}/contact`);
    expect(revealed.json()).toEqual({ contactName: '孙女士', contactPhone: '13800138002' });
    expect(await auditCount(t)).toBe(before + 1);
  });

  it("intakeCase and updateImportedCase (the hotline's door): RX numbers, updates add history", async () => {
    const importer = await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'office_admin')
      .executeTakeFirstOrThrow();
    const user = await loadAuthUser(t.ctx.database.db, importer.id);
    if (!user) throw new Error('no office user');
    const caller = caseCaller(user, null);
    const r = await intakeCase(
      t.ctx,
      {
        kind: 'snapshot',
        categoryId: traffic,
        description: '12345 来电：路灯不亮',
        address: '解放路',
        anonymous: false,
        contactPhone: '13900001111',
        photoIds: [],
      },
      { caller, channel: 'hotline', ip: null, external: { source: '12345', no: 'GD-1', hash: 'h1' } },
    );
    expect(r.no).toMatch(/^RX-2026-/);
    await updateImportedCase(
      t.ctx,
      r.id,
      { description: '12345 来电：路灯不亮（已补充）', hash: 'h2' },
      caller,
    );
    const d = await caseOf(office, r.id);
    expect(d).toMatchObject({
      channel: 'hotline',
      description: '12345 来电：路灯不亮（已补充）',
      version: 2,
      state: 'pending',
      reporterName: null,
    });
    expect(d.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    const row = await t.ctx.database.db
      .selectFrom('cases')
      .select(['external_source', 'external_no', 'external_hash'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ external_source: '12345', external_no: 'GD-1', external_hash: 'h2' });
  });
});
