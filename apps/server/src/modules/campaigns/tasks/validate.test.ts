import { describe, expect, it } from 'vitest';
import { COLOR_PRESETS } from '../../../../../../packages/contracts/src/index.ts';
import { cadenceOf, targetsOf } from './lifecycle.ts';
import { rulesProblems, targetProblems, windowProblems } from './validate.ts';

const fields = (p: { field: string; code: string }[]) => p.map((x) => `${x.field}:${x.code}`);

describe('targetProblems', () => {
  it('accepts whole counts, percentages up to 100 and decimals of other measures', () => {
    expect(
      targetProblems([
        { label: '先进集体', quantity: 100, measure: '个' },
        { label: '知晓率', quantity: 100, measure: '%' },
        { label: '绿化', quantity: 2.5, measure: '公顷' },
      ]),
    ).toEqual([]);
  });

  it('refuses quantities ≤ 0, fractional counts, percentages over 100 and blank labels', () => {
    expect(
      fields(
        targetProblems([
          { label: 'a', quantity: 0, measure: '个' },
          { label: 'b', quantity: -1, measure: '公顷' },
          { label: 'c', quantity: 1.5, measure: '人' },
          { label: 'd', quantity: 100.5, measure: '％' },
          { label: ' ', quantity: 1, measure: ' ' },
          { label: 'e', quantity: Number.NaN, measure: '次' },
        ]),
      ),
    ).toEqual([
      'targets.0.quantity:CAMPAIGN_TARGET_QUANTITY',
      'targets.1.quantity:CAMPAIGN_TARGET_QUANTITY',
      'targets.2.quantity:CAMPAIGN_TARGET_WHOLE',
      'targets.3.quantity:CAMPAIGN_TARGET_PERCENT',
      'targets.4.label:field.required',
      'targets.4.measure:field.required',
      'targets.5.quantity:CAMPAIGN_TARGET_QUANTITY',
    ]);
  });
});

describe('windowProblems', () => {
  const campaign = { startsOn: '2026-01-01', endsOn: '2026-12-31' };
  it('accepts a window inside the campaign, including its bounds and a one-day window', () => {
    expect(windowProblems({ startsOn: '2026-01-01', dueOn: '2026-12-31' }, campaign)).toEqual([]);
    expect(windowProblems({ startsOn: '2026-05-05', dueOn: '2026-05-05' }, campaign)).toEqual([]);
  });
  it('refuses impossible dates, due before start, and windows outside the campaign', () => {
    expect(fields(windowProblems({ startsOn: '2026-02-30', dueOn: '2026-13-01' }, campaign))).toEqual([
      'startsOn:field.format',
      'dueOn:field.format',
    ]);
    expect(fields(windowProblems({ startsOn: '2026-05-02', dueOn: '2026-05-01' }, campaign))).toEqual([
      'dueOn:CAMPAIGN_TASK_DUE_BEFORE_START',
    ]);
    expect(fields(windowProblems({ startsOn: '2025-12-31', dueOn: '2027-01-01' }, campaign))).toEqual([
      'startsOn:CAMPAIGN_TASK_OUTSIDE_WINDOW',
      'dueOn:CAMPAIGN_TASK_OUTSIDE_WINDOW',
    ]);
  });
});

describe('rulesProblems', () => {
  it('accepts every preset', () => {
    for (const r of Object.values(COLOR_PRESETS)) expect(rulesProblems(r)).toEqual([]);
  });
  it('refuses fractions outside (0, 1), orange not before yellow, lag yellow not below red, bad points', () => {
    const base = COLOR_PRESETS.default;
    expect(fields(rulesProblems({ ...base, yellowTimeLeft: 1 }))).toEqual([
      'colorRules.yellowTimeLeft:CAMPAIGN_RULE_FRACTION',
    ]);
    expect(fields(rulesProblems({ ...base, orangeTimeLeft: 0.3 }))).toEqual([
      'colorRules.orangeTimeLeft:CAMPAIGN_RULE_ORANGE_ORDER',
    ]);
    expect(fields(rulesProblems({ ...base, orangeTimeLeft: 0 }))).toEqual([
      'colorRules.orangeTimeLeft:CAMPAIGN_RULE_FRACTION',
    ]);
    expect(fields(rulesProblems({ ...base, lagYellowPoints: 30, lagRedPoints: 30 }))).toEqual([
      'colorRules.lagRedPoints:CAMPAIGN_RULE_LAG_ORDER',
    ]);
    expect(fields(rulesProblems({ ...base, lagYellowPoints: 10.5, lagRedPoints: 100 }))).toEqual([
      'colorRules.lagYellowPoints:CAMPAIGN_RULE_POINTS',
      'colorRules.lagRedPoints:CAMPAIGN_RULE_POINTS',
    ]);
    expect(fields(rulesProblems({ ...base, returnedGraceWorkingDays: -1 }))).toEqual([
      'colorRules.returnedGraceWorkingDays:CAMPAIGN_RULE_DAYS',
    ]);
  });
});

describe('activation defaults', () => {
  it('maps the parser’s cadences; weekly, periodic and none are once', () => {
    expect(
      ['monthly', 'quarterly', 'half-yearly', 'yearly', 'weekly', 'periodic', null].map(cadenceOf),
    ).toEqual(['monthly', 'quarterly', 'half_yearly', 'yearly', 'once', 'once', 'once']);
  });
  it('turns parsed targets into task targets, leaving out what a task could not hold', () => {
    const t = (number: number, measure: string, what: string) => ({
      text: `${number}${measure}${what}`,
      number,
      measure,
      what,
      cadence: null,
    });
    expect(
      targetsOf([t(100, '个', '先进集体'), t(80, '%', ''), t(150, '%', '覆盖率'), t(2.5, '个', 'x')]),
    ).toEqual([
      { label: '先进集体', quantity: 100, measure: '个' },
      { label: '80%', quantity: 80, measure: '%' },
    ]);
    expect(targetsOf(Array.from({ length: 25 }, (_, i) => t(i + 1, '项', '工程')))).toHaveLength(20);
  });
});
