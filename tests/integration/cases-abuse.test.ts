import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BAZHOU_AREA, loadConfig } from '../../apps/server/src/config.ts';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { checkIntake, type IntakeFacts, inArea } from '../../apps/server/src/modules/cases/abuse.ts';
import { forgetBans } from '../../apps/server/src/modules/cases/moderation.ts';
import { AppError } from '../../apps/server/src/platform/http/errors.ts';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-rows.ts';
import { fileCase, makeCategory, postCase, postCaseForm } from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * The checks before a citizen report is stored (modules/cases/abuse.ts): honeypot, jurisdiction, ban
 * list, rate limits per phone and per IP counted from the cases already filed.
 */
let t: TestApp;
let office: Client;
const MINUTE = 60_000;
const PHONE = '13900139000';
let phoneHash: string;

/** A case filed from this phone and address `agoMs` ago. */
function filed(
  opts: { phoneHash?: string | null; ip?: string | null; agoMs?: number },
  app: TestApp = t,
): Promise<string> {
  return insertCase(app, {
    agoMs: opts.agoMs,
    contact_phone_hash: opts.phoneHash ?? null,
    ip: opts.ip ?? null,
  });
}

const facts = (over: Partial<IntakeFacts> = {}): IntakeFacts => ({
  phoneHash,
  ip: '203.0.113.7',
  honeypot: null,
  lat: null,
  lng: null,
  ...over,
});

/** The AppError checkIntake throws (or null when it lets the report in). */
async function refusal(f: IntakeFacts, app: TestApp = t): Promise<AppError | null> {
  try {
    await checkIntake(app.ctx, f);
    return null;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

beforeAll(async () => {
  t = await makeTestApp();
  phoneHash = t.ctx.pii.hash(PHONE);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  // Each test starts from an empty case table and ban list, an hour later than the last.
  t.clock.advance(60 * MINUTE);
  await t.ctx.database.db.deleteFrom('cases').execute();
  await t.ctx.database.db.deleteFrom('case_bans').execute();
  forgetBans(t.ctx.database);
  // sessions time out after 30 idle minutes
  office = await signedIn(t.app, 'office_admin');
});

describe(`case intake checks on ${ENGINE}`, () => {
  it('lets an ordinary report in', async () => {
    expect(await refusal(facts({ lat: 39.11, lng: 116.4 }))).toBeNull();
    expect(await refusal(facts({ phoneHash: null, ip: null }))).toBeNull();
  });

  it('refuses the 6th report from one phone within 10 minutes, and says how long to wait', async () => {
    for (let i = 0; i < 4; i++) await filed({ phoneHash, ip: `198.51.100.${i}`, agoMs: (8 - i) * MINUTE });
    expect(await refusal(facts())).toBeNull();
    await filed({ phoneHash, agoMs: MINUTE });
    const e = await refusal(facts());
    expect(e?.status).toBe(429);
    expect(e?.code).toBe('RATE_LIMITED');
    // the oldest of the five was 8 minutes ago: the window frees up in 2 minutes
    expect(e?.params.seconds).toBe(120);
    // another phone from another address is not affected
    expect(await refusal(facts({ phoneHash: t.ctx.pii.hash('13900139001'), ip: '203.0.113.8' }))).toBeNull();
    t.clock.advance(2 * MINUTE + 1000);
    expect(await refusal(facts())).toBeNull();
  });

  it('refuses the 21st report from one phone within a day', async () => {
    for (let i = 0; i < 20; i++) await filed({ phoneHash, agoMs: (23 * 60 - i * 60) * MINUTE });
    const e = await refusal(facts());
    expect(e?.status).toBe(429);
    // the oldest is 23 hours old: one more hour
    expect(e?.params.seconds).toBe(3600);
    t.clock.advance(60 * MINUTE + 1000);
    expect(await refusal(facts())).toBeNull();
  });

  it('refuses the 31st report from one IP address within an hour, whatever the phones', async () => {
    for (let i = 0; i < 30; i++)
      await filed({
        phoneHash: t.ctx.pii.hash(`1390000${String(i).padStart(4, '0')}`),
        ip: '203.0.113.7',
        agoMs: (50 - i) * MINUTE,
      });
    const e = await refusal(facts({ phoneHash: t.ctx.pii.hash('13700137000') }));
    expect(e?.status).toBe(429);
    expect(e?.params.seconds).toBe(10 * 60);
    // the office filing for callers from its workstation is not held back
    expect(await refusal(facts({ phoneHash: t.ctx.pii.hash('13700137000'), office: true }))).toBeNull();
    // without an address (the hotline, say) only the phone counts
    expect(await refusal(facts({ phoneHash: t.ctx.pii.hash('13700137000'), ip: null }))).toBeNull();
    expect(await refusal(facts({ phoneHash: t.ctx.pii.hash('13700137000'), ip: '203.0.113.9' }))).toBeNull();
  });

  it('takes its limits from the settings; 0 turns a limit off', async () => {
    const loose = await makeTestApp({
      seed: false,
      env: {
        WENMING_CASE_LIMIT_PHONE_10MIN: '0',
        WENMING_CASE_LIMIT_PHONE_DAY: '0',
        WENMING_CASE_LIMIT_IP_HOUR: '2',
      },
    });
    try {
      for (let i = 0; i < 8; i++) await filed({ phoneHash, ip: `198.51.100.${i}` }, loose);
      expect(await refusal(facts(), loose)).toBeNull();
      await filed({ ip: '203.0.113.7' }, loose);
      expect(await refusal(facts(), loose)).toBeNull();
      await filed({ ip: '203.0.113.7' }, loose);
      expect((await refusal(facts(), loose))?.status).toBe(429);
    } finally {
      await loose.close();
    }
  });

  it('reads the jurisdiction from WENMING_CASE_AREA, naming a bad value', () => {
    expect(loadConfig({}).caseArea).toEqual(BAZHOU_AREA);
    expect(loadConfig({ WENMING_CASE_AREA: 'off' }).caseArea).toBeNull();
    expect(loadConfig({ WENMING_CASE_AREA: ' 30, 110.5, 31 ,111 ' }).caseArea).toEqual({
      south: 30,
      west: 110.5,
      north: 31,
      east: 111,
    });
    for (const bad of ['1,2,3', '31,110,30,111', 'a,b,c,d', '1,2,3,4,5', '-91,0,0,1']) {
      expect(() => loadConfig({ WENMING_CASE_AREA: bad }), bad).toThrow(/WENMING_CASE_AREA/);
    }
    expect(() => loadConfig({ WENMING_CASE_LIMIT_IP_HOUR: '-1' })).toThrow(/WENMING_CASE_LIMIT_IP_HOUR/);
  });

  it('refuses a filled-in honeypot without saying why, and records it', async () => {
    const before = await t.ctx.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('action', '=', 'case.intake.honeypot')
      .executeTakeFirst();
    const e = await refusal(facts({ honeypot: 'http://spam.example' }));
    expect(e?.status).toBe(400);
    expect(e?.code).toBe('CASE_REJECTED');
    expect(e?.fields).toEqual([]);
    const rows = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['ip', 'entity'])
      .where('action', '=', 'case.intake.honeypot')
      .execute();
    expect(rows.length).toBe(Number(before?.n) + 1);
    expect(rows.at(-1)).toEqual({ ip: '203.0.113.7', entity: 'case' });
    // a robot that keeps trying is recorded once per 10 minutes, and refused every time
    expect((await refusal(facts({ honeypot: 'x' })))?.code).toBe('CASE_REJECTED');
    const again = async () =>
      (
        await t.ctx.database.db
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', 'case.intake.honeypot')
          .execute()
      ).length;
    expect(await again()).toBe(rows.length);
    t.clock.advance(10 * MINUTE);
    await refusal(facts({ honeypot: 'x' }));
    expect(await again()).toBe(rows.length + 1);
    expect(await refusal(facts({ honeypot: '' }))).toBeNull();
  });

  it('refuses a position outside the jurisdiction, on both coordinates', async () => {
    // 天安门 (Beijing) and 雄安 lie outside Bazhou's box; 胜芳 and the city centre inside
    for (const [lat, lng] of [
      [39.9087, 116.3975],
      [39.04, 115.93],
      [0, 0],
    ]) {
      const e = await refusal(facts({ lat, lng }));
      expect(e?.status).toBe(400);
      expect(e?.fields.map((f) => [f.field, f.code])).toEqual([
        ['lat', 'CASE_OUT_OF_AREA'],
        ['lng', 'CASE_OUT_OF_AREA'],
      ]);
    }
    expect(await refusal(facts({ lat: 39.06, lng: 116.64 }))).toBeNull();
    expect(await refusal(facts({ lat: 39.1, lng: 116.4 }))).toBeNull();
    expect(inArea({ south: 1, west: 2, north: 3, east: 4 }, 3, 4)).toBe(true);
    expect(inArea(null, 80, -170)).toBe(true);
  });

  it('refuses banned phones and addresses (403, no reason given) while the ban is in force', async () => {
    const ban = await office.post('/api/case-bans', { phone: PHONE, reason: '恶意刷单' });
    expect(ban.statusCode).toBe(201);
    const e = await refusal(facts());
    expect([e?.status, e?.code, e?.fields]).toEqual([403, 'CASE_BANNED', []]);
    expect(await refusal(facts({ phoneHash: t.ctx.pii.hash('13900139009') }))).toBeNull();

    expect((await office.post(`/api/case-bans/${ban.json().id}/lift`)).statusCode).toBe(200);
    expect(await refusal(facts())).toBeNull();

    const until = new Date(t.clock.now().getTime() + 30 * MINUTE).toISOString();
    expect(
      (await office.post('/api/case-bans', { ip: '203.0.113.7', reason: '脚本', until })).statusCode,
    ).toBe(201);
    expect((await refusal(facts({ phoneHash: null })))?.code).toBe('CASE_BANNED');
    // an IPv4 address seen through an IPv6 socket is the same address
    expect((await refusal(facts({ phoneHash: null, ip: '::ffff:203.0.113.7' })))?.code).toBe('CASE_BANNED');
    t.clock.advance(31 * MINUTE);
    expect(await refusal(facts({ phoneHash: null }))).toBeNull();
  });

  it('refuses a banned phone also as the signed-in citizen’s own phone, whatever contact phone is typed', async () => {
    const citizen = await t.ctx.database.db
      .selectFrom('users')
      .select(['id', 'phone_hash'])
      .where('username', '=', 'citizen')
      .executeTakeFirstOrThrow();
    expect(citizen.phone_hash).toBe(t.ctx.pii.hash('13800138002'));
    const other = t.ctx.pii.hash('13900139555');
    expect(await refusal(facts({ phoneHash: other, userId: citizen.id }))).toBeNull();
    expect((await office.post('/api/case-bans', { phone: '13800138002', reason: '骚扰' })).statusCode).toBe(
      201,
    );
    expect((await refusal(facts({ phoneHash: other, userId: citizen.id })))?.code).toBe('CASE_BANNED');
    expect(await refusal(facts({ phoneHash: other, userId: null }))).toBeNull();
  });

  it('sees a ban written by another process once its copy of the list is refreshed', async () => {
    expect(await refusal(facts())).toBeNull();
    await t.ctx.database.db
      .insertInto('case_bans')
      .values({
        id: uuidv7(),
        phone_hash: phoneHash,
        phone_masked: '139****9000',
        ip: null,
        reason: 'x',
        until: null,
        created_by: null,
        created_at: t.clock.now().toISOString(),
        lifted_at: null,
      })
      .execute();
    forgetBans(t.ctx.database);
    expect((await refusal(facts()))?.code).toBe('CASE_BANNED');
  });
});

describe(`case intake refusals through POST /api/cases on ${ENGINE}`, () => {
  let app: TestApp;
  let category: string;
  const HOUR = 60 * MINUTE;

  const count = async () =>
    Number(
      (
        await app.ctx.database.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The citizen and the office signed in anew, the clock `hours` later (windows and sessions start over). */
  async function later(hours: number): Promise<{ citizen: Client; office: Client }> {
    app.clock.advance(hours * HOUR);
    return { citizen: await signedIn(app.app, 'citizen'), office: await signedIn(app.app, 'office_admin') };
  }

  beforeAll(async () => {
    app = await makeTestApp({ env: { WENMING_CASE_LIMIT_IP_HOUR: '8' } });
    category = await makeCategory(await signedIn(app.app, 'office_admin'), { photoRequired: false });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses the 6th report from one phone within 10 minutes with 429 and Retry-After, writing nothing', async () => {
    const { citizen } = await later(24);
    for (let i = 0; i < 5; i++) {
      await fileCase(citizen, { categoryId: category, description: `第 ${i + 1} 次反映：路灯不亮` });
      app.clock.advance(MINUTE);
    }
    const before = await count();
    const res = await postCase(citizen, { categoryId: category });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('RATE_LIMITED');
    // the first of the five was 5 minutes ago
    expect(res.headers['retry-after']).toBe('300');
    expect(res.json().error.message).toBe('操作太频繁，请 300 秒后再试');
    expect(await count()).toBe(before);
    // a different contact phone is a different phone
    expect((await postCase(citizen, { categoryId: category, contactPhone: '13900139777' })).statusCode).toBe(
      201,
    );
  });

  it('refuses a flood from one IP address whatever the phones (here 8 an hour)', async () => {
    const { citizen } = await later(24);
    for (let i = 0; i < 8; i++)
      await fileCase(citizen, { categoryId: category, contactPhone: `1390013${String(8000 + i)}` });
    const before = await count();
    const res = await postCase(citizen, { categoryId: category, contactPhone: '13900139999' });
    expect(res.statusCode).toBe(429);
    expect(await count()).toBe(before);
  });

  it('refuses a banned phone, also as the citizen’s own, without saying why', async () => {
    const { citizen, office } = await later(24);
    const ban = await office.post('/api/case-bans', { phone: '13800138002', reason: '恶意举报' });
    expect(ban.statusCode).toBe(201);
    const before = await count();
    citizen.lang = 'en-US';
    for (const contactPhone of [undefined, '13900139555']) {
      const res = await postCase(citizen, { categoryId: category, contactPhone });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toEqual({
        code: 'CASE_BANNED',
        message: 'We cannot accept reports from you at the moment; please contact the civilization office',
      });
    }
    expect(await count()).toBe(before);
    await office.post(`/api/case-bans/${ban.json().id}/lift`);
    expect((await postCase(citizen, { categoryId: category })).statusCode).toBe(201);
  });

  it('refuses a filled-in honeypot (the H5 form’s hidden field) and a position outside Bazhou', async () => {
    const { citizen } = await later(24);
    const before = await count();
    const trap = await postCaseForm(citizen, {
      kind: 'snapshot',
      categoryId: category,
      description: '路口有车辆违停，影响通行',
      anonymous: 'false',
      website: 'http://buy.example',
    });
    expect(trap.statusCode).toBe(400);
    expect(trap.json().error.code).toBe('CASE_REJECTED');
    expect(trap.json().error.fields).toBeUndefined();

    const far = await postCase(citizen, { categoryId: category, lat: 39.9087, lng: 116.3975 });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.fields).toEqual([
      { field: 'lat', message: '该位置不在本辖区范围内' },
      { field: 'lng', message: '该位置不在本辖区范围内' },
    ]);
    expect(await count()).toBe(before);
    expect((await postCase(citizen, { categoryId: category, lat: 39.11, lng: 116.4 })).statusCode).toBe(201);
  });
});
