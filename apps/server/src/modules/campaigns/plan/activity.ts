/** Activities: an item's text → title, name, description, units, deadline, cadence, targets. */
import { cadencesOf, type DateBase, DEADLINE_LABEL, deadlineOf, findDates, targetsOf } from './dates.ts';
import type { Node, SourceLine } from './outline.ts';
import { firstSentence, joinLines, scanDepth, trimPunct } from './text.ts';
import type { Activity, PlanWarning, UnitMatch, UnitRef } from './types.ts';
import { parseUnitList, proseUnitClauses, roleOfLabel, UNIT_LABEL, type UnitIndex } from './units.ts';

/** 开展“…” and its kin: the quoted text is the activity's name. */
const QUOTED_NAME = /^(?:深入|广泛|持续|积极|全面|认真|组织)?(?:开展|举办|实施|启动|组织)\s*“([^”]+)”/;

export interface ActivityContext {
  index: UnitIndex;
  base: DateBase | null;
  warnings: PlanWarning[];
}

interface Span {
  start: number;
  end: number;
  value: [number, number];
  kind: 'units' | 'deadline';
  label: string;
}

/** The bracket pair around `pos`, if any. */
function bracketAround(text: string, pos: number): [number, number] | null {
  const open: number[] = [];
  let around: number | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (i === pos) around = open.at(-1) ?? null;
    if ('（('.includes(ch)) open.push(i);
    else if ('）)'.includes(ch)) {
      const o = open.pop();
      if (o !== undefined && o === around && i > pos) return [o, i];
    }
  }
  return null;
}

/** Where each unit or deadline label's value starts and ends in the item's text. */
function labelSpans(text: string): Span[] {
  const found = [
    ...[...text.matchAll(UNIT_LABEL)].map((m) => ({ m, kind: 'units' as const })),
    ...[...text.matchAll(DEADLINE_LABEL)].map((m) => ({ m, kind: 'deadline' as const })),
  ].sort((a, b) => a.m.index - b.m.index);
  return found.map(({ m, kind }, i) => {
    let start = m.index;
    const valueStart = m.index + m[0].length;
    let valueEnd = found[i + 1]?.m.index ?? text.length;
    let end = valueEnd;
    const around = bracketAround(text, m.index);
    if (around && around[1] <= valueEnd) {
      valueEnd = around[1];
      end = around[1] + 1;
      if (!text.slice(around[0] + 1, m.index).trim()) start = around[0];
    }
    let stop = -1;
    scanDepth(text.slice(valueStart, valueEnd), (ch, j, depth) => {
      if (depth === 0 && ch === '。') {
        stop = j;
        return true;
      }
      return false;
    });
    if (stop >= 0) {
      valueEnd = valueStart + stop;
      end = valueEnd + 1;
    }
    return { start, end, value: [valueStart, valueEnd], kind, label: m[1] ?? '' };
  });
}

/** An outline item (and its nested items) as an activity. */
export function activityOf(n: Node, ctx: ActivityContext, inherited: boolean): Activity {
  const segments = [...(n.line ? [{ no: n.line.no, text: n.rest }] : []), ...n.lines];
  const children = n.children.map((c) => activityOf(c, ctx, inherited || hasOwnUnits(segments)));
  return activityFromText(n.numeral, n.number, segments, children, ctx, inherited);
}

function hasOwnUnits(segments: SourceLine[]): boolean {
  return segments.some((s) => new RegExp(UNIT_LABEL.source).test(s.text));
}

/**
 * An activity from its text (wrapped lines with their numbers): the first sentence is the title, unit
 * labels (责任单位：… 牵头单位：… 配合单位：…) or a closing （A牵头，B配合） give the units, and the rest is the
 * description, searched for dates, cadences and targets.
 */
export function activityFromText(
  numeral: string,
  number: number | null,
  segments: SourceLine[],
  children: Activity[],
  ctx: ActivityContext,
  inherited: boolean,
): Activity {
  let full = '';
  const starts: { offset: number; line: number }[] = [];
  for (const s of segments) {
    const joined = joinLines([full, s.text]);
    starts.push({ offset: joined.length - s.text.length, line: s.no });
    full = joined;
  }
  const lineAt = (offset: number) =>
    [...starts].reverse().find((s) => s.offset <= offset)?.line ?? starts[0]?.line ?? 0;

  const units: UnitRef[] = [];
  const spans = labelSpans(full);
  for (const s of spans.filter((x) => x.kind === 'units')) {
    const value = full.slice(s.value[0], s.value[1]);
    if (!trimPunct(value)) {
      ctx.warnings.push({ line: lineAt(s.start), text: s.label, code: 'empty_units' });
      continue;
    }
    units.push(
      ...parseUnitList(value, {
        index: ctx.index,
        role: roleOfLabel(s.label),
        lineAt: (o) => lineAt(s.value[0] + o),
        warnings: ctx.warnings,
      }),
    );
  }
  // Without labels, a closing bracket may name the units: （市文明办牵头，市教育局配合）.
  const prose = spans.length ? null : /[（(]((?:[^（）()]|[（(][^（）()]*[）)])*)[）)][。；;]?$/.exec(full);
  const clauses = prose ? proseUnitClauses(prose[1]) : null;
  if (prose && clauses) {
    let from = prose.index + 1;
    for (const c of clauses) {
      const at = Math.max(full.indexOf(c.text, from), from);
      units.push(
        ...parseUnitList(c.text, {
          index: ctx.index,
          role: c.role,
          lineAt: (o) => lineAt(at + o),
          warnings: ctx.warnings,
        }),
      );
      from = at + c.text.length;
    }
    spans.push({ start: prose.index, end: full.length, value: [0, 0], kind: 'units', label: '' });
  }

  const keep = (kinds: Span['kind'][]) => {
    let out = full;
    for (const s of [...spans].filter((x) => kinds.includes(x.kind)).sort((a, b) => b.start - a.start))
      out = out.slice(0, s.start) + out.slice(s.end);
    return out.trim();
  };
  const withDeadline = keep(['units']);
  const plain = keep(['units', 'deadline']);
  const { head: title, rest } = firstSentence(plain);
  const dates = findDates(withDeadline, ctx.base);
  for (const d of dates.filter((x) => !x.resolved))
    ctx.warnings.push({ line: lineAt(0), text: d.ref.text, code: 'date_unresolved' });

  const lead = units.filter(
    (u) => u.role === 'lead' || (u.role === 'responsible' && u.note && /牵头/.test(u.note)),
  );
  const firstListed = units.find((u) => u.role === 'responsible');
  let leadSource: Activity['leadSource'] = null;
  if (units.some((u) => u.role === 'lead')) leadSource = 'label';
  else if (lead.length) leadSource = 'marker';
  else if (
    firstListed?.resolved?.length === 1 &&
    (firstListed.via === 'name' || firstListed.via === 'alias')
  ) {
    lead.push(firstListed);
    leadSource = 'first-listed';
  }
  // Items under it carry their own units (and their own warnings).
  if (!units.length && !inherited && !children.length)
    ctx.warnings.push({ line: lineAt(0), text: title.slice(0, 30), code: 'no_units' });

  const seen = new Set<string>();
  const resolvedUnits: UnitMatch[] = [];
  for (const u of units)
    for (const r of u.resolved ?? [])
      if (!seen.has(r.unitId)) {
        seen.add(r.unitId);
        resolvedUnits.push(r);
      }
  return {
    numeral,
    number,
    title,
    name: QUOTED_NAME.exec(title)?.[1] ?? title,
    description: rest,
    units,
    leadUnits: lead,
    coUnits: units.filter((u) => !lead.includes(u)),
    leadSource,
    resolvedUnits,
    deadline: deadlineOf(withDeadline, dates, ctx.base),
    dates: dates.map((d) => d.ref),
    cadence: cadencesOf(withDeadline)[0] ?? null,
    targets: targetsOf(withDeadline),
    sourceLines: segments.map((s) => s.no),
    children,
  };
}
