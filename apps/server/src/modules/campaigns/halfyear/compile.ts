/** The compiled half-year document (汇编) of a campaign and period, as .docx. */
import { type Color, colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { formatLocal } from '../../../platform/calendar/calendar.ts';
import type { AppContext } from '../../../platform/context.ts';
import { type Block, buildDocx } from '../../../platform/docx/docx.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';
import { halfYearMachine } from './machine.ts';
import { listHalfYear } from './service.ts';

const SECTION_TITLES = [
  ['progress_text', '进展成效'],
  ['practices', '经验做法'],
  ['problems', '存在问题'],
  ['plans', '下步打算'],
] as const;

const DIGITS = '零一二三四五六七八九';

/** 1 → 一, 12 → 十二, 56 → 五十六 (up to 99; larger numbers stay in digits). */
export function zhNumber(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? DIGITS[tens] : ''}十${n % 10 ? DIGITS[n % 10] : ''}`;
}

/** Paragraphs of a section: one per line the unit wrote, blank lines dropped. */
function paragraphs(text: string): Block[] {
  return text
    .split(/\r\n?|\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => ({ kind: 'paragraph', text: line, indent: true }));
}

/**
 * Title; a summary table of every responsible unit (task count, done, colours, report state); then
 * the four sections of each accepted report, and of each submitted one marked 未审核.
 */
export async function compileHalfYear(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  period: string,
): Promise<{ name: string; bytes: Buffer }> {
  const list = await listHalfYear(ctx, caller, campaignId, period);
  const half = period.endsWith('H1') ? '上半年' : '下半年';
  const title = `${list.campaign.name}${period.slice(0, 4)}年${half}工作报告汇编`;
  const reports = await ctx.database.db
    .selectFrom('half_year_reports as h')
    .innerJoin('org_units as o', 'o.id', 'h.unit_id')
    .select(['h.unit_id', 'h.state', 'h.progress_text', 'h.practices', 'h.problems', 'h.plans', 'o.name'])
    .where('h.campaign_id', '=', campaignId)
    .where('h.period', '=', period)
    .where('h.state', 'in', ['submitted', 'accepted'])
    .where(unitInScope(caller.scope, 'o.path', 'o.id'))
    .orderBy('o.path')
    .execute();
  const stateName = (s: string) => halfYearMachine.labels.states[s]?.['zh-CN'] ?? s;
  const colors: Color[] = ['green', 'blue', 'yellow', 'orange', 'red'];
  const shown = colors.filter((c) => c !== 'orange' || list.units.some((u) => u.byColor.orange > 0));
  const submitted = list.units.filter((u) => u.report && u.report.state !== 'draft').length;
  const accepted = list.units.filter((u) => u.report?.state === 'accepted').length;

  const blocks: Block[] = [
    {
      kind: 'paragraph',
      align: 'center',
      text: `（${formatLocal(ctx.clock.now()).slice(0, 10)}汇编，共${list.units.length}个责任单位，已提交${submitted}个，已审核通过${accepted}个）`,
    },
    { kind: 'heading', level: 1, text: '一、各单位完成情况汇总' },
    {
      kind: 'table',
      header: ['序号', '单位', '任务数', '已完成', ...shown.map((c) => colorWord(c, 'zh-CN')), '报告'],
      widths: [1, 4, 1.4, 1.4, ...shown.map(() => 1), 1.8],
      rows: list.units.map((u, i) => [
        String(i + 1),
        u.unit.name,
        String(u.instances),
        String(u.done),
        ...shown.map((c) => String(u.byColor[c])),
        u.report ? stateName(u.report.state) : '未提交',
      ]),
    },
    { kind: 'heading', level: 1, text: '二、各单位报告' },
  ];
  if (!reports.length) blocks.push({ kind: 'paragraph', text: '暂无已提交的报告。', indent: true });
  reports.forEach((r, i) => {
    const marker = r.state === 'accepted' ? '' : '（已提交，未审核）';
    // Each unit's report starts on a new page, as in a printed 汇编.
    if (i > 0) blocks.push({ kind: 'pageBreak' });
    blocks.push({ kind: 'heading', level: 2, text: `（${zhNumber(i + 1)}）${r.name}${marker}` });
    SECTION_TITLES.forEach(([column, heading], k) => {
      blocks.push({ kind: 'heading', level: 3, text: `${k + 1}. ${heading}` });
      blocks.push(...paragraphs(r[column]));
    });
  });
  const bytes = await buildDocx({ title, blocks });
  return { name: `${title}.docx`, bytes };
}
