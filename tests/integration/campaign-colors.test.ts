/**
 * Colours of task instances in the database (issue #4): recomputed from reports after a review, from the
 * stored aggregates by the daily sweep, history of changes, hooks called once per change, rules per
 * campaign, closed campaigns frozen.
 */

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../apps/server/src/jobs.ts';
import { reasonReader } from '../../apps/server/src/modules/campaigns/colors/reason.ts';
import {
  type ColorChange,
  onColorChanges,
  type RecolorScope,
  recolorInstances,
  runPendingHooks,
} from '../../apps/server/src/modules/campaigns/colors/recolor.ts';
import { recolorActiveCampaigns, sweepColors } from '../../apps/server/src/modules/campaigns/colors/sweep.ts';
import { listInstances } from '../../apps/server/src/modules/campaigns/tasks/service.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { getCalendar } from '../../apps/server/src/platform/calendar/service.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { makeTestApp, type TestApp, unitId } from '../helpers/app.ts';
import {
  insertCampaignRows,
  insertInstanceRow,
  insertReportRow,
  insertTaskRow,
  placeholderInstance,
} from '../helpers/campaign-rows.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
const seen: ColorChange[] = [];
let failHooks = false;
onColorChanges(async (_tx, changes) => {
  if (failHooks) throw new Error('hook failed');
  seen.push(...changes);
});

const DAY = 86_400_000;
/** 2026-03-02T02:00Z is Monday 2 March, 10:00 in Shanghai. */
const setDay = (date: string) => {
  t.clock.current = new Date(`${date}T10:00:00+08:00`);
};

async function recolor(scope: RecolorScope, cause: 'review' | 'sweep' | 'edit' | 'create' = 'review') {
  const cal = await getCalendar(t.ctx);
  return writeTx(t.ctx, SYSTEM_ACTOR, (tx) => recolorInstances(tx, cal, scope, cause));
}

interface Fixture {
  campaignId: string;
  taskId: string;
  a: string;
  b: string;
  unitA: string;
  unitB: string;
}

/** One campaign, one task (target: 10 次), two units' instances over March–April 2026. */
async function fixture(name: string): Promise<Fixture> {
  const db = t.ctx.database.db;
  const now = t.clock.now().toISOString();
  const { campaignId, activityId } = await insertCampaignRows(db, now, { name });
  const taskId = await insertTaskRow(db, now, {
    campaignId,
    activityId,
    title: '宣讲',
    targets: [{ label: '宣讲', quantity: 10, measure: '次' }],
  });
  const unitA = await unitId(t, '市委宣传部');
  const unitB = await unitId(t, '市教育和体育局');
  const instanceOf = (unit: string) =>
    insertInstanceRow(db, now, { campaignId, activityId, taskId, unitId: unit });
  return { campaignId, taskId, a: await instanceOf(unitA), b: await instanceOf(unitB), unitA, unitB };
}

function report(f: Fixture, instanceId: string, state: string, amounts: number[]) {
  return insertReportRow(t.ctx.database.db, t.clock.now().toISOString(), {
    campaignId: f.campaignId,
    unitId: instanceId === f.a ? f.unitA : f.unitB,
    instanceId,
    state,
    amounts,
  });
}

const instance = (id: string) =>
  t.ctx.database.db.selectFrom('task_instances').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const history = (id: string) =>
  t.ctx.database.db
    .selectFrom('task_instance_colors')
    .select(['previous', 'color', 'cause'])
    .where('instance_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();

beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe(`task instance colours on ${ENGINE}`, () => {
  it('colours new instances, keeps a history row per change and calls the hooks once per change', async () => {
    setDay('2026-03-02');
    const f = await fixture('颜色-创建');
    seen.length = 0;
    const changes = await recolor({ instanceIds: [f.a, f.b] }, 'create');
    expect(changes.map((c) => [c.previous, c.color])).toEqual([
      [null, 'blue'],
      [null, 'blue'],
    ]);
    expect(seen).toHaveLength(2);
    const a = await instance(f.a);
    // Stored without the figures that move daily; shown with them (see "reasons as read" below).
    expect(JSON.parse(a.color_reason)).toEqual({
      code: 'in_progress',
      params: { starts: '2026-03-01', due: '2026-04-30', progress: 0 },
    });
    expect((await reasonReader(t.ctx))(a.color_reason)).toEqual({
      code: 'in_progress',
      params: { due: '2026-04-30', progress: 0, expected: 3 },
    });
    expect(await history(f.a)).toEqual([{ previous: null, color: 'blue', cause: 'create' }]);
    // Nothing changed: nothing written, no hook.
    seen.length = 0;
    expect(await recolor({ instanceIds: [f.a, f.b] })).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('refreshes progress from reports: pending, accepted amounts, completion day', async () => {
    setDay('2026-03-10');
    const f = await fixture('颜色-报告');
    await recolor({ instanceIds: [f.a, f.b] }, 'create');
    await report(f, f.a, 'submitted', [4]);
    await report(f, f.a, 'draft', [10]);
    await recolor({ instanceIds: [f.a] });
    let a = await instance(f.a);
    expect([a.color, Number(a.pending_reports), Number(a.progress)]).toEqual(['blue', 1, 0]);

    await t.ctx.database.db
      .updateTable('ledger_reports')
      .set({ state: 'accepted', reviewed_at: t.clock.now().toISOString() })
      .where('state', '=', 'submitted')
      .where('campaign_id', '=', f.campaignId)
      .execute();
    const changes = await recolor({ instanceIds: [f.a] });
    a = await instance(f.a);
    // 4 of 10 by 10 March (16% of the window expected): ahead of schedule with an accepted report.
    expect([a.color, Number(a.progress), JSON.parse(a.amounts), Number(a.pending_reports)]).toEqual([
      'green',
      40,
      [4],
      0,
    ]);
    expect(JSON.parse(a.color_reason).code).toBe('on_track_accepted');
    expect(changes.map((c) => [c.previous, c.color])).toEqual([['blue', 'green']]);

    setDay('2026-03-20');
    await report(f, f.a, 'accepted', [7]);
    await recolor({ instanceIds: [f.a] });
    a = await instance(f.a);
    expect([a.color, Number(a.progress), a.done_on, JSON.parse(a.amounts)]).toEqual([
      'green',
      100,
      '2026-03-20',
      [11],
    ]);
    expect(JSON.parse(a.color_reason)).toEqual({
      code: 'done',
      params: { doneOn: '2026-03-20', progress: 100 },
    });
  });

  it('the sweep turns instances yellow late in the window and red after the deadline, once each', async () => {
    setDay('2026-03-02');
    const f = await fixture('颜色-巡检');
    await recolor({ instanceIds: [f.a, f.b] }, 'create');
    await report(f, f.a, 'accepted', [10]);
    await recolor({ instanceIds: [f.a] });
    // 20 April: 51 of 61 days gone (83%), 17% left, nothing done → yellow.
    setDay('2026-04-20');
    seen.length = 0;
    await recolorActiveCampaigns(t.ctx);
    const mine = () => seen.filter((c) => c.campaignId === f.campaignId);
    expect(mine().map((c) => [c.instanceId, c.previous, c.color])).toEqual([[f.b, 'blue', 'yellow']]);
    expect((await reasonReader(t.ctx))((await instance(f.b)).color_reason)).toEqual({
      code: 'behind_time_left',
      params: { due: '2026-04-30', progress: 0, expected: 83, leftPct: 17 },
    });
    // 8 May: after 劳动节 (1–5 May rest), 6–8 May are working days (9 May is an adjusted working Saturday).
    setDay('2026-05-08');
    seen.length = 0;
    await recolorActiveCampaigns(t.ctx);
    expect(mine().map((c) => [c.instanceId, c.previous, c.color])).toEqual([[f.b, 'yellow', 'red']]);
    const b = await instance(f.b);
    expect(JSON.parse(b.color_reason)).toEqual({
      code: 'overdue',
      params: { due: '2026-04-30', progress: 0 },
    });
    expect((await reasonReader(t.ctx))(b.color_reason)).toEqual({
      code: 'overdue',
      params: { due: '2026-04-30', lateWorkingDays: 3, progress: 0 },
    });
    expect(await history(f.b)).toEqual([
      { previous: null, color: 'blue', cause: 'create' },
      { previous: 'blue', color: 'yellow', cause: 'sweep' },
      { previous: 'yellow', color: 'red', cause: 'sweep' },
    ]);
    // A second sweep the same day changes nothing.
    seen.length = 0;
    await recolorActiveCampaigns(t.ctx);
    expect(mine()).toEqual([]);
    // The completed instance stays green.
    expect((await instance(f.a)).color).toBe('green');
  });

  it('a returned report left more than 3 working days turns yellow; resubmitting clears it', async () => {
    setDay('2026-03-02');
    const f = await fixture('颜色-退回');
    await recolor({ instanceIds: [f.a] }, 'create');
    const id = await report(f, f.a, 'returned', [1]);
    await recolor({ instanceIds: [f.a] });
    expect((await instance(f.a)).returned_at).toBe('2026-03-02');
    setDay('2026-03-05');
    await recolorActiveCampaigns(t.ctx);
    expect((await instance(f.a)).color).toBe('blue');
    setDay('2026-03-06');
    await recolorActiveCampaigns(t.ctx);
    let a = await instance(f.a);
    expect([a.color, (await reasonReader(t.ctx))(a.color_reason)]).toEqual([
      'yellow',
      { code: 'returned_stale', params: { returnedOn: '2026-03-02', workingDays: 4 } },
    ]);
    await t.ctx.database.db
      .updateTable('ledger_reports')
      .set({ state: 'submitted' })
      .where('id', '=', id)
      .execute();
    await recolor({ instanceIds: [f.a] });
    a = await instance(f.a);
    expect([a.color, a.returned_at, Number(a.pending_reports)]).toEqual(['blue', null, 1]);
  });

  it("applies the campaign's rules (Yinchuan points) and freezes closed campaigns", async () => {
    setDay('2026-03-02');
    const f = await fixture('颜色-规则');
    await recolor({ instanceIds: [f.a, f.b] }, 'create');
    // 1 April: 32 of 61 days (52%), nothing done: 52 points behind → red under Yinchuan, blue by default.
    setDay('2026-04-01');
    await recolor({ campaignId: f.campaignId }, 'edit');
    expect((await instance(f.a)).color).toBe('blue');
    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ color_rules: JSON.stringify({ preset: 'yinchuan', lagYellowPoints: 10, lagRedPoints: 30 }) })
      .where('id', '=', f.campaignId)
      .execute();
    await recolor({ campaignId: f.campaignId }, 'edit');
    const a = await instance(f.a);
    expect([a.color, JSON.parse(a.color_reason).code]).toEqual(['red', 'lagging']);

    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ status: 'closed' })
      .where('id', '=', f.campaignId)
      .execute();
    t.clock.advance(60 * DAY);
    await recolorActiveCampaigns(t.ctx);
    expect((await instance(f.a)).color_reason).toBe(a.color_reason);
  });
});

describe(`reasons as read, rows rewritten and supervision run once, on ${ENGINE}`, () => {
  const db = () => t.ctx.database.db;
  const versions = async (f: Fixture) =>
    (
      await db()
        .selectFrom('task_instances')
        .select(['id', 'version', 'color_reason'])
        .where('campaign_id', '=', f.campaignId)
        .orderBy('id')
        .execute()
    ).map((r) => [r.id, Number(r.version), r.color_reason]);
  const supervision = (f: Fixture) =>
    db()
      .selectFrom('supervision_records')
      .select(['instance_id', 'kind', 'number'])
      .where('campaign_id', '=', f.campaignId)
      .orderBy('id')
      .execute();
  const pending = async () =>
    Number(
      (
        await db()
          .selectFrom('task_instance_colors')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('hooks_pending', '=', 1)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("computes the daily figures when a reason is read: they move with the clock, the stored row doesn't", async () => {
    setDay('2026-03-02');
    const f = await fixture('原因-读取');
    await recolor({ instanceIds: [f.a, f.b] }, 'create');
    setDay('2026-05-06');
    await recolorActiveCampaigns(t.ctx);
    const stored = (await instance(f.a)).color_reason;
    expect(JSON.parse(stored)).toEqual({ code: 'overdue', params: { due: '2026-04-30', progress: 0 } });
    // 6 May is the first working day after 劳动节 (1–5 May): one working day late.
    expect((await reasonReader(t.ctx))(stored)).toEqual({
      code: 'overdue',
      params: { due: '2026-04-30', lateWorkingDays: 1, progress: 0 },
    });
    // Two days on, no sweep: the same stored row reads three working days late (7, 8 May and 6 May).
    setDay('2026-05-08');
    expect((await instance(f.a)).color_reason).toBe(stored);
    expect((await reasonReader(t.ctx))(stored)).toEqual({
      code: 'overdue',
      params: { due: '2026-04-30', lateWorkingDays: 3, progress: 0 },
    });
    // The campaign's instance list (GET /api/campaigns/:id/instances) shows the figures of the day too.
    const listed = await listInstances(t.ctx, { kind: 'all' }, f.campaignId, { page: 1, pageSize: 10 });
    expect(listed.items.map((i) => i.reason)).toEqual([
      { code: 'overdue', params: { due: '2026-04-30', lateWorkingDays: 3, progress: 0 } },
      { code: 'overdue', params: { due: '2026-04-30', lateWorkingDays: 3, progress: 0 } },
    ]);
    // A placeholder reason (an instance not coloured yet) reads as none.
    expect((await reasonReader(t.ctx))('{}')).toBeNull();
  });

  it('a sweep on a later day rewrites no instance whose colour, rule and progress stay', async () => {
    setDay('2026-03-02');
    const f = await fixture('原因-不重写');
    await recolor({ instanceIds: [f.a, f.b] }, 'create');
    await report(f, f.a, 'accepted', [3]);
    await recolor({ instanceIds: [f.a] });
    setDay('2026-03-03');
    await recolorActiveCampaigns(t.ctx);
    const before = await versions(f);
    // Each day the expected progress grows (blue, then green ahead of it) but no colour changes…
    for (const day of ['2026-03-04', '2026-03-05', '2026-03-09']) {
      setDay(day);
      await recolorActiveCampaigns(t.ctx);
      expect(await versions(f)).toEqual(before);
    }
    expect((await instance(f.a)).color).toBe('green');
    expect((await instance(f.b)).color).toBe('blue');
    // …until one does: then that row alone is rewritten (a's 30% is ahead of the 19% expected on 12 March).
    setDay('2026-03-12');
    await recolorActiveCampaigns(t.ctx);
    expect([(await instance(f.a)).color, (await instance(f.b)).color]).toEqual(['green', 'blue']);
    setDay('2026-04-20');
    await report(f, f.a, 'accepted', [7]);
    await recolor({ instanceIds: [f.a] });
    const done = await versions(f);
    await recolorActiveCampaigns(t.ctx);
    const after = await versions(f);
    expect(after.filter((r, i) => r[1] !== done[i]?.[1]).map((r) => r[0])).toEqual([f.b]);
    expect((await instance(f.b)).color).toBe('yellow');
    // A red instance stays red, its days late growing, without being rewritten.
    setDay('2026-05-06');
    await recolorActiveCampaigns(t.ctx);
    const red = await versions(f);
    setDay('2026-05-12');
    await recolorActiveCampaigns(t.ctx);
    expect(await versions(f)).toEqual(red);
  });

  it('supervises each colour change of the sweep exactly once: re-run, interrupted, or run twice at once', async () => {
    setDay('2026-03-02');
    const f = await fixture('督办-一次');
    await recolor({ instanceIds: [f.a, f.b] }, 'create');
    await runPendingHooks(t.ctx);
    // The sweep's transaction commits the colours and leaves their supervision pending (as if the process
    // stopped right after it)…
    setDay('2026-04-20');
    await sweepColors(t.ctx);
    expect([(await instance(f.a)).color, (await instance(f.b)).color]).toEqual(['yellow', 'yellow']);
    expect(await supervision(f)).toEqual([]);
    expect(await pending()).toBeGreaterThanOrEqual(2);
    // …a failing hook rolls its own transaction back and leaves them pending…
    failHooks = true;
    await expect(runPendingHooks(t.ctx)).rejects.toThrow('hook failed');
    failHooks = false;
    expect(await supervision(f)).toEqual([]);
    // …the scheduler's job (every five minutes) creates them, once; the next day's sweep finds nothing left.
    const job = JOBS.find((j) => j.name === 'campaigns.supervise');
    if (!job) throw new Error('no job campaigns.supervise');
    expect(((await job.run(t.ctx)) as { changes: number }).changes).toBeGreaterThanOrEqual(2);
    expect(await pending()).toBe(0);
    const reminders = await supervision(f);
    setDay('2026-04-21');
    await recolorActiveCampaigns(t.ctx);
    expect(reminders.map((r) => [r.instance_id, r.kind]).sort()).toEqual(
      [
        [f.a, 'reminder'],
        [f.b, 'reminder'],
      ].sort(),
    );
    expect(await pending()).toBe(0);
    await recolorActiveCampaigns(t.ctx);
    expect(await runPendingHooks(t.ctx)).toEqual({ changes: 0 });
    expect(await supervision(f)).toEqual(reminders);
    // Red after the deadline: one 督办单 each, even with two runners racing for the same pending changes.
    setDay('2026-05-06');
    await sweepColors(t.ctx);
    const runs = await Promise.all([runPendingHooks(t.ctx), runPendingHooks(t.ctx)]);
    expect(runs.reduce((n, r) => n + r.changes, 0)).toBeGreaterThanOrEqual(2);
    await recolorActiveCampaigns(t.ctx);
    const orders = (await supervision(f)).filter((r) => r.kind === 'order');
    expect(orders.map((r) => r.instance_id).sort()).toEqual([f.a, f.b].sort());
    expect(new Set(orders.map((r) => r.number)).size).toBe(2);
  });
});

describe(`a sweep larger than one write, on ${ENGINE}`, () => {
  it('writes each of 6,000 changed instances once, in several statements, with one history row each', async () => {
    setDay('2026-03-02');
    const f = await fixture('颜色-大批');
    const db = t.ctx.database.db;
    const now = t.clock.now().toISOString();
    const activityId = (
      await db
        .selectFrom('task_instances')
        .select('activity_id')
        .where('id', '=', f.a)
        .executeTakeFirstOrThrow()
    ).activity_id;
    // 6,000 more placeholders (cycles n0…): more changed rows than recolouring writes in one statement
    const N = 6000;
    for (let i = 0; i < N; i += 500)
      await db
        .insertInto('task_instances')
        .values(
          Array.from({ length: Math.min(500, N - i) }, (_, k) =>
            placeholderInstance(now, {
              campaignId: f.campaignId,
              activityId,
              taskId: f.taskId,
              unitId: f.unitA,
              cycle: `n${i + k}`,
            }),
          ),
        )
        .execute();
    setDay('2026-05-06');
    await sweepColors(t.ctx);
    const rows = await db
      .selectFrom('task_instances')
      .select(['id', 'color', 'version'])
      .where('campaign_id', '=', f.campaignId)
      .execute();
    expect(rows.length).toBe(N + 2);
    expect(rows.filter((r) => r.color !== 'red')).toEqual([]);
    expect(rows.filter((r) => Number(r.version) !== 2)).toEqual([]);
    const changes = await db
      .selectFrom('task_instance_colors as h')
      .innerJoin('task_instances as i', 'i.id', 'h.instance_id')
      .select(['h.instance_id', 'h.previous', 'h.color'])
      .where('i.campaign_id', '=', f.campaignId)
      .execute();
    expect(changes.length).toBe(N + 2);
    expect(new Set(changes.map((c) => c.instance_id)).size).toBe(N + 2);
    expect(changes.every((c) => c.previous === 'blue' && c.color === 'red')).toBe(true);
  });
});

describe(`indexes of task_instances on ${ENGINE}`, () => {
  /** What recolouring and a report rewrite on an instance (recolor.ts `Update`, and the version). */
  const REWRITTEN = [
    'color',
    'color_reason',
    'color_at',
    'progress',
    'amounts',
    'accepted_reports',
    'pending_reports',
    'returned_at',
    'done_on',
    'version',
  ];

  /** PostgreSQL: each index's columns. */
  const indexed = async () =>
    (
      await sql<{ index: string; column: string }>`select i.relname as index, a.attname as column
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class r on r.oid = x.indrelid
        join pg_attribute a on a.attrelid = r.oid and a.attnum = any(x.indkey)
        where r.relname = 'task_instances'`.execute(t.ctx.database.db)
    ).rows;

  it(
    ENGINE === 'postgres'
      ? 'no index holds a rewritten column and pages keep room, so rewrites can be heap-only'
      : 'the battle map matrix reads its covering index alone',
    async () => {
      const db = t.ctx.database.db;
      if (ENGINE === 'postgres') {
        const columns = await indexed();
        expect(new Set(columns.map((r) => r.index))).toContain('task_instances_campaign');
        expect(columns.filter((r) => REWRITTEN.includes(r.column))).toEqual([]);
        const table = await sql<{ reloptions: string[] | null }>`select reloptions from pg_class
          where relname = 'task_instances'`.execute(db);
        expect(table.rows[0]?.reloptions).toContain('fillfactor=70');
        return;
      }
      // the query of battlemap/repo.ts matrixRows for a caller who sees every unit, without filters
      const plan = await sql<{ detail: string }>`explain query plan
        select task_id, unit_id, color, count(*), sum(progress), min(due_on || color_reason)
        from task_instances where campaign_id = ${'c'} group by task_id, unit_id, color`.execute(db);
      expect(plan.rows.map((r) => r.detail).join('\n')).toContain(
        'USING COVERING INDEX task_instances_battlemap',
      );
    },
  );
});
