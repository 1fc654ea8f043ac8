/** The few ZIP reading needs of .docx import: find an entry and inflate it. No ZIP64, no encryption. */
import { inflateRawSync } from 'node:zlib';
import { PlanSourceError } from './source-error.ts';

/** An uncompressed entry larger than this is refused (a .docx's document.xml is far smaller). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** Reads one entry of a ZIP archive; null when the archive has no entry of that name. */
export function readZipEntry(zip: Buffer, name: string): Buffer | null {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  if (p === 0xffffffff) throw new PlanSourceError('bad_docx', 'ZIP64 archives are not supported');
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50)
      throw new PlanSourceError('bad_docx', 'the ZIP central directory is damaged');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    if (size > MAX_ENTRY_BYTES) throw new PlanSourceError('bad_docx', `${name} is too large`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50)
      throw new PlanSourceError('bad_docx', `the ZIP entry ${name} is damaged`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    if (data.length !== compressed)
      throw new PlanSourceError('bad_docx', `the ZIP entry ${name} is truncated`);
    if (method === 0) return Buffer.from(data);
    if (method !== 8) throw new PlanSourceError('bad_docx', `unsupported ZIP compression method ${method}`);
    try {
      return inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES });
    } catch {
      throw new PlanSourceError('bad_docx', `the ZIP entry ${name} cannot be inflated`);
    }
  }
  return null;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let p = zip.length - 22; p >= lowest; p--) if (zip.readUInt32LE(p) === 0x06054b50) return p;
  throw new PlanSourceError('bad_docx', 'not a ZIP archive (no end of central directory)');
}
