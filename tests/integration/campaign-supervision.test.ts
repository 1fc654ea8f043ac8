/**
 * Campaign supervision (issue #4 item 6): 催办 when an instance turns yellow/orange and 督办单 when it turns
 * red (once per colour episode, grouped messages), DB-/TB- numbers, manual reminders, orders and
 * interviews (the interviewee's phone encrypted and masked), the circular .docx, bad input, scope.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recolorInstances } from '../../apps/server/src/modules/campaigns/colors/recolor.ts';
import { recolorActiveCampaigns } from '../../apps/server/src/modules/campaigns/colors/sweep.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { getCalendar } from '../../apps/server/src/platform/calendar/service.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { COLOR_PRESETS } from '../../packages/contracts/src/index.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import {
  insertCampaignRows,
  insertInstanceRow,
  insertReportRow,
  insertTaskRow,
} from '../helpers/campaign-rows.ts';

let t: TestApp;
let office: Client;
let liaison: Client;
let leader: Client;

/** 10:00 in Shanghai on a day. */
const setDay = (date: string) => {
  t.clock.current = new Date(`${date}T10:00:00+08:00`);
};

interface Fixture {
  campaignId: string;
  taskIds: string[];
  units: { a: string; b: string; c: string };
  /** task 1 × A, B, C; task 2 × C. */
  inst: { a1: string; b1: string; c1: string; c2: string };
}

const now = () => t.clock.now().toISOString();
const insertCampaign = (name: string, status = 'active') =>
  insertCampaignRows(t.ctx.database.db, now(), { name, status });
const insertTask = (campaignId: string, activityId: string, seq: number, title: string) =>
  insertTaskRow(t.ctx.database.db, now(), {
    campaignId,
    activityId,
    seq,
    title,
    targets: [{ label: title, quantity: 10, measure: '次' }],
  });
const insertInstance = (campaignId: string, activityId: string, taskId: string, unit: string) =>
  insertInstanceRow(t.ctx.database.db, now(), { campaignId, activityId, taskId, unitId: unit });

async function fixture(name: string): Promise<Fixture> {
  const { campaignId, activityId } = await insertCampaign(name);
  const t1 = await insertTask(campaignId, activityId, 1, '理论宣讲');
  const t2 = await insertTask(campaignId, activityId, 2, '志愿服务');
  const units = {
    a: await unitId(t, '市委宣传部'),
    b: await unitId(t, '市教育和体育局'),
    c: await unitId(t, '市卫生健康局'),
  };
  const inst = {
    a1: await insertInstance(campaignId, activityId, t1, units.a),
    b1: await insertInstance(campaignId, activityId, t1, units.b),
    c1: await insertInstance(campaignId, activityId, t1, units.c),
    c2: await insertInstance(campaignId, activityId, t2, units.c),
  };
  return { campaignId, taskIds: [t1, t2], units, inst };
}

/** An accepted report meeting the whole target of an instance. */
async function acceptedReport(f: Fixture, instanceId: string, unit: string) {
  await insertReportRow(t.ctx.database.db, now(), {
    campaignId: f.campaignId,
    unitId: unit,
    instanceId,
    state: 'accepted',
    amounts: [10],
  });
  const cal = await getCalendar(t.ctx);
  await writeTx(t.ctx, SYSTEM_ACTOR, (tx) =>
    recolorInstances(tx, cal, { instanceIds: [instanceId] }, 'review'),
  );
}

const sweep = () => recolorActiveCampaigns(t.ctx);

const records = (campaignId: string) =>
  t.ctx.database.db
    .selectFrom('supervision_records')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('created_at')
    .orderBy('number')
    .orderBy('id')
    .execute();

async function notificationsOf(username: string, campaignId: string, kind: string) {
  return t.ctx.database.db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.params', 'n.kind'])
    .where('u.username', '=', username)
    .where('n.kind', '=', kind)
    .where('n.record_id', '=', campaignId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
}

let f: Fixture;

beforeAll(async () => {
  t = await makeTestApp();
  setDay('2026-03-02');
  f = await fixture('2026年创城督导测试');
});
// The clock moves by weeks between tests: sign in again each time.
beforeEach(async () => {
  office = await signedIn(t.app, 'office_admin');
  liaison = await signedIn(t.app, 'liaison');
  leader = await signedIn(t.app, 'leader');
});
afterAll(async () => {
  await t?.close();
});

describe('automatic supervision on colour changes', () => {
  it('records nothing while the instances are blue', async () => {
    await sweep();
    expect(await records(f.campaignId)).toHaveLength(0);
  });

  it('reminds once per instance turning yellow, one message per user listing the tasks', async () => {
    setDay('2026-04-20');
    await sweep();
    const rows = await records(f.campaignId);
    expect(rows.map((r) => r.kind)).toEqual(['reminder', 'reminder', 'reminder', 'reminder']);
    expect(rows.every((r) => r.created_by === null && r.number === null)).toBe(true);
    expect(new Set(rows.map((r) => r.instance_id))).toEqual(new Set(Object.values(f.inst)));
    expect(rows[0].body).toMatch(/^黄：截止2026-04-30/);
    expect(JSON.parse(rows[0].details)).toMatchObject({ automatic: true, color: 'yellow', previous: 'blue' });

    // 市卫生健康局 has two yellow tasks: its liaison and its head get one message each, listing both
    for (const user of ['liaison', 'unit_head']) {
      const sent = await notificationsOf(user, f.campaignId, 'supervision.reminder');
      expect(sent).toHaveLength(1);
      const params = JSON.parse(sent[0].params);
      expect(params.count).toBe(2);
      expect(params.tasks).toContain('理论宣讲');
      expect(params.tasks).toContain('志愿服务');
      expect(params.tasksEn).toContain('Yellow: due 2026-04-30');
    }
    // the township liaison's unit has no task: nothing for them
    expect(await notificationsOf('liaison_town', f.campaignId, 'supervision.reminder')).toHaveLength(0);
  });

  it('does not remind again while the colour stays', async () => {
    t.clock.advance(3600_000);
    await sweep();
    expect(await records(f.campaignId)).toHaveLength(4);
  });

  it('reminds again after a new yellow episode (yellow → blue → yellow)', async () => {
    const db = t.ctx.database.db;
    const cal = await getCalendar(t.ctx);
    const recolor = () =>
      writeTx(t.ctx, SYSTEM_ACTOR, (tx) => recolorInstances(tx, cal, { instanceIds: [f.inst.b1] }, 'edit'));
    await db
      .updateTable('task_instances')
      .set({ due_on: '2026-07-31' })
      .where('id', '=', f.inst.b1)
      .execute();
    expect((await recolor()).map((c) => c.color)).toEqual(['blue']);
    await db
      .updateTable('task_instances')
      .set({ due_on: '2026-04-30' })
      .where('id', '=', f.inst.b1)
      .execute();
    expect((await recolor()).map((c) => c.color)).toEqual(['yellow']);
    const mine = (await records(f.campaignId)).filter((r) => r.instance_id === f.inst.b1);
    expect(mine.map((r) => r.kind)).toEqual(['reminder', 'reminder']);
  });

  it('orders (督办单) once per instance turning red, numbered DB-YYYY-NNNN consecutively', async () => {
    setDay('2026-04-24');
    await acceptedReport(f, f.inst.a1, f.units.a); // 市委宣传部 is done: green, no order
    setDay('2026-05-08');
    await sweep();
    const orders = (await records(f.campaignId)).filter((r) => r.kind === 'order');
    expect(orders).toHaveLength(3);
    expect(new Set(orders.map((r) => r.instance_id))).toEqual(new Set([f.inst.b1, f.inst.c1, f.inst.c2]));
    const numbers = orders.map((r) => r.number).sort();
    expect(numbers).toEqual(['DB-2026-0001', 'DB-2026-0002', 'DB-2026-0003']);
    expect(orders[0].body).toMatch(/^红：截止2026-04-30，已逾期\d+个工作日，未提交完成材料$/);
    const sent = await notificationsOf('unit_head', f.campaignId, 'supervision.order');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0].params)).toMatchObject({ count: 2 });
    expect(JSON.parse(sent[0].params).number.split('、')).toHaveLength(2);

    // the next day's sweep keeps them red: no second order
    setDay('2026-05-11');
    await sweep();
    expect((await records(f.campaignId)).filter((r) => r.kind === 'order')).toHaveLength(3);
  });
});

describe('manual supervision', () => {
  const url = (p: string) => `/api/campaigns/${f.campaignId}${p}`;

  it('reminds by task and by unit', async () => {
    const before = (await notificationsOf('liaison', f.campaignId, 'supervision.reminder')).length;
    const byTask = await office.post(url('/supervision/reminders'), {
      instanceIds: [f.inst.c1, f.inst.c2],
      note: '请本周内提交完成材料',
    });
    expect(byTask.statusCode).toBe(201);
    const items = byTask.json().items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ kind: 'reminder', automatic: false, body: '请本周内提交完成材料' });
    expect(items[0].createdBy.name).toBe('王文静');
    const after = await notificationsOf('liaison', f.campaignId, 'supervision.reminder');
    expect(after).toHaveLength(before + 1);
    expect(JSON.parse(after[after.length - 1].params).note).toContain('请本周内提交完成材料');

    const byUnit = await office.post(url('/supervision/reminders'), {
      unitIds: [f.units.b],
      note: '抓紧推进',
    });
    expect(byUnit.statusCode).toBe(201);
    expect(byUnit.json().items).toHaveLength(1);
    expect(byUnit.json().items[0]).toMatchObject({
      unit: { id: f.units.b },
      instance: null,
      instanceIds: [f.inst.b1],
    });
  });

  it('issues a 督办单 to a unit with the next DB number and a deadline', async () => {
    const res = await office.post(url('/supervision/orders'), {
      unitId: f.units.c,
      instanceIds: [f.inst.c1, f.inst.c2],
      deadline: '2026-05-20',
      body: '限期补齐台账材料',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'order',
      number: 'DB-2026-0004',
      deadline: '2026-05-20',
      instanceIds: [f.inst.c1, f.inst.c2],
      unit: { id: f.units.c, name: '市卫生健康局' },
    });
    const detail = await office.get(url(`/supervision/${res.json().id}`));
    expect(detail.statusCode).toBe(200);
    expect(detail.json().number).toBe('DB-2026-0004');
  });

  it('records an interview; the interviewee’s phone is stored encrypted and shown masked', async () => {
    const audits = await auditCount(t);
    const res = await office.post(url('/supervision/interviews'), {
      unitId: f.units.c,
      instanceIds: [f.inst.c1],
      interviewee: { name: '陈立新', post: '局长', phone: '139 1234 5678' },
      at: '2026-05-12T02:00:00.000Z',
      place: '市文明办会议室',
      attendees: ['王文静', '赵振宇'],
      topics: '台账材料长期未报送',
      commitments: '5月20日前补齐',
    });
    expect(res.statusCode).toBe(201);
    const item = res.json();
    expect(item.interview).toEqual({
      interviewee: { name: '陈立新', post: '局长', phone: '139****5678' },
      at: '2026-05-12T02:00:00.000Z',
      place: '市文明办会议室',
      attendees: ['王文静', '赵振宇'],
      topics: '台账材料长期未报送',
      commitments: '5月20日前补齐',
    });
    const row = await t.ctx.database.db
      .selectFrom('supervision_records')
      .select('details')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.details).not.toContain('13912345678');
    expect(row.details).not.toContain('5678');
    const log = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'supervision.interview')
      .execute();
    expect(log.map((l) => l.after_json).join()).not.toContain('5678');
    expect(await auditCount(t)).toBe(audits + 1);
    const list = await office.get(url('/supervision?kind=interview'));
    expect(list.json().items[0].interview.interviewee.phone).toBe('139****5678');
  });

  it('lists with filters and pages', async () => {
    const all = await office.get(url('/supervision?pageSize=100'));
    expect(all.statusCode).toBe(200);
    const kinds = all.json().items.map((i: { kind: string }) => i.kind);
    expect(all.json().total).toBe(kinds.length);
    expect(kinds.filter((k: string) => k === 'order')).toHaveLength(4);
    const mine = await office.get(url(`/supervision?unitId=${f.units.b}&kind=reminder`));
    expect(mine.json().items.every((i: { unit: { id: string } }) => i.unit.id === f.units.b)).toBe(true);
    expect(mine.json().total).toBe(3);
    const page2 = await office.get(url('/supervision?pageSize=2&page=2'));
    expect(page2.json().items).toHaveLength(2);
  });
});

describe('circular (通报)', () => {
  const url = (p: string) => `/api/campaigns/${f.campaignId}${p}`;

  it('generates a .docx listing the units worst first with counts and reasons, numbered TB-YYYY-NNNN', async () => {
    const res = await office.post(url('/circulars'), {});
    expect(res.statusCode).toBe(201);
    const item = res.json();
    expect(item).toMatchObject({
      kind: 'circular',
      number: 'TB-2026-0001',
      circular: { units: 3, counts: { red: 3, orange: 0, yellow: 0, blue: 0, green: 1 } },
    });
    const doc = await office.get(url(`/circulars/${item.id}/document`));
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    expect(doc.headers['content-disposition']).toContain('TB-2026-0001');
    const zip = await JSZip.loadAsync(doc.rawPayload);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain('TB-2026-0001');
    expect(text).toContain('关于“2026年创城督导测试”工作推进情况的通报');
    expect(text).toContain('共有3个责任单位、4项任务，其中红3项、绿1项');
    expect(text).toContain('市卫生健康局：红2项。');
    expect(text).toContain('市教育和体育局：红1项。');
    expect(text).toContain('理论宣讲（红：截止2026-04-30，已逾期');
    expect(text).toContain('市委宣传部（绿1项）');
    // red units (the one with more red first) before the all-green unit
    const health = text.indexOf('市卫生健康局：');
    const education = text.indexOf('市教育和体育局：');
    const publicity = text.indexOf('市委宣传部（绿1项）');
    expect(health).toBeGreaterThan(0);
    expect(health).toBeLessThan(education);
    expect(education).toBeLessThan(publicity);
    const officeUnit = await t.ctx.database.db
      .selectFrom('org_units')
      .select('name')
      .where('type', '=', 'office')
      .executeTakeFirstOrThrow();
    expect(text.indexOf(officeUnit.name)).toBeGreaterThan(publicity);
    expect(text).toContain('2026年5月11日');

    const again = await office.post(url('/circulars'), { title: '第二期通报', asOf: '2026-04-21' });
    expect(again.statusCode).toBe(201);
    // on 21 April every instance was yellow (history), 市委宣传部 had not finished yet
    expect(again.json()).toMatchObject({
      number: 'TB-2026-0002',
      circular: { title: '第二期通报', asOf: '2026-04-21', counts: { yellow: 4, red: 0, green: 0 } },
    });
  });
});

describe('bad input: refused with field messages, nothing written', () => {
  const url = (p: string) => `/api/campaigns/${f.campaignId}${p}`;
  let other: Fixture;

  beforeAll(async () => {
    other = await fixture('另一项活动');
  });

  it.each([
    ['/supervision/orders', { unitId: 'U', deadline: '2026-06-01' }, 'body'],
    ['/supervision/orders', { unitId: 'U', deadline: '2026-06-01', body: '   ' }, 'body'],
    ['/supervision/orders', { unitId: 'U', deadline: '2026-05-01', body: '整改' }, 'deadline'],
    ['/supervision/orders', { unitId: 'U', deadline: '2026-02-30', body: '整改' }, 'deadline'],
    ['/supervision/orders', { unitId: 'TOWN', deadline: '2026-06-01', body: '整改' }, 'unitId'],
    [
      '/supervision/orders',
      { unitId: 'U', instanceIds: ['OTHER'], deadline: '2026-06-01', body: '整改' },
      'instanceIds.0',
    ],
    [
      '/supervision/orders',
      { unitId: 'U', instanceIds: ['A1'], deadline: '2026-06-01', body: '整改' },
      'instanceIds.0',
    ],
    ['/supervision/reminders', { note: '催办' }, 'instanceIds'],
    ['/supervision/reminders', { instanceIds: ['A1'], unitIds: ['U'], note: '催办' }, 'instanceIds'],
    ['/supervision/reminders', { instanceIds: ['OTHER'], note: '催办' }, 'instanceIds.0'],
    ['/supervision/reminders', { instanceIds: [], note: '催办' }, 'instanceIds'],
    ['/supervision/reminders', { unitIds: ['U'] }, 'note'],
    [
      '/supervision/interviews',
      {
        unitId: 'U',
        interviewee: { name: '陈立新', post: '局长', phone: '12345' },
        at: '2026-05-12T02:00:00Z',
        place: '会议室',
        attendees: [],
        topics: '进度',
        commitments: '',
      },
      'interviewee.phone',
    ],
    [
      '/supervision/interviews',
      {
        unitId: 'U',
        interviewee: { name: '陈立新' },
        at: 'soon',
        place: '会议室',
        attendees: [],
        topics: '进度',
        commitments: '',
      },
      'interviewee.post',
    ],
    ['/circulars', { asOf: '2026-12-31' }, 'asOf'],
    ['/circulars', { asOf: 'yesterday' }, 'asOf'],
  ])('POST %s %j → 400 on %s', async (path, raw, field) => {
    const subst = (v: unknown): unknown =>
      typeof v === 'string'
        ? ((
            {
              U: f.units.c,
              TOWN: 'ffffffff-ffff-7fff-bfff-ffffffffffff',
              OTHER: other.inst.c1,
              A1: f.inst.a1,
            } as Record<string, string>
          )[v] ?? v)
        : Array.isArray(v)
          ? v.map(subst)
          : v;
    const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, subst(v)]));
    const before = (await records(f.campaignId)).length;
    const audits = await auditCount(t);
    office.lang = 'zh-CN';
    const res = await office.post(url(path), body);
    expect(res.statusCode, res.body).toBe(400);
    const fields = res.json().error.fields as { field: string; message: string }[];
    expect(fields.map((x) => x.field)).toContain(field);
    expect(fields.every((x) => /[\u4e00-\u9fff]/.test(x.message))).toBe(true);
    expect((await records(f.campaignId)).length).toBe(before);
    expect(await auditCount(t)).toBe(audits);
  });

  it('404 for an unknown campaign, 409 for supervision of a draft or closed campaign', async () => {
    const unknown = '/api/campaigns/ffffffff-ffff-7fff-bfff-ffffffffffff';
    expect((await office.get(`${unknown}/supervision`)).statusCode).toBe(404);
    expect((await office.post(`${unknown}/circulars`, {})).statusCode).toBe(404);
    const draft = await insertCampaign('草稿活动', 'draft');
    expect((await office.post(`/api/campaigns/${draft.campaignId}/circulars`, {})).statusCode).toBe(409);
    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ status: 'closed' })
      .where('id', '=', other.campaignId)
      .execute();
    const closed = await office.post(`/api/campaigns/${other.campaignId}/supervision/reminders`, {
      unitIds: [other.units.a],
      note: '催办',
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('SUPERVISION_CAMPAIGN_NOT_ACTIVE');
    // a closed campaign still gets its final circular
    expect((await office.post(`/api/campaigns/${other.campaignId}/circulars`, {})).statusCode).toBe(201);
  });
});

describe('scope per role', () => {
  const url = (p: string) => `/api/campaigns/${f.campaignId}${p}`;

  it('a unit sees its own records and the circulars; others’ records are 404', async () => {
    const res = await liaison.get(url('/supervision?pageSize=100'));
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { kind: string; unit: { id: string } | null; id: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.kind === 'circular' || i.unit?.id === f.units.c)).toBe(true);
    expect(items.some((i) => i.kind === 'circular')).toBe(true);
    const others = (await records(f.campaignId)).find((r) => r.unit_id === f.units.b);
    expect((await liaison.get(url(`/supervision/${others?.id}`))).statusCode).toBe(404);
    const circular = items.find((i) => i.kind === 'circular');
    expect((await liaison.get(url(`/circulars/${circular?.id}/document`))).statusCode).toBe(200);
    const file = (await records(f.campaignId)).find((r) => r.kind === 'circular')?.file_id;
    expect((await liaison.get(`/api/files/${file}`)).statusCode).toBe(200);
  });

  it('leaders read everything but write nothing; liaisons cannot supervise', async () => {
    const all = await leader.get(url('/supervision?pageSize=100'));
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBe((await records(f.campaignId)).length);
    for (const c of [leader, liaison]) {
      expect(
        (await c.post(url('/supervision/reminders'), { unitIds: [f.units.c], note: '催办' })).statusCode,
      ).toBe(403);
      expect((await c.post(url('/circulars'), {})).statusCode).toBe(403);
    }
  });
});

describe('orange (Shangqiu rules)', () => {
  it('reminds with an interview suggested when an instance turns orange', async () => {
    const o = await fixture('商丘规则活动');
    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ color_rules: JSON.stringify(COLOR_PRESETS.shangqiu) })
      .where('id', '=', o.campaignId)
      .execute();
    const cal = await getCalendar(t.ctx);
    const recolor = () =>
      writeTx(t.ctx, SYSTEM_ACTOR, (tx) => recolorInstances(tx, cal, { campaignId: o.campaignId }, 'sweep'));
    setDay('2026-04-20');
    expect(new Set((await recolor()).map((c) => c.color))).toEqual(new Set(['yellow']));
    setDay('2026-04-27');
    expect(new Set((await recolor()).map((c) => c.color))).toEqual(new Set(['orange']));
    const rows = (await records(o.campaignId)).filter((r) => JSON.parse(r.details).color === 'orange');
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.kind === 'reminder' && JSON.parse(r.details).suggestInterview === true)).toBe(
      true,
    );
    const sent = await notificationsOf('unit_head', o.campaignId, 'supervision.reminder');
    expect(sent).toHaveLength(2);
    expect(JSON.parse(sent[1].params).note).toContain('建议约谈');
    const list = await office.get(`/api/campaigns/${o.campaignId}/supervision?kind=reminder&pageSize=100`);
    expect(list.json().items.filter((i: { suggestInterview: boolean }) => i.suggestInterview)).toHaveLength(
      4,
    );
  });
});

describe('instances made by activation', () => {
  it('a campaign activated after its deadline orders at once, one 督办单 per overdue instance', async () => {
    setDay('2026-05-08');
    const { campaignId, activityId } = await insertCampaign('事后启用的活动', 'draft');
    const units = [await unitId(t, '市委宣传部'), await unitId(t, '市卫生健康局')];
    await t.ctx.database.db
      .insertInto('campaign_activity_units')
      .values(
        units.map((unit, i) => ({ activity_id: activityId, unit_id: unit, role: i === 0 ? 'lead' : 'co' })),
      )
      .execute();
    office = await signedIn(t.app, 'office_admin');
    const res = await office.post(`/api/campaigns/${campaignId}/activate`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created.instances).toBe(2);
    const rows = await records(campaignId);
    expect(rows.map((r) => r.kind)).toEqual(['order', 'order']);
    expect(rows.every((r) => /^DB-2026-\d{4}$/.test(r.number ?? ''))).toBe(true);
    expect(new Set(rows.map((r) => r.unit_id))).toEqual(new Set(units));
    expect(rows.map((r) => JSON.parse(r.details).previous)).toEqual([null, null]);
    // all DB numbers of the year stay unique across campaigns
    const all = await t.ctx.database.db
      .selectFrom('supervision_records')
      .select('number')
      .where('number', 'like', 'DB-2026-%')
      .execute();
    const numbers = all.map((r) => r.number ?? '').sort();
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.at(-1)).toBe(`DB-2026-${String(numbers.length).padStart(4, '0')}`);
  });
});

// Last: it leaves a gap in the year's DB numbers.
describe('DB numbers', () => {
  const url = (p: string) => `/api/campaigns/${f.campaignId}${p}`;

  it('never gives a DB number twice, even after the record holding the last one is gone', async () => {
    const order = async () => {
      const res = await office.post(url('/supervision/orders'), {
        unitId: f.units.c,
        instanceIds: [f.inst.c1],
        deadline: '2026-05-20',
        body: '限期整改',
      });
      expect(res.statusCode).toBe(201);
      return res.json() as { id: string; number: string };
    };
    const last = await order();
    const n = Number(last.number.slice('DB-2026-'.length));
    // the record of the last number issued disappears (as when its task is deleted)
    await t.ctx.database.db.deleteFrom('supervision_records').where('id', '=', last.id).execute();
    expect((await order()).number).toBe(`DB-2026-${String(n + 1).padStart(4, '0')}`);
  });
});
