/** Dates, deadlines, cadences and quantified targets in Chinese plan text. */
import { halfWidthDigits, indexOutside, numeralValue } from './text.ts';
import type { Cadence, CadenceKind, DateRef, Deadline, Target } from './types.ts';

/** The document's date: years are taken from it, and month-only dates before its month are next year's. */
export interface DateBase {
  year: number;
  month: number;
}

const CN_NUM = '[〇零○一二三四五六七八九十]';
const Y = (s: string) =>
  String.raw`(?:(?<y${s}>[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})\s*年(?:度)?|(?<ry${s}>今年|本年|当年|明年|次年|下一年))`;
const M = (s: string) => String.raw`(?<m${s}>[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?`;
const P = (s: string) =>
  String.raw`(?:(?<d${s}>[0-9０-９]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]|(?<p${s}>上旬|中旬|下旬|初|中|底|末))`;
const YP = (s: string) => `(?<yp${s}>年底|年末|年初|年内|上半年|下半年|第?[一二三四1-4１-４]季度(?:末|底)?)`;
/** Each part optional (Node 20 has no duplicate group names); a match with none of them is skipped. */
const POINT = (s: string) => String.raw`(?:${Y(s)})?\s*(?:${M(s)}\s*${P(s)}?|${YP(s)})?`;
const DAY_ONLY = String.raw`(?<do>[0-9０-９]{1,2}|[一二三]?十[一二三四五六七八九]?)\s*[日号]`;

/** One date, a range (X—Y, X至Y), with an optional 前 (deadline) or 开始/起 (open end). */
const DATE_RE = new RegExp(
  `(?<![每个几数0-9０-９${CN_NUM.slice(1, -1)}])(?<a>${POINT('1')})` +
    String.raw`(?:\s*(?:—{1,2}|－|–|-|~|～|至|到)\s*(?=[0-9０-９〇零○一二三四五六七八九十明次下年上第])(?<b>${DAY_ONLY}|${POINT('2')}))?` +
    String.raw`(?<suf>\s*(?:之前|以前|前|开始|以来|以后|起|至今))?`,
  'g',
);

interface Interval {
  from: Date;
  to: Date;
  explicitYear: boolean;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const monthEnd = (y: number, m: number) => new Date(Date.UTC(y, m, 0));

function pointInterval(
  g: Record<string, string | undefined>,
  s: string,
  year: number | null,
): Interval | null {
  const yText = g[`y${s}`];
  const rel = g[`ry${s}`];
  let y = yText ? numeralValue(halfWidthDigits(yText)) : null;
  if (rel && year !== null) y = /明年|次年|下一年/.test(rel) ? year + 1 : year;
  const explicitYear = y !== null;
  y ??= year;
  if (y === null) return null;
  const yp = g[`yp${s}`];
  const mText = g[`m${s}`];
  if (yp) {
    if (/年底|年末|年内/.test(yp)) return { from: day(y, 1, 1), to: day(y, 12, 31), explicitYear };
    if (yp === '年初') return { from: day(y, 1, 1), to: day(y, 1, 31), explicitYear };
    if (yp === '上半年') return { from: day(y, 1, 1), to: day(y, 6, 30), explicitYear };
    if (yp === '下半年') return { from: day(y, 7, 1), to: day(y, 12, 31), explicitYear };
    const q = numeralValue(halfWidthDigits(yp.replace(/[第季度末底]/g, ''))) ?? 1;
    return { from: day(y, q * 3 - 2, 1), to: monthEnd(y, q * 3), explicitYear };
  }
  if (!mText) return { from: day(y, 1, 1), to: day(y, 12, 31), explicitYear };
  const m = numeralValue(halfWidthDigits(mText));
  if (m === null || m < 1 || m > 12) return null;
  const dText = g[`d${s}`];
  const part = g[`p${s}`];
  const last = monthEnd(y, m).getUTCDate();
  if (dText) {
    const d = numeralValue(halfWidthDigits(dText));
    if (d === null || d < 1 || d > last) return null;
    return { from: day(y, m, d), to: day(y, m, d), explicitYear };
  }
  if (part === '上旬' || part === '初') return { from: day(y, m, 1), to: day(y, m, 10), explicitYear };
  if (part === '中旬' || part === '中') return { from: day(y, m, 11), to: day(y, m, 20), explicitYear };
  if (part === '下旬') return { from: day(y, m, 21), to: day(y, m, last), explicitYear };
  if (part === '底' || part === '末') return { from: day(y, m, last), to: day(y, m, last), explicitYear };
  return { from: day(y, m, 1), to: day(y, m, last), explicitYear };
}

function shiftYear(i: Interval, years: number): Interval {
  const f = new Date(i.from);
  const t = new Date(i.to);
  f.setUTCFullYear(f.getUTCFullYear() + years);
  t.setUTCFullYear(t.getUTCFullYear() + years);
  return { ...i, from: f, to: t };
}

export interface FoundDate {
  ref: DateRef;
  index: number;
  /** False when the text has no year and the document has no date. */
  resolved: boolean;
}

/**
 * Every date expression in `text`. Without a year, the document's year is used, and a month before the
 * document's month means the next year (a plan dated September that says 3月底前 means next March).
 */
export function findDates(text: string, base: DateBase | null): FoundDate[] {
  const out: FoundDate[] = [];
  for (const m of text.matchAll(DATE_RE)) {
    const g = m.groups ?? {};
    const raw = m[0].trim();
    if (!(g.y1 || g.ry1 || g.m1 || g.yp1) || /^[一二三四五六七八九十]+月$/.test(raw)) continue;
    let a = pointInterval(g, '1', base?.year ?? null);
    if (!a) {
      out.push({ ref: { text: raw, from: null, to: null, kind: 'period' }, index: m.index, resolved: false });
      continue;
    }
    if (!a.explicitYear && base && a.to.getUTCMonth() + 1 < base.month) a = shiftYear(a, 1);
    let to = a.to;
    if (g.b) {
      const year = a.from.getUTCFullYear();
      if (g.do) {
        const d = numeralValue(halfWidthDigits(g.do));
        if (d) to = day(year, a.from.getUTCMonth() + 1, d);
      } else {
        let b = pointInterval(g, '2', year);
        if (b && !b.explicitYear && b.to < a.from) b = shiftYear(b, 1);
        if (b) to = b.to;
      }
    }
    const suf = (g.suf ?? '').trim();
    const kind: DateRef['kind'] = /前/.test(suf) ? 'before' : suf ? 'since' : 'period';
    const ref: DateRef = {
      text: raw,
      from: kind === 'before' ? null : iso(a.from),
      to: kind === 'since' ? null : iso(to),
      kind,
    };
    out.push({ ref, index: m.index, resolved: true });
  }
  return out;
}

export const DEADLINE_LABEL_NAMES = '完成时限|完成时间|办结时限|时限要求|时间节点|完成节点';
/** A deadline label (完成时限：…); global, for matchAll. */
export const DEADLINE_LABEL = new RegExp(String.raw`(?:${DEADLINE_LABEL_NAMES})\s*[：:]\s*`, 'g');

/**
 * The deadline: a labelled one (完成时限：…), else the latest "…前", else the end of the latest period.
 * Open-ended expressions (…开始) are not deadlines.
 */
export function deadlineOf(text: string, dates: FoundDate[], base: DateBase | null): Deadline | null {
  const label = new RegExp(DEADLINE_LABEL.source).exec(text);
  if (label) {
    const rest = text.slice(label.index + label[0].length);
    const end = indexOutside(rest, '。；;');
    const value = (end < 0 ? rest : rest.slice(0, end)).trim();
    const d = findDates(value, base).find((x) => x.ref.to);
    if (value) return { text: value, date: d?.ref.to ?? null };
  }
  const pick = (kind: DateRef['kind']) =>
    dates
      .filter((d) => d.ref.kind === kind && d.ref.to)
      .sort((x, y) => ((x.ref.to as string) < (y.ref.to as string) ? -1 : 1))
      .at(-1);
  const best = pick('before') ?? pick('period');
  if (best) return { text: best.ref.text, date: best.ref.to };
  const unresolved = dates.find((d) => !d.resolved);
  return unresolved ? { text: unresolved.ref.text, date: null } : null;
}

const CADENCES: [CadenceKind, RegExp][] = [
  ['weekly', /每周|每星期|每一周/],
  ['monthly', /每月|每个月|按月|每一个月/],
  ['quarterly', /每季度?|每个季度|按季度?|每一季度/],
  ['half-yearly', /每半年|半年一次|每半年度/],
  ['yearly', /每年度?|每一年|一年一次|每个年度/],
  ['periodic', /(?<!不)定期/],
];

/** Every cadence word, most frequent first (weekly … yearly, then 定期). */
export function cadencesOf(text: string): Cadence[] {
  const out: Cadence[] = [];
  for (const [kind, re] of CADENCES) {
    const m = re.exec(text);
    if (m) out.push({ kind, text: m[0] });
  }
  return out;
}

const MEASURES = '人次|个|项|类|部|场|次|名|家|所|条|篇|件|期|支|批|户|处|座|块|套|份|本|间|位|人|元|%|％';
/** A number, an optional 万/千/百, an optional 余/多 (about, kept in the text), a measure word. */
const TARGET_RE = new RegExp(
  String.raw`(?<![0-9０-９.．\[〔［]|第\s*)([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(万|千|百)?\s*(?:余|多)?\s*(${MEASURES})`,
  'g',
);

/**
 * Quantified targets: a number with a measure word (100个, 80%, 50部, 1.2万人次), with what is counted
 * and a cadence stated in the same clause (每年遴选100个 → yearly).
 */
export function targetsOf(text: string): Target[] {
  const out: Target[] = [];
  for (const m of text.matchAll(TARGET_RE)) {
    const start = m.index;
    const after = start + m[0].length;
    // 9月20日, 2022年 and document numbers are not targets: the measure words have no 年/月/日/号.
    const clauseStart = Math.max(
      ...['，', '。', '；', ',', ';', '：'].map((c) => text.lastIndexOf(c, start - 1)),
      -1,
    );
    let clauseEnd = text.length;
    for (const c of ['，', '。', '；', ',', ';']) {
      const i = text.indexOf(c, after);
      if (i >= 0 && i < clauseEnd) clauseEnd = i;
    }
    const clause = text.slice(clauseStart + 1, clauseEnd).trim();
    const whatEnd = text.slice(after, clauseEnd).search(/[、]|(?:和|及|与)?[0-9０-９]/);
    const what = text.slice(after, whatEnd < 0 ? clauseEnd : after + whatEnd).trim();
    const multiplier = m[2] === '万' ? 10_000 : m[2] === '千' ? 1_000 : m[2] === '百' ? 100 : 1;
    const measure = m[3] === '％' ? '%' : m[3];
    out.push({
      text: clause,
      number: Math.round(Number(halfWidthDigits(m[1]).replace('．', '.')) * multiplier * 1e6) / 1e6,
      measure,
      what,
      cadence: cadencesOf(clause)[0]?.kind ?? null,
    });
  }
  return out;
}
