/**
 * 挂图作战 (issue #4 item 7): the activities × units matrix coloured by the worst instance of each cell,
 * units ranked by completion rate and timeliness, a cell's instances with their reports, the township map
 * and the leaders' cockpit. Read-only; every figure is within the caller's data scope.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Color, ColorReason } from '../../../../../../packages/contracts/src/index.ts';
import { int, json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { invalidField, notFound } from '../../../platform/http/errors.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { type UnitCaseColumns, unitCaseColumns } from '../../cases/stats/service.ts';
import { type ReasonReader, reasonReader } from '../colors/reason.ts';
import { findCampaign } from '../repo.ts';
import {
  type ColorCounts,
  type ColorPart,
  emptyCounts,
  isColor,
  type RankedUnit,
  rankUnits,
  type Summary,
  Tally,
  type UnitFigures,
} from './aggregate.ts';
import {
  activityRows,
  campaignPhases,
  campaignSections,
  cellInstances,
  colorHistoryOf,
  type InstanceFilter,
  latePairs,
  matrixRows,
  orgGroups,
  reportsOf,
  supervisionCounts,
  taskWeights,
  townshipUnits,
  unitRows,
  unitsById,
} from './repo.ts';

export interface MapFilters {
  phaseId?: string;
  sectionId?: string;
  unitId?: string;
  groupId?: string;
  color?: Color;
}

const num = (v: unknown): number => Number(v ?? 0);

/** The data scope on one unit already read (the SQL form is unitInScope). */
function unitVisible(scope: Scope, unit: { id: string; path: string }): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'own') return unit.id === scope.unitId;
  if (scope.kind === 'subtree') return unit.path.startsWith(scope.path);
  return false;
}

async function visibleCampaign(ctx: AppContext, scope: Scope, id: string) {
  const c = await findCampaign(ctx.database.db, scope, id);
  if (!c) throw notFound();
  return { id: c.id, name: c.name, year: int(c.year), status: c.status };
}

/** The filters as SQL conditions; an id that is not the campaign's (or not in scope) is a field error. */
async function resolveFilters(
  db: Kysely<DB>,
  scope: Scope,
  campaignId: string,
  f: MapFilters,
): Promise<InstanceFilter> {
  const out: InstanceFilter = {};
  if (f.phaseId) {
    const p = await db
      .selectFrom('campaign_phases')
      .select(['starts_on', 'ends_on'])
      .where('id', '=', f.phaseId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!p) throw invalidField('phaseId', 'field.invalid');
    out.window = { from: p.starts_on, to: p.ends_on };
  }
  if (f.sectionId) {
    const s = await db
      .selectFrom('campaign_sections')
      .select('id')
      .where('id', '=', f.sectionId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    if (!s) throw invalidField('sectionId', 'field.invalid');
    out.sectionId = s.id;
  }
  if (f.unitId) {
    const u = await db
      .selectFrom('org_units')
      .select(['id', 'path'])
      .where('id', '=', f.unitId)
      .executeTakeFirst();
    if (!u || !unitVisible(scope, u)) throw invalidField('unitId', 'field.unknownUnit');
    out.unitPath = u.path;
  }
  if (f.groupId) {
    const g = await db.selectFrom('org_groups').select('id').where('id', '=', f.groupId).executeTakeFirst();
    if (!g) throw invalidField('groupId', 'field.invalid');
    out.groupId = g.id;
  }
  return out;
}

/** Each task's activity and weight: the aggregates are per task, weighted in memory. */
type Tasks = Map<string, { activityId: string; weight: number }>;

async function tasksOf(db: Kysely<DB>, campaignId: string): Promise<Tasks> {
  const rows = await taskWeights(db, campaignId);
  return new Map(rows.map((t) => [t.id, { activityId: t.activity_id, weight: int(t.weight) }]));
}

/** One aggregate row as a part of a tally: its count and progress, weighted by its task. */
function partOf(
  r: { task_id: string; color: string; n: unknown; p: unknown },
  tasks: Tasks,
): ColorPart | null {
  const task = tasks.get(r.task_id);
  if (!task || !isColor(r.color)) return null;
  return {
    color: r.color,
    instances: num(r.n),
    progressWeighted: num(r.p) * task.weight,
    weight: num(r.n) * task.weight,
  };
}

/** The reason of a cell's worst instance (its due day, then its stored reason), as of today. */
function reasonOf(worst: string | null, read: ReasonReader): ColorReason | null {
  if (!worst || worst.length <= 10) return null;
  return read(worst.slice(10));
}

export interface MatrixCell extends Summary {
  activityId: string;
  unitId: string;
  color: Color;
  /** The most urgent instance of the worst colour: why the cell has its colour. */
  reason: ColorReason | null;
}

export interface MatrixActivity {
  id: string;
  parentId: string | null;
  numeral: string;
  name: string;
  sectionId: string;
  section: string;
  leadUnit: string | null;
  summary: Summary;
}

export interface MatrixUnit {
  id: string;
  name: string;
  shortName: string | null;
  summary: Summary;
}

export interface BattleMap {
  campaign: { id: string; name: string; year: number; status: string };
  filters: {
    phases: { id: string; name: string; startsOn: string | null; endsOn: string | null }[];
    sections: { id: string; numeral: string; title: string }[];
    groups: { id: string; name: string }[];
  };
  activities: MatrixActivity[];
  units: MatrixUnit[];
  cells: MatrixCell[];
  totals: Summary & { cells: ColorCounts };
}

/**
 * The activities × units matrix. A cell's colour is the worst of its instances; with a colour filter only
 * the cells of that colour are kept, and rows, columns and totals add up what is shown.
 */
export async function battleMap(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  f: MapFilters,
): Promise<BattleMap> {
  const db = ctx.database.db;
  const campaign = await visibleCampaign(ctx, scope, campaignId);
  const read = await reasonReader(ctx);
  const filter = await resolveFilters(db, scope, campaignId, f);
  const [rows, tasks, activities, phases, sections, groups] = await Promise.all([
    matrixRows(db, campaignId, scope, filter),
    tasksOf(db, campaignId),
    activityRows(db, campaignId),
    campaignPhases(db, campaignId),
    campaignSections(db, campaignId),
    orgGroups(db),
  ]);

  const cellParts = new Map<
    string,
    { activityId: string; unitId: string; parts: ColorPart[]; worst: Map<Color, string | null> }
  >();
  for (const r of rows) {
    const part = partOf(r, tasks);
    if (!part) continue;
    const activityId = (tasks.get(r.task_id) as { activityId: string }).activityId;
    const key = `${activityId}|${r.unit_id}`;
    let cell = cellParts.get(key);
    if (!cell) {
      cell = { activityId, unitId: r.unit_id, parts: [], worst: new Map() };
      cellParts.set(key, cell);
    }
    cell.parts.push(part);
    const before = cell.worst.get(part.color);
    if (r.worst && (!before || r.worst < before)) cell.worst.set(part.color, r.worst);
  }

  const byActivity = new Map<string, Tally>();
  const byUnit = new Map<string, Tally>();
  const total = new Tally();
  const cellCounts = emptyCounts();
  const cells: MatrixCell[] = [];
  for (const c of cellParts.values()) {
    const tally = new Tally();
    for (const part of c.parts) tally.add(part);
    const s = tally.summary();
    if (!s.color || (f.color && s.color !== f.color)) continue;
    cells.push({
      activityId: c.activityId,
      unitId: c.unitId,
      ...s,
      color: s.color,
      reason: reasonOf(c.worst.get(s.color) ?? null, read),
    });
    cellCounts[s.color] += 1;
    for (const part of c.parts) {
      for (const [map, id] of [
        [byActivity, c.activityId],
        [byUnit, c.unitId],
      ] as const) {
        const t = map.get(id) ?? new Tally();
        t.add(part);
        map.set(id, t);
      }
      total.add(part);
    }
  }

  const units = await unitsById(db, [...byUnit.keys()]);
  return {
    campaign,
    filters: {
      phases: phases.map((p) => ({ id: p.id, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })),
      sections: sections.map((s) => ({ id: s.id, numeral: s.numeral, title: s.title })),
      groups,
    },
    activities: activities
      .filter((a) => byActivity.has(a.id))
      .map((a) => ({
        id: a.id,
        parentId: a.parent_id,
        numeral: a.numeral,
        name: a.name,
        sectionId: a.section_id,
        section: `${a.section_numeral}${a.section_title}`,
        leadUnit: a.lead_unit ?? null,
        summary: (byActivity.get(a.id) as Tally).summary(),
      })),
    units: units.map((u) => ({
      id: u.id,
      name: u.name,
      shortName: u.short_name,
      summary: (byUnit.get(u.id) as Tally).summary(),
    })),
    cells,
    totals: { ...total.summary(), cells: cellCounts },
  };
}

export interface Rankings {
  campaign: BattleMap['campaign'];
  /** The local date "so far" is measured at. */
  asOf: string;
  /** The org groups the ranking can be limited to. */
  groups: { id: string; name: string }[];
  /** The local dates whose citizen cases the case columns count: the campaign's window (or the phase's). */
  casePeriod: { from: string; to: string };
  /** Each with its citizen cases (issue #5): received (首接), on-time answers, mean rating. */
  units: (RankedUnit & UnitCaseColumns)[];
}

/**
 * Units ranked by completion rate and timeliness as of today (working days on the office's calendar), with
 * their citizen cases created in the campaign's window (or the chosen phase's) beside them, not ranked.
 */
export async function rankings(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  f: Pick<MapFilters, 'phaseId' | 'groupId'>,
): Promise<Rankings> {
  const db = ctx.database.db;
  const campaign = await visibleCampaign(ctx, scope, campaignId);
  const filter = await resolveFilters(db, scope, campaignId, f);
  const cal = await getCalendar(ctx);
  const today = cal.localDate(ctx.clock.now());
  // Ranked among all the campaign's units; the caller sees the rows of its scope.
  const all: Scope = { kind: 'all' };
  const [rows, late, tasks, groups] = await Promise.all([
    unitRows(db, campaignId, all, filter, today),
    latePairs(db, campaignId, all, filter, today),
    tasksOf(db, campaignId),
    orgGroups(db),
  ]);
  const figures = new Map<string, UnitFigures>();
  const figuresOf = (unitId: string): UnitFigures => {
    let u = figures.get(unitId);
    if (!u) {
      u = {
        unitId,
        name: '',
        counts: emptyCounts(),
        instances: 0,
        counted: 0,
        countedWeight: 0,
        doneWeight: 0,
        done: 0,
        onTime: 0,
        late: 0,
        lateWorkingDays: 0,
      };
      figures.set(unitId, u);
    }
    return u;
  };
  for (const r of rows) {
    const u = figuresOf(r.unit_id);
    if (isColor(r.color)) u.counts[r.color] += num(r.n);
    u.instances += num(r.n);
    const weight = tasks.get(r.task_id)?.weight ?? 0;
    u.counted += num(r.counted);
    u.countedWeight += num(r.counted) * weight;
    u.done += num(r.done);
    u.doneWeight += num(r.done) * weight;
    u.onTime += num(r.on_time);
  }
  const at = (d: string) => new Date(`${d}T12:00:00+08:00`);
  const spans = new Map<string, number>();
  for (const p of late) {
    const until = p.done_on ?? today;
    const key = `${p.due_on}|${until}`;
    let days = spans.get(key);
    if (days === undefined) {
      days = cal.workingDaysBetween(at(p.due_on), at(until));
      spans.set(key, days);
    }
    const u = figuresOf(p.unit_id);
    u.late += num(p.n);
    u.lateWorkingDays += days * num(p.n);
  }
  const visible = new Set<string>();
  for (const unit of await unitsById(db, [...figures.keys()])) {
    figuresOf(unit.id).name = unit.short_name ?? unit.name;
    if (unitVisible(scope, unit)) visible.add(unit.id);
  }
  const ranked = rankUnits([...figures.values()]).filter((r) => visible.has(r.unitId));
  const casePeriod = await caseWindow(db, campaignId, campaign.year, filter.window);
  const cases = await unitCaseColumns(
    ctx,
    ranked.map((r) => r.unitId),
    casePeriod.from,
    casePeriod.to,
  );
  return {
    campaign,
    asOf: today,
    groups,
    casePeriod,
    units: ranked.map((r) => ({ ...r, ...(cases.get(r.unitId) as UnitCaseColumns) })),
  };
}

/** The phase's window when one is chosen, else the campaign's; a missing end is the year's. */
async function caseWindow(
  db: Kysely<DB>,
  campaignId: string,
  year: number,
  phase: { from: string | null; to: string | null } | undefined,
): Promise<{ from: string; to: string }> {
  const c = await db
    .selectFrom('campaigns')
    .select(['starts_on', 'ends_on'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  const from = phase?.from ?? c?.starts_on ?? `${year}-01-01`;
  const to = phase?.to ?? c?.ends_on ?? `${year}-12-31`;
  return { from, to: to < from ? from : to };
}

export interface CellReport {
  id: string;
  state: string;
  summary: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  similarFlags: number;
  evidence: number;
}

export interface CellDetail {
  campaign: BattleMap['campaign'];
  activity: { id: string; numeral: string; name: string };
  unit: { id: string; name: string };
  instances: {
    id: string;
    taskId: string;
    task: string;
    role: string;
    cycle: string;
    startsOn: string;
    dueOn: string;
    color: string;
    reason: ColorReason | null;
    progress: number;
    weight: number;
    acceptedReports: number;
    pendingReports: number;
    doneOn: string | null;
    reports: CellReport[];
    /** Each change of colour, newest first: when, from, to, why, and what caused it. */
    history: ColorHistoryEntry[];
  }[];
}

export interface ColorHistoryEntry {
  at: string;
  previous: Color | null;
  color: Color;
  reason: ColorReason | null;
  /** 'create' | 'review' | 'sweep' | 'edit' */
  cause: string;
}

/** One cell: its instances (task, cycle, due, colour and reason, progress) and their non-draft reports. */
export async function cellDetail(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  activityId: string,
  unitId: string,
): Promise<CellDetail> {
  const db = ctx.database.db;
  const campaign = await visibleCampaign(ctx, scope, campaignId);
  const activity = await db
    .selectFrom('campaign_activities')
    .select(['id', 'numeral', 'name'])
    .where('id', '=', activityId)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!activity) throw invalidField('activityId', 'field.invalid');
  const [unit] = await unitsById(db, [unitId]);
  const rows = unit ? await cellInstances(db, campaignId, scope, activityId, unitId) : [];
  if (!unit || rows.length === 0) throw notFound();
  const ids = rows.map((r) => r.id);
  const read = await reasonReader(ctx);
  const [reports, history] = await Promise.all([reportsOf(db, ids), colorHistoryOf(db, ids)]);
  return {
    campaign,
    activity,
    unit: { id: unit.id, name: unit.name },
    instances: rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      task: r.title,
      role: r.role,
      cycle: r.cycle,
      startsOn: r.starts_on,
      dueOn: r.due_on,
      color: r.color,
      reason: read(r.color_reason),
      progress: int(r.progress),
      weight: int(r.weight),
      acceptedReports: int(r.accepted_reports),
      pendingReports: int(r.pending_reports),
      doneOn: r.done_on,
      reports: reports
        .filter((p) => p.instance_id === r.id)
        .map((p) => ({
          id: p.id,
          state: p.state,
          summary: p.summary,
          submittedAt: p.submitted_at,
          reviewedAt: p.reviewed_at,
          similarFlags: int(p.similar_flags),
          evidence: int(p.evidence),
        })),
      history: history
        .filter((h) => h.instance_id === r.id)
        .map((h) => ({
          at: h.at,
          previous: h.previous as Color | null,
          color: h.color as Color,
          reason: json<ColorReason>(h.reason),
          cause: h.cause,
        })),
    })),
  };
}

/** A GeoJSON feature collection of the townships (see map/README.md). */
interface TownshipGeo {
  type: 'FeatureCollection';
  schematic: boolean;
  source: string;
  features: {
    type: 'Feature';
    properties: { name: string; [k: string]: unknown };
    geometry: unknown;
  }[];
}

let geo: TownshipGeo | null = null;
function townshipGeo(): TownshipGeo {
  geo ??= JSON.parse(
    readFileSync(path.join(import.meta.dirname, 'map', 'bazhou-townships.schematic.geojson'), 'utf8'),
  ) as TownshipGeo;
  return geo;
}

export interface TownshipStatus extends Summary {
  unitId: string;
  name: string;
  /** Whether the map has a feature of this name. */
  onMap: boolean;
}

export interface TownshipMap {
  campaign: BattleMap['campaign'];
  /** True: the shapes are a schematic (示意图) of relative positions, not surveyed boundaries. */
  schematic: boolean;
  source: string;
  townships: TownshipStatus[];
  /** The map's features, each with its township's unitId, color and counts in its properties. */
  geojson: { type: 'FeatureCollection'; features: TownshipGeo['features'] };
}

/** Each township's (org units of type township) worst colour and counts, joined to the map by name. */
export async function townshipMap(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
  f: Pick<MapFilters, 'phaseId'>,
): Promise<TownshipMap> {
  const db = ctx.database.db;
  const campaign = await visibleCampaign(ctx, scope, campaignId);
  const filter = await resolveFilters(db, scope, campaignId, f);
  const [units, rows, tasks] = await Promise.all([
    townshipUnits(db, scope),
    matrixRows(db, campaignId, scope, { ...filter, unitType: 'township' }),
    tasksOf(db, campaignId),
  ]);
  const tallies = new Map<string, Tally>();
  for (const r of rows) {
    const part = partOf(r, tasks);
    if (!part) continue;
    const t = tallies.get(r.unit_id) ?? new Tally();
    t.add(part);
    tallies.set(r.unit_id, t);
  }
  const map = townshipGeo();
  const names = new Set(map.features.map((x) => x.properties.name));
  const townships = units.map((u) => ({
    unitId: u.id,
    name: u.name,
    onMap: names.has(u.name),
    ...(tallies.get(u.id) ?? new Tally()).summary(),
  }));
  const byName = new Map(townships.map((t) => [t.name, t]));
  return {
    campaign,
    schematic: map.schematic,
    source: map.source,
    townships,
    geojson: {
      type: 'FeatureCollection',
      features: map.features
        .filter((x) => byName.has(x.properties.name))
        .map((x) => {
          const t = byName.get(x.properties.name) as TownshipStatus;
          return {
            ...x,
            properties: {
              ...x.properties,
              unitId: t.unitId,
              color: t.color,
              counts: t.counts,
              instances: t.instances,
              progress: t.progress,
            },
          };
        }),
    },
  };
}

export interface Cockpit {
  campaign: BattleMap['campaign'];
  totals: Summary;
  activities: number;
  units: number;
  supervision: Record<'reminder' | 'order' | 'interview' | 'circular', number>;
}

/** The leaders' cockpit: the colour distribution, sizes and supervision counts (rankings and map apart). */
export async function cockpit(ctx: AppContext, scope: Scope, campaignId: string): Promise<Cockpit> {
  const db = ctx.database.db;
  const campaign = await visibleCampaign(ctx, scope, campaignId);
  const [rows, tasks, sup] = await Promise.all([
    matrixRows(db, campaignId, scope, {}),
    tasksOf(db, campaignId),
    supervisionCounts(db, campaignId, scope),
  ]);
  const total = new Tally();
  const activities = new Set<string>();
  const units = new Set<string>();
  for (const r of rows) {
    const part = partOf(r, tasks);
    if (!part) continue;
    total.add(part);
    activities.add((tasks.get(r.task_id) as { activityId: string }).activityId);
    units.add(r.unit_id);
  }
  const supervision = { reminder: 0, order: 0, interview: 0, circular: 0 };
  for (const s of sup) if (s.kind in supervision) supervision[s.kind as keyof typeof supervision] = num(s.n);
  return { campaign, totals: total.summary(), activities: activities.size, units: units.size, supervision };
}
