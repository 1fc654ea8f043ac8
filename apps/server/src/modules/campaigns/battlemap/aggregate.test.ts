import { describe, expect, it } from 'vitest';
import { emptyCounts, rankUnits, Tally, type UnitFigures, worstColor } from './aggregate.ts';

const unit = (unitId: string, f: Partial<UnitFigures>): UnitFigures => ({
  unitId,
  name: unitId,
  counts: emptyCounts(),
  instances: 0,
  counted: 0,
  countedWeight: 0,
  doneWeight: 0,
  done: 0,
  onTime: 0,
  late: 0,
  lateWorkingDays: 0,
  ...f,
});

describe('worstColor', () => {
  it('takes the most severe colour present: red > orange > yellow > blue > green', () => {
    expect(worstColor(emptyCounts())).toBeNull();
    expect(worstColor({ ...emptyCounts(), green: 5, blue: 1 })).toBe('blue');
    expect(worstColor({ ...emptyCounts(), green: 5, yellow: 1, blue: 3 })).toBe('yellow');
    expect(worstColor({ ...emptyCounts(), yellow: 1, orange: 1 })).toBe('orange');
    expect(worstColor({ ...emptyCounts(), red: 1, orange: 9 })).toBe('red');
  });
});

describe('Tally', () => {
  it('adds counts and gives the weighted mean progress, rounded', () => {
    const t = new Tally();
    expect(t.summary()).toEqual({ color: null, counts: emptyCounts(), instances: 0, progress: 0 });
    t.add({ color: 'red', instances: 1, progressWeighted: 0, weight: 2 });
    t.add({ color: 'green', instances: 2, progressWeighted: 300, weight: 3 });
    expect(t.summary()).toEqual({
      color: 'red',
      counts: { ...emptyCounts(), red: 1, green: 2 },
      instances: 3,
      progress: 60,
    });
  });
});

describe('rankUnits', () => {
  it('orders by completion rate, then timeliness, then name; ties share a rank; nothing counted comes last', () => {
    const ranked = rankUnits([
      unit('丙', { counted: 2, countedWeight: 4, doneWeight: 2, onTime: 1 }),
      unit('甲', { counted: 2, countedWeight: 4, doneWeight: 2, onTime: 1 }),
      unit('乙', { counted: 3, countedWeight: 3, doneWeight: 3, onTime: 1, late: 2, lateWorkingDays: 5 }),
      unit('丁', { counted: 0 }),
      unit('戊', { counted: 2, countedWeight: 4, doneWeight: 2, onTime: 2 }),
    ]);
    expect(
      ranked.map((r) => [r.unitId, r.rank, r.completionRate, r.timeliness, r.avgLateWorkingDays]),
    ).toEqual([
      ['乙', 1, 100, 33.3, 2.5],
      ['戊', 2, 50, 100, 0],
      ['丙', 3, 50, 50, 0],
      ['甲', 3, 50, 50, 0],
      ['丁', 5, null, null, 0],
    ]);
  });
});
