import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { int } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import { type Actor, SYSTEM_ACTOR } from '../audit/audit.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldProblem, invalidField, notFound } from '../http/errors.ts';
import { type Lang, message } from '../http/messages.ts';
import { writeTx } from '../tx.ts';
import {
  checkYearDays,
  type DayProblem,
  type Duration,
  formatLocal,
  type SpecialDay,
  WorkCalendar,
} from './calendar.ts';
import { isShippedYear, SHIPPED_YEARS } from './holidays.ts';

/**
 * The calendar as data: one row per year whose arrangement is entered (calendar_years) and the special
 * days of those years (calendar_days). The loaded WorkCalendar is cached per database in this process:
 *
 * - every edit made through this module reloads it right after its transaction commits;
 * - on PostgreSQL, where several server processes may share the database, a cached calendar older than
 *   RECHECK_MS is checked against a stamp of calendar_years (row count and max(updated_at)) and
 *   reloaded when another process changed it. Every edit rewrites its year's updated_at, and a deleted
 *   year changes the count, so the stamp moves with every change made through the API;
 * - SQLite has a single server process, so its calendar is only reloaded after edits. This also means a
 *   warm cache never queries, so getCalendar may be called inside another module's SQLite transaction
 *   once the calendar is loaded (at start, by ensureShippedCalendar).
 */
const RECHECK_MS = 5_000;

interface Cached {
  calendar: WorkCalendar;
  stamp: string;
  /** ctx.clock time of the last load or stamp check (ms). */
  checkedAt: number;
}

const cache = new WeakMap<Database, Cached>();

async function readStamp(db: Kysely<DB>): Promise<string> {
  const r = await db
    .selectFrom('calendar_years')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('latest')])
    .executeTakeFirst();
  return `${int(r?.n)}|${r?.latest ?? ''}`;
}

async function load(ctx: AppContext): Promise<WorkCalendar> {
  const db = ctx.database.db;
  // The stamp is read before the data, so a cached calendar is never older than its stamp.
  const stamp = await readStamp(db);
  const years = await db.selectFrom('calendar_years').select('year').execute();
  const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).execute();
  const calendar = new WorkCalendar(
    days.map((d) => ({ date: d.date, kind: d.kind === 'workday' ? 'workday' : 'holiday', name: d.name })),
    years.map((y) => int(y.year)),
  );
  cache.set(ctx.database, { calendar, stamp, checkedAt: ctx.clock.now().getTime() });
  return calendar;
}

/** The working-day calendar of this installation (cached; see above). */
export async function getCalendar(ctx: AppContext): Promise<WorkCalendar> {
  const hit = cache.get(ctx.database);
  if (!hit) return load(ctx);
  if (ctx.database.engine === 'sqlite') return hit.calendar;
  const now = ctx.clock.now().getTime();
  if (now >= hit.checkedAt && now - hit.checkedAt < RECHECK_MS) return hit.calendar;
  if ((await readStamp(ctx.database.db)) !== hit.stamp) return load(ctx);
  hit.checkedAt = now;
  return hit.calendar;
}

const yearRange = (year: number) => [`${year}-01-01`, `${year}-12-31`] as const;

async function daysOfYear(db: Kysely<DB>, year: number): Promise<SpecialDay[]> {
  const [first, last] = yearRange(year);
  const rows = await db
    .selectFrom('calendar_days')
    .select(['date', 'kind', 'name'])
    .where('date', '>=', first)
    .where('date', '<=', last)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({
    date: r.date,
    kind: r.kind === 'workday' ? 'workday' : 'holiday',
    name: r.name,
  }));
}

async function insertDays(db: Kysely<DB>, days: readonly SpecialDay[], now: string): Promise<void> {
  if (!days.length) return;
  await db
    .insertInto('calendar_days')
    .values(days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, updated_at: now })))
    .onConflict((oc) => oc.column('date').doNothing())
    .execute();
}

/**
 * Inserts every shipped year (holidays.ts) that the database does not have yet, with an audit row per
 * year, then loads the calendar. A year already present is left alone, whatever it holds: an office's
 * edits are never overwritten. Safe when several processes start at once (the insert skips a year
 * another process has just added).
 */
export async function ensureShippedCalendar(ctx: AppContext): Promise<void> {
  const present = new Set(
    (await ctx.database.db.selectFrom('calendar_years').select('year').execute()).map((r) => int(r.year)),
  );
  const missing = SHIPPED_YEARS.filter((y) => !present.has(y.year));
  if (missing.length) {
    await writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
      const now = ctx.clock.now().toISOString();
      for (const y of missing) {
        const inserted = await tx.db
          .insertInto('calendar_years')
          .values({ year: y.year, source: y.source, updated_at: now })
          .onConflict((oc) => oc.column('year').doNothing())
          .executeTakeFirst();
        if (!int(inserted.numInsertedOrUpdatedRows)) continue;
        await insertDays(tx.db, y.days, now);
        await tx.audit({
          action: 'calendar.year.ship',
          entity: 'calendar_year',
          entityId: String(y.year),
          after: { source: y.source, days: y.days },
        });
      }
    });
  }
  await load(ctx);
}

export interface CalendarYearSummary {
  year: number;
  source: string | null;
  updatedAt: string;
  holidays: number;
  workdays: number;
  /** Shipped with Wenming (holidays.ts): it can be edited but not deleted. */
  shipped: boolean;
}

export interface CalendarYearDetail {
  year: number;
  source: string | null;
  updatedAt: string;
  shipped: boolean;
  days: SpecialDay[];
}

export async function listYears(ctx: AppContext): Promise<CalendarYearSummary[]> {
  const db = ctx.database.db;
  const years = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  const days = await db.selectFrom('calendar_days').select(['date', 'kind']).execute();
  return years.map((y) => {
    const year = int(y.year);
    const prefix = `${year}-`;
    const mine = days.filter((d) => d.date.startsWith(prefix));
    return {
      year,
      source: y.source,
      updatedAt: y.updated_at,
      holidays: mine.filter((d) => d.kind === 'holiday').length,
      workdays: mine.filter((d) => d.kind === 'workday').length,
      shipped: isShippedYear(year),
    };
  });
}

async function readYear(db: Kysely<DB>, year: number): Promise<CalendarYearDetail | null> {
  const row = await db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
  if (!row) return null;
  return {
    year,
    source: row.source,
    updatedAt: row.updated_at,
    shipped: isShippedYear(year),
    days: await daysOfYear(db, year),
  };
}

export async function getYear(ctx: AppContext, year: number): Promise<CalendarYearDetail> {
  const found = await readYear(ctx.database.db, year);
  if (!found) throw notFound();
  return found;
}

const PROBLEM_CODES: Record<DayProblem, FieldProblem['code']> = {
  invalidDate: 'calendar.dateInvalid',
  outsideYear: 'calendar.dateOutsideYear',
  duplicate: 'calendar.dateDuplicate',
  workdayNotWeekend: 'calendar.workdayNotWeekend',
  holidayNotWeekday: 'calendar.holidayNotWeekday',
};

export interface YearInput {
  source: string;
  days: SpecialDay[];
}

/** Replaces a year's arrangement (its source and every special day) in one audited transaction. */
export async function replaceYear(
  ctx: AppContext,
  actor: Actor,
  year: number,
  input: YearInput,
): Promise<CalendarYearDetail> {
  const days = input.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name.trim() }));
  const problems = checkYearDays(year, days);
  if (problems.length) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      {},
      problems.map((p) => ({
        field: `days.${p.index}.date`,
        code: PROBLEM_CODES[p.problem],
        // rows are numbered from 1 for people
        params: { year, other: (p.other ?? 0) + 1 },
      })),
    );
  }
  days.sort((a, b) => (a.date < b.date ? -1 : 1));
  const source = input.source.trim();
  const saved = await writeTx(ctx, actor, async (tx) => {
    const before = await readYear(tx.db, year);
    const now = ctx.clock.now().toISOString();
    const [first, last] = yearRange(year);
    await tx.db.deleteFrom('calendar_days').where('date', '>=', first).where('date', '<=', last).execute();
    if (before) {
      await tx.db
        .updateTable('calendar_years')
        .set({ source, updated_at: now })
        .where('year', '=', year)
        .execute();
    } else {
      await tx.db.insertInto('calendar_years').values({ year, source, updated_at: now }).execute();
    }
    await insertDays(tx.db, days, now);
    await tx.audit({
      action: 'calendar.year.replace',
      entity: 'calendar_year',
      entityId: String(year),
      before: before ? { source: before.source, days: before.days } : null,
      after: { source, days },
    });
    return { year, source, updatedAt: now, shipped: isShippedYear(year), days };
  });
  await load(ctx);
  return saved;
}

/** Deletes a year the office added; a shipped year can only be edited (start would re-insert it). */
export async function deleteYear(ctx: AppContext, actor: Actor, year: number): Promise<void> {
  if (isShippedYear(year)) throw new AppError(409, 'CALENDAR_YEAR_SHIPPED', { year });
  await writeTx(ctx, actor, async (tx) => {
    const before = await readYear(tx.db, year);
    if (!before) throw notFound();
    const [first, last] = yearRange(year);
    await tx.db.deleteFrom('calendar_days').where('date', '>=', first).where('date', '<=', last).execute();
    await tx.db.deleteFrom('calendar_years').where('year', '=', year).execute();
    await tx.audit({
      action: 'calendar.year.delete',
      entity: 'calendar_year',
      entityId: String(year),
      before: { source: before.source, days: before.days },
    });
  });
  await load(ctx);
}

export interface ComputeInput {
  from: string;
  duration: { workingDays?: number; days?: number; hours?: number; months?: number };
}

export interface ComputeResult {
  due: string;
  /** The due instant as Asia/Shanghai wall time, e.g. 2026-10-10T00:00:00+08:00. */
  dueLocal: string;
  /** The last local day of the period (the day that ends at `due`). */
  lastDay: string;
  /** Years in the period whose arrangement is not entered (only weekends were treated as rest days). */
  warnings: { year: number; message: string }[];
}

function durationOf(input: ComputeInput['duration']): Duration {
  const given = (['workingDays', 'days', 'hours', 'months'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) throw invalidField('duration', 'calendar.durationOne');
  const key = given[0];
  const n = input[key] as number;
  switch (key) {
    case 'workingDays':
      return { workingDays: n };
    case 'days':
      return { days: n };
    case 'hours':
      return { hours: n };
    case 'months':
      return { months: n };
  }
}

/** The deadline calculator: from an instant and a duration to the due instant. */
export async function compute(ctx: AppContext, lang: Lang, input: ComputeInput): Promise<ComputeResult> {
  const from = new Date(input.from);
  if (Number.isNaN(from.getTime())) throw invalidField('from', 'field.format', { format: 'date-time' });
  const duration = durationOf(input.duration);
  const calendar = await getCalendar(ctx);
  const firstYear = Number(calendar.localDate(from).slice(0, 4));
  if (firstYear < 2000 || firstYear > 2100) throw invalidField('from', 'calendar.instantRange');
  const due = calendar.addDuration(from, duration);
  const lastDay = calendar.localDate(new Date(due.getTime() - 1));
  const warnings: ComputeResult['warnings'] = [];
  if (!('hours' in duration)) {
    for (let year = firstYear; year <= Number(lastDay.slice(0, 4)); year++) {
      if (!calendar.hasYear(year))
        warnings.push({ year, message: message('CALENDAR_YEAR_MISSING', lang, { year }) });
    }
  }
  return { due: due.toISOString(), dueLocal: formatLocal(due), lastDay, warnings };
}
