/** Resolving the unit lists of a plan (责任单位：A、B等C，各乡镇（区、办）) against the org directory. */
import { indexOutside, nameKey, splitOutside, trimPunct, trimRange } from './text.ts';
import type { PlanWarning, ResolvedVia, UnitDirectory, UnitMatch, UnitRef } from './types.ts';

type Resolution =
  | { kind: 'units'; via: ResolvedVia; units: UnitMatch[]; group?: string }
  | { kind: 'ambiguous'; units: UnitMatch[] };

/** Name lookups built once per parse. */
export class UnitIndex {
  private readonly byId = new Map<string, UnitMatch>();
  private readonly names = new Map<string, Set<string>>();
  private readonly aliases = new Map<string, Set<string>>();
  private readonly groupNames = new Map<string, { name: string; memberIds: string[] }>();
  private readonly groupAliases = new Map<string, { name: string; memberIds: string[] }>();
  /** Region names (霸州市): a unit written with it (霸州市公安局) is looked up as 市公安局 too. */
  private readonly regions: string[] = [];

  constructor(dir: UnitDirectory) {
    const add = (map: Map<string, Set<string>>, key: string, id: string) => {
      const k = nameKey(key);
      if (!k) return;
      const set = map.get(k);
      if (set) set.add(id);
      else map.set(k, new Set([id]));
    };
    for (const u of dir.units) {
      this.byId.set(u.id, { unitId: u.id, name: u.name });
      add(this.names, u.name, u.id);
      if (u.shortName) add(this.names, u.shortName, u.id);
      for (const a of u.aliases) add(this.aliases, a, u.id);
      if (u.type === 'region' && u.name.length >= 3) this.regions.push(nameKey(u.name));
    }
    for (const g of dir.groups) {
      const entry = { name: g.name, memberIds: g.memberIds };
      this.groupNames.set(nameKey(g.name), entry);
      for (const a of g.aliases)
        if (!this.groupAliases.has(nameKey(a))) this.groupAliases.set(nameKey(a), entry);
    }
  }

  get isEmpty(): boolean {
    return this.byId.size === 0 && this.groupNames.size === 0;
  }

  resolve(text: string): Resolution | null {
    const k = nameKey(text);
    if (!k) return null;
    const direct = this.lookup(k);
    if (direct) return direct;
    // 霸州市公安局 → 市公安局, 霸州市委宣传部 → 市委宣传部.
    for (const r of this.regions) {
      if (k.startsWith(r) && k.length > r.length) {
        const found = this.lookup(r.slice(-1) + k.slice(r.length));
        if (found) return found;
      }
    }
    return null;
  }

  /** The unit a post starts with (市发改局党组书记 → 市发展和改革局), if exactly one. */
  unitAtStart(title: string): UnitMatch | null {
    const k = nameKey(title);
    for (let n = Math.min(k.length, 40); n >= 2; n--) {
      const ids = this.names.get(k.slice(0, n)) ?? this.aliases.get(k.slice(0, n));
      if (ids?.size === 1) return this.byId.get([...ids][0]) ?? null;
    }
    return null;
  }

  private units(ids: Iterable<string>): UnitMatch[] {
    const out: UnitMatch[] = [];
    for (const id of ids) {
      const u = this.byId.get(id);
      if (u) out.push(u);
    }
    return out;
  }

  private lookup(k: string): Resolution | null {
    const fromUnits = (ids: Set<string>, via: ResolvedVia): Resolution =>
      ids.size === 1
        ? { kind: 'units', via, units: this.units(ids) }
        : { kind: 'ambiguous', units: this.units(ids) };
    const name = this.names.get(k);
    if (name) return fromUnits(name, 'name');
    const group = this.groupNames.get(k) ?? (this.aliases.has(k) ? undefined : this.groupAliases.get(k));
    if (group) return { kind: 'units', via: 'group', units: this.units(group.memberIds), group: group.name };
    const alias = this.aliases.get(k);
    if (alias) return fromUnits(alias, 'alias');
    return null;
  }
}

/** Words that make an unresolved name a group expression rather than a unit. */
const GROUPISH = /^各|有关|成员|所属|相关|各单位|各部门|单位$|部门$|系统$/;
/** Separators of unit lists: 、，,；; and spaces, never inside brackets. */
export const LIST_SEPS = '、，,；; \u3000\t';

export interface ListContext {
  index: UnitIndex;
  role: UnitRef['role'];
  /** The source line of an offset in the list text. */
  lineAt: (offset: number) => number;
  warnings: PlanWarning[];
}

/** Parses one list of units (the text after 责任单位：) into references, flagging what it cannot resolve. */
export function parseUnitList(list: string, ctx: ListContext): UnitRef[] {
  const pieces = splitOutside(list, LIST_SEPS)
    .map((p) => {
      const r = trimRange(p.text);
      return { text: p.text.slice(r.start, r.end), sep: p.sep, start: p.start + r.start };
    })
    .filter((p) => p.text);
  const refs: UnitRef[] = [];
  // A separator inside a known expression (市直、中省直驻霸有关单位) does not split it: take the longest
  // run of pieces that resolves as a whole.
  for (let i = 0; i < pieces.length; ) {
    let taken = 1;
    let joined = pieces[i].text;
    for (let j = Math.min(pieces.length - 1, i + 4); j > i; j--) {
      let candidate = pieces[i].text;
      for (let k = i + 1; k <= j; k++)
        candidate += (/\s/.test(pieces[k].sep) ? '' : pieces[k].sep) + pieces[k].text;
      if (ctx.index.resolve(candidate)) {
        taken = j - i + 1;
        joined = candidate;
        break;
      }
    }
    // Unknown, but still one expression: 县直、驻县有关单位 (a bare 市直/县直 qualifies the group after it).
    const next = pieces[i + 1];
    if (taken === 1 && next && /^[\u4e00-\u9fa5]{1,3}直$/.test(joined) && /(单位|部门)$/.test(next.text)) {
      taken = 2;
      joined = `${joined}${next.sep}${next.text}`;
    }
    refs.push(...parseToken(joined, pieces[i].start, ctx));
    i += taken;
  }
  return refs;
}

function parseToken(token: string, start: number, ctx: ListContext): UnitRef[] {
  const line = ctx.lineAt(start);
  const whole = ctx.index.resolve(token);
  if (whole) return [ref(token, whole, line, ctx)];
  // A note in brackets after the name: 市文明办（牵头）.
  const noted = /^(.+?)[（(]([^（）()]*)[）)]$/.exec(token);
  if (noted) {
    const base = ctx.index.resolve(noted[1]);
    if (base) return [{ ...ref(noted[1], base, line, ctx), note: noted[2] }];
  }
  // X等Y: X, plus the group Y; a trailing 等 leaves the list open.
  const deng = lastDengOutside(token);
  if (deng >= 0) {
    const x = trimPunct(token.slice(0, deng));
    const y = trimPunct(token.slice(deng + 1));
    const refs = x ? parseToken(x, start, ctx) : [];
    if (!y) {
      ctx.warnings.push({ line, text: token, code: 'open_list' });
      return refs;
    }
    const yLine = ctx.lineAt(start + deng + 1);
    const r = ctx.index.resolve(y);
    if (r?.kind === 'units' && r.via === 'group')
      return [...refs, { ...ref(y, r, yLine, ctx), via: 'expression' }];
    return [...refs, r ? ref(y, r, yLine, ctx) : unresolved(y, yLine, ctx)];
  }
  return [unresolved(token, line, ctx)];
}

function lastDengOutside(token: string): number {
  let at = -1;
  for (let i = indexOutside(token, '等'); i >= 0; i = indexOutside(token, '等', i + 1)) at = i;
  return at;
}

function ref(text: string, r: Resolution, line: number, ctx: ListContext): UnitRef {
  if (r.kind === 'ambiguous') {
    ctx.warnings.push({ line, text, code: 'ambiguous_unit' });
    return {
      text: compact(text),
      role: ctx.role,
      resolved: null,
      via: null,
      warning: 'ambiguous_unit',
      line,
    };
  }
  return {
    text: compact(text),
    role: ctx.role,
    resolved: r.units,
    via: r.via,
    ...(r.group ? { group: r.group } : {}),
    line,
  };
}

/** The name as written, without whitespace. */
const compact = (s: string) => s.replace(/\s+/g, '');

function unresolved(text: string, line: number, ctx: ListContext): UnitRef {
  const code = GROUPISH.test(text) ? 'unknown_group' : 'unknown_unit';
  ctx.warnings.push({ line, text, code });
  return { text: compact(text), role: ctx.role, resolved: null, via: null, warning: code, line };
}

const ROLE_LABELS: [RegExp, UnitRef['role']][] = [
  [/^(?:牵头单位|牵头部门|主责单位|主办单位)$/, 'lead'],
  [/^(?:配合单位|配合部门|协办单位|参与单位|协助单位)$/, 'co'],
];

/** 责任单位 / 牵头单位 / 配合单位 … → the role of the units listed after it. */
export function roleOfLabel(label: string): UnitRef['role'] {
  for (const [re, role] of ROLE_LABELS) if (re.test(label)) return role;
  return 'responsible';
}

/** Unit labels, with a full-width or ASCII colon (or in 【】). */
export const UNIT_LABEL_NAMES =
  '责任单位|责任部门|责任主体|牵头单位|牵头部门|主责单位|主办单位|承办单位|配合单位|配合部门|协办单位|参与单位|协助单位';
export const UNIT_LABEL = new RegExp(String.raw`[【[]?(${UNIT_LABEL_NAMES})[】\]]?\s*[：:]`, 'g');

/**
 * The prose form at the end of an item: （市文明办牵头，市教育局、市公安局配合） or （市委宣传部负责）.
 * Returns the clauses with their roles, or null when the brackets are not about units.
 */
export function proseUnitClauses(inner: string): { text: string; role: UnitRef['role'] }[] | null {
  if (!/(牵头|配合|负责|参与|协助)/.test(inner)) return null;
  const out: { text: string; role: UnitRef['role'] }[] = [];
  for (const { text } of splitOutside(inner, '，,；;')) {
    const m = /^(?:由)?(.+?)(牵头负责|牵头|负责|配合|参与|协助|协办)$/.exec(trimPunct(text));
    if (!m) return null;
    out.push({ text: m[1], role: m[2].startsWith('牵头') ? 'lead' : m[2] === '负责' ? 'responsible' : 'co' });
  }
  return out.length ? out : null;
}
