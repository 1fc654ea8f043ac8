/**
 * 挂图作战 (issue #4 item 7): the activities × units matrix, its filters and totals, the rankings, a cell's
 * instances and reports, the township map and the cockpit — on instances with known colours written straight
 * into the database, so every expected number below is worked out by hand. Scope per role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { seedCaseStats } from '../helpers/case-stats-rows.ts';
import { ENGINE } from '../helpers/db.ts';

const NOW = '2026-03-31T02:00:00.000Z'; // local date 2026-03-31, a Tuesday; March 2026 has no holidays
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

let t: TestApp;
let office: Client;
let leader: Client;
let liaison: Client;
let town: Client;

const ids = {
  campaign: uuidv7(),
  ph1: uuidv7(),
  ph2: uuidv7(),
  s1: uuidv7(),
  s2: uuidv7(),
  a1: uuidv7(),
  a2: uuidv7(),
  a3: uuidv7(),
  t1: uuidv7(),
  t2: uuidv7(),
  t3: uuidv7(),
  t4: uuidv7(),
};
/** Units: H 市卫生健康局 (the liaison's), P 市委宣传部, O 市委组织部, Y 裕华街道 (liaison_town's), B 霸州镇, S 胜芳镇. */
const u = { H: '', P: '', O: '', Y: '', B: '', S: '' };
const inst: Record<string, string> = {};

const overdue = (due: string, late: number, progress: number) =>
  JSON.stringify({ code: 'overdue', params: { due, lateWorkingDays: late, progress } });
const done = (doneOn: string) => JSON.stringify({ code: 'done', params: { doneOn, progress: 100 } });
const going = (due: string, progress: number) =>
  JSON.stringify({ code: 'in_progress', params: { due, progress, expected: 20 } });

async function build(): Promise<void> {
  const db = t.ctx.database.db;
  const now = NOW;
  for (const [k, name] of [
    ['H', '市卫生健康局'],
    ['P', '市委宣传部'],
    ['O', '市委组织部'],
    ['Y', '裕华街道'],
    ['B', '霸州镇'],
    ['S', '胜芳镇'],
  ] as const)
    u[k] = await unitId(t, name);
  await db
    .insertInto('campaigns')
    .values({
      id: ids.campaign,
      name: '挂图测试',
      year: 2026,
      doc_no: null,
      issued_on: null,
      source_text: '',
      status: 'active',
      starts_on: '2026-01-01',
      ends_on: '2026-12-31',
      color_rules: null,
      requires_unit_approval: false,
      copied_from: null,
      activated_at: now,
      closed_at: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('campaign_phases')
    .values([
      {
        id: ids.ph1,
        campaign_id: ids.campaign,
        seq: 1,
        name: '第一阶段',
        starts_on: '2026-01-01',
        ends_on: '2026-03-31',
      },
      {
        id: ids.ph2,
        campaign_id: ids.campaign,
        seq: 2,
        name: '第二阶段',
        starts_on: '2026-04-01',
        ends_on: '2026-12-31',
      },
    ])
    .execute();
  await db
    .insertInto('campaign_sections')
    .values([
      { id: ids.s1, campaign_id: ids.campaign, seq: 1, numeral: '（一）', title: '宣传教育' },
      { id: ids.s2, campaign_id: ids.campaign, seq: 2, numeral: '（二）', title: '基层创建' },
    ])
    .execute();
  const activity = (id: string, section: string, seq: number, name: string) => ({
    id,
    campaign_id: ids.campaign,
    section_id: section,
    parent_id: null,
    seq,
    numeral: `${seq}.`,
    name,
    description: '',
    cadence: null,
    deadline_text: null,
    deadline_on: null,
    weight: 1,
    targets: '[]',
    source_lines: '[]',
  });
  await db
    .insertInto('campaign_activities')
    .values([
      activity(ids.a1, ids.s1, 1, '理论学习'),
      activity(ids.a2, ids.s1, 2, '志愿服务'),
      activity(ids.a3, ids.s2, 3, '文明村镇'),
    ])
    .execute();
  await db
    .insertInto('campaign_activity_units')
    .values([
      { activity_id: ids.a1, unit_id: u.H, role: 'lead' },
      { activity_id: ids.a1, unit_id: u.P, role: 'co' },
      { activity_id: ids.a2, unit_id: u.H, role: 'lead' },
      { activity_id: ids.a2, unit_id: u.P, role: 'co' },
      { activity_id: ids.a2, unit_id: u.Y, role: 'co' },
      { activity_id: ids.a3, unit_id: u.Y, role: 'lead' },
      { activity_id: ids.a3, unit_id: u.B, role: 'co' },
      { activity_id: ids.a3, unit_id: u.H, role: 'co' },
      { activity_id: ids.a3, unit_id: u.O, role: 'co' },
    ])
    .execute();
  const task = (id: string, activityId: string, seq: number, weight: number) => ({
    id,
    campaign_id: ids.campaign,
    activity_id: activityId,
    seq,
    title: `任务${seq}`,
    description: '',
    cadence: 'once',
    starts_on: '2026-01-01',
    due_on: '2026-12-31',
    weight,
    targets: '[]',
    version: 1,
    created_at: now,
    updated_at: now,
  });
  await db
    .insertInto('campaign_tasks')
    .values([
      task(ids.t1, ids.a1, 1, 2),
      task(ids.t2, ids.a1, 2, 1),
      task(ids.t3, ids.a2, 3, 1),
      task(ids.t4, ids.a3, 4, 3),
    ])
    .execute();
  const activityOf: Record<string, string> = {
    [ids.t1]: ids.a1,
    [ids.t2]: ids.a1,
    [ids.t3]: ids.a2,
    [ids.t4]: ids.a3,
  };
  const rows: [string, string, string, string, string, string, number, string | null, string][] = [
    // key, unit, task, starts, due, colour, progress, done on, reason
    ['h1', u.H, ids.t1, '2026-03-01', '2026-03-20', 'red', 0, null, overdue('2026-03-20', 7, 0)],
    ['h2', u.H, ids.t2, '2026-03-01', '2026-03-13', 'green', 100, '2026-03-10', done('2026-03-10')],
    ['h3', u.H, ids.t3, '2026-03-01', '2026-06-30', 'blue', 40, null, going('2026-06-30', 40)],
    ['h4', u.H, ids.t4, '2026-04-01', '2026-09-30', 'blue', 0, null, going('2026-09-30', 0)],
    ['p1', u.P, ids.t1, '2026-03-01', '2026-03-20', 'green', 100, '2026-03-18', done('2026-03-18')],
    ['p2', u.P, ids.t2, '2026-03-01', '2026-03-13', 'green', 100, '2026-03-18', done('2026-03-18')],
    ['p3', u.P, ids.t3, '2026-03-01', '2026-06-30', 'yellow', 10, null, going('2026-06-30', 10)],
    ['y1', u.Y, ids.t4, '2026-01-01', '2026-03-31', 'yellow', 50, null, going('2026-03-31', 50)],
    ['y2', u.Y, ids.t3, '2026-03-01', '2026-06-30', 'green', 100, '2026-03-25', done('2026-03-25')],
    ['b1', u.B, ids.t4, '2026-01-01', '2026-03-20', 'red', 20, null, overdue('2026-03-20', 7, 20)],
    ['o1', u.O, ids.t4, '2026-01-01', '2026-03-20', 'red', 0, null, overdue('2026-03-20', 7, 0)],
  ];
  for (const [key, unit, taskId, starts, due, color, progress, doneOn, reason] of rows) {
    inst[key] = uuidv7();
    await db
      .insertInto('task_instances')
      .values({
        id: inst[key],
        campaign_id: ids.campaign,
        task_id: taskId,
        activity_id: activityOf[taskId],
        unit_id: unit,
        role: 'lead',
        cycle: 'once',
        starts_on: starts,
        due_on: due,
        color,
        color_reason: reason,
        color_at: now,
        progress,
        amounts: '[]',
        accepted_reports: doneOn ? 1 : 0,
        pending_reports: 0,
        returned_at: null,
        done_on: doneOn,
        version: 1,
      })
      .execute();
  }
  // Reports on h1/h2: an accepted one with two evidence files, a submitted one, and a draft (never shown).
  const report = (id: string, state: string, summary: string) => ({
    id,
    campaign_id: ids.campaign,
    unit_id: u.H,
    author_id: null,
    state,
    sla_color: 'green',
    summary,
    similar_flags: 0,
    submitted_at: state === 'draft' ? null : now,
    approved_by: null,
    reviewed_by: null,
    reviewed_at: state === 'accepted' ? now : null,
    return_reason: null,
    version: 1,
    created_at: now,
    updated_at: now,
  });
  const [accepted, submitted, draft] = [uuidv7(), uuidv7(), uuidv7()];
  inst.accepted = accepted;
  inst.submitted = submitted;
  await db
    .insertInto('ledger_reports')
    .values([
      report(accepted, 'accepted', '已完成培训'),
      report(submitted, 'submitted', '学习进行中'),
      report(draft, 'draft', '草稿'),
    ])
    .execute();
  await db
    .insertInto('ledger_report_items')
    .values([
      { report_id: accepted, instance_id: inst.h2, amounts: '[]' },
      { report_id: submitted, instance_id: inst.h1, amounts: '[]' },
      { report_id: draft, instance_id: inst.h1, amounts: '[]' },
    ])
    .execute();
  for (const n of [1, 2]) {
    const fileId = uuidv7();
    await db
      .insertInto('files')
      .values({
        id: fileId,
        sha256: `${n}`.repeat(64),
        size: 10,
        mime: 'image/jpeg',
        kind: 'image',
        original_name: `${n}.jpg`,
        analysis: 'done',
        uploaded_by: null,
        uploaded_at: now,
        width: null,
        height: null,
        taken_at: null,
        gps_lat: null,
        gps_lng: null,
        dhash: null,
        thumb_sha256: null,
        public_sha256: null,
      })
      .execute();
    await db
      .insertInto('file_links')
      .values({
        file_id: fileId,
        record_type: 'ledger_report',
        record_id: accepted,
        linked_by: null,
        linked_at: now,
      })
      .execute();
  }
  await db
    .insertInto('supervision_records')
    .values(
      [
        { kind: 'reminder', unit: u.H },
        { kind: 'order', unit: u.B },
        { kind: 'order', unit: u.O },
        { kind: 'circular', unit: null },
      ].map((s) => ({
        id: uuidv7(),
        campaign_id: ids.campaign,
        instance_id: null,
        unit_id: s.unit,
        kind: s.kind,
        number: null,
        body: '',
        details: '{}',
        file_id: null,
        created_by: null,
        created_at: now,
      })),
    )
    .execute();
}

beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date(NOW);
  await build();
  [office, leader, liaison, town] = await Promise.all(
    ['office_admin', 'leader', 'liaison', 'liaison_town'].map((n) => signedIn(t.app, n)),
  );
});
afterAll(async () => {
  await t?.close();
});

type Summary = { color: string | null; counts: Record<string, number>; instances: number; progress: number };
type Map = {
  activities: {
    id: string;
    numeral: string;
    name: string;
    leadUnit: string | null;
    section: string;
    summary: Summary;
  }[];
  units: { id: string; name: string; summary: Summary }[];
  cells: (Summary & {
    activityId: string;
    unitId: string;
    reason: { code: string; params: Record<string, unknown> } | null;
  })[];
  totals: Summary & { cells: Record<string, number> };
  filters: { phases: unknown[]; sections: unknown[]; groups: { id: string; name: string }[] };
};
const counts = (c: Partial<Record<string, number>>) => ({
  green: 0,
  blue: 0,
  yellow: 0,
  orange: 0,
  red: 0,
  ...c,
});
const cellOf = (m: Map, a: string, unit: string) =>
  m.cells.find((c) => c.activityId === a && c.unitId === unit);
const url = (path: string, q: Record<string, string> = {}) =>
  `/api/campaigns/${ids.campaign}/${path}${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`;

describe(`battle map on ${ENGINE}`, () => {
  it('colours each cell by its worst instance, with counts, weighted progress and the reason; totals by row, column and overall', async () => {
    const res = await leader.get(url('battlemap'));
    expect(res.statusCode).toBe(200);
    const m: Map = res.json();
    expect(m.activities.map((a) => a.id)).toEqual([ids.a1, ids.a2, ids.a3]);
    expect(m.activities[0]).toMatchObject({ numeral: '1.', name: '理论学习', section: '（一）宣传教育' });
    expect(m.activities[0].leadUnit).toBeTruthy();
    // Columns: the units with instances, in org path order.
    const paths = await t.ctx.database.db
      .selectFrom('org_units')
      .select(['id', 'path'])
      .where('id', 'in', [u.H, u.P, u.O, u.Y, u.B])
      .orderBy('path')
      .execute();
    expect(m.units.map((x) => x.id)).toEqual(paths.map((p) => p.id));
    expect(m.units.some((x) => x.id === u.S)).toBe(false);

    // A1 × H: h1 red (weight 2, 0%) + h2 green (weight 1, 100%) → red, (0·2 + 100·1) / 3 = 33.
    expect(cellOf(m, ids.a1, u.H)).toMatchObject({
      color: 'red',
      counts: counts({ red: 1, green: 1 }),
      instances: 2,
      progress: 33,
      reason: { code: 'overdue', params: { due: '2026-03-20', lateWorkingDays: 7, progress: 0 } },
    });
    expect(cellOf(m, ids.a1, u.P)).toMatchObject({
      color: 'green',
      counts: counts({ green: 2 }),
      progress: 100,
    });
    expect(cellOf(m, ids.a2, u.P)).toMatchObject({ color: 'yellow', progress: 10 });
    expect(cellOf(m, ids.a3, u.Y)).toMatchObject({ color: 'yellow', progress: 50 });
    expect(cellOf(m, ids.a2, u.Y)).toMatchObject({ color: 'green', reason: { code: 'done' } });
    expect(cellOf(m, ids.a1, u.Y)).toBeUndefined();
    expect(m.cells).toHaveLength(9);

    // Row A1: h1, h2, p1, p2 → red; (0·2 + 100·1 + 100·2 + 100·1) / 6 = 66.7 → 67.
    expect(m.activities[0].summary).toEqual({
      color: 'red',
      counts: counts({ red: 1, green: 3 }),
      instances: 4,
      progress: 67,
    });
    // Column H: h1..h4 → red; (0·2 + 100·1 + 40·1 + 0·3) / 7 = 20.
    expect(m.units.find((x) => x.id === u.H)?.summary).toEqual({
      color: 'red',
      counts: counts({ red: 1, green: 1, blue: 2 }),
      instances: 4,
      progress: 20,
    });
    // All 11: Σ progress·weight = 760, Σ weight = 21 → 36.
    expect(m.totals).toEqual({
      color: 'red',
      counts: counts({ red: 3, yellow: 2, blue: 2, green: 4 }),
      instances: 11,
      progress: 36,
      cells: counts({ red: 3, yellow: 2, blue: 2, green: 2 }),
    });
    expect(m.filters.phases).toHaveLength(2);
    expect(m.filters.sections).toHaveLength(2);
    expect(m.filters.groups.map((g) => g.name)).toContain('各乡镇（区、办）');
  });

  it('filters by colour (cells of that worst colour), phase (window overlap), section, unit and org group', async () => {
    const red: Map = (await leader.get(url('battlemap', { color: 'red' }))).json();
    expect(red.cells.map((c) => `${c.activityId}|${c.unitId}`).sort()).toEqual(
      [`${ids.a1}|${u.H}`, `${ids.a3}|${u.B}`, `${ids.a3}|${u.O}`].sort(),
    );
    expect(red.activities.map((a) => a.id)).toEqual([ids.a1, ids.a3]);
    expect(red.units.map((x) => x.id).sort()).toEqual([u.H, u.B, u.O].sort());
    expect(red.totals.counts).toEqual(counts({ red: 3, green: 1 }));
    expect(red.totals.cells).toEqual(counts({ red: 3 }));

    const ph2: Map = (await leader.get(url('battlemap', { phaseId: ids.ph2 }))).json();
    expect(ph2.totals.instances).toBe(4); // h3, h4, p3, y2: due on or after 04-01
    const ph1: Map = (await leader.get(url('battlemap', { phaseId: ids.ph1 }))).json();
    expect(ph1.totals.instances).toBe(10); // all but h4, which starts 04-01
    expect(cellOf(ph1, ids.a3, u.H)).toBeUndefined();

    const s2: Map = (await leader.get(url('battlemap', { sectionId: ids.s2 }))).json();
    expect(s2.activities.map((a) => a.id)).toEqual([ids.a3]);
    expect(s2.totals.counts).toEqual(counts({ blue: 1, yellow: 1, red: 2 }));

    const p: Map = (await leader.get(url('battlemap', { unitId: u.P }))).json();
    expect(p.units.map((x) => x.id)).toEqual([u.P]);
    expect(p.totals.instances).toBe(3);

    const group = (await leader.get(url('battlemap')))
      .json()
      .filters.groups.find((g: { name: string }) => g.name === '各乡镇（区、办）');
    const towns: Map = (await leader.get(url('battlemap', { groupId: group.id }))).json();
    expect(towns.units.map((x) => x.id).sort()).toEqual([u.Y, u.B].sort());
    expect(towns.totals.counts).toEqual(counts({ yellow: 1, green: 1, red: 1 }));
  });

  it('ranks units by completion rate, then timeliness, ties by name, with working days late', async () => {
    const res = await leader.get(url('rankings'));
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.asOf).toBe('2026-03-31');
    const rows = r.units.map((x: Record<string, unknown>) => [
      x.unitId,
      x.rank,
      x.completionRate,
      x.timeliness,
      x.late,
      x.avgLateWorkingDays,
    ]);
    // P: counted p1 (w2), p2 (w1), both done → 100; p1 on time → 50; p2 done 03-18, 3 working days late.
    // H: counted h1 (w2, overdue), h2 (w1, done) → 1/3 = 33.3; h2 on time → 50; h1 7 working days late.
    // Y: counted y1 (w3, due today), y2 (w1, done) → 1/4 = 25; y2 on time → 50; nothing late.
    // B and O: counted one overdue instance each → 0, 0, 7 days late: a tie, 霸州镇 (bà) before 市委组织部 (shì).
    expect(rows).toEqual([
      [u.P, 1, 100, 50, 1, 3],
      [u.H, 2, 33.3, 50, 1, 7],
      [u.Y, 3, 25, 50, 0, 0],
      [u.B, 4, 0, 0, 1, 7],
      [u.O, 4, 0, 0, 1, 7],
    ]);
    expect(r.units[0]).toMatchObject({
      counts: counts({ green: 2, yellow: 1 }),
      instances: 3,
      counted: 2,
      done: 2,
    });
  });

  it('drills into a cell: its instances with their reason and non-draft reports with evidence counts', async () => {
    const res = await leader.get(url('cells', { activityId: ids.a1, unitId: u.H }));
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.activity).toMatchObject({ id: ids.a1, name: '理论学习' });
    expect(c.unit).toMatchObject({ id: u.H, name: '市卫生健康局' });
    expect(c.instances.map((i: { id: string }) => i.id)).toEqual([inst.h1, inst.h2]);
    expect(c.instances[0]).toMatchObject({
      task: '任务1',
      cycle: 'once',
      dueOn: '2026-03-20',
      color: 'red',
      reason: { code: 'overdue' },
      progress: 0,
      weight: 2,
    });
    expect(c.instances[0].reports).toEqual([
      expect.objectContaining({ id: inst.submitted, state: 'submitted', summary: '学习进行中', evidence: 0 }),
    ]);
    expect(c.instances[1].reports).toEqual([
      expect.objectContaining({ id: inst.accepted, state: 'accepted', summary: '已完成培训', evidence: 2 }),
    ]);
    expect((await leader.get(url('cells', { activityId: ids.a1, unitId: u.S }))).statusCode).toBe(404);
    expect((await leader.get(url('cells', { activityId: UNKNOWN, unitId: u.H }))).statusCode).toBe(400);
  });

  it('colours the township map by each township’s worst instance, joined to the schematic by name', async () => {
    const res = await leader.get(url('township-map'));
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.schematic).toBe(true);
    expect(m.townships).toHaveLength(14);
    expect(m.townships.every((x: { onMap: boolean }) => x.onMap)).toBe(true);
    const by = (id: string) => m.townships.find((x: { unitId: string }) => x.unitId === id);
    expect(by(u.Y)).toMatchObject({
      color: 'yellow',
      counts: counts({ yellow: 1, green: 1 }),
      instances: 2,
      progress: 63,
    });
    expect(by(u.B)).toMatchObject({ color: 'red', instances: 1 });
    expect(by(u.S)).toMatchObject({ color: null, instances: 0 });
    expect(m.geojson.features).toHaveLength(14);
    const f = m.geojson.features.find(
      (x: { properties: { name: string } }) => x.properties.name === '裕华街道',
    );
    expect(f.properties).toMatchObject({ unitId: u.Y, color: 'yellow', instances: 2 });
    expect(f.geometry.type).toBe('Polygon');
  });

  it('gives the cockpit the colour distribution and the supervision counts', async () => {
    const res = await leader.get(url('cockpit'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      totals: { color: 'red', counts: counts({ red: 3, yellow: 2, blue: 2, green: 4 }), instances: 11 },
      activities: 3,
      units: 5,
      supervision: { reminder: 1, order: 2, interview: 0, circular: 1 },
    });
  });

  it('scopes every view: a unit liaison sees its own column, a township liaison its subtree, the office all', async () => {
    const own: Map = (await liaison.get(url('battlemap'))).json();
    expect(own.units.map((x) => x.id)).toEqual([u.H]);
    expect(own.cells).toHaveLength(3);
    expect(own.totals.instances).toBe(4);
    expect((await liaison.get(url('cells', { activityId: ids.a1, unitId: u.P }))).statusCode).toBe(404);
    const outside = await liaison.get(url('battlemap', { unitId: u.P }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields[0].field).toBe('unitId');
    // The liaison sees its own row of the ranking, ranked among all units.
    expect((await liaison.get(url('rankings'))).json().units).toEqual([
      expect.objectContaining({ unitId: u.H, rank: 2 }),
    ]);
    expect((await liaison.get(url('cockpit'))).json().supervision).toEqual({
      reminder: 1,
      order: 0,
      interview: 0,
      circular: 0,
    });

    const sub: Map = (await town.get(url('battlemap'))).json();
    expect(sub.units.map((x) => x.id)).toEqual([u.Y]);
    const tm = (await town.get(url('township-map'))).json();
    expect(tm.townships.map((x: { unitId: string }) => x.unitId)).toEqual([u.Y]);

    expect((await office.get(url('battlemap'))).json().units).toHaveLength(5);
    const citizen = await signedIn(t.app, 'citizen');
    for (const p of ['battlemap', 'rankings', 'township-map', 'cockpit'])
      expect((await citizen.get(url(p))).statusCode).toBe(403);
  });

  it('refuses bad input with a field error and unknown campaigns with 404', async () => {
    for (const [q, field] of [
      [{ color: 'purple' }, 'color'],
      [{ phaseId: 'x' }, 'phaseId'],
      [{ phaseId: UNKNOWN }, 'phaseId'],
      [{ sectionId: UNKNOWN }, 'sectionId'],
      [{ groupId: UNKNOWN }, 'groupId'],
      [{ unitId: UNKNOWN }, 'unitId'],
    ] as const) {
      const res = await leader.get(url('battlemap', q));
      expect(res.statusCode, JSON.stringify(q)).toBe(400);
      expect(JSON.stringify(res.json().error.fields)).toContain(field);
    }
    expect((await leader.get(url('cells', { activityId: ids.a1 }))).statusCode).toBe(400);
    for (const p of ['battlemap', 'rankings', 'cells', 'township-map', 'cockpit']) {
      const res = await leader.get(`/api/campaigns/${UNKNOWN}/${p}?activityId=${ids.a1}&unitId=${u.H}`);
      expect(res.statusCode, p).toBe(404);
    }
  });

  it('shows each ranked unit’s citizen cases of the campaign’s window beside it (not ranked by them)', async () => {
    const before = (await leader.get(url('rankings'))).json();
    expect(before.casePeriod).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(before.units[0]).toMatchObject({ casesReceived: 0, caseOnTimeRate: null, caseSatisfaction: null });
    // tests/helpers/case-stats-rows.ts: H first received c1, c2, c3, c9 (March) and c7 (February); its answer
    // and redo deadlines: 3 on time, 1 late; ratings 5, 2, 4, 4. Y: c4; one on time, one overdue. B: c6, late; 3.
    const fx = await seedCaseStats(t);
    expect(fx.unit.H).toBe(u.H);
    const r = (await leader.get(url('rankings'))).json();
    const rows = r.units.map((x: Record<string, unknown>) => [
      x.unitId,
      x.rank,
      x.casesReceived,
      x.caseOnTimeRate,
      x.caseSatisfaction,
    ]);
    expect(rows).toEqual([
      [u.P, 1, 0, null, null],
      [u.H, 2, 5, 75, 3.75],
      [u.Y, 3, 1, 50, null],
      [u.B, 4, 1, 0, 3],
      [u.O, 4, 0, null, null],
    ]);
    // The second phase (from April) has no cases yet.
    const ph = (await leader.get(url('rankings', { phaseId: ids.ph2 }))).json();
    expect(ph.casePeriod).toEqual({ from: '2026-04-01', to: '2026-12-31' });
    expect(ph.units.every((x: { casesReceived: number }) => x.casesReceived === 0)).toBe(true);
    const own = (await liaison.get(url('rankings'))).json();
    expect(own.units).toEqual([
      expect.objectContaining({ unitId: u.H, casesReceived: 5, caseOnTimeRate: 75 }),
    ]);
  });
});
