import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { openDatabase } from '../../apps/server/src/db/index.ts';
import { unitListCacheOf } from '../../apps/server/src/modules/org/service.ts';
import { AUTH_USER_COLUMNS, sessionCacheOf } from '../../apps/server/src/platform/auth/session.ts';
import { createContext } from '../../apps/server/src/platform/bootstrap.ts';
import { type Versions, versionsOf } from '../../apps/server/src/platform/cache/versions.ts';
import type { AppContext } from '../../apps/server/src/platform/context.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import { DEMO_PASSWORD } from '../../apps/server/src/seed/demo.ts';
import { Client, makeTestApp, runCliOn, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';
import { signal } from '../helpers/signal.ts';

let t: TestApp;
let admin: Client;
let townshipId: string;

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedIn(t.app, 'sysadmin');
  townshipId = await unitId(t, '裕华街道');
});
afterAll(async () => {
  await t?.close();
});

const units = () => unitListCacheOf(t.ctx.database);
const sessions = () => sessionCacheOf(t.ctx.database);

async function versions(ctx: AppContext = t.ctx): Promise<Versions> {
  const v = await versionsOf(ctx.database).read();
  if (!v) throw new Error('no cache versions');
  return v;
}

/** Runs a request twice: the second time it must be answered from the cache. The next write then has a cached answer to make stale. */
async function primed<T>(cache: { hits: number }, request: () => Promise<T>): Promise<T> {
  await request();
  const before = cache.hits;
  const out = await request();
  expect(cache.hits, 'answered from the cache').toBeGreaterThan(before);
  return out;
}

async function userId(username: string): Promise<string> {
  const row = await t.ctx.database.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Another server process on the same database: its own connection (pool) and its own caches. */
async function secondInstance(env: Record<string, string> = {}) {
  const { dataDir } = t.db;
  let databaseUrl: string | undefined;
  if (t.ctx.database.engine === 'postgres') {
    const url = new URL(process.env.WENMING_TEST_DATABASE_URL ?? '');
    url.pathname = new URL(t.ctx.database.location).pathname;
    databaseUrl = url.toString();
  }
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  const config = loadConfig({ WENMING_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const ctx = await createContext(config, createLogger('silent'), { database, clock: t.clock, sms: t.sms });
  const app = await buildApp({ ctx, serveWeb: false });
  await app.ready();
  return {
    app,
    ctx,
    /** A client of this instance that uses the session of a client of the first one. */
    sharing(c: Client): Client {
      const other = new Client(app);
      other.cookie = c.cookie;
      other.csrf = c.csrf;
      return other;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

function multipart(filename: string, content: string) {
  const boundary = '----wenmingcache';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe(`caching on ${ENGINE}`, () => {
  it('answers from the cache byte for byte what it computes without it', async () => {
    const town = await signedIn(t.app, 'liaison_town');
    const queries = [
      '/api/org/units',
      `/api/org/units?rootId=${townshipId}`,
      `/api/org/units?rootId=${townshipId}&page=2&pageSize=3`,
      `/api/org/units?keyword=${encodeURIComponent('社区')}&page=1&pageSize=10`,
      '/api/org/units?rootId=01a00000-0000-7000-8000-000000000000',
    ];
    for (const c of [admin, town]) {
      for (const q of queries) {
        units().clear();
        const computed = await c.get(q);
        expect(computed.statusCode).toBe(200);
        const again = await primed(units(), () => c.get(q));
        expect(again.body).toBe(computed.body);
        expect(again.headers['content-type']).toBe(computed.headers['content-type']);
        expect(again.headers['content-length']).toBe(computed.headers['content-length']);
        // The uncached reference: each unit as the (uncached) detail route serialises it, same schema.
        const { items, total } = computed.json() as { items: { id: string }[]; total: number };
        const details = await Promise.all(
          items.map(async (u) => (await c.get(`/api/org/units/${u.id}`)).body),
        );
        expect(again.body).toBe(`{"items":[${details.join(',')}],"total":${total}}`);
      }
      sessions().clear();
      const me = await c.get('/api/auth/me');
      const meAgain = await primed(sessions(), () => c.get('/api/auth/me'));
      expect(meAgain.body).toBe(me.body);
    }
    // Scopes never share an answer: the same query as the township's liaison and as an admin.
    const whole = (await admin.get('/api/org/units')).json().total;
    expect((await town.get('/api/org/units')).json().total).toBeLessThan(whole);
  });

  it('shows every unit and alias write, and an import, on the very next request', async () => {
    const town = await signedIn(t.app, 'liaison_town');
    const q = `/api/org/units?rootId=${townshipId}`;
    const list = async () =>
      (await town.get(q)).json().items as { id: string; name: string; aliases: string[] }[];
    const names = async () => (await list()).map((u) => u.name);
    const pageTotal = async () => (await town.get(`${q}&page=1&pageSize=2`)).json().total as number;
    const byKeyword = async (k: string) =>
      (await town.get(`/api/org/units?keyword=${encodeURIComponent(k)}`)).json().total as number;

    const total = await pageTotal();
    await primed(units(), pageTotal);
    await primed(units(), names);
    const created = await admin.post('/api/org/units', {
      parentId: townshipId,
      name: '缓存测试村',
      type: 'village',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(await names()).toContain('缓存测试村');
    expect(await pageTotal()).toBe(total + 1);

    await primed(units(), names);
    expect((await admin.patch(`/api/org/units/${id}`, { name: '缓存测试新村' })).statusCode).toBe(200);
    expect(await names()).toContain('缓存测试新村');
    expect(await names()).not.toContain('缓存测试村');

    expect(await byKeyword('缓存别名')).toBe(0);
    await primed(units(), () => byKeyword('缓存别名'));
    expect((await admin.post(`/api/org/units/${id}/aliases`, { alias: '缓存别名' })).statusCode).toBe(200);
    expect(await byKeyword('缓存别名')).toBe(1);
    expect((await list()).find((u) => u.id === id)?.aliases).toEqual(['缓存别名']);
    await primed(units(), list);
    const removed = await admin.delete(`/api/org/units/${id}/aliases/${encodeURIComponent('缓存别名')}`);
    expect(removed.statusCode).toBe(200);
    expect((await list()).find((u) => u.id === id)?.aliases).toEqual([]);
    expect(await byKeyword('缓存别名')).toBe(0);

    // A move changes paths: out of the liaison's subtree, and back.
    const elsewhere = await unitId(t, '南孟镇');
    await primed(units(), names);
    expect((await admin.post(`/api/org/units/${id}/move`, { parentId: elsewhere })).statusCode).toBe(200);
    expect(await names()).not.toContain('缓存测试新村');
    await primed(units(), names);
    expect((await admin.post(`/api/org/units/${id}/move`, { parentId: townshipId })).statusCode).toBe(200);
    expect(await names()).toContain('缓存测试新村');

    await primed(units(), names);
    expect((await admin.delete(`/api/org/units/${id}`)).statusCode).toBe(204);
    expect(await names()).not.toContain('缓存测试新村');
    expect(await pageTotal()).toBe(total);

    await primed(units(), names);
    const { body, headers } = multipart('units.csv', '名称,上级,类型\n缓存导入社区,裕华街道,社区\n');
    const imported = await admin.request('POST', '/api/org/units/import', body, headers);
    expect(imported.json().created).toBe(1);
    expect(await names()).toContain('缓存导入社区');
    expect(await pageTotal()).toBe(total + 1);
  });

  it('ends or changes a cached session on the very next request after every auth write', async () => {
    const me = async (c: Client) => c.get('/api/auth/me');
    const liaisonId = await userId('liaison_town');

    // Logout: the old cookie is refused.
    const a = await signedIn(t.app, 'liaison_town');
    await me(a);
    await primed(sessions(), () => me(a));
    const oldCookie = a.cookie;
    expect((await a.post('/api/auth/logout')).statusCode).toBe(204);
    a.cookie = oldCookie;
    expect((await me(a)).json().error.code).toBe('SESSION_EXPIRED');

    // Disabling the user.
    const b = await signedIn(t.app, 'liaison_town');
    await me(b);
    await primed(sessions(), () => me(b));
    expect((await admin.patch(`/api/users/${liaisonId}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(401);
    expect((await admin.patch(`/api/users/${liaisonId}`, { status: 'active' })).statusCode).toBe(200);

    // Roles and data scope: permissions and the scope of the same session change at once.
    const c = await signedIn(t.app, 'liaison_town');
    const q = `/api/org/units?rootId=${townshipId}`;
    const subtree = (await c.get(q)).json().total as number;
    expect(subtree).toBeGreaterThan(1);
    await primed(sessions(), () => c.get(q));
    expect((await admin.patch(`/api/users/${liaisonId}`, { roles: ['expert'] })).statusCode).toBe(200);
    expect((await c.get(q)).json().error.code).toBe('FORBIDDEN');
    await primed(sessions(), () => c.get(q));
    expect((await admin.patch(`/api/users/${liaisonId}`, { roles: ['liaison'] })).statusCode).toBe(200);
    expect((await c.get(q)).json().total).toBe(subtree);
    await primed(sessions(), () => c.get(q));
    expect((await admin.patch(`/api/users/${liaisonId}`, { dataScope: 'own' })).statusCode).toBe(200);
    expect((await c.get(q)).json().total).toBe(1);
    expect((await admin.patch(`/api/users/${liaisonId}`, { dataScope: 'subtree' })).statusCode).toBe(200);
    expect((await c.get(q)).json().total).toBe(subtree);

    // The user's own fields and unit: name, unit name, unit path (a move of the user's unit).
    await primed(sessions(), () => me(c));
    expect((await admin.patch(`/api/users/${liaisonId}`, { displayName: '杨新名' })).statusCode).toBe(200);
    expect((await me(c)).json().user.displayName).toBe('杨新名');
    await primed(sessions(), () => me(c));
    expect((await admin.patch(`/api/org/units/${townshipId}`, { name: '裕华新街道' })).statusCode).toBe(200);
    expect((await me(c)).json().user.unitName).toBe('裕华新街道');
    expect((await admin.patch(`/api/org/units/${townshipId}`, { name: '裕华街道' })).statusCode).toBe(200);
    const township = (await admin.get(`/api/org/units/${townshipId}`)).json();
    await primed(sessions(), () => c.get(q));
    const into = await unitId(t, '南孟镇');
    expect((await admin.post(`/api/org/units/${townshipId}/move`, { parentId: into })).statusCode).toBe(200);
    expect((await c.get(q)).json().total).toBe(subtree);
    expect((await c.get('/api/org/units')).json().total).toBe(subtree);
    await admin.post(`/api/org/units/${townshipId}/move`, { parentId: township.parentId });
    expect((await c.get('/api/org/units')).json().total).toBe(subtree);

    // A password change ends the user's other sessions; the one that changed it goes on.
    const other = await signedIn(t.app, 'liaison_town');
    await me(other);
    await primed(sessions(), () => me(other));
    const changed = await c.post('/api/auth/password', {
      oldPassword: DEMO_PASSWORD,
      newPassword: 'Cache#Pass2026',
    });
    expect(changed.statusCode).toBe(204);
    expect((await me(other)).statusCode).toBe(401);
    expect((await me(c)).statusCode).toBe(200);

    // An admin reset ends every session; the forced change then opens the account at once.
    await primed(sessions(), () => me(c));
    const reset = await admin.post(`/api/users/${liaisonId}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect((await me(c)).statusCode).toBe(401);
    const d = new Client(t.app);
    expect((await d.login('liaison_town', reset.json().temporaryPassword)).statusCode).toBe(200);
    expect((await d.get(q)).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await primed(sessions(), () => d.get(q));
    const set = await d.post('/api/auth/password', {
      oldPassword: reset.json().temporaryPassword,
      newPassword: 'Cache#Pass2027',
    });
    expect(set.statusCode).toBe(204);
    expect((await d.get(q)).statusCode).toBe(200);

    // The CLI writes through its own connection, as another process would.
    await primed(sessions(), () => d.get(q));
    const cli = await runCliOn(t, ['user', 'reset-password', 'liaison_town']);
    expect(cli.code).toBe(0);
    expect((await d.get(q)).statusCode).toBe(401);
    const temporary = cli.out.match(/liaison_town: (\S+)/)?.[1] ?? '';
    const f = new Client(t.app);
    expect((await f.login('liaison_town', temporary)).statusCode).toBe(200);
    const back = await f.post('/api/auth/password', { oldPassword: temporary, newPassword: DEMO_PASSWORD });
    expect(back.statusCode).toBe(204);

    // So does anyone with SQL: the triggers see it.
    const e = await signedIn(t.app, 'leader');
    await me(e);
    await primed(sessions(), () => me(e));
    await t.ctx.database.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('username', '=', 'leader')
      .execute();
    expect((await me(e)).statusCode).toBe(401);
    await t.ctx.database.db
      .updateTable('users')
      .set({ status: 'active' })
      .where('username', '=', 'leader')
      .execute();
  });

  it('bumps the auth version for every column a session reads, and not for sign-in counters or touches', async () => {
    const { db } = t.ctx.database;
    const bumps = async (statement: string) => {
      const before = await versions();
      await sql.raw(statement).execute(db);
      const after = await versions();
      return { auth: after.auth - before.auth, org: after.org - before.org };
    };
    for (const col of AUTH_USER_COLUMNS.filter((c) => c !== 'id')) {
      const b = await bumps(`update users set ${col} = ${col} where username = 'leader'`);
      expect(b.auth, col).toBeGreaterThan(0);
    }
    expect(
      await bumps("update users set failed_logins = 0, locked_until = null where username = 'leader'"),
    ).toEqual({
      auth: 0,
      org: 0,
    });
    await signedIn(t.app, 'leader');
    expect(await bumps('update sessions set last_seen_at = last_seen_at')).toEqual({ auth: 0, org: 0 });
    expect((await bumps('delete from sessions where 1 = 0')).org).toBe(0);
    expect((await bumps(`update org_units set sort = sort where id = '${townshipId}'`)).org).toBeGreaterThan(
      0,
    );
    expect((await bumps('update org_aliases set alias = alias')).org).toBeGreaterThan(0);
    expect((await bumps("update user_roles set role = role where role = 'leader'")).auth).toBeGreaterThan(0);
  });

  it('bumps ledger_notices for every write of a "report submitted" notice, and for no other kind', async () => {
    const { db } = t.ctx.database;
    const user = await userId('leader');
    const moved = async (write: () => Promise<unknown>) => {
      const before = (await versions()).ledger_notices;
      await write();
      return (await versions()).ledger_notices - before;
    };
    const notice = (kind: string) => ({
      id: uuidv7(),
      user_id: user,
      kind,
      params: '{}',
      record_type: null,
      record_id: null,
      created_at: t.clock.now().toISOString(),
      read_at: null,
    });
    const other = notice('matter.assigned');
    const submitted = notice('ledger.submitted');
    const read = { read_at: t.clock.now().toISOString() };
    expect(await moved(() => db.insertInto('notifications').values(other).execute())).toBe(0);
    expect(
      await moved(() => db.updateTable('notifications').set(read).where('id', '=', other.id).execute()),
    ).toBe(0);
    expect(await moved(() => db.deleteFrom('notifications').where('id', '=', other.id).execute())).toBe(0);
    expect(await moved(() => db.insertInto('notifications').values(submitted).execute())).toBeGreaterThan(0);
    expect(
      await moved(() => db.updateTable('notifications').set(read).where('id', '=', submitted.id).execute()),
    ).toBeGreaterThan(0);
    expect(
      await moved(() => db.deleteFrom('notifications').where('id', '=', submitted.id).execute()),
    ).toBeGreaterThan(0);
  });

  it('reuses a reading only in the same turn and only while this process has written nothing', async () => {
    const reader = versionsOf(t.ctx.database);
    const { db } = t.ctx.database;
    const touchTree = () =>
      db
        .updateTable('org_units')
        .set((eb) => ({ sort: eb.ref('sort') }))
        .where('id', '=', townshipId)
        .execute();
    const first = await reader.read();
    await touchTree();
    expect((await reader.recent())?.org).toBeGreaterThan(first?.org ?? Number.POSITIVE_INFINITY);

    const two = await secondInstance();
    try {
      const before = await reader.read();
      await new Promise((resolve) => setImmediate(resolve));
      await two.ctx.database.db
        .updateTable('org_units')
        .set((eb) => ({ sort: eb.ref('sort') }))
        .where('id', '=', townshipId)
        .execute();
      expect((await reader.recent())?.org).toBeGreaterThan(before?.org ?? Number.POSITIVE_INFINITY);
    } finally {
      await two.close();
    }
  });

  it('reads only committed counters while a transaction is open', async () => {
    const reader = versionsOf(t.ctx.database);
    /** Bumps `org` in a transaction that stays open until `ended` fires; the read is taken meanwhile. */
    const readDuring = async (outcome: 'commit' | 'rollback') => {
      const ended = signal();
      const inside = signal();
      const tx = t.ctx.database.db
        .transaction()
        .execute(async (trx) => {
          await trx
            .updateTable('org_units')
            .set((eb) => ({ sort: eb.ref('sort') }))
            .where('id', '=', townshipId)
            .execute();
          inside.fire();
          await ended.done;
          if (outcome === 'rollback') throw new Error('rolled back');
        })
        .catch(() => {});
      await inside.done;
      const during = reader.read();
      ended.fire();
      await tx;
      return (await during)?.org;
    };
    const before = (await versions()).org;
    expect(await readDuring('rollback')).toBe(before);
    expect((await versions()).org).toBe(before);
    const seen = await readDuring('commit');
    const after = (await versions()).org;
    expect(after).toBeGreaterThan(before);
    // SQLite waits for the commit; PostgreSQL answers from before it. Never the uncommitted value alone.
    expect([before, after]).toContain(seen);
  });

  it('lets a second server instance on the same database see each change at once', async () => {
    const two = await secondInstance();
    try {
      const liaisonId = await userId('liaison_town');
      const a = await signedIn(t.app, 'liaison_town');
      const b = two.sharing(a);
      const q = `/api/org/units?rootId=${townshipId}`;
      const bUnits = unitListCacheOf(two.ctx.database);
      const bSessions = sessionCacheOf(two.ctx.database);
      const names = async () => ((await b.get(q)).json().items as { name: string }[]).map((u) => u.name);

      await names();
      await primed(bUnits, names);
      const created = await admin.post('/api/org/units', {
        parentId: townshipId,
        name: '第二实例村',
        type: 'village',
      });
      expect(created.statusCode).toBe(201);
      expect(await names()).toContain('第二实例村');

      await primed(bSessions, () => b.get('/api/auth/me'));
      expect((await admin.patch(`/api/users/${liaisonId}`, { displayName: '第二实例' })).statusCode).toBe(
        200,
      );
      expect((await b.get('/api/auth/me')).json().user.displayName).toBe('第二实例');

      await primed(bSessions, () => b.get(q));
      expect((await admin.patch(`/api/users/${liaisonId}`, { dataScope: 'own' })).statusCode).toBe(200);
      expect((await b.get(q)).json().total).toBe(1);
      expect((await admin.patch(`/api/users/${liaisonId}`, { dataScope: 'subtree' })).statusCode).toBe(200);

      await primed(bSessions, () => b.get(q));
      expect((await a.post('/api/auth/logout')).statusCode).toBe(204);
      expect((await b.get(q)).json().error.code).toBe('SESSION_EXPIRED');
    } finally {
      await two.close();
    }
  });

  it('shows another connection’s commit to a request that follows it in the same turn', async () => {
    const two = await secondInstance();
    try {
      const a = await signedIn(t.app, 'leader');
      const b = two.sharing(a);
      const me = await primed(sessionCacheOf(two.ctx.database), () => b.get('/api/auth/me'));
      const rename = (name: string) =>
        t.ctx.database.db.updateTable('users').set({ display_name: name }).where('username', '=', 'leader');
      // The first request is under way when the other connection commits; the second starts after it.
      const first = b.get('/api/auth/me');
      const { sqlite } = t.ctx.database;
      if (sqlite)
        sqlite.prepare("update users set display_name = '同轮新名' where username = 'leader'").run();
      else await rename('同轮新名').execute();
      const second = b.get('/api/auth/me');
      expect((await second).json().user.displayName).toBe('同轮新名');
      expect((await first).statusCode).toBe(200);
      await rename(me.json().user.displayName).execute();
    } finally {
      await two.close();
    }
  });

  it('keeps the absolute lifetime and the idle timeout exact for cached sessions', async () => {
    const c = await signedIn(t.app, 'inspector');
    const expires = t.clock.now().getTime() + t.ctx.config.sessionMaxHours * 3600_000;
    const idleMs = t.ctx.config.sessionIdleMinutes * 60_000;
    // Stay active (a request every 25 minutes) until 50 s before the end of the absolute lifetime.
    while (t.clock.now().getTime() + 25 * 60_000 < expires - 50_000) {
      t.clock.advance(25 * 60_000);
      expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    }
    t.clock.current = new Date(expires - 50_000);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.current = new Date(expires);
    await primed(sessions(), () => c.get('/api/auth/me'));
    t.clock.current = new Date(expires + 1);
    expect((await c.get('/api/auth/me')).json().error.code).toBe('SESSION_EXPIRED');

    const d = await signedIn(t.app, 'inspector');
    await d.get('/api/auth/me');
    const lastSeen = t.clock.now().getTime();
    t.clock.advance(30_000);
    await primed(sessions(), () => d.get('/api/auth/me'));
    t.clock.current = new Date(lastSeen + idleMs);
    expect((await d.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.current = new Date(lastSeen + 2 * idleMs + 1);
    expect((await d.get('/api/auth/me')).json().error.code).toBe('SESSION_EXPIRED');
  });
});
