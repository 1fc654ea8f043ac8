import { describe, expect, it } from 'vitest';
import { type CircularUnitInput, DEFAULT_THRESHOLDS, selectUnits } from './circular.ts';
import { emptyCounts, figuresOf } from './figures.ts';

const unit = (id: string, c: Partial<ReturnType<typeof emptyCounts>>): CircularUnitInput => ({
  unitId: id,
  unitName: id,
  figures: figuresOf({ ...emptyCounts(), ...c }),
});

describe('figuresOf', () => {
  it('works rates out of counts, null when nothing to divide by', () => {
    const f = figuresOf({
      ...emptyCounts(),
      held: 3,
      closed: 1,
      onTime: 2,
      late: 0,
      overdue: 1,
      ratings: 3,
      scoreSum: 11,
      satisfied: 2,
    });
    expect(f).toMatchObject({
      resolutionRate: 33.3,
      onTimeRate: 66.7,
      avgScore: 3.67,
      satisfiedRate: 66.7,
      avgAnswerHours: null,
    });
    expect(figuresOf(emptyCounts())).toMatchObject({
      resolutionRate: null,
      onTimeRate: null,
      avgScore: null,
    });
  });
});

describe('selectUnits', () => {
  it('names units 5+ working days late (most first), slow units and unsatisfying units, lowest first', () => {
    const units = [
      unit('甲', { onTime: 9, late: 1, ratings: 2, scoreSum: 6 }),
      unit('乙', { onTime: 1, late: 3 }),
      unit('丙', { onTime: 4, overdue: 2, ratings: 1, scoreSum: 5 }),
    ];
    const c = selectUnits(
      units,
      [
        { unitId: '乙', caseNo: 'SP-2', workingDaysLate: 6, open: false },
        { unitId: '乙', caseNo: 'SP-3', workingDaysLate: 4, open: false },
        { unitId: '丙', caseNo: 'SP-4', workingDaysLate: 5, open: true },
        { unitId: '丙', caseNo: 'SP-5', workingDaysLate: 9, open: true },
      ],
      DEFAULT_THRESHOLDS,
    );
    expect(c.serious.map((s) => [s.unitId, s.count, s.open, s.maxDays])).toEqual([
      ['丙', 2, 2, 9],
      ['乙', 1, 0, 6],
    ]);
    expect(c.serious[0].reasons).toEqual([
      'SP-5（超期9个工作日，尚未答复）',
      'SP-4（超期5个工作日，尚未答复）',
    ]);
    // 乙 25 %, 丙 66.7 % are below 80 %; 甲 90 % is not.
    expect(c.slow.map((u) => u.unitId)).toEqual(['乙', '丙']);
    // 甲 3.00 < 3.5; 丙 5.00 is not; 乙 has no rating.
    expect(c.unsatisfying.map((u) => u.unitId)).toEqual(['甲']);
  });
});
