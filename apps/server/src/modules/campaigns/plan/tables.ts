/**
 * Task-division tables (任务分工表): a header row such as 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 and one
 * row per task, as a .docx table (cells separated by tabs, see source.ts) or text pasted from one.
 */
import { headingOf, type SourceLine } from './outline.ts';

const UNIT_HEADER =
  /^(?:责任单位|责任部门|责任主体|牵头单位|牵头部门|主责单位|配合单位|配合部门|协办单位|参与单位)(?:[（(][^）)]*[）)])?$/;
const SEQ_HEADER = /^(?:序号|编号|序)$/;
const DEADLINE_HEADER = /时限|时间|节点|期限/;
const TASK_HEADER = /任务|工作|内容|事项|措施|活动|项目|目标/;
const ATTACHMENT = /^附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?/;

export interface TaskTable {
  title: string | null;
  /** Every line of the table: marker, title, header, group headings and rows. */
  lines: SourceLine[];
  groups: { heading: SourceLine | null; rows: { line: SourceLine; text: string; seq: string }[] }[];
}

interface Columns {
  seq: number;
  tasks: number[];
  units: { index: number; label: string }[];
  deadline: number;
}

const cellsOf = (text: string) => text.split('\t').map((c) => c.trim());

function columnsOf(text: string): Columns | null {
  if (!text.includes('\t')) return null;
  const cells = cellsOf(text);
  if (cells.filter(Boolean).length < 3) return null;
  const units = cells.flatMap((c, index) =>
    UNIT_HEADER.test(c) ? [{ index, label: c.replace(/[（(].*$/, '') }] : [],
  );
  const seq = cells.findIndex((c) => SEQ_HEADER.test(c));
  const deadline = cells.findIndex((c, i) => DEADLINE_HEADER.test(c) && !units.some((u) => u.index === i));
  const tasks = cells.flatMap((c, i) =>
    c && i !== seq && i !== deadline && !units.some((u) => u.index === i) ? [i] : [],
  );
  if (!units.length || !tasks.some((i) => TASK_HEADER.test(cells[i]))) return null;
  return { seq, tasks, units, deadline };
}

/**
 * A row as the text form the activity parser reads: "task。牵头单位：A。配合单位：B、C。完成时限：6月底前".
 */
function rowText(cells: string[], c: Columns): string {
  const clean = (s: string | undefined) => (s ?? '').trim().replace(/[。；;]+$/, '');
  const parts = [
    c.tasks
      .map((i) => clean(cells[i]))
      .filter(Boolean)
      .join('。'),
  ];
  for (const u of c.units) if (clean(cells[u.index])) parts.push(`${u.label}：${clean(cells[u.index])}`);
  if (c.deadline >= 0 && clean(cells[c.deadline])) parts.push(`完成时限：${clean(cells[c.deadline])}`);
  return `${parts.join('。')}。`;
}

/** Finds the task tables among the lines; returns them and the lines that are not part of one. */
export function extractTables(lines: SourceLine[]): { tables: TaskTable[]; rest: SourceLine[] } {
  const tables: TaskTable[] = [];
  const used = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const columns = columnsOf(lines[i].text);
    if (!columns) continue;
    const table: TaskTable = { title: null, lines: [lines[i]], groups: [{ heading: null, rows: [] }] };
    const before = lines[i - 1];
    if (
      before &&
      !used.has(before.no) &&
      !before.text.includes('\t') &&
      before.text.length <= 60 &&
      !/。/.test(before.text)
    ) {
      table.title = before.text.replace(ATTACHMENT, '').trim() || null;
      table.lines.unshift(before);
      const marker = lines[i - 2];
      if (marker && !used.has(marker.no) && ATTACHMENT.test(marker.text) && marker.text.length <= 60) {
        table.title ??= marker.text.replace(ATTACHMENT, '').trim() || null;
        table.lines.unshift(marker);
      }
    }
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j];
      const cells = cellsOf(line.text);
      const filled = cells.filter(Boolean);
      const isRow = line.text.includes('\t') && filled.length >= 2;
      const nextIsRow = lines[j + 1]?.text.includes('\t') ?? false;
      if (isRow) {
        const seq = columns.seq >= 0 ? (cells[columns.seq] ?? '') : '';
        (table.groups.at(-1) as TaskTable['groups'][number]).rows.push({
          line,
          text: rowText(cells, columns),
          seq,
        });
      } else if (filled.length === 1 && filled[0].length <= 40 && !/。/.test(filled[0]) && nextIsRow) {
        table.groups.push({ heading: { no: line.no, text: filled[0] }, rows: [] });
      } else break;
      table.lines.push(line);
    }
    table.groups = table.groups.filter((g) => g.heading || g.rows.length);
    for (const l of table.lines) used.add(l.no);
    tables.push(table);
    i = j - 1;
  }
  return { tables, rest: lines.filter((l) => !used.has(l.no)) };
}

/** The numeral and title of a group heading row (一、思想道德建设 → 一、 / 思想道德建设). */
export function groupHeading(text: string): { numeral: string; title: string } {
  const h = headingOf(text);
  return h ? { numeral: h.numeral, title: h.rest } : { numeral: '', title: text };
}
