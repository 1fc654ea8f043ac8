import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { overdueAcks, sendNotice } from '../../apps/server/src/modules/notices/service.ts';
import { newUserRow } from '../../apps/server/src/modules/users/repo.ts';
import { hashPassword } from '../../apps/server/src/platform/auth/password.ts';
import { loadAuthUser } from '../../apps/server/src/platform/auth/session.ts';
import { scopeOf } from '../../apps/server/src/platform/rbac/types.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import type { Role } from '../../packages/contracts/src/index.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

const HOUR = 3600_000;

let t: TestApp;
let office: Client;
let liaison: Client;
let head: Client;
let town: Client;
let health: string;
let yuhua: string;
let officeUnit: string;
let townships: string;
let members: string;

async function addUser(username: string, unit: string, role: Role, scope: 'own' | 'subtree' | 'all') {
  const now = t.ctx.clock.now().toISOString();
  const row = newUserRow({
    id: uuidv7(),
    username,
    display_name: username,
    unit_id: unit,
    kind: 'staff',
    data_scope: scope,
    created_at: now,
    password_hash: await hashPassword('Wenming@2026'),
  });
  await t.ctx.database.db.insertInto('users').values(row).execute();
  await t.ctx.database.db.insertInto('user_roles').values({ user_id: row.id, role }).execute();
  return signedIn(t.app, username);
}

/** Sessions end after 12 hours: sign the demo users in again after moving the clock by a day. */
async function signInAgain() {
  [office, liaison, head, town] = await Promise.all(
    ['office_admin', 'liaison', 'unit_head', 'liaison_town'].map((u) => signedIn(t.app, u)),
  );
}

async function groupId(name: string): Promise<string> {
  const g = await t.ctx.database.db
    .selectFrom('org_groups')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return g.id;
}

async function send(c: Client, body: Record<string, unknown>) {
  return c.post('/api/notices', {
    title: '关于开展文明交通劝导活动的通知',
    body: '请各单位按要求落实。',
    ...body,
  });
}

async function auditActions(noticeId: string): Promise<string[]> {
  const rows = await t.ctx.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('entity', '=', 'notice')
    .where('entity_id', '=', noticeId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** The inbox rows of a kind about a notice, as the usernames of their recipients. */
async function inbox(kind: string, noticeId: string): Promise<string[]> {
  const rows = await t.ctx.database.db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select('u.username')
    .where('n.kind', '=', kind)
    .where('n.record_type', '=', 'notice')
    .where('n.record_id', '=', noticeId)
    .execute();
  return rows.map((r) => r.username ?? '').sort();
}

/** Uploads a small PDF as this user (multipart, like the browser). */
async function uploadPdf(c: Client, name: string): Promise<string> {
  const boundary = '----noticetest';
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await c.request('POST', '/api/files', body, {
    'content-type': `multipart/form-data; boundary=${boundary}`,
  });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

beforeAll(async () => {
  t = await makeTestApp();
  await signInAgain();
  health = await unitId(t, '市卫生健康局');
  yuhua = await unitId(t, '裕华街道');
  officeUnit = await unitId(t, '霸州市精神文明建设委员会办公室');
  townships = await groupId('各乡镇（区、办）');
  members = await groupId('市文明委各成员单位');
});
afterAll(async () => {
  await t?.close();
});

describe(`notices on ${ENGINE}`, () => {
  it('sends to units and a group: members expanded, duplicates collapsed, audited', async () => {
    const before = await auditCount(t);
    const res = await send(office, {
      unitIds: [health, yuhua, health],
      groupIds: [townships],
      requireAck: true,
      ackDueAt: new Date(t.clock.now().getTime() + 48 * HOUR).toISOString(),
    });
    expect(res.statusCode).toBe(201);
    const n = res.json();
    const groupSize = (
      await t.ctx.database.db
        .selectFrom('org_group_members')
        .select('unit_id')
        .where('group_id', '=', townships)
        .execute()
    ).length;
    expect(groupSize).toBeGreaterThanOrEqual(13);
    // 裕华街道 is in the group too: counted once
    expect(n.counts).toEqual({ total: groupSize + 1, read: 0, acked: 0, overdue: 0 });
    expect(n.senderName).toBe('王文静');
    expect(n.senderUnitName).toBe('霸州市精神文明建设委员会办公室');
    expect(n.receipt).toBeNull();
    expect(await auditCount(t)).toBe(before + 1);
    expect(await auditActions(n.id)).toEqual(['notice.send']);
    const log = (await office.get('/api/audit?entity=notice&pageSize=1')).json().items[0];
    expect(log.after.recipients).toBe(groupSize + 1);

    // the recipient units' liaisons and heads are notified, nobody else (not the sender)
    expect(await inbox('notice.received', n.id)).toEqual(['liaison', 'liaison_town', 'unit_head']);

    const sent = (await office.get('/api/notices?box=sent')).json();
    expect(sent.items[0].id).toBe(n.id);
    expect(sent.items[0].counts.total).toBe(groupSize + 1);
    expect(sent.items[0]).not.toHaveProperty('body');
  });

  it('refuses units outside the sender’s scope, and expands groups to the part inside it', async () => {
    const village = (
      await t.ctx.database.db
        .selectFrom('org_units')
        .select('id')
        .where('parent_id', '=', yuhua)
        .orderBy('sort')
        .executeTakeFirstOrThrow()
    ).id;
    const townSender = await addUser('yuhua_wg', yuhua, 'working_group', 'subtree');
    const before = await auditCount(t);
    const outside = await send(townSender, { unitIds: [village, health], requireAck: false });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toEqual([{ field: 'unitIds.1', message: expect.any(String) }]);
    expect(await auditCount(t)).toBe(before);

    const officeNotice = (await send(office, { unitIds: [health], requireAck: false })).json().id;
    const ok = await send(townSender, { unitIds: [village], groupIds: [townships], requireAck: false });
    expect(ok.statusCode).toBe(201);
    const receipts = (await office.get(`/api/notices/${ok.json().id}/receipts`)).json();
    expect(receipts.items.map((r: { unitId: string }) => r.unitId).sort()).toEqual([yuhua, village].sort());

    // the township sender does not see the office's notices, nor their receipts
    const sent = (await townSender.get('/api/notices?box=sent')).json();
    expect(sent.items.map((n: { id: string }) => n.id)).toEqual([ok.json().id]);
    expect((await townSender.get(`/api/notices/${officeNotice}`)).statusCode).toBe(404);
    expect((await townSender.get(`/api/notices/${officeNotice}/receipts`)).statusCode).toBe(404);
    expect((await townSender.post(`/api/notices/${officeNotice}/remind`)).statusCode).toBe(404);

    // a group whose members all lie outside the scope gives no recipients
    const none = await send(townSender, { groupIds: [members], requireAck: false });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].field).toBe('unitIds');
  });

  it('records a unit’s first reading once, whoever of the unit opens it', async () => {
    const n = (await send(office, { unitIds: [health, yuhua], requireAck: true })).json();
    const inbox = (await liaison.get('/api/notices?box=received')).json();
    expect(inbox.items[0]).toMatchObject({ id: n.id, readAt: null, ackedAt: null, overdue: false });

    t.clock.advance(60_000);
    const first = await liaison.get(`/api/notices/${n.id}`);
    expect(first.statusCode).toBe(200);
    expect(first.json().body).toBe('请各单位按要求落实。');
    expect(first.json().counts).toBeNull();
    expect(first.json().receipt).toMatchObject({ unitId: health, canAck: true, ackedAt: null });
    const readAt = first.json().receipt.readAt;
    expect(readAt).toBe(t.clock.now().toISOString());

    t.clock.advance(60_000);
    await liaison.get(`/api/notices/${n.id}`);
    const byHead = await head.get(`/api/notices/${n.id}`);
    expect(byHead.json().receipt.readAt).toBe(readAt);
    expect(await auditActions(n.id)).toEqual(['notice.send', 'notice.read']);

    const receipts = (await office.get(`/api/notices/${n.id}/receipts`)).json();
    const row = receipts.items.find((r: { unitId: string }) => r.unitId === health);
    expect(row).toMatchObject({ readAt, readBy: '刘海燕', ackedAt: null });
    expect(receipts.counts).toEqual({ total: 2, read: 1, acked: 0, overdue: 0 });
    // the sender looking is not a reading
    expect(receipts.items.find((r: { unitId: string }) => r.unitId === yuhua).readAt).toBeNull();

    // two people of the unit opening it at once: one reading, audited once
    const m = (await send(office, { unitIds: [health], requireAck: true })).json();
    await Promise.all([liaison.get(`/api/notices/${m.id}`), head.get(`/api/notices/${m.id}`)]);
    expect(await auditActions(m.id)).toEqual(['notice.send', 'notice.read']);
  });

  it('lets the liaison acknowledge once; a second acknowledgement is a 409 naming who signed', async () => {
    const n = (await send(office, { unitIds: [health, yuhua, officeUnit], requireAck: true })).json();
    const ack = await liaison.post(`/api/notices/${n.id}/ack`, { note: '已收到，马上落实' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({
      unitId: health,
      ackedBy: '刘海燕',
      ackNote: '已收到，马上落实',
      canAck: false,
    });
    // acknowledging without opening first also counts as reading
    expect(ack.json().readAt).toBe(ack.json().ackedAt);
    const ackLog = (await office.get('/api/audit?action=notice.ack&pageSize=1')).json().items[0];
    expect(ackLog.after).toEqual({ unitId: health, note: '已收到，马上落实', late: false, firstRead: true });

    head.lang = 'en-US';
    const again = await head.post(`/api/notices/${n.id}/ack`, {});
    head.lang = undefined;
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('NOTICE_ALREADY_ACKED');
    expect(again.json().error.message).toContain('刘海燕');
    expect(again.json().error.message).toContain('already acknowledged');

    // two signing at once: one wins, the other is told
    const race = (await send(office, { unitIds: [health], requireAck: true })).json();
    const both = await Promise.all([
      liaison.post(`/api/notices/${race.id}/ack`, {}),
      head.post(`/api/notices/${race.id}/ack`, {}),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await auditActions(race.id)).filter((a) => a === 'notice.ack')).toHaveLength(1);

    // a liaison of a unit the notice is not addressed to: not found
    const other = (await send(office, { unitIds: [health], requireAck: true })).json();
    expect((await town.post(`/api/notices/${other.id}/ack`, {})).statusCode).toBe(404);
    expect((await town.get(`/api/notices/${other.id}`)).statusCode).toBe(404);
    // staff of a recipient unit without the liaison or unit-head role may read but not sign
    const forbidden = await office.post(`/api/notices/${n.id}/ack`, {});
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('NOTICE_ACK_ROLE');
    expect((await office.get(`/api/notices/${n.id}`)).json().receipt).toMatchObject({
      unitId: officeUnit,
      canAck: false,
    });

    const town1 = await town.post(`/api/notices/${n.id}/ack`, {});
    expect(town1.statusCode).toBe(200);
    expect(await auditActions(n.id)).toEqual(['notice.send', 'notice.ack', 'notice.read', 'notice.ack']);

    const noAck = (await send(office, { unitIds: [health], requireAck: false })).json();
    const refused = await liaison.post(`/api/notices/${noAck.id}/ack`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('NOTICE_ACK_NOT_REQUIRED');
    expect((await office.post(`/api/notices/${noAck.id}/remind`)).statusCode).toBe(400);
  });

  it('counts and filters receipts, lists overdue acknowledgements once the due time passes', async () => {
    const due = new Date(t.clock.now().getTime() + 24 * HOUR).toISOString();
    const n = (
      await send(office, {
        title: '逾期测试通知',
        unitIds: [health, yuhua, officeUnit],
        requireAck: true,
        ackDueAt: due,
      })
    ).json();
    await liaison.post(`/api/notices/${n.id}/ack`, {});
    await town.get(`/api/notices/${n.id}`);

    const status = async (s: string) =>
      (await office.get(`/api/notices/${n.id}/receipts?status=${s}`))
        .json()
        .items.map((r: { unitId: string }) => r.unitId)
        .sort();
    expect(await status('all')).toEqual([health, yuhua, officeUnit].sort());
    expect(await status('unread')).toEqual([officeUnit]);
    expect(await status('unacked')).toEqual([yuhua, officeUnit].sort());
    expect(await status('overdue')).toEqual([]);
    const overdueBefore = (await office.get('/api/notices/overdue-acks')).json();
    expect(overdueBefore.items.some((r: { noticeId: string }) => r.noticeId === n.id)).toBe(false);

    t.clock.advance(25 * HOUR);
    await signInAgain();
    expect(await status('overdue')).toEqual([yuhua, officeUnit].sort());
    const receipts = (await office.get(`/api/notices/${n.id}/receipts`)).json();
    expect(receipts.counts).toEqual({ total: 3, read: 2, acked: 1, overdue: 2 });
    expect(receipts.items.find((r: { unitId: string }) => r.unitId === health)).toMatchObject({
      overdue: false,
      late: false,
    });

    const overdue = (await office.get('/api/notices/overdue-acks?pageSize=200')).json();
    const mine = overdue.items.filter((r: { noticeId: string }) => r.noticeId === n.id);
    expect(mine.map((r: { unitName: string }) => r.unitName).sort()).toEqual(
      ['裕华街道', '霸州市精神文明建设委员会办公室'].sort(),
    );
    expect(mine[0]).toMatchObject({ title: '逾期测试通知', ackDueAt: due });
    expect((await liaison.get('/api/notices/overdue-acks')).statusCode).toBe(403);

    const townInbox = (await town.get('/api/notices?box=received&keyword=逾期')).json();
    expect(townInbox.items).toHaveLength(1);
    expect(townInbox.items[0]).toMatchObject({ id: n.id, overdue: true, ackedAt: null });

    // a late acknowledgement leaves the overdue list and is marked late
    await town.post(`/api/notices/${n.id}/ack`, {});
    expect(await status('overdue')).toEqual([officeUnit]);
    const late = (await office.get(`/api/notices/${n.id}/receipts`)).json();
    expect(late.items.find((r: { unitId: string }) => r.unitId === yuhua)).toMatchObject({ late: true });
  });

  it('reminds only the units that have not acknowledged, audited', async () => {
    const n = (await send(office, { unitIds: [health, yuhua, officeUnit], requireAck: true })).json();
    await liaison.post(`/api/notices/${n.id}/ack`, {});
    const before = await auditCount(t);
    const res = await office.post(`/api/notices/${n.id}/remind`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ reminded: 2 });
    expect(await auditCount(t)).toBe(before + 1);
    // 市卫生健康局 signed: only 裕华街道's liaison is reminded (the office has no liaison)
    expect(await inbox('notice.ack_reminder', n.id)).toEqual(['liaison_town']);
    const log = (await office.get('/api/audit?action=notice.remind&pageSize=1')).json().items[0];
    expect(log.entityId).toBe(n.id);
    expect(log.after.unitIds.sort()).toEqual([yuhua, officeUnit].sort());
  });

  it('attaches the sender’s files, readable by the recipient units and the sender side only', async () => {
    const file = await uploadPdf(office, '文明交通劝导活动方案.pdf');
    const before = await auditCount(t);
    const res = await send(office, { unitIds: [health], requireAck: false, attachments: [file] });
    expect(res.statusCode).toBe(201);
    expect(res.json().attachments.map((f: { name: string }) => f.name)).toEqual(['文明交通劝导活动方案.pdf']);
    expect(await auditCount(t)).toBe(before + 2);
    expect(await auditActions(res.json().id)).toEqual(['file.link', 'notice.send']);
    const seen = await liaison.get(`/api/notices/${res.json().id}`);
    expect(seen.json().attachments[0].id).toBe(file);
    expect((await liaison.get(`/api/files/${file}/content`)).statusCode).toBe(200);
    expect((await town.get(`/api/files/${file}/content`)).statusCode).toBe(404);

    // only one's own uploads can be attached
    const foreign = await uploadPdf(liaison, '别人的文件.pdf');
    const refused = await send(office, { unitIds: [health], requireAck: false, attachments: [foreign] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].field).toBe('attachments');
  });

  it('shows notices only to the sender side and the recipient units', async () => {
    const n = (await send(office, { unitIds: [yuhua], requireAck: true })).json();
    for (const user of ['liaison', 'inspector', 'leader', 'citizen']) {
      const c = await signedIn(t.app, user);
      expect((await c.get(`/api/notices/${n.id}`)).statusCode).toBe(404);
      expect((await c.post(`/api/notices/${n.id}/ack`, {})).statusCode).toBe(404);
    }
    // another sender with scope "all" (working group) sees and manages it
    const wg = await signedIn(t.app, 'wg_member');
    expect((await wg.get(`/api/notices/${n.id}/receipts`)).statusCode).toBe(200);
    expect((await liaison.get('/api/notices?box=sent')).statusCode).toBe(403);
    expect((await liaison.get(`/api/notices/${n.id}/receipts`)).statusCode).toBe(403);
    const citizen = await signedIn(t.app, 'citizen');
    expect((await citizen.get('/api/notices')).json()).toEqual({ items: [], total: 0 });
  });

  it('is sent by another module in its own transaction, linked to its record', async () => {
    const id = (
      await t.ctx.database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'wg_member')
        .executeTakeFirstOrThrow()
    ).id;
    const user = await loadAuthUser(t.ctx.database.db, id);
    if (!user) throw new Error('no wg_member');
    const record = { type: 'deployment', id: uuidv7() };
    const due = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const sent = await writeTx(t.ctx, { id: user.id, name: user.displayName, ip: null }, (tx) =>
      sendNotice(
        tx,
        { user, scope: scopeOf(user) },
        {
          title: '工作部署',
          body: '部署内容',
          groupIds: [townships],
          requireAck: true,
          ackDueAt: due,
          record,
        },
      ),
    );
    expect(sent.recipientUnitIds).toContain(yuhua);
    expect(sent.notified).toBeGreaterThanOrEqual(1);
    const detail = (await town.get(`/api/notices/${sent.id}`)).json();
    expect(detail.record).toEqual(record);

    // a rollback in the calling module leaves nothing behind
    const before = await auditCount(t);
    await expect(
      writeTx(t.ctx, { id: user.id, name: user.displayName, ip: null }, async (tx) => {
        await sendNotice(
          tx,
          { user, scope: scopeOf(user) },
          { title: 'x', body: 'y', unitIds: [health], requireAck: false },
        );
        throw new Error('the deployment failed');
      }),
    ).rejects.toThrow('the deployment failed');
    expect(await auditCount(t)).toBe(before);

    t.clock.advance(2 * HOUR);
    await signInAgain();
    const overdue = await overdueAcks(t.ctx, user, {
      recordType: 'deployment',
      recordId: record.id,
      page: 1,
      pageSize: 100,
    });
    expect(overdue.total).toBe(sent.recipientUnitIds.length);
    expect(overdue.items.every((r) => r.noticeId === sent.id && r.record?.id === record.id)).toBe(true);
  });

  it('refuses bad input with field messages and writes nothing', async () => {
    const before = await auditCount(t);
    const past = await send(office, {
      unitIds: [health],
      requireAck: true,
      ackDueAt: new Date(t.clock.now().getTime() - 60_000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields).toEqual([{ field: 'ackDueAt', message: '签收截止时间须晚于现在' }]);
    const noAck = await send(office, {
      unitIds: [health],
      requireAck: false,
      ackDueAt: new Date(t.clock.now().getTime() + HOUR).toISOString(),
    });
    expect(noAck.json().error.fields[0].field).toBe('ackDueAt');
    office.lang = 'en-US';
    const empty = await send(office, { unitIds: [], requireAck: false });
    office.lang = undefined;
    expect(empty.json().error.fields).toEqual([
      { field: 'unitIds', message: 'choose at least one recipient unit' },
    ]);
    const group = await send(office, { groupIds: [uuidv7()], requireAck: false });
    expect(group.json().error.fields[0].field).toBe('groupIds.0');
    const blank = await send(office, { title: '   ', unitIds: [health], requireAck: false });
    expect(blank.json().error.fields[0].field).toBe('title');
    const badDate = await send(office, {
      unitIds: [health],
      requireAck: true,
      ackDueAt: '2026-02-30T10:00:00Z',
    });
    expect(badDate.statusCode).toBe(400);
    const longNote = await liaison.post(`/api/notices/${uuidv7()}/ack`, { note: 'x'.repeat(501) });
    expect(longNote.statusCode).toBe(400);
    expect((await office.get('/api/notices?box=elsewhere')).statusCode).toBe(400);
    expect((await office.get(`/api/notices/${uuidv7()}/receipts?status=late`)).statusCode).toBe(400);
    expect(await auditCount(t)).toBe(before);
  });
});
