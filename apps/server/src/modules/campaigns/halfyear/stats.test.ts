import { describe, expect, it } from 'vitest';
import { zhNumber } from './compile.ts';
import { draftProgressText, type HalfYearStats } from './stats.ts';

const base: HalfYearStats = {
  period: '2026-H2',
  from: '2026-07-01',
  to: '2026-12-31',
  asOf: '2027-01-05',
  instances: 4,
  done: 3,
  byColor: { green: 3, blue: 0, yellow: 0, orange: 0, red: 1 },
  reports: { accepted: 5, pending: 0, returned: 2 },
  evidence: 12,
  overdue: [
    {
      instanceId: 'i',
      activity: '1. 活动',
      task: '志愿服务',
      cycle: '2026-Q4',
      due: '2026-12-31',
      color: 'red',
      reason: { code: 'overdue', params: { due: '2026-12-31', lateWorkingDays: 2, progress: 0 } },
    },
  ],
  tasks: [
    {
      taskId: 't',
      activity: '1. 活动',
      title: '评选先进',
      instances: 2,
      done: 2,
      targets: [{ label: '先进集体', measure: '个', target: 20, amount: 22.5 }],
    },
  ],
};

describe('the drafted 进展成效', () => {
  it('says the numbers of the statistics in one paragraph', () => {
    const text = draftProgressText(base, '市卫生健康局', '创城');
    expect(text).toBe(
      '2026年下半年，市卫生健康局承担“创城”任务4项，已完成3项（完成率75%）。' +
        '主要指标：评选先进：完成先进集体22.5个（目标20个）。' +
        '报送台账材料已审核通过5份、被退回2份，佐证材料12份。' +
        '目前任务状态：绿色3项、红色1项。' +
        '逾期未完成1项：志愿服务（截止2026-12-31）。',
    );
  });

  it('says so when the unit had nothing to do, and stays within 5,000 characters', () => {
    const none = {
      ...base,
      instances: 0,
      done: 0,
      overdue: [],
      tasks: [],
      reports: { accepted: 0, pending: 0, returned: 0 },
      evidence: 0,
    };
    expect(draftProgressText(none, '市委党校', '创城')).toBe(
      '2026年下半年，市委党校在“创城”中无应完成的任务。报送台账材料已审核通过0份，佐证材料0份。',
    );
    const long = draftProgressText(base, '单'.repeat(6000), '创城');
    expect(Array.from(long)).toHaveLength(5000);
  });
});

describe('Chinese numerals of the compiled document', () => {
  it('counts 一 … 九十九', () => {
    expect([1, 9, 10, 11, 20, 56, 99, 100].map(zhNumber)).toEqual([
      '一',
      '九',
      '十',
      '十一',
      '二十',
      '五十六',
      '九十九',
      '100',
    ]);
  });
});
