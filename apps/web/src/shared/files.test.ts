import { describe, expect, it } from 'vitest';
import { EVIDENCE_ACCEPT, formatGps, formatSize, formatTakenAt } from './files.ts';

describe('evidence display helpers', () => {
  it('formats sizes, camera times and positions', () => {
    expect(formatSize(12)).toBe('12 B');
    expect(formatSize(19_500)).toBe('19 KB');
    expect(formatSize(3.25 * 1024 * 1024)).toBe('3.3 MB');
    expect(formatTakenAt('2026-03-01T09:30:00')).toBe('2026-03-01 09:30:00');
    expect(formatTakenAt('2026-03-01T09:30:00+08:00')).toBe('2026-03-01 09:30:00+08:00');
    expect(formatGps({ lat: 39.1253, lng: 116.3916 })).toBe('39.12530°N, 116.39160°E');
    expect(formatGps({ lat: -33.8568, lng: -70.6483 })).toBe('33.85680°S, 70.64830°W');
  });

  it('offers every extension the server accepts', async () => {
    const { ACCEPTED_EXTENSIONS } = await import('../../../server/src/platform/files/sniff.ts');
    const offered = EVIDENCE_ACCEPT.split(',').map((e) => e.slice(1));
    expect([...offered].sort()).toEqual([...ACCEPTED_EXTENSIONS].sort());
  });
});
