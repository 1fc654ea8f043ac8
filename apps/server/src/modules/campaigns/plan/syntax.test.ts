/** The syntax variants of real plans, one small synthetic snippet each, plus two other seeds (not plans). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOwners, nonBlankLines } from './fixtures/accounting.ts';
import { bazhouDirectory } from './fixtures/bazhou-directory.ts';
import { allActivities, parsePlan } from './parse.ts';
import type { ParsedPlan, UnitDirectory } from './types.ts';

const directory = bazhouDirectory();
const parse = (text: string, dir: UnitDirectory = directory) => parsePlan(text, dir);
const acts = (plan: ParsedPlan) => allActivities(plan.sections.flatMap((s) => s.activities));
const units = (plan: ParsedPlan, i = 0) => acts(plan)[i].units.map((u) => u.text);
const resolved = (plan: ParsedPlan, i = 0) => acts(plan)[i].resolvedUnits.map((u) => u.name);
const codes = (plan: ParsedPlan) => plan.warnings.map((w) => w.code);
const accounted = (plan: ParsedPlan, text: string) =>
  expect([...lineOwners(plan).keys()].sort((a, b) => a - b)).toEqual(nonBlankLines(text));

describe('numerals', () => {
  it('reads 一、 (一) （一） sections and 1. 1、 （1） (1) 1） ① items', () => {
    const text = [
      '一、重点任务',
      '(一)宣传教育',
      '1.开展甲活动。责任单位：市委宣传部',
      '2、开展乙活动。责任单位：市文明办',
      '（二）文明创建',
      '（1）开展丙活动。责任单位：市公安局',
      '(2)开展丁活动。责任单位：市司法局',
      '3）开展戊活动。责任单位：市商务局',
      '④开展己活动。责任单位：市水务局',
    ].join('\n');
    const plan = parse(text);
    expect(plan.sections.map((s) => s.numeral)).toEqual(['(一)', '（二）']);
    expect(plan.sections[0].activities.map((a) => [a.numeral, a.number])).toEqual([
      ['1.', 1],
      ['2、', 2],
    ]);
    expect(plan.sections[1].activities.map((a) => [a.numeral, a.number])).toEqual([
      ['（1）', 1],
      ['(2)', 2],
      ['3）', 3],
    ]);
    // ① is one level deeper: a nested item of 3）.
    expect(plan.sections[1].activities[2].children.map((c) => c.numeral)).toEqual(['④']);
    expect(codes(plan)).toContain('numbering');
    accounted(plan, text);
  });

  it('does not take a number at the start of a wrapped line for an item', () => {
    const text =
      '一、重点任务\n1.开展甲活动，参与\n1.2万人次。责任单位：市委宣传部\n2.开展乙活动。责任单位：市文明办';
    const plan = parse(text);
    expect(acts(plan).map((a) => a.number)).toEqual([1, 2]);
    expect(acts(plan)[0].targets[0]).toMatchObject({ number: 12000, measure: '人次' });
  });

  it('reads Markdown headings of pasted web text', () => {
    const plan = parse('## 一、主要任务\n\n**1.开展甲活动。责任单位：市委宣传部**');
    expect(units(plan)).toEqual(['市委宣传部']);
  });
});

describe('unit labels', () => {
  it('takes a full-width or an ASCII colon alike', () => {
    const full = parse('一、任务\n1.开展甲活动。责任单位：市委宣传部、市文明办');
    const ascii = parse('一、任务\n1.开展甲活动。责任单位:市委宣传部、市文明办');
    expect(units(full)).toEqual(['市委宣传部', '市文明办']);
    expect(units(ascii)).toEqual(units(full));
    expect(resolved(ascii)).toEqual(['市委宣传部', '霸州市精神文明建设委员会办公室']);
  });

  it('reads 责任单位 on its own line, with the list on the next', () => {
    const text =
      '一、任务\n1.开展甲活动。\n责任单位：\n市委宣传部、市文明办\n2.开展乙活动。\n责任单位:市公安局';
    const plan = parse(text);
    expect(units(plan, 0)).toEqual(['市委宣传部', '市文明办']);
    expect(acts(plan)[0].sourceLines).toEqual([2, 3, 4]);
    expect(acts(plan)[0].units[1].line).toBe(4);
    expect(units(plan, 1)).toEqual(['市公安局']);
    expect(plan.warnings).toEqual([
      { line: 1, text: '', code: 'no_date' },
      { line: 1, text: '', code: 'no_phases' },
    ]);
  });

  it('reads 牵头单位 and 配合单位 as lead and co-units', () => {
    const plan = parse('一、任务\n1.开展甲活动。\n牵头单位：市文明办\n配合单位：市教体局、市卫健局');
    const a = acts(plan)[0];
    expect(a.leadUnits.map((u) => u.text)).toEqual(['市文明办']);
    expect(a.coUnits.map((u) => u.text)).toEqual(['市教体局', '市卫健局']);
    expect(a.leadSource).toBe('label');
    expect(a.units.map((u) => u.role)).toEqual(['lead', 'co', 'co']);
  });

  it('reads a （牵头） marker and the bracket form （A牵头，B、C配合）', () => {
    const marked = acts(parse('一、任务\n1.开展甲活动。责任单位：市公安局、市文明办（牵头）'))[0];
    expect(marked.leadUnits.map((u) => u.text)).toEqual(['市文明办']);
    expect(marked.leadSource).toBe('marker');
    expect(marked.units[1].note).toBe('牵头');
    const prose = acts(
      parse('一、任务\n1.开展甲活动，全年举办4场。（市文明办牵头，市教体局、市卫健局配合）'),
    )[0];
    expect(prose.leadUnits.map((u) => u.text)).toEqual(['市文明办']);
    expect(prose.coUnits.map((u) => u.text)).toEqual(['市教体局', '市卫健局']);
    expect(prose.description).toBe('');
    expect(prose.title).toBe('开展甲活动，全年举办4场');
  });

  it('removes a label in brackets from the title', () => {
    const a = acts(
      parse('一、任务\n1.开展“文明餐桌”行动（责任单位：市商务局）。在全市餐饮企业推广公筷公勺。'),
    )[0];
    expect(a.title).toBe('开展“文明餐桌”行动');
    expect(a.name).toBe('文明餐桌');
    expect(a.description).toBe('在全市餐饮企业推广公筷公勺。');
    expect(a.units.map((u) => u.text)).toEqual(['市商务局']);
  });
});

describe('unit lists', () => {
  it('does not split inside brackets: 各乡镇（区、办） is one group, in full-width or ASCII brackets', () => {
    const plan = parse('一、任务\n1.开展甲活动。责任单位：市文明办，各乡镇（区、办）、各乡镇(区、办)');
    expect(units(plan)).toEqual(['市文明办', '各乡镇（区、办）', '各乡镇(区、办)']);
    expect(acts(plan)[0].units.map((u) => u.via)).toEqual(['name', 'group', 'group']);
    expect(acts(plan)[0].resolvedUnits).toHaveLength(15);
  });

  it('keeps 市直、中省直驻霸有关单位 together (a known expression with a separator inside)', () => {
    const a = acts(parse('一、任务\n1.开展甲活动。责任单位：市直、中省直驻霸有关单位'))[0];
    expect(a.units.map((u) => [u.text, u.via])).toEqual([['市直、中省直驻霸有关单位', 'group']]);
    expect(a.resolvedUnits).toHaveLength(42);
  });

  it('expands X等市直有关单位 to X plus the group, and flags an open 等', () => {
    const plan = parse(
      '一、任务\n1.开展甲活动。责任单位：市税务局、市公安局等市直有关单位\n2.开展乙活动。责任单位：市委宣传部、市文明办等',
    );
    const first = acts(plan)[0];
    expect(first.units.map((u) => [u.text, u.via])).toEqual([
      ['市税务局', 'alias'],
      ['市公安局', 'name'],
      ['市直有关单位', 'expression'],
    ]);
    expect(first.resolvedUnits).toHaveLength(36);
    expect(first.resolvedUnits[0].name).toBe('国家税务总局霸州市税务局');
    expect(units(plan, 1)).toEqual(['市委宣传部', '市文明办']);
    expect(plan.warnings).toContainEqual({ line: 3, text: '市文明办等', code: 'open_list' });
  });

  it('flags unknown units and groups without dropping them', () => {
    const plan = parse(
      '一、任务\n1.开展甲活动。责任单位：市委宣传部、市大数据局、各县区有关部门、市公安局等有关单位',
    );
    const a = acts(plan)[0];
    expect(a.units.map((u) => [u.text, u.resolved === null, u.warning ?? null])).toEqual([
      ['市委宣传部', false, null],
      ['市大数据局', true, 'unknown_unit'],
      ['各县区有关部门', true, 'unknown_group'],
      ['市公安局', false, null],
      ['有关单位', true, 'unknown_group'],
    ]);
    expect(plan.warnings.filter((w) => w.code.startsWith('unknown'))).toEqual([
      { line: 2, text: '市大数据局', code: 'unknown_unit' },
      { line: 2, text: '各县区有关部门', code: 'unknown_group' },
      { line: 2, text: '有关单位', code: 'unknown_group' },
    ]);
    expect(plan.stats.unresolvedReferences).toBe(3);
  });

  it('keeps an unknown 县直、驻县有关单位 together as one unknown group', () => {
    const a = acts(parse('一、任务\n1.开展甲活动。责任单位：县直、驻县有关单位，各乡镇'))[0];
    expect(a.units.map((u) => [u.text, u.warning ?? null])).toEqual([
      ['县直、驻县有关单位', 'unknown_group'],
      ['各乡镇', null],
    ]);
  });

  it('flags a name that matches several units', () => {
    const dir: UnitDirectory = {
      units: [
        { id: 'a', name: '城关镇', shortName: null, type: 'township', aliases: [] },
        { id: 'b', name: '城关镇', shortName: null, type: 'township', aliases: [] },
      ],
      groups: [],
    };
    const plan = parse('一、任务\n1.开展甲活动。责任单位：城关镇', dir);
    expect(acts(plan)[0].units[0]).toMatchObject({
      text: '城关镇',
      resolved: null,
      warning: 'ambiguous_unit',
    });
  });

  it('resolves aliases and names written with the city name in front', () => {
    const plan = parse(
      '一、任务\n1.开展甲活动。责任单位：市卫健局、市市场监管局、市文广旅局、霸州市公安局、霸州市委宣传部',
    );
    expect(resolved(plan)).toEqual([
      '市卫生健康局',
      '市市场监督管理局',
      '市文化广电和旅游局',
      '市公安局',
      '市委宣传部',
    ]);
    expect(acts(plan)[0].units.map((u) => u.via)).toEqual(['alias', 'alias', 'alias', 'name', 'name']);
  });

  it('joins a unit name broken across lines', () => {
    const plan = parse('一、任务\n1.开展甲活动。责任单位：市委宣传部、市文\n明办、市公安局');
    expect(units(plan)).toEqual(['市委宣传部', '市文明办', '市公安局']);
  });
});

describe('structure', () => {
  it('nests (1) items under 1. items; children carry their own units', () => {
    const text = [
      '一、主要任务',
      '1.组织“文明家庭”评选。',
      '（1）开展文明家庭推荐，6月底前完成。',
      '责任单位:市妇联、各乡镇（区、办）',
      '（2）举办颁奖仪式。（市文明办牵头，市融媒体中心配合）',
    ].join('\n');
    const plan = parse(text);
    const [parent] = plan.sections[0].activities;
    expect(parent.name).toBe('文明家庭');
    expect(parent.units).toEqual([]);
    expect(parent.children.map((c) => c.numeral)).toEqual(['（1）', '（2）']);
    expect(parent.children[0].units.map((u) => u.text)).toEqual(['市妇联', '各乡镇（区、办）']);
    expect(parent.children[0].sourceLines).toEqual([3, 4]);
    expect(parent.children[1].leadUnits.map((u) => u.text)).toEqual(['市文明办']);
    expect(codes(plan)).not.toContain('no_units');
    accounted(plan, text);
  });

  it('warns about an activity without units', () => {
    const plan = parse('一、主要任务\n1.开展甲活动。');
    expect(plan.warnings).toContainEqual({ line: 2, text: '开展甲活动', code: 'no_units' });
  });

  it('treats a section whose sub-headings hold no items as one section of activities', () => {
    const plan = parse(
      '一、重点任务\n（一）加强思想引领。深入开展宣讲。责任单位：市委宣传部\n（二）深化文明创建。责任单位：市文明办',
    );
    expect(plan.sections.map((s) => s.title)).toEqual(['重点任务']);
    expect(acts(plan).map((a) => [a.numeral, a.title, a.units.map((u) => u.text).join()])).toEqual([
      ['（一）', '加强思想引领', '市委宣传部'],
      ['（二）', '深化文明创建', '市文明办'],
    ]);
  });

  it('keeps a paragraph after an item’s unit list with the section, with a warning', () => {
    const text =
      '一、主要任务\n（一）宣传\n1.开展甲活动。责任单位：市委宣传部\n以上活动纳入年度考核。\n2.开展乙活动。责任单位：市文明办';
    const plan = parse(text);
    expect(plan.sections[0].description).toBe('以上活动纳入年度考核。');
    expect(acts(plan).map((a) => a.sourceLines)).toEqual([[3], [5]]);
    expect(plan.warnings).toContainEqual({
      line: 4,
      text: '以上活动纳入年度考核。',
      code: 'text_after_units',
    });
    accounted(plan, text);
  });

  it('reads a task-division table (cells separated by tabs, as from a .docx)', () => {
    const text = [
      '附件：2023年文明城市创建任务分工表',
      '序号\t工作任务\t牵头单位\t配合单位\t完成时限',
      '一、思想道德建设',
      '1\t开展“道德讲堂”活动，每季度举办1次。\t市文明办\t市教体局、市卫健局\t2023年12月底前',
      '2\t组织文明家庭评选\t市妇联\t各乡镇(区、办)\t6月底前',
      '二、城市管理',
      '3\t整治背街小巷50条\t市综合执法局\t\t年底前',
    ].join('\n');
    const plan = parse(text);
    expect(plan.sections.map((s) => `${s.numeral}${s.title}`)).toEqual(['一、思想道德建设', '二、城市管理']);
    const [first, second, third] = acts(plan);
    expect(first).toMatchObject({ numeral: '1', number: 1, name: '道德讲堂', leadSource: 'label' });
    expect(first.leadUnits.map((u) => u.text)).toEqual(['市文明办']);
    expect(first.coUnits.map((u) => u.text)).toEqual(['市教体局', '市卫健局']);
    expect(first.deadline).toEqual({ text: '2023年12月底前', date: '2023-12-31' });
    expect(first.cadence?.kind).toBe('quarterly');
    expect(second.deadline).toEqual({ text: '6月底前', date: '2023-06-30' });
    expect(third.targets.map((t) => `${t.number}${t.measure}`)).toEqual(['50条']);
    expect(plan.parts.map((p) => [p.title, p.kind])).toEqual([['2023年文明城市创建任务分工表', 'tasks']]);
    accounted(plan, text);
  });

  it('finds phases with dates, without a year in the range end', () => {
    const plan = parse(
      '关于2023年文明创建的实施方案\n一、实施步骤\n（一）动员部署阶段（2023年3月1日—3月31日）。制定方案。\n（二）集中攻坚阶段（2023年4月至10月）。\n（三）总结验收阶段（11月—12月）。',
    );
    expect(plan.phases.map((p) => [p.name, p.from, p.to])).toEqual([
      ['动员部署阶段', '2023-03-01', '2023-03-31'],
      ['集中攻坚阶段', '2023-04-01', '2023-10-31'],
      ['总结验收阶段', '2023-11-01', '2023-12-31'],
    ]);
    expect(plan.phases[0].description).toBe('制定方案。');
  });

  it('finds unnumbered phases (第一阶段：…) in a schedule section', () => {
    const text = [
      '关于2023年文明创建的实施方案',
      '四、方法步骤',
      '活动分三个阶段进行。',
      '第一阶段：动员部署（9月1日—9月15日）。召开动员会。',
      '第二阶段：组织实施（9月16日—11月30日）。',
      '各单位按方案推进。',
      '第三阶段：总结提升（12月）。',
    ].join('\n');
    const plan = parse(text);
    expect(plan.phases.map((p) => [p.name, p.from, p.to, p.sourceLines])).toEqual([
      ['第一阶段：动员部署', '2023-09-01', '2023-09-15', [4]],
      ['第二阶段：组织实施', '2023-09-16', '2023-11-30', [5, 6]],
      ['第三阶段：总结提升', '2023-12-01', '2023-12-31', [7]],
    ]);
    accounted(plan, text);
  });

  it('reads a date in Chinese numerals and resolves dates against it', () => {
    const plan = parse(
      '某某文件\n二〇二二年九月二十日\n一、任务\n1.开展甲活动，3月底前完成。责任单位：市文明办',
    );
    expect(plan.date).toBe('2022-09-20');
    expect(acts(plan)[0].deadline).toEqual({ text: '3月底前', date: '2023-03-31' });
  });

  it('warns when no year is known, and leaves such dates unresolved', () => {
    const plan = parse('一、任务\n1.开展甲活动，9月下旬完成。责任单位：市文明办');
    expect(acts(plan)[0].deadline).toEqual({ text: '9月下旬', date: null });
    expect(codes(plan)).toEqual(expect.arrayContaining(['no_date', 'date_unresolved']));
  });

  it('reports an empty or unstructured text instead of failing', () => {
    expect(codes(parse(''))).toEqual(['no_structure']);
    const prose = parse('这是一段没有编号的文字。\n第二段文字。');
    expect(prose.sections).toEqual([]);
    expect(prose.unparsed.map((u) => u.line)).toEqual([1, 2]);
    expect(codes(prose)).toEqual(['no_structure', 'unparsed']);
  });
});

describe('other seeds (reports, not plans): nothing is dropped', () => {
  const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

  it('seed 003 (a summary with 一、 sections): parts, no activities, every line accounted', () => {
    const text = fixture('003_e87cfea75e8df447.txt');
    const plan = parse(text);
    expect(plan.parts.map((p) => p.kind)).toEqual(['other', 'other', 'other', 'other']);
    expect(plan.sections).toEqual([]);
    expect(codes(plan)).toEqual(['no_date', 'no_activities', 'no_phases']);
    accounted(plan, text);
  });

  it('seed 004 (a news report without numbering): every line is listed as unparsed', () => {
    const text = fixture('004_734dce52dc438dee.txt');
    const plan = parse(text);
    expect(plan.sections).toEqual([]);
    expect(codes(plan)[0]).toBe('no_structure');
    expect(codes(plan)).toContain('unparsed');
    expect(plan.unparsed.length).toBeGreaterThan(50);
    accounted(plan, text);
  });
});
