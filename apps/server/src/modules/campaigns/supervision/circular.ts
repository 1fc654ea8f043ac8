/**
 * The circular (通报): units ranked by result — red, orange, yellow, then in progress, then all green —
 * with their counts per colour and the reason sentences of their worst instances. Pure: the caller loads
 * the instances' colours (as of a day) and writes the document.
 */
import {
  COLOR_SEVERITY,
  type Color,
  type ColorReason,
  colorReasonText,
  colorWord,
} from '../../../../../../packages/contracts/src/index.ts';
import type { Block, DocxDocument } from '../../../platform/docx/docx.ts';

export interface CircularInstance {
  unitId: string;
  unitName: string;
  unitSort: number;
  title: string;
  cycle: string;
  color: Color;
  reason: ColorReason;
}

export type ColorCounts = Record<Color, number>;

export interface CircularUnit {
  unitId: string;
  unitName: string;
  worst: Color;
  counts: ColorCounts;
  /** Reason sentences of the instances of the worst colour (at most REASONS_PER_UNIT). */
  reasons: string[];
  /** How many instances of the worst colour were left out of `reasons`. */
  moreReasons: number;
}

export interface CircularSummary {
  units: CircularUnit[];
  totals: ColorCounts;
}

/** Worst first, as the circular lists them. */
const ORDER: Color[] = ['red', 'orange', 'yellow', 'blue', 'green'];
const REASONS_PER_UNIT = 5;

const zero = (): ColorCounts => ({ red: 0, orange: 0, yellow: 0, blue: 0, green: 0 });

export function summarize(instances: CircularInstance[]): CircularSummary {
  const byUnit = new Map<string, { unit: CircularUnit; sort: number; worstOnes: CircularInstance[] }>();
  const totals = zero();
  for (const i of instances) {
    totals[i.color]++;
    let u = byUnit.get(i.unitId);
    if (!u) {
      u = {
        unit: {
          unitId: i.unitId,
          unitName: i.unitName,
          worst: i.color,
          counts: zero(),
          reasons: [],
          moreReasons: 0,
        },
        sort: i.unitSort,
        worstOnes: [],
      };
      byUnit.set(i.unitId, u);
    }
    u.unit.counts[i.color]++;
    if (COLOR_SEVERITY[i.color] > COLOR_SEVERITY[u.unit.worst]) {
      u.unit.worst = i.color;
      u.worstOnes = [i];
    } else if (i.color === u.unit.worst) u.worstOnes.push(i);
  }
  const units = [...byUnit.values()]
    .sort(
      (a, b) =>
        COLOR_SEVERITY[b.unit.worst] - COLOR_SEVERITY[a.unit.worst] ||
        b.unit.counts[b.unit.worst] - a.unit.counts[a.unit.worst] ||
        a.sort - b.sort ||
        a.unit.unitName.localeCompare(b.unit.unitName, 'zh-CN'),
    )
    .map(({ unit, worstOnes }) => {
      const problem = unit.worst !== 'green' && unit.worst !== 'blue';
      const listed = problem ? worstOnes.slice(0, REASONS_PER_UNIT) : [];
      return {
        ...unit,
        reasons: listed.map((i) => `${label(i)}（${colorReasonText(i.color, i.reason, 'zh-CN')}）`),
        moreReasons: problem ? worstOnes.length - listed.length : 0,
      };
    });
  return { units, totals };
}

function label(i: CircularInstance): string {
  return i.cycle === 'once' ? i.title : `${i.title}（${i.cycle}）`;
}

function countsText(c: ColorCounts): string {
  return ORDER.filter((k) => c[k] > 0)
    .map((k) => `${colorWord(k, 'zh-CN')}${c[k]}项`)
    .join('、');
}

const SECTION_TITLES: Record<Color, string> = {
  red: '红色（逾期未完成）单位',
  orange: '橙色（严重滞后）单位',
  yellow: '黄色（进度滞后）单位',
  blue: '按期推进单位',
  green: '全部完成单位',
};
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八'];

export interface CircularHeader {
  title: string;
  number: string;
  campaign: string;
  asOf: string;
  office: string;
  issuedOn: string;
}

/** "2026-04-30" → "2026年4月30日". */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function circularDocument(h: CircularHeader, s: CircularSummary): DocxDocument {
  const total = ORDER.reduce((n, k) => n + s.totals[k], 0);
  const blocks: Block[] = [
    { kind: 'paragraph', text: h.number, align: 'center' },
    {
      kind: 'paragraph',
      indent: true,
      text:
        `截至${chineseDate(h.asOf)}，“${h.campaign}”共有${s.units.length}个责任单位、${total}项任务` +
        (total > 0 ? `，其中${countsText(s.totals)}` : '') +
        '。现将各单位推进情况通报如下：',
    },
  ];
  let n = 0;
  for (const color of ORDER) {
    const units = s.units.filter((u) => u.worst === color);
    if (units.length === 0) continue;
    blocks.push({
      kind: 'heading',
      level: 2,
      text: `${NUMERALS[n++]}、${SECTION_TITLES[color]}（${units.length}个）`,
    });
    if (color === 'green' || color === 'blue') {
      blocks.push({
        kind: 'paragraph',
        indent: true,
        text: units.map((u) => `${u.unitName}（${countsText(u.counts)}）`).join('、'),
      });
      continue;
    }
    for (const u of units) {
      blocks.push({
        kind: 'paragraph',
        indent: true,
        text: [{ text: `${u.unitName}：`, bold: true }, { text: `${countsText(u.counts)}。` }],
      });
      for (const r of u.reasons) blocks.push({ kind: 'paragraph', indent: true, text: r });
      if (u.moreReasons > 0)
        blocks.push({ kind: 'paragraph', indent: true, text: `另有${u.moreReasons}项同类情况。` });
    }
  }
  blocks.push({ kind: 'heading', level: 2, text: `${NUMERALS[n]}、各单位任务情况统计` });
  blocks.push({
    kind: 'table',
    header: ['序号', '单位', '红', '橙', '黄', '蓝', '绿', '合计'],
    widths: [1, 5, 1, 1, 1, 1, 1, 1.2],
    rows: [
      ...s.units.map((u, i) => [
        String(i + 1),
        u.unitName,
        ...ORDER.map((k) => String(u.counts[k])),
        String(ORDER.reduce((sum, k) => sum + u.counts[k], 0)),
      ]),
      ['', '合计', ...ORDER.map((k) => String(s.totals[k])), String(total)],
    ],
  });
  blocks.push({ kind: 'paragraph', text: h.office, align: 'right' });
  blocks.push({ kind: 'paragraph', text: chineseDate(h.issuedOn), align: 'right' });
  return { title: h.title, blocks };
}
