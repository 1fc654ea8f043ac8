/**
 * The acceptance test of the plan parser: Bazhou's 双争 plan (seed 001, fixtures/SOURCES.md) against the
 * demo org directory. The expected unit lists below were written from the plan's 责任单位 lines by hand.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBazhou } from '../../../seed/demo.ts';
import { lineOwners, nonBlankLines } from './fixtures/accounting.ts';
import { bazhouDirectory } from './fixtures/bazhou-directory.ts';
import { allActivities, parsePlan } from './parse.ts';
import type { ResolvedVia } from './types.ts';

const source = readFileSync(path.join(import.meta.dirname, 'fixtures/001_785ff53e928aa9e6.txt'), 'utf8');
const plan = parsePlan(source, bazhouDirectory());
const activities = plan.sections.flatMap((s) => s.activities);

/** Full names of the short forms the plan uses (bazhou.json lists them as aliases). */
const FULL: Record<string, string> = {
  市委网信办: '市委网络安全和信息化委员会办公室',
  团市委: '共青团霸州市委员会',
  市文联: '市文学艺术界联合会',
  市文明办: '霸州市精神文明建设委员会办公室',
  市住建局: '市住房和城乡建设局',
  市综合执法局: '市城市管理综合行政执法局',
  市税务局: '国家税务总局霸州市税务局',
  供电公司: '国网霸州市供电公司',
  市金融办: '市金融工作办公室',
  市市场监管局: '市市场监督管理局',
  市邮政局: '中国邮政集团有限公司霸州市分公司',
  市妇联: '市妇女联合会',
  市委市直工委: '市委市直属机关工作委员会',
  市关工委: '市关心下一代工作委员会',
  市文广旅局: '市文化广电和旅游局',
  移动公司: '中国移动通信集团河北有限公司霸州分公司',
  联通公司: '中国联合网络通信有限公司霸州市分公司',
  电信公司: '中国电信股份有限公司霸州分公司',
  广电公司: '河北广电信息网络集团股份有限公司霸州分公司',
  市发改局: '市发展和改革局',
  市生态环境局: '廊坊市生态环境局霸州市分局',
  市科协: '市科学技术协会',
  市卫健局: '市卫生健康局',
  市人社局: '市人力资源和社会保障局',
  市科技工信局: '市科学技术和工业信息化局',
  市委政法委: '市委政法委员会',
};

const bazhou = loadBazhou();
const MEMBERS = bazhou.memberUnits.map((m) => m.name);
const MUNICIPAL = bazhou.memberUnits.filter((m) => m.category === 'municipal').map((m) => m.name);
const PROVINCIAL = bazhou.memberUnits.filter((m) => m.category === 'provincial').map((m) => m.name);
const TOWNSHIPS = bazhou.townships.map((t) => t.name);
/** What each group expression of the plan stands for. */
const GROUPS: Record<string, string[]> = {
  市文明委各成员单位: MEMBERS,
  '市直、中省直驻霸有关单位': MEMBERS,
  市直各单位: MUNICIPAL,
  市直有关单位: MUNICIPAL,
  中省直驻霸各单位: PROVINCIAL,
  '各乡镇（区、办）': TOWNSHIPS,
};

/**
 * Each 责任单位 list as written, token by token, with how it must resolve:
 * = the unit's name (or short name), ~ an alias, @ a group, + the group of an "X等Y" expression.
 */
const EXPECTED: [number, string[], number][] = [
  [1, ['=市委宣传部', '=市委组织部', '=市委党校'], 3],
  [2, ['=市委宣传部', '=市退役军人事务局', '=市融媒体中心', '@市文明委各成员单位'], 42],
  [3, ['=市委宣传部', '~市委网信办', '~团市委', '~市文联', '=市融媒体中心'], 5],
  [
    4,
    [
      '=市文明办',
      '=市交通运输局',
      '=市公安局',
      '~市住建局',
      '~市综合执法局',
      '=市农业农村局',
      '+市直各单位',
      '@中省直驻霸各单位',
    ],
    42,
  ],
  [
    5,
    [
      '=市行政审批局',
      '~市税务局',
      '~市住建局',
      '~供电公司',
      '~市金融办',
      '=市交通运输局',
      '~市市场监管局',
      '=市商务局',
      '=市卫生健康局',
      '~市邮政局',
      '+市直有关单位',
    ],
    38,
  ],
  [6, ['=市文明办', '=市农业农村局', '~市妇联', '@各乡镇（区、办）'], 17],
  [
    7,
    [
      '=市文明办',
      '~市妇联',
      '~市委市直工委',
      '=市教育和体育局',
      '=市退役军人事务局',
      '=市总工会',
      '~团市委',
      '~市文联',
      '=市融媒体中心',
      '~市关工委',
    ],
    10,
  ],
  [
    8,
    [
      '=市委宣传部',
      '=市文明办',
      '=市教育和体育局',
      '=市公安局',
      '~市综合执法局',
      '~团市委',
      '~市文联',
      '~市关工委',
    ],
    8,
  ],
  [9, ['@市直、中省直驻霸有关单位', '@各乡镇（区、办）'], 56],
  [
    10,
    [
      '=市行政审批局',
      '=市交通运输局',
      '=市市场监督管理局',
      '~市文广旅局',
      '=市商务局',
      '=市文明办',
      '~移动公司',
      '~联通公司',
      '~电信公司',
      '~广电公司',
    ],
    10,
  ],
  [
    11,
    [
      '=市委宣传部',
      '~市发改局',
      '=市水务局',
      '~市生态环境局',
      '~供电公司',
      '~市文广旅局',
      '~市科协',
      '=市教育和体育局',
      '~市卫健局',
      '@各乡镇（区、办）',
    ],
    23,
  ],
  [
    12,
    [
      '=市委宣传部',
      '=市文明办',
      '=市委组织部',
      '~市委市直工委',
      '=市总工会',
      '~团市委',
      '~市妇联',
      '~市人社局',
      '=市教育和体育局',
      '@各乡镇（区、办）',
    ],
    23,
  ],
  [
    13,
    [
      '=市委宣传部',
      '=市文明办',
      '~市委网信办',
      '~市文联',
      '~市文广旅局',
      '=市融媒体中心',
      '~市综合执法局',
      '=市交通运输局',
      '@各乡镇（区、办）',
    ],
    22,
  ],
  [
    14,
    [
      '=市委宣传部',
      '=市文明办',
      '=市总工会',
      '~团市委',
      '~市妇联',
      '=市教育和体育局',
      '~市科技工信局',
      '~市卫健局',
      '=市交通运输局',
      '=市融媒体中心',
      '@各乡镇（区、办）',
    ],
    24,
  ],
  [15, ['=市司法局', '=市教育和体育局', '=市公安局', '=市人民法院', '+市直有关单位'], 35],
  [
    16,
    [
      '=市司法局',
      '=市人民法院',
      '=市文明办',
      '~市委网信办',
      '=市公安局',
      '~市住建局',
      '~市文广旅局',
      '~市综合执法局',
      '=市市场监督管理局',
      '+市直有关单位',
    ],
    35,
  ],
  [
    17,
    ['=市公安局', '=市司法局', '=市人民法院', '~市委网信办', '=市文明办', '=市行政审批局', '+市直有关单位'],
    35,
  ],
  [18, ['~市委政法委'], 1],
];

const VIA: Record<string, ResolvedVia> = { '=': 'name', '~': 'alias', '@': 'group', '+': 'expression' };

describe('parsePlan on seed 001 (霸文明〔2022〕6号)', () => {
  it('finds the document metadata', () => {
    expect(plan.title).toBe('关于开展“我是文明市民、要为城市争光，我是霸州儿女、要为家乡争气”活动的实施方案');
    expect(plan.documentNumber).toBe('霸文明〔2022〕6号');
    expect(plan.date).toBe('2022-09-20');
  });

  it('has 5 sections, 18 activities and 3 phases, and no warnings', () => {
    expect(plan.sections).toHaveLength(5);
    expect(activities).toHaveLength(18);
    expect(allActivities(activities)).toHaveLength(18);
    expect(plan.phases).toHaveLength(3);
    expect(plan.stats).toMatchObject({ sections: 5, activities: 18, phases: 3, unresolvedReferences: 0 });
    expect(plan.warnings).toEqual([]);
    expect(plan.sections.map((s) => `${s.numeral}${s.title}`)).toEqual([
      '（一）严谨严实推进文明教育',
      '（二）细化细致推进文明创建',
      '（三）深入深化推进文明实践',
      '（四）求真务实推进文明培育',
      '（五）精准标准推进文明法治',
    ]);
    expect(plan.sections.map((s) => s.activities.map((a) => a.number))).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7, 8],
      [9, 10, 11],
      [12, 13, 14],
      [15, 16, 17, 18],
    ]);
  });

  it.each(EXPECTED)('activity %i has exactly the units its 责任单位 line names', (n, tokens, count) => {
    const a = activities[n - 1];
    expect(a.number).toBe(n);
    expect(a.units.map((u) => u.text)).toEqual(tokens.map((t) => t.slice(1)));
    expect(a.units.map((u) => u.via)).toEqual(tokens.map((t) => VIA[t[0]]));
    const expected = new Set(
      tokens.flatMap((t) => {
        const name = t.slice(1);
        return '@+'.includes(t[0]) ? GROUPS[name] : [FULL[name] ?? name];
      }),
    );
    expect(new Set(a.resolvedUnits.map((u) => u.name))).toEqual(expected);
    expect(a.resolvedUnits).toHaveLength(count);
    expect(
      a.units.every((u) => u.resolved !== null && u.warning === undefined && u.role === 'responsible'),
    ).toBe(true);
  });

  it('resolves the groups to their members: 市直 units, 中省直驻霸 units, townships', () => {
    expect(MEMBERS).toHaveLength(42);
    expect(MUNICIPAL).toHaveLength(35);
    expect(TOWNSHIPS).toHaveLength(14);
    const fifth = activities[4];
    // X等市直有关单位 = the named units (three of them 中省直驻霸) plus every 市直 unit.
    expect(fifth.resolvedUnits.map((u) => u.name)).toEqual(
      expect.arrayContaining(['国家税务总局霸州市税务局', '国网霸州市供电公司', ...MUNICIPAL]),
    );
    expect(fifth.resolvedUnits.map((u) => u.name)).not.toContain('中国电信股份有限公司霸州分公司');
    expect(fifth.units.at(-1)).toMatchObject({ via: 'expression', group: '市直各单位' });
    expect(activities[8].units[0]).toMatchObject({ via: 'group', group: '市直、中省直驻霸有关单位' });
  });

  it('names the first-listed unit as lead (inferred), the others as co-units', () => {
    expect(activities[0].leadUnits.map((u) => u.text)).toEqual(['市委宣传部']);
    expect(activities[0].leadSource).toBe('first-listed');
    expect(activities[0].coUnits.map((u) => u.text)).toEqual(['市委组织部', '市委党校']);
    // A group is not a lead.
    expect(activities[8].leadUnits).toEqual([]);
    expect(activities[8].leadSource).toBeNull();
  });

  it('keeps wrapped lines with their activity and gives each unit its line', () => {
    const tenth = activities[9];
    expect(tenth.sourceLines).toEqual([69, 71]);
    expect(tenth.units.find((u) => u.text === '市文明办')?.line).toBe(71);
    expect(tenth.units.find((u) => u.text === '市商务局')?.line).toBe(69);
    expect(activities[5].sourceLines).toEqual([55, 57]);
    expect(activities[5].description).toContain('开展农村人居环境综合整治');
    expect(activities[1].sourceLines).toEqual([39, 41]);
  });

  it('takes the quoted name after 开展, the first sentence as title, and the rest as description', () => {
    expect(activities[0].name).toBe('奋进新征程建功新时代');
    expect(activities[0].title).toBe('开展“奋进新征程建功新时代”理论学习宣讲活动');
    expect(activities[0].description.startsWith('各级党委理论学习中心组')).toBe(true);
    expect(activities[0].description).not.toContain('责任单位');
    expect(activities[12].name).toBe('我和我的家乡');
    expect(activities[17].name).toBe('完善“群众说事干部解题”长效机制');
  });

  it('captures targets and cadences', () => {
    expect(activities[4].targets).toEqual([
      {
        text: '市文明委每年遴选100个创建竞赛先进集体和先进个人',
        number: 100,
        measure: '个',
        what: '创建竞赛先进集体和先进个人',
        cadence: 'yearly',
      },
    ]);
    expect(activities[3].targets.map((t) => `${t.number}${t.measure}${t.what}`)).toEqual([
      '8项强基固本工程',
      '10项攻坚克难行动',
      '30类重点点位',
    ]);
    expect(activities[1].targets.map((t) => `${t.number}${t.measure}`)).toEqual(['3条']);
    expect(activities.map((a) => a.cadence?.kind ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'yearly',
      'yearly',
      null,
      null,
      null,
      'yearly',
      null,
      'quarterly',
      null,
      'periodic',
      null,
      null,
      null,
      null,
    ]);
    expect(activities.every((a) => a.deadline === null)).toBe(true);
  });

  it('turns 三、时间安排 into the phases, with dates', () => {
    expect(
      plan.phases.map(({ name, period, from, to, sourceLines }) => ({ name, period, from, to, sourceLines })),
    ).toEqual([
      { name: '动员部署阶段', period: '2022年9月', from: '2022-09-01', to: '2022-09-30', sourceLines: [105] },
      {
        name: '深入推进阶段',
        period: '2022年9月—2022年12月',
        from: '2022-09-01',
        to: '2022-12-31',
        sourceLines: [107],
      },
      {
        name: '提升巩固阶段',
        period: '2023年1月开始持续提升',
        from: '2023-01-01',
        to: null,
        sourceLines: [109],
      },
    ]);
    expect(plan.phases[0].description.startsWith('9月下旬制定印发方案')).toBe(true);
  });

  it('classifies the parts', () => {
    expect(plan.parts.map((p) => `${p.numeral}${p.title}:${p.kind}`)).toEqual([
      '一、指导思想:context',
      '二、活动安排:tasks',
      '三、时间安排:phases',
      '四、有关要求:requirements',
    ]);
    // 每半年向市文明委报告一次 (the half-year report); 不定期 is not a cadence.
    expect(plan.parts[3].cadences.map((c) => c.kind)).toEqual(['half-yearly', 'yearly']);
  });

  it('reads the attachment: the leadership group and the four working groups', () => {
    const roles = plan.roles;
    expect(roles?.leadershipGroup?.name).toBe('霸州市“双争”活动领导小组');
    const members = roles?.leadershipGroup?.members ?? [];
    expect(members).toHaveLength(36);
    expect(members.filter((m) => m.position === '副组长')).toHaveLength(4);
    expect(members.filter((m) => m.position === '成员')).toHaveLength(30);
    expect(members[0]).toMatchObject({
      position: '组长',
      person: '吴全通',
      title: '市委副书记',
      unit: null,
      line: 129,
    });
    expect(members.find((m) => m.person === '陶勇君')?.unit?.name).toBe('市发展和改革局');
    expect(members.find((m) => m.person === '李静')?.title).toBe('市文化广电和旅游局党组书记');
    expect(roles?.workingGroups.map((g) => [g.name, g.members.length])).toEqual([
      ['综合协调组', 7],
      ['宣传舆论组', 8],
      ['信息简报组', 6],
      ['督导考核组', 6],
    ]);
    const [first, second, third] = roles?.workingGroups ?? [];
    expect(first.members.slice(0, 3).map((m) => `${m.position}:${m.person}`)).toEqual([
      '组长:辛悦',
      '副组长:王伟',
      '成员:赵巍',
    ]);
    expect(second.members.at(-1)?.person).toBe('张志帅');
    expect(third.duties).toBe(
      '负责整理编发活动信息、简报和经验交流材料，及时向省、市文明委反馈活动开展情况信息，指导各级各部门做好信息上报工作等。',
    );
    expect(roles?.notes.map((n) => n.line)).toEqual([167, 171, 214]);
  });

  it('accounts for every source line, once', () => {
    const owners = lineOwners(plan);
    expect([...owners.keys()].sort((a, b) => a - b)).toEqual(nonBlankLines(source));
    expect(plan.unparsed).toEqual([{ line: 216, text: '(此页无正文)', kind: 'layout' }]);
    expect(plan.front.map((f) => `${f.line}:${f.kind}`)).toEqual([
      '3:header',
      '5:docNumber',
      '9:title',
      '11:addressee',
      '13:text',
      '15:issuer',
      '17:date',
      '21:title',
      '23:text',
    ]);
    // Inside the task part, the sections and activities hold its lines exactly.
    const tasks = plan.parts[1];
    const held = [
      ...plan.sections.flatMap((s) => s.sourceLines),
      ...allActivities(activities).flatMap((a) => a.sourceLines),
    ];
    expect([31, ...held].sort((a, b) => a - b)).toEqual(tasks.sourceLines);
  });
});
