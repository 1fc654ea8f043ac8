import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { newUserRow } from '../../apps/server/src/modules/users/repo.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import {
  type ChannelSender,
  createChannels,
  dingtalkSign,
  type NotifyChannels,
} from '../../apps/server/src/platform/notify/channels.ts';
import {
  deliverPending,
  deliveryIdle,
  type NotifyInput,
  notify,
  RETRY_DELAYS_MS,
} from '../../apps/server/src/platform/notify/service.ts';
import { registerTemplates } from '../../apps/server/src/platform/notify/templates.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

registerTemplates({
  'itest.alert': {
    'zh-CN': { title: '测试提醒', body: '“{label}”需要处理' },
    'en-US': { title: 'Test alert', body: '"{label}" needs attention' },
    sms: true,
    group: true,
  },
  'itest.quiet': {
    'zh-CN': { title: '安静消息', body: '{label}' },
    'en-US': { title: 'Quiet message', body: '{label}' },
  },
});

const WECOM_KEY = '693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa';
const WECOM_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}`;
const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';

let t: TestApp;
let devChannels: NotifyChannels;
let health: string;
let town: string;
const ids: Record<string, string> = {};

async function userId(username: string): Promise<string> {
  const r = await t.ctx.database.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A user inserted directly: `status` and `role` as given, in the unit given. */
async function addUser(name: string, unit: string, role: string, status = 'active'): Promise<string> {
  const id = uuidv7();
  await t.ctx.database.db
    .insertInto('users')
    .values(
      newUserRow({
        id,
        display_name: name,
        kind: 'staff',
        data_scope: 'own',
        created_at: t.clock.now().toISOString(),
        unit_id: unit,
        status,
      }),
    )
    .execute();
  await t.ctx.database.db.insertInto('user_roles').values({ user_id: id, role }).execute();
  return id;
}

function send(input: NotifyInput) {
  return writeTx(t.ctx, SYSTEM_ACTOR, (tx) => notify(tx, input));
}

async function inboxOf(user: string) {
  return t.ctx.database.db.selectFrom('notifications').selectAll().where('user_id', '=', user).execute();
}

async function deliveries() {
  return t.ctx.database.db.selectFrom('notification_deliveries').selectAll().orderBy('created_at').execute();
}

/** A sender that records what it is asked to send and fails while `failing` is set. */
class Recorder implements ChannelSender {
  readonly sent: { target: { url?: string; secret?: string; phone?: string }; text: string }[] = [];
  calls = 0;
  failing = false;
  constructor(readonly channel: 'wecom' | 'dingtalk') {}
  async send(target: { url?: string; secret?: string }, text: string): Promise<void> {
    this.calls++;
    if (this.failing) throw new Error('robot said no');
    this.sent.push({ target, text });
  }
}

beforeAll(async () => {
  t = await makeTestApp({ env: { WENMING_WEBHOOK_HOSTS: '127.0.0.1' } });
  devChannels = t.ctx.channels;
  health = await unitId(t, '市卫生健康局');
  town = await unitId(t, '裕华街道');
  for (const u of ['liaison', 'unit_head', 'office_admin', 'liaison_town', 'sysadmin'])
    ids[u] = await userId(u);
  ids.disabled = await addUser('停用联络员', health, 'liaison', 'disabled');
  ids.inspector = await addUser('卫健测评员', health, 'inspector');
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  t.ctx.channels = devChannels;
  t.sms.sent.length = 0;
  for (const table of [
    'notification_deliveries',
    'notifications',
    'notification_prefs',
    'notify_webhooks',
  ] as const) {
    await t.ctx.database.db.deleteFrom(table).execute();
  }
});

describe(`notify() on ${ENGINE}`, () => {
  it('writes inbox rows for the units’ holders of the roles, active users only, each once', async () => {
    const r = await send({
      userIds: [ids.liaison, ids.office_admin, ids.disabled],
      units: { unitIds: [health] },
      kind: 'itest.quiet',
      params: { label: 'x' },
      record: { type: 'matter', id: '01900000-0000-7000-8000-000000000001' },
    });
    // liaison (directly and through the unit), unit head (unit), office admin (directly); not the
    // disabled liaison, not the unit's inspector (role filter)
    expect(r.notified).toBe(3);
    const rows = await t.ctx.database.db.selectFrom('notifications').selectAll().execute();
    expect(rows.map((n) => n.user_id).sort()).toEqual([ids.liaison, ids.unit_head, ids.office_admin].sort());
    expect(rows[0]).toMatchObject({
      kind: 'itest.quiet',
      params: '{"label":"x"}',
      record_type: 'matter',
      created_at: t.clock.now().toISOString(),
      read_at: null,
    });

    const roles = await send({
      units: { unitIds: [health], roles: ['inspector'] },
      kind: 'itest.quiet',
      params: { label: 'y' },
    });
    expect(roles.notified).toBe(1);
    expect(await inboxOf(ids.inspector)).toHaveLength(1);

    const excluded = await send({
      units: { unitIds: [health] },
      kind: 'itest.quiet',
      params: { label: 'z' },
      excludeUserId: ids.liaison,
    });
    expect(excluded.notified).toBe(1);
    expect(await deliveries()).toEqual([]);
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    await expect(
      writeTx(t.ctx, SYSTEM_ACTOR, async (tx) => {
        await notify(tx, { units: { unitIds: [health] }, kind: 'itest.alert', params: { label: 'x' } });
        throw new Error('the caller fails after notifying');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await t.ctx.database.db.selectFrom('notifications').selectAll().execute()).toEqual([]);
    expect(await deliveries()).toEqual([]);
  });

  it('refuses an unregistered kind', async () => {
    await expect(send({ userIds: [ids.liaison], kind: 'itest.nope', params: {} })).rejects.toThrow(
      /not registered/,
    );
  });

  it('queues SMS for users with a phone, by kind default and preferences, and group robots of the units', async () => {
    const admin = await signedIn(t.app, 'office_admin');
    const hook = await admin.post('/api/notify/webhooks', {
      name: '卫健局工作群',
      channel: 'wecom',
      unitId: health,
      url: WECOM_URL,
    });
    expect(hook.statusCode).toBe(201);
    await admin.post('/api/notify/webhooks', {
      name: '停用的群',
      channel: 'wecom',
      unitId: health,
      url: WECOM_URL,
      enabled: false,
    });
    await admin.post('/api/notify/webhooks', {
      name: '街道群',
      channel: 'dingtalk',
      unitId: town,
      url: DING_URL,
    });

    await send({ units: { unitIds: [health] }, kind: 'itest.alert', params: { label: '楼道堆物' } });
    let out = await deliveries();
    // the liaison has a phone (the unit head has none); one enabled robot of the unit
    expect(out.map((d) => [d.channel, d.user_id, d.webhook_id, d.status, d.attempts])).toEqual(
      expect.arrayContaining([
        ['sms', ids.liaison, null, 'pending', 0],
        ['wecom', null, hook.json().id, 'pending', 0],
      ]),
    );
    expect(out).toHaveLength(2);
    const sms = out.find((d) => d.channel === 'sms');
    expect(sms?.text).toBe('测试提醒：“楼道堆物”需要处理');
    expect(sms?.target).toBe('刘海燕');
    expect(sms?.notification_id).toBe((await inboxOf(ids.liaison))[0].id);
    expect(out.find((d) => d.channel === 'wecom')).toMatchObject({
      target: '卫健局工作群',
      text: '【测试提醒】“楼道堆物”需要处理',
    });

    // a kind without SMS or group: neither
    await t.ctx.database.db.deleteFrom('notification_deliveries').execute();
    await send({ units: { unitIds: [health] }, kind: 'itest.quiet', params: { label: 'q' } });
    expect(await deliveries()).toEqual([]);

    // the liaison turns SMS off for the kind, then on for the quiet kind's group
    const liaison = await signedIn(t.app, 'liaison');
    const off = await liaison.put('/api/notifications/prefs', {
      items: [{ kind: 'itest.alert', channel: 'sms', enabled: false }],
    });
    expect(off.statusCode).toBe(200);
    await send({ userIds: [ids.liaison], kind: 'itest.alert', params: { label: 'a' } });
    expect(await deliveries()).toEqual([]);
    await liaison.put('/api/notifications/prefs', {
      items: [{ kind: 'itest.*', channel: 'sms', enabled: true }],
    });
    // the group switch replaced the kind's rule
    await send({ userIds: [ids.liaison], kind: 'itest.alert', params: { label: 'b' } });
    await send({ userIds: [ids.liaison], kind: 'itest.quiet', params: { label: 'c' } });
    out = await deliveries();
    expect(out.map((d) => d.text).sort()).toEqual(['安静消息：c', '测试提醒：“b”需要处理']);

    // everything off
    await t.ctx.database.db.deleteFrom('notification_deliveries').execute();
    await liaison.put('/api/notifications/prefs', { items: [{ kind: '*', channel: 'sms', enabled: false }] });
    await send({ userIds: [ids.liaison], kind: 'itest.alert', params: { label: 'd' } });
    expect(await deliveries()).toEqual([]);

    // the office's own robot only when asked for
    await admin.post('/api/notify/webhooks', {
      name: '文明办群',
      channel: 'wecom',
      unitId: null,
      url: WECOM_URL,
    });
    await send({
      units: { unitIds: [town] },
      kind: 'itest.alert',
      params: { label: 'e' },
      officeGroup: true,
    });
    out = await deliveries();
    expect(out.map((d) => d.target).sort()).toEqual(['文明办群', '街道群', '杨春梅'].sort());
  });

  it('notifies long recipient lists in one transaction (lists and inserts split into chunks)', async () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      newUserRow({
        id: uuidv7(),
        display_name: `批量用户${i}`,
        kind: 'staff',
        data_scope: 'own',
        created_at: t.clock.now().toISOString(),
        status: i % 100 === 0 ? 'disabled' : 'active',
      }),
    );
    for (let i = 0; i < many.length; i += 200) {
      await t.ctx.database.db
        .insertInto('users')
        .values(many.slice(i, i + 200))
        .execute();
    }
    try {
      const units = await t.ctx.database.db.selectFrom('org_units').select('id').execute();
      const r = await send({
        userIds: [...many.map((u) => u.id), uuidv7()],
        units: { unitIds: units.map((u) => u.id) },
        kind: 'itest.quiet',
        params: { label: 'all' },
      });
      const holders = await t.ctx.database.db
        .selectFrom('users as u')
        .innerJoin('user_roles as r', 'r.user_id', 'u.id')
        .select('u.id')
        .distinct()
        .where('u.status', '=', 'active')
        .where('r.role', 'in', ['liaison', 'unit_head'])
        .execute();
      expect(r.notified).toBe(1200 - 12 + holders.length);
      const n = await t.ctx.database.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(r.notified);
    } finally {
      await t.ctx.database.db.deleteFrom('notifications').execute();
      await t.ctx.database.db.deleteFrom('users').where('display_name', 'like', '批量用户%').execute();
    }
  });
});

describe(`delivery on ${ENGINE}`, () => {
  it('sends each message once even when two deliveries run at the same time', async () => {
    for (let i = 0; i < 30; i++) {
      await send({
        userIds: [ids.liaison, ids.liaison_town],
        kind: 'itest.alert',
        params: { label: `m${i}` },
      });
    }
    const [a, b] = await Promise.all([deliverPending(t.ctx), deliverPending(t.ctx)]);
    expect(a.sent + b.sent).toBe(60);
    expect(a.failed + b.failed).toBe(0);
    expect(t.sms.sent).toHaveLength(60);
    expect(new Set(t.sms.sent.map((s) => s.text)).size).toBe(30);
    const out = await deliveries();
    expect(out.every((d) => d.status === 'sent' && d.attempts === 1 && d.sent_at !== null)).toBe(true);
    expect(out.find((d) => d.user_id === ids.liaison)?.target).toBe('刘海燕 138****8000');
    expect(await deliverPending(t.ctx)).toEqual({ sent: 0, failed: 0 });
  });

  it('retries a failing message with backoff and gives up after five attempts', async () => {
    const wecom = new Recorder('wecom');
    wecom.failing = true;
    t.ctx.channels = { ...devChannels, senders: { ...devChannels.senders, wecom } };
    const admin = await signedIn(t.app, 'office_admin');
    await admin.post('/api/notify/webhooks', {
      name: '卫健局工作群',
      channel: 'wecom',
      unitId: health,
      url: WECOM_URL,
    });
    await send({ units: { unitIds: [health] }, kind: 'itest.alert', params: { label: 'retry' } });
    await t.ctx.database.db.deleteFrom('notification_deliveries').where('channel', '=', 'sms').execute();

    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await deliverPending(t.ctx)).toEqual({ sent: 0, failed: 1 });
      const [d] = await deliveries();
      expect(d.attempts).toBe(attempt);
      expect(d.error).toBe('robot said no');
      if (attempt < 5) {
        expect(d.status).toBe('pending');
        const wait = RETRY_DELAYS_MS[attempt - 1];
        expect(d.next_attempt_at).toBe(new Date(t.clock.now().getTime() + wait).toISOString());
        // not before its time
        t.clock.advance(wait - 1000);
        expect(await deliverPending(t.ctx)).toEqual({ sent: 0, failed: 0 });
        t.clock.advance(1000);
      } else {
        expect(d.status).toBe('failed');
        expect(d.next_attempt_at).toBeNull();
      }
    }
    t.clock.advance(24 * 3600_000);
    expect(await deliverPending(t.ctx)).toEqual({ sent: 0, failed: 0 });
    expect(wecom.calls).toBe(5);
  });

  it('recovers the messages of a sender that stopped mid-batch, once its claim lapses', async () => {
    await send({ userIds: [ids.liaison], kind: 'itest.alert', params: { label: 'lease' } });
    // a sender claimed the row and died
    await t.ctx.database.db
      .updateTable('notification_deliveries')
      .set({
        status: 'sending',
        attempts: 1,
        next_attempt_at: new Date(t.clock.now().getTime() + 300_000).toISOString(),
      })
      .execute();
    expect(await deliverPending(t.ctx)).toEqual({ sent: 0, failed: 0 });
    t.clock.advance(300_000);
    expect(await deliverPending(t.ctx)).toEqual({ sent: 1, failed: 0 });
    expect((await deliveries())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('fails at once what cannot heal: a recipient without a phone any more', async () => {
    await send({ userIds: [ids.liaison], kind: 'itest.alert', params: { label: 'gone' } });
    const phone = await t.ctx.database.db
      .selectFrom('users')
      .select(['phone_enc', 'phone_hash'])
      .where('id', '=', ids.liaison)
      .executeTakeFirstOrThrow();
    await t.ctx.database.db
      .updateTable('users')
      .set({ phone_enc: null, phone_hash: null })
      .where('id', '=', ids.liaison)
      .execute();
    try {
      expect(await deliverPending(t.ctx)).toEqual({ sent: 0, failed: 1 });
      expect((await deliveries())[0]).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: 'the recipient has no phone number',
      });
    } finally {
      await t.ctx.database.db.updateTable('users').set(phone).where('id', '=', ids.liaison).execute();
    }
  });
});

describe(`group robots over HTTP on ${ENGINE}`, () => {
  let server: Server;
  let base: string;
  const received: { path: string; query: URLSearchParams; body: unknown }[] = [];
  let reply: { errcode: number; errmsg: string } = { errcode: 0, errmsg: 'ok' };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://127.0.0.1');
        received.push({ path: u.pathname, query: u.searchParams, body: JSON.parse(data) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('posts text messages to WeCom and signed ones to DingTalk, and records the robot’s refusal', async () => {
    t.ctx.channels = createChannels(
      { notifyMode: 'live', dataDir: t.db.dataDir },
      createLogger('silent'),
      t.sms,
    );
    received.length = 0;
    const admin = await signedIn(t.app, 'office_admin');
    const w = await admin.post('/api/notify/webhooks', {
      name: '企业微信群',
      channel: 'wecom',
      unitId: health,
      url: `${base}/cgi-bin/webhook/send?key=${WECOM_KEY}`,
    });
    expect(w.statusCode).toBe(201);
    const d = await admin.post('/api/notify/webhooks', {
      name: '钉钉群',
      channel: 'dingtalk',
      unitId: health,
      url: `${base}/robot/send?access_token=tok123456789`,
      secret: 'SECabcdef0123456789',
    });
    expect(d.statusCode).toBe(201);
    expect(d.json()).toMatchObject({ hasSecret: true, url: `${base}/robot/send?access_token=tok1****6789` });
    await send({ units: { unitIds: [health] }, kind: 'itest.alert', params: { label: 'HTTP' } });
    await t.ctx.database.db.deleteFrom('notification_deliveries').where('channel', '=', 'sms').execute();

    expect(await deliverPending(t.ctx)).toEqual({ sent: 2, failed: 0 });
    const wecom = received.find((r) => r.path === '/cgi-bin/webhook/send');
    expect(wecom?.query.get('key')).toBe(WECOM_KEY);
    expect(wecom?.body).toEqual({ msgtype: 'text', text: { content: '【测试提醒】“HTTP”需要处理' } });
    const ding = received.find((r) => r.path === '/robot/send');
    expect(ding?.body).toEqual({ msgtype: 'text', text: { content: '【测试提醒】“HTTP”需要处理' } });
    const ts = Number(ding?.query.get('timestamp'));
    expect(Math.abs(ts - Date.now())).toBeLessThan(60_000);
    expect(ding?.query.get('sign')).toBe(dingtalkSign('SECabcdef0123456789', ts));
    expect(ding?.query.get('access_token')).toBe('tok123456789');

    reply = { errcode: 93000, errmsg: 'invalid webhook url' };
    try {
      const test = await admin.post(`/api/notify/webhooks/${w.json().id}/test`);
      expect(test.statusCode).toBe(202);
      await deliveryIdle(t.ctx);
      const row = await t.ctx.database.db
        .selectFrom('notification_deliveries')
        .selectAll()
        .where('id', '=', test.json().deliveryId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'pending',
        attempts: 1,
        error: 'errcode 93000: invalid webhook url',
      });
      expect(row.text).toContain('企业微信群');
    } finally {
      reply = { errcode: 0, errmsg: 'ok' };
    }
  });
});

describe(`group robot administration on ${ENGINE}`, () => {
  let admin: Client;
  let scoped: Client;
  beforeAll(async () => {
    admin = await signedIn(t.app, 'office_admin');
    const sys = await signedIn(t.app, 'sysadmin');
    const created = await sys.post('/api/users', {
      username: 'town_admin',
      displayName: '街道管理员',
      unitId: town,
      roles: ['office_admin'],
      dataScope: 'subtree',
      password: 'Town@2026pw',
    });
    expect(created.statusCode).toBe(201);
    await t.ctx.database.db
      .updateTable('users')
      .set({ must_change_password: false })
      .where('username', '=', 'town_admin')
      .execute();
    scoped = await signedIn(t.app, 'town_admin', 'Town@2026pw');
  });

  it('creates, lists, changes and deletes robots, never showing or logging the key', async () => {
    const before = await auditCount(t);
    const res = await admin.post('/api/notify/webhooks', {
      name: ' 卫健局工作群 ',
      channel: 'wecom',
      unitId: health,
      url: WECOM_URL,
    });
    expect(res.statusCode).toBe(201);
    const hook = res.json();
    expect(hook).toMatchObject({
      name: '卫健局工作群',
      channel: 'wecom',
      unitId: health,
      unitName: '市卫生健康局',
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****5aaa',
      hasSecret: false,
      enabled: true,
    });
    const list = (await admin.get('/api/notify/webhooks')).json();
    expect(list.items).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(WECOM_KEY);
    const stored = await t.ctx.database.db
      .selectFrom('notify_webhooks')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(stored.url_enc).not.toContain(WECOM_KEY);
    expect(t.ctx.pii.decrypt(stored.url_enc)).toBe(WECOM_URL);

    const patched = await admin.patch(`/api/notify/webhooks/${hook.id}`, {
      channel: 'dingtalk',
      url: DING_URL,
      secret: 'SECsecret0000000000',
      enabled: false,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      channel: 'dingtalk',
      hasSecret: true,
      enabled: false,
      url: 'https://oapi.dingtalk.com/robot/send?access_token=0123****cdef',
    });
    // back to WeCom: the DingTalk secret goes
    const back = await admin.patch(`/api/notify/webhooks/${hook.id}`, { channel: 'wecom', url: WECOM_URL });
    expect(back.json()).toMatchObject({ hasSecret: false });
    // a channel change that the stored URL does not fit is refused on the url field
    const mismatch = await admin.patch(`/api/notify/webhooks/${hook.id}`, { channel: 'dingtalk' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.fields[0].field).toBe('url');

    const test = await admin.post(`/api/notify/webhooks/${hook.id}/test`);
    expect(test.statusCode).toBe(202);
    await deliveryIdle(t.ctx);
    const outbox = readFileSync(path.join(t.db.dataDir, 'notify-outbox.jsonl'), 'utf8').trim().split('\n');
    const line = JSON.parse(outbox[outbox.length - 1]);
    expect(line).toMatchObject({
      channel: 'wecom',
      to: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****5aaa',
    });
    expect(line.text).toContain('卫健局工作群');
    const [sentTest] = await deliveries();
    expect(sentTest).toMatchObject({ id: test.json().deliveryId, status: 'sent', target: '卫健局工作群' });

    // a message still waiting fails when its robot is deleted
    await send({ units: { unitIds: [health] }, kind: 'itest.alert', params: { label: 'del' } });
    await admin.patch(`/api/notify/webhooks/${hook.id}`, { enabled: true });
    expect((await admin.delete(`/api/notify/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await admin.get('/api/notify/webhooks')).json().items).toEqual([]);
    expect((await admin.delete(`/api/notify/webhooks/${hook.id}`)).statusCode).toBe(404);

    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', hook.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'notify.webhook.create',
      'notify.webhook.update',
      'notify.webhook.update',
      'notify.webhook.test',
      'notify.webhook.update',
      'notify.webhook.delete',
    ]);
    expect(JSON.stringify(audit)).not.toContain(WECOM_KEY);
    expect(JSON.stringify(audit)).not.toContain('SECsecret');
    expect(await auditCount(t)).toBe(before + 6);
  });

  it('refuses URLs other than the platforms’ robots, with a message on the field in the caller’s language', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { channel: 'wecom', url: 'https://example.com/cgi-bin/webhook/send?key=abcdefgh12' },
        'url',
        'must be a WeCom group robot webhook URL',
      ],
      [
        { channel: 'wecom', url: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12' },
        'url',
        'must be a WeCom',
      ],
      [{ channel: 'dingtalk', url: WECOM_URL }, 'url', 'must be a DingTalk group robot webhook URL'],
      [{ channel: 'wecom', url: WECOM_URL, secret: 'SECx0000000' }, 'secret', 'only DingTalk robots'],
      [
        { channel: 'wecom', url: WECOM_URL, unitId: '01900000-0000-7000-8000-000000000000' },
        'unitId',
        'unknown unit',
      ],
    ];
    admin.lang = 'en-US';
    try {
      for (const [body, field, text] of cases) {
        const res = await admin.post('/api/notify/webhooks', { name: 'x', unitId: health, ...body });
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const f = res.json().error.fields.find((x: { field: string }) => x.field.endsWith(field));
        expect(f?.message).toContain(text);
      }
    } finally {
      admin.lang = undefined;
    }
    const zh = await admin.post('/api/notify/webhooks', {
      name: 'x',
      channel: 'dingtalk',
      unitId: health,
      url: 'https://oapi.dingtalk.com/robot/send',
    });
    expect(zh.json().error.fields[0].message).toContain('应为钉钉群机器人的 Webhook 地址');
    expect(await t.ctx.database.db.selectFrom('notify_webhooks').selectAll().execute()).toEqual([]);
  });

  it('keeps an administrator with a narrower scope to the robots of units in it', async () => {
    const healthHook = (
      await admin.post('/api/notify/webhooks', {
        name: '卫健局群',
        channel: 'wecom',
        unitId: health,
        url: WECOM_URL,
      })
    ).json();
    const officeHook = (
      await admin.post('/api/notify/webhooks', {
        name: '文明办群',
        channel: 'wecom',
        unitId: null,
        url: WECOM_URL,
      })
    ).json();
    const mine = await scoped.post('/api/notify/webhooks', {
      name: '街道群',
      channel: 'wecom',
      unitId: town,
      url: WECOM_URL,
    });
    expect(mine.statusCode).toBe(201);

    expect(
      (await scoped.get('/api/notify/webhooks')).json().items.map((w: { name: string }) => w.name),
    ).toEqual(['街道群']);
    expect((await admin.get('/api/notify/webhooks')).json().items).toHaveLength(3);
    for (const id of [healthHook.id, officeHook.id]) {
      expect((await scoped.patch(`/api/notify/webhooks/${id}`, { name: 'mine now' })).statusCode).toBe(404);
      expect((await scoped.delete(`/api/notify/webhooks/${id}`)).statusCode).toBe(404);
      expect((await scoped.post(`/api/notify/webhooks/${id}/test`)).statusCode).toBe(404);
    }
    const outside = await scoped.post('/api/notify/webhooks', {
      name: 'x',
      channel: 'wecom',
      unitId: health,
      url: WECOM_URL,
    });
    expect(outside.json().error.fields[0]).toMatchObject({ field: 'unitId' });
    const office = await scoped.post('/api/notify/webhooks', {
      name: 'x',
      channel: 'wecom',
      unitId: null,
      url: WECOM_URL,
    });
    expect(office.statusCode).toBe(400);
    expect(office.json().error.fields[0].message).toContain('文明办自己的群机器人');
    const move = await scoped.patch(`/api/notify/webhooks/${mine.json().id}`, { unitId: health });
    expect(move.statusCode).toBe(400);
  });

  it('lists the outbox for operators, filtered, within their scope', async () => {
    await admin.post('/api/notify/webhooks', {
      name: '街道群',
      channel: 'dingtalk',
      unitId: town,
      url: DING_URL,
    });
    await send({ units: { unitIds: [health, town] }, kind: 'itest.alert', params: { label: 'log' } });
    const all = (await admin.get('/api/notify/deliveries')).json();
    expect(all.total).toBe(3);
    expect(all.items.map((d: { target: string }) => d.target).sort()).toEqual(
      ['刘海燕', '杨春梅', '街道群'].sort(),
    );
    const ding = (await admin.get('/api/notify/deliveries?channel=dingtalk&status=pending')).json();
    expect(ding.items.map((d: { target: string }) => d.target)).toEqual(['街道群']);
    expect((await admin.get('/api/notify/deliveries?status=sent')).json().total).toBe(0);
    expect((await admin.get('/api/notify/deliveries?status=lost')).statusCode).toBe(400);
    // the town administrator has no scheduler:read… but a scoped operator would see only the town's
    const sysScoped = await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'town_admin')
      .executeTakeFirstOrThrow();
    await t.ctx.database.db
      .insertInto('user_roles')
      .values({ user_id: sysScoped.id, role: 'system_admin' })
      .execute();
    try {
      const again = await signedIn(t.app, 'town_admin', 'Town@2026pw');
      const town = (await again.get('/api/notify/deliveries')).json();
      expect(town.items.map((d: { target: string }) => d.target).sort()).toEqual(['杨春梅', '街道群'].sort());
    } finally {
      await t.ctx.database.db
        .deleteFrom('user_roles')
        .where('user_id', '=', sysScoped.id)
        .where('role', '=', 'system_admin')
        .execute();
    }
  });
});

describe(`inbox API on ${ENGINE}`, () => {
  it('shows, counts and marks read only the caller’s own notifications, in the caller’s language', async () => {
    await send({
      userIds: [ids.liaison, ids.unit_head],
      kind: 'itest.quiet',
      params: { label: 'one' },
      record: { type: 'matter', id: '01900000-0000-7000-8000-00000000000a' },
    });
    t.clock.advance(60_000);
    await send({ userIds: [ids.liaison], kind: 'itest.alert', params: { label: 'two' } });
    const liaison = await signedIn(t.app, 'liaison');
    const head = await signedIn(t.app, 'unit_head');

    expect((await liaison.get('/api/notifications/unread-count')).json()).toEqual({ count: 2 });
    const page = (await liaison.get('/api/notifications')).json();
    expect(page.total).toBe(2);
    expect(page.unread).toBe(2);
    expect(page.items.map((n: { title: string }) => n.title)).toEqual(['测试提醒', '安静消息']);
    expect(page.items[1]).toMatchObject({
      body: 'one',
      record: { type: 'matter', id: '01900000-0000-7000-8000-00000000000a' },
      readAt: null,
    });
    expect(page.items[0].record).toBeNull();
    liaison.lang = 'en-US';
    expect((await liaison.get('/api/notifications')).json().items[0]).toMatchObject({
      title: 'Test alert',
      body: '"two" needs attention',
    });
    liaison.lang = undefined;

    const headItem = (await head.get('/api/notifications')).json().items[0];
    const before = await auditCount(t);
    expect((await liaison.post(`/api/notifications/${headItem.id}/read`)).statusCode).toBe(404);
    expect(
      (await liaison.post('/api/notifications/01900000-0000-7000-8000-000000000000/read')).statusCode,
    ).toBe(404);
    expect((await head.get('/api/notifications/unread-count')).json()).toEqual({ count: 1 });
    expect(await auditCount(t)).toBe(before);

    expect((await liaison.post(`/api/notifications/${page.items[0].id}/read`)).statusCode).toBe(204);
    expect((await liaison.post(`/api/notifications/${page.items[0].id}/read`)).statusCode).toBe(204);
    expect(await auditCount(t)).toBe(before + 1);
    expect((await liaison.get('/api/notifications/unread-count')).json()).toEqual({ count: 1 });
    const unread = (await liaison.get('/api/notifications?unread=true')).json();
    expect(unread.items.map((n: { body: string }) => n.body)).toEqual(['one']);
    expect(unread.total).toBe(1);
    const read = (await liaison.get('/api/notifications')).json().items[0];
    expect(read.readAt).toBe(t.clock.now().toISOString());

    expect((await liaison.post('/api/notifications/read-all')).json()).toEqual({ count: 1 });
    expect((await liaison.post('/api/notifications/read-all')).json()).toEqual({ count: 0 });
    expect((await liaison.get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
    // the unit head's row was not touched
    expect((await head.get('/api/notifications/unread-count')).json()).toEqual({ count: 1 });
    expect((await liaison.get('/api/notifications?pageSize=1&page=2')).json().items).toHaveLength(1);
  });

  it('shows preferences with defaults, and offers SMS only to users with a phone', async () => {
    const liaison = await signedIn(t.app, 'liaison');
    const prefs = (await liaison.get('/api/notifications/prefs')).json();
    expect(prefs.smsAvailable).toBe(true);
    expect(prefs.all).toBeNull();
    const deadline = prefs.groups.find((g: { group: string }) => g.group === 'deadline');
    expect(deadline.label).toBe('办理时限');
    expect(deadline.kinds.find((k: { kind: string }) => k.kind === 'deadline.circular')).toEqual({
      kind: 'deadline.circular',
      label: '超期通报',
      sms: false,
      default: false,
      rule: null,
    });
    const changed = (
      await liaison.put('/api/notifications/prefs', {
        items: [
          { kind: 'deadline.circular', channel: 'sms', enabled: true },
          { kind: 'deadline.reminder', channel: 'sms', enabled: false },
        ],
      })
    ).json();
    const kinds = changed.groups.find((g: { group: string }) => g.group === 'deadline').kinds;
    expect(kinds.find((k: { kind: string }) => k.kind === 'deadline.circular')).toMatchObject({
      sms: true,
      rule: true,
    });
    expect(kinds.find((k: { kind: string }) => k.kind === 'deadline.reminder')).toMatchObject({
      sms: false,
      default: true,
    });
    const reset = (
      await liaison.put('/api/notifications/prefs', {
        items: [{ kind: 'deadline.reminder', channel: 'sms', enabled: null }],
      })
    ).json();
    expect(
      reset.groups
        .find((g: { group: string }) => g.group === 'deadline')
        .kinds.find((k: { kind: string }) => k.kind === 'deadline.reminder'),
    ).toMatchObject({ sms: true, rule: null });

    const bad = await liaison.put('/api/notifications/prefs', {
      items: [
        { kind: 'nope.kind', channel: 'sms', enabled: true },
        { kind: 'nope.*', channel: 'sms', enabled: true },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual([
      'items.0.kind',
      'items.1.kind',
    ]);

    const head = await signedIn(t.app, 'unit_head');
    expect((await head.get('/api/notifications/prefs')).json().smsAvailable).toBe(false);
    const noPhone = await head.put('/api/notifications/prefs', {
      items: [{ kind: '*', channel: 'sms', enabled: true }],
    });
    expect(noPhone.statusCode).toBe(400);
    expect(noPhone.json().error.fields[0].message).toContain('未绑定手机号');
    expect(
      (await head.put('/api/notifications/prefs', { items: [{ kind: '*', channel: 'sms', enabled: false }] }))
        .statusCode,
    ).toBe(200);
  });
});
