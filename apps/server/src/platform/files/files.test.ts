import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  makeDocx,
  makeExeHeader,
  makeHeicHeader,
  makeJpeg,
  makeMp4Header,
  makeOleHeader,
  makePdf,
  makePng,
  makeWebp,
  makeZip,
} from '../../../../../tests/helpers/images.ts';
import { AppError } from '../http/errors.ts';
import { message } from '../http/messages.ts';
import { analyseImage, dhash, exifFacts, hamming, makeThumbnail, publicCopy } from './images.ts';
import { cleanName } from './service.ts';
import { detectType, LIMITS, sniff, zipEntryNames } from './sniff.ts';
import { LocalBlobStore, sha256Hex } from './store.ts';

/** The refusal `sniff` throws, as [status, code, English message]. */
function refusal(bytes: Buffer, name: string): [number, string, string] {
  try {
    sniff(bytes, name);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return [e.status, e.code, message(e.code, 'en-US', e.params)];
  }
  throw new Error(`${name} was accepted`);
}

const photo = { width: 400, height: 300, color: '#336699' };

describe('sniff: the type comes from the content', () => {
  it('accepts pictures, video, PDF and Office files whose extension fits', async () => {
    const cases: [Buffer, string, string][] = [
      [
        await makeJpeg({ ...photo, gps: { lat: 39.1, lng: 116.4 }, takenAt: '2026-03-01T10:20:30' }),
        'a.JPG',
        'image/jpeg',
      ],
      [await makeJpeg(photo), 'a.jpeg', 'image/jpeg'],
      [await makePng(photo), 'b.png', 'image/png'],
      [await makeWebp(photo), 'c.webp', 'image/webp'],
      [makeHeicHeader(), 'IMG_0001.HEIC', 'image/heic'],
      [makeMp4Header('isom'), 'v.mp4', 'video/mp4'],
      [makeMp4Header('qt  '), 'v.mov', 'video/quicktime'],
      [makePdf(), '通知.pdf', 'application/pdf'],
      [makeDocx(), 'report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [makeOleHeader(), 'old.doc', 'application/msword'],
      [makeOleHeader(), 'old.xls', 'application/vnd.ms-excel'],
      [makeOleHeader(), 'old.ppt', 'application/vnd.ms-powerpoint'],
    ];
    for (const [bytes, name, mime] of cases) expect(sniff(bytes, name).mime, name).toBe(mime);
  });

  it('recognises a workbook written by exceljs as .xlsx by its central directory', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['单位', '得分']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(zipEntryNames(xlsx)).toContain('[Content_Types].xml');
    expect(sniff(xlsx, '台账.xlsx').kind).toBe('office');
    expect(refusal(xlsx, '台账.docx')[1]).toBe('FILE_TYPE_MISMATCH');
  });

  it('refuses files that lie about their type', async () => {
    expect(refusal(Buffer.from('just some text, honestly a photo'), 'photo.jpg')).toEqual([
      415,
      'FILE_TYPE_UNSUPPORTED',
      expect.stringContaining('not accepted'),
    ]);
    expect(refusal(Buffer.from('<!doctype html><script>alert(1)</script>'), 'photo.jpg')[1]).toBe(
      'FILE_TYPE_UNSUPPORTED',
    );
    expect(refusal(makeExeHeader(), 'setup.jpg')[1]).toBe('FILE_TYPE_UNSUPPORTED');
    expect(refusal(makeZip({ 'readme.txt': 'hello' }), 'report.docx')[1]).toBe('FILE_TYPE_UNSUPPORTED');
    // OOXML names without the content types part are only a zip
    expect(refusal(makeZip({ 'word/document.xml': '<w:document/>' }), 'x.docx')[1]).toBe(
      'FILE_TYPE_UNSUPPORTED',
    );
    // a macro project makes it a .docm in disguise
    const docm = makeZip({
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': '<w/>',
      'word/vbaProject.bin': 'x',
    });
    expect(refusal(docm, 'x.docx')[1]).toBe('FILE_TYPE_UNSUPPORTED');
    expect(refusal(makeMp4Header('avif'), 'x.mp4')[1]).toBe('FILE_TYPE_UNSUPPORTED');
  });

  it('refuses an extension that does not fit the content, naming both', async () => {
    expect(refusal(makePdf(), 'photo.jpg')).toEqual([
      415,
      'FILE_TYPE_MISMATCH',
      'The file contains PDF, which does not match its extension .jpg',
    ]);
    expect(refusal(await makePng(photo), 'b.jpg')[1]).toBe('FILE_TYPE_MISMATCH');
    expect(refusal(makeDocx(), 'r.xlsx')[2]).toContain('Word (.docx)');
    expect(refusal(makeOleHeader(), 'installer.msi')[2]).toContain('.doc/.xls/.ppt');
    expect(refusal(makePdf(), 'no-extension')[1]).toBe('FILE_NAME_EXTENSION');
  });

  it('refuses empty files and files above their kind’s limit', () => {
    expect(refusal(Buffer.alloc(0), 'a.jpg')).toEqual([400, 'FILE_EMPTY', 'The file is empty']);
    const big = Buffer.alloc(LIMITS.image + 1);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(big);
    expect(refusal(big, 'big.jpg')).toEqual([
      413,
      'FILE_TOO_LARGE',
      'The file is too large: JPEG files may be at most 15 MB',
    ]);
    const pdf = Buffer.alloc(LIMITS.image + 1, 0x20);
    pdf.write('%PDF-1.4', 0, 'latin1');
    expect(sniff(pdf, 'big-but-fine.pdf').kind).toBe('pdf');
  });

  it('reads a truncated zip as no zip at all', () => {
    const docx = makeDocx();
    expect(zipEntryNames(docx.subarray(0, docx.length - 30))).toBeNull();
    expect(detectType(docx.subarray(0, 100), 'docx')).toBeNull();
  });

  it('keeps a clean file name', () => {
    expect(cleanName('C:\\Users\\x\\照片 1.jpg')).toBe('照片 1.jpg');
    expect(cleanName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(cleanName('a\u0001b\r\n.pdf')).toBe('ab.pdf');
    const long = cleanName(`${'长'.repeat(300)}.docx`);
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });
});

describe('images', () => {
  it('reads capture time and position (with hemisphere signs) from EXIF', async () => {
    const north = await makeJpeg({
      ...photo,
      gps: { lat: 39.1083, lng: 116.4 },
      takenAt: '2026-03-01T10:20:30',
    });
    const facts = exifFacts((await sharp(north).metadata()).exif);
    expect(facts.takenAt).toBe('2026-03-01T10:20:30');
    expect(facts.gps?.lat).toBeCloseTo(39.1083, 4);
    expect(facts.gps?.lng).toBeCloseTo(116.4, 4);
    const south = await makeJpeg({ ...photo, gps: { lat: -33.8568, lng: -70.6483 } });
    const s = exifFacts((await sharp(south).metadata()).exif);
    expect(s.gps?.lat).toBeCloseTo(-33.8568, 4);
    expect(s.gps?.lng).toBeCloseTo(-70.6483, 4);
    expect(s.takenAt).toBeNull();
    expect(exifFacts(undefined)).toEqual({ takenAt: null, gps: null });
    expect(exifFacts(Buffer.from('Exif\0\0garbage'))).toEqual({ takenAt: null, gps: null });
  });

  it('makes an upright thumbnail of at most 320 px without metadata', async () => {
    // stored 800×400 with orientation 6: the picture is 400 wide and 800 high
    const turned = await makeJpeg({
      width: 800,
      height: 400,
      color: 'white',
      orientation: 6,
      gps: { lat: 1, lng: 2 },
    });
    const facts = await analyseImage(turned);
    expect([facts.width, facts.height]).toEqual([400, 800]);
    const meta = await sharp(facts.thumb as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 160, 320]);
    expect(meta.exif).toBeUndefined();
    expect(facts.dhash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('dHash: the same picture re-encoded or resized is near, another picture is far', async () => {
    const a = await makeJpeg({ width: 640, height: 480, color: '#336699', pattern: 1 });
    const reencoded = await sharp(a).jpeg({ quality: 40 }).toBuffer();
    const resized = await sharp(a).resize(200).png().toBuffer();
    const other = await makeJpeg({ width: 640, height: 480, color: '#336699', pattern: 2 });
    const h = await dhash(a);
    expect(hamming(h, await dhash(reencoded))).toBeLessThanOrEqual(4);
    expect(hamming(h, await dhash(resized))).toBeLessThanOrEqual(4);
    expect(hamming(h, await dhash(other))).toBeGreaterThan(16);
    // as stored: from the thumbnail
    expect(hamming(h, await dhash(await makeThumbnail(a)))).toBeLessThanOrEqual(4);
  });

  it('hamming counts differing bits', () => {
    expect(hamming('0000000000000000', '0000000000000000')).toBe(0);
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => hamming('xyz', '0000000000000000')).toThrow();
  });

  it('the public copy is upright and carries no EXIF, GPS or other metadata', async () => {
    const original = await makeJpeg({
      width: 300,
      height: 200,
      color: '#993333',
      orientation: 6,
      gps: { lat: 39.1, lng: 116.4 },
      takenAt: '2026-03-01T10:20:30',
    });
    expect(exifFacts((await sharp(original).metadata()).exif).gps).not.toBeNull();
    for (const [bytes, mime] of [
      [original, 'image/jpeg'],
      [await makePng({ width: 300, height: 200, color: 'red', gps: { lat: 1, lng: 2 } }), 'image/png'],
      [await makeWebp({ width: 300, height: 200, color: 'red', gps: { lat: 1, lng: 2 } }), 'image/webp'],
    ] as const) {
      const copy = await publicCopy(bytes, mime);
      const meta = await sharp(copy).metadata();
      expect(meta.exif, mime).toBeUndefined();
      expect(meta.xmp, mime).toBeUndefined();
      expect(meta.orientation ?? 1, mime).toBe(1);
      expect(copy.includes(Buffer.from('Exif\0\0')), mime).toBe(false);
      expect(copy.includes(Buffer.from('Wenming test camera')), mime).toBe(false);
    }
    const upright = await sharp(await publicCopy(original, 'image/jpeg')).metadata();
    expect([upright.width, upright.height]).toEqual([200, 300]);
  });

  it('a HEIC this machine cannot decode is analysed as far as possible, without a crash', async () => {
    const facts = await analyseImage(makeHeicHeader(), true);
    expect(facts.thumb).toBeNull();
    expect(facts.dhash).toBeNull();
    await expect(analyseImage(makeHeicHeader())).rejects.toThrow();
  });

  it('refuses to decode what only starts like a JPEG', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a picture')]);
    expect(sniff(fake, 'x.jpg').mime).toBe('image/jpeg');
    await expect(analyseImage(fake)).rejects.toThrow();
  });
});

describe('LocalBlobStore', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'wenming-blobs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores content once under its SHA-256, read-only, with no temp files left', async () => {
    const store = new LocalBlobStore(root);
    const bytes = Buffer.from('evidence');
    const sha = await store.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(await store.put(Buffer.from('evidence'))).toBe(sha);
    const file = path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
    expect(store.pathOf(sha)).toBe(file);
    expect(readdirSync(path.dirname(file))).toEqual([sha]);
    expect(statSync(file).mode & 0o222).toBe(0);
    expect(await store.has(sha)).toBe(true);
    expect(await store.size(sha)).toBe(8);
    const chunks: Buffer[] = [];
    for await (const c of store.open(sha)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('evidence');
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(() => store.pathOf('../../etc/passwd')).toThrow();
  });

  it('writes many blobs at once through its writer threads, each whole, hashed there or as given', async () => {
    const store = new LocalBlobStore(root);
    const blobs = Array.from({ length: 12 }, (_, k) => Buffer.alloc(256 * 1024 + k, k + 1));
    const given = sha256Hex(blobs[0] as Buffer);
    const shas = await Promise.all(blobs.map((b, k) => (k === 0 ? store.put(b, given) : store.put(b))));
    expect(shas).toEqual(blobs.map((b) => sha256Hex(b)));
    for (const [k, sha] of shas.entries())
      expect(readFileSync(store.pathOf(sha)).equals(blobs[k] as Buffer)).toBe(true);
    expect(() => store.put(Buffer.from('x'), 'not-a-sha')).toThrow();
  });

  it('refuses a write it cannot make, with the file system’s error, and goes on writing', async () => {
    const blocked = path.join(root, 'not-a-directory');
    writeFileSync(blocked, 'a file where the store’s root should be');
    await expect(new LocalBlobStore(blocked).put(Buffer.from('lost'))).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
    expect(await new LocalBlobStore(root).put(Buffer.from('kept'))).toBe(sha256Hex(Buffer.from('kept')));
  });
});
