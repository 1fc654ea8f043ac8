/**
 * The circular (通报) of slow and unsatisfying units in handling citizens' cases (pure): which units are
 * named, why, and the Word document. The caller loads the figures and the late deadlines.
 */
import type { Block, DocxDocument } from '../../../platform/docx/docx.ts';
import type { CaseFigures } from './figures.ts';

export interface CircularThresholds {
  /** A deadline this many working days late or more is 严重超期 (the SLA's circular stage: 5). */
  lateWorkingDays: number;
  /** Units whose on-time rate is below this percent are named. */
  onTimeRate: number;
  /** Units whose mean rating is below this score are named. */
  avgScore: number;
}

export const DEFAULT_THRESHOLDS: CircularThresholds = { lateWorkingDays: 5, onTimeRate: 80, avgScore: 3.5 };

export interface CircularUnitInput {
  unitId: string;
  unitName: string;
  figures: CaseFigures;
}

/** An answer/redo deadline missed, with its working days late (to its meeting, or to now if still open). */
export interface LateDeadline {
  unitId: string;
  caseNo: string;
  workingDaysLate: number;
  open: boolean;
}

export interface SeriousLate {
  unitId: string;
  unitName: string;
  count: number;
  open: number;
  maxDays: number;
  /** 'SP-2026-000001（超期7个工作日，尚未答复）' for the first few. */
  reasons: string[];
  moreReasons: number;
}

export interface CircularContent {
  serious: SeriousLate[];
  slow: CircularUnitInput[];
  unsatisfying: CircularUnitInput[];
  units: CircularUnitInput[];
}

const REASONS_PER_UNIT = 5;

/** The units to name: seriously late first (most such deadlines first), then low on-time rate, then low rating. */
export function selectUnits(
  units: CircularUnitInput[],
  late: LateDeadline[],
  th: CircularThresholds,
): CircularContent {
  const names = new Map(units.map((u) => [u.unitId, u.unitName]));
  const byUnit = new Map<string, LateDeadline[]>();
  for (const d of late) {
    if (d.workingDaysLate < th.lateWorkingDays || !names.has(d.unitId)) continue;
    const list = byUnit.get(d.unitId) ?? [];
    list.push(d);
    byUnit.set(d.unitId, list);
  }
  const serious: SeriousLate[] = [...byUnit.entries()]
    .map(([unitId, list]) => {
      const sorted = [...list].sort(
        (a, b) => b.workingDaysLate - a.workingDaysLate || a.caseNo.localeCompare(b.caseNo),
      );
      const shown = sorted.slice(0, REASONS_PER_UNIT);
      return {
        unitId,
        unitName: names.get(unitId) as string,
        count: list.length,
        open: list.filter((d) => d.open).length,
        maxDays: sorted[0].workingDaysLate,
        reasons: shown.map(
          (d) => `${d.caseNo}（超期${d.workingDaysLate}个工作日，${d.open ? '尚未答复' : '已逾期答复'}）`,
        ),
        moreReasons: sorted.length - shown.length,
      };
    })
    .sort((a, b) => b.count - a.count || b.maxDays - a.maxDays || byName(a.unitName, b.unitName));
  const slow = units
    .filter((u) => u.figures.onTimeRate !== null && u.figures.onTimeRate < th.onTimeRate)
    .sort(
      (a, b) =>
        (a.figures.onTimeRate as number) - (b.figures.onTimeRate as number) || byName(a.unitName, b.unitName),
    );
  const unsatisfying = units
    .filter((u) => u.figures.avgScore !== null && u.figures.avgScore < th.avgScore)
    .sort(
      (a, b) =>
        (a.figures.avgScore as number) - (b.figures.avgScore as number) || byName(a.unitName, b.unitName),
    );
  return { serious, slow, unsatisfying, units };
}

const collator = new Intl.Collator('zh-CN');
const byName = (a: string, b: string) => collator.compare(a, b);

export interface CircularHeader {
  title: string;
  /** SQTB-2026-0001. */
  number: string;
  from: string;
  to: string;
  office: string;
  issuedOn: string;
}

/** "2026-04-30" → "2026年4月30日". */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const NUMERALS = ['一', '二', '三', '四', '五'];
const rate = (v: number | null) => (v === null ? '—' : `${v}%`);
const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));

export function circularDocument(
  h: CircularHeader,
  c: CircularContent,
  th: CircularThresholds,
): DocxDocument {
  const total = c.units.reduce((n, u) => n + u.figures.held, 0);
  const blocks: Block[] = [
    { kind: 'paragraph', text: h.number, align: 'center' },
    {
      kind: 'paragraph',
      indent: true,
      text:
        `${chineseDate(h.from)}至${chineseDate(h.to)}，共有${c.units.length}个单位承办群众诉求${total}件。` +
        '现将答复严重超期、按时答复率偏低和群众满意度偏低的单位通报如下：',
    },
  ];
  let n = 0;
  const section = (title: string, count: number) =>
    blocks.push({ kind: 'heading', level: 2, text: `${NUMERALS[n++]}、${title}（${count}个）` });
  /** One unit's line: its name in bold, then what it is named for. */
  const unitLine = (unitName: string, text: string) =>
    blocks.push({ kind: 'paragraph', indent: true, text: [{ text: `${unitName}：`, bold: true }, { text }] });

  section(`答复超期${th.lateWorkingDays}个工作日以上的单位`, c.serious.length);
  if (c.serious.length === 0) blocks.push({ kind: 'paragraph', indent: true, text: '无。' });
  for (const u of c.serious) {
    unitLine(
      u.unitName,
      `严重超期${u.count}件${u.open > 0 ? `（其中尚未答复${u.open}件）` : ''}，最长超期${u.maxDays}个工作日。`,
    );
    for (const r of u.reasons) blocks.push({ kind: 'paragraph', indent: true, text: r });
    if (u.moreReasons > 0)
      blocks.push({ kind: 'paragraph', indent: true, text: `另有${u.moreReasons}件同类情况。` });
  }

  section(`按时答复率低于${th.onTimeRate}%的单位`, c.slow.length);
  if (c.slow.length === 0) blocks.push({ kind: 'paragraph', indent: true, text: '无。' });
  for (const u of c.slow) {
    const f = u.figures;
    unitLine(
      u.unitName,
      `应按期答复${f.onTime + f.late + f.overdue}件，按时${f.onTime}件，逾期答复${f.late}件，目前超期未答复${f.overdue}件，按时答复率${rate(f.onTimeRate)}。`,
    );
  }

  section(`群众满意度低于${th.avgScore}分的单位`, c.unsatisfying.length);
  if (c.unsatisfying.length === 0) blocks.push({ kind: 'paragraph', indent: true, text: '无。' });
  for (const u of c.unsatisfying) {
    const f = u.figures;
    unitLine(
      u.unitName,
      `收到评价${f.ratings}次，平均${score(f.avgScore)}分，满意率${rate(f.satisfiedRate)}，重办${f.reopened}次。`,
    );
  }

  section('各单位诉求办理情况统计', c.units.length);
  blocks.push({
    kind: 'table',
    header: ['序号', '单位', '首接', '转办', '承办', '答复', '办结', '按时率', '超期', '满意度'],
    widths: [0.8, 4, 1, 1, 1, 1, 1, 1.3, 1, 1.2],
    rows: c.units.map((u, i) => {
      const f = u.figures;
      return [
        String(i + 1),
        u.unitName,
        String(f.received),
        String(f.transferred),
        String(f.held),
        String(f.answered),
        String(f.closed),
        rate(f.onTimeRate),
        String(f.overdue),
        score(f.avgScore),
      ];
    }),
  });
  blocks.push({ kind: 'paragraph', text: h.office, align: 'right' });
  blocks.push({ kind: 'paragraph', text: chineseDate(h.issuedOn), align: 'right' });
  return { title: h.title, blocks };
}
