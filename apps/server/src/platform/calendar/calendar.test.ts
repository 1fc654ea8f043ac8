import { describe, expect, it } from 'vitest';
import { checkYearDays, formatLocal, parseLocalDate, type SpecialDay, WorkCalendar } from './calendar.ts';
import { SHIPPED_YEARS } from './holidays.ts';

const cal = new WorkCalendar(
  SHIPPED_YEARS.flatMap((y) => y.days),
  SHIPPED_YEARS.map((y) => y.year),
);

/** An instant given as Asia/Shanghai wall time. */
const at = (local: string) => new Date(`${local}+08:00`);
/** The end of a local day: 00:00 Asia/Shanghai of the next day. */
const endOf = (date: string) => {
  const d = new Date(`${date}T00:00:00+08:00`);
  return new Date(d.getTime() + 86_400_000);
};

describe('the shipped arrangements (国办发明电〔2024〕12号, 国办发明电〔2025〕7号)', () => {
  it('are valid data: weekday holidays and weekend working days only, inside their year', () => {
    for (const y of SHIPPED_YEARS) expect(checkYearDays(y.year, y.days)).toEqual([]);
    expect(SHIPPED_YEARS.map((y) => y.year)).toEqual([2025, 2026]);
  });

  it('mark the 2026 holidays and 调休 days', () => {
    const off = [
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-02-15',
      '2026-02-16',
      '2026-02-20',
      '2026-02-23',
      '2026-04-06',
      '2026-05-01',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01',
      '2026-10-05',
      '2026-10-07',
    ];
    const worked = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];
    expect(off.filter((d) => cal.isWorkingDay(d))).toEqual([]);
    expect(worked.filter((d) => !cal.isWorkingDay(d))).toEqual([]);
    // ordinary days around them
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-11')).toBe(false);
  });

  it('mark the 2025 holidays and 调休 days', () => {
    const off = [
      '2025-01-01',
      '2025-01-28',
      '2025-02-04',
      '2025-04-04',
      '2025-05-05',
      '2025-06-02',
      '2025-10-08',
    ];
    const worked = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'];
    expect(off.filter((d) => cal.isWorkingDay(d))).toEqual([]);
    expect(worked.filter((d) => !cal.isWorkingDay(d))).toEqual([]);
  });

  it('give both years 248 working days', () => {
    expect(cal.workingDaysBetween(at('2024-12-31T12:00:00'), at('2025-12-31T12:00:00'))).toBe(248);
    expect(cal.workingDaysBetween(at('2025-12-31T12:00:00'), at('2026-12-31T12:00:00'))).toBe(248);
  });
});

describe('adding working days', () => {
  it('crosses National Day 2026 (10/1–10/7 off, 9/20 and 10/10 worked)', () => {
    expect(cal.addWorkingDays(at('2026-09-29T10:00:00'), 3)).toEqual(endOf('2026-10-09'));
    expect(cal.addWorkingDays(at('2026-09-29T10:00:00'), 4)).toEqual(endOf('2026-10-10'));
    expect(cal.addWorkingDays(at('2026-09-18T10:00:00'), 1)).toEqual(endOf('2026-09-20'));
  });

  it('lands on a 调休 Sunday: Friday 2025-09-26 + 1 → the end of Sunday 2025-09-28', () => {
    expect(cal.addWorkingDays(at('2025-09-26T09:00:00'), 1)).toEqual(endOf('2025-09-28'));
    expect(cal.addWorkingDays(at('2025-09-28T09:00:00'), 1)).toEqual(endOf('2025-09-29'));
    expect(cal.addWorkingDays(at('2025-09-30T09:00:00'), 1)).toEqual(endOf('2025-10-09'));
  });

  it('crosses the Spring Festival 2026 (2/15–2/23 off, 2/14 and 2/28 worked)', () => {
    expect(cal.addWorkingDays(at('2026-02-13T17:00:00'), 1)).toEqual(endOf('2026-02-14'));
    expect(cal.addWorkingDays(at('2026-02-13T17:00:00'), 2)).toEqual(endOf('2026-02-24'));
    expect(cal.addWorkingDays(at('2026-02-13T17:00:00'), 6)).toEqual(endOf('2026-02-28'));
    expect(cal.addWorkingDays(at('2026-02-13T17:00:00'), 7)).toEqual(endOf('2026-03-02'));
  });

  it('counts from the local date, not the UTC one', () => {
    // 2026-03-05T16:30Z is Friday 6 March 00:30 in Shanghai: the first working day after it is Monday
    expect(cal.addWorkingDays(new Date('2026-03-05T16:30:00Z'), 1)).toEqual(endOf('2026-03-09'));
    expect(cal.addWorkingDays(new Date('2026-03-05T15:30:00Z'), 1)).toEqual(endOf('2026-03-06'));
  });

  it('crosses a year end into a year without an arrangement (weekends only)', () => {
    expect(cal.hasYear(2027)).toBe(false);
    // 2026-12-31 is a Thursday; 2027-01-01 a Friday (its holidays are not entered)
    expect(cal.addWorkingDays(at('2026-12-31T10:00:00'), 1)).toEqual(endOf('2027-01-01'));
    expect(cal.addWorkingDays(at('2026-12-31T10:00:00'), 2)).toEqual(endOf('2027-01-04'));
    expect(cal.addWorkingDays(at('2026-12-01T10:00:00'), 300)).toEqual(
      naiveAdd(at('2026-12-01T10:00:00'), 300),
    );
  });

  it('agrees with a day-by-day count for every day of 2025 and 2026 and up to 25 working days', () => {
    const wrong: string[] = [];
    for (
      let t = at('2025-01-01T12:00:00').getTime();
      t < at('2027-01-01T00:00:00').getTime();
      t += 86_400_000
    ) {
      for (let n = 1; n <= 25; n++) {
        const from = new Date(t);
        if (cal.addWorkingDays(from, n).getTime() !== naiveAdd(from, n).getTime())
          wrong.push(`${cal.localDate(from)} + ${n}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses zero, negative and fractional counts', () => {
    expect(() => cal.addWorkingDays(at('2026-03-02T10:00:00'), 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(at('2026-03-02T10:00:00'), -1)).toThrow(RangeError);
    expect(() => cal.addDuration(at('2026-03-02T10:00:00'), { days: 1.5 })).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('natural durations', () => {
  it('hours: exactly n hours later, across midnight and a holiday', () => {
    const from = new Date('2026-03-02T15:30:00Z'); // 23:30 in Shanghai
    expect(cal.addDuration(from, { hours: 2 })).toEqual(new Date('2026-03-02T17:30:00Z'));
    expect(cal.addDuration(at('2026-09-30T20:00:00'), { hours: 48 })).toEqual(at('2026-10-02T20:00:00'));
  });

  it('days: the end of the n-th day; a period ending on a rest day runs to the next working day (民法典 第二百零三条)', () => {
    expect(cal.addDuration(at('2026-03-02T10:00:00'), { days: 3 })).toEqual(endOf('2026-03-05'));
    // Monday + 5 days = Saturday → Monday
    expect(cal.addDuration(at('2026-03-02T10:00:00'), { days: 5 })).toEqual(endOf('2026-03-09'));
    // ends inside National Day → the first working day after it
    expect(cal.addDuration(at('2026-09-28T10:00:00'), { days: 3 })).toEqual(endOf('2026-10-08'));
    // ends on a 调休 Saturday, a working day
    expect(cal.addDuration(at('2026-10-03T10:00:00'), { days: 7 })).toEqual(endOf('2026-10-10'));
  });

  it('months: the same day n months later, else the last day of that month, then the rest-day rule', () => {
    // 2026-01-31 + 1 month = 2026-02-28, a Saturday worked (调休)
    expect(cal.addDuration(at('2026-01-31T10:00:00'), { months: 1 })).toEqual(endOf('2026-02-28'));
    // 2025-01-31 + 1 month = Friday 2025-02-28
    expect(cal.addDuration(at('2025-01-31T10:00:00'), { months: 1 })).toEqual(endOf('2025-02-28'));
    // leap year: 2027-12-31 + 2 months = Tuesday 2028-02-29
    expect(cal.addDuration(at('2027-12-31T10:00:00'), { months: 2 })).toEqual(endOf('2028-02-29'));
    // 31st → 30-day month
    expect(cal.addDuration(at('2026-03-31T10:00:00'), { months: 1 })).toEqual(endOf('2026-04-30'));
    expect(cal.addDuration(at('2026-08-31T10:00:00'), { months: 1 })).toEqual(endOf('2026-09-30'));
    // across a year: 2026-12-31 + 2 months = Sunday 2027-02-28 → Monday 2027-03-01
    expect(cal.addDuration(at('2026-12-31T10:00:00'), { months: 2 })).toEqual(endOf('2027-03-01'));
    // 2026-09-01 + 1 month = 2026-10-01 (National Day) → 2026-10-08
    expect(cal.addDuration(at('2026-09-01T10:00:00'), { months: 1 })).toEqual(endOf('2026-10-08'));
    expect(cal.addDuration(at('2026-01-15T10:00:00'), { months: 12 })).toEqual(endOf('2027-01-15'));
  });

  it('workingDays through addDuration is addWorkingDays', () => {
    expect(cal.addDuration(at('2026-09-29T10:00:00'), { workingDays: 7 })).toEqual(
      cal.addWorkingDays(at('2026-09-29T10:00:00'), 7),
    );
  });
});

describe('working days between two instants', () => {
  it('counts the working days after from’s date up to and including to’s date', () => {
    expect(cal.workingDaysBetween(at('2026-09-30T10:00:00'), at('2026-10-09T10:00:00'))).toBe(2);
    expect(cal.workingDaysBetween(at('2026-09-30T10:00:00'), at('2026-10-10T10:00:00'))).toBe(3);
    expect(cal.workingDaysBetween(at('2026-09-30T10:00:00'), at('2026-10-07T23:59:59'))).toBe(0);
    expect(cal.workingDaysBetween(at('2025-12-31T10:00:00'), at('2026-01-05T10:00:00'))).toBe(2);
  });

  it('is 0 when to is not after from, or on the same local day', () => {
    expect(cal.workingDaysBetween(at('2026-10-09T10:00:00'), at('2026-09-30T10:00:00'))).toBe(0);
    expect(cal.workingDaysBetween(at('2026-10-09T10:00:00'), at('2026-10-09T10:00:00'))).toBe(0);
    expect(cal.workingDaysBetween(at('2026-10-09T08:00:00'), at('2026-10-09T23:00:00'))).toBe(0);
  });

  it('inverts addWorkingDays: a deadline n working days out is n working days after its start', () => {
    const from = at('2026-02-10T09:00:00');
    for (let n = 1; n <= 60; n++) {
      const due = cal.addWorkingDays(from, n);
      expect(cal.workingDaysBetween(from, new Date(due.getTime() - 1))).toBe(n);
    }
  });

  it('counts across several years', () => {
    const from = at('2024-06-01T10:00:00');
    const to = at('2028-06-01T10:00:00');
    expect(cal.workingDaysBetween(from, to)).toBe(naiveBetween(from, to));
  });
});

describe('local dates and period ends', () => {
  it('puts 16:00Z at the start of the next Shanghai day', () => {
    expect(cal.localDate(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(cal.localDate(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
    expect(cal.localDate(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
    expect(formatLocal(new Date('2026-10-09T16:00:00Z'))).toBe('2026-10-10T00:00:00+08:00');
    expect(formatLocal(new Date('2026-03-02T05:06:07Z'))).toBe('2026-03-02T13:06:07+08:00');
  });

  it('end of month: 00:00 Shanghai of the next month’s first day', () => {
    expect(cal.endOfMonth(new Date('2026-01-31T15:59:00Z'))).toEqual(new Date('2026-01-31T16:00:00Z'));
    expect(cal.endOfMonth(new Date('2026-01-31T16:00:00Z'))).toEqual(new Date('2026-02-28T16:00:00Z'));
    expect(cal.endOfMonth(at('2028-02-10T10:00:00'))).toEqual(at('2028-03-01T00:00:00'));
    expect(cal.endOfMonth(at('2026-12-15T10:00:00'))).toEqual(at('2027-01-01T00:00:00'));
  });

  it('end of quarter', () => {
    expect(cal.endOfQuarter(at('2026-02-10T10:00:00'))).toEqual(at('2026-04-01T00:00:00'));
    expect(cal.endOfQuarter(at('2026-04-01T00:00:00'))).toEqual(at('2026-07-01T00:00:00'));
    expect(cal.endOfQuarter(at('2026-03-31T23:59:59'))).toEqual(at('2026-04-01T00:00:00'));
    expect(cal.endOfQuarter(at('2026-12-01T10:00:00'))).toEqual(at('2027-01-01T00:00:00'));
  });
});

describe('validation', () => {
  it('parses only real YYYY-MM-DD dates', () => {
    expect(parseLocalDate('2026-02-28')).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2000-02-29')).not.toBeNull();
    for (const bad of [
      '2026-02-30',
      '2026-02-29',
      '2100-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-05',
      '2026-01-05T00:00',
      ' 2026-01-05',
      '２０２６-01-05',
      '',
    ])
      expect(parseLocalDate(bad), bad).toBeNull();
  });

  it('names each bad row of a year’s arrangement', () => {
    const days: SpecialDay[] = [
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-30', kind: 'holiday', name: 'x' },
      { date: '2026-12-31', kind: 'holiday', name: 'x' },
      { date: '2027-01-01', kind: 'holiday', name: 'again' },
      { date: '2027-01-04', kind: 'workday', name: 'Monday' },
      { date: '2027-01-02', kind: 'holiday', name: 'Saturday' },
      { date: '2027-01-03', kind: 'workday', name: 'Sunday' },
    ];
    expect(checkYearDays(2027, days)).toEqual([
      { index: 1, problem: 'invalidDate' },
      { index: 2, problem: 'outsideYear' },
      { index: 3, problem: 'duplicate', other: 0 },
      { index: 4, problem: 'workdayNotWeekend' },
      { index: 5, problem: 'holidayNotWeekday' },
    ]);
  });

  it('lets an office override the default rule in a year of its own', () => {
    const mine = new WorkCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027]);
    expect(mine.hasYear(2027)).toBe(true);
    expect(mine.isWorkingDay('2027-01-01')).toBe(false);
    expect(mine.addWorkingDays(at('2026-12-31T10:00:00'), 1)).toEqual(endOf('2027-01-04'));
    expect(() => mine.isWorkingDay('2027-02-30')).toThrow(RangeError);
  });
});

// ---- naive references: walk day by day -----------------------------------------------------------

function naiveAdd(from: Date, n: number): Date {
  let t = endOf(cal.localDate(from)).getTime();
  let left = n;
  for (;;) {
    const day = cal.localDate(new Date(t));
    t += 86_400_000;
    if (cal.isWorkingDay(day) && --left === 0) return new Date(t);
  }
}

function naiveBetween(from: Date, to: Date): number {
  let n = 0;
  for (let t = endOf(cal.localDate(from)).getTime(); t <= to.getTime(); t += 86_400_000)
    if (cal.isWorkingDay(cal.localDate(new Date(t)))) n++;
  return n;
}
