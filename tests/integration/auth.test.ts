import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo.ts';
import { auditCount, Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe(`authentication on ${ENGINE}`, () => {
  it('signs in with the right password, sets an httpOnly SameSite cookie, and answers /me', async () => {
    const c = new Client(t.app);
    const res = await c.login('office_admin');
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((x) => x.name === 'wm_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(res.json().user.roles).toEqual(['office_admin']);
    const me = await c.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('office_admin');
    expect(me.json().csrfToken).toBe(c.csrf);
  });

  it('answers the same way for an unknown user and a wrong password, in the caller’s language', async () => {
    const c = new Client(t.app);
    const unknown = await c.post('/api/auth/login', { username: 'nobody', password: 'x' });
    const wrong = await c.post('/api/auth/login', { username: 'leader', password: 'wrong-Password1' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.json().error.message).toBe('用户名或密码错误');
    c.lang = 'en-US,en;q=0.9';
    const en = await c.post('/api/auth/login', { username: 'leader', password: 'wrong-Password1' });
    expect(en.json().error.message).toBe('Wrong username or password');
  });

  it('locks an account for 30 minutes after 5 failures, then lets it in again', async () => {
    const c = new Client(t.app);
    for (let i = 1; i <= 4; i++) {
      expect(
        (await c.post('/api/auth/login', { username: 'inspector', password: `Wrong-${i}xx` })).statusCode,
      ).toBe(401);
    }
    const fifth = await c.post('/api/auth/login', { username: 'inspector', password: 'Wrong-5xx' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    // Even the right password is refused while locked.
    expect((await c.login('inspector')).statusCode).toBe(423);
    t.clock.advance(29 * 60_000);
    expect((await c.login('inspector')).statusCode).toBe(423);
    t.clock.advance(2 * 60_000);
    expect((await c.login('inspector')).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes but not while it is used', async () => {
    const c = await signedIn(t.app, 'leader');
    t.clock.advance(20 * 60_000);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(20 * 60_000);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const expired = await c.get('/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const c = await signedIn(t.app, 'office_admin');
    const root = await unitId(t, '霸州市');
    const before = await auditCount(t);
    const res = await c.request(
      'POST',
      '/api/org/units',
      { parentId: root, name: '测试单位', type: 'other' },
      {
        'x-csrf-token': 'forged',
      },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_INVALID');
    c.csrf = undefined;
    expect(
      (await c.post('/api/org/units', { parentId: root, name: '测试单位', type: 'other' })).statusCode,
    ).toBe(403);
    expect(await auditCount(t)).toBe(before);
  });

  it('logs out: the old cookie no longer works', async () => {
    const c = await signedIn(t.app, 'leader');
    const cookie = c.cookie;
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    c.cookie = cookie;
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('forces a reset password to be changed before anything else, and enforces the complexity rule', async () => {
    const admin = await signedIn(t.app, 'office_admin');
    const target = await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'unit_head')
      .executeTakeFirstOrThrow();
    const reset = await admin.post(`/api/users/${target.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const temp = reset.json().temporaryPassword as string;
    expect((await new Client(t.app).login('unit_head')).statusCode).toBe(401);

    const c = await signedIn(t.app, 'unit_head', temp);
    expect((await c.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const weak = await c.post('/api/auth/password', { oldPassword: temp, newPassword: 'abcdefgh' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0].field).toBe('newPassword');
    const wrongOld = await c.post('/api/auth/password', { oldPassword: 'nope', newPassword: 'Better#Pass1' });
    expect(wrongOld.statusCode).toBe(400);
    expect(
      (await c.post('/api/auth/password', { oldPassword: temp, newPassword: 'Better#Pass1' })).statusCode,
    ).toBe(204);
    expect((await c.get('/api/users')).statusCode).toBe(200);
    expect((await signedIn(t.app, 'unit_head', 'Better#Pass1')).csrf).toBeTruthy();
  });

  it('supports an optional TOTP second factor for staff', async () => {
    const OTPAuth = await import('otpauth');
    const c = await signedIn(t.app, 'wg_member');
    const setup = await c.post('/api/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json().secret) });
    const code = () => totp.generate({ timestamp: t.clock.now().getTime() });
    expect(
      (await c.post('/api/auth/totp/enable', { code: '000000' === code() ? '111111' : '000000' })).statusCode,
    ).toBe(400);
    expect((await c.post('/api/auth/totp/enable', { code: code() })).statusCode).toBe(204);

    const fresh = new Client(t.app);
    const needs = await fresh.post('/api/auth/login', { username: 'wg_member', password: DEMO_PASSWORD });
    expect(needs.statusCode).toBe(401);
    expect(needs.json().error.code).toBe('TOTP_REQUIRED');
    // The code that enabled TOTP is spent: replaying it in the same 30-second step fails.
    const body = () => ({ username: 'wg_member', password: DEMO_PASSWORD, totpCode: code() });
    const replay = await fresh.post('/api/auth/login', body());
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('TOTP_INVALID');
    t.clock.advance(30_000);
    expect((await fresh.post('/api/auth/login', body())).statusCode).toBe(200);
    expect((await new Client(t.app).post('/api/auth/login', body())).statusCode).toBe(401);
  });

  it('signs a citizen in by phone code, creating the account once, with rate limits', async () => {
    const c = new Client(t.app);
    const phone = '13912345678';
    expect((await c.post('/api/auth/sms/send', { phone: '12345' })).statusCode).toBe(400);
    const sent = await c.post('/api/auth/sms/send', { phone });
    expect(sent.statusCode).toBe(200);
    const again = await c.post('/api/auth/sms/send', { phone });
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('RATE_LIMITED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(50);

    const code = t.sms.lastCode(phone);
    const wrong = await c.post('/api/auth/sms/login', {
      phone,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    const ok = await c.post('/api/auth/sms/login', { phone, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.roles).toEqual(['citizen']);
    expect(ok.json().user.phone).toBe('139****5678');
    // A code works once.
    expect((await new Client(t.app).post('/api/auth/sms/login', { phone, code })).statusCode).toBe(400);

    t.clock.advance(61_000);
    await c.post('/api/auth/sms/send', { phone });
    const second = await new Client(t.app).post('/api/auth/sms/login', {
      phone,
      code: t.sms.lastCode(phone),
    });
    expect(second.json().user.id).toBe(ok.json().user.id);
  });

  it('signs a liaison with a phone on file in by code, with the liaison’s roles', async () => {
    const c = new Client(t.app);
    t.clock.advance(61_000);
    expect((await c.post('/api/auth/sms/send', { phone: '138 0013 8000' })).statusCode).toBe(200);
    const ok = await c.post('/api/auth/sms/login', {
      phone: '13800138000',
      code: t.sms.lastCode('13800138000'),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.username).toBe('liaison');
    expect(ok.json().user.roles).toEqual(['liaison']);
  });
});
