import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/**
 * Small, real files for evidence tests, generated on the spot: pictures drawn with sharp (with EXIF
 * when asked), hand-built ZIP/OOXML, PDF, and a few liars.
 */

export interface PictureOptions {
  width: number;
  height: number;
  /** Background colour, e.g. '#336699' or 'red'. */
  color: string;
  /** What is drawn on the background; different patterns are different pictures (dHash far apart). Default 1. */
  pattern?: number;
  gps?: { lat: number; lng: number };
  /** Camera time `YYYY-MM-DDTHH:mm:ss`, written as EXIF DateTimeOriginal. */
  takenAt?: string;
  /** EXIF orientation 1–8 (6: the camera was turned, the picture must be rotated 90° clockwise). */
  orientation?: number;
}

/** A few shapes placed by a small deterministic generator, so a picture has edges for dHash to see. */
function svgOf({ width, height, color, pattern = 1 }: PictureOptions): Buffer {
  let seed = pattern * 2654435761;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const shapes: string[] = [];
  for (let i = 0; i < 6; i++) {
    const x = Math.round(rand() * width);
    const y = Math.round(rand() * height);
    const r = Math.round((0.1 + rand() * 0.25) * Math.min(width, height));
    const shade = Math.round(rand() * 255);
    const fill = `rgb(${shade},${255 - shade},${Math.round(rand() * 255)})`;
    shapes.push(
      i % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>`
        : `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${r}" fill="${fill}"/>`,
    );
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="${width}" height="${height}" fill="${color}"/>${shapes.join('')}</svg>`,
  );
}

const rational = (x: number, scale = 1) => `${Math.round(x * scale)}/${scale}`;

/** Decimal degrees → EXIF degrees/minutes/seconds rationals and the hemisphere letter. */
function dms(value: number, pos: string, neg: string): [string, string] {
  const a = Math.abs(value);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = (a - d - m / 60) * 3600;
  return [value < 0 ? neg : pos, `${d}/1 ${m}/1 ${rational(s, 10000)}`];
}

function withMetadata(img: Sharp, opts: PictureOptions): Sharp {
  let out = img;
  if (opts.orientation) out = out.withMetadata({ orientation: opts.orientation });
  if (!opts.gps && !opts.takenAt) return out;
  const exif: Record<string, Record<string, string>> = { IFD0: { Make: 'Wenming test camera' } };
  if (opts.takenAt) exif.IFD2 = { DateTimeOriginal: opts.takenAt.replace(/-/g, ':').replace('T', ' ') };
  if (opts.gps) {
    const [latRef, lat] = dms(opts.gps.lat, 'N', 'S');
    const [lngRef, lng] = dms(opts.gps.lng, 'E', 'W');
    exif.IFD3 = { GPSLatitudeRef: latRef, GPSLatitude: lat, GPSLongitudeRef: lngRef, GPSLongitude: lng };
  }
  return out.withExif(exif);
}

export async function makeJpeg(opts: PictureOptions): Promise<Buffer> {
  return withMetadata(sharp(svgOf(opts)), opts)
    .jpeg({ quality: 90 })
    .toBuffer();
}

export async function makePng(opts: PictureOptions): Promise<Buffer> {
  return withMetadata(sharp(svgOf(opts)), opts)
    .png()
    .toBuffer();
}

export async function makeWebp(opts: PictureOptions): Promise<Buffer> {
  return withMetadata(sharp(svgOf(opts)), opts)
    .webp()
    .toBuffer();
}

/** A ZIP archive with the given entries, stored uncompressed, with a proper central directory. */
export function makeZip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The smallest Word document Word opens: content types, package relationships and one paragraph. */
export function makeDocx(text = 'Wenming'): Buffer {
  return makeZip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `<w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
  });
}

/** A one-page PDF with a valid cross-reference table. */
export function makePdf(text = 'Wenming'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** An MP4 that is only its `ftyp` box: enough for sniffing (no video is decoded server-side). */
export function makeMp4Header(brand = 'isom'): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  box.write(`${brand}mp41`, 16, 'latin1');
  return Buffer.concat([box, Buffer.alloc(64)]);
}

/** A HEIC file's opening boxes (`ftyp heic`) with no decodable picture: what a server without a HEVC decoder sees. */
export function makeHeicHeader(): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftypheic', 4, 'latin1');
  box.write('mif1heic', 16, 'latin1');
  return Buffer.concat([box, Buffer.alloc(256)]);
}

/** The first bytes of a Windows executable. */
export function makeExeHeader(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return b;
}

/** An Office 97–2003 compound file's header (the container .doc/.xls/.ppt share). */
export function makeOleHeader(): Buffer {
  const b = Buffer.alloc(1024);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b);
  return b;
}
