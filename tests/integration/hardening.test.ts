import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo.ts';
import { auditCount, Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

/** Races, abuse and odd input found in review: each must end in a clear 4xx and a consistent state. */
let t: TestApp;
let sys: Client;
beforeAll(async () => {
  t = await makeTestApp();
  sys = await signedIn(t.app, 'sysadmin');
});
afterAll(async () => {
  await t?.close();
});

function upload(c: Client, content: string, contentType = 'multipart/form-data; boundary=----x') {
  const body = `------x\r\nContent-Disposition: form-data; name="file"; filename="u.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n------x--\r\n`;
  return c.request('POST', '/api/org/units/import', body, { 'content-type': contentType });
}

describe(`hardening on ${ENGINE}`, () => {
  it('counts parallel wrong passwords in the database: a burst locks the account', async () => {
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Client(t.app).post('/api/auth/login', { username: 'expert', password: 'Wrong#pass1' }),
      ),
    );
    expect(burst.every((r) => r.statusCode === 401 || r.statusCode === 423)).toBe(true);
    expect((await new Client(t.app).login('expert')).statusCode).toBe(423);
  });

  it('limits parallel guesses of an SMS code to five attempts, and a code works once', async () => {
    const phone = '13700001111';
    await new Client(t.app).post('/api/auth/sms/send', { phone });
    const code = t.sms.lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 8 }, () => new Client(t.app).post('/api/auth/sms/login', { phone, code: wrong })),
    );
    expect(guesses.every((r) => r.statusCode === 400)).toBe(true);
    // The five attempts are spent: even the right code is refused now.
    expect((await new Client(t.app).post('/api/auth/sms/login', { phone, code })).statusCode).toBe(400);

    t.clock.advance(61_000);
    await new Client(t.app).post('/api/auth/sms/send', { phone });
    const fresh = t.sms.lastCode(phone);
    const twice = await Promise.all(
      [1, 2].map(() => new Client(t.app).post('/api/auth/sms/login', { phone, code: fresh })),
    );
    expect(twice.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('does not let TOTP set-up silently switch an enabled second factor off', async () => {
    const OTPAuth = await import('otpauth');
    const c = await signedIn(t.app, 'inspector');
    const secret = (await c.post('/api/auth/totp/setup')).json().secret;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
    expect(
      (await c.post('/api/auth/totp/enable', { code: totp.generate({ timestamp: t.clock.now().getTime() }) }))
        .statusCode,
    ).toBe(204);
    const again = await c.post('/api/auth/totp/setup');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('TOTP_ALREADY_ENABLED');
    const needs = await new Client(t.app).post('/api/auth/login', {
      username: 'inspector',
      password: DEMO_PASSWORD,
    });
    expect(needs.json().error.code).toBe('TOTP_REQUIRED');
    // One code, two parallel sign-ins: only one gets in.
    t.clock.advance(30_000);
    const totpCode = totp.generate({ timestamp: t.clock.now().getTime() });
    const both = await Promise.all(
      [1, 2].map(() =>
        new Client(t.app).post('/api/auth/login', {
          username: 'inspector',
          password: DEMO_PASSWORD,
          totpCode,
        }),
      ),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('keeps a subtree office admin away from groups that reach outside its subtree', async () => {
    const street = await unitId(t, '裕华街道');
    await sys.post('/api/users', {
      username: 'street.admin',
      displayName: '街道管理员',
      unitId: street,
      roles: ['office_admin'],
      dataScope: 'subtree',
      password: 'Start#2026x',
    });
    const admin = await signedIn(t.app, 'street.admin', 'Start#2026x');
    await admin.post('/api/auth/password', { oldPassword: 'Start#2026x', newPassword: 'Other#2026y' });
    const groups = (await admin.get('/api/org/groups')).json().items as {
      id: string;
      name: string;
      memberIds: string[];
    }[];
    const towns = groups.find((g) => g.name === '各乡镇（区、办）');
    expect(towns?.memberIds).toEqual([street]);
    const before = await auditCount(t);
    const put = await admin.put(`/api/org/groups/${towns?.id}`, { name: '各乡镇（区、办）', memberIds: [] });
    expect(put.statusCode).toBe(403);
    expect(put.json().error.code).toBe('GROUP_OUTSIDE_SCOPE');
    expect((await admin.delete(`/api/org/groups/${towns?.id}`)).statusCode).toBe(403);
    expect(await auditCount(t)).toBe(before);
    const all = (await sys.get('/api/org/groups'))
      .json()
      .items.find((g: { name: string }) => g.name === '各乡镇（区、办）');
    expect(all.memberIds.length).toBeGreaterThanOrEqual(13);
  });

  it('answers concurrent duplicates with one success and one 409, never a 500', async () => {
    const town = await unitId(t, '南孟镇');
    const units = await Promise.all(
      [1, 2].map(() => sys.post('/api/org/units', { parentId: town, name: '并发村', type: 'village' })),
    );
    expect(units.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const user = {
      displayName: '并发',
      unitId: town,
      roles: ['liaison'],
      dataScope: 'own',
      password: 'Init#Pass2026',
    };
    const users = await Promise.all(
      [1, 2].map((i) => sys.post('/api/users', { ...user, username: `race${i}`, phone: '13600002222' })),
    );
    expect(users.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('makes crossing moves safe: never a cycle', async () => {
    const town = await unitId(t, '南孟镇');
    const a = (await sys.post('/api/org/units', { parentId: town, name: '交叉A', type: 'other' })).json();
    const b = (await sys.post('/api/org/units', { parentId: town, name: '交叉B', type: 'other' })).json();
    const [ab, ba] = await Promise.all([
      sys.post(`/api/org/units/${a.id}/move`, { parentId: b.id }),
      sys.post(`/api/org/units/${b.id}/move`, { parentId: a.id }),
    ]);
    expect([ab.statusCode, ba.statusCode].sort()).toEqual([200, 400]);
    const rows = await t.ctx.database.db
      .selectFrom('org_units')
      .select(['id', 'parent_id'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    const parents = new Map(rows.map((r) => [r.id, r.parent_id]));
    expect(parents.get(a.id) === b.id && parents.get(b.id) === a.id).toBe(false);
  });

  it('rejects import rows with prototype keys as types or bad sort values, per row', async () => {
    const csv =
      '名称,上级,类型,排序\n甲,南孟镇,constructor,1\n乙,南孟镇,__proto__,1\n丙,南孟镇,村,1.5\n丁,南孟镇,村,99999999999\n';
    const res = await upload(sys, csv);
    expect(res.statusCode).toBe(422);
    expect(res.json().rows.map((r: { status: string }) => r.status)).toEqual([
      'error',
      'error',
      'error',
      'error',
    ]);
  });

  it('refuses NUL characters, impossible instants, a multipart body without boundary and a malformed URL with 400', async () => {
    const nul = await new Client(t.app).post('/api/auth/login', { username: 'a\u0000b', password: 'x' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.fields[0].field).toBe('username');
    expect((await sys.get('/api/users?keyword=a%00b')).statusCode).toBe(400);
    expect((await sys.get('/api/audit?from=2016-12-31T23:59:60Z')).statusCode).toBe(400);
    const noBoundary = await upload(sys, 'x', 'multipart/form-data');
    expect(noBoundary.statusCode).toBeGreaterThanOrEqual(400);
    expect(noBoundary.statusCode).toBeLessThan(500);
    const badUrl = await sys.get('/api/org/units/%zz');
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('searches case-insensitively on both engines', async () => {
    const items = (await sys.get(`/api/users?keyword=OFFICE_ADMIN`)).json().items as { username: string }[];
    expect(items.map((u) => u.username)).toContain('office_admin');
    const lower = (await sys.get('/api/audit?action=auth.login')).json().total;
    expect(lower).toBeGreaterThan(0);
    expect((await sys.get('/api/audit?action=AUTH.LOGIN')).json().total).toBe(lower);
  });
});
