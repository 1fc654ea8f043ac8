/** Half-year periods ('2026-H1' = 1 January – 30 June, '2026-H2' = 1 July – 31 December): pure. */

export const PERIOD_PATTERN = '^\\d{4}-H[12]$';
const PERIOD = /^(\d{4})-H([12])$/;

export interface PeriodRange {
  period: string;
  year: number;
  half: 1 | 2;
  /** First and last local day, inclusive ('YYYY-MM-DD'). */
  from: string;
  to: string;
}

export function periodRange(period: string): PeriodRange | null {
  const m = PERIOD.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  const half = m[2] === '1' ? 1 : 2;
  return half === 1
    ? { period, year, half, from: `${year}-01-01`, to: `${year}-06-30` }
    : { period, year, half, from: `${year}-07-01`, to: `${year}-12-31` };
}

/** The half a local date falls in. */
export function periodOf(localDate: string): string {
  return `${localDate.slice(0, 4)}-H${Number(localDate.slice(5, 7)) <= 6 ? 1 : 2}`;
}

/** Why a period cannot have reports: outside the campaign's window, or after the current half. */
export type PeriodProblem = 'outside' | 'future';

/**
 * Whether a unit may report on a period: it must overlap the campaign's window (inclusive local dates)
 * and must not begin after the half that `today` is in.
 */
export function periodProblem(
  period: string,
  window: { from: string; to: string },
  today: string,
): PeriodProblem | null {
  const r = periodRange(period);
  if (!r || r.to < window.from || r.from > window.to) return 'outside';
  if (r.from > today) return 'future';
  return null;
}

/** Every period a unit may report on, newest first. */
export function allowedPeriods(window: { from: string; to: string }, today: string): string[] {
  const out: string[] = [];
  const last = window.to < today ? window.to : today;
  for (let year = Number(window.from.slice(0, 4)); year <= Number(last.slice(0, 4)); year++) {
    for (const half of [1, 2]) {
      const p = `${year}-H${half}`;
      if (!periodProblem(p, window, today)) out.push(p);
    }
  }
  return out.reverse();
}
