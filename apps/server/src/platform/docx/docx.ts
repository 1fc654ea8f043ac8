// A minimal Word (.docx) writer: WordprocessingML parts zipped with jszip. No LibreOffice, no
// template: headings, paragraphs and tables on A4 in SimSun (宋体), enough for circulars (通报) and
// compiled reports. Text is escaped and characters XML 1.0 forbids are dropped, so any user text
// yields a well-formed document.
import JSZip from 'jszip';

/** A piece of a paragraph with its own formatting. */
export interface Run {
  text: string;
  bold?: boolean;
}

export type Align = 'left' | 'center' | 'right' | 'both';

export type Block =
  /** Level 1 is the biggest (黑体-like bold 16 pt); 2 = 14 pt; 3 = 12 pt. */
  | { kind: 'heading'; text: string; level?: 1 | 2 | 3 }
  /** A line break inside `text` (\n) stays a line break inside the paragraph. `indent` = two-character
   * first-line indent, the usual body style of Chinese official documents. */
  | { kind: 'paragraph'; text: string | Run[]; bold?: boolean; align?: Align; indent?: boolean }
  /** `widths` are relative weights of the columns (default: equal); the header row repeats on every page. */
  | { kind: 'table'; header: string[]; rows: string[][]; widths?: number[] }
  /** What follows starts on a new page. */
  | { kind: 'pageBreak' };

export interface DocxDocument {
  /** The document's title: printed centred at the top and stored as its core property. */
  title: string;
  blocks: Block[];
}

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const FONT = 'SimSun';
// A4 in twentieths of a point, with 2.54 cm top/bottom and 3.17 cm left/right margins.
const PAGE = { width: 11906, height: 16838, top: 1440, bottom: 1440, side: 1800 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.side;
const HEADING_SIZES = { 1: 32, 2: 28, 3: 24 } as const; // half-points

// XML 1.0 allows tab, LF, CR and code points from U+0020 (minus surrogates halves and U+FFFE/U+FFFF).
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function runXml(run: Run): string {
  const props = `<w:rPr><w:rFonts w:ascii="${FONT}" w:hAnsi="${FONT}" w:eastAsia="${FONT}"/>${run.bold ? '<w:b/>' : ''}</w:rPr>`;
  const lines = run.text.replace(/\r\n?/g, '\n').split('\n');
  const body = lines
    .map((line, i) => `${i > 0 ? '<w:br/>' : ''}<w:t xml:space="preserve">${escapeXml(line)}</w:t>`)
    .join('');
  return `<w:r>${props}${body}</w:r>`;
}

function paragraphXml(
  runs: Run[],
  opts: { align?: Align; indent?: boolean; style?: string; keepNext?: boolean },
): string {
  const props = [
    opts.style ? `<w:pStyle w:val="${opts.style}"/>` : '',
    opts.keepNext ? '<w:keepNext/>' : '',
    opts.indent ? '<w:ind w:firstLineChars="200" w:firstLine="480"/>' : '',
    opts.align ? `<w:jc w:val="${opts.align}"/>` : '',
  ].join('');
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ''}${runs.map(runXml).join('')}</w:p>`;
}

function cellXml(text: string, width: number, header: boolean): string {
  const shade = header ? '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' : '';
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${shade}</w:tcPr>${paragraphXml([{ text, bold: header }], {})}</w:tc>`;
}

function tableXml(block: Extract<Block, { kind: 'table' }>): string {
  const columns = Math.max(block.header.length, ...block.rows.map((r) => r.length), 1);
  const weights = Array.from({ length: columns }, (_, i) => {
    const w = block.widths?.[i];
    return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((TEXT_WIDTH * w) / total));
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const borders = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('');
  const row = (cells: string[], header: boolean) =>
    `<w:tr>${header ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${widths
      .map((w, i) => cellXml(cells[i] ?? '', w, header))
      .join('')}</w:tr>`;
  return [
    '<w:tbl>',
    `<w:tblPr><w:tblW w:w="${TEXT_WIDTH}" w:type="dxa"/><w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>`,
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`,
    block.header.length > 0 ? row(block.header, true) : '',
    ...block.rows.map((r) => row(r, false)),
    '</w:tbl>',
    // Word needs a paragraph between two tables and after a table that ends a cell or the body.
    '<w:p/>',
  ].join('');
}

function blockXml(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const level = block.level ?? 1;
      return paragraphXml([{ text: block.text }], { style: `Heading${level}`, keepNext: true });
    }
    case 'paragraph': {
      const runs = typeof block.text === 'string' ? [{ text: block.text, bold: block.bold }] : block.text;
      return paragraphXml(runs, { align: block.align, indent: block.indent });
    }
    case 'table':
      return tableXml(block);
    case 'pageBreak':
      return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>';
  }
}

/** word/document.xml of a document (exported for tests and for callers that embed it). */
export function documentXml(doc: DocxDocument): string {
  const title = paragraphXml([{ text: doc.title }], { style: 'Title' });
  const section = `<w:sectPr><w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"/><w:pgMar w:top="${PAGE.top}" w:right="${PAGE.side}" w:bottom="${PAGE.bottom}" w:left="${PAGE.side}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${title}${doc.blocks.map(blockXml).join('')}${section}</w:body></w:document>`;
}

function stylesXml(): string {
  const fonts = `<w:rFonts w:ascii="${FONT}" w:hAnsi="${FONT}" w:eastAsia="${FONT}" w:cs="${FONT}"/>`;
  const heading = (level: 1 | 2 | 3) =>
    `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="${level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="${HEADING_SIZES[level]}"/><w:szCs w:val="${HEADING_SIZES[level]}"/></w:rPr></w:style>`;
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    `<w:styles xmlns:w="${W_NS}">`,
    `<w:docDefaults><w:rPrDefault><w:rPr>${fonts}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>`,
    '<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>',
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>',
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="360"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>',
    heading(1),
    heading(2),
    heading(3),
    '</w:styles>',
  ].join('');
}

function coreXml(title: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeXml(title)}</dc:title><dc:creator>Wenming</dc:creator></cp:coreProperties>`;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const PACKAGE_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${REL_NS}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const DOCUMENT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${REL_NS}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

/** The .docx bytes of a document. Deterministic for a given input (fixed zip timestamps). */
export async function buildDocx(doc: DocxDocument): Promise<Buffer> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2000, 0, 1));
  zip.file('[Content_Types].xml', CONTENT_TYPES, { date });
  zip.file('_rels/.rels', PACKAGE_RELS, { date });
  zip.file('docProps/core.xml', coreXml(doc.title), { date });
  zip.file('word/document.xml', documentXml(doc), { date });
  zip.file('word/styles.xml', stylesXml(), { date });
  zip.file('word/_rels/document.xml.rels', DOCUMENT_RELS, { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', mimeType: DOCX_MIME });
}
