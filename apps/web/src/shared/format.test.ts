import { describe, expect, it } from 'vitest';
import { endOfShanghaiDay, formatDue, formatTime } from './format.ts';

describe('due instants', () => {
  it('read a midnight in Shanghai as the end of the day before', () => {
    expect(formatDue('2026-03-10T16:00:00.000Z')).toBe('2026-03-10 24:00');
    expect(formatDue('2026-12-31T16:00:00.000Z')).toBe('2026-12-31 24:00');
  });

  it('show any other instant to the minute, in Shanghai', () => {
    expect(formatDue('2026-03-10T06:30:00.000Z')).toBe('2026-03-10 14:30');
    expect(formatDue('2026-03-10T16:00:01.000Z')).toBe('2026-03-11 00:00');
    expect(formatDue(null)).toBe('');
  });

  it('end a picked day at the next midnight in Shanghai, whatever the browser zone', () => {
    expect(endOfShanghaiDay('2026-03-10')).toBe('2026-03-10T16:00:00.000Z');
    expect(formatDue(endOfShanghaiDay('2026-03-10'))).toBe('2026-03-10 24:00');
    expect(formatTime(endOfShanghaiDay('2026-02-28'))).toBe('2026-03-01 00:00:00');
  });
});
