import { describe, expect, it } from 'vitest';
import { allowedPeriods, periodOf, periodProblem, periodRange } from './period.ts';

describe('half-year periods', () => {
  it('maps a period to its inclusive days and refuses other spellings', () => {
    expect(periodRange('2026-H1')).toMatchObject({
      year: 2026,
      half: 1,
      from: '2026-01-01',
      to: '2026-06-30',
    });
    expect(periodRange('2026-H2')).toMatchObject({ from: '2026-07-01', to: '2026-12-31' });
    for (const bad of ['2026-H3', '2026-h1', '26-H1', '2026-H1 ', '2026H1'])
      expect(periodRange(bad)).toBeNull();
  });

  it('knows the half of a day at both edges', () => {
    expect(periodOf('2026-06-30')).toBe('2026-H1');
    expect(periodOf('2026-07-01')).toBe('2026-H2');
  });

  it('allows periods overlapping the window up to the current half, and says why others are refused', () => {
    const window = { from: '2025-09-15', to: '2027-03-31' };
    expect(periodProblem('2025-H1', window, '2026-08-01')).toBe('outside');
    expect(periodProblem('2025-H2', window, '2026-08-01')).toBeNull();
    expect(periodProblem('2026-H2', window, '2026-08-01')).toBeNull();
    expect(periodProblem('2026-H2', window, '2026-06-30')).toBe('future');
    expect(periodProblem('2027-H2', window, '2028-01-01')).toBe('outside');
    expect(allowedPeriods(window, '2026-08-01')).toEqual(['2026-H2', '2026-H1', '2025-H2']);
    expect(allowedPeriods(window, '2030-01-01')).toEqual(['2027-H1', '2026-H2', '2026-H1', '2025-H2']);
    expect(allowedPeriods(window, '2025-01-01')).toEqual([]);
  });
});
