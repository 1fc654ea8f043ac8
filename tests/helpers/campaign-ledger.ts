/**
 * A small active campaign ledger written straight into the tables (tasks, instances, reports, report
 * items, evidence links), for the half-year and export tests. Every number the tests expect can be
 * computed from `LedgerFixture` alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import type { ColorReason } from '../../packages/contracts/src/index.ts';
import { type Client, signedIn, type TestApp } from './app.ts';
import { makeJpeg, makePdf } from './images.ts';
import { uploadFile } from './upload.ts';

const SEED = readFileSync(
  path.join(
    import.meta.dirname,
    '../../apps/server/src/modules/campaigns/plan/fixtures/001_785ff53e928aa9e6.txt',
  ),
  'utf8',
);

export interface FixtureInstance {
  id: string;
  key: string;
  taskId: string;
  unitId: string;
  cycle: string;
  startsOn: string;
  dueOn: string;
  color: 'green' | 'blue' | 'yellow' | 'red';
  reason: ColorReason;
  progress: number;
  amounts: number[];
  doneOn: string | null;
}

export interface FixtureReport {
  id: string;
  key: string;
  unitId: string;
  state: 'draft' | 'submitted' | 'accepted' | 'returned';
  summary: string;
  instances: string[];
  files: { id: string; name: string; bytes: Buffer }[];
  submittedAt: string | null;
}

export interface FixtureTask {
  id: string;
  title: string;
  activityId: string;
  targets: { label: string; quantity: number; measure: string }[];
}

export interface LedgerFixture {
  campaignId: string;
  campaignName: string;
  unitA: { id: string; name: string };
  unitB: { id: string; name: string };
  tasks: FixtureTask[];
  instances: FixtureInstance[];
  reports: FixtureReport[];
  office: Client;
  liaison: Client;
}

/**
 * Imports seed 001 as an active campaign (window 2026-01-01 … 2027-06-30) and writes, for 市卫生健康局
 * (the liaison's unit, A) and 市委宣传部 (B), two tasks of one activity both are responsible for:
 * a quarterly task (10 个 per quarter) and a once task (5 场), five instances and five reports.
 */
export async function seedLedger(
  t: Pick<TestApp, 'app' | 'ctx'>,
  name = '文明城市创建',
): Promise<LedgerFixture> {
  const office = await signedIn(t.app, 'office_admin');
  const liaison = await signedIn(t.app, 'liaison');
  const created = await office.post('/api/campaigns', { name, year: 2026, text: SEED });
  if (created.statusCode !== 201) throw new Error(`campaign: ${created.statusCode} ${created.body}`);
  const campaignId = created.json().id as string;
  const db = t.ctx.database.db;
  await db
    .updateTable('campaigns')
    .set({ status: 'active', starts_on: '2026-01-01', ends_on: '2027-06-30' })
    .where('id', '=', campaignId)
    .execute();
  const unitId = async (unit: string) =>
    (await db.selectFrom('org_units').select('id').where('name', '=', unit).executeTakeFirstOrThrow()).id;
  const unitA = { id: await unitId('市卫生健康局'), name: '市卫生健康局' };
  const unitB = { id: await unitId('市委宣传部'), name: '市委宣传部' };
  const shared = await db
    .selectFrom('campaign_activity_units as a')
    .innerJoin('campaign_activity_units as b', 'b.activity_id', 'a.activity_id')
    .innerJoin('campaign_activities as act', 'act.id', 'a.activity_id')
    .select('a.activity_id')
    .where('act.campaign_id', '=', campaignId)
    .where('a.unit_id', '=', unitA.id)
    .where('b.unit_id', '=', unitB.id)
    .orderBy('act.seq')
    .executeTakeFirstOrThrow();
  const activityId = shared.activity_id;
  const now = '2026-01-01T00:00:00.000Z';

  const tasks: FixtureTask[] = [
    {
      id: uuidv7(),
      title: '评选先进集体',
      activityId,
      targets: [{ label: '先进集体', quantity: 10, measure: '个' }],
    },
    {
      id: uuidv7(),
      title: '开展宣传活动',
      activityId,
      targets: [{ label: '宣传活动', quantity: 5, measure: '场' }],
    },
  ];
  for (const [seq, task] of tasks.entries()) {
    await db
      .insertInto('campaign_tasks')
      .values({
        id: task.id,
        campaign_id: campaignId,
        activity_id: activityId,
        seq: seq + 1,
        title: task.title,
        description: '',
        cadence: seq === 0 ? 'quarterly' : 'once',
        starts_on: '2026-01-01',
        due_on: seq === 0 ? '2026-09-30' : '2026-12-31',
        weight: 1,
        targets: JSON.stringify(task.targets),
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const inst = (
    key: string,
    task: number,
    unit: string,
    cycle: string,
    startsOn: string,
    dueOn: string,
    color: FixtureInstance['color'],
    reason: ColorReason,
    amounts: number[],
    doneOn: string | null,
  ): FixtureInstance => ({
    id: uuidv7(),
    key,
    taskId: tasks[task].id,
    unitId: unit,
    cycle,
    startsOn,
    dueOn,
    color,
    reason,
    progress: Math.min(100, Math.round((amounts[0] / tasks[task].targets[0].quantity) * 100)),
    amounts,
    doneOn,
  });
  const instances = [
    inst(
      'A-Q1',
      0,
      unitA.id,
      '2026-Q1',
      '2026-01-01',
      '2026-03-31',
      'green',
      { code: 'done', params: { doneOn: '2026-03-20', progress: 100 } },
      [10],
      '2026-03-20',
    ),
    inst(
      'A-Q2',
      0,
      unitA.id,
      '2026-Q2',
      '2026-04-01',
      '2026-06-30',
      'red',
      { code: 'overdue', params: { due: '2026-06-30', lateWorkingDays: 7, progress: 30 } },
      [3],
      null,
    ),
    inst(
      'A-Q3',
      0,
      unitA.id,
      '2026-Q3',
      '2026-07-01',
      '2026-09-30',
      'blue',
      { code: 'in_progress', params: { due: '2026-09-30', progress: 0, expected: 10 } },
      [0],
      null,
    ),
    inst(
      'A-once',
      1,
      unitA.id,
      'once',
      '2026-01-01',
      '2026-12-31',
      'yellow',
      { code: 'lagging', params: { due: '2026-12-31', progress: 40, expected: 52, lag: 12 } },
      [2],
      null,
    ),
    inst(
      'B-once',
      1,
      unitB.id,
      'once',
      '2026-01-01',
      '2026-12-31',
      'green',
      { code: 'done', params: { doneOn: '2026-05-10', progress: 100 } },
      [5],
      '2026-05-10',
    ),
  ];
  for (const i of instances) {
    await db
      .insertInto('task_instances')
      .values({
        id: i.id,
        campaign_id: campaignId,
        task_id: i.taskId,
        activity_id: activityId,
        unit_id: i.unitId,
        role: i.unitId === unitA.id ? 'co' : 'lead',
        cycle: i.cycle,
        starts_on: i.startsOn,
        due_on: i.dueOn,
        color: i.color,
        color_reason: JSON.stringify(i.reason),
        color_at: now,
        progress: i.progress,
        amounts: JSON.stringify(i.amounts),
        accepted_reports: 0,
        pending_reports: 0,
        returned_at: null,
        done_on: i.doneOn,
        version: 1,
      })
      .execute();
  }
  const byKey = (k: string) => instances.find((i) => i.key === k)?.id ?? '';

  const file = async (c: Client, name: string, bytes: Buffer) => ({
    id: await uploadFile(c, name, bytes),
    name,
    bytes,
  });
  const photo = (pattern: number) => makeJpeg({ width: 64, height: 48, color: '#336699', pattern });
  const reports: FixtureReport[] = [
    {
      id: uuidv7(),
      key: 'R1',
      unitId: unitA.id,
      state: 'accepted',
      summary: '一季度评选先进集体10个，开展宣传活动2场',
      instances: [byKey('A-Q1'), byKey('A-once')],
      files: [
        await file(liaison, '现场照片.jpg', await photo(1)),
        await file(liaison, '名单.pdf', makePdf('list')),
      ],
      submittedAt: '2026-03-18T02:00:00.000Z',
    },
    {
      id: uuidv7(),
      key: 'R2',
      unitId: unitA.id,
      state: 'returned',
      summary: '二季度评选3个',
      instances: [byKey('A-Q2')],
      files: [await file(liaison, '现场照片.jpg', await photo(2))],
      submittedAt: '2026-06-20T02:00:00.000Z',
    },
    {
      id: uuidv7(),
      key: 'R3',
      unitId: unitA.id,
      state: 'submitted',
      summary: '二季度补充材料',
      instances: [byKey('A-Q2')],
      files: [await file(liaison, '补充,说明.pdf', makePdf('more'))],
      submittedAt: '2026-07-02T02:00:00.000Z',
    },
    {
      id: uuidv7(),
      key: 'R4',
      unitId: unitA.id,
      state: 'draft',
      summary: '三季度草稿',
      instances: [byKey('A-Q3')],
      files: [await file(liaison, '草稿.jpg', await photo(3))],
      submittedAt: null,
    },
    {
      id: uuidv7(),
      key: 'R5',
      unitId: unitB.id,
      state: 'accepted',
      summary: '开展宣传活动5场',
      instances: [byKey('B-once')],
      files: [await file(office, '宣传.jpg', await photo(4))],
      submittedAt: '2026-05-08T02:00:00.000Z',
    },
  ];
  for (const r of reports) {
    await db
      .insertInto('ledger_reports')
      .values({
        id: r.id,
        campaign_id: campaignId,
        unit_id: r.unitId,
        author_id: null,
        state: r.state,
        sla_color: 'green',
        summary: r.summary,
        similar_flags: 0,
        submitted_at: r.submittedAt,
        approved_by: null,
        reviewed_by: null,
        reviewed_at: r.state === 'accepted' || r.state === 'returned' ? r.submittedAt : null,
        return_reason: r.state === 'returned' ? '数量不符' : null,
        version: 1,
        created_at: r.submittedAt ?? now,
        updated_at: r.submittedAt ?? now,
      })
      .execute();
    for (const instanceId of r.instances) {
      const i = instances.find((x) => x.id === instanceId);
      await db
        .insertInto('ledger_report_items')
        .values({ report_id: r.id, instance_id: instanceId, amounts: JSON.stringify(i?.amounts ?? []) })
        .execute();
    }
    for (const [k, f] of r.files.entries()) {
      await db
        .insertInto('file_links')
        .values({
          file_id: f.id,
          record_type: 'ledger_report',
          record_id: r.id,
          linked_by: null,
          linked_at: `2026-01-01T00:00:0${k}.000Z`,
        })
        .execute();
    }
  }
  return { campaignId, campaignName: name, unitA, unitB, tasks, instances, reports, office, liaison };
}
