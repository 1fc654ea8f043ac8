import type ExcelJS from 'exceljs';

/** A spreadsheet as read: the header row and the data rows with their row numbers in the file. */
export interface Sheet {
  headers: string[];
  rows: { row: number; cells: string[] }[];
  format: 'xlsx' | 'csv';
  encoding: 'utf-8' | 'utf-16le' | 'gb18030' | null;
}

/** The file is neither a readable .xlsx nor a text CSV. */
export class SheetError extends Error {}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * exceljs reads a date cell as the wall-clock time written in the sheet, stored as if it were UTC:
 * it is written back as that wall time (`2026-03-01 09:30:00`), the zone is the importer's business.
 */
function wallTime(d: Date): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : wallTime(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('error' in v) return '';
    if ('result' in v)
      return v.result === undefined || v.result === null ? '' : cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

/** RFC 4180 CSV: quoted fields with "" inside, commas and line breaks inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** UTF-8 (with or without BOM), UTF-16LE with BOM, else GB18030 (a superset of GBK, what Excel in China saves). */
export function decodeCsv(buf: Buffer): { text: string; encoding: 'utf-8' | 'utf-16le' | 'gb18030' } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8' };
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(buf), encoding: 'gb18030' };
  }
}

const blank = (cells: string[]) => cells.every((c) => c === '');

function toSheet(records: string[][], format: Sheet['format'], encoding: Sheet['encoding']): Sheet {
  const trimmed = records.map((r) => r.map((c) => c.replace(/\u00a0/g, ' ').trim()));
  const headerIndex = trimmed.findIndex((r) => !blank(r));
  if (headerIndex < 0) return { headers: [], rows: [], format, encoding };
  const headers = trimmed[headerIndex];
  const rows: Sheet['rows'] = [];
  for (let i = headerIndex + 1; i < trimmed.length; i++) {
    if (!blank(trimmed[i])) rows.push({ row: i + 1, cells: trimmed[i] });
  }
  return { headers, rows, format, encoding };
}

/**
 * Reads the first worksheet of an .xlsx, or a CSV file. Row numbers are the file's (the header is
 * usually row 1); blank rows are skipped. A legacy .xls, a damaged zip or a binary file throws.
 */
export async function readSheet(buf: Buffer): Promise<Sheet> {
  if (buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    // Loaded on first use: exceljs is large and only imports need it.
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    try {
      // exceljs's types want its own Buffer flavour; a Node Buffer is what it reads.
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new SheetError('xlsx');
    }
    const ws = wb.worksheets[0];
    if (!ws) return { headers: [], rows: [], format: 'xlsx', encoding: null };
    const records: string[][] = [];
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (r, n) => {
      const values: string[] = [];
      for (let c = 1; c <= width; c++) values.push(cellText(r.getCell(c).value));
      records[n - 1] = values;
    });
    for (let i = 0; i < records.length; i++) records[i] ??= [];
    return toSheet(records, 'xlsx', null);
  }
  // An OLE compound file (legacy .xls) or anything with NUL bytes outside UTF-16 is not a CSV.
  const utf16 = buf[0] === 0xff && buf[1] === 0xfe;
  if (!utf16 && buf.includes(0)) throw new SheetError('binary');
  const { text, encoding } = decodeCsv(buf);
  return toSheet(parseCsv(text), 'csv', encoding);
}
