/**
 * Campaign tasks (issue #4): activation turns leaf activities into tasks and tasks into instances
 * (task × unit × cycle); editing tasks, units and settings; bad input; copy to a new year; close;
 * deployments with acknowledgements; permissions and data scope.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../apps/server/src/jobs.ts';
import { generateInstances } from '../../apps/server/src/modules/campaigns/tasks/instances.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { getCalendar } from '../../apps/server/src/platform/calendar/service.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { COLOR_PRESETS } from '../../packages/contracts/src/index.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

const FIXTURES = path.join(import.meta.dirname, '../../apps/server/src/modules/campaigns/plan/fixtures');
const SEED = readFileSync(path.join(FIXTURES, '001_785ff53e928aa9e6.txt'), 'utf8');
const NO_UNITS_PLAN =
  '2026年测试方案\n一、重点任务\n1.开展“甲”活动。责任单位：市委宣传部\n2.开展“乙”活动，年底前完成。\n';

interface Activity {
  id: string;
  numeral: string;
  cadence: string | null;
  units: { unitId: string; name: string; role: string }[];
}
interface Detail {
  id: string;
  status: string;
  version: number;
  startsOn: string;
  endsOn: string;
  colorRules: { preset: string } | null;
  copiedFrom: string | null;
  sections: { activities: Activity[] }[];
}
interface Task {
  id: string;
  activityId: string;
  title: string;
  cadence: string;
  startsOn: string;
  dueOn: string;
  weight: number;
  targets: { label: string; quantity: number; measure: string }[];
  version: number;
  instances: number;
}

/** Cycles of a whole-year 2026 window, written out by hand: once/periodic/yearly 1, quarterly 4, monthly 12. */
const CYCLES_2026: Record<string, number> = { once: 1, periodic: 1, yearly: 1, quarterly: 4, monthly: 12 };

let t: TestApp;
let office: Client;
let liaison: Client;
let leader: Client;
let campaign: Detail;
let activities: Activity[];
let tasks: Task[];

const count = async (table: 'task_instances' | 'campaign_tasks' | 'campaigns', campaignId?: string) => {
  let q = t.ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (campaignId && table !== 'campaigns') q = q.where('campaign_id', '=', campaignId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
};
const instancesOfTask = async (taskId: string) =>
  Number(
    (
      await t.ctx.database.db
        .selectFrom('task_instances')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('task_id', '=', taskId)
        .executeTakeFirst()
    )?.n ?? 0,
  );
const taskOf = (numeral: string) => {
  const a = activities.find((x) => x.numeral.replace(/\D/g, '') === numeral);
  const task = tasks.find((x) => x.activityId === a?.id);
  if (!a || !task) throw new Error(`no task for activity ${numeral}`);
  return { a, task };
};
const reloadTasks = async () => {
  tasks = (await office.get(`/api/campaigns/${campaign.id}/tasks`)).json().items;
};

beforeAll(async () => {
  t = await makeTestApp();
  office = await signedIn(t.app, 'office_admin');
  liaison = await signedIn(t.app, 'liaison');
  leader = await signedIn(t.app, 'leader');
  const res = await office.post('/api/campaigns', { name: '文明城市创建', year: 2026, text: SEED });
  expect(res.statusCode).toBe(201);
  campaign = res.json();
  activities = campaign.sections.flatMap((s) => s.activities);
});
afterAll(async () => {
  await t?.close();
});

describe(`campaign tasks on ${ENGINE}`, () => {
  it('a draft has its window from the plan and no tasks or instances yet', async () => {
    expect(campaign).toMatchObject({ status: 'draft', startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect((await office.get(`/api/campaigns/${campaign.id}/tasks`)).json().items).toEqual([]);
    expect((await office.get(`/api/campaigns/${campaign.id}/instances`)).json()).toEqual({
      items: [],
      total: 0,
    });
  });

  it('refuses to activate a plan with an activity without units, naming it, and changes nothing', async () => {
    const other = (
      await office.post('/api/campaigns', { name: '测试', year: 2026, text: NO_UNITS_PLAN })
    ).json();
    const audits = await auditCount(t);
    const res = await office.post(`/api/campaigns/${other.id}/activate`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CAMPAIGN_ACTIVITIES_WITHOUT_UNITS');
    expect(res.json().error.message).toContain('2');
    expect((await office.get(`/api/campaigns/${other.id}`)).json().status).toBe('draft');
    expect(await count('campaign_tasks', other.id)).toBe(0);
    expect(await auditCount(t)).toBe(audits);
    expect((await office.delete(`/api/campaigns/${other.id}`)).statusCode).toBe(204);
  });

  it('activates seed 001: one task per leaf activity, one instance per task × unit × cycle', async () => {
    const audits = await auditCount(t);
    const res = await office.post(`/api/campaigns/${campaign.id}/activate`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('active');
    // 18 activities, none nested: 18 tasks
    expect(body.created.tasks).toBe(18);
    const expected = activities.reduce((n, a) => n + a.units.length * CYCLES_2026[a.cadence ?? 'once'], 0);
    // by hand: 452 with activity 12 quarterly over Sep–Dec 2022; over 2026 its 23 units have 4 quarters
    expect(expected).toBe(498);
    expect(body.created.instances).toBe(expected);
    expect(await count('task_instances', campaign.id)).toBe(expected);
    expect(await auditCount(t)).toBe(audits + 1);
    campaign = body;
    await reloadTasks();
    expect(tasks).toHaveLength(18);
    for (const a of activities) expect(tasks.filter((x) => x.activityId === a.id)).toHaveLength(1);

    const five = taskOf('5').task;
    expect(five).toMatchObject({
      title: '提质提效 文明服务',
      cadence: 'yearly',
      startsOn: '2026-01-01',
      dueOn: '2026-12-31',
      weight: 1,
      targets: [{ label: '创建竞赛先进集体和先进个人', quantity: 100, measure: '个' }],
      instances: 38,
    });
    expect(taskOf('12').task).toMatchObject({ cadence: 'quarterly', instances: 92 });
    expect(taskOf('14').task.cadence).toBe('once');
    expect(taskOf('4').task.targets).toEqual([
      { label: '强基固本工程', quantity: 8, measure: '项' },
      { label: '攻坚克难行动', quantity: 10, measure: '项' },
      { label: '重点点位', quantity: 30, measure: '类' },
    ]);
  });

  it('every instance got a colour, a reason and a history row; cycles are dated', async () => {
    const page = (
      await office.get(`/api/campaigns/${campaign.id}/instances?taskId=${taskOf('12').task.id}&pageSize=500`)
    ).json();
    expect(page.total).toBe(92);
    const cycles = [...new Set(page.items.map((i: { cycle: string }) => i.cycle))].sort();
    expect(cycles).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const q3 = page.items.find((i: { cycle: string }) => i.cycle === '2026-Q3');
    expect(q3).toMatchObject({
      startsOn: '2026-07-01',
      dueOn: '2026-09-30',
      progress: 0,
      taskTitle: taskOf('12').task.title,
    });
    // 2026-03-02: Q3 has not started
    expect(q3.color).toBe('blue');
    expect(q3.reason).toEqual({ code: 'not_started', params: { starts: '2026-07-01', due: '2026-09-30' } });
    const history = await t.ctx.database.db
      .selectFrom('task_instance_colors as h')
      .innerJoin('task_instances as i', 'i.id', 'h.instance_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('i.campaign_id', '=', campaign.id)
      .where('h.cause', '=', 'create')
      .executeTakeFirst();
    expect(Number(history?.n)).toBe(498);
    const red = (await office.get(`/api/campaigns/${campaign.id}/instances?color=red`)).json();
    expect(red.total).toBe(0);
    const { a } = taskOf('9');
    const nine = (
      await office.get(`/api/campaigns/${campaign.id}/instances?activityId=${a.id}&page=2&pageSize=50`)
    ).json();
    expect(nine.total).toBe(56);
    expect(nine.items).toHaveLength(6);
    expect(nine.items.every((i: { role: string }) => i.role === 'co')).toBe(true);
  });

  it('a second activation is refused and generating again adds nothing (also the daily job)', async () => {
    const res = await office.post(`/api/campaigns/${campaign.id}/activate`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CAMPAIGN_NOT_DRAFT');
    const cal = await getCalendar(t.ctx);
    expect(await writeTx(t.ctx, SYSTEM_ACTOR, (tx) => generateInstances(tx, cal, campaign.id))).toBe(0);
    const job = JOBS.find((j) => j.name === 'campaigns.instances');
    expect(await job?.run(t.ctx)).toEqual({ campaigns: 1, created: 0 });
    expect(await count('task_instances', campaign.id)).toBe(498);
  });

  it('an instance deleted by accident comes back with the daily job', async () => {
    const one = await t.ctx.database.db
      .selectFrom('task_instances')
      .select('id')
      .where('task_id', '=', taskOf('1').task.id)
      .executeTakeFirstOrThrow();
    await t.ctx.database.db.deleteFrom('task_instances').where('id', '=', one.id).execute();
    const job = JOBS.find((j) => j.name === 'campaigns.instances');
    expect(await job?.run(t.ctx)).toEqual({ campaigns: 1, created: 1 });
    expect(await instancesOfTask(taskOf('1').task.id)).toBe(3);
  });

  it('editing a task’s cadence and window regenerates its instances; a stale version is refused', async () => {
    const { task } = taskOf('12');
    const monthly = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version,
      cadence: 'monthly',
    });
    expect(monthly.statusCode).toBe(200);
    expect(monthly.json()).toMatchObject({
      cadence: 'monthly',
      version: task.version + 1,
      instances: 23 * 12,
    });
    expect(await count('task_instances', campaign.id)).toBe(498 - 92 + 276);

    const stale = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version,
      title: 'x',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');

    const half = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version + 1,
      startsOn: '2026-07-01',
    });
    expect(half.statusCode).toBe(200);
    expect(half.json().instances).toBe(23 * 6);
    const first = (
      await office.get(`/api/campaigns/${campaign.id}/instances?taskId=${task.id}&pageSize=1`)
    ).json().items[0];
    expect(first).toMatchObject({ cycle: '2026-07', startsOn: '2026-07-01', dueOn: '2026-07-31' });
    await reloadTasks();
  });

  it('never removes an instance with report items: 409, nothing changed; the task cannot be deleted', async () => {
    const { task } = taskOf('12');
    const dec = await t.ctx.database.db
      .selectFrom('task_instances')
      .select(['id', 'unit_id'])
      .where('task_id', '=', task.id)
      .where('cycle', '=', '2026-12')
      .executeTakeFirstOrThrow();
    const now = t.clock.now().toISOString();
    await t.ctx.database.db
      .insertInto('ledger_reports')
      .values({
        id: '01900000-0000-7000-8000-0000000000a1',
        campaign_id: campaign.id,
        unit_id: dec.unit_id,
        author_id: null,
        state: 'submitted',
        sla_color: 'green',
        summary: '已开展',
        similar_flags: 0,
        submitted_at: now,
        approved_by: null,
        reviewed_by: null,
        reviewed_at: null,
        return_reason: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.ctx.database.db
      .insertInto('ledger_report_items')
      .values({ report_id: '01900000-0000-7000-8000-0000000000a1', instance_id: dec.id, amounts: '[]' })
      .execute();
    const [before, audits] = [await count('task_instances', campaign.id), await auditCount(t)];
    const res = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version,
      dueOn: '2026-11-30',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CAMPAIGN_INSTANCES_HAVE_REPORTS');
    const del = await office.delete(`/api/campaigns/${campaign.id}/tasks/${task.id}`);
    expect(del.statusCode).toBe(409);
    expect(await count('task_instances', campaign.id)).toBe(before);
    expect(await auditCount(t)).toBe(audits);
    const same = (await office.get(`/api/campaigns/${campaign.id}/tasks`))
      .json()
      .items.find((x: Task) => x.id === task.id);
    expect(same).toMatchObject({ dueOn: '2026-12-31', version: task.version });
    // a window that keeps the reported cycle is fine
    const keep = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version,
      startsOn: '2026-10-01',
    });
    expect(keep.statusCode).toBe(200);
    expect(keep.json().instances).toBe(23 * 3);
    await reloadTasks();
  });

  const BAD: [string, Record<string, unknown>, string][] = [
    ['due before start', { startsOn: '2026-06-01', dueOn: '2026-05-31' }, 'dueOn'],
    ['start before the campaign', { startsOn: '2025-12-31' }, 'startsOn'],
    ['due after the campaign', { dueOn: '2027-01-01' }, 'dueOn'],
    ['not a date', { dueOn: '2026-02-30' }, 'dueOn'],
    ['weight 0', { weight: 0 }, 'weight'],
    ['weight 101', { weight: 101 }, 'weight'],
    ['weight 2.5', { weight: 2.5 }, 'weight'],
    ['quantity 0', { targets: [{ label: '场次', quantity: 0, measure: '场' }] }, 'targets.0.quantity'],
    ['quantity -3', { targets: [{ label: '场次', quantity: -3, measure: '场' }] }, 'targets.0.quantity'],
    ['2.5 个', { targets: [{ label: '先进集体', quantity: 2.5, measure: '个' }] }, 'targets.0.quantity'],
    [
      '1.5 人',
      {
        targets: [
          { label: 'a', quantity: 1, measure: '项' },
          { label: '志愿者', quantity: 1.5, measure: '人' },
        ],
      },
      'targets.1.quantity',
    ],
    ['120 %', { targets: [{ label: '知晓率', quantity: 120, measure: '%' }] }, 'targets.0.quantity'],
    [
      '21 targets',
      { targets: Array.from({ length: 21 }, () => ({ label: 'x', quantity: 1, measure: '个' })) },
      'targets',
    ],
    ['empty label', { targets: [{ label: ' ', quantity: 1, measure: '个' }] }, 'targets.0.label'],
    ['unknown cadence', { cadence: 'weekly' }, 'cadence'],
    ['empty title', { title: '   ' }, 'title'],
  ];
  for (const [name, patch, field] of BAD)
    it(`refuses a task edit with ${name}: 400 on ${field}, nothing changed`, async () => {
      const { task } = taskOf('5');
      const audits = await auditCount(t);
      office.lang = 'en-US';
      const res = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
        version: task.version,
        ...patch,
      });
      office.lang = undefined;
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(res.json().error.fields.every((f: { message: string }) => f.message.length > 0)).toBe(true);
      expect(await auditCount(t)).toBe(audits);
      const now = (await office.get(`/api/campaigns/${campaign.id}/tasks`))
        .json()
        .items.find((x: Task) => x.id === task.id);
      expect(now).toEqual({ ...task, updatedAt: now.updatedAt });
      expect(now.version).toBe(task.version);
    });

  it('accepts a decimal quantity in a measure that allows it, and 100 %', async () => {
    const { task } = taskOf('5');
    const res = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version,
      targets: [
        { label: '先进集体', quantity: 100, measure: '个' },
        { label: '知晓率', quantity: 100, measure: '%' },
        { label: '绿化面积', quantity: 2.5, measure: '公顷' },
      ],
      weight: 5,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ weight: 5, version: task.version + 1, instances: 38 });
    const one = (
      await office.get(`/api/campaigns/${campaign.id}/instances?taskId=${task.id}&pageSize=1`)
    ).json().items[0];
    expect(one.targets).toHaveLength(3);
    await reloadTasks();
  });

  it('adds a task under an activity (its units, the campaign window) and deletes it', async () => {
    const { a } = taskOf('1');
    const res = await office.post(`/api/campaigns/${campaign.id}/tasks`, {
      activityId: a.id,
      title: '主题宣讲',
      cadence: 'half_yearly',
      targets: [{ label: '宣讲场次', quantity: 10, measure: '场' }],
    });
    expect(res.statusCode).toBe(201);
    const added = res.json();
    expect(added).toMatchObject({ startsOn: '2026-01-01', dueOn: '2026-12-31', instances: 3 * 2, weight: 1 });
    const bad = await office.post(`/api/campaigns/${campaign.id}/tasks`, {
      activityId: campaign.id,
      title: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('activityId');
    const del = await office.delete(`/api/campaigns/${campaign.id}/tasks/${added.id}`);
    expect(del.statusCode).toBe(204);
    expect(await instancesOfTask(added.id)).toBe(0);
    expect((await office.delete(`/api/campaigns/${campaign.id}/tasks/${added.id}`)).statusCode).toBe(404);
  });

  it('edits an activity’s units: instances follow; bad unit lists are refused', async () => {
    const { a, task } = taskOf('1');
    const [xc, zz] = [await unitId(t, '市委宣传部'), await unitId(t, '市委组织部')];
    const res = await office.put(`/api/campaigns/${campaign.id}/activities/${a.id}/units`, {
      lead: [xc],
      co: [zz],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().units).toEqual([
      { unitId: xc, name: '市委宣传部', role: 'lead' },
      { unitId: zz, name: '市委组织部', role: 'co' },
    ]);
    expect(await instancesOfTask(task.id)).toBe(2);
    const swap = await office.put(`/api/campaigns/${campaign.id}/activities/${a.id}/units`, {
      lead: [zz],
      co: [xc],
    });
    expect(swap.statusCode).toBe(200);
    const roles = await t.ctx.database.db
      .selectFrom('task_instances')
      .select(['unit_id', 'role'])
      .where('task_id', '=', task.id)
      .execute();
    expect(Object.fromEntries(roles.map((r) => [r.unit_id, r.role]))).toEqual({ [zz]: 'lead', [xc]: 'co' });

    for (const [body, field] of [
      [{ lead: [], co: [] }, 'lead'],
      [{ lead: [xc], co: [xc] }, 'co.0'],
      [{ lead: ['01900000-0000-7000-8000-000000000000'], co: [] }, 'lead.0'],
      [{ lead: ['nope'], co: [] }, 'lead.0'],
    ] as const) {
      const r = await office.put(`/api/campaigns/${campaign.id}/activities/${a.id}/units`, body);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields[0].field).toBe(field);
    }
    expect(await instancesOfTask(task.id)).toBe(2);
  });

  it('changes the colour rules (a preset) and refuses impossible rules field by field', async () => {
    const detail = (await office.get(`/api/campaigns/${campaign.id}`)).json() as Detail;
    const shangqiu = {
      preset: 'shangqiu',
      yellowTimeLeft: 0.3,
      orangeTimeLeft: 0.15,
      lagYellowPoints: null,
      lagRedPoints: null,
      returnedGraceWorkingDays: 3,
    };
    const ok = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: detail.version,
      colorRules: shangqiu,
      requiresUnitApproval: true,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      colorRules: shangqiu,
      requiresUnitApproval: true,
      version: detail.version + 1,
    });
    const edited = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: detail.version + 1,
      colorRules: { ...shangqiu, yellowTimeLeft: 0.4 },
    });
    expect(edited.json().colorRules.preset).toBe('custom');

    const BAD_RULES: [Record<string, unknown>, string][] = [
      [{ yellowTimeLeft: 1 }, 'colorRules.yellowTimeLeft'],
      [{ yellowTimeLeft: 0 }, 'colorRules.yellowTimeLeft'],
      [{ orangeTimeLeft: 0.5 }, 'colorRules.orangeTimeLeft'],
      [{ lagYellowPoints: 30, lagRedPoints: 10 }, 'colorRules.lagRedPoints'],
      [{ lagYellowPoints: 10.5, lagRedPoints: 30 }, 'colorRules.lagYellowPoints'],
      [{ returnedGraceWorkingDays: -1 }, 'colorRules.returnedGraceWorkingDays'],
      [{ preset: 'other' }, 'colorRules.preset'],
    ];
    for (const [change, field] of BAD_RULES) {
      const r = await office.patch(`/api/campaigns/${campaign.id}`, {
        version: detail.version + 2,
        colorRules: { ...shangqiu, ...change },
      });
      expect(r.statusCode, JSON.stringify(change)).toBe(400);
      expect(r.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const narrow = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: detail.version + 2,
      endsOn: '2026-06-30',
    });
    expect(narrow.statusCode).toBe(400);
    expect(narrow.json().error.fields[0].field).toBe('endsOn');
    const stale = await office.patch(`/api/campaigns/${campaign.id}`, { version: detail.version, name: 'x' });
    expect(stale.statusCode).toBe(409);
    const back = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: detail.version + 2,
      colorRules: null,
    });
    expect(back.json().colorRules).toBeNull();
  });

  it('new colour rules recolour the campaign at once, with history', async () => {
    const detail = (await office.get(`/api/campaigns/${campaign.id}`)).json() as Detail;
    const one = taskOf('1').task.id;
    const before = (await office.get(`/api/campaigns/${campaign.id}/instances?taskId=${one}`)).json();
    expect(before.items.map((i: { color: string }) => i.color)).toEqual(['blue', 'blue']);
    const yinchuan = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: detail.version,
      colorRules: COLOR_PRESETS.yinchuan,
    });
    expect(yinchuan.statusCode).toBe(200);
    // 2026-03-02: 61 of 365 days gone, nothing done → 16 points behind, at least yinchuan's 10 → yellow
    const after = (await office.get(`/api/campaigns/${campaign.id}/instances?taskId=${one}`)).json();
    expect(after.items.map((i: { color: string; reason: unknown }) => [i.color, i.reason])).toEqual([
      ['yellow', { code: 'lagging', params: { due: '2026-12-31', progress: 0, expected: 16, lag: 16 } }],
      ['yellow', { code: 'lagging', params: { due: '2026-12-31', progress: 0, expected: 16, lag: 16 } }],
    ]);
    const history = await t.ctx.database.db
      .selectFrom('task_instance_colors')
      .select(['previous', 'color', 'cause'])
      .where('instance_id', '=', after.items[0].id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(history.at(-1)).toEqual({ previous: 'blue', color: 'yellow', cause: 'edit' });
    await office.patch(`/api/campaigns/${campaign.id}`, { version: detail.version + 1, colorRules: null });
    const reset = (await office.get(`/api/campaigns/${campaign.id}/instances?taskId=${one}`)).json();
    expect(reset.items.map((i: { color: string }) => i.color)).toEqual(['blue', 'blue']);
  });

  it('sends a deployment to every unit of the campaign; acknowledgements are counted', async () => {
    const units = new Set(activities.flatMap((a) => a.units.map((u) => u.unitId)));
    const res = await office.post(`/api/campaigns/${campaign.id}/deployments`, {
      title: '关于开展“双争”活动的部署通知',
      body: '请各单位按方案抓好落实。',
      ackDueAt: new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString(),
    });
    expect(res.statusCode).toBe(201);
    // activity 1 now has two units instead of three: 市委党校 is still a unit of other activities?
    const detail = (await office.get(`/api/campaigns/${campaign.id}`)).json() as Detail;
    const now = new Set(
      detail.sections.flatMap((s) => s.activities.flatMap((a) => a.units.map((u) => u.unitId))),
    );
    expect(res.json().recipients).toBe(now.size);
    expect(now.size).toBeLessThanOrEqual(units.size);
    const notice = res.json().id;
    const ack = await liaison.post(`/api/notices/${notice}/ack`, {});
    expect(ack.statusCode).toBe(200);
    const list = (await office.get(`/api/campaigns/${campaign.id}/deployments`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: notice, counts: { total: now.size, acked: 1, overdue: 0 } });
    const mine = (await liaison.get(`/api/campaigns/${campaign.id}/deployments`)).json();
    expect(mine.items).toEqual([expect.objectContaining({ id: notice, counts: null })]);
    const bad = await office.post(`/api/campaigns/${campaign.id}/deployments`, { title: ' ', body: 'x' });
    expect(bad.statusCode).toBe(400);
    const past = await office.post(`/api/campaigns/${campaign.id}/deployments`, {
      title: 'x',
      body: 'y',
      ackDueAt: '2020-01-01T00:00:00.000Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields[0].field).toBe('ackDueAt');
  });

  it('a liaison sees only their unit’s instances and cannot edit; a leader reads everything', async () => {
    const health = await unitId(t, '市卫生健康局');
    const own = (await liaison.get(`/api/campaigns/${campaign.id}/instances?pageSize=500`)).json();
    const expected = Number(
      (
        await t.ctx.database.db
          .selectFrom('task_instances')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('campaign_id', '=', campaign.id)
          .where('unit_id', '=', health)
          .executeTakeFirst()
      )?.n,
    );
    expect(expected).toBeGreaterThan(0);
    expect(own.total).toBe(expected);
    expect(
      own.items.every(
        (i: { unitId: string; unitName: string }) => i.unitId === health && i.unitName === '市卫生健康局',
      ),
    ).toBe(true);
    const other = await unitId(t, '市委宣传部');
    expect((await liaison.get(`/api/campaigns/${campaign.id}/instances?unitId=${other}`)).json().total).toBe(
      0,
    );
    expect((await leader.get(`/api/campaigns/${campaign.id}/instances`)).json().total).toBe(
      await count('task_instances', campaign.id),
    );
    const { task } = taskOf('5');
    for (const c of [liaison, leader]) {
      expect(
        (
          await c.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
            version: task.version,
            title: 'x',
          })
        ).statusCode,
      ).toBe(403);
      expect((await c.post(`/api/campaigns/${campaign.id}/close`)).statusCode).toBe(403);
      expect((await c.get(`/api/campaigns/${campaign.id}/tasks`)).statusCode).toBe(200);
    }
  });

  it('copies the campaign to 2027 as a draft with every date a year later; a duplicate is refused', async () => {
    const res = await office.post(`/api/campaigns/${campaign.id}/copy`, { year: 2027 });
    expect(res.statusCode).toBe(201);
    const copy = res.json() as Detail;
    expect(copy).toMatchObject({
      status: 'draft',
      copiedFrom: campaign.id,
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
    });
    expect(copy.sections.flatMap((s) => s.activities)).toHaveLength(18);
    const copied = (await office.get(`/api/campaigns/${copy.id}/tasks`)).json().items as Task[];
    const source = (await office.get(`/api/campaigns/${campaign.id}/tasks`)).json().items as Task[];
    expect(copied).toHaveLength(source.length);
    const twelve = copied.find((x) => x.title === taskOf('12').task.title);
    expect(twelve).toMatchObject({
      cadence: 'monthly',
      startsOn: '2027-10-01',
      dueOn: '2027-12-31',
      instances: 0,
      version: 1,
    });
    expect(await count('task_instances', copy.id)).toBe(0);

    const other = await office.post(`/api/campaigns/${campaign.id}/copy`, { year: 2028, name: '另一份' });
    expect(other.statusCode).toBe(201);
    expect(await count('campaign_tasks', other.json().id)).toBe(source.length);
    expect((await office.delete(`/api/campaigns/${other.json().id}`)).statusCode).toBe(204);
    expect(await count('campaign_tasks', other.json().id)).toBe(0);

    const dup = await office.post(`/api/campaigns/${campaign.id}/copy`, { year: 2027 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CAMPAIGN_DUPLICATE');
    // activating the copy keeps the copied (edited) tasks: no new ones
    const act = await office.post(`/api/campaigns/${copy.id}/activate`);
    expect(act.statusCode).toBe(200);
    expect(act.json().created.tasks).toBe(0);
    expect(await instancesOfTask(twelve?.id ?? '')).toBe(23 * 3);
  });

  it('closes the campaign: no more edits, a second close is refused', async () => {
    const res = await office.post(`/api/campaigns/${campaign.id}/close`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('closed');
    const { task } = taskOf('5');
    const edit = await office.patch(`/api/campaigns/${campaign.id}/tasks/${task.id}`, {
      version: task.version,
      title: 'x',
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('CAMPAIGN_CLOSED');
    expect((await office.post(`/api/campaigns/${campaign.id}/close`)).json().error.code).toBe(
      'CAMPAIGN_NOT_ACTIVE',
    );
    expect(
      (await office.post(`/api/campaigns/${campaign.id}/deployments`, { title: 'x', body: 'y' })).statusCode,
    ).toBe(409);
    expect((await office.delete(`/api/campaigns/${campaign.id}`)).statusCode).toBe(409);
  });
});
