import { AppError } from '../http/errors.ts';
import type { MessageCode } from '../http/messages.ts';

/** What a stored file is, decided from its bytes (never from the name or the client's Content-Type). */
export type FileKind = 'image' | 'video' | 'pdf' | 'office';

export interface FileType {
  kind: FileKind;
  mime: string;
  /** A short, language-neutral name for messages: "JPEG", "PDF", "Word (.docx)". */
  label: string;
  /** File name extensions (lower case, no dot) that may carry this type. */
  extensions: readonly string[];
}

const MB = 1024 * 1024;

/** Upper size limit per kind, in bytes. */
export const LIMITS: Record<FileKind, number> = {
  image: 15 * MB,
  video: 100 * MB,
  pdf: 30 * MB,
  office: 30 * MB,
};

/** The largest file any kind allows: the upload stream is cut off above this. */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(LIMITS));

const T = {
  jpeg: { kind: 'image', mime: 'image/jpeg', label: 'JPEG', extensions: ['jpg', 'jpeg'] },
  png: { kind: 'image', mime: 'image/png', label: 'PNG', extensions: ['png'] },
  webp: { kind: 'image', mime: 'image/webp', label: 'WebP', extensions: ['webp'] },
  heic: { kind: 'image', mime: 'image/heic', label: 'HEIC', extensions: ['heic', 'heif'] },
  heif: { kind: 'image', mime: 'image/heif', label: 'HEIF', extensions: ['heif', 'heic'] },
  mp4: { kind: 'video', mime: 'video/mp4', label: 'MP4', extensions: ['mp4', 'm4v'] },
  mov: { kind: 'video', mime: 'video/quicktime', label: 'MOV', extensions: ['mov'] },
  pdf: { kind: 'pdf', mime: 'application/pdf', label: 'PDF', extensions: ['pdf'] },
  docx: {
    kind: 'office',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word (.docx)',
    extensions: ['docx'],
  },
  xlsx: {
    kind: 'office',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel (.xlsx)',
    extensions: ['xlsx'],
  },
  pptx: {
    kind: 'office',
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    label: 'PowerPoint (.pptx)',
    extensions: ['pptx'],
  },
  doc: { kind: 'office', mime: 'application/msword', label: 'Word 97–2003 (.doc)', extensions: ['doc'] },
  xls: {
    kind: 'office',
    mime: 'application/vnd.ms-excel',
    label: 'Excel 97–2003 (.xls)',
    extensions: ['xls'],
  },
  ppt: {
    kind: 'office',
    mime: 'application/vnd.ms-powerpoint',
    label: 'PowerPoint 97–2003 (.ppt)',
    extensions: ['ppt'],
  },
} as const satisfies Record<string, FileType>;

/** Every accepted extension, for the client's file picker (`accept`). */
export const ACCEPTED_EXTENSIONS: readonly string[] = [
  ...new Set(Object.values(T).flatMap((t) => t.extensions)),
];

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** A compound (OLE) file says nothing about which Office program wrote it: the extension picks among these. */
const OLE_TYPES: Record<string, FileType> = { doc: T.doc, xls: T.xls, ppt: T.ppt };
const OLE_ANY: FileType = {
  kind: 'office',
  mime: 'application/x-ole-storage',
  label: 'Office 97–2003 (.doc/.xls/.ppt)',
  extensions: ['doc', 'xls', 'ppt'],
};

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'M4V ',
  'mp4v',
  'dash',
]);

const startsWith = (b: Buffer, sig: number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');

/** The extension of a file name, lower case without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? m[1].toLowerCase() : '';
}

/**
 * The names of a ZIP archive's entries, read from its central directory (the authoritative index a
 * reader uses; local headers can lie). Null when the bytes are not a well-formed ZIP.
 */
export function zipEntryNames(b: Buffer): string[] | null {
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the very end.
  const floor = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= floor; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  // ZIP64 markers: no Office document within our limits needs them.
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) return null;
  const names: string[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || b.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    if (p + 46 + nameLen > eocd) return null;
    names.push(b.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function ooxmlType(b: Buffer): FileType | null {
  const names = zipEntryNames(b);
  if (!names?.includes('[Content_Types].xml')) return null;
  const has = (prefix: string) => names.some((n) => n.startsWith(prefix));
  // Macro projects belong in .docm/.xlsm/.pptm, which we do not accept.
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return null;
  if (has('word/')) return T.docx;
  if (has('xl/')) return T.xlsx;
  if (has('ppt/')) return T.pptx;
  return null;
}

/**
 * The type of `bytes`, from the content alone; `ext` only chooses among the Office 97–2003 formats,
 * which share one container. Null: not a type we accept.
 */
export function detectType(b: Buffer, ext: string): FileType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return T.jpeg;
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return T.png;
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return T.webp;
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (HEIC_BRANDS.has(brand)) return T.heic;
    if (HEIF_BRANDS.has(brand)) return T.heif;
    if (brand === 'qt  ') return T.mov;
    if (MP4_BRANDS.has(brand)) return T.mp4;
    return null;
  }
  if (ascii(b, 0, 5) === '%PDF-') return T.pdf;
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return ooxmlType(b);
  if (b.length >= 512 && b.subarray(0, 8).equals(OLE_MAGIC)) return OLE_TYPES[ext] ?? OLE_ANY;
  return null;
}

/**
 * Decides what an upload is and refuses it with a clear 4xx unless: it is not empty, its content is a
 * type we accept, its name's extension fits that content, and it is within its kind's size limit.
 */
export function sniff(bytes: Buffer, filename: string): FileType {
  if (bytes.length === 0) throw fileError(400, 'FILE_EMPTY');
  const ext = extensionOf(filename);
  const type = detectType(bytes, ext);
  if (!type) throw fileError(415, 'FILE_TYPE_UNSUPPORTED');
  if (!ext) throw fileError(415, 'FILE_NAME_EXTENSION', { expected: `.${type.extensions[0]}` });
  if (!type.extensions.includes(ext)) throw fileError(415, 'FILE_TYPE_MISMATCH', { actual: type.label, ext });
  const limit = LIMITS[type.kind];
  if (bytes.length > limit) throw fileError(413, 'FILE_TOO_LARGE', { type: type.label, limit: limit / MB });
  return type;
}

type FileErrorCode = Extract<
  MessageCode,
  | 'FILE_EMPTY'
  | 'FILE_TYPE_UNSUPPORTED'
  | 'FILE_NAME_EXTENSION'
  | 'FILE_TYPE_MISMATCH'
  | 'FILE_TOO_LARGE'
  | 'UPLOAD_TOO_LARGE'
  | 'FILE_UNREADABLE'
>;

/** A refusal of the uploaded file: the reply's code and message say what is wrong, and field `file` repeats it. */
export function fileError(
  status: number,
  code: FileErrorCode,
  params: Record<string, unknown> = {},
): AppError {
  return new AppError(status, code, params, [{ field: 'file', code, params }]);
}
