import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedIn(t.app, 'office_admin');
});
afterAll(async () => {
  await t?.close();
});

const newUser = async (over: Record<string, unknown> = {}) => ({
  username: 'zhang.liaison',
  displayName: '张联络',
  unitId: await unitId(t, '市教育和体育局'),
  roles: ['liaison'],
  dataScope: 'own',
  phone: '13812345678',
  idCard: '11010519491231002X',
  password: 'Init#Pass2026',
  ...over,
});

describe(`users and personal data on ${ENGINE}`, () => {
  it('creates a user; phone and ID number are encrypted at rest and masked in every reply', async () => {
    const res = await admin.post('/api/users', await newUser());
    expect(res.statusCode).toBe(201);
    const u = res.json();
    expect(u.phone).toBe('138****5678');
    expect(u.idCard).toBe('110105********002X');
    expect(u.mustChangePassword).toBe(true);
    const row = await t.ctx.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_enc).toMatch(/^v1:/);
    expect(row.phone_enc).not.toContain('13812345678');
    expect(row.id_card_enc).not.toContain('11010519491231002X');
    expect(row.phone_hash).toBe(t.ctx.pii.hash('13812345678'));
    const list = await admin.get('/api/users?keyword=zhang');
    expect(list.json().items[0].phone).toBe('138****5678');
    const audit = (await admin.get(`/api/audit?entity=user&entityId=${u.id}`)).json().items;
    expect(JSON.stringify(audit)).not.toContain('13812345678');
  });

  it('gives unmasked numbers only to pii:read holders, and audits each read', async () => {
    const u = (await admin.get('/api/users?keyword=zhang')).json().items[0];
    expect((await admin.get(`/api/users/${u.id}/pii`)).statusCode).toBe(403);
    const sys = await signedIn(t.app, 'sysadmin');
    const before = await auditCount(t);
    const res = await sys.get(`/api/users/${u.id}/pii`);
    expect(res.json()).toEqual({ phone: '13812345678', idCard: '11010519491231002X' });
    expect(await auditCount(t)).toBe(before + 1);
    const last = (await sys.get('/api/audit?pageSize=1')).json().items[0];
    expect(last).toMatchObject({ action: 'user.pii.read', entityId: u.id });
  });

  it('refuses duplicates, bad numbers, weak passwords and unknown units with field messages; nothing written', async () => {
    const before = await auditCount(t);
    const dup = await admin.post('/api/users', await newUser({ phone: null, idCard: null }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields[0].field).toBe('username');
    const phoneTaken = await admin.post('/api/users', await newUser({ username: 'other1' }));
    expect(phoneTaken.statusCode).toBe(409);
    expect(phoneTaken.json().error.code).toBe('PHONE_TAKEN');
    const badId = await admin.post(
      '/api/users',
      await newUser({ username: 'other2', phone: null, idCard: '110105194912310021' }),
    );
    expect(badId.json().error.fields[0]).toMatchObject({
      field: 'idCard',
      message: '身份证号码格式或校验位不正确',
    });
    const weak = await admin.post(
      '/api/users',
      await newUser({ username: 'other3', phone: null, password: 'password' }),
    );
    expect(weak.json().error.fields[0].field).toBe('password');
    const unit = await admin.post(
      '/api/users',
      await newUser({ username: 'other4', phone: null, unitId: '01900000-0000-7000-8000-000000000000' }),
    );
    expect(unit.statusCode).toBe(400);
    expect(unit.json().error.fields[0].field).toBe('unitId');
    const badRole = await admin.post('/api/users', await newUser({ username: 'other5', roles: ['king'] }));
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.fields[0].field).toMatch(/^roles/);
    expect(await auditCount(t)).toBe(before);
  });

  it('does not let an office admin grant more than it holds', async () => {
    const res = await admin.post(
      '/api/users',
      await newUser({ username: 'wannabe', phone: null, roles: ['system_admin'] }),
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SCOPE_EXCEEDED');
  });

  it('scopes user lists: a unit head sees only its own unit', async () => {
    const head = await signedIn(t.app, 'unit_head');
    const items = (await head.get('/api/users?pageSize=100')).json().items as { unitName: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.unitName))).toEqual(new Set(['市卫生健康局']));
    const outsider = (await admin.get('/api/users?keyword=zhang')).json().items[0];
    expect((await head.get(`/api/users/${outsider.id}`)).statusCode).toBe(404);
  });

  it('updates, disables (ending sessions) and unlocks users', async () => {
    const u = (await admin.get('/api/users?keyword=zhang')).json().items[0];
    const patched = await admin.patch(`/api/users/${u.id}`, { displayName: '张新名', title: '联络员' });
    expect(patched.json()).toMatchObject({ displayName: '张新名', title: '联络员' });
    const self = (await admin.get('/api/auth/me')).json().user;
    const selfDisable = await admin.patch(`/api/users/${self.id}`, { status: 'disabled' });
    expect(selfDisable.json().error.code).toBe('CANNOT_CHANGE_SELF');

    const liaison = await signedIn(t.app, 'liaison');
    const target = (await liaison.get('/api/auth/me')).json().user;
    expect((await admin.patch(`/api/users/${target.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await liaison.get('/api/auth/me')).statusCode).toBe(401);
    expect((await admin.patch(`/api/users/${target.id}`, { status: 'active' })).statusCode).toBe(200);

    for (let i = 0; i < 5; i++)
      await admin.request(
        'POST',
        '/api/auth/login',
        { username: 'liaison', password: 'Nope#1234' },
        { cookie: '' },
      );
    const locked = (await admin.get(`/api/users/${target.id}`)).json();
    expect(locked.lockedUntil).not.toBeNull();
    const unlocked = await admin.post(`/api/users/${target.id}/unlock`);
    expect(unlocked.json().lockedUntil).toBeNull();
    expect((await signedIn(t.app, 'liaison')).csrf).toBeTruthy();
  });
});
