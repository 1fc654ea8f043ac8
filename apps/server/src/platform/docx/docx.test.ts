import JSZip from 'jszip';
// saxes is exceljs's XML parser (a strict XML 1.0 parser): here it proves the parts are well-formed.
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { docxText } from '../../modules/campaigns/plan/source.ts';
import { buildDocx, escapeXml } from './docx.ts';

function wellFormed(xml: string): { texts: string[]; elements: string[] } {
  const parser = new SaxesParser({ xmlns: true });
  const texts: string[] = [];
  const elements: string[] = [];
  let error: Error | null = null;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.on('text', (t) => texts.push(t));
  parser.on('opentag', (tag) => elements.push(tag.name));
  parser.write(xml).close();
  if (error) throw error;
  return { texts, elements };
}

describe('buildDocx', () => {
  it('writes a zip whose parts are well-formed WordprocessingML with the text, headings and a table', async () => {
    const bytes = await buildDocx({
      title: '关于创建工作推进情况的通报 <TB-2026-0001>',
      blocks: [
        { kind: 'heading', text: '一、红色单位', level: 1 },
        { kind: 'paragraph', text: '市委宣传部：红 2 项 & 黄 1 项\n第二行', indent: true },
        {
          kind: 'paragraph',
          text: [{ text: '存在问题：', bold: true }, { text: '进度滞后' }],
          align: 'right',
        },
        {
          kind: 'table',
          header: ['单位', '红', '绿'],
          rows: [['市委组织部', '0', '3'], ['短行']],
          widths: [3, 1, 1],
        },
        { kind: 'heading', text: 'Level two', level: 2 },
        { kind: 'paragraph', text: 'control\u0001chars\uFFFE dropped' },
      ],
    });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const zip = await JSZip.loadAsync(bytes);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        '[Content_Types].xml',
        '_rels/.rels',
        'docProps/core.xml',
        'word/_rels/document.xml.rels',
        'word/document.xml',
        'word/styles.xml',
      ]),
    );
    for (const name of names.filter((n) => !zip.files[n].dir)) {
      const xml = await zip.files[name].async('string');
      expect(() => wellFormed(xml), name).not.toThrow();
    }
    const document = await zip.files['word/document.xml'].async('string');
    const { texts, elements } = wellFormed(document);
    const all = texts.join('|');
    expect(all).toContain('关于创建工作推进情况的通报 <TB-2026-0001>');
    expect(all).toContain('市委宣传部：红 2 项 & 黄 1 项');
    expect(all).toContain('第二行');
    expect(all).toContain('存在问题：');
    expect(all).toContain('controlchars dropped');
    expect(elements.filter((e) => e === 'w:tbl')).toHaveLength(1);
    expect(elements.filter((e) => e === 'w:tr')).toHaveLength(3);
    // the short row is padded to the table's three columns
    expect(elements.filter((e) => e === 'w:tc')).toHaveLength(9);
    expect(document).toContain('<w:pStyle w:val="Heading1"/>');
    expect(document).toContain('<w:pStyle w:val="Heading2"/>');
    expect(document).toContain('w:eastAsia="SimSun"');
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(await zip.files['docProps/core.xml'].async('string')).toContain(
      '<dc:title>关于创建工作推进情况的通报 &lt;TB-2026-0001&gt;</dc:title>',
    );
  });

  it('is read back by the plan importer (another .docx reader) paragraph by paragraph', async () => {
    const bytes = await buildDocx({
      title: '标题',
      blocks: [
        { kind: 'paragraph', text: '第一段' },
        { kind: 'table', header: ['甲', '乙'], rows: [['1', '2']] },
      ],
    });
    const text = docxText(bytes);
    expect(text).toContain('标题');
    expect(text).toContain('第一段');
    expect(text).toContain('甲');
  });

  it('is deterministic and handles an empty document', async () => {
    const a = await buildDocx({ title: '', blocks: [] });
    const b = await buildDocx({ title: '', blocks: [] });
    expect(a.equals(b)).toBe(true);
    const zip = await JSZip.loadAsync(a);
    const { elements } = wellFormed(await zip.files['word/document.xml'].async('string'));
    expect(elements).toContain('w:sectPr');
  });

  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXml('a<b>&"c"\u0000\u001F\uFFFF')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(escapeXml('宋体\t\n😀')).toBe('宋体\t\n😀');
  });
});
