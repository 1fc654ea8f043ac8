import { describe, expect, it } from 'vitest';
import type { ColorReason } from '../../../../../../packages/contracts/src/index.ts';
import { type CircularInstance, chineseDate, circularDocument, summarize } from './circular.ts';

const overdue: ColorReason = {
  code: 'overdue',
  params: { due: '2026-04-30', lateWorkingDays: 5, progress: 0 },
};
const lagging: ColorReason = {
  code: 'behind_time_left',
  params: { due: '2026-04-30', progress: 10, expected: 80, leftPct: 20 },
};
const done: ColorReason = { code: 'done', params: { doneOn: '2026-04-01', progress: 100 } };
const going: ColorReason = { code: 'in_progress', params: { due: '2026-12-31', progress: 20, expected: 30 } };

const inst = (
  unit: string,
  sort: number,
  color: CircularInstance['color'],
  reason: ColorReason,
  title = '任务',
): CircularInstance => ({
  unitId: unit,
  unitName: unit,
  unitSort: sort,
  title,
  cycle: 'once',
  color,
  reason,
});

describe('summarize', () => {
  it('ranks units worst colour first, then by how many of it, then by org order', () => {
    const s = summarize([
      inst('绿单位', 1, 'green', done),
      inst('黄单位', 2, 'yellow', lagging),
      inst('红一', 3, 'red', overdue),
      inst('红二', 4, 'red', overdue, '甲'),
      inst('红二', 4, 'red', overdue, '乙'),
      inst('红二', 4, 'green', done),
      inst('蓝单位', 0, 'blue', going),
      inst('橙单位', 5, 'orange', lagging),
    ]);
    expect(s.units.map((u) => u.unitName)).toEqual(['红二', '红一', '橙单位', '黄单位', '蓝单位', '绿单位']);
    expect(s.totals).toEqual({ red: 3, orange: 1, yellow: 1, blue: 1, green: 2 });
    expect(s.units[0].counts).toEqual({ red: 2, orange: 0, yellow: 0, blue: 0, green: 1 });
    expect(s.units[0].reasons).toEqual([
      '甲（红：截止2026-04-30，已逾期5个工作日，未提交完成材料）',
      '乙（红：截止2026-04-30，已逾期5个工作日，未提交完成材料）',
    ]);
    // units on track list no reasons
    expect(s.units.find((u) => u.unitName === '绿单位')?.reasons).toEqual([]);
  });

  it('caps the reasons per unit and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => inst('红', 1, 'red', overdue, `任务${i + 1}`));
    const [u] = summarize(many).units;
    expect(u.reasons).toHaveLength(5);
    expect(u.moreReasons).toBe(3);
  });
});

describe('circularDocument', () => {
  it('writes the number, summary, one section per colour in order, the table and the signature', () => {
    const s = summarize([inst('绿单位', 1, 'green', done), inst('红单位', 2, 'red', overdue)]);
    const doc = circularDocument(
      {
        title: '通报',
        number: 'TB-2026-0001',
        campaign: '创城',
        asOf: '2026-05-08',
        office: '市文明办',
        issuedOn: '2026-05-08',
      },
      s,
    );
    const texts = doc.blocks.map((b) => {
      if (b.kind === 'table') return b.rows.map((r) => r.join('|')).join('\n');
      if (b.kind === 'heading') return b.text;
      if (b.kind === 'paragraph')
        return typeof b.text === 'string' ? b.text : b.text.map((r) => r.text).join('');
      return '';
    });
    expect(texts[0]).toBe('TB-2026-0001');
    expect(texts[1]).toBe(
      '截至2026年5月8日，“创城”共有2个责任单位、2项任务，其中红1项、绿1项。现将各单位推进情况通报如下：',
    );
    const red = texts.findIndex((x) => x.startsWith('一、红色'));
    const green = texts.findIndex((x) => x.startsWith('二、全部完成单位'));
    expect(red).toBeGreaterThan(0);
    expect(green).toBeGreaterThan(red);
    expect(texts).toContain('红单位：红1项。');
    expect(texts).toContain('绿单位（绿1项）');
    expect(texts.find((x) => x.includes('|合计|'))).toBe(
      '1|红单位|1|0|0|0|0|1\n2|绿单位|0|0|0|0|1|1\n|合计|1|0|0|0|1|2',
    );
    expect(texts.slice(-2)).toEqual(['市文明办', '2026年5月8日']);
  });

  it('formats Chinese dates', () => {
    expect(chineseDate('2026-01-09')).toBe('2026年1月9日');
  });
});
