/**
 * The working-day calendar (pure, no I/O): Asia/Shanghai dates, Monday–Friday working and Saturday/Sunday
 * rest by default, overridden by the State Council's arrangement of each year (holidays on weekdays,
 * 调休 working days on weekends).
 *
 * Instants are `Date`s; local dates are 'YYYY-MM-DD' strings in Asia/Shanghai, which is UTC+8 all year
 * (no daylight saving since 1991), so plain arithmetic on epoch milliseconds replaces Intl. Internally a
 * local date is a day number (days since 1970-01-01), and every year has a precomputed table of its
 * working days with running counts, so the deadline sweep's thousands of calls stay cheap.
 *
 * Deadlines end at the END of their last day, i.e. at 00:00 Asia/Shanghai of the following day.
 */

export type Duration = { workingDays: number } | { days: number } | { hours: number } | { months: number };

export interface SpecialDay {
  date: string;
  /** 'holiday': a weekday off; 'workday': a weekend day worked (调休). */
  kind: 'holiday' | 'workday';
  name: string;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const OFFSET_MS = 8 * HOUR_MS;
/** Beyond this many years of searching for a working day something is wrong with the input. */
const MAX_YEAR = 9999;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Day number (days since 1970-01-01) of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number (H. Hinnant's civil_from_days). */
function civil(day: number): LocalDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function format(day: number): string {
  const { year, month, day: d } = civil(day);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(d)}`;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict 'YYYY-MM-DD' (a real calendar date): null for '2026-02-30', '2026-13-01', '2026-1-5'… */
export function parseLocalDate(s: string): LocalDate | null {
  const m = LOCAL_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function dayOfString(s: string): number {
  const d = parseLocalDate(s);
  if (!d) throw new RangeError(`not a local date (YYYY-MM-DD): ${s}`);
  return dayNumber(d.year, d.month, d.day);
}

/** Saturday or Sunday. */
export function isWeekend(localDate: string): boolean {
  const w = weekdayOf(dayOfString(localDate));
  return w === 0 || w === 6;
}

export type DayProblem =
  | 'invalidDate'
  | 'outsideYear'
  | 'duplicate'
  | 'workdayNotWeekend'
  | 'holidayNotWeekday';

/**
 * What is wrong with the dates of one year's special days, per row: every date real and inside the year,
 * no date twice (`other` is the earlier row), a 'workday' on a Saturday or Sunday, a 'holiday' on a weekday
 * (weekends rest anyway). An empty list means the arrangement can be stored.
 */
export function checkYearDays(
  year: number,
  days: readonly SpecialDay[],
): { index: number; problem: DayProblem; other?: number }[] {
  const out: { index: number; problem: DayProblem; other?: number }[] = [];
  const seen = new Map<string, number>();
  for (const [index, d] of days.entries()) {
    const parsed = parseLocalDate(d.date);
    if (!parsed) {
      out.push({ index, problem: 'invalidDate' });
      continue;
    }
    if (parsed.year !== year) {
      out.push({ index, problem: 'outsideYear' });
      continue;
    }
    const other = seen.get(d.date);
    if (other !== undefined) {
      out.push({ index, problem: 'duplicate', other });
      continue;
    }
    seen.set(d.date, index);
    const weekend = isWeekend(d.date);
    if (d.kind === 'workday' && !weekend) out.push({ index, problem: 'workdayNotWeekend' });
    if (d.kind === 'holiday' && weekend) out.push({ index, problem: 'holidayNotWeekday' });
  }
  return out;
}

/** The Asia/Shanghai day an instant falls in, as a day number. */
function dayOfInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

/** 00:00 Asia/Shanghai of a day. */
function startOf(day: number): Date {
  return new Date(day * DAY_MS - OFFSET_MS);
}

/** '2026-10-10T00:00:00+08:00': an instant as Asia/Shanghai wall time. */
export function formatLocal(instant: Date): string {
  const ms = instant.getTime() + OFFSET_MS;
  const day = Math.floor(ms / DAY_MS);
  const secs = Math.floor((ms - day * DAY_MS) / 1000);
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  return `${format(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(secs % 60)}+08:00`;
}

function positiveInteger(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a whole number >= 1, got ${n}`);
}

interface YearTable {
  /** Day number of 1 January. */
  start: number;
  /** cum[i] = working days among the year's first i days; cum[length] = the year's total. */
  cum: Int32Array;
}

export class WorkCalendar {
  readonly #years: ReadonlySet<number>;
  /** Day number → true (working) / false (rest) where the arrangement overrides the weekday rule. */
  readonly #overrides = new Map<number, boolean>();
  readonly #tables = new Map<number, YearTable>();

  /**
   * `days`: the special days of every loaded year; `years`: the years whose arrangement is loaded (a year
   * without special days is still "loaded" when listed). Other years follow the weekday rule.
   */
  constructor(days: readonly SpecialDay[], years: readonly number[]) {
    this.#years = new Set(years);
    for (const d of days) this.#overrides.set(dayOfString(d.date), d.kind === 'workday');
    for (const y of this.#years) this.#table(y);
  }

  /** The year's arrangement is loaded (otherwise its holidays are unknown and only weekends rest). */
  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** 'YYYY-MM-DD' in Asia/Shanghai. */
  localDate(instant: Date): string {
    return format(dayOfInstant(instant));
  }

  isWorkingDay(localDate: string): boolean {
    return this.#isWorking(dayOfString(localDate));
  }

  /** The END of the n-th working day strictly after from's local date (00:00 Asia/Shanghai of the next day). */
  addWorkingDays(from: Date, n: number): Date {
    positiveInteger(n, 'working days');
    return startOf(this.#nthWorkingDayAfter(dayOfInstant(from), n) + 1);
  }

  /**
   * - workingDays: as addWorkingDays;
   * - hours: exactly from + n hours;
   * - days / months: the end of the local day n days / n calendar months later (Jan 31 + 1 month → the
   *   end of Feb 28/29); when that last day is a rest day, the period ends at the end of the next working
   *   day (民法典 第二百零一条至第二百零三条: the first day is not counted; a period whose last day is a
   *   statutory rest day ends on the day after the rest).
   */
  addDuration(from: Date, d: Duration): Date {
    if ('workingDays' in d) return this.addWorkingDays(from, d.workingDays);
    if ('hours' in d) {
      positiveInteger(d.hours, 'hours');
      const out = new Date(from.getTime() + d.hours * HOUR_MS);
      if (Number.isNaN(out.getTime())) throw new RangeError('invalid instant');
      return out;
    }
    const start = dayOfInstant(from);
    let last: number;
    if ('days' in d) {
      positiveInteger(d.days, 'days');
      last = start + d.days;
    } else {
      positiveInteger(d.months, 'months');
      const { year, month, day } = civil(start);
      const total = year * 12 + (month - 1) + d.months;
      const y = Math.floor(total / 12);
      const m = (total % 12) + 1;
      last = dayNumber(y, m, Math.min(day, daysInMonth(y, m)));
    }
    if (!this.#isWorking(last)) last = this.#nthWorkingDayAfter(last, 1);
    return startOf(last + 1);
  }

  /** Working days whose local date is after from's and up to to's (inclusive); 0 when to <= from. */
  workingDaysBetween(from: Date, to: Date): number {
    if (to.getTime() <= from.getTime()) return 0;
    const a = dayOfInstant(from);
    const b = dayOfInstant(to);
    if (b <= a) return 0;
    const ya = civil(a).year;
    const yb = civil(b).year;
    if (ya === yb) return this.#countThrough(b) - this.#countThrough(a);
    let n = this.#total(ya) - this.#countThrough(a);
    for (let y = ya + 1; y < yb; y++) n += this.#total(y);
    return n + this.#countThrough(b);
  }

  /** 00:00 Asia/Shanghai of the first day of the next month. */
  endOfMonth(instant: Date): Date {
    const { year, month } = civil(dayOfInstant(instant));
    return month === 12 ? startOf(dayNumber(year + 1, 1, 1)) : startOf(dayNumber(year, month + 1, 1));
  }

  /** 00:00 Asia/Shanghai of the first day of the next quarter. */
  endOfQuarter(instant: Date): Date {
    const { year, month } = civil(dayOfInstant(instant));
    const next = Math.floor((month - 1) / 3) * 3 + 4;
    return next > 12 ? startOf(dayNumber(year + 1, 1, 1)) : startOf(dayNumber(year, next, 1));
  }

  #isWorking(day: number): boolean {
    const o = this.#overrides.get(day);
    if (o !== undefined) return o;
    const w = weekdayOf(day);
    return w !== 0 && w !== 6;
  }

  #table(year: number): YearTable {
    let t = this.#tables.get(year);
    if (!t) {
      const start = dayNumber(year, 1, 1);
      const length = dayNumber(year + 1, 1, 1) - start;
      const cum = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) cum[i + 1] = cum[i] + (this.#isWorking(start + i) ? 1 : 0);
      t = { start, cum };
      this.#tables.set(year, t);
    }
    return t;
  }

  #total(year: number): number {
    const { cum } = this.#table(year);
    return cum[cum.length - 1];
  }

  /** Working days from 1 January of day's year through day (inclusive). */
  #countThrough(day: number): number {
    const t = this.#table(civil(day).year);
    return t.cum[day - t.start + 1];
  }

  /** The day number of the n-th working day strictly after `day` (n >= 1). */
  #nthWorkingDayAfter(day: number, n: number): number {
    let year = civil(day).year;
    let t = this.#table(year);
    let before = t.cum[day - t.start + 1];
    let need = n;
    for (;;) {
      const total = t.cum[t.cum.length - 1];
      if (need <= total - before) {
        // The smallest index i whose running count (through day i) reaches before + need.
        const target = before + need;
        let lo = day >= t.start ? day - t.start + 1 : 0;
        let hi = t.cum.length - 2;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (t.cum[mid + 1] >= target) hi = mid;
          else lo = mid + 1;
        }
        return t.start + lo;
      }
      need -= total - before;
      year++;
      if (year > MAX_YEAR) throw new RangeError('no working day found before year 9999');
      t = this.#table(year);
      before = 0;
    }
  }
}
