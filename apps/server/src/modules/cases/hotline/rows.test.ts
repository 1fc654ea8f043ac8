import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, missingHeaders } from './mapping.ts';
import { checkRow, parseHotlineTime, type RowDirectory, rowHash } from './rows.ts';

const dir: RowDirectory = {
  categoryByCode: new Map([
    ['environment', 'cat-env'],
    ['traffic', 'cat-traffic'],
    ['other', 'cat-other'],
  ]),
  categoryCodeByName: new Map([['交通秩序', 'traffic']]),
  areaByName: new Map<string, string | null>([
    ['南孟镇', 'u-nanmeng'],
    ['和平村', null],
  ]),
  regionNames: ['霸州市'],
};
const headers = [
  '工单编号',
  '来电时间',
  '诉求类型',
  '诉求内容',
  '事发地址',
  '所属乡镇',
  '联系人',
  '联系电话',
];
const index = new Map(headers.map((h, i) => [h, i]));
const NOW = new Date('2026-03-02T02:00:00Z');
const row = (over: Partial<Record<string, string>> = {}) =>
  headers.map(
    (h) =>
      ({
        工单编号: '2026022610001',
        来电时间: '2026-02-26 08:12:40',
        诉求类型: '市容环境',
        诉求内容: '垃圾桶满溢，请尽快清运。',
        事发地址: '益津南路',
        所属乡镇: '南孟镇',
        联系人: '张女士',
        联系电话: '13831600001',
        ...over,
      })[h] ?? '',
  );

describe('parseHotlineTime', () => {
  it('reads the usual spellings as Beijing time', () => {
    const at = '2026-02-26T00:12:40.000Z';
    for (const s of [
      '2026-02-26 08:12:40',
      '2026/2/26 8:12:40',
      '2026年2月26日 8时12分40秒',
      '2026.02.26 08:12:40',
    ]) {
      expect(parseHotlineTime(s)?.toISOString()).toBe(at);
    }
    expect(parseHotlineTime('2026-02-26 08:12')?.toISOString()).toBe('2026-02-26T00:12:00.000Z');
    expect(parseHotlineTime('2026-02-26')?.toISOString()).toBe('2026-02-25T16:00:00.000Z');
    expect(parseHotlineTime('2026-02-26T08:12:40+08:00')?.toISOString()).toBe(at);
  });
  it('refuses what is not a date', () => {
    for (const s of ['2026-13-45 25:00', '2026-02-30', '2026-02-26 24:00', 'yesterday', '45678', '']) {
      expect(parseHotlineTime(s)).toBeNull();
    }
  });
});

describe('checkRow', () => {
  it('maps a good row', () => {
    const r = checkRow(row(), index, DEFAULT_MAPPING, dir, NOW);
    expect(r).toMatchObject({
      ok: true,
      values: {
        orderNo: '2026022610001',
        categoryId: 'cat-env',
        areaUnitId: 'u-nanmeng',
        contactPhone: '13831600001',
        createdAt: new Date('2026-02-26T00:12:40.000Z'),
      },
    });
  });
  it('finds a category by our own name, an unlisted one by the default; a township with the region in front', () => {
    const ours = checkRow(row({ 诉求类型: '交通秩序' }), index, DEFAULT_MAPPING, dir, NOW);
    expect(ours.ok && ours.values.categoryId).toBe('cat-traffic');
    const unlisted = checkRow(row({ 诉求类型: '城市管理-占道经营' }), index, DEFAULT_MAPPING, dir, NOW);
    expect(unlisted.ok && unlisted.values.categoryId).toBe('cat-other');
    const strict = checkRow(
      row({ 诉求类型: '城市管理-占道经营' }),
      index,
      { ...DEFAULT_MAPPING, defaultCategory: null },
      dir,
      NOW,
    );
    expect(!strict.ok && strict.errors.map((e) => e.field)).toEqual(['category']);
    const prefixed = checkRow(row({ 所属乡镇: '霸州市南孟镇' }), index, DEFAULT_MAPPING, dir, NOW);
    expect(prefixed.ok && prefixed.values.areaUnitId).toBe('u-nanmeng');
  });
  it('reports every problem of a row', () => {
    const r = checkRow(
      row({
        工单编号: 'a b',
        来电时间: '2026-03-09 10:00',
        诉求内容: '好',
        所属乡镇: '和平村',
        联系电话: '0316-72212',
      }),
      index,
      DEFAULT_MAPPING,
      dir,
      NOW,
    );
    expect(!r.ok && r.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'orderNo:hotline.orderNo',
      'createdAt:hotline.timeInFuture',
      'description:field.minLength',
      'township:hotline.townshipAmbiguous',
      'contactPhone:hotline.phone',
    ]);
  });
  it('leaves an unknown township unrouted when the mapping says so', () => {
    const r = checkRow(
      row({ 所属乡镇: '不存在镇' }),
      index,
      { ...DEFAULT_MAPPING, unknownTownship: 'unrouted' },
      dir,
      NOW,
    );
    expect(r.ok && r.values.areaUnitId).toBeNull();
  });
  it('hashes the mapped values: the same row is the same hash, any change another', () => {
    const a = checkRow(row(), index, DEFAULT_MAPPING, dir, NOW);
    const b = checkRow(row({ 联系电话: '138 3160 0001' }), index, DEFAULT_MAPPING, dir, NOW);
    const c = checkRow(row({ 事发地址: '益津北路' }), index, DEFAULT_MAPPING, dir, NOW);
    if (!a.ok || !b.ok || !c.ok) throw new Error('rows should be valid');
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(rowHash(a.values)).toBe(a.hash);
  });
});

describe('missingHeaders', () => {
  it('names the mapped headers the file lacks, not the unmapped fields', () => {
    expect(missingHeaders(DEFAULT_MAPPING, headers)).toEqual([]);
    expect(missingHeaders(DEFAULT_MAPPING, ['工单编号', '诉求内容'])).toEqual([
      '来电时间',
      '诉求类型',
      '事发地址',
      '所属乡镇',
      '联系人',
      '联系电话',
    ]);
    const some = {
      ...DEFAULT_MAPPING,
      columns: { ...DEFAULT_MAPPING.columns, createdAt: null, township: null },
    };
    expect(
      missingHeaders(some, ['工单编号', '诉求内容', '诉求类型', '事发地址', '联系人', '联系电话']),
    ).toEqual([]);
  });
});
