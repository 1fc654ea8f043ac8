import { describe, expect, it } from 'vitest';
import { monthsToNow, rebasePlanText } from './rebase.ts';

describe('rebasePlanText', () => {
  it('moves dated months, bare months and years by the shift', () => {
    const text = '2022年9月20日印发。9月下旬制定。（2022年9月—2022年12月）2023年1月开始。2022年双争';
    expect(rebasePlanText(text, 48)).toBe(
      '2026年9月20日印发。9月下旬制定。（2026年9月—2026年12月）2027年1月开始。2026年双争',
    );
    expect(rebasePlanText(text, 50)).toBe(
      '2026年11月20日印发。11月下旬制定。（2026年11月—2027年2月）2027年3月开始。2026年双争',
    );
    expect(rebasePlanText('2022年1月', -1)).toBe('2021年12月');
  });
  it('leaves what is not a month alone', () => {
    expect(rebasePlanText('3个月内，第13月，30日', 5)).toBe('3个月内，第13月，30日');
    // A day that might not exist in the shifted month is not moved.
    expect(rebasePlanText('1月31日前', 1)).toBe('1月31日前');
  });
});

describe('monthsToNow', () => {
  it('puts the first month two months before today', () => {
    expect(monthsToNow(2022, 9, '2026-11-22')).toBe(48);
    expect(monthsToNow(2022, 9, '2027-03-05')).toBe(52);
  });
});
