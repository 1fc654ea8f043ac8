import { isWeekend, parseLocalDate, type SpecialDay } from './calendar.ts';

/**
 * The State Council's holiday arrangements shipped with Wenming. At start, a year listed here is inserted
 * only when the database has no arrangement for it (an office's edits are never overwritten); later years
 * are entered by the office in the console (docs/operations.md, "Working-day calendar").
 *
 * Each holiday is written as in the notice: the whole period off (weekends included) and the weekend days
 * worked instead (调休). Stored rows are only what differs from the weekday rule: the weekdays of each
 * period ('holiday') and the weekend working days ('workday'); the weekend days inside a period rest anyway.
 */
interface Holiday {
  name: string;
  /** First and last day off, inclusive. */
  from: string;
  to: string;
  /** Weekend days worked instead (上班). */
  workdays: string[];
}

interface Arrangement {
  year: number;
  source: string;
  holidays: Holiday[];
}

const ARRANGEMENTS: Arrangement[] = [
  {
    year: 2025,
    source:
      '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）' +
      'https://www.gov.cn/zhengce/content/202411/content_6986382.htm',
    holidays: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01', workdays: [] },
      { name: '春节', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06', workdays: [] },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'] },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02', workdays: [] },
      {
        name: '国庆节、中秋节',
        from: '2025-10-01',
        to: '2025-10-08',
        workdays: ['2025-09-28', '2025-10-11'],
      },
    ],
  },
  {
    year: 2026,
    source:
      '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）' +
      'https://www.gov.cn/zhengce/content/202511/content_7047090.htm',
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06', workdays: [] },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21', workdays: [] },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27', workdays: [] },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
    ],
  },
];

export interface ShippedYear {
  year: number;
  source: string;
  /** In date order: the weekday holidays and the weekend working days. */
  days: SpecialDay[];
}

function datesFrom(from: string, to: string): string[] {
  const a = parseLocalDate(from);
  if (!a) throw new RangeError(`bad date ${from}`);
  const out: string[] = [];
  const d = new Date(Date.UTC(a.year, a.month - 1, a.day));
  for (let s = from; s <= to; s = d.toISOString().slice(0, 10)) {
    out.push(s);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

function expand(a: Arrangement): ShippedYear {
  const days: SpecialDay[] = [];
  for (const h of a.holidays) {
    for (const date of datesFrom(h.from, h.to)) {
      if (!isWeekend(date)) days.push({ date, kind: 'holiday', name: h.name });
    }
    for (const date of h.workdays) days.push({ date, kind: 'workday', name: `${h.name}调休上班` });
  }
  days.sort((x, y) => (x.date < y.date ? -1 : 1));
  return { year: a.year, source: a.source, days };
}

export const SHIPPED_YEARS: readonly ShippedYear[] = ARRANGEMENTS.map(expand);

export function isShippedYear(year: number): boolean {
  return SHIPPED_YEARS.some((y) => y.year === year);
}
