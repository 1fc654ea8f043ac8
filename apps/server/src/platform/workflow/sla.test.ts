import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../calendar/calendar.ts';
import { type DeadlineDef, deadlineColor, dueStages, formatDue, stageTime, worstColor } from './sla.ts';

// 2026 National Day: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
const cal = new WorkCalendar(
  [
    ...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({
      date,
      kind: 'holiday' as const,
      name: '国庆节',
    })),
    { date: '2026-09-20', kind: 'workday', name: '国庆节调休' },
    { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
  ],
  [2026],
);

const LADDER: DeadlineDef = {
  label: { 'zh-CN': '办结', 'en-US': 'resolve' },
  stages: [
    { kind: 'reminder', at: { before: { workingDays: 1 } } },
    { kind: 'overdue', at: 'due' },
    { kind: 'escalation', at: { workingDaysLate: 1 } },
    { kind: 'supervision', at: { workingDaysLate: 2 } },
    { kind: 'circular', at: { workingDaysLate: 5 } },
  ],
};

const at = (iso: string) => new Date(iso);
/** Monday 28 September 2026, 10:00 Shanghai. */
const start = at('2026-09-28T02:00:00.000Z');
/** 7 working days: 29, 30 Sep, 8, 9, 10 (Saturday, worked), 12, 13 Oct → end of 13 October. */
const due = cal.addDuration(start, { workingDays: 7 });

describe('SLA stages on the working-day calendar', () => {
  it('counts the deadline across the National Day week and its 调休 Saturday', () => {
    expect(due.toISOString()).toBe('2026-10-13T16:00:00.000Z');
  });

  it('reminds at the start of the last working day, and never before half the window', () => {
    expect(stageTime(cal, LADDER.stages[0], start, due).toISOString()).toBe('2026-10-12T16:00:00.000Z');
    const short = cal.addDuration(start, { hours: 2 });
    expect(stageTime(cal, LADDER.stages[0], start, short).toISOString()).toBe('2026-09-28T03:00:00.000Z');
  });

  it('escalates by working days late, skipping weekends and holidays', () => {
    // 14 Oct (Wed) is the first working day late, 15 the second, 20 Oct the fifth.
    expect(stageTime(cal, LADDER.stages[2], start, due).toISOString()).toBe('2026-10-14T16:00:00.000Z');
    expect(stageTime(cal, LADDER.stages[3], start, due).toISOString()).toBe('2026-10-15T16:00:00.000Z');
    expect(stageTime(cal, LADDER.stages[4], start, due).toISOString()).toBe('2026-10-20T16:00:00.000Z');
  });

  it('fires what is due in order, and after downtime skips the useless reminder', () => {
    expect(dueStages(cal, LADDER, 0, start, due, at('2026-10-12T20:00:00.000Z')).fire).toEqual([0]);
    const late = dueStages(cal, LADDER, 0, start, due, at('2026-10-16T02:00:00.000Z'));
    expect(late.fire).toEqual([1, 2, 3]);
    expect(late.next?.stage).toBe(4);
    const after = dueStages(cal, LADDER, 4, start, due, at('2026-10-16T02:00:00.000Z'));
    expect(after.fire).toEqual([]);
    expect(dueStages(cal, LADDER, 5, start, due, at('2027-01-01T00:00:00.000Z'))).toEqual({
      fire: [],
      next: null,
    });
  });

  it('colors green, then yellow at the reminder, then red at the due instant', () => {
    expect(deadlineColor(cal, LADDER, start, due, at('2026-10-09T02:00:00.000Z'))).toBe('green');
    expect(deadlineColor(cal, LADDER, start, due, at('2026-10-13T02:00:00.000Z'))).toBe('yellow');
    expect(deadlineColor(cal, LADDER, start, due, due)).toBe('red');
    expect(worstColor(['green', 'red', 'yellow'])).toBe('red');
    expect(worstColor([])).toBe('green');
  });

  it('shows the end of a day as 24:00 in Shanghai', () => {
    expect(formatDue('2026-10-13T16:00:00.000Z')).toBe('2026-10-13 24:00');
    expect(formatDue('2026-09-28T04:30:00.000Z')).toBe('2026-09-28 12:30');
  });
});
