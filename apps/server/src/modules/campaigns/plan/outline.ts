/** Numbered headings and items of a plan, and the outline (tree) they form. */
import { DEADLINE_LABEL_NAMES } from './dates.ts';
import { halfWidthDigits, numeralValue, splitOutside } from './text.ts';
import type { PlanWarning } from './types.ts';
import { LIST_SEPS, UNIT_LABEL, UNIT_LABEL_NAMES, type UnitIndex } from './units.ts';

export interface SourceLine {
  no: number;
  text: string;
}

export interface Heading {
  /** 1: 一、 / 第一部分; 2: （一）; 3: 1. 1、; 4: （1） 1）; 5: ① */
  rank: number;
  numeral: string;
  number: number | null;
  /** The line after the numeral. */
  rest: string;
}

const HEADINGS: [number, RegExp][] = [
  [1, /^(第[一二三四五六七八九十]+(?:部分|章))\s*[：:、]?\s*/],
  [1, /^([一二三四五六七八九十百]+\s*[、.．])\s*/],
  [2, /^([（(]\s*[一二三四五六七八九十百]+\s*[）)])\s*/],
  [3, /^([0-9０-９]{1,3}\s*[.．、])(?![0-9０-９])\s*/],
  [4, /^([（(]\s*[0-9０-９]{1,3}\s*[）)]|[0-9０-９]{1,3}\s*[）)])\s*/],
  [5, /^([①-⑳])\s*/],
];

export function headingOf(text: string): Heading | null {
  for (const [rank, re] of HEADINGS) {
    const m = re.exec(text);
    if (!m) continue;
    const numeral = m[1].replace(/\s+/g, '');
    const digits = halfWidthDigits(numeral).replace(/^第|部分$|章$|[、.．（）()]/g, '');
    const circled = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳'.indexOf(digits);
    return {
      rank,
      numeral,
      number: circled >= 0 ? circled + 1 : numeralValue(digits),
      rest: text.slice(m[0].length).trim(),
    };
  }
  return null;
}

/** Page artefacts: (此页无正文), page numbers such as "— 3 —" or "第3页 共10页". */
export function isLayout(text: string): boolean {
  return (
    /^[（(]\s*此页无正文\s*[）)]$/.test(text) ||
    /^[-—–－\s]*[0-9０-９]{1,3}[-—–－\s]*$/.test(text) ||
    /^第\s*[0-9０-９]+\s*页(\s*[，,]?\s*共\s*[0-9０-９]+\s*页)?$/.test(text)
  );
}

export interface Node {
  rank: number;
  numeral: string;
  number: number | null;
  /** The heading line; null for the container made for items that have no section heading. */
  line: SourceLine | null;
  rest: string;
  /** Lines after the heading line, before the first child. */
  lines: SourceLine[];
  children: Node[];
  /** An item whose last line ends inside a unit list (责任单位：A、B…). */
  unitsOpen: boolean;
}

/** Every line of a node and its descendants, in order. */
export function subtreeLines(n: Node): number[] {
  return [...(n.line ? [n.line.no] : []), ...n.lines.map((l) => l.no), ...n.children.flatMap(subtreeLines)];
}

/** True when the text after the last unit label of a line runs to its end (the list may go on). */
function opensUnits(text: string): boolean {
  const labels = [...text.matchAll(UNIT_LABEL)];
  const last = labels.at(-1);
  if (!last) return false;
  const after = text.slice(last.index + last[0].length);
  return !/。./.test(after);
}

/** A line that starts with a unit or deadline label belongs to the item above it. */
const LABEL_START = new RegExp(`^[【[]?(?:${UNIT_LABEL_NAMES}|${DEADLINE_LABEL_NAMES})`);

/** Does `next` continue the unit list that ends `prev`? */
function continuesUnits(prev: string, next: string, index: UnitIndex): boolean {
  if (/[、，,：:]$/.test(prev) || /^[、，,]/.test(next) || LABEL_START.test(next)) return true;
  if (/。./.test(next)) return false;
  const first = splitOutside(next, LIST_SEPS)[0]?.text ?? '';
  const last = splitOutside(prev, LIST_SEPS).at(-1)?.text ?? '';
  return index.resolve(first) !== null || index.resolve(last + first) !== null;
}

/**
 * Builds the outline: a heading closes every open heading of its rank or deeper; other lines continue the
 * deepest open node. Items before any section heading get a container. A paragraph after an item's unit
 * list goes to the enclosing section (with a warning) instead of the item.
 */
export function buildOutline(lines: SourceLine[], index: UnitIndex, warnings: PlanWarning[]): Node[] {
  const root: Node = {
    rank: 0,
    numeral: '',
    number: null,
    line: null,
    rest: '',
    lines: [],
    children: [],
    unitsOpen: false,
  };
  const stack: Node[] = [root];
  const lastNumber = new Map<number, number>();
  for (const line of lines) {
    const h = headingOf(line.text);
    if (h) {
      while ((stack.at(-1) as Node).rank >= h.rank) stack.pop();
      let parent = stack.at(-1) as Node;
      if (parent === root && h.rank >= 3) {
        const container: Node = { ...root, rank: 1, lines: [], children: [] };
        root.children.push(container);
        stack.push(container);
        parent = container;
      }
      if (h.number !== null) {
        const prev = lastNumber.get(h.rank);
        if (h.number !== 1 && h.number !== (prev ?? 0) + 1)
          warnings.push({ line: line.no, text: h.numeral, code: 'numbering' });
        lastNumber.set(h.rank, h.number);
      }
      if (h.rank === 1) for (const r of [2, 3, 4, 5]) lastNumber.delete(r);
      const node: Node = {
        ...h,
        line,
        lines: [],
        children: [],
        unitsOpen: h.rank >= 3 && opensUnits(h.rest),
      };
      parent.children.push(node);
      stack.push(node);
      continue;
    }
    let node = stack.at(-1) as Node;
    if (node.rank >= 3 && node.unitsOpen) {
      const prev = node.lines.at(-1)?.text ?? node.rest;
      if (continuesUnits(prev, line.text, index)) {
        node.lines.push(line);
        node.unitsOpen = opensUnits(line.text) || !/[。]$/.test(line.text);
        continue;
      }
      warnings.push({ line: line.no, text: line.text.slice(0, 30), code: 'text_after_units' });
      while ((stack.at(-1) as Node).rank >= 3) stack.pop();
      node = stack.at(-1) as Node;
    }
    node.lines.push(line);
    if (node.rank >= 3) node.unitsOpen = opensUnits(line.text);
  }
  return root.children;
}
