/**
 * A campaign's life after import: settings (name, window, unit approval, colour rules), activation
 * (a task per leaf activity, then the instances), closing, and copying to a new year.
 */
import {
  COLOR_PRESETS,
  type ColorRules,
  type TaskCadence,
  type TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../../db/ids.ts';
import { bool, int, json } from '../../../db/normalize.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import { parseLocalDate } from '../../../platform/calendar/calendar.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, type FieldProblem, notFound } from '../../../platform/http/errors.ts';
import type { Scope } from '../../../platform/rbac/types.ts';
import { type Tx, writeTx } from '../../../platform/tx.ts';
import { recolorInstances } from '../colors/recolor.ts';
import type { Target } from '../plan/types.ts';
import { campaignExists, findCampaign } from '../repo.ts';
import { shiftYears } from './cycles.ts';
import { generateInstances } from './instances.ts';
import { windowOf, writableCampaign } from './service.ts';
import { rulesProblems, targetProblems } from './validate.ts';

/** Rows per INSERT when copying or activating. */
const CHUNK = 500;

async function insertChunks<T>(list: T[], insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < list.length; i += CHUNK) await insert(list.slice(i, i + CHUNK));
}

/** The parser's cadence kinds as task cadences; weekly, periodic and none are 'once' until the office says. */
const CADENCE_OF: Record<string, TaskCadence> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  'half-yearly': 'half_yearly',
  yearly: 'yearly',
};

export function cadenceOf(kind: string | null): TaskCadence {
  return (kind && CADENCE_OF[kind]) || 'once';
}

/** The parser's targets of an activity as task targets; a target a task could not hold is left out. */
export function targetsOf(parsed: Target[]): TaskTarget[] {
  return parsed
    .map((t) => ({
      label: (t.what.trim() || t.text.trim()).slice(0, 100),
      quantity: t.number,
      measure: t.measure.trim().slice(0, 10),
    }))
    .filter((t) => targetProblems([t]).length === 0)
    .slice(0, 20);
}

const duplicate = (name: string, year: number) =>
  new AppError(409, 'CAMPAIGN_DUPLICATE', { name, year }, [
    { field: 'name', code: 'CAMPAIGN_DUPLICATE', params: { name, year } },
  ]);

/**
 * Activates a draft: a task for every leaf activity that has none yet (title, description, cadence,
 * window, weight and targets from the activity), then every instance. Refused (409) when an activity
 * that gets a task has no unit, or when the campaign is no longer a draft.
 */
export async function activateCampaign(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
): Promise<{ tasks: number; instances: number }> {
  const cal = await getCalendar(ctx);
  return writeTx(ctx, actor, async (tx) => {
    const c = await findCampaign(tx.db, scope, id);
    if (!c) throw notFound();
    if (c.status !== 'draft') throw new AppError(409, 'CAMPAIGN_NOT_DRAFT');
    const now = tx.clock.now().toISOString();
    const claimed = await tx.db
      .updateTable('campaigns')
      .set({ status: 'active', activated_at: now, updated_at: now, version: int(c.version) + 1 })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError(409, 'CAMPAIGN_NOT_DRAFT');

    const activities = await tx.db
      .selectFrom('campaign_activities')
      .selectAll()
      .where('campaign_id', '=', id)
      .orderBy('seq')
      .execute();
    const parents = new Set(activities.map((a) => a.parent_id).filter((p) => p !== null));
    const tasked = new Set(
      (
        await tx.db.selectFrom('campaign_tasks').select('activity_id').where('campaign_id', '=', id).execute()
      ).map((t) => t.activity_id),
    );
    const staffed = new Set(
      (
        await tx.db
          .selectFrom('campaign_activity_units as u')
          .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
          .select('u.activity_id')
          .where('a.campaign_id', '=', id)
          .execute()
      ).map((u) => u.activity_id),
    );
    const fresh = activities.filter((a) => !parents.has(a.id) && !tasked.has(a.id));
    const unstaffed = activities.filter((a) => (tasked.has(a.id) || fresh.includes(a)) && !staffed.has(a.id));
    if (unstaffed.length > 0)
      throw new AppError(409, 'CAMPAIGN_ACTIVITIES_WITHOUT_UNITS', {
        numerals: unstaffed.map((a) => a.numeral).join('、'),
      });

    const window = windowOf(c);
    let seq = int(
      (
        await tx.db
          .selectFrom('campaign_tasks')
          .select((eb) => eb.fn.max('seq').as('m'))
          .where('campaign_id', '=', id)
          .executeTakeFirst()
      )?.m,
    );
    const rows = fresh.map((a) => {
      const deadline = a.deadline_on;
      return {
        id: uuidv7(),
        campaign_id: id,
        activity_id: a.id,
        seq: ++seq,
        title: a.name,
        description: a.description,
        cadence: cadenceOf(a.cadence),
        starts_on: window.startsOn,
        due_on:
          deadline && deadline >= window.startsOn && deadline <= window.endsOn ? deadline : window.endsOn,
        weight: Math.min(100, Math.max(1, int(a.weight))),
        targets: JSON.stringify(targetsOf(json<Target[]>(a.targets) ?? [])),
        version: 1,
        created_at: now,
        updated_at: now,
      };
    });
    await insertChunks(rows, (part) => tx.db.insertInto('campaign_tasks').values(part).execute());
    const instances = await generateInstances(tx, cal, id);
    await tx.audit({
      action: 'campaign.activate',
      entity: 'campaign',
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'active', tasks: rows.length, instances },
    });
    return { tasks: rows.length, instances };
  });
}

/** Closes an active campaign: its ledger takes no more reports (the ledger checks the status). */
export async function closeCampaign(ctx: AppContext, actor: Actor, scope: Scope, id: string): Promise<void> {
  await writeTx(ctx, actor, async (tx) => {
    const c = await findCampaign(tx.db, scope, id);
    if (!c) throw notFound();
    if (c.status !== 'active') throw new AppError(409, 'CAMPAIGN_NOT_ACTIVE');
    const now = tx.clock.now().toISOString();
    await tx.db
      .updateTable('campaigns')
      .set({ status: 'closed', closed_at: now, updated_at: now, version: int(c.version) + 1 })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .execute();
    await tx.audit({
      action: 'campaign.close',
      entity: 'campaign',
      entityId: id,
      before: { status: 'active' },
      after: { status: 'closed' },
    });
  });
}

export interface SettingsPatch {
  version: number;
  name?: string;
  startsOn?: string;
  endsOn?: string;
  requiresUnitApproval?: boolean;
  /** null: back to the default rules. */
  colorRules?: ColorRules | null;
}

/** Rules that equal a preset's values keep its name; anything else is 'custom'. */
function normalizeRules(r: ColorRules): ColorRules {
  const values = (x: ColorRules) => JSON.stringify({ ...x, preset: '' });
  const preset = (Object.keys(COLOR_PRESETS) as (keyof typeof COLOR_PRESETS)[]).find(
    (k) => values(COLOR_PRESETS[k]) === values(r),
  );
  return {
    preset: preset ?? 'custom',
    yellowTimeLeft: r.yellowTimeLeft,
    orangeTimeLeft: r.orangeTimeLeft,
    lagYellowPoints: r.lagYellowPoints,
    lagRedPoints: r.lagRedPoints,
    returnedGraceWorkingDays: r.returnedGraceWorkingDays,
  };
}

async function tasksOutside(tx: Tx, id: string, startsOn: string, endsOn: string): Promise<number> {
  const row = await tx.db
    .selectFrom('campaign_tasks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('campaign_id', '=', id)
    .where((eb) => eb.or([eb('starts_on', '<', startsOn), eb('due_on', '>', endsOn)]))
    .executeTakeFirst();
  return int(row?.n);
}

/**
 * Changes a campaign's settings (optimistic on version). New colour rules recolour every instance of an
 * active campaign; a window that would leave a task outside it is refused.
 */
export async function updateCampaign(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  patch: SettingsPatch,
): Promise<void> {
  const cal = await getCalendar(ctx);
  await writeTx(ctx, actor, async (tx) => {
    const c = await writableCampaign(tx, scope, id);
    if (int(c.version) !== patch.version)
      throw new AppError(409, 'STALE_VERSION', { current: int(c.version) });
    const problems: FieldProblem[] = [];
    const name = patch.name?.trim() ?? c.name;
    if (!name) problems.push({ field: 'name', code: 'field.required' });
    const window = windowOf(c);
    const startsOn = patch.startsOn ?? window.startsOn;
    const endsOn = patch.endsOn ?? window.endsOn;
    if (!parseLocalDate(startsOn))
      problems.push({ field: 'startsOn', code: 'field.format', params: { format: 'date' } });
    if (!parseLocalDate(endsOn))
      problems.push({ field: 'endsOn', code: 'field.format', params: { format: 'date' } });
    if (problems.length === 0 && endsOn < startsOn)
      problems.push({ field: 'endsOn', code: 'CAMPAIGN_TASK_DUE_BEFORE_START' });
    if (problems.length === 0) {
      const outside = await tasksOutside(tx, id, startsOn, endsOn);
      if (outside > 0)
        problems.push({
          field: 'endsOn',
          code: 'CAMPAIGN_WINDOW_EXCLUDES_TASKS',
          params: { count: outside },
        });
    }
    if (patch.colorRules) problems.push(...rulesProblems(patch.colorRules));
    if (problems.length > 0) throw new AppError(400, 'VALIDATION_FAILED', {}, problems);
    if (name !== c.name && (await campaignExists(tx.db, name, int(c.year))))
      throw duplicate(name, int(c.year));

    const rules =
      patch.colorRules === undefined
        ? c.color_rules
        : patch.colorRules === null
          ? null
          : JSON.stringify(normalizeRules(patch.colorRules));
    const before = {
      name: c.name,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      requiresUnitApproval: bool(c.requires_unit_approval),
      colorRules: json<ColorRules>(c.color_rules),
    };
    const after = {
      name,
      startsOn,
      endsOn,
      requiresUnitApproval: patch.requiresUnitApproval ?? before.requiresUnitApproval,
      colorRules: json<ColorRules>(rules),
    };
    const updated = await tx.db
      .updateTable('campaigns')
      .set({
        name,
        starts_on: startsOn,
        ends_on: endsOn,
        requires_unit_approval: after.requiresUnitApproval,
        color_rules: rules,
        version: int(c.version) + 1,
        updated_at: tx.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .where('version', '=', patch.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError(409, 'STALE_VERSION', { current: int(c.version) + 1 });
    const recolored =
      rules !== c.color_rules && c.status === 'active'
        ? (await recolorInstances(tx, cal, { campaignId: id }, 'edit')).length
        : 0;
    const keys = (Object.keys(after) as (keyof typeof after)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    await tx.audit({
      action: 'campaign.update',
      entity: 'campaign',
      entityId: id,
      before: Object.fromEntries(keys.map((k) => [k, before[k]])),
      after: { ...Object.fromEntries(keys.map((k) => [k, after[k]])), recolored },
    });
  });
}

export interface CopyInput {
  year: number;
  name?: string;
}

/**
 * Copies a campaign to another year as a new draft: phases, sections, activities with their units, and
 * tasks, every date moved by whole years (29 February → 28 February); settings and rules come along.
 */
export async function copyCampaign(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  input: CopyInput,
): Promise<string> {
  const newId = uuidv7();
  await writeTx(ctx, actor, async (tx) => {
    const src = await findCampaign(tx.db, scope, id);
    if (!src) throw notFound();
    const name = input.name?.trim() || src.name;
    if (await campaignExists(tx.db, name, input.year)) throw duplicate(name, input.year);
    const years = input.year - int(src.year);
    const shift = (d: string | null) => (d === null ? null : shiftYears(d, years));
    const now = tx.clock.now().toISOString();
    await tx.db
      .insertInto('campaigns')
      .values({
        id: newId,
        name,
        year: input.year,
        doc_no: src.doc_no,
        issued_on: src.issued_on,
        source_text: src.source_text,
        status: 'draft',
        starts_on: shift(src.starts_on),
        ends_on: shift(src.ends_on),
        color_rules: src.color_rules,
        requires_unit_approval: bool(src.requires_unit_approval),
        copied_from: id,
        activated_at: null,
        closed_at: null,
        version: 1,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const phases = await tx.db
      .selectFrom('campaign_phases')
      .selectAll()
      .where('campaign_id', '=', id)
      .execute();
    await insertChunks(
      phases.map((p) => ({
        ...p,
        id: uuidv7(),
        campaign_id: newId,
        starts_on: shift(p.starts_on),
        ends_on: shift(p.ends_on),
      })),
      (part) => tx.db.insertInto('campaign_phases').values(part).execute(),
    );
    const sections = await tx.db
      .selectFrom('campaign_sections')
      .selectAll()
      .where('campaign_id', '=', id)
      .orderBy('seq')
      .execute();
    const sectionIds = new Map(sections.map((s) => [s.id, uuidv7()]));
    await insertChunks(
      sections.map((s) => ({ ...s, id: sectionIds.get(s.id) ?? '', campaign_id: newId })),
      (part) => tx.db.insertInto('campaign_sections').values(part).execute(),
    );
    // document order puts a parent before its children, so parents are inserted first
    const activities = await tx.db
      .selectFrom('campaign_activities')
      .selectAll()
      .where('campaign_id', '=', id)
      .orderBy('seq')
      .execute();
    const activityIds = new Map(activities.map((a) => [a.id, uuidv7()]));
    const newActivity = (old: string) => activityIds.get(old) ?? '';
    for (const a of activities)
      await tx.db
        .insertInto('campaign_activities')
        .values({
          ...a,
          id: newActivity(a.id),
          campaign_id: newId,
          section_id: sectionIds.get(a.section_id) ?? '',
          parent_id: a.parent_id === null ? null : newActivity(a.parent_id),
          deadline_on: shift(a.deadline_on),
        })
        .execute();
    const units = await tx.db
      .selectFrom('campaign_activity_units as u')
      .innerJoin('campaign_activities as a', 'a.id', 'u.activity_id')
      .select(['u.activity_id', 'u.unit_id', 'u.role'])
      .where('a.campaign_id', '=', id)
      .execute();
    await insertChunks(
      units.map((u) => ({ ...u, activity_id: newActivity(u.activity_id) })),
      (part) => tx.db.insertInto('campaign_activity_units').values(part).execute(),
    );
    const tasks = await tx.db
      .selectFrom('campaign_tasks')
      .selectAll()
      .where('campaign_id', '=', id)
      .execute();
    await insertChunks(
      tasks.map((t) => ({
        ...t,
        id: uuidv7(),
        campaign_id: newId,
        activity_id: newActivity(t.activity_id),
        starts_on: shiftYears(t.starts_on, years),
        due_on: shiftYears(t.due_on, years),
        version: 1,
        created_at: now,
        updated_at: now,
      })),
      (part) => tx.db.insertInto('campaign_tasks').values(part).execute(),
    );
    await tx.audit({
      action: 'campaign.copy',
      entity: 'campaign',
      entityId: newId,
      after: {
        from: id,
        name,
        year: input.year,
        activities: activities.length,
        tasks: tasks.length,
        units: units.length,
      },
    });
  });
  return newId;
}
