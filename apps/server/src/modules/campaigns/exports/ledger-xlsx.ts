/**
 * The Excel ledger (台账) of a campaign or unit: one row per task instance and report, streamed with
 * exceljs' WorkbookWriter so that 50,000 instances never sit in memory at once.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import {
  COLORS,
  type Color,
  type ColorReason,
  colorReasonText,
  colorWord,
  type TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { int, json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { formatLocal } from '../../../platform/calendar/calendar.ts';
import type { Lang } from '../../../platform/http/messages.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import type { ReasonReader } from '../colors/reason.ts';
import { activityLabel } from '../halfyear/stats.ts';
import type { ExportTarget } from './scope.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Instances read per query (and their reports and evidence). */
const CHUNK = 500;

/** Fill colours of the colour cells (ARGB) and the text colour that reads on them. */
export const COLOR_FILL: Record<Color, { fill: string; font: string }> = {
  green: { fill: 'FF52C41A', font: 'FFFFFFFF' },
  blue: { fill: 'FF1677FF', font: 'FFFFFFFF' },
  yellow: { fill: 'FFFADB14', font: 'FF000000' },
  orange: { fill: 'FFFA8C16', font: 'FFFFFFFF' },
  red: { fill: 'FFF5222D', font: 'FFFFFFFF' },
};

const REPORT_STATE: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    draft: '草稿',
    submitted: '待审核',
    unit_approved: '单位已审批',
    accepted: '已通过',
    returned: '已退回',
  },
  'en-US': {
    draft: 'draft',
    submitted: 'submitted',
    unit_approved: 'approved by the unit',
    accepted: 'accepted',
    returned: 'returned',
  },
};

const HEAD: Record<
  Lang,
  { ledger: string[]; units: string[]; sheets: [string, string]; role: Record<string, string> }
> = {
  'zh-CN': {
    sheets: ['台账', '单位汇总'],
    ledger: [
      '板块',
      '活动',
      '任务',
      '责任单位',
      '职责',
      '周期',
      '时间范围',
      '截止日期',
      '状态',
      '状态说明',
      '完成进度(%)',
      '目标与完成量',
      '报告编号',
      '报告状态',
      '报告内容',
      '提交时间',
      '审核时间',
      '佐证材料',
    ],
    units: [
      '责任单位',
      '任务数',
      '已完成',
      '完成率(%)',
      ...COLORS.map((c) => colorWord(c, 'zh-CN')),
      '报告数',
      '已通过报告',
      '佐证材料数',
    ],
    role: { lead: '牵头', co: '配合' },
  },
  'en-US': {
    sheets: ['Ledger', 'Units'],
    ledger: [
      'Section',
      'Activity',
      'Task',
      'Unit',
      'Role',
      'Cycle',
      'Window',
      'Due',
      'Colour',
      'Reason',
      'Progress (%)',
      'Targets and amounts',
      'Report',
      'Report state',
      'Summary',
      'Submitted',
      'Reviewed',
      'Evidence',
    ],
    units: [
      'Unit',
      'Instances',
      'Done',
      'Done (%)',
      ...COLORS.map((c) => colorWord(c, 'en-US')),
      'Reports',
      'Accepted reports',
      'Evidence files',
    ],
    role: { lead: 'lead', co: 'co-operating' },
  },
};

const LEDGER_WIDTHS = [18, 28, 30, 18, 8, 10, 24, 12, 8, 48, 10, 36, 38, 12, 48, 18, 18, 60];
const UNIT_WIDTHS = [24, 10, 10, 10, 8, 8, 8, 8, 8, 10, 12, 12];

/**
 * Waits while the client reads more slowly than the workbook is written (exceljs itself does not wait),
 * so a slow download holds one chunk in memory rather than the whole ledger. Resolves at once when the
 * stream has room or is gone.
 */
function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

const local = (iso: string | null) => (iso ? formatLocal(new Date(iso)).slice(0, 16).replace('T', ' ') : '');

/** The instance ids of the export, in ledger order: section, activity, task, unit, cycle. */
function instanceIds(db: Kysely<DB>, target: ExportTarget, scope: Scope) {
  let q = db
    .selectFrom('task_instances as i')
    .innerJoin('campaign_activities as a', 'a.id', 'i.activity_id')
    .innerJoin('campaign_sections as s', 's.id', 'a.section_id')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('org_units as o', 'o.id', 'i.unit_id')
    .select('i.id')
    .where('i.campaign_id', '=', target.campaign.id);
  q = target.unit ? q.where('i.unit_id', '=', target.unit.id) : q.where(unitInScope(scope, 'o.path', 'o.id'));
  return q
    .orderBy('s.seq')
    .orderBy('a.seq')
    .orderBy('t.seq')
    .orderBy('o.path')
    .orderBy('i.starts_on')
    .orderBy('i.id')
    .execute();
}

async function chunkRows(db: Kysely<DB>, ids: string[]) {
  const [instances, reports] = await Promise.all([
    db
      .selectFrom('task_instances as i')
      .innerJoin('campaign_activities as a', 'a.id', 'i.activity_id')
      .innerJoin('campaign_sections as s', 's.id', 'a.section_id')
      .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
      .innerJoin('org_units as o', 'o.id', 'i.unit_id')
      .select([
        'i.id',
        'i.role',
        'i.cycle',
        'i.starts_on',
        'i.due_on',
        'i.color',
        'i.color_reason',
        'i.progress',
        'i.amounts',
        's.numeral as section_numeral',
        's.title as section_title',
        'a.numeral',
        'a.name as activity_name',
        't.title',
        't.targets',
        'o.name as unit_name',
      ])
      .where('i.id', 'in', ids)
      .execute(),
    db
      .selectFrom('ledger_report_items as it')
      .innerJoin('ledger_reports as r', 'r.id', 'it.report_id')
      .select([
        'it.instance_id',
        'r.id',
        'r.state',
        'r.summary',
        'r.submitted_at',
        'r.reviewed_at',
        'r.created_at',
      ])
      .where('it.instance_id', 'in', ids)
      .where('r.state', '<>', 'draft')
      .orderBy('r.submitted_at')
      .orderBy('r.id')
      .execute(),
  ]);
  const reportIds = [...new Set(reports.map((r) => r.id))];
  const files = new Map<string, string[]>();
  for (let k = 0; k < reportIds.length; k += CHUNK) {
    const links = await db
      .selectFrom('file_links')
      .select(['record_id', 'file_id'])
      .where('record_type', '=', 'ledger_report')
      .where('record_id', 'in', reportIds.slice(k, k + CHUNK))
      .orderBy('linked_at')
      .orderBy('file_id')
      .execute();
    for (const l of links) {
      const list = files.get(l.record_id);
      if (list) list.push(l.file_id);
      else files.set(l.record_id, [l.file_id]);
    }
  }
  const byInstance = new Map<string, typeof reports>();
  for (const r of reports) {
    const list = byInstance.get(r.instance_id);
    if (list) list.push(r);
    else byInstance.set(r.instance_id, [r]);
  }
  const byId = new Map(instances.map((i) => [i.id, i]));
  return { instances: ids.map((id) => byId.get(id)).filter((i) => i !== undefined), byInstance, files };
}

function targetsText(targets: TaskTarget[], amounts: number[], lang: Lang): string {
  return targets
    .map((t, k) =>
      lang === 'zh-CN'
        ? `${t.label}：${amounts[k] ?? 0}/${t.quantity}${t.measure}`
        : `${t.label}: ${amounts[k] ?? 0}/${t.quantity} ${t.measure}`,
    )
    .join('\n');
}

/** Per unit: instances, done, colours, reports (non-draft / accepted) and evidence files of the export. */
async function unitTotals(db: Kysely<DB>, target: ExportTarget, scope: Scope) {
  const unitFilter = target.unit
    ? sql<boolean>`o.id = ${target.unit.id}`
    : unitInScope(scope, 'o.path', 'o.id');
  const [colours, reports, evidence] = await Promise.all([
    db
      .selectFrom('task_instances as i')
      .innerJoin('org_units as o', 'o.id', 'i.unit_id')
      .select([
        'o.id',
        'o.name',
        'o.path',
        'i.color',
        (eb) => eb.fn.countAll().as('n'),
        sql<number>`sum(case when i.done_on is null then 0 else 1 end)`.as('done'),
      ])
      .where('i.campaign_id', '=', target.campaign.id)
      .where(unitFilter)
      .groupBy(['o.id', 'o.name', 'o.path', 'i.color'])
      .execute(),
    db
      .selectFrom('ledger_reports as r')
      .innerJoin('org_units as o', 'o.id', 'r.unit_id')
      .select([
        'o.id',
        (eb) => eb.fn.countAll().as('n'),
        sql<number>`sum(case when r.state = 'accepted' then 1 else 0 end)`.as('accepted'),
      ])
      .where('r.campaign_id', '=', target.campaign.id)
      .where('r.state', '<>', 'draft')
      .where(unitFilter)
      .groupBy('o.id')
      .execute(),
    db
      .selectFrom('file_links as l')
      .innerJoin('ledger_reports as r', 'r.id', 'l.record_id')
      .innerJoin('org_units as o', 'o.id', 'r.unit_id')
      .select(['o.id', (eb) => eb.fn.count('l.file_id').distinct().as('n')])
      .where('l.record_type', '=', 'ledger_report')
      .where('r.campaign_id', '=', target.campaign.id)
      .where('r.state', '<>', 'draft')
      .where(unitFilter)
      .groupBy('o.id')
      .execute(),
  ]);
  const units = new Map<
    string,
    { name: string; path: string; instances: number; done: number; byColor: Record<Color, number> }
  >();
  for (const r of colours) {
    let u = units.get(r.id);
    if (!u) {
      u = {
        name: r.name,
        path: r.path,
        instances: 0,
        done: 0,
        byColor: Object.fromEntries(COLORS.map((c) => [c, 0])) as Record<Color, number>,
      };
      units.set(r.id, u);
    }
    u.instances += int(r.n);
    u.done += int(r.done);
    u.byColor[r.color as Color] = int(r.n);
  }
  const rep = new Map(reports.map((r) => [r.id, { n: int(r.n), accepted: int(r.accepted) }]));
  const ev = new Map(evidence.map((r) => [r.id, int(r.n)]));
  return [...units.entries()]
    .sort(([, a], [, b]) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(([id, u]) => ({
      ...u,
      reports: rep.get(id)?.n ?? 0,
      accepted: rep.get(id)?.accepted ?? 0,
      evidence: ev.get(id) ?? 0,
    }));
}

/**
 * Writes the workbook to `out` and ends it. Sheet 1: one row per instance and non-draft report linked
 * to it (an instance without reports still has its row), colour cells filled, header frozen, autofilter.
 * Sheet 2: totals per unit. `baseUrl` makes evidence links absolute (`<baseUrl>/api/files/<id>/content`);
 * `read` gives each stored reason its figures as of today.
 */
export async function writeLedgerXlsx(
  db: Kysely<DB>,
  target: ExportTarget,
  scope: Scope,
  opts: { lang: Lang; baseUrl: string; read: ReasonReader },
  out: Writable,
): Promise<void> {
  const head = HEAD[opts.lang];
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'Wenming';
  const last = String.fromCharCode(64 + head.ledger.length);
  const ws = wb.addWorksheet(head.sheets[0], {
    views: [{ state: 'frozen', ySplit: 1 }],
    autoFilter: `A1:${last}1`,
  } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = LEDGER_WIDTHS.map((width) => ({ width }));
  const header = ws.addRow(head.ledger);
  header.font = { bold: true };
  header.commit();

  const ids = (await instanceIds(db, target, scope)).map((r) => r.id);
  for (let k = 0; k < ids.length; k += CHUNK) {
    await drained(out);
    if (out.destroyed) return;
    const { instances, byInstance, files } = await chunkRows(db, ids.slice(k, k + CHUNK));
    for (const i of instances) {
      const color = i.color as Color;
      const reason = opts.read(i.color_reason) as ColorReason;
      const base = [
        activityLabel(i.section_numeral, i.section_title),
        activityLabel(i.numeral, i.activity_name),
        i.title,
        i.unit_name,
        head.role[i.role] ?? i.role,
        i.cycle,
        `${i.starts_on} ~ ${i.due_on}`,
        i.due_on,
        colorWord(color, opts.lang),
        colorReasonText(color, reason, opts.lang),
        int(i.progress),
        targetsText(json<TaskTarget[]>(i.targets) ?? [], json<number[]>(i.amounts) ?? [], opts.lang),
      ];
      const reports = byInstance.get(i.id) ?? [];
      const rows = reports.length
        ? reports.map((r) => [
            r.id,
            REPORT_STATE[opts.lang][r.state] ?? r.state,
            r.summary,
            local(r.submitted_at),
            local(r.reviewed_at),
            (files.get(r.id) ?? []).map((f) => `${opts.baseUrl}/api/files/${f}/content`).join('\n'),
          ])
        : [['', '', '', '', '', '']];
      for (const rest of rows) {
        const row = ws.addRow([...base, ...rest]);
        const cell = row.getCell(9);
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLOR_FILL[color].fill } };
        cell.font = { color: { argb: COLOR_FILL[color].font }, bold: true };
        row.getCell(12).alignment = { wrapText: true, vertical: 'top' };
        row.getCell(18).alignment = { wrapText: true, vertical: 'top' };
        row.commit();
      }
    }
  }
  ws.commit();

  const totals = wb.addWorksheet(head.sheets[1], { views: [{ state: 'frozen', ySplit: 1 }] });
  totals.columns = UNIT_WIDTHS.map((width) => ({ width }));
  const th = totals.addRow(head.units);
  th.font = { bold: true };
  th.commit();
  for (const u of await unitTotals(db, target, scope)) {
    totals
      .addRow([
        u.name,
        u.instances,
        u.done,
        u.instances ? Math.round((u.done / u.instances) * 1000) / 10 : 0,
        ...COLORS.map((c) => u.byColor[c]),
        u.reports,
        u.accepted,
        u.evidence,
      ])
      .commit();
  }
  totals.commit();
  await wb.commit();
}
