import { describe, expect, it } from 'vitest';
import { amountProblems, isPercent, MAX_COUNT } from './amounts.ts';

const COUNT = { label: '先进集体', quantity: 100, measure: '个' };
const PCT = { label: '知晓率', quantity: 80, measure: '%' };

describe('amountProblems', () => {
  it('accepts one number per target: whole counts, percentages up to 100 with decimals, zero', () => {
    expect(amountProblems([COUNT, PCT], [3, 85.5], 'items.0.amounts')).toEqual([]);
    expect(amountProblems([COUNT, PCT], [0, 100], 'a')).toEqual([]);
    expect(amountProblems([], [], 'a')).toEqual([]);
  });

  it('refuses the wrong number of amounts, naming how many the task has', () => {
    expect(amountProblems([COUNT, PCT], [3], 'a')).toEqual([
      { field: 'a', code: 'LEDGER_AMOUNTS_LENGTH', params: { count: 2 } },
    ]);
    expect(amountProblems([], [1], 'a')[0]?.code).toBe('LEDGER_AMOUNTS_LENGTH');
  });

  it('refuses negative numbers, fractions of a count, more than 100 % and absurd counts, each on its index', () => {
    expect(amountProblems([COUNT, PCT], [-1, 100.01], 'a')).toEqual([
      { field: 'a.0', code: 'LEDGER_AMOUNT_NEGATIVE' },
      { field: 'a.1', code: 'LEDGER_AMOUNT_PERCENT' },
    ]);
    expect(amountProblems([COUNT], [2.5], 'a')).toEqual([
      { field: 'a.0', code: 'LEDGER_AMOUNT_WHOLE', params: { measure: '个' } },
    ]);
    expect(amountProblems([PCT], [-0.5], 'a')[0]?.code).toBe('LEDGER_AMOUNT_NEGATIVE');
    expect(amountProblems([COUNT], [MAX_COUNT + 1], 'a')[0]?.code).toBe('LEDGER_AMOUNT_TOO_LARGE');
    expect(amountProblems([COUNT], [MAX_COUNT], 'a')).toEqual([]);
  });

  it('reads full-width and spaced percent signs as percentages', () => {
    expect(isPercent({ ...PCT, measure: '％' })).toBe(true);
    expect(isPercent({ ...PCT, measure: ' % ' })).toBe(true);
    expect(isPercent(COUNT)).toBe(false);
  });
});
