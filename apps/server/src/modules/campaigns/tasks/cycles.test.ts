import { describe, expect, it } from 'vitest';
import { cyclesOf, shiftYears } from './cycles.ts';

describe('cyclesOf', () => {
  it('once: one cycle equal to the window', () => {
    expect(cyclesOf('once', '2026-03-15', '2026-11-30')).toEqual([
      { cycle: 'once', startsOn: '2026-03-15', dueOn: '2026-11-30' },
    ]);
  });

  it('monthly: calendar months clipped to the window, across a year end', () => {
    expect(cyclesOf('monthly', '2025-11-20', '2026-02-10')).toEqual([
      { cycle: '2025-11', startsOn: '2025-11-20', dueOn: '2025-11-30' },
      { cycle: '2025-12', startsOn: '2025-12-01', dueOn: '2025-12-31' },
      { cycle: '2026-01', startsOn: '2026-01-01', dueOn: '2026-01-31' },
      { cycle: '2026-02', startsOn: '2026-02-01', dueOn: '2026-02-10' },
    ]);
  });

  it('monthly: February of a leap year ends on the 29th', () => {
    expect(cyclesOf('monthly', '2028-02-01', '2028-03-31').map((c) => c.dueOn)).toEqual([
      '2028-02-29',
      '2028-03-31',
    ]);
  });

  it('monthly over a whole year: twelve cycles', () => {
    const cycles = cyclesOf('monthly', '2026-01-01', '2026-12-31');
    expect(cycles).toHaveLength(12);
    expect(cycles[11]).toEqual({ cycle: '2026-12', startsOn: '2026-12-01', dueOn: '2026-12-31' });
  });

  it('quarterly: quarters overlapping the window', () => {
    expect(cyclesOf('quarterly', '2022-09-01', '2023-04-15')).toEqual([
      { cycle: '2022-Q3', startsOn: '2022-09-01', dueOn: '2022-09-30' },
      { cycle: '2022-Q4', startsOn: '2022-10-01', dueOn: '2022-12-31' },
      { cycle: '2023-Q1', startsOn: '2023-01-01', dueOn: '2023-03-31' },
      { cycle: '2023-Q2', startsOn: '2023-04-01', dueOn: '2023-04-15' },
    ]);
  });

  it('half-yearly: H1 and H2', () => {
    expect(cyclesOf('half_yearly', '2026-01-01', '2026-12-31')).toEqual([
      { cycle: '2026-H1', startsOn: '2026-01-01', dueOn: '2026-06-30' },
      { cycle: '2026-H2', startsOn: '2026-07-01', dueOn: '2026-12-31' },
    ]);
    expect(cyclesOf('half_yearly', '2026-07-01', '2026-07-01')).toEqual([
      { cycle: '2026-H2', startsOn: '2026-07-01', dueOn: '2026-07-01' },
    ]);
  });

  it('yearly: calendar years clipped to the window', () => {
    expect(cyclesOf('yearly', '2022-09-01', '2024-06-30')).toEqual([
      { cycle: '2022', startsOn: '2022-09-01', dueOn: '2022-12-31' },
      { cycle: '2023', startsOn: '2023-01-01', dueOn: '2023-12-31' },
      { cycle: '2024', startsOn: '2024-01-01', dueOn: '2024-06-30' },
    ]);
  });

  it('a one-day window is one cycle of every cadence', () => {
    for (const cadence of ['once', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const)
      expect(cyclesOf(cadence, '2026-05-31', '2026-05-31')).toHaveLength(1);
  });

  it('a window that ends before it starts has no cycles', () => {
    expect(cyclesOf('monthly', '2026-05-02', '2026-05-01')).toEqual([]);
    expect(cyclesOf('once', '2026-05-02', '2026-05-01')).toEqual([]);
  });

  it('cycles tile the window without gaps or overlaps', () => {
    const cycles = cyclesOf('quarterly', '2026-02-14', '2027-08-03');
    expect(cycles[0].startsOn).toBe('2026-02-14');
    expect(cycles.at(-1)?.dueOn).toBe('2027-08-03');
    for (let i = 1; i < cycles.length; i++) {
      const prev = new Date(`${cycles[i - 1].dueOn}T00:00:00Z`).getTime();
      expect(new Date(`${cycles[i].startsOn}T00:00:00Z`).getTime() - prev).toBe(86_400_000);
    }
  });
});

describe('shiftYears', () => {
  it('moves a date by whole years', () => {
    expect(shiftYears('2022-09-30', 1)).toBe('2023-09-30');
    expect(shiftYears('2022-12-31', 4)).toBe('2026-12-31');
    expect(shiftYears('2026-01-01', -1)).toBe('2025-01-01');
  });

  it('29 February becomes 28 February in a common year and stays in a leap year', () => {
    expect(shiftYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(shiftYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(shiftYears('2023-02-28', 1)).toBe('2024-02-28');
  });
});
