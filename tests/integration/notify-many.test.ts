import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { type NotifyInput, notify, notifyMany } from '../../apps/server/src/platform/notify/service.ts';
import { registerTemplates } from '../../apps/server/src/platform/notify/templates.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

registerTemplates({
  'itestmany.alert': {
    'zh-CN': { title: '批量提醒', body: '“{label}”需要处理' },
    'en-US': { title: 'Batch alert', body: '"{label}" needs attention' },
    sms: true,
    group: true,
  },
  'itestmany.quiet': {
    'zh-CN': { title: '批量消息', body: '{label}' },
    'en-US': { title: 'Batch message', body: '{label}' },
  },
});

const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa';

let t: TestApp;
let health: string;
let town: string;
const ids: Record<string, string> = {};

/** What a set of notifications wrote, without ids and in a stable order (an SMS names its inbox row). */
async function written() {
  const db = t.ctx.database.db;
  const inbox = await db.selectFrom('notifications').selectAll().execute();
  const byId = new Map(inbox.map((n) => [n.id, `${n.user_id}|${n.kind}|${n.params}`]));
  const out = await db.selectFrom('notification_deliveries').selectAll().execute();
  await db.deleteFrom('notification_deliveries').execute();
  await db.deleteFrom('notifications').execute();
  return {
    inbox: inbox.map((n) => [n.user_id, n.kind, n.params, n.record_type, n.record_id].join('|')).sort(),
    outbox: out
      .map((d) =>
        [
          d.channel,
          d.user_id,
          d.webhook_id,
          d.target,
          d.text,
          d.notification_id && byId.get(d.notification_id),
        ].join('|'),
      )
      .sort(),
  };
}

beforeAll(async () => {
  t = await makeTestApp({ env: { WENMING_WEBHOOK_HOSTS: '127.0.0.1' } });
  health = await unitId(t, '市卫生健康局');
  town = await unitId(t, '裕华街道');
  for (const u of ['liaison', 'unit_head', 'office_admin', 'liaison_town']) {
    const r = await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', u)
      .executeTakeFirstOrThrow();
    ids[u] = r.id;
  }
  const admin = await signedIn(t.app, 'office_admin');
  for (const [name, unit] of [
    ['卫健局工作群', health],
    ['街道群', town],
    ['文明办群', null],
  ] as const) {
    const r = await admin.post('/api/notify/webhooks', {
      name,
      channel: 'wecom',
      unitId: unit,
      url: WECOM_URL,
    });
    expect(r.statusCode).toBe(201);
  }
  // the demo liaison (the one with a phone) wants SMS for the quiet kind too, which sends none by default
  const liaison = await signedIn(t.app, 'liaison');
  const prefs = await liaison.put('/api/notifications/prefs', {
    items: [{ kind: 'itestmany.quiet', channel: 'sms', enabled: true }],
  });
  expect(prefs.statusCode).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe(`notifyMany() on ${ENGINE}`, () => {
  it('writes the rows one notify() per input writes: recipients, roles, exclusions, SMS and group robots', async () => {
    const inputs: NotifyInput[] = [
      { units: { unitIds: [health] }, kind: 'itestmany.alert', params: { label: '一' } },
      {
        units: { unitIds: [health, town] },
        kind: 'itestmany.alert',
        params: { label: '二' },
        officeGroup: true,
      },
      {
        userIds: [ids.office_admin, ids.liaison],
        units: { unitIds: [town], roles: ['liaison'] },
        kind: 'itestmany.quiet',
        params: { label: '三' },
        record: { type: 'matter', id: '01900000-0000-7000-8000-000000000001' },
      },
      {
        units: { unitIds: [health] },
        kind: 'itestmany.alert',
        params: { label: '四' },
        excludeUserId: ids.unit_head,
      },
      { units: { unitIds: [health], roles: [] }, kind: 'itestmany.alert', params: { label: '五' } },
      { userIds: [ids.liaison_town], kind: 'itestmany.alert', params: { label: '六' } },
    ];
    await writeTx(t.ctx, SYSTEM_ACTOR, async (tx) => {
      for (const input of inputs) await notify(tx, input);
    });
    const one = await written();
    const many = await writeTx(t.ctx, SYSTEM_ACTOR, (tx) => notifyMany(tx, inputs));
    const batch = await written();

    expect(batch).toEqual(one);
    expect(many.notified).toBe(one.inbox.length);
    // the comparison covers every kind of row
    expect(one.inbox.length).toBeGreaterThanOrEqual(8);
    const sms = one.outbox.filter((d) => d.startsWith('sms|'));
    expect(sms.some((d) => d.includes('批量消息：三'))).toBe(true); // by the liaison's preference
    expect(sms.some((d) => d.includes('批量提醒：“一”'))).toBe(true); // by the kind's default
    expect(one.outbox.filter((d) => d.startsWith('wecom|')).length).toBeGreaterThanOrEqual(5);
  });

  it('writes nothing for no inputs and refuses an unregistered kind', async () => {
    expect(await writeTx(t.ctx, SYSTEM_ACTOR, (tx) => notifyMany(tx, []))).toEqual({ notified: 0 });
    await expect(
      writeTx(t.ctx, SYSTEM_ACTOR, (tx) =>
        notifyMany(tx, [{ userIds: [ids.liaison], kind: 'itestmany.nope', params: {} }]),
      ),
    ).rejects.toThrow(/not registered/);
    expect(await written()).toEqual({ inbox: [], outbox: [] });
  });
});
