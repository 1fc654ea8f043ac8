/**
 * Campaigns (issue #4), first slice: an official plan previewed side by side with its parsed structure,
 * unknown unit names mapped to org aliases, and the plan saved as a draft campaign (phases, sections,
 * activities and their lead/co units). The server always parses the text itself.
 */

import type { ColorRules } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { bool, int, json } from '../../db/normalize.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, type FieldProblem, invalidField, notFound } from '../../platform/http/errors.ts';
import type { Scope } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { addAlias, getUnit } from '../org/service.ts';
import { loadUnitDirectory } from './plan/load-directory.ts';
import { allActivities, parsePlan } from './plan/parse.ts';
import type { Activity, ParsedPlan, PlanWarning } from './plan/types.ts';
import { campaignExists, campaignParts, deleteCampaignRows, findCampaign, listCampaignRows } from './repo.ts';

export interface UnresolvedName {
  text: string;
  /** First source line it appears on. */
  line: number;
  code: PlanWarning['code'];
}

export interface PlanPreview {
  plan: ParsedPlan;
  /** The source text's lines, as the parser numbers them (line n is lines[n - 1]). */
  lines: string[];
  /** Distinct unit names and group expressions of the activities that resolve to no unit. */
  unresolved: UnresolvedName[];
}

export function sourceLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

function unresolvedOf(plan: ParsedPlan): UnresolvedName[] {
  const seen = new Map<string, UnresolvedName>();
  for (const s of plan.sections)
    for (const a of allActivities(s.activities))
      for (const u of a.units)
        if (u.resolved === null && !seen.has(u.text))
          seen.set(u.text, { text: u.text, line: u.line, code: u.warning ?? 'unknown_unit' });
  return [...seen.values()];
}

/** Parses a plan against the current org tree; a text without numbered activities is refused. */
async function parse(ctx: AppContext, text: string, field: string): Promise<PlanPreview> {
  if (!text.trim()) throw invalidField(field, 'field.required');
  const plan = parsePlan(text, await loadUnitDirectory(ctx.database.db));
  if (plan.stats.activities === 0)
    throw new AppError(422, 'PLAN_NO_ACTIVITIES', {}, [{ field, code: 'PLAN_NO_ACTIVITIES' }]);
  return { plan, lines: sourceLines(text), unresolved: unresolvedOf(plan) };
}

export function previewPlan(ctx: AppContext, text: string): Promise<PlanPreview> {
  return parse(ctx, text, 'text');
}

export interface AliasMapping {
  text: string;
  unitId: string;
}

/**
 * Saves each mapping (a plan's name for a unit) as an org alias through the org module, so its scope,
 * uniqueness and audit rules apply. All mappings are checked before the first is saved.
 */
export async function saveAliases(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  mappings: AliasMapping[],
): Promise<{ saved: number }> {
  const problems: FieldProblem[] = [];
  const texts = new Set<string>();
  for (const [i, m] of mappings.entries()) {
    const text = m.text.trim();
    if (texts.has(text)) problems.push({ field: `mappings.${i}.text`, code: 'field.uniqueItems' });
    texts.add(text);
    try {
      await getUnit(ctx, scope, m.unitId);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push({ field: `mappings.${i}.unitId`, code: 'field.unknownUnit' });
    }
    const taken = await ctx.database.db
      .selectFrom('org_aliases')
      .select('unit_id')
      .where('alias', '=', text)
      .executeTakeFirst();
    if (taken && taken.unit_id !== m.unitId)
      problems.push({ field: `mappings.${i}.text`, code: 'CAMPAIGN_ALIAS_TAKEN' });
  }
  if (problems.length > 0) throw new AppError(400, 'VALIDATION_FAILED', {}, problems);
  for (const m of mappings) await addAlias(ctx, actor, scope, m.unitId, m.text);
  return { saved: mappings.length };
}

export interface CampaignInput {
  name: string;
  year: number;
  text: string;
}

interface ActivityRow {
  activity: Activity;
  id: string;
  parentId: string | null;
}

function flatten(list: Activity[], parentId: string | null): ActivityRow[] {
  return list.flatMap((activity) => {
    const id = uuidv7();
    return [{ activity, id, parentId }, ...flatten(activity.children, id)];
  });
}

/** Lead and co units of an activity, each unit once (lead wins). */
function unitsOf(a: Activity): { unitId: string; role: 'lead' | 'co' }[] {
  const out = new Map<string, 'lead' | 'co'>();
  for (const ref of a.leadUnits) for (const u of ref.resolved ?? []) out.set(u.unitId, 'lead');
  for (const ref of a.coUnits)
    for (const u of ref.resolved ?? []) if (!out.has(u.unitId)) out.set(u.unitId, 'co');
  return [...out].map(([unitId, role]) => ({ unitId, role }));
}

/** The phases' range within the campaign's year (open ends fall back to the year's bounds). */
function campaignWindow(plan: ParsedPlan, year: number): { starts_on: string; ends_on: string } {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const from = plan.phases.map((p) => p.from).filter((d): d is string => !!d && d >= first && d <= last);
  const to = plan.phases.map((p) => p.to).filter((d): d is string => !!d && d >= first && d <= last);
  return {
    starts_on: from.length > 0 ? from.sort()[0] : first,
    ends_on: to.length > 0 && !plan.phases.some((p) => p.from && !p.to) ? (to.sort().at(-1) ?? last) : last,
  };
}

export async function createCampaign(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  input: CampaignInput,
): Promise<CampaignDetail> {
  const name = input.name.trim();
  if (!name) throw invalidField('name', 'field.required');
  const { plan, unresolved } = await parse(ctx, input.text, 'text');
  if (unresolved.length > 0)
    throw new AppError(
      400,
      'CAMPAIGN_UNITS_UNRESOLVED',
      { names: unresolved.map((u) => u.text).join('、') },
      [
        {
          field: 'units',
          code: 'CAMPAIGN_UNITS_UNRESOLVED',
          params: { names: unresolved.map((u) => u.text).join('、') },
        },
      ],
    );
  const now = ctx.clock.now().toISOString();
  const id = uuidv7();
  await writeTx(ctx, actor, async (tx) => {
    if (await campaignExists(tx.db, name, input.year))
      throw new AppError(409, 'CAMPAIGN_DUPLICATE', { name, year: input.year }, [
        { field: 'name', code: 'CAMPAIGN_DUPLICATE', params: { name, year: input.year } },
      ]);
    await tx.db
      .insertInto('campaigns')
      .values({
        id,
        name,
        year: input.year,
        doc_no: plan.documentNumber,
        issued_on: plan.date,
        source_text: input.text,
        status: 'draft',
        ...campaignWindow(plan, input.year),
        color_rules: null,
        requires_unit_approval: false,
        copied_from: null,
        activated_at: null,
        closed_at: null,
        version: 1,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (plan.phases.length > 0)
      await tx.db
        .insertInto('campaign_phases')
        .values(
          plan.phases.map((p, i) => ({
            id: uuidv7(),
            campaign_id: id,
            seq: i + 1,
            name: p.name,
            starts_on: p.from,
            ends_on: p.to,
          })),
        )
        .execute();
    let seq = 0;
    for (const [i, s] of plan.sections.entries()) {
      const sectionId = uuidv7();
      await tx.db
        .insertInto('campaign_sections')
        .values({ id: sectionId, campaign_id: id, seq: i + 1, numeral: s.numeral, title: s.title })
        .execute();
      for (const row of flatten(s.activities, null)) {
        const a = row.activity;
        await tx.db
          .insertInto('campaign_activities')
          .values({
            id: row.id,
            campaign_id: id,
            section_id: sectionId,
            parent_id: row.parentId,
            seq: ++seq,
            numeral: a.numeral,
            name: a.name,
            description: a.description,
            cadence: a.cadence?.kind ?? null,
            deadline_text: a.deadline?.text ?? null,
            deadline_on: a.deadline?.date ?? null,
            weight: 1,
            targets: JSON.stringify(a.targets),
            source_lines: JSON.stringify(a.sourceLines),
          })
          .execute();
        const units = unitsOf(a);
        if (units.length > 0)
          await tx.db
            .insertInto('campaign_activity_units')
            .values(units.map((u) => ({ activity_id: row.id, unit_id: u.unitId, role: u.role })))
            .execute();
      }
    }
    await tx.audit({
      action: 'campaign.create',
      entity: 'campaign',
      entityId: id,
      after: { name, year: input.year, ...plan.stats },
    });
  });
  return getCampaign(ctx, scope, id);
}

export async function listCampaigns(ctx: AppContext, scope: Scope, page = 1, pageSize = 20) {
  const { rows, total } = await listCampaignRows(ctx.database.db, scope, page, pageSize);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      year: int(r.year),
      docNo: r.doc_no,
      issuedOn: r.issued_on,
      status: r.status,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      activities: int(r.activities),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    total,
  };
}

export type CampaignDetail = Awaited<ReturnType<typeof getCampaign>>;

export async function getCampaign(ctx: AppContext, scope: Scope, id: string) {
  const db = ctx.database.db;
  const c = await findCampaign(db, scope, id);
  if (!c) throw notFound();
  const parts = await campaignParts(db, id);
  parts.units.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const unitsByActivity = new Map<string, { unitId: string; name: string; role: string }[]>();
  for (const u of parts.units) {
    const list = unitsByActivity.get(u.activity_id) ?? [];
    list.push({ unitId: u.unit_id, name: u.name, role: u.role });
    unitsByActivity.set(u.activity_id, list);
  }
  return {
    id: c.id,
    name: c.name,
    year: int(c.year),
    docNo: c.doc_no,
    issuedOn: c.issued_on,
    status: c.status,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    requiresUnitApproval: bool(c.requires_unit_approval),
    /** null: the default rules (DEFAULT_COLOR_RULES). */
    colorRules: json<ColorRules>(c.color_rules),
    copiedFrom: c.copied_from,
    activatedAt: c.activated_at,
    closedAt: c.closed_at,
    version: int(c.version),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    phases: parts.phases.map((p) => ({
      id: p.id,
      seq: int(p.seq),
      name: p.name,
      startsOn: p.starts_on,
      endsOn: p.ends_on,
    })),
    sections: parts.sections.map((s) => ({
      id: s.id,
      seq: int(s.seq),
      numeral: s.numeral,
      title: s.title,
      activities: parts.activities
        .filter((a) => a.section_id === s.id)
        .map((a) => ({
          id: a.id,
          parentId: a.parent_id,
          seq: int(a.seq),
          numeral: a.numeral,
          name: a.name,
          description: a.description,
          cadence: a.cadence,
          deadlineText: a.deadline_text,
          deadlineOn: a.deadline_on,
          weight: int(a.weight),
          targets: JSON.parse(a.targets) as unknown[],
          sourceLines: JSON.parse(a.source_lines) as number[],
          // Lead units first, each group in tree order.
          units: (unitsByActivity.get(a.id) ?? []).sort(
            (x, y) => (x.role === 'lead' ? 0 : 1) - (y.role === 'lead' ? 0 : 1),
          ),
        })),
    })),
  };
}

/** Only a draft can be deleted. */
export async function deleteCampaign(ctx: AppContext, actor: Actor, scope: Scope, id: string): Promise<void> {
  await writeTx(ctx, actor, async (tx) => {
    const c = await findCampaign(tx.db, scope, id);
    if (!c) throw notFound();
    if (c.status !== 'draft') throw new AppError(409, 'CAMPAIGN_NOT_DRAFT');
    await deleteCampaignRows(tx.db, id);
    await tx.audit({
      action: 'campaign.delete',
      entity: 'campaign',
      entityId: id,
      before: { name: c.name, year: int(c.year), status: c.status },
    });
  });
}
