import { describe, expect, it } from 'vitest';
import {
  COLOR_PRESETS,
  type ColorRules,
  colorReasonAt,
  colorReasonText,
  storedColorReason,
} from '../../../../../../packages/contracts/src/index.ts';
import { colorOf, expectedProgress, type InstanceFacts, progressOf, rulesOf } from './rules.ts';

/** Monday–Friday are working days: enough to test the rules (the real calendar is tested elsewhere). */
function weekdaysBetween(from: string, to: string): number {
  let n = 0;
  const d = new Date(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  for (d.setUTCDate(d.getUTCDate() + 1); d.getTime() <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

// A 100-day window: 2026-01-01 … 2026-04-10. Day k (1-based) is 2026-01-01 + (k - 1).
const START = '2026-01-01';
const DUE = '2026-04-10';
function day(k: number): string {
  const d = new Date(Date.UTC(2026, 0, k));
  return d.toISOString().slice(0, 10);
}

function facts(over: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    startsOn: START,
    dueOn: DUE,
    progress: 0,
    acceptedReports: 0,
    pendingReports: 0,
    doneOn: null,
    returnedOn: null,
    ...over,
  };
}

const D = COLOR_PRESETS.default;
const Y = COLOR_PRESETS.yinchuan;
const S = COLOR_PRESETS.shangqiu;
const color = (f: InstanceFacts, rules: ColorRules, today: string) =>
  colorOf(f, rules, today, weekdaysBetween);

describe('expectedProgress', () => {
  it('is the share of the window elapsed by the end of today', () => {
    expect(expectedProgress(START, DUE, '2025-12-31')).toBe(0);
    expect(expectedProgress(START, DUE, day(1))).toBe(1);
    expect(expectedProgress(START, DUE, day(70))).toBe(70);
    expect(expectedProgress(START, DUE, DUE)).toBe(100);
    expect(expectedProgress(START, DUE, '2026-12-31')).toBe(100);
    expect(expectedProgress('2026-03-01', '2026-03-01', '2026-03-01')).toBe(100);
  });
});

describe('progressOf', () => {
  const targets = [
    { label: '先进集体', quantity: 100, measure: '个' },
    { label: '覆盖率', quantity: 80, measure: '%' },
  ];
  it('averages each target met, capped at 100% per target', () => {
    expect(progressOf(targets, [50, 40], 1)).toBe(50);
    expect(progressOf(targets, [200, 0], 1)).toBe(50);
    expect(progressOf(targets, [100, 80], 1)).toBe(100);
    expect(progressOf(targets, [], 0)).toBe(0);
    expect(progressOf([{ label: '部', quantity: 3, measure: '部' }], [1], 1)).toBe(33);
    expect(progressOf([{ label: '部', quantity: 3, measure: '部' }], [3], 1)).toBe(100);
  });
  it('a task without targets is complete with its first accepted report', () => {
    expect(progressOf([], [], 0)).toBe(0);
    expect(progressOf([], [], 1)).toBe(100);
  });
});

describe('colorOf — default rules', () => {
  it('green when completed, whatever the date', () => {
    const f = facts({ progress: 100, acceptedReports: 1, doneOn: '2026-02-01' });
    expect(color(f, D, day(50))).toEqual({
      color: 'green',
      reason: { code: 'done', params: { doneOn: '2026-02-01', progress: 100 } },
    });
    expect(color(f, D, '2026-12-31').color).toBe('green');
  });

  it('red the day after the deadline when not completed, counting working days late', () => {
    expect(color(facts({ progress: 99, acceptedReports: 1 }), D, DUE).color).not.toBe('red');
    // 2026-04-10 is a Friday: Mon 13 … Fri 17 are 5 working days late.
    expect(color(facts({ progress: 99, acceptedReports: 1 }), D, '2026-04-17')).toEqual({
      color: 'red',
      reason: { code: 'overdue', params: { due: DUE, lateWorkingDays: 5, progress: 99 } },
    });
    expect(color(facts(), D, '2026-04-11')).toEqual({
      color: 'red',
      reason: { code: 'overdue', params: { due: DUE, lateWorkingDays: 0, progress: 0 } },
    });
  });

  it('blue before the window opens', () => {
    expect(color(facts(), D, '2025-12-31')).toEqual({
      color: 'blue',
      reason: { code: 'not_started', params: { starts: START, due: DUE } },
    });
  });

  it('yellow when behind with less than 30% of the time left — boundary at exactly 30% left', () => {
    // Day 70: 70% elapsed, 30% left: not yet "less than 30%".
    expect(color(facts({ progress: 69 }), D, day(70)).color).toBe('blue');
    // Day 71: 29% left and 69% < 71% expected.
    expect(color(facts({ progress: 69 }), D, day(71))).toEqual({
      color: 'yellow',
      reason: { code: 'behind_time_left', params: { due: DUE, progress: 69, expected: 71, leftPct: 29 } },
    });
    // On schedule (progress = expected) is not behind.
    expect(color(facts({ progress: 71, acceptedReports: 1 }), D, day(71)).color).toBe('green');
    expect(color(facts({ progress: 71 }), D, day(71)).color).toBe('blue');
  });

  it('green on schedule with an accepted report; blue when behind but not yet at risk', () => {
    expect(color(facts({ progress: 50, acceptedReports: 1 }), D, day(40))).toEqual({
      color: 'green',
      reason: { code: 'on_track_accepted', params: { due: DUE, progress: 50, expected: 40 } },
    });
    expect(color(facts({ progress: 30, acceptedReports: 1 }), D, day(40))).toEqual({
      color: 'blue',
      reason: { code: 'in_progress', params: { due: DUE, progress: 30, expected: 40 } },
    });
  });

  it('yellow when a returned report is not resubmitted within 3 working days', () => {
    // Returned Monday 2026-01-05: Tue–Thu are 3 working days (still blue), Friday is the 4th.
    const returned = facts({ returnedOn: '2026-01-05', progress: 50 });
    expect(color(returned, D, '2026-01-08').color).toBe('blue');
    expect(color(returned, D, '2026-01-09')).toEqual({
      color: 'yellow',
      reason: { code: 'returned_stale', params: { returnedOn: '2026-01-05', workingDays: 4 } },
    });
    // Resubmitted (a report pending review again): no longer stale.
    expect(color({ ...returned, pendingReports: 1 }, D, '2026-01-09').color).toBe('blue');
  });

  it('ignores the point-lag and orange rules when they are off', () => {
    expect(color(facts({ progress: 0 }), D, day(60)).color).toBe('blue');
  });
});

describe('colorOf — Yinchuan: 10–30 points behind → yellow, more than 30 → red', () => {
  it('boundaries at 10 and 30 points', () => {
    expect(color(facts({ progress: 41 }), Y, day(50)).color).toBe('blue'); // 9 behind
    expect(color(facts({ progress: 40 }), Y, day(50))).toEqual({
      color: 'yellow',
      reason: { code: 'lagging', params: { due: DUE, progress: 40, expected: 50, lag: 10 } },
    });
    expect(color(facts({ progress: 20 }), Y, day(50)).color).toBe('yellow'); // 30 behind
    expect(color(facts({ progress: 19 }), Y, day(50))).toEqual({
      color: 'red',
      reason: { code: 'lagging', params: { due: DUE, progress: 19, expected: 50, lag: 31 } },
    });
  });
});

describe('colorOf — Shangqiu: yellow at 30% left, orange at 15% left, red overdue', () => {
  it('boundaries at 30% and 15% left', () => {
    expect(color(facts({ progress: 10 }), S, day(70)).color).toBe('blue');
    expect(color(facts({ progress: 10 }), S, day(71)).color).toBe('yellow');
    expect(color(facts({ progress: 10 }), S, day(85)).color).toBe('yellow'); // exactly 15% left
    expect(color(facts({ progress: 10 }), S, day(86))).toEqual({
      color: 'orange',
      reason: { code: 'behind_time_left', params: { due: DUE, progress: 10, expected: 86, leftPct: 14 } },
    });
    expect(color(facts({ progress: 90 }), S, day(86)).color).toBe('blue'); // not behind
    expect(color(facts({ progress: 10 }), S, '2026-04-11').color).toBe('red');
  });
  it('orange outranks a stale returned report', () => {
    const f = facts({ progress: 10, returnedOn: '2026-03-02' });
    expect(color(f, S, day(86)).color).toBe('orange');
    expect(color(f, D, day(86)).reason.code).toBe('returned_stale');
  });
});

describe('rulesOf and the reason sentence', () => {
  it('reads stored rules over the defaults', () => {
    expect(rulesOf(null)).toEqual(D);
    expect(rulesOf(JSON.stringify({ preset: 'custom', lagRedPoints: 25 }))).toEqual({
      ...D,
      preset: 'custom',
      lagRedPoints: 25,
    });
  });
  it('renders the issue example in both languages', () => {
    const r = color(facts({ startsOn: '2026-01-01', dueOn: '2026-12-31' }), D, '2027-01-18');
    expect(colorReasonText(r.color, r.reason, 'zh-CN')).toBe(
      '红：截止2026-12-31，已逾期12个工作日，未提交完成材料',
    );
    expect(colorReasonText(r.color, r.reason, 'en-US')).toBe(
      'Red: due 2026-12-31, 12 working days overdue, no accepted completion report',
    );
  });
});

describe('stored reasons (the daily figures computed when read)', () => {
  const Y = COLOR_PRESETS.yinchuan;
  const S = COLOR_PRESETS.shangqiu;
  const cases: [string, InstanceFacts, ColorRules, string][] = [
    ['done', facts({ progress: 100, acceptedReports: 1, doneOn: day(20) }), D, day(40)],
    ['on track with an accepted report', facts({ progress: 60, acceptedReports: 1 }), D, day(40)],
    ['not started', facts({ startsOn: day(10) }), D, day(5)],
    ['in progress', facts({ progress: 10 }), D, day(20)],
    ['behind with little time left', facts({ progress: 10 }), D, day(80)],
    ['orange', facts({ progress: 10 }), S, day(90)],
    ['lagging (red)', facts(), Y, day(50)],
    ['lagging (yellow)', facts({ progress: 20 }), Y, day(35)],
    ['returned and stale', facts({ returnedOn: day(5) }), D, day(20)],
    ['overdue', facts({ progress: 30 }), D, day(120)],
  ];
  for (const [name, f, rules, today] of cases)
    it(`${name}: stored without them, read back as computed the same day`, () => {
      const r = color(f, rules, today);
      const stored = storedColorReason(r.reason, f.startsOn);
      const text = JSON.stringify(stored);
      for (const moving of ['expected', 'leftPct', 'lag', 'lateWorkingDays', 'workingDays'])
        expect(text).not.toContain(`"${moving}"`);
      expect(colorReasonAt(stored, today, weekdaysBetween)).toEqual(r.reason);
    });

  it('reads the figures of the day it is read, not of the day it was stored', () => {
    // Due Friday 10 April: Monday 13 April is one working day late, Monday 20 April six.
    const r = color(facts({ progress: 30 }), D, day(103));
    const stored = storedColorReason(r.reason, START);
    expect(colorReasonAt(stored, day(103), weekdaysBetween)).toMatchObject({
      params: { lateWorkingDays: 1 },
    });
    expect(colorReasonAt(stored, day(110), weekdaysBetween)).toMatchObject({
      params: { lateWorkingDays: 6 },
    });
    const going = storedColorReason(color(facts({ progress: 10 }), D, day(20)).reason, START);
    expect(colorReasonAt(going, day(50), weekdaysBetween)).toEqual({
      code: 'in_progress',
      params: { due: DUE, progress: 10, expected: 50 },
    });
  });

  it('shows the figures of a reason stored with them as stored', () => {
    const old = { code: 'overdue', params: { due: DUE, lateWorkingDays: 7, progress: 0 } } as const;
    expect(colorReasonAt(old, day(200), weekdaysBetween)).toEqual(old);
  });
});
