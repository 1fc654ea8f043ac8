/**
 * Cycles of a task and whole-year date shifts (pure). Dates are inclusive local 'YYYY-MM-DD' strings;
 * string comparison orders them.
 */
import type { TaskCadence } from '../../../../../../packages/contracts/src/index.ts';
import { daysInMonth } from '../../../platform/calendar/calendar.ts';

export interface Cycle {
  /** 'once', '2026', '2026-H1', '2026-Q3', '2026-07' */
  cycle: string;
  startsOn: string;
  dueOn: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;

/** Months per cycle of each periodic cadence. */
const MONTHS: Record<Exclude<TaskCadence, 'once'>, number> = {
  monthly: 1,
  quarterly: 3,
  half_yearly: 6,
  yearly: 12,
};

function label(cadence: Exclude<TaskCadence, 'once'>, year: number, firstMonth: number): string {
  switch (cadence) {
    case 'monthly':
      return `${year}-${pad2(firstMonth)}`;
    case 'quarterly':
      return `${year}-Q${(firstMonth - 1) / 3 + 1}`;
    case 'half_yearly':
      return `${year}-H${firstMonth === 1 ? 1 : 2}`;
    case 'yearly':
      return String(year);
  }
}

/**
 * The cycles of a task over its window [startsOn, dueOn]: calendar months, quarters, halves or years
 * that overlap the window, each clipped to it; 'once' is one cycle equal to the window. A window that
 * ends before it starts has no cycles.
 */
export function cyclesOf(cadence: TaskCadence, startsOn: string, dueOn: string): Cycle[] {
  if (dueOn < startsOn) return [];
  if (cadence === 'once') return [{ cycle: 'once', startsOn, dueOn }];
  const span = MONTHS[cadence];
  const [sy, sm] = startsOn.split('-').map(Number);
  const [ey, em] = dueOn.split('-').map(Number);
  const out: Cycle[] = [];
  let year = sy;
  let month = sm - ((sm - 1) % span);
  while (year < ey || (year === ey && month <= em)) {
    const lastMonth = month + span - 1;
    const first = ymd(year, month, 1);
    const last = ymd(year, lastMonth, daysInMonth(year, lastMonth));
    out.push({
      cycle: label(cadence, year, month),
      startsOn: first < startsOn ? startsOn : first,
      dueOn: last > dueOn ? dueOn : last,
    });
    month += span;
    if (month > 12) {
      month -= 12;
      year += 1;
    }
  }
  return out;
}

/** The same day `years` years later (or earlier); 29 February becomes 28 February in a common year. */
export function shiftYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y + years;
  return ymd(year, m, Math.min(d, daysInMonth(year, m)));
}
