/** Half-year reports (每半年报告): open pre-filled, edit, submit, review; the office's list per period. */
import { type Kysely, sql } from 'kysely';
import { COLORS, type Color } from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { int, json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { formatLocal } from '../../../platform/calendar/calendar.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, invalidField, notFound } from '../../../platform/http/errors.ts';
import { unitInScope } from '../../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { writeTx } from '../../../platform/tx.ts';
import { createRecord, timeline, transition } from '../../../platform/workflow/engine.ts';
import { allowedActions, type Caller, type TransitionInput } from '../../../platform/workflow/machine.ts';
import { findUnitRow, inScope } from '../../org/repo.ts';
import { reasonReader } from '../colors/reason.ts';
import { findCampaign } from '../repo.ts';
import { coversUnit, type HalfYearRecord, halfYearMachine } from './machine.ts';
import { allowedPeriods, type PeriodRange, periodProblem, periodRange } from './period.ts';
import { draftProgressText, type HalfYearStats, ledgerStats } from './stats.ts';

export const SECTIONS = ['progressText', 'practices', 'problems', 'plans'] as const;
export type SectionName = (typeof SECTIONS)[number];
export type Sections = Record<SectionName, string>;

const COLUMN: Record<SectionName, 'progress_text' | 'practices' | 'problems' | 'plans'> = {
  progressText: 'progress_text',
  practices: 'practices',
  problems: 'problems',
  plans: 'plans',
};

function actorOfCaller(caller: Caller) {
  return { id: caller.user.id, name: caller.user.displayName, ip: caller.ip };
}

const today = (ctx: AppContext) => formatLocal(ctx.clock.now()).slice(0, 10);

/** The campaign's window: its dates, or its year when they are not set. */
export function campaignWindow(c: { starts_on: string | null; ends_on: string | null; year: number }) {
  return { from: c.starts_on ?? `${c.year}-01-01`, to: c.ends_on ?? `${c.year}-12-31` };
}

async function visibleCampaign(ctx: AppContext, scope: Scope, id: string) {
  const c = await findCampaign(ctx.database.db, scope, id);
  if (!c) throw notFound();
  return c;
}

/** The period if the campaign may have reports on it; otherwise a field-level refusal. */
function checkPeriod(
  c: { starts_on: string | null; ends_on: string | null; year: number },
  period: string,
  day: string,
): PeriodRange {
  const range = periodRange(period);
  const problem = periodProblem(period, campaignWindow(c), day);
  if (!range || problem === 'outside') throw invalidField('period', 'HALF_YEAR_PERIOD_OUTSIDE');
  if (problem === 'future') throw invalidField('period', 'HALF_YEAR_PERIOD_FUTURE');
  return range;
}

function sectionsOf(r: HalfYearRecord): Sections {
  return { progressText: r.progress_text, practices: r.practices, problems: r.problems, plans: r.plans };
}

function view(caller: Caller, r: HalfYearRecord) {
  return {
    id: r.id,
    campaign: { id: r.campaign_id, name: r.campaign_name, status: r.campaign_status },
    unit: { id: r.unit_id, name: r.unit_name },
    period: r.period,
    state: r.state,
    version: r.version,
    ...sectionsOf(r),
    stats: json<HalfYearStats>(r.stats) as HalfYearStats,
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    returnReason: r.return_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    allowedActions: allowedActions(halfYearMachine, caller.user, r),
    editable:
      (r.state === 'draft' || r.state === 'returned') &&
      r.campaign_status === 'active' &&
      caller.user.permissions.has('ledger:report') &&
      coversUnit(caller.user, r),
  };
}

export type HalfYearView = ReturnType<typeof view>;

async function visibleReport(ctx: AppContext, caller: Caller, id: string): Promise<HalfYearRecord> {
  const r = await halfYearMachine.load(ctx.database.db, id);
  if (!r || !(await halfYearMachine.visible(ctx.database.db, r, caller.scope))) throw notFound();
  return r;
}

export async function getHalfYearReport(ctx: AppContext, caller: Caller, id: string): Promise<HalfYearView> {
  return view(caller, await visibleReport(ctx, caller, id));
}

/**
 * Opens a unit's report for a period, pre-filled with its ledger statistics and a drafted 进展成效.
 * The unit defaults to the caller's; it must lie in the caller's scope and be responsible for an
 * activity of the campaign, which must be active.
 */
export async function openHalfYearReport(
  ctx: AppContext,
  caller: Caller,
  campaignId: string,
  input: { period: string; unitId?: string },
): Promise<HalfYearView> {
  const db = ctx.database.db;
  const c = await visibleCampaign(ctx, caller.scope, campaignId);
  if (c.status !== 'active') throw new AppError(409, 'HALF_YEAR_CAMPAIGN_NOT_ACTIVE');
  const day = today(ctx);
  const range = checkPeriod(c, input.period, day);
  const unitId = input.unitId ?? caller.user.unitId;
  const unit = unitId ? await findUnitRow(db, unitId) : undefined;
  if (!unit || !inScope(unit, caller.scope)) throw invalidField('unitId', 'field.unknownUnit');
  const responsible = await db
    .selectFrom('campaign_activity_units as u')
    .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
    .select('u.unit_id')
    .where('a.campaign_id', '=', c.id)
    .where('u.unit_id', '=', unit.id)
    .executeTakeFirst();
  if (!responsible) throw invalidField('unitId', 'HALF_YEAR_UNIT_NOT_IN_CAMPAIGN');
  const exists = async (q: Kysely<DB>) =>
    q
      .selectFrom('half_year_reports')
      .select('id')
      .where('campaign_id', '=', c.id)
      .where('unit_id', '=', unit.id)
      .where('period', '=', input.period)
      .executeTakeFirst();
  const duplicate = () => new AppError(409, 'HALF_YEAR_DUPLICATE', { period: input.period, unit: unit.name });
  if (await exists(db)) throw duplicate();

  const cal = await getCalendar(ctx);
  const read = await reasonReader(ctx);
  const id = uuidv7();
  await writeTx(ctx, actorOfCaller(caller), async (tx) => {
    if (await exists(tx.db)) throw duplicate();
    const stats = await ledgerStats(tx.db, c.id, unit.id, range, day, read);
    const now = ctx.clock.now().toISOString();
    await createRecord(ctx, tx, cal, halfYearMachine, caller, id, {
      payload: { period: input.period },
      insert: async () => {
        await tx.db
          .insertInto('half_year_reports')
          .values({
            id,
            campaign_id: c.id,
            unit_id: unit.id,
            period: input.period,
            state: halfYearMachine.initial,
            sla_color: 'green',
            progress_text: draftProgressText(stats, unit.name, c.name),
            practices: '',
            problems: '',
            plans: '',
            stats: JSON.stringify(stats),
            author_id: caller.user.id,
            submitted_at: null,
            reviewed_by: null,
            reviewed_at: null,
            return_reason: null,
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
      },
    });
    await tx.audit({
      action: 'half_year_report.create',
      entity: 'half_year_report',
      entityId: id,
      after: { campaignId: c.id, unitId: unit.id, period: input.period },
    });
  });
  return getHalfYearReport(ctx, caller, id);
}

/** Saves the four sections of a draft or returned report (empty sections are allowed until submission). */
export async function editHalfYearReport(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: Partial<Sections> & { version: number },
): Promise<HalfYearView> {
  const r = await visibleReport(ctx, caller, id);
  if (!view(caller, r).editable) {
    if (r.campaign_status !== 'active') throw new AppError(409, 'HALF_YEAR_CAMPAIGN_NOT_ACTIVE');
    if (r.state !== 'draft' && r.state !== 'returned') throw new AppError(409, 'HALF_YEAR_NOT_EDITABLE');
    throw new AppError(403, 'WORKFLOW_NOT_YOURS', {
      action: { 'zh-CN': '编辑', 'en-US': 'edit' },
      allowed: { 'zh-CN': '无', 'en-US': 'nothing' },
    });
  }
  const values: Partial<Record<'progress_text' | 'practices' | 'problems' | 'plans', string>> = {};
  for (const s of SECTIONS) {
    const v = input[s];
    if (v !== undefined) values[COLUMN[s]] = v.trim();
  }
  await writeTx(ctx, actorOfCaller(caller), async (tx) => {
    const res = await tx.db
      .updateTable('half_year_reports')
      .set({ ...values, version: r.version + 1, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .where('state', 'in', ['draft', 'returned'])
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'STALE_VERSION', { current: r.version });
    await tx.audit({
      action: 'half_year_report.edit',
      entity: 'half_year_report',
      entityId: id,
      before: { version: r.version },
      after: { version: r.version + 1, ...values },
    });
  });
  return getHalfYearReport(ctx, caller, id);
}

/** submit / accept / return. Submitting needs every section written; returning needs a reason. */
export async function actOnHalfYearReport(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: TransitionInput,
): Promise<HalfYearView> {
  if (input.action === 'submit') {
    const r = await visibleReport(ctx, caller, id);
    const empty = SECTIONS.filter((s) => !sectionsOf(r)[s].trim());
    // Only when the caller could submit at all: otherwise the engine's answer (403, 409) is the right one.
    if (empty.length && allowedActions(halfYearMachine, caller.user, r).includes('submit')) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        {},
        empty.map((field) => ({ field, code: 'field.required' as const })),
      );
    }
  }
  const res = await transition(ctx, halfYearMachine, id, input, caller);
  return view(caller, res.record);
}

export async function halfYearTimeline(ctx: AppContext, caller: Caller, id: string) {
  await visibleReport(ctx, caller, id);
  return timeline(ctx.database.db, 'half_year_report', id);
}

/**
 * The campaign's responsible units in the caller's scope for one period: each with its instances by
 * colour and done/total over the period, and its report (or none). The period defaults to the newest
 * one reports may be written on.
 */
export async function listHalfYear(ctx: AppContext, caller: Caller, campaignId: string, period?: string) {
  const db = ctx.database.db;
  const c = await visibleCampaign(ctx, caller.scope, campaignId);
  const day = today(ctx);
  const periods = allowedPeriods(campaignWindow(c), day);
  const chosen = period ?? periods[0] ?? null;
  if (period) checkPeriod(c, period, day);
  const range = chosen ? periodRange(chosen) : null;
  const units = await db
    .selectFrom('campaign_activity_units as u')
    .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
    .innerJoin('org_units as o', 'o.id', 'u.unit_id')
    .select(['o.id', 'o.name', 'o.path'])
    .distinct()
    .where('a.campaign_id', '=', c.id)
    .where(unitInScope(caller.scope, 'o.path', 'o.id'))
    .orderBy('o.path')
    .execute();
  const counts = range ? await colourCounts(db, c.id, range, caller.scope) : new Map();
  const reports = chosen
    ? await db
        .selectFrom('half_year_reports as h')
        .innerJoin('org_units as o', 'o.id', 'h.unit_id')
        .select([
          'h.id',
          'h.unit_id',
          'h.state',
          'h.version',
          'h.submitted_at',
          'h.reviewed_at',
          'h.updated_at',
        ])
        .where('h.campaign_id', '=', c.id)
        .where('h.period', '=', chosen)
        .where(unitInScope(caller.scope, 'o.path', 'o.id'))
        .execute()
    : [];
  const byUnit = new Map(reports.map((r) => [r.unit_id, r]));
  const empty = () => ({
    instances: 0,
    done: 0,
    byColor: Object.fromEntries(COLORS.map((k) => [k, 0])) as Record<Color, number>,
  });
  return {
    campaign: { id: c.id, name: c.name, status: c.status },
    period: chosen,
    periods,
    canOpen: c.status === 'active' && caller.user.permissions.has('ledger:report'),
    canCompile: caller.user.permissions.has('campaign:write'),
    units: units.map((u) => {
      const rep = byUnit.get(u.id);
      return {
        unit: { id: u.id, name: u.name },
        ...(counts.get(u.id) ?? empty()),
        report: rep
          ? {
              id: rep.id,
              state: rep.state,
              version: int(rep.version),
              submittedAt: rep.submitted_at,
              reviewedAt: rep.reviewed_at,
              updatedAt: rep.updated_at,
            }
          : null,
      };
    }),
  };
}

/** Per unit: instances overlapping the period by colour, and how many are done. */
async function colourCounts(db: Kysely<DB>, campaignId: string, range: PeriodRange, scope: Scope) {
  const rows = await db
    .selectFrom('task_instances as i')
    .innerJoin('org_units as o', 'o.id', 'i.unit_id')
    .select([
      'i.unit_id',
      'i.color',
      (eb) => eb.fn.countAll().as('n'),
      sql<number>`sum(case when i.done_on is null then 0 else 1 end)`.as('done'),
    ])
    .where('i.campaign_id', '=', campaignId)
    .where('i.starts_on', '<=', range.to)
    .where('i.due_on', '>=', range.from)
    .where(unitInScope(scope, 'o.path', 'o.id'))
    .groupBy(['i.unit_id', 'i.color'])
    .execute();
  const out = new Map<string, { instances: number; done: number; byColor: Record<Color, number> }>();
  for (const r of rows) {
    let u = out.get(r.unit_id);
    if (!u) {
      u = {
        instances: 0,
        done: 0,
        byColor: Object.fromEntries(COLORS.map((k) => [k, 0])) as Record<Color, number>,
      };
      out.set(r.unit_id, u);
    }
    u.instances += int(r.n);
    u.done += int(r.done);
    u.byColor[r.color as Color] = int(r.n);
  }
  return out;
}
