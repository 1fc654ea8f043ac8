// Generates a province-sized campaign dataset into a fresh database, in its own process
// (bench/campaigns.ts starts it before the recolour process and the server):
//
//   1. migrate and seed the Bazhou demo exactly as the server's first start does (main.ts);
//   2. org units under the demo region: `cities` grouping units, the rest spread below them, one liaison
//      account per unit (the demo password, its hash copied from the demo liaison);
//   3. active campaigns with 3 phases, 4 sections and 20 activities each; one task per activity (four of
//      each cadence) whose responsible units (lead + co) are a window of the generated units;
//   4. task instances over units and cycles (2026), and the ledger reports behind them: one
//      ledger_report_items row each, dated within the instance's window up to GENERATED_AT, mostly
//      accepted, some submitted or returned. The instances' stored aggregates (amounts, accepted and
//      pending counts, returned and done dates, progress) are computed from exactly these reports, the
//      way recolorInstances does; a sample is checked against recolorInstances itself (rolled back).
//      Colours are left at the placeholder new instances get ('blue', in_progress): the recolour
//      benchmark's first sweep settles them.
//
// Bulk rows go in by direct SQL: SQLite in one transaction through prepared statements on the driver;
// PostgreSQL as INSERT … SELECT FROM unnest(arrays), 20,000 reports per statement, then ANALYZE (what
// autovacuum would do shortly after such a load). Reads WENMING_DATA_DIR / DATABASE_URL like the server
// and BENCH_CAMPAIGN_SCALE (full | small). Prints one line `BENCH_CAMPAIGN_DATA {json}`
// (GenerationResult, bench/campaigns-shared.ts) and writes the liaisons' fixture file into the data dir.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/src/config.ts';
import { uuidv7 } from '../apps/server/src/db/ids.ts';
import { int } from '../apps/server/src/db/normalize.ts';
import { recolorInstances } from '../apps/server/src/modules/campaigns/colors/recolor.ts';
import { progressOf } from '../apps/server/src/modules/campaigns/colors/rules.ts';
import { SYSTEM_ACTOR } from '../apps/server/src/platform/audit/audit.ts';
import { createContext } from '../apps/server/src/platform/bootstrap.ts';
import { getCalendar } from '../apps/server/src/platform/calendar/service.ts';
import type { Clock } from '../apps/server/src/platform/context.ts';
import { createLogger } from '../apps/server/src/platform/log.ts';
import { writeTx } from '../apps/server/src/platform/tx.ts';
import { seedDemo } from '../apps/server/src/seed/demo.ts';
import { COLOR_PRESETS, type TaskCadence, type TaskTarget } from '../packages/contracts/src/index.ts';
import {
  ACTIVITIES_PER_CAMPAIGN,
  type CampaignFixtures,
  campaignScale,
  GENERATED_AT,
  type GenerationResult,
  type LiaisonFixture,
} from './campaigns-shared.ts';
import { databaseBytes } from './database-size.ts';
import { DEMO_PASSWORD } from './shared.ts';

/** Each campaign keeps its plan's text, as an imported one does: seed 001's (about 10,000 characters). */
const PLAN_TEXT = readFileSync(
  path.join(
    import.meta.dirname,
    '../apps/server/src/modules/campaigns/plan/fixtures/001_785ff53e928aa9e6.txt',
  ),
  'utf8',
);

const YEAR = 2026;
const GEN_DAY = '2026-09-15';
/** Reports per PostgreSQL statement and per generated block. */
const BLOCK_REPORTS = 20_000;
const VERIFY_SAMPLE = 500;

class FixedClock implements Clock {
  constructor(private readonly at: Date) {}
  now() {
    return new Date(this.at);
  }
}

/** mulberry32: a small seeded generator, so every run builds the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
const dayNum = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
const dayStr = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');
/** The last day of a month of YEAR (January … November). */
const lastDay = (month: number) => dayStr(dayNum(`${YEAR}-${pad(month + 1)}-01`) - 1);
/** A Shanghai wall-clock time on `day` as an ISO instant. */
const at = (day: string, minutes: number) =>
  new Date(Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000).toISOString();

interface Cycle {
  cycle: string;
  startsOn: string;
  dueOn: string;
}

/** The 2026 cycles of a cadence (the same naming as modules/campaigns/tasks). */
function cyclesOf(cadence: TaskCadence, onceDue: string): Cycle[] {
  switch (cadence) {
    case 'once':
      return [{ cycle: 'once', startsOn: `${YEAR}-03-01`, dueOn: onceDue }];
    case 'yearly':
      return [{ cycle: String(YEAR), startsOn: `${YEAR}-01-01`, dueOn: `${YEAR}-12-31` }];
    case 'half_yearly':
      return [
        { cycle: `${YEAR}-H1`, startsOn: `${YEAR}-01-01`, dueOn: `${YEAR}-06-30` },
        { cycle: `${YEAR}-H2`, startsOn: `${YEAR}-07-01`, dueOn: `${YEAR}-12-31` },
      ];
    case 'quarterly':
      return [1, 2, 3, 4].map((q) => ({
        cycle: `${YEAR}-Q${q}`,
        startsOn: `${YEAR}-${pad(3 * q - 2)}-01`,
        dueOn: q === 4 ? `${YEAR}-12-31` : lastDay(3 * q),
      }));
    case 'monthly':
      return Array.from({ length: 12 }, (_, i) => ({
        cycle: `${YEAR}-${pad(i + 1)}`,
        startsOn: `${YEAR}-${pad(i + 1)}-01`,
        dueOn: i === 11 ? `${YEAR}-12-31` : lastDay(i + 1),
      }));
  }
}

const CADENCE_ORDER: TaskCadence[] = ['quarterly', 'monthly', 'half_yearly', 'yearly', 'once'];
const ONCE_DUES = [`${YEAR}-06-30`, `${YEAR}-09-30`, `${YEAR}-10-31`, `${YEAR}-12-31`];

function targetsOf(cadence: TaskCadence): TaskTarget[] {
  const per: Record<TaskCadence, number> = {
    monthly: 20,
    quarterly: 60,
    half_yearly: 120,
    yearly: 240,
    once: 100,
  };
  const q = per[cadence];
  const out: TaskTarget[] = [{ label: '开展活动', quantity: q, measure: '场' }];
  if (cadence === 'half_yearly' || cadence === 'yearly')
    out.push({ label: '覆盖群众', quantity: q * 10, measure: '人次' });
  return out;
}

interface TaskPlan {
  id: string;
  campaignId: string;
  activityId: string;
  cadence: TaskCadence;
  targets: TaskTarget[];
  cycles: Cycle[];
  /** Indexes into the generated units; the first is the lead unit. */
  units: number[];
}

interface InstancePlan {
  id: string;
  task: TaskPlan;
  unit: number;
  cycle: Cycle;
}

/** How many units each task of a campaign covers so that the campaign has exactly `perCampaign` instances. */
function unitsPerTask(perCampaign: number): number[] {
  if (perCampaign % ACTIVITIES_PER_CAMPAIGN !== 0)
    throw new Error(
      `instances per campaign (${perCampaign}) must be a multiple of ${ACTIVITIES_PER_CAMPAIGN}`,
    );
  const budget = perCampaign / ACTIVITIES_PER_CAMPAIGN;
  const out: number[] = [];
  let used = 0;
  const once: number[] = [];
  for (let t = 0; t < ACTIVITIES_PER_CAMPAIGN; t++) {
    const cadence = CADENCE_ORDER[t % CADENCE_ORDER.length];
    if (cadence === 'once') {
      once.push(t);
      out.push(0);
      continue;
    }
    const n = cyclesOf(cadence, '').length;
    const u = Math.max(1, Math.floor(budget / n));
    out.push(u);
    used += u * n;
  }
  // The once tasks (one cycle each) take what is left, so the total is exact.
  const left = perCampaign - used;
  once.forEach((t, k) => {
    out[t] = Math.floor(left / once.length) + (k < left % once.length ? 1 : 0);
  });
  return out;
}

interface ReportRow {
  id: string;
  campaign_id: string;
  unit_id: string;
  author_id: string;
  state: string;
  submitted_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  return_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  summary: string;
}

interface ItemRow {
  report_id: string;
  instance_id: string;
  amounts: string;
}

interface InstanceRow {
  id: string;
  campaign_id: string;
  task_id: string;
  activity_id: string;
  unit_id: string;
  role: string;
  cycle: string;
  starts_on: string;
  due_on: string;
  color: string;
  color_reason: string;
  color_at: string;
  progress: number;
  amounts: string;
  accepted_reports: number;
  pending_reports: number;
  returned_at: string | null;
  done_on: string | null;
  version: number;
}

interface Block {
  instances: InstanceRow[];
  reports: ReportRow[];
  items: ItemRow[];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const scale = campaignScale(process.env.BENCH_CAMPAIGN_SCALE);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const ctx = await createContext(config, createLogger('warn'), {
    clock: new FixedClock(new Date(GENERATED_AT)),
  });
  const { db } = ctx.database;
  const engine = ctx.database.engine;
  try {
    await seedDemo(ctx);
    const tSeed = performance.now();

    // ---- units and their liaisons ---------------------------------------------------------------
    const region = await db
      .selectFrom('org_units')
      .select(['id', 'path', 'depth'])
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const demoLiaison = await db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'liaison')
      .executeTakeFirstOrThrow();
    const office = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'office_admin')
      .executeTakeFirstOrThrow();
    const now = GENERATED_AT;
    const units: { id: string; parent_id: string; path: string; depth: number; name: string }[] = [];
    const perCity = Math.floor((scale.units - scale.cities) / scale.cities);
    for (let c = 0; c < scale.cities; c++) {
      const id = uuidv7();
      const city = { id, parent_id: region.id, path: `${region.path}${id}/`, depth: int(region.depth) + 1 };
      units.push({ ...city, name: `基准市 ${c + 1}` });
      const below =
        c < scale.cities - 1 ? perCity : scale.units - scale.cities - perCity * (scale.cities - 1);
      for (let k = 0; k < below; k++) {
        const uid = uuidv7();
        units.push({
          id: uid,
          parent_id: id,
          path: `${city.path}${uid}/`,
          depth: city.depth + 1,
          name: `基准市 ${c + 1} 责任单位 ${k + 1}`,
        });
      }
    }
    const liaisonIds = units.map(() => uuidv7());
    await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
      for (let i = 0; i < units.length; i += 200)
        await tx.db
          .insertInto('org_units')
          .values(
            units.slice(i, i + 200).map((u, k) => ({
              ...u,
              short_name: null,
              type: u.depth === int(region.depth) + 1 ? 'other' : 'member_unit',
              region_code: null,
              sort: i + k,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
      for (let i = 0; i < units.length; i += 100) {
        const slice = units.slice(i, i + 100);
        await tx.db
          .insertInto('users')
          .values(
            slice.map((u, k) => ({
              id: liaisonIds[i + k],
              username: `bench_liaison_${String(i + k + 1).padStart(4, '0')}`,
              display_name: `联络员 ${i + k + 1}`,
              title: '联络员',
              unit_id: u.id,
              kind: 'staff',
              data_scope: 'own',
              status: 'active',
              password_hash: demoLiaison.password_hash,
              must_change_password: false,
              failed_logins: 0,
              locked_until: null,
              phone_enc: null,
              phone_hash: null,
              id_card_enc: null,
              id_card_hash: null,
              totp_secret_enc: null,
              totp_enabled: false,
              totp_last_step: null,
              password_changed_at: null,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
        await tx.db
          .insertInto('user_roles')
          .values(slice.map((_, k) => ({ user_id: liaisonIds[i + k], role: 'liaison' })))
          .execute();
      }
      await tx.audit({
        action: 'bench.generate',
        entity: 'org_unit',
        entityId: null,
        after: { units: units.length, liaisons: units.length },
      });
    });

    // ---- campaigns, phases, sections, activities, tasks -----------------------------------------
    const perCampaign = scale.instances / scale.campaigns;
    if (!Number.isInteger(perCampaign)) throw new Error('instances must divide evenly over the campaigns');
    const taskUnits = unitsPerTask(perCampaign);
    if (Math.max(...taskUnits) > units.length)
      throw new Error(`a task would need ${Math.max(...taskUnits)} units; only ${units.length} exist`);
    const campaignIds: string[] = [];
    const tasks: TaskPlan[] = [];
    await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
      for (let c = 0; c < scale.campaigns; c++) {
        const campaignId = uuidv7();
        campaignIds.push(campaignId);
        const rules = c % 5 === 4 ? COLOR_PRESETS.yinchuan : c % 7 === 6 ? COLOR_PRESETS.shangqiu : null;
        await tx.db
          .insertInto('campaigns')
          .values({
            id: campaignId,
            name: `基准专项行动 ${c + 1}`,
            year: YEAR,
            doc_no: `基准〔${YEAR}〕${c + 1}号`,
            issued_on: `${YEAR}-01-05`,
            source_text: PLAN_TEXT,
            status: 'active',
            starts_on: `${YEAR}-01-01`,
            ends_on: `${YEAR}-12-31`,
            color_rules: rules ? JSON.stringify(rules) : null,
            requires_unit_approval: false,
            copied_from: null,
            activated_at: now,
            closed_at: null,
            version: 1,
            created_by: office.id,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await tx.db
          .insertInto('campaign_phases')
          .values(
            [
              ['动员部署', '01-01', '02-28'],
              ['集中整治', '03-01', '10-31'],
              ['总结提升', '11-01', '12-31'],
            ].map(([name, from, to], seq) => ({
              id: uuidv7(),
              campaign_id: campaignId,
              seq: seq + 1,
              name,
              starts_on: `${YEAR}-${from}`,
              ends_on: `${YEAR}-${to}`,
            })),
          )
          .execute();
        const sections = ['一', '二', '三', '四'].map((numeral, seq) => ({
          id: uuidv7(),
          campaign_id: campaignId,
          seq: seq + 1,
          numeral,
          title: `基准工作板块 ${numeral}`,
        }));
        await tx.db.insertInto('campaign_sections').values(sections).execute();
        const activities = [];
        const taskRows = [];
        const activityUnits: { activity_id: string; unit_id: string; role: string }[] = [];
        for (let t = 0; t < ACTIVITIES_PER_CAMPAIGN; t++) {
          const cadence = CADENCE_ORDER[t % CADENCE_ORDER.length];
          const onceDue = ONCE_DUES[Math.floor(t / CADENCE_ORDER.length) % ONCE_DUES.length];
          const targets = targetsOf(cadence);
          const activityId = uuidv7();
          const taskId = uuidv7();
          const cycles = cyclesOf(cadence, onceDue);
          const start = (c * 97 + t * 53) % units.length;
          const picked = Array.from({ length: taskUnits[t] }, (_, k) => (start + k) % units.length);
          activities.push({
            id: activityId,
            campaign_id: campaignId,
            section_id: sections[Math.floor((t * sections.length) / ACTIVITIES_PER_CAMPAIGN)].id,
            parent_id: null,
            seq: t + 1,
            numeral: String(t + 1),
            name: `基准活动 ${c + 1}-${t + 1}`,
            description: '基准测试生成的活动。',
            cadence: cadence === 'once' ? null : cadence,
            deadline_text: null,
            deadline_on: cadence === 'once' ? onceDue : null,
            weight: 1 + (t % 3),
            targets: JSON.stringify(targets),
            source_lines: '[]',
          });
          taskRows.push({
            id: taskId,
            campaign_id: campaignId,
            activity_id: activityId,
            seq: t + 1,
            title: `基准任务 ${c + 1}-${t + 1}`,
            description: '基准测试生成的任务。',
            cadence,
            starts_on: cycles[0].startsOn,
            due_on: cycles[cycles.length - 1].dueOn,
            weight: 1 + (t % 3),
            targets: JSON.stringify(targets),
            version: 1,
            created_at: now,
            updated_at: now,
          });
          for (const [k, u] of picked.entries())
            activityUnits.push({
              activity_id: activityId,
              unit_id: units[u].id,
              role: k === 0 ? 'lead' : 'co',
            });
          tasks.push({ id: taskId, campaignId, activityId, cadence, targets, cycles, units: picked });
        }
        await tx.db.insertInto('campaign_activities').values(activities).execute();
        await tx.db.insertInto('campaign_tasks').values(taskRows).execute();
        for (let i = 0; i < activityUnits.length; i += 500)
          await tx.db
            .insertInto('campaign_activity_units')
            .values(activityUnits.slice(i, i + 500))
            .execute();
      }
      await tx.audit({
        action: 'bench.generate',
        entity: 'campaign',
        entityId: null,
        after: { campaigns: scale.campaigns, tasks: tasks.length },
      });
    });
    const tStructure = performance.now();

    // ---- instances and reports -------------------------------------------------------------------
    const plans: InstancePlan[] = [];
    for (const task of tasks)
      for (const u of task.units)
        for (const cycle of task.cycles) plans.push({ id: uuidv7(), task, unit: u, cycle });
    if (plans.length !== scale.instances)
      throw new Error(`planned ${plans.length} instances, not ${scale.instances}`);
    const started = plans.filter((p) => p.cycle.startsOn <= GEN_DAY);
    const perStarted = Math.floor(scale.reports / started.length);
    const extra = scale.reports % started.length;
    const reportsOf = new Map<string, number>(
      started.map((p, i) => [p.id, perStarted + (i < extra ? 1 : 0)]),
    );
    const rand = prng(20261122);
    const byState: Record<string, number> = {};
    const fixtures: LiaisonFixture[] = [];
    const fixtureUnits = new Set<number>();

    function* blocks(): Generator<Block> {
      let block: Block = { instances: [], reports: [], items: [] };
      for (const p of plans) {
        const { task, cycle } = p;
        const unitId = units[p.unit].id;
        const n = reportsOf.get(p.id) ?? 0;
        const windowEnd = cycle.dueOn < GEN_DAY ? cycle.dueOn : GEN_DAY;
        const span = dayNum(windowEnd) - dayNum(cycle.startsOn) + 1;
        const elapsed = Math.min(1, span / (dayNum(cycle.dueOn) - dayNum(cycle.startsOn) + 1));
        const states: string[] = [];
        for (let j = 0; j < n; j++) {
          const x = rand();
          states.push(x < 0.9 ? 'accepted' : x < 0.97 ? 'submitted' : 'returned');
        }
        const accepted = states.filter((s) => s === 'accepted').length;
        // What the accepted reports add up to: between 35% and 135% of the targets, times the time elapsed.
        const factor = (0.35 + rand()) * elapsed;
        const totals = task.targets.map((t) => Math.round(t.quantity * factor));
        const sums: number[] = [];
        let acceptedSoFar = 0;
        let doneOn: string | null = null;
        let returnedOn: string | null = null;
        let pending = 0;
        for (let j = 0; j < n; j++) {
          const state = states[j];
          const day = dayStr(dayNum(cycle.startsOn) + Math.floor(((j + 0.5) * span) / n));
          const submittedAt = at(day, 9 * 60 + j);
          const reviewedAt = state === 'submitted' ? null : at(day, 15 * 60 + j);
          let amounts: number[];
          if (state === 'accepted') {
            amounts = totals.map(
              (tot) => Math.floor(tot / accepted) + (acceptedSoFar < tot % accepted ? 1 : 0),
            );
            acceptedSoFar++;
          } else amounts = task.targets.map((t) => Math.max(1, Math.round(t.quantity / Math.max(n, 1))));
          const id = uuidv7();
          block.reports.push({
            id,
            campaign_id: task.campaignId,
            unit_id: unitId,
            author_id: liaisonIds[p.unit],
            state,
            submitted_at: submittedAt,
            reviewed_by: reviewedAt ? office.id : null,
            reviewed_at: reviewedAt,
            return_reason: state === 'returned' ? '佐证材料不全，请补充。' : null,
            version: state === 'submitted' ? 2 : 3,
            created_at: submittedAt,
            updated_at: reviewedAt ?? submittedAt,
            summary: `基准台账：${cycle.cycle} 第 ${j + 1} 次报送`,
          });
          block.items.push({ report_id: id, instance_id: p.id, amounts: JSON.stringify(amounts) });
          byState[state] = (byState[state] ?? 0) + 1;
          // The aggregates exactly as recolorInstances derives them (reports in reviewed_at order).
          if (state === 'submitted') pending++;
          else if (state === 'returned') {
            if (!returnedOn || day > returnedOn) returnedOn = day;
          } else {
            for (const [k, v] of amounts.entries()) sums[k] = (sums[k] ?? 0) + v;
            if (!doneOn && progressOf(task.targets, sums, acceptedSoFar) >= 100) doneOn = day;
          }
        }
        const progress = progressOf(task.targets, sums, accepted);
        block.instances.push({
          id: p.id,
          campaign_id: task.campaignId,
          task_id: task.id,
          activity_id: task.activityId,
          unit_id: unitId,
          role: p.unit === task.units[0] ? 'lead' : 'co',
          cycle: cycle.cycle,
          starts_on: cycle.startsOn,
          due_on: cycle.dueOn,
          color: 'blue',
          color_reason: JSON.stringify({
            code: 'in_progress',
            params: { starts: cycle.startsOn, due: cycle.dueOn, progress },
          }),
          color_at: now,
          progress,
          amounts: JSON.stringify(sums),
          accepted_reports: accepted,
          pending_reports: pending,
          returned_at: returnedOn,
          done_on: progress >= 100 && accepted > 0 ? doneOn : null,
          version: 1,
        });
        // One open instance of an active campaign per unit (the first still running), for the HTTP cases.
        if (!fixtureUnits.has(p.unit) && cycle.dueOn >= '2026-12-31') {
          fixtureUnits.add(p.unit);
          fixtures.push({
            username: `bench_liaison_${String(p.unit + 1).padStart(4, '0')}`,
            unitId,
            campaignId: task.campaignId,
            instanceId: p.id,
            targets: task.targets.length,
          });
        }
        if (block.reports.length >= BLOCK_REPORTS) {
          yield block;
          block = { instances: [], reports: [], items: [] };
        }
      }
      if (block.instances.length) yield block;
    }

    const INSTANCE_COLS = [
      'id',
      'campaign_id',
      'task_id',
      'activity_id',
      'unit_id',
      'role',
      'cycle',
      'starts_on',
      'due_on',
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
    ] as const;
    const REPORT_COLS = [
      'id',
      'campaign_id',
      'unit_id',
      'author_id',
      'state',
      'sla_color',
      'summary',
      'similar_flags',
      'submitted_at',
      'approved_by',
      'reviewed_by',
      'reviewed_at',
      'return_reason',
      'version',
      'created_at',
      'updated_at',
    ] as const;
    const reportValue = (r: ReportRow, c: (typeof REPORT_COLS)[number]): string | number | null =>
      c === 'sla_color' ? 'green' : c === 'similar_flags' ? 0 : c === 'approved_by' ? null : r[c];
    const INT_COLS = new Set(['progress', 'accepted_reports', 'pending_reports', 'version', 'similar_flags']);

    if (engine === 'sqlite') {
      const raw = ctx.database.sqlite;
      if (!raw) throw new Error('SQLite without its driver handle');
      const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
      const insInstance = raw.prepare(
        `insert into task_instances (${INSTANCE_COLS.join(', ')}) values (${marks(INSTANCE_COLS.length)})`,
      );
      const insReport = raw.prepare(
        `insert into ledger_reports (${REPORT_COLS.join(', ')}) values (${marks(REPORT_COLS.length)})`,
      );
      const insItem = raw.prepare(
        'insert into ledger_report_items (report_id, instance_id, amounts) values (?, ?, ?)',
      );
      raw.transaction(() => {
        for (const b of blocks()) {
          for (const i of b.instances) insInstance.run(INSTANCE_COLS.map((c) => i[c]));
          for (const r of b.reports) insReport.run(REPORT_COLS.map((c) => reportValue(r, c)));
          for (const it of b.items) insItem.run(it.report_id, it.instance_id, it.amounts);
        }
      })();
    } else {
      const unnest = (table: string, cols: readonly string[], columns: unknown[][]) =>
        sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
          select * from unnest(${sql.join(
            columns.map(
              (values, k) => sql`${values}::${sql.raw(INT_COLS.has(cols[k]) ? 'int[]' : 'text[]')}`,
            ),
          )})`.execute(db);
      for (const b of blocks()) {
        await unnest(
          'task_instances',
          INSTANCE_COLS,
          INSTANCE_COLS.map((c) => b.instances.map((i) => i[c])),
        );
        await unnest(
          'ledger_reports',
          REPORT_COLS,
          REPORT_COLS.map((c) => b.reports.map((r) => reportValue(r, c))),
        );
        await unnest(
          'ledger_report_items',
          ['report_id', 'instance_id', 'amounts'],
          [b.items.map((i) => i.report_id), b.items.map((i) => i.instance_id), b.items.map((i) => i.amounts)],
        );
      }
    }
    const tBulk = performance.now();
    if (engine === 'postgres') await sql`analyze`.execute(db);
    const tAnalyze = performance.now();

    const verified = await verify(ctx, plans);
    const fixtureFile = path.join(config.dataDir, 'bench-campaign-fixtures.json');
    const out: CampaignFixtures = { password: DEMO_PASSWORD, liaisons: fixtures };
    writeFileSync(fixtureFile, JSON.stringify(out));

    const mapCampaign = campaignIds[0];
    const mapUnits = await db
      .selectFrom('task_instances')
      .select((eb) => [eb.fn.countAll().as('n'), sql<number>`count(distinct unit_id)`.as('u')])
      .where('campaign_id', '=', mapCampaign)
      .executeTakeFirstOrThrow();
    const result: GenerationResult = {
      engine: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
      scale: scale.name,
      units: units.length,
      liaisons: units.length,
      campaigns: scale.campaigns,
      tasks: tasks.length,
      instances: plans.length,
      reports: Object.values(byState).reduce((a, b) => a + b, 0),
      reportsByState: byState,
      seconds: {
        seed: (tSeed - t0) / 1000,
        structure: (tStructure - tSeed) / 1000,
        bulk: (tBulk - tStructure) / 1000,
        analyze: (tAnalyze - tBulk) / 1000,
        total: (tAnalyze - t0) / 1000,
      },
      verified,
      fixtureFile,
      mapCampaign: {
        id: mapCampaign,
        instances: Number(mapUnits.n),
        units: Number(mapUnits.u),
        activities: ACTIVITIES_PER_CAMPAIGN,
      },
      databaseBytes: await databaseBytes(ctx.database, config.dataDir),
    };
    console.log(`BENCH_CAMPAIGN_DATA ${JSON.stringify(result)}`);
  } finally {
    await ctx.database.close();
  }
}

class Rollback extends Error {
  constructor(readonly rows: Record<string, unknown>[]) {
    super('rollback');
  }
}

const AGG_COLS = [
  'id',
  'amounts',
  'accepted_reports',
  'pending_reports',
  'returned_at',
  'done_on',
  'progress',
] as const;

/**
 * Re-derives a sample of instances' aggregates from their reports with recolorInstances (the path a
 * review takes) inside a transaction that is rolled back, and counts the instances whose stored values
 * differ from what it computed.
 */
async function verify(
  ctx: Awaited<ReturnType<typeof createContext>>,
  plans: InstancePlan[],
): Promise<{ sampled: number; mismatched: number }> {
  const step = Math.max(1, Math.floor(plans.length / VERIFY_SAMPLE));
  const ids = plans.filter((_, i) => i % step === 0).map((p) => p.id);
  const read = (db: typeof ctx.database.db) =>
    db
      .selectFrom('task_instances')
      .select([...AGG_COLS])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
  const before = await read(ctx.database.db);
  const cal = await getCalendar(ctx);
  let after: Record<string, unknown>[] = [];
  try {
    await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
      await recolorInstances(tx, cal, { instanceIds: ids }, 'review');
      throw new Rollback(await read(tx.db));
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    after = err.rows;
  }
  const key = (r: Record<string, unknown>) => AGG_COLS.map((c) => String(r[c] ?? '')).join('|');
  let mismatched = 0;
  before.forEach((r, i) => {
    if (key(r) !== key(after[i] ?? {})) {
      mismatched++;
      if (mismatched <= 3)
        console.error(`mismatch: stored ${key(r)}\n        derived ${key(after[i] ?? {})}`);
    }
  });
  return { sampled: ids.length, mismatched };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
