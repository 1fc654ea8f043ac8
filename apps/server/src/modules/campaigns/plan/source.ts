/**
 * A plan file's bytes → text: .txt in UTF-8, UTF-16 (with BOM) or GB18030 (GBK, GB2312), and .docx
 * (the paragraphs and table rows of word/document.xml, with Word's automatic numbering written out).
 * Pure: the caller reads the file.
 */
import { PlanSourceError } from './source-error.ts';
import { readZipEntry } from './zip.ts';

export type PlanEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface PlanText {
  text: string;
  format: 'txt' | 'docx';
  /** For .txt: how the bytes were decoded. */
  encoding: PlanEncoding | null;
}

export function planTextFromBytes(bytes: Uint8Array): PlanText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50)
    return { text: docxText(buf), format: 'docx', encoding: null };
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0)
    throw new PlanSourceError('unsupported_format', 'a legacy Word .doc file: save it as .docx or .txt');
  const { text, encoding } = decodeText(buf);
  if (hasControlCharacters(text.slice(0, 4096)))
    throw new PlanSourceError('unsupported_format', 'not a text file: upload .txt or .docx');
  return { text, format: 'txt', encoding };
}

/** Text files have no control characters other than tab, line feed, form feed and carriage return. */
function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) return true;
  }
  return false;
}

/** UTF-8 (strict) first, then GB18030, which decodes any byte sequence GBK/GB2312 text is made of. */
export function decodeText(buf: Buffer): { text: string; encoding: PlanEncoding } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(buf), encoding: 'gb18030' };
  }
}

// ---- .docx ---------------------------------------------------------------------------------------------

interface Level {
  start: number;
  format: string;
  text: string;
}

const TAG = /<(\/?)(w:tbl|w:tr|w:tc|w:p|w:pPr|w:ilvl|w:numId|w:tab|w:br|w:cr|w:t)(?=[\s>/])([^>]*?)(\/?)>/g;

/** The text of a .docx: one line per paragraph, one line per table row (cells separated by tabs). */
export function docxText(zip: Buffer): string {
  const document = readZipEntry(zip, 'word/document.xml');
  if (!document) throw new PlanSourceError('bad_docx', 'not a Word document (no word/document.xml)');
  const numbering = numberingOf(readZipEntry(zip, 'word/numbering.xml')?.toString('utf8') ?? '');
  const xml = document.toString('utf8');
  const out: string[] = [];
  const tables: { row: string[]; cell: string[] | null }[] = [];
  // Paragraphs nest (a text box inside a paragraph): each open one has its text and numbering.
  const paras: { text: string; numId: string | null; ilvl: number }[] = [];
  let inPPr = false;
  const emit = (line: string) => {
    const table = tables.at(-1);
    if (table?.cell) table.cell.push(line);
    else out.push(line);
  };
  for (const m of xml.matchAll(TAG)) {
    const [, closing, tag, attrs, selfClosing] = m;
    const val = /w:val="([^"]*)"/.exec(attrs)?.[1];
    const para = paras.at(-1);
    switch (tag) {
      case 'w:p':
        if (closing) {
          paras.pop();
          if (para) emit(numbering.prefix(para.numId, para.ilvl) + para.text);
        } else if (selfClosing) emit('');
        else paras.push({ text: '', numId: null, ilvl: 0 });
        break;
      case 'w:pPr':
        if (!selfClosing) inPPr = !closing;
        break;
      case 'w:numId':
        if (inPPr && para && val !== undefined) para.numId = val;
        break;
      case 'w:ilvl':
        if (inPPr && para && val !== undefined) para.ilvl = Number(val) || 0;
        break;
      case 'w:t':
        if (!closing && !selfClosing && para) {
          const end = xml.indexOf('<', m.index + m[0].length);
          para.text += decodeXml(xml.slice(m.index + m[0].length, end < 0 ? undefined : end));
        }
        break;
      case 'w:tab':
        if (!inPPr && para) para.text += '\t';
        break;
      case 'w:br':
      case 'w:cr':
        if (para) para.text += '\n';
        break;
      case 'w:tbl':
        if (closing) tables.pop();
        else if (!selfClosing) tables.push({ row: [], cell: null });
        break;
      case 'w:tr': {
        const table = tables.at(-1);
        if (!table) break;
        if (!closing) table.row = [];
        else {
          const row = table.row.join('\t');
          const outer = tables.at(-2);
          if (outer?.cell) outer.cell.push(row);
          else out.push(row);
        }
        break;
      }
      case 'w:tc': {
        const table = tables.at(-1);
        if (!table) break;
        if (!closing) table.cell = [];
        else {
          table.row.push((table.cell ?? []).join(' '));
          table.cell = null;
        }
        break;
      }
    }
  }
  return out.join('\n');
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/** Word's automatic list numbering (numbering.xml), written out as the text a reader sees: 一、 （1） 1. */
function numberingOf(xml: string) {
  const abstracts = new Map<string, Map<number, Level>>();
  for (const a of xml.matchAll(
    /<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g,
  )) {
    const levels = new Map<number, Level>();
    for (const l of a[2].matchAll(/<w:lvl\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g)) {
      levels.set(Number(l[1]), {
        start: Number(/<w:start w:val="(\d+)"/.exec(l[2])?.[1] ?? 1),
        format: /<w:numFmt w:val="([^"]+)"/.exec(l[2])?.[1] ?? 'decimal',
        text: decodeXml(/<w:lvlText w:val="([^"]*)"/.exec(l[2])?.[1] ?? ''),
      });
    }
    abstracts.set(a[1], levels);
  }
  const nums = new Map<string, string>();
  for (const n of xml.matchAll(/<w:num\b[^>]*w:numId="(\d+)"[^>]*>[\s\S]*?<w:abstractNumId w:val="(\d+)"/g))
    nums.set(n[1], n[2]);
  const counters = new Map<string, number[]>();
  return {
    prefix(numId: string | null, ilvl: number): string {
      const levels = numId ? abstracts.get(nums.get(numId) ?? '') : undefined;
      const level = levels?.get(ilvl);
      if (!numId || !levels || !level || level.format === 'bullet' || level.format === 'none') return '';
      const count = counters.get(numId) ?? [];
      count[ilvl] = (count[ilvl] ?? level.start - 1) + 1;
      count.length = ilvl + 1;
      counters.set(numId, count);
      return level.text.replace(/%(\d)/g, (_, k: string) => {
        const i = Number(k) - 1;
        const l = levels.get(i);
        return formatNumber(count[i] ?? l?.start ?? 1, l?.format ?? 'decimal');
      });
    },
  };
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'ideographTraditional':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return chineseNumber(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return CIRCLED[n - 1] ?? String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    case 'lowerLetter':
      return String.fromCharCode(96 + (((n - 1) % 26) + 1));
    case 'upperLetter':
      return String.fromCharCode(64 + (((n - 1) % 26) + 1));
    default:
      return String(n);
  }
}

function chineseNumber(n: number): string {
  const d = '零一二三四五六七八九';
  if (n < 10) return d[n];
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
  return String(n);
}
