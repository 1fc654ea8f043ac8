/**
 * Pure helpers of the calendar page. Dates are 'YYYY-MM-DD' strings of the Asia/Shanghai calendar and are
 * handled as plain calendar dates (UTC arithmetic), whatever the browser's time zone.
 */

export interface SpecialDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** How a day of the grid is shown. */
export type CellKind =
  /** an ordinary working day */
  | 'work'
  /** a Saturday or Sunday */
  | 'rest'
  /** a day of a statutory holiday (a stored weekday holiday, or a weekend day inside the same break) */
  | 'holiday'
  /** a weekend day worked (调休) */
  | 'workday';

export interface Cell {
  date: string;
  kind: CellKind;
  name: string | null;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const w = weekdayOf(date);
  return w === 0 || w === 6;
}

/**
 * Every day of the year with its kind. Stored rows hold only weekday holidays, so a weekend day is shown
 * as part of a holiday when it belongs to an unbroken run of rest days that contains a stored holiday
 * (e.g. 2026-10-03 inside 国庆节 10/1–10/7).
 */
export function yearCells(year: number, days: readonly SpecialDay[]): Cell[] {
  const special = new Map(days.map((d) => [d.date, d]));
  const cells: Cell[] = [];
  let run: Cell[] = [];
  let runName: string | null = null;
  const closeRun = () => {
    if (runName) for (const c of run) Object.assign(c, { kind: 'holiday', name: runName });
    run = [];
    runName = null;
  };
  for (let month = 1; month <= 12; month++) {
    for (let day = 1; day <= daysInMonth(year, month); day++) {
      const date = isoDate(year, month, day);
      const s = special.get(date);
      const rest = s ? s.kind === 'holiday' : isWeekend(date);
      const cell: Cell = s
        ? { date, kind: s.kind, name: s.name }
        : { date, kind: rest ? 'rest' : 'work', name: null };
      cells.push(cell);
      if (rest) {
        run.push(cell);
        if (s && !runName) runName = s.name;
      } else {
        closeRun();
      }
    }
  }
  closeRun();
  return cells;
}

export type DayProblem = 'outsideYear' | 'duplicate' | 'workdayNotWeekend' | 'holidayNotWeekday';

/** The server's rules for one row (checked again there): in the year, unique, 调休 on weekends, holidays on weekdays. */
export function checkDay(year: number, day: SpecialDay, others: readonly SpecialDay[]): DayProblem | null {
  if (!day.date.startsWith(`${year}-`)) return 'outsideYear';
  if (others.some((o) => o.date === day.date)) return 'duplicate';
  const weekend = isWeekend(day.date);
  if (day.kind === 'workday' && !weekend) return 'workdayNotWeekend';
  if (day.kind === 'holiday' && weekend) return 'holidayNotWeekday';
  return null;
}

/** The year of an instant in Asia/Shanghai (UTC+8). */
export function shanghaiYear(instant: Date): number {
  return new Date(instant.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** A wall-clock 'YYYY-MM-DD HH:mm' read as Asia/Shanghai time → ISO instant with its offset. */
export function shanghaiInstant(localDateTime: string): string {
  return `${localDateTime.replace(' ', 'T')}:00+08:00`;
}
