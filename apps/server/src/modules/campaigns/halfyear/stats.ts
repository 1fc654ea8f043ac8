/**
 * The ledger statistics a half-year report is pre-filled with, and the 进展成效 paragraph drafted from
 * them. `ledgerStats` reads; `draftProgressText` is pure.
 */
import type { Kysely } from 'kysely';
import {
  COLORS,
  type Color,
  type ColorReason,
  type TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import type { ReasonReader } from '../colors/reason.ts';
import type { PeriodRange } from './period.ts';

export interface TaskStats {
  taskId: string;
  /** The activity's numeral and name, e.g. "1. 文明单位创建". */
  activity: string;
  title: string;
  instances: number;
  done: number;
  /** Per target: the target summed over the unit's instances in the period, and the accepted amount. */
  targets: { label: string; measure: string; target: number; amount: number }[];
}

export interface OverdueItem {
  instanceId: string;
  activity: string;
  task: string;
  cycle: string;
  due: string;
  color: Color;
  reason: ColorReason;
}

/**
 * A unit's ledger in one campaign over one half-year, as of a day. The instances counted are those
 * whose window overlaps the period; reports are the non-draft reports linked to them.
 */
export interface HalfYearStats {
  period: string;
  from: string;
  to: string;
  asOf: string;
  instances: number;
  /** Instances completed (accepted reports met the targets). */
  done: number;
  byColor: Record<Color, number>;
  reports: { accepted: number; pending: number; returned: number };
  /** Evidence files of the accepted reports (each file once). */
  evidence: number;
  /** Instances past their due day and not done, with their colour and reason. */
  overdue: OverdueItem[];
  tasks: TaskStats[];
}

export function activityLabel(numeral: string, name: string): string {
  const n = numeral.trim();
  return n ? `${n} ${name}` : name;
}

export async function ledgerStats(
  db: Kysely<DB>,
  campaignId: string,
  unitId: string,
  range: PeriodRange,
  asOf: string,
  read: ReasonReader,
): Promise<HalfYearStats> {
  const instances = await db
    .selectFrom('task_instances as i')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('campaign_activities as a', 'a.id', 'i.activity_id')
    .select([
      'i.id',
      'i.task_id',
      'i.cycle',
      'i.due_on',
      'i.color',
      'i.color_reason',
      'i.amounts',
      'i.done_on',
      't.title',
      't.targets',
      't.seq as task_seq',
      'a.seq as activity_seq',
      'a.numeral',
      'a.name as activity_name',
    ])
    .where('i.campaign_id', '=', campaignId)
    .where('i.unit_id', '=', unitId)
    .where('i.starts_on', '<=', range.to)
    .where('i.due_on', '>=', range.from)
    .orderBy('a.seq')
    .orderBy('t.seq')
    .orderBy('i.due_on')
    .orderBy('i.id')
    .execute();

  const byColor = Object.fromEntries(COLORS.map((c) => [c, 0])) as Record<Color, number>;
  const tasks = new Map<string, TaskStats>();
  const overdue: OverdueItem[] = [];
  let done = 0;
  for (const i of instances) {
    const color = i.color as Color;
    byColor[color] = (byColor[color] ?? 0) + 1;
    if (i.done_on) done++;
    const activity = activityLabel(i.numeral, i.activity_name);
    let task = tasks.get(i.task_id);
    if (!task) {
      const targets = json<TaskTarget[]>(i.targets) ?? [];
      task = {
        taskId: i.task_id,
        activity,
        title: i.title,
        instances: 0,
        done: 0,
        targets: targets.map((x) => ({ label: x.label, measure: x.measure, target: 0, amount: 0 })),
      };
      tasks.set(i.task_id, task);
    }
    task.instances++;
    if (i.done_on) task.done++;
    const targets = json<TaskTarget[]>(i.targets) ?? [];
    const amounts = json<number[]>(i.amounts) ?? [];
    task.targets.forEach((x, k) => {
      x.target += Number(targets[k]?.quantity ?? 0);
      x.amount += Number(amounts[k] ?? 0);
    });
    if (!i.done_on && i.due_on < asOf) {
      overdue.push({
        instanceId: i.id,
        activity,
        task: i.title,
        cycle: i.cycle,
        due: i.due_on,
        color,
        reason: read(i.color_reason) as ColorReason,
      });
    }
  }

  const reports = { accepted: 0, pending: 0, returned: 0 };
  let evidence = 0;
  const ids = instances.map((i) => i.id);
  if (ids.length) {
    const linked = new Map<string, string>();
    for (let k = 0; k < ids.length; k += 500) {
      const rows = await db
        .selectFrom('ledger_report_items as it')
        .innerJoin('ledger_reports as r', 'r.id', 'it.report_id')
        .select(['r.id', 'r.state'])
        .where('it.instance_id', 'in', ids.slice(k, k + 500))
        .where('r.state', '<>', 'draft')
        .execute();
      for (const r of rows) linked.set(r.id, r.state);
    }
    const accepted: string[] = [];
    for (const [id, state] of linked) {
      if (state === 'accepted') {
        reports.accepted++;
        accepted.push(id);
      } else if (state === 'returned') reports.returned++;
      else reports.pending++;
    }
    const files = new Set<string>();
    for (let k = 0; k < accepted.length; k += 500) {
      const rows = await db
        .selectFrom('file_links')
        .select('file_id')
        .where('record_type', '=', 'ledger_report')
        .where('record_id', 'in', accepted.slice(k, k + 500))
        .execute();
      for (const r of rows) files.add(r.file_id);
    }
    evidence = files.size;
  }

  return {
    period: range.period,
    from: range.from,
    to: range.to,
    asOf,
    instances: instances.length,
    done,
    byColor,
    reports,
    evidence,
    overdue,
    tasks: [...tasks.values()],
  };
}

const COLOR_ZH: Record<Color, string> = {
  green: '绿色',
  blue: '蓝色',
  yellow: '黄色',
  orange: '橙色',
  red: '红色',
};
/** The longest a section of the report may be (characters). */
export const SECTION_MAX = 5000;
/** Task lines in the paragraph; beyond this it says how many more there are. */
const MAX_TASK_LINES = 10;

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/**
 * The drafted 进展成效 paragraph (zh-CN) a unit starts from, e.g. "2026年上半年，市卫生健康局承担“…”
 * 任务12项，已完成8项（完成率66.7%）……". The unit rewrites it; the numbers come from `stats`.
 */
export function draftProgressText(stats: HalfYearStats, unitName: string, campaignName: string): string {
  const half = stats.period.endsWith('H1') ? '上半年' : '下半年';
  const year = stats.period.slice(0, 4);
  const parts: string[] = [];
  if (stats.instances === 0) {
    parts.push(`${year}年${half}，${unitName}在“${campaignName}”中无应完成的任务。`);
  } else {
    const rate = Math.round((stats.done / stats.instances) * 1000) / 10;
    parts.push(
      `${year}年${half}，${unitName}承担“${campaignName}”任务${stats.instances}项，已完成${stats.done}项（完成率${num(rate)}%）。`,
    );
  }
  const measured = stats.tasks.filter((t) => t.targets.length > 0);
  if (measured.length) {
    const lines = measured.slice(0, MAX_TASK_LINES).map((t) => {
      const amounts = t.targets
        .map((x) => `${x.label}${num(x.amount)}${x.measure}（目标${num(x.target)}${x.measure}）`)
        .join('、');
      return `${t.title}：完成${amounts}`;
    });
    const more = measured.length > MAX_TASK_LINES ? `等${measured.length}项任务` : '';
    parts.push(`主要指标：${lines.join('；')}${more}。`);
  }
  parts.push(
    `报送台账材料已审核通过${stats.reports.accepted}份${stats.reports.pending ? `、待审核${stats.reports.pending}份` : ''}${stats.reports.returned ? `、被退回${stats.reports.returned}份` : ''}，佐证材料${stats.evidence}份。`,
  );
  if (stats.instances) {
    const colors = COLORS.filter((c) => stats.byColor[c] > 0)
      .map((c) => `${COLOR_ZH[c]}${stats.byColor[c]}项`)
      .join('、');
    parts.push(`目前任务状态：${colors}。`);
  }
  if (stats.overdue.length) {
    const names = stats.overdue
      .slice(0, MAX_TASK_LINES)
      .map((o) => `${o.task}（截止${o.due}）`)
      .join('、');
    const more = stats.overdue.length > MAX_TASK_LINES ? '等' : '';
    parts.push(`逾期未完成${stats.overdue.length}项：${names}${more}。`);
  } else if (stats.instances) {
    parts.push('无逾期未完成任务。');
  }
  return Array.from(parts.join('')).slice(0, SECTION_MAX).join('');
}
