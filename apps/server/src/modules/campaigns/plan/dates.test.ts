import { describe, expect, it } from 'vitest';
import { cadencesOf, type DateBase, deadlineOf, findDates, targetsOf } from './dates.ts';

/** Seed 001 is dated 2022-09-20. */
const BASE: DateBase = { year: 2022, month: 9 };
const one = (text: string, base: DateBase | null = BASE) => {
  const found = findDates(text, base);
  expect(found).toHaveLength(1);
  return found[0].ref;
};

describe('findDates', () => {
  it.each([
    ['12月底前', { text: '12月底前', from: null, to: '2022-12-31', kind: 'before' }],
    ['9月下旬', { text: '9月下旬', from: '2022-09-21', to: '2022-09-30', kind: 'period' }],
    ['10月中旬', { text: '10月中旬', from: '2022-10-11', to: '2022-10-20', kind: 'period' }],
    [
      '2022年9月—2022年12月',
      { text: '2022年9月—2022年12月', from: '2022-09-01', to: '2022-12-31', kind: 'period' },
    ],
    ['2022年9月至12月', { text: '2022年9月至12月', from: '2022-09-01', to: '2022-12-31', kind: 'period' }],
    ['11月至次年2月', { text: '11月至次年2月', from: '2022-11-01', to: '2023-02-28', kind: 'period' }],
    ['9月20日至30日', { text: '9月20日至30日', from: '2022-09-20', to: '2022-09-30', kind: 'period' }],
    ['年底前', { text: '年底前', from: null, to: '2022-12-31', kind: 'before' }],
    ['年内', { text: '年内', from: '2022-01-01', to: '2022-12-31', kind: 'period' }],
    ['2023年1月开始', { text: '2023年1月开始', from: '2023-01-01', to: null, kind: 'since' }],
    ['2019年至今', { text: '2019年至今', from: '2019-01-01', to: null, kind: 'since' }],
    ['二〇二三年三月', { text: '二〇二三年三月', from: '2023-03-01', to: '2023-03-31', kind: 'period' }],
    ['十二月底前', { text: '十二月底前', from: null, to: '2022-12-31', kind: 'before' }],
    ['2022年10月15日前', { text: '2022年10月15日前', from: null, to: '2022-10-15', kind: 'before' }],
    ['明年6月底前', { text: '明年6月底前', from: null, to: '2023-06-30', kind: 'before' }],
  ])('%s', (text, expected) => {
    expect(one(text)).toEqual(expected);
  });

  it('puts a month before the document’s month in the next year', () => {
    expect(one('3月底前').to).toBe('2023-03-31');
    expect(one('第一季度').to).toBe('2023-03-31');
    expect(one('9月上旬').to).toBe('2022-09-10');
    expect(one('3月底前', { year: 2022, month: 1 }).to).toBe('2022-03-31');
  });

  it('leaves dates without a year unresolved when the document has no date', () => {
    expect(findDates('9月下旬', null)).toEqual([
      { ref: { text: '9月下旬', from: null, to: null, kind: 'period' }, index: 0, resolved: false },
    ]);
    expect(one('2022年12月底前', null).to).toBe('2022-12-31');
  });

  it('finds no date in cadences, durations and numbers', () => {
    for (const text of ['每年底前报送', '每月一次', '三个月', '12个月', '拨打12345市长热线', '二十大'])
      expect(findDates(text, BASE)).toEqual([]);
  });
});

describe('deadlineOf', () => {
  const deadline = (text: string) => deadlineOf(text, findDates(text, BASE), BASE);
  it('prefers a labelled deadline, then the latest …前, then the end of a period', () => {
    expect(deadline('开展宣讲。完成时限：2022年11月30日前。')).toEqual({
      text: '2022年11月30日前',
      date: '2022-11-30',
    });
    expect(deadline('10月底前制定方案，12月底前完成验收。')).toEqual({
      text: '12月底前',
      date: '2022-12-31',
    });
    expect(deadline('9月下旬制定印发方案')).toEqual({ text: '9月下旬', date: '2022-09-30' });
    expect(deadline('2022年9月—2022年12月集中开展')).toEqual({
      text: '2022年9月—2022年12月',
      date: '2022-12-31',
    });
    expect(deadline('年底前完成')).toEqual({ text: '年底前', date: '2022-12-31' });
    expect(deadline('完成时限：长期坚持')).toEqual({ text: '长期坚持', date: null });
    expect(deadline('2023年1月开始持续提升')).toBeNull();
    expect(deadline('持续开展宣传')).toBeNull();
  });
});

describe('cadencesOf', () => {
  it.each([
    ['每周开展一次', 'weekly'],
    ['每月报送', 'monthly'],
    ['每季度精心选树一批', 'quarterly'],
    ['每季评选', 'quarterly'],
    ['每半年向市文明委报告一次', 'half-yearly'],
    ['每年遴选100个', 'yearly'],
    ['定期发布一批文明市民', 'periodic'],
  ])('%s → %s', (text, kind) => {
    expect(cadencesOf(text)[0]?.kind).toBe(kind);
  });

  it('lists the most frequent first and ignores 不定期', () => {
    expect(cadencesOf('每年评选，每季度推荐').map((c) => c.kind)).toEqual(['quarterly', 'yearly']);
    expect(cadencesOf('将不定期督导')).toEqual([]);
  });
});

describe('targetsOf', () => {
  it('captures numbers with measures, what they count and the cadence of their clause', () => {
    expect(targetsOf('市文明委每年遴选100个创建竞赛先进集体和先进个人。')).toEqual([
      {
        text: '市文明委每年遴选100个创建竞赛先进集体和先进个人',
        number: 100,
        measure: '个',
        what: '创建竞赛先进集体和先进个人',
        cadence: 'yearly',
      },
    ]);
    expect(targetsOf('文明单位占比达到80%，出版读本50部').map((t) => [t.number, t.measure, t.what])).toEqual([
      [80, '%', ''],
      [50, '部', ''],
    ]);
    expect(targetsOf('参与1.2万人次，8200多名党员').map((t) => [t.number, t.measure])).toEqual([
      [12000, '人次'],
      [8200, '名'],
    ]);
    expect(targetsOf('扎实开展8项强基固本工程和10项攻坚克难行动').map((t) => t.what)).toEqual([
      '强基固本工程',
      '攻坚克难行动',
    ]);
    expect(targetsOf('覆盖率达到９０％').map((t) => [t.number, t.measure])).toEqual([[90, '%']]);
  });

  it('takes no dates, issue numbers, document numbers or phone numbers for targets', () => {
    expect(targetsOf('2022年9月20日，第26期，第 3 期，廊文明[2022]7号，12345市长热线')).toEqual([]);
  });
});
