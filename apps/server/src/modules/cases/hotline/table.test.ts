import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv, readSheet, SheetError } from './table.ts';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF and LF', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"two\nlines",x\ny,z')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['two\nlines', 'x'],
      ['y', 'z'],
    ]);
    expect(parseCsv('a,b\r\n')).toEqual([['a', 'b']]);
    expect(parseCsv('a,,\r\n')).toEqual([['a', '', '']]);
  });
});

describe('decodeCsv', () => {
  it('tells UTF-8 (with or without BOM), UTF-16LE and GBK apart', () => {
    const text = '工单编号,诉求内容';
    expect(decodeCsv(Buffer.from(`\uFEFF${text}`, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({
      text,
      encoding: 'utf-16le',
    });
    // 工单 in GBK
    expect(decodeCsv(Buffer.from([0xb9, 0xa4, 0xb5, 0xa5]))).toEqual({ text: '工单', encoding: 'gb18030' });
  });
});

describe('readSheet', () => {
  it('keeps the file’s row numbers and skips blank rows', async () => {
    const sheet = await readSheet(Buffer.from('\r\n工单编号,诉求内容\r\n1,甲\r\n,\r\n2,乙\r\n', 'utf8'));
    expect(sheet.headers).toEqual(['工单编号', '诉求内容']);
    expect(sheet.rows).toEqual([
      { row: 3, cells: ['1', '甲'] },
      { row: 5, cells: ['2', '乙'] },
    ]);
  });
  it('refuses a legacy .xls and a damaged .xlsx', async () => {
    await expect(readSheet(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).rejects.toBeInstanceOf(SheetError);
    await expect(readSheet(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toBeInstanceOf(
      SheetError,
    );
  });
});
