/**
 * The plan parser: an official implementation plan (实施方案) as text → phases, sections, activities with
 * their units resolved against the org directory, deadlines, cadences, targets and the attachment's roles.
 * Pure: no I/O. Every non-blank source line ends up in the result (in `front`, a part, `roles` or
 * `unparsed`); what the parser cannot make sense of is reported, never dropped.
 */
import { type ActivityContext, activityFromText, activityOf } from './activity.ts';
import { cadencesOf, type DateBase, findDates } from './dates.ts';
import { buildOutline, headingOf, isLayout, type Node, type SourceLine, subtreeLines } from './outline.ts';
import { parseRoles } from './roles.ts';
import { extractTables, groupHeading, type TaskTable } from './tables.ts';
import { firstSentence, halfWidthDigits, joinLines, numeralValue } from './text.ts';
import type {
  Activity,
  FrontKind,
  FrontLine,
  ParsedPlan,
  Part,
  PartKind,
  Phase,
  PlanWarning,
  Section,
  UnitDirectory,
  UnparsedLine,
} from './types.ts';
import { UNIT_LABEL, UnitIndex } from './units.ts';

const PHASES_TITLE =
  /时间安排|时间步骤|实施步骤|工作步骤|进度安排|阶段安排|方法步骤|步骤安排|时间节点|实施阶段|推进步骤|日程安排|实施时间|活动时间|工作进度/;
const CONTEXT_TITLE =
  /指导思想|总体要求|目标任务|工作目标|主要目标|总体目标|活动目标|基本原则|工作原则|活动主题|活动对象|参加对象|适用范围|重要意义|总体思路|活动宗旨/;
const REQUIREMENTS_TITLE =
  /有关要求|工作要求|保障措施|组织保障|组织领导|工作保障|实施保障|相关要求|注意事项|组织实施|工作机制|保障机制|纪律要求|其他事项/;
const TASKS_TITLE =
  /活动安排|主要任务|重点任务|工作任务|主要内容|活动内容|重点工作|工作措施|主要措施|任务分工|具体措施|重点活动|主要活动|工作重点|工作内容|实施内容|具体任务|任务安排/;
const DOC_NUMBER =
  /[\u4e00-\u9fa5]{1,12}\s*[〔[［【(（]\s*([0-9０-９]{4})\s*[〕\]］】)）]\s*第?\s*[0-9０-９]+\s*号/;
const FULL_DATE =
  /^([0-9０-９]{4}|[〇零○一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日$/;
const ATTACHMENT = /^附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?/;
const TITLE_END = /(方案|计划|意见|办法|细则|要点|规划|通知|安排|决定|纲要|措施|清单)$/;

export function parsePlan(text: string, directory: UnitDirectory): ParsedPlan {
  const index = new UnitIndex(directory);
  const warnings: PlanWarning[] = [];
  const unparsed: UnparsedLine[] = [];
  const all = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((raw, i) => ({ no: i + 1, text: cleanLine(raw) }));
  const lines: SourceLine[] = [];
  for (const l of all) {
    if (!l.text) continue;
    if (isLayout(l.text)) unparsed.push({ line: l.no, text: l.text, kind: 'layout' });
    else lines.push(l);
  }
  const { tables, rest: content } = extractTables(lines);

  const first = content.findIndex((l) => headingOf(l.text));
  const structured = first >= 0 || tables.length > 0;
  const attachAt =
    first < 0 ? -1 : content.findIndex((l, i) => i > first && ATTACHMENT.test(l.text) && l.text.length <= 80);
  const head = first < 0 ? content : content.slice(0, first);
  const body = first < 0 ? [] : content.slice(first, attachAt < 0 ? undefined : attachAt);
  const attachment = attachAt < 0 ? [] : content.slice(attachAt);

  // The signature (issuer and date lines) may follow the body; it is metadata, not part of the last section.
  const signature = new Set<number>();
  body.forEach((l, i) => {
    if (!FULL_DATE.test(l.text)) return;
    signature.add(l.no);
    const prev = body[i - 1];
    if (prev && isIssuerLike(prev.text)) signature.add(prev.no);
  });
  const front = classifyFront([...head, ...body.filter((l) => signature.has(l.no))]);
  if (!structured) {
    warnings.push({ line: content[0]?.no ?? 1, text: '', code: 'no_structure' });
    for (const f of front.filter((x) => x.kind === 'text'))
      unparsed.push({ line: f.line, text: f.text, kind: 'text' });
  }
  const frontLines = structured ? front : front.filter((f) => f.kind !== 'text');

  const dateLine = frontLines.find((f) => f.kind === 'date');
  const date = dateLine ? fullDate(dateLine.text) : null;
  const documentNumber = docNumberOf(frontLines);
  const docYear = documentNumber ? Number(halfWidthDigits(DOC_NUMBER.exec(documentNumber)?.[1] ?? '')) : null;
  // Without a date or document number, a year in the title (关于2023年…的方案) or a table's title will do.
  const titles = [titleOf(frontLines), ...tables.map((t) => t.title)].join(' ');
  const titleYear = Number(halfWidthDigits(/([0-9０-９]{4})\s*年/.exec(titles)?.[1] ?? '')) || null;
  const year = docYear ?? titleYear;
  const base: DateBase | null = date
    ? { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) }
    : year
      ? { year, month: 1 }
      : null;
  if (!base && structured) warnings.push({ line: 1, text: '', code: 'no_date' });

  const outline = buildOutline(
    body.filter((l) => !signature.has(l.no)),
    index,
    warnings,
  );
  const parts: Part[] = [];
  const phases: Phase[] = [];
  const sections: Section[] = [];
  const ctx: ActivityContext = { index, base, warnings };
  for (const node of outline) {
    const kind = partKind(node);
    parts.push(partOf(node, kind));
    if (kind === 'phases') phases.push(...phasesOf(node, base, warnings));
    if (kind === 'tasks') sections.push(...sectionsOf(node, ctx));
  }
  for (const table of tables) {
    parts.push(tablePart(table));
    sections.push(...tableSections(table, ctx));
  }
  const firstLine = (l: number[]) => l[0] ?? Number.MAX_SAFE_INTEGER;
  parts.sort((a, b) => firstLine(a.sourceLines) - firstLine(b.sourceLines));
  sections.sort(
    (a, b) =>
      firstLine([...a.sourceLines, ...a.activities.flatMap((x) => x.sourceLines)]) -
      firstLine([...b.sourceLines, ...b.activities.flatMap((x) => x.sourceLines)]),
  );

  const { roles, unparsed: attachmentLeft } = parseRoles(attachment, index);
  if (attachment.length && !roles)
    warnings.push({
      line: attachment[0].no,
      text: attachment[0].text.slice(0, 30),
      code: 'attachment_not_parsed',
    });
  for (const l of attachmentLeft) unparsed.push({ line: l.no, text: l.text, kind: 'text' });
  unparsed.sort((a, b) => a.line - b.line);

  const activities = sections.flatMap((s) => s.activities);
  const start = lines[0]?.no ?? 1;
  if (structured && activities.length === 0) warnings.push({ line: start, text: '', code: 'no_activities' });
  if (structured && phases.length === 0) warnings.push({ line: start, text: '', code: 'no_phases' });
  warnUnparsedBlocks(unparsed, all, warnings);
  warnings.sort((a, b) => a.line - b.line);

  const refs = allActivities(activities).flatMap((a) => a.units);
  return {
    title: titleOf(frontLines),
    documentNumber,
    date,
    front: frontLines,
    parts,
    phases,
    sections,
    roles,
    warnings,
    unparsed,
    stats: {
      lines: all.length,
      blankLines: all.filter((l) => !l.text).length,
      sections: sections.length,
      activities: activities.length,
      phases: phases.length,
      unitReferences: refs.length,
      unresolvedReferences: refs.filter((r) => r.resolved === null).length,
    },
  };
}

/** The activities and their nested items, depth first. */
export function allActivities(list: Activity[]): Activity[] {
  return list.flatMap((a) => [a, ...allActivities(a.children)]);
}

/** Trims the line, and the Markdown marks of text pasted from a web page (## 一、…, **…**). */
function cleanLine(raw: string): string {
  return raw
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '')
    .replace(/^#{1,6}\s+/, '')
    .replace(/^\*\*(.+)\*\*$/, '$1');
}

// ---- front matter --------------------------------------------------------------------------------------

function isIssuerLike(text: string): boolean {
  return text.length <= 40 && !/[。，；：:,]/.test(text) && !headingOf(text);
}

function isTitleLike(text: string): boolean {
  return (
    text.length >= 6 &&
    text.length <= 120 &&
    !/[。；：:]$/.test(text) &&
    (TITLE_END.test(text) || /^关于/.test(text))
  );
}

function classifyFront(lines: SourceLine[]): FrontLine[] {
  const kinds: FrontKind[] = lines.map((l) => {
    if (FULL_DATE.test(l.text)) return 'date';
    if (DOC_NUMBER.test(l.text) && l.text.replace(DOC_NUMBER, '').trim() === '') return 'docNumber';
    if (/文件$/.test(l.text) && l.text.length <= 30) return 'header';
    if (/[：:]$/.test(l.text) && /各|单位|部门|委员会/.test(l.text) && l.text.length <= 120)
      return 'addressee';
    if (isTitleLike(l.text)) return 'title';
    return 'text';
  });
  kinds.forEach((k, i) => {
    if (k === 'date' && i > 0 && kinds[i - 1] === 'text' && isIssuerLike(lines[i - 1].text))
      kinds[i - 1] = 'issuer';
  });
  return lines.map((l, i) => ({ line: l.no, kind: kinds[i], text: l.text }));
}

function fullDate(text: string): string | null {
  const m = FULL_DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [m[1], m[2], m[3]].map((x) => numeralValue(halfWidthDigits(x)));
  if (!y || !mo || !d || mo > 12 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function docNumberOf(front: FrontLine[]): string | null {
  const own = front.find((f) => f.kind === 'docNumber');
  if (own) return own.text.replace(/\s+/g, '');
  // A number cited in brackets or after 《 is another document's.
  for (const f of front) {
    const m = DOC_NUMBER.exec(f.text);
    if (m && !/[（(《[]$/.test(f.text.slice(0, m.index))) return m[0].replace(/\s+/g, '');
  }
  return null;
}

/** The last title-like line before the body (the plan's own title comes after the notice's). */
function titleOf(front: FrontLine[]): string | null {
  return front.filter((f) => f.kind === 'title').at(-1)?.text ?? null;
}

// ---- parts, sections, phases ------------------------------------------------------------------------------

function nodeText(n: Node): string {
  return joinLines([n.rest, ...n.lines.map((l) => l.text)]);
}

function subtreeText(n: Node): string {
  return joinLines([nodeText(n), ...n.children.map(subtreeText)]);
}

function hasUnitLabels(n: Node): boolean {
  return new RegExp(UNIT_LABEL.source).test(nodeText(n)) || n.children.some(hasUnitLabels);
}

function hasItems(n: Node): boolean {
  return n.children.some((c) => c.rank >= 3 || hasItems(c));
}

function partKind(n: Node): PartKind {
  const title = firstSentence(n.rest).head;
  if (title && PHASES_TITLE.test(title)) return 'phases';
  if (hasUnitLabels(n)) return 'tasks';
  if (CONTEXT_TITLE.test(title)) return 'context';
  if (REQUIREMENTS_TITLE.test(title)) return 'requirements';
  if (TASKS_TITLE.test(title) || hasItems(n)) return 'tasks';
  return 'other';
}

function partOf(n: Node, kind: PartKind): Part {
  const { head, rest } = firstSentence(n.rest);
  const described = kind === 'context' || kind === 'requirements' || kind === 'other';
  return {
    numeral: n.numeral,
    title: head,
    kind,
    text: joinLines([rest, ...n.lines.map((l) => l.text)]),
    items: described
      ? n.children.map((c) => {
          const s = firstSentence(c.rest);
          return {
            numeral: c.numeral,
            title: s.head,
            text: joinLines([s.rest, ...c.lines.map((l) => l.text), ...c.children.map(subtreeText)]),
            sourceLines: subtreeLines(c),
          };
        })
      : [],
    cadences: kind === 'tasks' ? [] : cadencesOf(subtreeText(n)),
    sourceLines: subtreeLines(n),
  };
}

function sectionOf(n: Node, activities: Activity[]): Section {
  const { head, rest } = firstSentence(n.rest);
  return {
    numeral: n.numeral,
    title: head,
    description: joinLines([rest, ...n.lines.map((l) => l.text)]),
    sourceLines: [...(n.line ? [n.line.no] : []), ...n.lines.map((l) => l.no)],
    activities,
  };
}

/**
 * A task part becomes sections: its sub-headings when they hold numbered items (二、活动安排 → （一）…（五）),
 * otherwise the part itself, whose sub-headings or items are then the activities.
 */
function sectionsOf(part: Node, ctx: ActivityContext): Section[] {
  const subs = part.children.filter((c) => c.rank < 3);
  const items = part.children.filter((c) => c.rank >= 3);
  if (subs.some((s) => s.children.some((c) => c.rank >= 3))) {
    const out: Section[] = [];
    if (items.length)
      out.push(
        sectionOf(
          { ...part, line: null, lines: [] },
          items.map((i) => activityOf(i, ctx, false)),
        ),
      );
    for (const s of subs)
      out.push(
        sectionOf(
          s,
          s.children.map((c) => activityOf(c, ctx, false)),
        ),
      );
    return out;
  }
  return [
    sectionOf(
      part,
      part.children.map((c) => activityOf(c, ctx, false)),
    ),
  ];
}

/** An unnumbered phase line: 第一阶段：… or 动员部署阶段（…）. */
const PHASE_START = /^(第[一二三四五六七八九十]+阶段|[^，。；：:]{2,12}阶段\s*[（(：:])/;

/** Unnumbered phases (第一阶段：…) in the lines of a part without sub-headings, as nodes. */
function unnumberedPhases(part: Node): Node[] {
  const out: Node[] = [];
  for (const line of part.lines) {
    if (PHASE_START.test(line.text))
      out.push({
        rank: 2,
        numeral: '',
        number: null,
        line,
        rest: line.text,
        lines: [],
        children: [],
        unitsOpen: false,
      });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

function phasesOf(part: Node, base: DateBase | null, warnings: PlanWarning[]): Phase[] {
  const nodes = part.children.length ? part.children : unnumberedPhases(part);
  return nodes.map((n) => {
    const full = nodeText(n);
    let { head, rest } = firstSentence(full);
    if (/^第[一二三四五六七八九十]+阶段$/.test(head) && rest) {
      const next = firstSentence(rest);
      head = `${head}：${next.head}`;
      rest = next.rest;
    }
    let name = head;
    let period: string | null = null;
    const bracket = /^(.*?)\s*[（(]([^（）()]*)[）)]$/.exec(head);
    if (bracket && (findDates(bracket[2], base).length || /开始|持续|至今/.test(bracket[2]))) {
      name = bracket[1];
      period = bracket[2];
    }
    const found = findDates(period ?? full, base)[0];
    if (!period && found) period = found.ref.text;
    if (!found?.resolved) warnings.push({ line: n.line?.no ?? 0, text: head, code: 'phase_dates' });
    return {
      numeral: n.numeral,
      name,
      period,
      from: found?.ref.from ?? null,
      to: found?.ref.to ?? null,
      description: joinLines([rest, ...n.children.map(subtreeText)]),
      sourceLines: subtreeLines(n),
    };
  });
}

// ---- task tables ---------------------------------------------------------------------------------------

function tablePart(t: TaskTable): Part {
  return {
    numeral: '',
    title: t.title ?? '',
    kind: 'tasks',
    text: '',
    items: [],
    cadences: [],
    sourceLines: t.lines.map((l) => l.no),
  };
}

/** A table's group rows (一、…) are its sections; without them the table is one section. */
function tableSections(t: TaskTable, ctx: ActivityContext): Section[] {
  return t.groups.map((g) => {
    const { numeral, title } = g.heading
      ? groupHeading(g.heading.text)
      : { numeral: '', title: t.title ?? '' };
    return {
      numeral,
      title,
      description: '',
      sourceLines: g.heading ? [g.heading.no] : [],
      activities: g.rows.map((r) =>
        activityFromText(r.seq, numeralValue(r.seq), [{ no: r.line.no, text: r.text }], [], ctx, false),
      ),
    };
  });
}

// ---- warnings ------------------------------------------------------------------------------------------

/** One warning per run of unparsed text lines (blank lines between them do not break a run). */
function warnUnparsedBlocks(
  unparsed: UnparsedLine[],
  all: { no: number; text: string }[],
  warnings: PlanWarning[],
) {
  const text = unparsed.filter((u) => u.kind === 'text');
  let prev: number | null = null;
  for (const u of text) {
    const contiguous = prev !== null && all.slice(prev, u.line - 1).every((l) => !l.text);
    if (!contiguous) warnings.push({ line: u.line, text: u.text.slice(0, 30), code: 'unparsed' });
    prev = u.line;
  }
}
