/**
 * The plan parser's input (a directory of org units and groups) and output (the parsed structure).
 * Line numbers are 1-based lines of the source text. Dates are ISO `YYYY-MM-DD` strings.
 */

/** An org unit as the parser sees it. */
export interface DirectoryUnit {
  id: string;
  name: string;
  shortName: string | null;
  /** org unit type (region, member_unit, township, …): the region's name is stripped from unit names. */
  type: string;
  aliases: string[];
}

/**
 * A named set of units. Group expressions of plans (市文明委各成员单位, 各乡镇（区、办）, 市直有关单位 …)
 * are groups whose name or aliases are the expression as written: configure them as org groups.
 */
export interface DirectoryGroup {
  id: string;
  name: string;
  aliases: string[];
  memberIds: string[];
}

export interface UnitDirectory {
  units: DirectoryUnit[];
  groups: DirectoryGroup[];
}

export interface UnitMatch {
  unitId: string;
  name: string;
}

/**
 * How a unit reference was resolved: the unit's own name (or short name), one of its aliases, an org
 * group (name or alias, expanded to its members), or the group of an "X等Y" expression (the named units
 * X are listed separately; Y is expanded to its members).
 */
export type ResolvedVia = 'name' | 'alias' | 'group' | 'expression';

export type WarningCode =
  /** a unit name that matches no unit, alias or group */
  | 'unknown_unit'
  /** a group expression (各…/有关单位/成员单位…) that matches no group */
  | 'unknown_group'
  /** a name that matches several units */
  | 'ambiguous_unit'
  /** a list ending in 等 with no group after it: the list is open */
  | 'open_list'
  /** an activity without responsible units (nor children with some) */
  | 'no_units'
  /** a 责任单位/牵头单位 label with nothing after it */
  | 'empty_units'
  /** item numbers that are not consecutive */
  | 'numbering'
  /** a paragraph after an item's unit list, kept with the enclosing section */
  | 'text_after_units'
  /** no document date, document number or year in the title: dates without a year stay unresolved */
  | 'no_date'
  /** a date expression that could not be placed in a year */
  | 'date_unresolved'
  /** no numbered sections or items at all */
  | 'no_structure'
  /** no numbered activities */
  | 'no_activities'
  /** no 时间安排-like section: the plan has no phases */
  | 'no_phases'
  /** a phase without a date range */
  | 'phase_dates'
  /** an attachment the parser does not understand (its lines are unparsed) */
  | 'attachment_not_parsed'
  /** consecutive source lines the parser did not assign to anything */
  | 'unparsed';

export interface PlanWarning {
  line: number;
  /** The text concerned (a unit name, the first characters of a line…). */
  text: string;
  code: WarningCode;
}

export interface UnitRef {
  /** The name or expression as written (whitespace removed). */
  text: string;
  /** Which label it came from: 责任单位 (responsible), 牵头单位 (lead) or 配合单位 (co). */
  role: 'responsible' | 'lead' | 'co';
  /** The units it stands for; null when unresolved (see `warning`). */
  resolved: UnitMatch[] | null;
  via: ResolvedVia | null;
  /** The org group's name, when resolved through a group. */
  group?: string;
  /** A note in parentheses after the name, e.g. 牵头. */
  note?: string;
  warning?: WarningCode;
  line: number;
}

export interface DateRef {
  text: string;
  /** First day covered, or null for "until …" expressions. */
  from: string | null;
  /** Last day covered (the deadline for "… 前"), or null for open-ended "from … on". */
  to: string | null;
  /** `before`: a deadline (…前); `since`: open-ended (…开始/起); `period`: a month, part of a month or a range. */
  kind: 'before' | 'since' | 'period';
}

export interface Deadline {
  text: string;
  /** Resolved against the document's year; null when it cannot be. */
  date: string | null;
}

export type CadenceKind = 'weekly' | 'monthly' | 'quarterly' | 'half-yearly' | 'yearly' | 'periodic';

export interface Cadence {
  kind: CadenceKind;
  text: string;
}

export interface Target {
  /** The clause the number is in. */
  text: string;
  number: number;
  /** The measure word or sign: 个, 项, 部, %… */
  measure: string;
  /** What is counted, as written after the measure (may be empty). */
  what: string;
  /** A cadence stated in the same clause, e.g. 每年遴选100个 → yearly. */
  cadence: CadenceKind | null;
}

export interface Activity {
  /** As written: 1, （1）, ①… */
  numeral: string;
  number: number | null;
  /** The first sentence. */
  title: string;
  /** The quoted name after 开展/组织/举办 (“…”), otherwise the title. */
  name: string;
  /** The rest of the text, without the unit and deadline labels. */
  description: string;
  /** Every unit reference in document order. */
  units: UnitRef[];
  leadUnits: UnitRef[];
  coUnits: UnitRef[];
  /**
   * Where the lead came from: a 牵头单位 label, a （牵头） marker, or the first-listed unit of a
   * 责任单位 list (the usual convention, not stated by the text: show it as inferred).
   */
  leadSource: 'label' | 'marker' | 'first-listed' | null;
  /** The distinct units all references resolve to. */
  resolvedUnits: UnitMatch[];
  deadline: Deadline | null;
  dates: DateRef[];
  cadence: Cadence | null;
  targets: Target[];
  sourceLines: number[];
  children: Activity[];
}

export interface Section {
  numeral: string;
  title: string;
  /** The section's own text (its heading line's rest and intro paragraphs). */
  description: string;
  sourceLines: number[];
  activities: Activity[];
}

export interface Phase {
  numeral: string;
  name: string;
  /** The date text as written, e.g. 2022年9月—2022年12月. */
  period: string | null;
  from: string | null;
  to: string | null;
  description: string;
  sourceLines: number[];
}

export type PartKind = 'tasks' | 'phases' | 'context' | 'requirements' | 'other';

/** A top-level part of the plan (一、指导思想, 二、活动安排 …) with every line under it. */
export interface Part {
  numeral: string;
  title: string;
  kind: PartKind;
  /** The part's own text (before its first sub-heading). */
  text: string;
  /** Sub-headings of context/requirements/other parts with their text. */
  items: { numeral: string; title: string; text: string; sourceLines: number[] }[];
  cadences: Cadence[];
  sourceLines: number[];
}

export interface RoleMember {
  /** 组长, 常务副组长, 副组长, 成员… */
  position: string;
  person: string;
  /** The person's post as written, e.g. 市发改局党组书记、局长. */
  title: string | null;
  /** The unit the post names, when it starts with a known unit name or alias. */
  unit: UnitMatch | null;
  line: number;
}

export interface RoleGroup {
  numeral: string | null;
  name: string;
  members: RoleMember[];
  duties: string | null;
  sourceLines: number[];
}

/** The attachment's leadership group and working groups (preview only: nothing is created from it). */
export interface Roles {
  title: string | null;
  leadershipGroup: RoleGroup | null;
  workingGroups: RoleGroup[];
  /** Prose of the attachment that belongs to no single group. */
  notes: { line: number; text: string }[];
  /** The attachment marker, title and heading lines. */
  sourceLines: number[];
}

export type FrontKind = 'header' | 'docNumber' | 'title' | 'addressee' | 'issuer' | 'date' | 'text';

/** Document metadata and preamble lines (before the first section, or the signature after it). */
export interface FrontLine {
  line: number;
  kind: FrontKind;
  text: string;
}

export interface UnparsedLine {
  line: number;
  text: string;
  /** `layout`: a page artefact such as (此页无正文) or a page number. */
  kind: 'text' | 'layout';
}

export interface ParsedPlan {
  title: string | null;
  documentNumber: string | null;
  /** The document's date (its year resolves dates written without one). */
  date: string | null;
  front: FrontLine[];
  parts: Part[];
  phases: Phase[];
  sections: Section[];
  roles: Roles | null;
  warnings: PlanWarning[];
  unparsed: UnparsedLine[];
  stats: {
    lines: number;
    blankLines: number;
    sections: number;
    activities: number;
    phases: number;
    unitReferences: number;
    unresolvedReferences: number;
  };
}
