import { describe, expect, it } from 'vitest';
import { checkDay, type SpecialDay, shanghaiInstant, shanghaiYear, weekdayOf, yearCells } from './days.ts';

const NATIONAL_DAY_2026: SpecialDay[] = [
  { date: '2026-09-20', kind: 'workday', name: '国庆节调休上班' },
  { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-02', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-05', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-06', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-07', kind: 'holiday', name: '国庆节' },
  { date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' },
];

describe('calendar page helpers', () => {
  it('lays out a whole year and names the weekend days inside a holiday break', () => {
    const cells = yearCells(2026, NATIONAL_DAY_2026);
    expect(cells).toHaveLength(365);
    const at = (date: string) => cells.find((c) => c.date === date);
    expect(at('2026-10-03')).toEqual({ date: '2026-10-03', kind: 'holiday', name: '国庆节' });
    expect(at('2026-10-04')?.kind).toBe('holiday');
    expect(at('2026-10-10')).toEqual({ date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' });
    expect(at('2026-10-11')).toEqual({ date: '2026-10-11', kind: 'rest', name: null });
    expect(at('2026-09-26')).toEqual({ date: '2026-09-26', kind: 'rest', name: null });
    expect(at('2026-10-08')).toEqual({ date: '2026-10-08', kind: 'work', name: null });
    expect(yearCells(2028, [])).toHaveLength(366);
  });

  it('checks a row like the server does', () => {
    const others = NATIONAL_DAY_2026;
    expect(checkDay(2026, { date: '2027-01-01', kind: 'holiday', name: 'x' }, others)).toBe('outsideYear');
    expect(checkDay(2026, { date: '2026-10-01', kind: 'holiday', name: 'x' }, others)).toBe('duplicate');
    expect(checkDay(2026, { date: '2026-10-09', kind: 'workday', name: 'x' }, others)).toBe(
      'workdayNotWeekend',
    );
    expect(checkDay(2026, { date: '2026-10-11', kind: 'holiday', name: 'x' }, others)).toBe(
      'holidayNotWeekday',
    );
    expect(checkDay(2026, { date: '2026-10-09', kind: 'holiday', name: 'x' }, others)).toBeNull();
  });

  it('reads dates and wall times in Asia/Shanghai whatever the browser zone', () => {
    expect(weekdayOf('2026-10-10')).toBe(6);
    expect(shanghaiYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
    expect(shanghaiYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(new Date(shanghaiInstant('2026-09-29 10:00')).toISOString()).toBe('2026-09-29T02:00:00.000Z');
  });
});
