/**
 * The progress ledger (issue #4 item 4): a unit's reports on its task instances, the review workflow with
 * and without unit-head approval, one report counting toward several instances, colours and progress after
 * review, every refusal, the data scope per role, and near-duplicate evidence flagged to the reviewer.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { recolorInstances } from '../../apps/server/src/modules/campaigns/colors/recolor.ts';
import { createReport } from '../../apps/server/src/modules/campaigns/ledger/service.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { versionsOf } from '../../apps/server/src/platform/cache/versions.ts';
import { getCalendar } from '../../apps/server/src/platform/calendar/service.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { callerOf } from '../../apps/server/src/seed/demo-campaign.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { placeholderInstance } from '../helpers/campaign-rows.ts';
import { ENGINE } from '../helpers/db.ts';
import { makeJpeg } from '../helpers/images.ts';
import { uploadFile } from '../helpers/upload.ts';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const TARGETS_1 = [
  { label: '宣讲', quantity: 10, measure: '次' },
  { label: '知晓率', quantity: 80, measure: '%' },
];
const TARGETS_2 = [{ label: '志愿服务', quantity: 5, measure: '场' }];

let t: TestApp;
let liaison: Client;
let head: Client;
let office: Client;
let wg: Client;
let leader: Client;
let town: Client;

interface Campaign {
  id: string;
  activityId: string;
}

/** A campaign with one section and one activity, inserted directly (status and approval as given). */
async function campaign(name: string, status: string, requiresUnitApproval = false): Promise<Campaign> {
  const db = t.ctx.database.db;
  const now = t.clock.now().toISOString();
  const id = uuidv7();
  const sectionId = uuidv7();
  const activityId = uuidv7();
  await db
    .insertInto('campaigns')
    .values({
      id,
      name,
      year: 2026,
      doc_no: null,
      issued_on: null,
      source_text: '',
      status,
      starts_on: '2026-01-01',
      ends_on: '2026-12-31',
      color_rules: null,
      requires_unit_approval: requiresUnitApproval,
      copied_from: null,
      activated_at: status === 'draft' ? null : now,
      closed_at: status === 'closed' ? now : null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('campaign_sections')
    .values({ id: sectionId, campaign_id: id, seq: 1, numeral: '一', title: '重点任务' })
    .execute();
  await db
    .insertInto('campaign_activities')
    .values({
      id: activityId,
      campaign_id: id,
      section_id: sectionId,
      parent_id: null,
      seq: 1,
      numeral: '1.',
      name: '文明宣讲',
      description: '',
      cadence: null,
      deadline_text: null,
      deadline_on: null,
      weight: 1,
      targets: '[]',
      source_lines: '[]',
    })
    .execute();
  return { id, activityId };
}

async function task(c: Campaign, seq: number, title: string, targets: object[]): Promise<string> {
  const id = uuidv7();
  const now = t.clock.now().toISOString();
  await t.ctx.database.db
    .insertInto('campaign_tasks')
    .values({
      id,
      campaign_id: c.id,
      activity_id: c.activityId,
      seq,
      title,
      description: '',
      cadence: 'once',
      starts_on: '2026-01-01',
      due_on: '2026-12-31',
      weight: 1,
      targets: JSON.stringify(targets),
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** An instance of the task for the unit, the unit being one of the activity's responsible units. */
async function instance(c: Campaign, taskId: string, unit: string): Promise<string> {
  await t.ctx.database.db
    .insertInto('campaign_activity_units')
    .values({ activity_id: c.activityId, unit_id: unit, role: 'lead' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = {
    ...placeholderInstance(t.clock.now().toISOString(), {
      campaignId: c.id,
      activityId: c.activityId,
      taskId,
      unitId: unit,
    }),
    starts_on: '2026-01-01',
    due_on: '2026-12-31',
    color_reason: JSON.stringify({
      code: 'in_progress',
      params: { due: '2026-12-31', progress: 0, expected: 0 },
    }),
  };
  await t.ctx.database.db.insertInto('task_instances').values(row).execute();
  return row.id;
}

const instanceRow = (id: string) =>
  t.ctx.database.db.selectFrom('task_instances').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const count = async (
  table: 'ledger_reports' | 'ledger_report_items' | 'file_links' | 'ledger_report_flags',
) =>
  Number(
    (
      await t.ctx.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );

async function notificationsOf(username: string, kind: string, recordId: string) {
  return t.ctx.database.db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select('n.id')
    .where('u.username', '=', username)
    .where('n.kind', '=', kind)
    .where('n.record_id', '=', recordId)
    .execute();
}

const fields = (res: { json(): { error: { fields?: { field: string }[] } } }) =>
  (res.json().error.fields ?? []).map((f) => f.field);

let main: Campaign;
let other: Campaign;
let health = '';
let townUnit = '';
let a1 = ''; // task 1 × 市卫生健康局
let a2 = ''; // task 2 × 市卫生健康局
let b1 = ''; // task 1 × the township
let c1 = ''; // task 1 × 市委宣传部
let x1 = ''; // another campaign's task × 市卫生健康局
let draftCampaign: Campaign;
let closedCampaign: Campaign;
let dx = '';
let cx = '';
let photo = '';

beforeAll(async () => {
  t = await makeTestApp();
  [liaison, head, office, wg, leader, town] = await Promise.all(
    ['liaison', 'unit_head', 'office_admin', 'wg_member', 'leader', 'liaison_town'].map((u) =>
      signedIn(t.app, u),
    ),
  );
  health = await unitId(t, '市卫生健康局');
  const tu = await t.ctx.database.db
    .selectFrom('users')
    .select('unit_id')
    .where('username', '=', 'liaison_town')
    .executeTakeFirstOrThrow();
  townUnit = tu.unit_id as string;
  main = await campaign('文明城市创建', 'active');
  const t1 = await task(main, 1, '开展文明宣讲', TARGETS_1);
  const t2 = await task(main, 2, '组织志愿服务', TARGETS_2);
  a1 = await instance(main, t1, health);
  a2 = await instance(main, t2, health);
  b1 = await instance(main, t1, townUnit);
  c1 = await instance(main, t1, await unitId(t, '市委宣传部'));
  other = await campaign('另一活动', 'active');
  x1 = await instance(other, await task(other, 1, '另一任务', TARGETS_2), health);
  draftCampaign = await campaign('草稿活动', 'draft');
  dx = await instance(draftCampaign, await task(draftCampaign, 1, '草稿任务', TARGETS_2), health);
  closedCampaign = await campaign('已关闭活动', 'closed');
  cx = await instance(closedCampaign, await task(closedCampaign, 1, '关闭任务', TARGETS_2), health);
  photo = await uploadFile(
    liaison,
    'site.jpg',
    await makeJpeg({ width: 640, height: 480, color: '#336699', pattern: 7 }),
  );
});
afterAll(async () => {
  await t?.close();
});

describe(`progress ledger on ${ENGINE}`, () => {
  let reportId = '';
  let version = 0;

  it("lists the liaison's own unit's open tasks with colour and reason, nothing of other units", async () => {
    const res = await liaison.get('/api/ledger/my-tasks');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((i: { id: string }) => i.id);
    expect(ids.sort()).toEqual([a1, a2, x1].sort());
    const first = res.json().items.find((i: { id: string }) => i.id === a1);
    expect(first).toMatchObject({
      campaign: { id: main.id, name: '文明城市创建' },
      task: { title: '开展文明宣讲', targets: TARGETS_1 },
      color: 'blue',
      colorReason: { code: 'in_progress' },
      dueOn: '2026-12-31',
      progress: 0,
    });
    const only = await liaison.get(`/api/ledger/my-tasks?campaignId=${main.id}`);
    expect(
      only
        .json()
        .items.map((i: { id: string }) => i.id)
        .sort(),
    ).toEqual([a1, a2].sort());
  });

  it('saves a draft counting toward two instances, with a photo; only the unit sees a draft', async () => {
    const before = await auditCount(t);
    const res = await liaison.post('/api/ledger/reports', {
      campaignId: main.id,
      summary: '3月开展文明宣讲3次，组织志愿服务2场',
      items: [
        { instanceId: a1, amounts: [3, 50] },
        { instanceId: a2, amounts: [2] },
      ],
      fileIds: [photo],
    });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    reportId = r.id;
    version = r.version;
    expect(r).toMatchObject({
      state: 'draft',
      version: 1,
      unit: { id: health, name: '市卫生健康局' },
      author: { name: '刘海燕' },
      editable: true,
      allowedActions: ['submit'],
    });
    expect(r.items.map((i: { instanceId: string }) => i.instanceId).sort()).toEqual([a1, a2].sort());
    expect(r.evidence.map((f: { id: string }) => f.id)).toEqual([photo]);
    expect(r.timeline.map((e: { action: string }) => e.action)).toEqual(['create']);
    expect(await auditCount(t)).toBeGreaterThan(before);

    expect((await office.get(`/api/ledger/reports/${reportId}`)).statusCode).toBe(404);
    expect((await office.get('/api/ledger/reports')).json().items).toEqual([]);
    expect((await head.get(`/api/ledger/reports/${reportId}`)).statusCode).toBe(200);
    expect((await town.get(`/api/ledger/reports/${reportId}`)).statusCode).toBe(404);
    // The photo is readable by the unit's colleague through the report, not by another unit.
    expect((await head.get(`/api/files/${photo}`)).statusCode).toBe(200);
    expect((await town.get(`/api/files/${photo}`)).statusCode).toBe(404);
  });

  it('edits the draft with the version seen; a stale version is refused and nothing changes', async () => {
    const res = await liaison.patch(`/api/ledger/reports/${reportId}`, {
      version,
      summary: '3月开展文明宣讲3次（社区、学校、医院），组织志愿服务2场',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(version + 1);
    const stale = await liaison.patch(`/api/ledger/reports/${reportId}`, { version, summary: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    version = res.json().version;
    expect((await liaison.get(`/api/ledger/reports/${reportId}`)).json().summary).toContain('社区');
  });

  it('submits: the instances count a pending report and the office reviewers are told', async () => {
    const res = await liaison.post(`/api/ledger/reports/${reportId}/transitions`, {
      action: 'submit',
      version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'submitted', editable: false, allowedActions: [] });
    version = res.json().version;
    expect((await instanceRow(a1)).pending_reports).toBe(1);
    expect((await instanceRow(a2)).pending_reports).toBe(1);
    expect(await notificationsOf('office_admin', 'ledger.submitted', reportId)).toHaveLength(1);
    expect(await notificationsOf('wg_member', 'ledger.submitted', reportId)).toHaveLength(1);
    const queue = await office.get(`/api/ledger/reports?campaignId=${main.id}&state=submitted`);
    expect(queue.json()).toMatchObject({
      total: 1,
      items: [{ id: reportId, unit: { name: '市卫生健康局' } }],
    });
    const detail = (await office.get(`/api/ledger/reports/${reportId}`)).json();
    expect(detail.allowedActions.sort()).toEqual(['accept', 'return']);
  });

  it('refuses a return without a reason (field note) and writes nothing', async () => {
    const before = await auditCount(t);
    for (const note of [undefined, '', '   ']) {
      const res = await office.post(`/api/ledger/reports/${reportId}/transitions`, {
        action: 'return',
        version,
        note,
      });
      expect(res.statusCode).toBe(400);
      expect(fields(res)).toEqual(['note']);
    }
    office.lang = 'en-US';
    const en = await office.post(`/api/ledger/reports/${reportId}/transitions`, {
      action: 'return',
      version,
    });
    office.lang = undefined;
    expect(en.json().error.fields[0].message).toBe('A reason or note is required');
    expect(await auditCount(t)).toBe(before);
    expect((await office.get(`/api/ledger/reports/${reportId}`)).json()).toMatchObject({
      state: 'submitted',
      version,
    });
  });

  it('returns with a reason: the author is told, the instances know a report came back', async () => {
    const res = await office.post(`/api/ledger/reports/${reportId}/transitions`, {
      action: 'return',
      version,
      note: '缺少宣讲现场照片',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'returned', returnReason: '缺少宣讲现场照片' });
    version = res.json().version;
    expect(await notificationsOf('liaison', 'ledger.returned', reportId)).toHaveLength(1);
    const a = await instanceRow(a1);
    expect(a.pending_reports).toBe(0);
    expect(a.returned_at).toBe('2026-03-02');
    const mine = (await liaison.get(`/api/ledger/reports/${reportId}`)).json();
    expect(mine).toMatchObject({
      editable: true,
      allowedActions: ['submit'],
      returnReason: '缺少宣讲现场照片',
    });
  });

  it('is edited and resubmitted, then accepted: progress, amounts and colour follow, with history', async () => {
    const edit = await liaison.patch(`/api/ledger/reports/${reportId}`, {
      version,
      items: [
        { instanceId: a1, amounts: [10, 85] },
        { instanceId: a2, amounts: [2] },
      ],
    });
    expect(edit.statusCode).toBe(200);
    const sub = await liaison.post(`/api/ledger/reports/${reportId}/transitions`, {
      action: 'submit',
      version: edit.json().version,
    });
    expect(sub.statusCode).toBe(200);
    expect((await instanceRow(a1)).returned_at).toBeNull();
    const acc = await wg.post(`/api/ledger/reports/${reportId}/transitions`, {
      action: 'accept',
      version: sub.json().version,
      note: '材料齐全',
    });
    expect(acc.statusCode).toBe(200);
    expect(acc.json()).toMatchObject({ state: 'accepted', reviewedBy: '赵振宇', allowedActions: [] });
    expect(acc.json().timeline.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'submit',
      'return',
      'submit',
      'accept',
    ]);
    expect(acc.json().timeline[2]).toMatchObject({ note: '缺少宣讲现场照片', actorName: '王文静' });
    expect(await notificationsOf('liaison', 'ledger.accepted', reportId)).toHaveLength(1);

    const a = await instanceRow(a1);
    expect(a).toMatchObject({ color: 'green', progress: 100, done_on: '2026-03-02', accepted_reports: 1 });
    expect(JSON.parse(a.amounts)).toEqual([10, 85]);
    const b = await instanceRow(a2);
    expect(b).toMatchObject({ progress: 40, accepted_reports: 1, pending_reports: 0 });
    const history = await t.ctx.database.db
      .selectFrom('task_instance_colors')
      .selectAll()
      .where('instance_id', '=', a1)
      .execute();
    expect(history.at(-1)).toMatchObject({ previous: 'blue', color: 'green', cause: 'review' });
    // Done instances leave the liaison's open tasks.
    const open = (await liaison.get(`/api/ledger/my-tasks?campaignId=${main.id}`)).json().items;
    expect(open.map((i: { id: string }) => i.id)).toEqual([a2]);
    // An accepted report can no longer be edited or acted on.
    const late = await liaison.patch(`/api/ledger/reports/${reportId}`, {
      version: acc.json().version,
      summary: 'x',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('LEDGER_NOT_EDITABLE');
  });

  it('with unit approval: the unit head approves (or returns) before the office may review', async () => {
    const c = await campaign('需单位审核的活动', 'active', true);
    const inst = await instance(c, await task(c, 1, '单位审核任务', TARGETS_2), health);
    const create = async () => {
      const r = await liaison.post('/api/ledger/reports', {
        campaignId: c.id,
        summary: '完成1场',
        items: [{ instanceId: inst, amounts: [1] }],
      });
      const s = await liaison.post(`/api/ledger/reports/${r.json().id}/transitions`, {
        action: 'submit',
        version: r.json().version,
      });
      expect(s.json().state).toBe('submitted');
      return s.json() as { id: string; version: number };
    };
    const r = await create();
    expect(await notificationsOf('unit_head', 'ledger.awaitingApproval', r.id)).toHaveLength(1);
    expect(await notificationsOf('office_admin', 'ledger.submitted', r.id)).toHaveLength(0);
    const early = await office.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'accept',
      version: r.version,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('LEDGER_AWAITING_UNIT_APPROVAL');
    expect((await office.get(`/api/ledger/reports/${r.id}`)).json().allowedActions).toEqual([]);
    expect((await head.get(`/api/ledger/reports/${r.id}`)).json().allowedActions.sort()).toEqual([
      'approve',
      'unit_return',
    ]);
    // The liaison cannot approve their own unit's report.
    const self = await liaison.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'approve',
      version: r.version,
    });
    expect(self.statusCode).toBe(403);
    // The office admin has read the earlier notice; the working-group member has not.
    expect((await office.post('/api/notifications/read-all', {})).statusCode).toBe(200);
    const ok = await head.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'approve',
      version: r.version,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'unit_approved', approvedBy: '陈立新' });
    expect(await notificationsOf('office_admin', 'ledger.submitted', r.id)).toHaveLength(1);
    expect(await notificationsOf('wg_member', 'ledger.submitted', r.id)).toHaveLength(0);
    expect((await instanceRow(inst)).pending_reports).toBe(1);
    const acc = await office.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'accept',
      version: ok.json().version,
    });
    expect(acc.json().state).toBe('accepted');
    expect((await instanceRow(inst)).progress).toBe(20);

    const r2 = await create();
    const noReason = await head.post(`/api/ledger/reports/${r2.id}/transitions`, {
      action: 'unit_return',
      version: r2.version,
    });
    expect(noReason.statusCode).toBe(400);
    expect(fields(noReason)).toEqual(['note']);
    const back = await head.post(`/api/ledger/reports/${r2.id}/transitions`, {
      action: 'unit_return',
      version: r2.version,
      note: '数字有误',
    });
    expect(back.json()).toMatchObject({ state: 'returned', returnReason: '数字有误' });
    expect(await notificationsOf('liaison', 'ledger.returned', r2.id)).toHaveLength(1);
    // Without the campaign's approval step, the unit head has nothing to approve.
    expect((await head.get(`/api/ledger/reports/${reportId}`)).json().allowedActions).toEqual([]);
  });

  it('with unit approval: a unit head’s own report is the unit’s approval, and nobody approves their own', async () => {
    const c = await campaign('单位负责人自报的活动', 'active', true);
    const inst = await instance(c, await task(c, 1, '负责人自报任务', TARGETS_2), health);
    const body = { campaignId: c.id, summary: '负责人报送1场', items: [{ instanceId: inst, amounts: [1] }] };
    const mine = await head.post('/api/ledger/reports', { ...body, submit: true });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({ state: 'unit_approved', approvedBy: '陈立新' });
    expect(mine.json().timeline.map((e: { action: string; to: string }) => [e.action, e.to])).toEqual([
      ['create', 'draft'],
      ['submit', 'unit_approved'],
    ]);
    expect(await notificationsOf('unit_head', 'ledger.awaitingApproval', mine.json().id)).toHaveLength(0);
    expect((await instanceRow(inst)).pending_reports).toBe(1);
    // the office reviews it at once
    const reviewable = (await office.get(`/api/ledger/reports/${mine.json().id}`)).json().allowedActions;
    expect(reviewable.sort()).toEqual(['accept', 'return']);

    // in two steps, the same
    const draft = (await head.post('/api/ledger/reports', body)).json();
    const sent = await head.post(`/api/ledger/reports/${draft.id}/transitions`, {
      action: 'submit',
      version: draft.version,
    });
    expect(sent.json()).toMatchObject({ state: 'unit_approved', approvedBy: '陈立新' });

    // a liaison's report still waits for the head; a report the head wrote and that sits in 'submitted'
    // (written before the campaign asked for approval) is not theirs to approve
    const theirs = (await liaison.post('/api/ledger/reports', { ...body, submit: true })).json();
    expect(theirs.state).toBe('submitted');
    const own = (await head.post('/api/ledger/reports', body)).json();
    await t.ctx.database.db
      .updateTable('ledger_reports')
      .set({ state: 'submitted', version: own.version + 1 })
      .where('id', '=', own.id)
      .execute();
    expect((await head.get(`/api/ledger/reports/${own.id}`)).json().allowedActions).toEqual(['unit_return']);
    const self = await head.post(`/api/ledger/reports/${own.id}/transitions`, {
      action: 'approve',
      version: own.version + 1,
    });
    expect(self.statusCode).toBe(403);
    expect((await head.get(`/api/ledger/reports/${theirs.id}`)).json().allowedActions.sort()).toEqual([
      'approve',
      'unit_return',
    ]);
  });

  describe('refusals (field-level, in the caller’s language, nothing written)', () => {
    const valid = () => ({
      campaignId: main.id,
      summary: '开展宣讲',
      items: [{ instanceId: a2, amounts: [1] }],
    });
    const refused = async (body: Record<string, unknown>, status: number, field?: string, code?: string) => {
      const before = [await count('ledger_reports'), await count('ledger_report_items'), await auditCount(t)];
      const res = await liaison.post('/api/ledger/reports', body);
      expect(res.statusCode, res.body).toBe(status);
      if (field) expect(fields(res)).toContain(field);
      if (code) expect(res.json().error.code).toBe(code);
      expect([
        await count('ledger_reports'),
        await count('ledger_report_items'),
        await auditCount(t),
      ]).toEqual(before);
      return res;
    };

    it("refuses another unit's instance as not found, the same as an unknown one", async () => {
      const other = await refused(
        { ...valid(), items: [{ instanceId: c1, amounts: [1, 1] }] },
        404,
        'items.0.instanceId',
      );
      const unknown = await refused(
        { ...valid(), items: [{ instanceId: UNKNOWN, amounts: [1] }] },
        404,
        'items.0.instanceId',
      );
      expect(other.json()).toEqual(unknown.json());
    });

    it("refuses another campaign's instance and the same instance twice", async () => {
      await refused({ ...valid(), items: [{ instanceId: x1, amounts: [1] }] }, 400, 'items.0.instanceId');
      await refused(
        {
          ...valid(),
          items: [
            { instanceId: a2, amounts: [1] },
            { instanceId: a2, amounts: [2] },
          ],
        },
        400,
        'items.1.instanceId',
      );
    });

    it('refuses reports in a draft (not visible to units: 404) or a closed campaign (409 CAMPAIGN_CLOSED)', async () => {
      await refused(
        { ...valid(), campaignId: draftCampaign.id, items: [{ instanceId: dx, amounts: [1] }] },
        404,
        'campaignId',
      );
      await refused(
        { ...valid(), campaignId: closedCampaign.id, items: [{ instanceId: cx, amounts: [1] }] },
        409,
        undefined,
        'CAMPAIGN_CLOSED',
      );
      await refused({ ...valid(), campaignId: UNKNOWN }, 404, 'campaignId');
    });

    it('sees a campaign closed, or no longer the unit’s, since its state was remembered (also by hand, in SQL)', async () => {
      const { db } = t.ctx.database;
      const body = {
        campaignId: other.id,
        summary: '记住活动状态',
        items: [{ instanceId: x1, amounts: [1] }],
      };
      const filed = async () =>
        expect((await liaison.post('/api/ledger/reports', body)).statusCode).toBe(201);
      await filed();
      await filed();
      await sql`update campaigns set status = 'closed' where id = ${other.id}`.execute(db);
      await refused(body, 409, undefined, 'CAMPAIGN_CLOSED');
      await sql`update campaigns set status = 'active' where id = ${other.id}`.execute(db);
      await filed();
      await sql`delete from campaign_activity_units where activity_id = ${other.activityId} and unit_id = ${health}`.execute(
        db,
      );
      await refused(body, 404, 'campaignId');
      await sql`insert into campaign_activity_units (activity_id, unit_id, role)
        values (${other.activityId}, ${health}, 'lead')`.execute(db);
      await filed();
    });

    it('refuses impossible amounts: wrong length, negative, fractional counts, over 100 %', async () => {
      liaison.lang = 'en-US';
      const len = await refused(
        { ...valid(), items: [{ instanceId: a1, amounts: [1] }] },
        400,
        'items.0.amounts',
      );
      expect(len.json().error.fields[0].message).toBe('give one number per target: 2 in all');
      liaison.lang = undefined;
      await refused({ ...valid(), items: [{ instanceId: a1, amounts: [-1, 10] }] }, 400, 'items.0.amounts.0');
      const frac = await refused(
        { ...valid(), items: [{ instanceId: a1, amounts: [1.5, 10] }] },
        400,
        'items.0.amounts.0',
      );
      expect(frac.json().error.fields[0].message).toBe('以“次”计，应为整数');
      await refused(
        { ...valid(), items: [{ instanceId: a1, amounts: [1, 100.5] }] },
        400,
        'items.0.amounts.1',
      );
      await refused({ ...valid(), items: [] }, 400, 'items');
    });

    it('refuses an empty summary, unknown files and files uploaded by someone else', async () => {
      await refused({ ...valid(), summary: '   ' }, 400, 'summary');
      await refused({ ...valid(), summary: 'x'.repeat(5001) }, 400, 'summary');
      await refused({ ...valid(), fileIds: [UNKNOWN] }, 400, 'fileIds');
      const theirs = await uploadFile(
        town,
        'town.jpg',
        await makeJpeg({ width: 100, height: 80, color: 'red' }),
      );
      await refused({ ...valid(), fileIds: [theirs] }, 400, 'fileIds');
    });

    it('refuses a transition on a stale version, and submitting an edit that no longer fits its task', async () => {
      const r = (await liaison.post('/api/ledger/reports', valid())).json();
      const stale = await liaison.post(`/api/ledger/reports/${r.id}/transitions`, {
        action: 'submit',
        version: r.version + 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('STALE_VERSION');
      // The task gained a target since the draft: submitting is refused on the item, nothing moves.
      await t.ctx.database.db
        .updateTable('campaign_tasks')
        .set({ targets: JSON.stringify([...TARGETS_2, { label: '覆盖率', quantity: 50, measure: '%' }]) })
        .where('id', '=', (await instanceRow(a2)).task_id)
        .execute();
      const misfit = await liaison.post(`/api/ledger/reports/${r.id}/transitions`, {
        action: 'submit',
        version: r.version,
      });
      expect(misfit.statusCode).toBe(400);
      expect(fields(misfit)).toEqual(['items.0.amounts']);
      expect((await liaison.get(`/api/ledger/reports/${r.id}`)).json()).toMatchObject({
        state: 'draft',
        version: r.version,
      });
      await t.ctx.database.db
        .updateTable('campaign_tasks')
        .set({ targets: JSON.stringify(TARGETS_2) })
        .where('id', '=', (await instanceRow(a2)).task_id)
        .execute();
    });
  });

  it('keeps each role to its scope: leaders read only, other units see nothing, out-of-scope review is 404', async () => {
    const list = await leader.get(`/api/ledger/reports?campaignId=${main.id}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(reportId);
    expect(list.json().items.every((r: { state: string }) => r.state !== 'draft')).toBe(true);
    const detail = (await leader.get(`/api/ledger/reports/${reportId}`)).json();
    expect(detail.allowedActions).toEqual([]);
    expect(detail.flags).toBeNull();
    expect((await leader.post('/api/ledger/reports', {})).statusCode).toBe(403);

    expect((await town.get('/api/ledger/reports')).json().items).toEqual([]);
    // An instance not coloured yet (placeholder reason) is listed without a reason rather than failing.
    await t.ctx.database.db
      .updateTable('task_instances')
      .set({ color_reason: '{}' })
      .where('id', '=', b1)
      .execute();
    const townTasks = await town.get('/api/ledger/my-tasks');
    expect(townTasks.statusCode).toBe(200);
    expect(townTasks.json().items).toMatchObject([{ id: b1, colorReason: null }]);
    expect((await town.get(`/api/ledger/reports/${reportId}`)).statusCode).toBe(404);
    expect(
      (await liaison.get('/api/ledger/reports'))
        .json()
        .items.every((r: { unit: { id: string } }) => r.unit.id === health),
    ).toBe(true);

    // A reviewer whose data scope is only their own unit cannot see or review the health bureau's reports.
    await t.ctx.database.db
      .updateTable('users')
      .set({ data_scope: 'own' })
      .where('username', '=', 'wg_member')
      .execute();
    const narrow = await signedIn(t.app, 'wg_member');
    const r = (
      await liaison.post('/api/ledger/reports', {
        campaignId: main.id,
        summary: '再报',
        items: [{ instanceId: a2, amounts: [1] }],
      })
    ).json();
    const s = (
      await liaison.post(`/api/ledger/reports/${r.id}/transitions`, { action: 'submit', version: r.version })
    ).json();
    expect((await narrow.get(`/api/ledger/reports/${s.id}`)).statusCode).toBe(404);
    // Another unit's submit reads as not found, with images to compare (reportId) or without (s).
    for (const id of [reportId, s.id]) {
      const other = await town.post(`/api/ledger/reports/${id}/transitions`, {
        action: 'submit',
        version: 1,
      });
      expect(other.statusCode).toBe(404);
    }
    const act = await narrow.post(`/api/ledger/reports/${s.id}/transitions`, {
      action: 'accept',
      version: s.version,
    });
    expect(act.statusCode).toBe(404);
    expect((await narrow.get('/api/ledger/reports')).json().total).toBe(0);
    await t.ctx.database.db
      .updateTable('users')
      .set({ data_scope: 'all' })
      .where('username', '=', 'wg_member')
      .execute();
  });

  it('flags a near-duplicate photo in another unit’s report and shows the reviewer both side by side', async () => {
    // The same scene, re-encoded at another size: a different file, nearly the same dHash.
    const copy = await uploadFile(
      town,
      'same-scene.jpg',
      await makeJpeg({ width: 600, height: 450, color: '#336699', pattern: 7 }),
    );
    const different = await uploadFile(
      town,
      'other.jpg',
      await makeJpeg({ width: 600, height: 450, color: '#993366', pattern: 3 }),
    );
    const r = (
      await town.post('/api/ledger/reports', {
        campaignId: main.id,
        summary: '乡镇开展文明宣讲5次',
        items: [{ instanceId: b1, amounts: [5, 60] }],
        fileIds: [copy, different],
      })
    ).json();
    const s = await town.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'submit',
      version: r.version,
    });
    expect(s.statusCode).toBe(200);
    expect(s.json().similarFlags).toBe(1);
    expect(s.json().flags).toBeNull();

    const seen = (await office.get(`/api/ledger/reports/${r.id}`)).json();
    expect(seen.flags).toHaveLength(1);
    expect(seen.flags[0]).toMatchObject({
      file: { id: copy },
      otherFile: { id: photo },
      otherReportId: reportId,
      other: {
        id: reportId,
        unit: { name: '市卫生健康局' },
        summary: expect.stringContaining('文明宣讲'),
        tasks: expect.arrayContaining([expect.objectContaining({ title: '开展文明宣讲' })]),
      },
    });
    expect(seen.flags[0].distance).toBeLessThanOrEqual(10);
    // The earlier report shows the match too, from its side.
    const earlier = (await office.get(`/api/ledger/reports/${reportId}`)).json();
    expect(earlier.flags).toMatchObject([
      { file: { id: photo }, otherFile: { id: copy }, otherReportId: r.id },
    ]);
    // The reviewer may open both thumbnails.
    expect((await office.get(`/api/files/${photo}/thumb`)).statusCode).toBe(200);
    expect((await office.get(`/api/files/${copy}/thumb`)).statusCode).toBe(200);
  });

  it('works on a campaign imported, tasked and activated through the API', async () => {
    const plan = '2026年健康城市行动方案\n一、重点任务\n1.开展“健康素养”宣讲活动。责任单位：市卫生健康局\n';
    const c = await office.post('/api/campaigns', { name: '健康城市行动', year: 2026, text: plan });
    expect(c.statusCode, c.body).toBe(201);
    const activityId = c.json().sections[0].activities[0].id;
    await office.patch(`/api/campaigns/${c.json().id}`, { startsOn: '2026-01-01', endsOn: '2026-12-31' });
    const task = await office.post(`/api/campaigns/${c.json().id}/tasks`, {
      activityId,
      title: '健康素养宣讲',
      targets: [{ label: '宣讲', quantity: 4, measure: '场' }],
    });
    expect(task.statusCode, task.body).toBe(201);
    // Before activation the campaign is the office's draft: the units do not see it.
    const early = await liaison.post('/api/ledger/reports', {
      campaignId: c.json().id,
      summary: '宣讲1场',
      items: [{ instanceId: UNKNOWN, amounts: [1] }],
    });
    expect(early.statusCode).toBe(404);
    const act = await office.post(`/api/campaigns/${c.json().id}/activate`, {});
    expect(act.statusCode, act.body).toBe(200);
    const mine = (await liaison.get(`/api/ledger/my-tasks?campaignId=${c.json().id}`)).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0].task).toMatchObject({ title: '健康素养宣讲', targets: [{ quantity: 4 }] });
    const r = (
      await liaison.post('/api/ledger/reports', {
        campaignId: c.json().id,
        summary: '在3个社区开展健康素养宣讲4场',
        items: [{ instanceId: mine[0].id, amounts: [4] }],
      })
    ).json();
    const s = (
      await liaison.post(`/api/ledger/reports/${r.id}/transitions`, { action: 'submit', version: r.version })
    ).json();
    const a = await office.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'accept',
      version: s.version,
    });
    expect(a.json().items[0]).toMatchObject({ color: 'green', progress: 100, colorReason: { code: 'done' } });
    // Once the campaign is closed, nothing more is filed or edited.
    expect((await office.post(`/api/campaigns/${c.json().id}/close`, {})).statusCode).toBe(200);
    const late = await liaison.post('/api/ledger/reports', {
      campaignId: c.json().id,
      summary: '补报',
      items: [{ instanceId: mine[0].id, amounts: [1] }],
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CAMPAIGN_CLOSED');
  });

  it('tells a reviewer added since the reviewers were remembered, not one removed (also by hand, in SQL)', async () => {
    const { db } = t.ctx.database;
    const leaderId = (
      await db.selectFrom('users').select('id').where('username', '=', 'leader').executeTakeFirstOrThrow()
    ).id;
    const caughtUp = () =>
      db.updateTable('notifications').set({ read_at: t.clock.now().toISOString() }).execute();
    const submitted = async () => {
      const res = await liaison.post('/api/ledger/reports', {
        campaignId: main.id,
        summary: '审核人名单',
        items: [{ instanceId: a2, amounts: [1] }],
        submit: true,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    await caughtUp();
    await submitted();
    await caughtUp();
    await submitted();
    await caughtUp();
    await sql`insert into user_roles (user_id, role) values (${leaderId}, 'working_group')`.execute(db);
    const told = await submitted();
    expect(await notificationsOf('leader', 'ledger.submitted', told)).toHaveLength(1);
    await sql`delete from user_roles where user_id = ${leaderId} and role = 'working_group'`.execute(db);
    await caughtUp();
    const after = await submitted();
    expect(await notificationsOf('leader', 'ledger.submitted', after)).toHaveLength(0);
    expect(await notificationsOf('wg_member', 'ledger.submitted', after)).toHaveLength(1);
  });

  it('creates and submits in one request (submit: true): history, audit, instance, one notice per reviewer', async () => {
    const c = await campaign('一次提交的活动', 'active');
    const inst = await instance(c, await task(c, 1, '一次提交任务', TARGETS_2), health);
    expect((await office.post('/api/notifications/read-all', {})).statusCode).toBe(200);
    const body = { campaignId: c.id, summary: '完成1场', items: [{ instanceId: inst, amounts: [1] }] };

    const refused = await liaison.post('/api/ledger/reports', {
      ...body,
      items: [{ instanceId: inst, amounts: [1.5] }],
      submit: true,
    });
    expect(refused.statusCode).toBe(400);
    expect(fields(refused)).toEqual(['items.0.amounts.0']);
    expect((await instanceRow(inst)).pending_reports).toBe(0);

    const before = await auditCount(t);
    const res = await liaison.post('/api/ledger/reports', { ...body, submit: true });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ state: 'submitted', version: 2, editable: false, allowedActions: [] });
    expect(r.submittedAt).not.toBeNull();
    expect(r.timeline.map((e: { action: string; to: string }) => [e.action, e.to])).toEqual([
      ['create', 'draft'],
      ['submit', 'submitted'],
    ]);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', r.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['ledger_report.create', 'ledger_report.submit']);
    expect(await auditCount(t)).toBe(before + 2);
    const row = await instanceRow(inst);
    expect([row.pending_reports, row.color]).toEqual([1, 'blue']);
    expect(await notificationsOf('office_admin', 'ledger.submitted', r.id)).toHaveLength(1);
    // The queue waits; a reviewer who has not read the first notice is not told of each further report.
    const second = (await liaison.post('/api/ledger/reports', { ...body, submit: true })).json();
    expect(second.state).toBe('submitted');
    expect((await instanceRow(inst)).pending_reports).toBe(2);
    expect(await notificationsOf('office_admin', 'ledger.submitted', second.id)).toHaveLength(0);
    const queue = await office.get(`/api/ledger/reports?campaignId=${c.id}&state=submitted`);
    expect(queue.json().total).toBe(2);
    // The same report through the two-step path leaves the same history.
    const draft = (await liaison.post('/api/ledger/reports', { ...body, submit: false })).json();
    expect(draft.state).toBe('draft');
    const two = await liaison.post(`/api/ledger/reports/${draft.id}/transitions`, {
      action: 'submit',
      version: draft.version,
    });
    // (every field but the moment: seq, from, to, actor, note, payload, attachments)
    const entries = (timeline: { at: string }[]) => timeline.map(({ at: _at, ...rest }) => rest);
    expect(entries(two.json().timeline)).toEqual(entries(r.timeline));
    expect(r.timeline.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect((await instanceRow(inst)).pending_reports).toBe(3);
  });

  it('a burst of submit: true on one instance counts every report, as re-reading them would', async () => {
    const c = await campaign('集中报送的活动', 'active');
    const inst = await instance(c, await task(c, 1, '集中报送任务', TARGETS_2), health);
    const body = { campaignId: c.id, summary: '完成1场', items: [{ instanceId: inst, amounts: [1] }] };
    expect((await office.post('/api/notifications/read-all', {})).statusCode).toBe(200);
    // sent together: they share transactions (group commit), one refused on its amounts in the middle
    const replies = await Promise.all(
      [1, 1, 1.5, 1, 1].map((amount) =>
        liaison.request(
          'POST',
          '/api/ledger/reports',
          { ...body, items: [{ instanceId: inst, amounts: [amount] }], submit: true },
          { prefer: 'return=minimal' },
        ),
      ),
    );
    expect(replies.map((r) => r.statusCode)).toEqual([201, 201, 400, 201, 201]);
    expect(replies[0]?.json()).toEqual({ id: expect.any(String), state: 'submitted', version: 2 });
    const stored = await instanceRow(inst);
    expect([stored.pending_reports, stored.color]).toEqual([4, 'blue']);
    // the reviewer is told once for the burst (the jobs share who has an unread notice)
    const told = await Promise.all(
      replies
        .filter((r) => r.statusCode === 201)
        .map((r) => notificationsOf('office_admin', 'ledger.submitted', r.json().id)),
    );
    expect(told.flat()).toHaveLength(1);
    // the stored aggregates are what re-reading the instance's reports gives
    const cal = await getCalendar(t.ctx);
    await writeTx(t.ctx, SYSTEM_ACTOR, (tx) => recolorInstances(tx, cal, { instanceIds: [inst] }, 'review'));
    expect(await instanceRow(inst)).toEqual(stored);
  });

  it('tells a reviewer once though later requests of a burst read the cache versions before that commit', async () => {
    const c = await campaign('同一时刻报送的活动', 'active');
    const inst = await instance(c, await task(c, 1, '同一时刻报送任务', TARGETS_2), health);
    expect((await office.post('/api/notifications/read-all', {})).statusCode).toBe(200);
    // every request below carries the reading its edge took before the first of them committed
    const before = await versionsOf(t.ctx.database).read();
    const caller = { ...(await callerOf(t.ctx, 'liaison')), versions: before };
    const input = {
      campaignId: c.id,
      summary: '完成1场',
      items: [{ instanceId: inst, amounts: [1] }],
      submit: true,
    };
    const refs = [];
    for (let i = 0; i < 3; i++) refs.push(await createReport(t.ctx, caller, input));
    const told = await Promise.all(
      refs.map((r) => notificationsOf('office_admin', 'ledger.submitted', r.id)),
    );
    expect(told.map((n) => n.length)).toEqual([1, 0, 0]);
  });

  it('a burst mixing new reports with a draft’s submission: the transition sees what the group held', async () => {
    const c = await campaign('混合报送的活动', 'active');
    const inst = await instance(c, await task(c, 1, '混合报送任务', TARGETS_2), health);
    const body = { campaignId: c.id, summary: '完成1场', items: [{ instanceId: inst, amounts: [1] }] };
    const draft = (await liaison.post('/api/ledger/reports', body)).json();
    // sent together: the new reports hold their writes (Tx.holding); the draft's submission does not
    // hold, so what the reports before it in its group held is written before it reads the instance
    const replies = await Promise.all([
      liaison.request('POST', '/api/ledger/reports', { ...body, submit: true }, { prefer: 'return=minimal' }),
      liaison.post(`/api/ledger/reports/${draft.id}/transitions`, {
        action: 'submit',
        version: draft.version,
      }),
      liaison.request('POST', '/api/ledger/reports', { ...body, submit: true }, { prefer: 'return=minimal' }),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([201, 200, 201]);
    const stored = await instanceRow(inst);
    expect(stored.pending_reports).toBe(3);
    const cal = await getCalendar(t.ctx);
    await writeTx(t.ctx, SYSTEM_ACTOR, (tx) => recolorInstances(tx, cal, { instanceIds: [inst] }, 'review'));
    expect(await instanceRow(inst)).toEqual(stored);
    for (const r of [replies[0], replies[2]]) {
      const report = (await liaison.get(`/api/ledger/reports/${r?.json().id}`)).json();
      expect(report).toMatchObject({ state: 'submitted', items: [{ instanceId: inst, amounts: [1] }] });
      expect(report.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'submit']);
    }
  });

  it('submit: true with unit approval tells the unit heads, and flags a reused photo at once', async () => {
    const c = await campaign('一次提交需审核', 'active', true);
    const inst = await instance(c, await task(c, 1, '一次提交审核任务', TARGETS_2), health);
    const res = await liaison.post('/api/ledger/reports', {
      campaignId: c.id,
      summary: '复用照片并提交',
      items: [{ instanceId: inst, amounts: [1] }],
      fileIds: [photo],
      submit: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().state).toBe('submitted');
    expect(res.json().similarFlags).toBeGreaterThanOrEqual(1);
    expect(await notificationsOf('unit_head', 'ledger.awaitingApproval', res.json().id)).toHaveLength(1);
    const flags = (await office.get(`/api/ledger/reports/${res.json().id}`)).json().flags;
    expect(flags).toContainEqual(
      expect.objectContaining({ file: expect.objectContaining({ id: photo }), otherReportId: reportId }),
    );
  });

  it('flags the very same upload reused in a second report of the unit', async () => {
    const r = (
      await liaison.post('/api/ledger/reports', {
        campaignId: main.id,
        summary: '复用照片',
        items: [{ instanceId: a2, amounts: [1] }],
        fileIds: [photo],
      })
    ).json();
    const s = await liaison.post(`/api/ledger/reports/${r.id}/transitions`, {
      action: 'submit',
      version: r.version,
    });
    const flags = (await office.get(`/api/ledger/reports/${r.id}`)).json().flags;
    expect(s.json().similarFlags).toBeGreaterThanOrEqual(1);
    expect(flags).toContainEqual(
      expect.objectContaining({
        file: expect.objectContaining({ id: photo }),
        otherReportId: reportId,
        distance: 0,
      }),
    );
  });
});
