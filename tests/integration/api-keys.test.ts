import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey, keyHash } from '../../apps/server/src/modules/apikeys/service.ts';
import { hashPassword } from '../../apps/server/src/platform/auth/password.ts';
import { Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

/** API keys (modules/apikeys): created with a service account, shown once, revoked for good. */
let t: TestApp;
let office: Client;

beforeAll(async () => {
  t = await makeTestApp();
  office = await signedIn(t.app, 'office_admin');
});
afterAll(async () => {
  await t?.close();
});

describe(`API keys on ${ENGINE}`, () => {
  it('creates a key shown once, stores only its hash, and a service account that cannot sign in', async () => {
    const township = await unitId(t, '南孟镇');
    const res = await office.post('/api/api-keys', { name: '南孟镇网格系统', unitId: township });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.key).toMatch(/^wm_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.unitName).toBe('南孟镇');
    expect(created.scopes).toEqual(['open311:write']);

    const row = await t.ctx.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(keyHash(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const user = await t.ctx.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', created.userId)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ kind: 'service', username: null, password_hash: null, phone_hash: null });
    const roles = await t.ctx.database.db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', created.userId)
      .execute();
    expect(roles).toEqual([]);
    // It is not among the people managed under /api/users: nobody can give it roles, a phone or a password.
    const sys = await signedIn(t.app, 'sysadmin');
    const people = await sys.get('/api/users?pageSize=100');
    expect(people.statusCode).toBe(200);
    expect(JSON.stringify(people.json())).not.toContain(created.userId);
    expect((await sys.get(`/api/users/${created.userId}`)).statusCode).toBe(404);
    const patched = await sys.patch(`/api/users/${created.userId}`, { roles: ['office_admin'] });
    expect(patched.statusCode).toBe(404);
    expect((await sys.post(`/api/users/${created.userId}/reset-password`, {})).statusCode).toBe(404);
    const after = await t.ctx.database.db
      .selectFrom('users')
      .select('kind')
      .where('id', '=', created.userId)
      .executeTakeFirstOrThrow();
    expect(after.kind).toBe('service');
    // No credential reaches it: the key is not a password, and the display name is not a username.
    for (const username of [created.key, created.name, user.display_name]) {
      expect((await new Client(t.app).login(username, created.key)).statusCode).toBe(401);
    }

    // Even given a username and a password by hand, the account gets no session.
    await t.ctx.database.db
      .updateTable('users')
      .set({ username: 'svc-test', password_hash: await hashPassword('Aa1!service') })
      .where('id', '=', created.userId)
      .execute();
    const forced = await new Client(t.app).login('svc-test', 'Aa1!service');
    expect(forced.statusCode).toBe(403);
    expect(forced.cookies.find((c) => c.name === 'wm_session' && c.value)).toBeUndefined();

    const list = await office.get('/api/api-keys');
    expect(list.statusCode).toBe(200);
    const listed = list.json().items.find((k: { id: string }) => k.id === created.id);
    expect(listed).toMatchObject({ name: '南孟镇网格系统', prefix: created.prefix, revokedAt: null });
    expect(JSON.stringify(list.json())).not.toContain(created.key);

    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'after_json'])
      .where('entity_id', '=', created.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['apikey.create']);
    expect(audit[0].after_json).not.toContain(created.key);
  });

  it('records the last use at most once a minute, and refuses a revoked key', async () => {
    const { key, id } = (await office.post('/api/api-keys', { name: '测试系统' })).json();
    const lastUsed = async () =>
      (
        await t.ctx.database.db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await lastUsed()).toBeNull();
    expect(await authenticateApiKey(t.ctx, key, 'open311:write')).toMatchObject({ keyId: id });
    const first = await lastUsed();
    expect(first).toBe(t.clock.now().toISOString());
    t.clock.advance(30_000);
    await authenticateApiKey(t.ctx, key, 'open311:write');
    expect(await lastUsed()).toBe(first);
    t.clock.advance(31_000);
    await authenticateApiKey(t.ctx, key, 'open311:write');
    expect(await lastUsed()).toBe(t.clock.now().toISOString());

    expect(await authenticateApiKey(t.ctx, `${key}x`, 'open311:write')).toBeNull();
    expect(await authenticateApiKey(t.ctx, 'not-a-key', 'open311:write')).toBeNull();

    const revoked = await office.post(`/api/api-keys/${id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toBe(t.clock.now().toISOString());
    expect(await authenticateApiKey(t.ctx, key, 'open311:write')).toBeNull();
    // Revoking again is harmless and records nothing more.
    expect((await office.post(`/api/api-keys/${id}/revoke`)).statusCode).toBe(200);
    const actions = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['apikey.create', 'apikey.revoke']);
  });

  it('checks input and permission', async () => {
    expect((await office.post('/api/api-keys', { name: '   ' })).statusCode).toBe(400);
    const unknownUnit = await office.post('/api/api-keys', {
      name: 'x',
      unitId: '01900000-0000-7000-8000-000000000000',
    });
    expect(unknownUnit.statusCode).toBe(400);
    expect(unknownUnit.json().error.fields[0].field).toBe('unitId');
    expect((await office.post('/api/api-keys/01900000-0000-7000-8000-000000000000/revoke')).statusCode).toBe(
      404,
    );
    for (const username of ['wg_member', 'leader', 'citizen']) {
      const c = await signedIn(t.app, username);
      expect((await c.get('/api/api-keys')).statusCode).toBe(403);
      expect((await c.post('/api/api-keys', { name: 'x' })).statusCode).toBe(403);
    }
  });
});
