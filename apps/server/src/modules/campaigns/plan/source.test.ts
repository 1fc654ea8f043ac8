import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bazhouDirectory } from './fixtures/bazhou-directory.ts';
import { CHINESE_NUMBERING, docx, p, table, zip } from './fixtures/docx.ts';
import { parsePlan } from './parse.ts';
import { decodeText, planTextFromBytes } from './source.ts';
import { PlanSourceError } from './source-error.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name));
const seed = fixture('001_785ff53e928aa9e6.txt').toString('utf8');

describe('text files', () => {
  it('decodes GB18030 (GBK) as well as UTF-8, and CRLF line ends parse alike', () => {
    const gbk = fixture('001_785ff53e928aa9e6.gb18030.txt');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const decoded = planTextFromBytes(gbk);
    expect(decoded).toMatchObject({ format: 'txt', encoding: 'gb18030' });
    expect(decoded.text.replace(/\r\n/g, '\n')).toBe(seed);
    const a = parsePlan(decoded.text, bazhouDirectory());
    const b = parsePlan(seed, bazhouDirectory());
    expect(a).toEqual(b);
    expect(a.stats.activities).toBe(18);
  });

  it('decodes UTF-8 with or without a BOM, and UTF-16 with a BOM', () => {
    expect(decodeText(Buffer.from('一、任务', 'utf8'))).toEqual({ text: '一、任务', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('\uFEFF一、任务', 'utf8'))).toEqual({
      text: '一、任务',
      encoding: 'utf-8',
    });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('一、任务', 'utf16le')]);
    expect(decodeText(le)).toEqual({ text: '一、任务', encoding: 'utf-16le' });
    const be = Buffer.from(le).swap16();
    expect(decodeText(be)).toEqual({ text: '一、任务', encoding: 'utf-16be' });
  });

  it('refuses legacy .doc and binary files with a clear error', () => {
    const doc = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(() => planTextFromBytes(doc)).toThrow(/legacy Word \.doc/);
    expect(() =>
      planTextFromBytes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])),
    ).toThrow(PlanSourceError);
  });
});

describe('.docx files', () => {
  it('reads paragraphs, tabs and entities, and parses seed 001 as a .docx like the .txt', () => {
    const lines = seed.split('\n');
    const file = docx(lines.map((l) => p(l)).join(''));
    const read = planTextFromBytes(file);
    expect(read).toMatchObject({ format: 'docx', encoding: null });
    expect(read.text).toBe(seed);
    expect(parsePlan(read.text, bazhouDirectory())).toEqual(parsePlan(seed, bazhouDirectory()));
    expect(planTextFromBytes(docx(p('A & B <C>\t"D"'))).text).toBe('A & B <C>\t"D"');
    // A text box inside a paragraph is a paragraph of its own; the outer text is kept.
    const box =
      '<w:p><w:r><w:t>外</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:r><w:r><w:t>文</w:t></w:r></w:p>';
    expect(planTextFromBytes(docx(box)).text).toBe('框\n外文');
  });

  it('writes out Word’s automatic numbering (一、 （1）) so the parser sees the numerals', () => {
    const body = [
      p('重点任务', { numId: 5, ilvl: 0 }),
      p('开展甲活动。责任单位：市委宣传部', { numId: 5, ilvl: 1 }),
      p('开展乙活动。责任单位：市文明办', { numId: 5, ilvl: 1 }),
      p('时间安排', { numId: 5, ilvl: 0 }),
      p('动员阶段（2023年3月）', { numId: 5, ilvl: 1 }),
    ].join('');
    const text = planTextFromBytes(docx(body, CHINESE_NUMBERING)).text;
    expect(text.split('\n')).toEqual([
      '一、重点任务',
      '（1）开展甲活动。责任单位：市委宣传部',
      '（2）开展乙活动。责任单位：市文明办',
      '二、时间安排',
      '（1）动员阶段（2023年3月）',
    ]);
    const plan = parsePlan(text, bazhouDirectory());
    expect(plan.stats).toMatchObject({ sections: 1, activities: 2, phases: 1 });
  });

  it('reads tables row by row, cells separated by tabs: a task-division table', () => {
    const body = [
      p('任务分工表'),
      table([
        ['序号', '工作任务', '牵头单位', '配合单位', '完成时限'],
        ['1', '开展“道德讲堂”活动', '市文明办', '市教体局、市卫健局', '2023年12月底前'],
      ]),
    ].join('');
    const text = planTextFromBytes(docx(body)).text;
    expect(text.split('\n')).toEqual([
      '任务分工表',
      '序号\t工作任务\t牵头单位\t配合单位\t完成时限',
      '1\t开展“道德讲堂”活动\t市文明办\t市教体局、市卫健局\t2023年12月底前',
    ]);
    const [activity] = parsePlan(text, bazhouDirectory()).sections[0].activities;
    expect(activity.leadUnits.map((u) => u.text)).toEqual(['市文明办']);
    expect(activity.deadline).toEqual({ text: '2023年12月底前', date: '2023-12-31' });
  });

  it('refuses a ZIP that is not a Word document, and a damaged one', () => {
    expect(() => planTextFromBytes(zip([{ name: 'a.txt', data: 'x' }]))).toThrow(/no word\/document\.xml/);
    const broken = docx(p('一、任务'));
    expect(() => planTextFromBytes(broken.subarray(0, broken.length - 30))).toThrow(PlanSourceError);
  });
});
