import { describe, expect, it } from 'vitest';
import { nextRunAt } from './scheduler.ts';

describe('job schedules', () => {
  it('runs interval jobs one interval after the previous run, whatever was missed', () => {
    expect(nextRunAt({ everySeconds: 30 }, new Date('2026-03-02T02:00:00.000Z')).toISOString()).toBe(
      '2026-03-02T02:00:30.000Z',
    );
  });

  it('runs daily jobs at the next HH:MM in Shanghai', () => {
    // 01:00 Shanghai → 02:00 the same day; 03:00 Shanghai → 02:00 the next day.
    expect(nextRunAt({ dailyAt: '02:00' }, new Date('2026-03-01T17:00:00.000Z')).toISOString()).toBe(
      '2026-03-01T18:00:00.000Z',
    );
    expect(nextRunAt({ dailyAt: '02:00' }, new Date('2026-03-01T19:00:00.000Z')).toISOString()).toBe(
      '2026-03-02T18:00:00.000Z',
    );
  });
});
