import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { SYSTEM_ACTOR } from '../../apps/server/src/platform/audit/audit.ts';
import { exifFacts } from '../../apps/server/src/platform/files/images.ts';
import {
  filesOf,
  findSimilarImages,
  linkFiles,
  registerRecordAccess,
  UPLOADS_PER_HOUR,
} from '../../apps/server/src/platform/files/service.ts';
import { AppError } from '../../apps/server/src/platform/http/errors.ts';
import { writeTx } from '../../apps/server/src/platform/tx.ts';
import { auditCount, Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';
import {
  makeDocx,
  makeExeHeader,
  makeHeicHeader,
  makeJpeg,
  makeMp4Header,
  makePdf,
  makePng,
} from '../helpers/images.ts';

let t: TestApp;
let liaison: Client;
let admin: Client;
let volunteer: Client;

/** Records of a type only this test knows: office_admin may read them all, anyone may read "open-*" ones. */
const RECORD = 'test_evidence';
const PUBLIC_RECORD = 'board-1';
registerRecordAccess(RECORD, {
  canRead: async (_ctx, user, id) => user.username === 'office_admin' || id.startsWith('open-'),
  isPublic: async (_ctx, id) => id === PUBLIC_RECORD,
});

beforeAll(async () => {
  t = await makeTestApp();
  liaison = await signedIn(t.app, 'liaison');
  admin = await signedIn(t.app, 'office_admin');
  volunteer = await signedIn(t.app, 'volunteer');
});
afterAll(async () => {
  await t?.close();
});

function multipart(filename: string, bytes: Buffer, field = 'file') {
  const boundary = `----wenming${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(client: Client, filename: string, bytes: Buffer, lang?: string) {
  const m = multipart(filename, bytes);
  return client.request('POST', '/api/files', m.payload, {
    ...m.headers,
    ...(lang ? { 'accept-language': lang } : {}),
  });
}

async function fileRows(): Promise<number> {
  const r = await t.ctx.database.db
    .selectFrom('files')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Every blob on disk under <dataDir>/files. */
function blobs(): string[] {
  const root = path.join(t.db.dataDir, 'files');
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

async function link(fileId: string, recordId: string, userId: string) {
  await writeTx(t.ctx, SYSTEM_ACTOR, (tx) => linkFiles(tx, [fileId], { type: RECORD, id: recordId }, userId));
}

const userId = async (username: string) =>
  (
    await t.ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
  ).id;

describe(`evidence store on ${ENGINE}`, () => {
  it('stores a photo with its capture time, position, size, thumbnail and hash', async () => {
    const bytes = await makeJpeg({
      width: 640,
      height: 480,
      color: '#336699',
      gps: { lat: 39.1083, lng: 116.4 },
      takenAt: '2026-03-01T10:20:30',
    });
    const before = await auditCount(t);
    const res = await upload(liaison, '现场照片.jpg', bytes);
    expect(res.statusCode).toBe(201);
    const meta = res.json();
    expect(meta).toMatchObject({
      name: '现场照片.jpg',
      mime: 'image/jpeg',
      kind: 'image',
      size: bytes.length,
      width: 640,
      height: 480,
      takenAt: '2026-03-01T10:20:30',
      hasThumb: true,
      uploadedAt: t.clock.now().toISOString(),
      uploadedBy: await userId('liaison'),
    });
    expect(meta.gps.lat).toBeCloseTo(39.1083, 4);
    expect(meta.gps.lng).toBeCloseTo(116.4, 4);
    expect(await auditCount(t)).toBe(before + 1);
    const row = await t.ctx.database.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', meta.id)
      .executeTakeFirstOrThrow();
    expect(row.dhash).toMatch(/^[0-9a-f]{16}$/);

    expect((await liaison.get(`/api/files/${meta.id}`)).json()).toEqual(meta);

    const content = await liaison.get(`/api/files/${meta.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(bytes)).toBe(true);
    expect(content.headers['content-type']).toBe('image/jpeg');
    expect(content.headers['x-content-type-options']).toBe('nosniff');
    expect(content.headers['content-disposition']).toContain(
      `inline; filename="____.jpg"; filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`,
    );
    expect(content.headers.etag).toBe(`"${meta.sha256}"`);
    const again = await liaison.request('GET', `/api/files/${meta.id}/content`, undefined, {
      'if-none-match': `"${meta.sha256}"`,
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    const thumb = await liaison.get(`/api/files/${meta.id}/thumb`);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const tm = await sharp(thumb.rawPayload).metadata();
    expect([tm.width, tm.height]).toEqual([320, 240]);
  });

  it('serves documents as downloads', async () => {
    const res = await upload(liaison, '整改报告 (终稿).pdf', makePdf());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'pdf', hasThumb: false, width: null, takenAt: null, gps: null });
    const content = await liaison.get(`/api/files/${res.json().id}/content`);
    expect(content.headers['content-type']).toBe('application/pdf');
    expect(content.headers['content-disposition']).toBe(
      `attachment; filename="____ (__).pdf"; filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A%20%28%E7%BB%88%E7%A8%BF%29.pdf`,
    );
    expect((await liaison.get(`/api/files/${res.json().id}/thumb`)).statusCode).toBe(404);
    const docx = await upload(liaison, 'plan.docx', makeDocx());
    expect(docx.json()).toMatchObject({ kind: 'office', name: 'plan.docx' });
  });

  it('stores the same bytes once: two rows, one blob', async () => {
    const bytes = await makePng({ width: 200, height: 100, color: '#aa3300', pattern: 9 });
    const blobsBefore = blobs().length;
    const a = (await upload(liaison, 'a.png', bytes)).json();
    const afterFirst = blobs().length;
    expect(afterFirst).toBe(blobsBefore + 2); // the picture and its thumbnail
    const b = (await upload(admin, 'b.png', bytes)).json();
    expect(b.id).not.toBe(a.id);
    expect(b.sha256).toBe(a.sha256);
    expect(b.hasThumb).toBe(true);
    expect(blobs().length).toBe(afterFirst);
    expect(blobs().filter((n) => n === a.sha256)).toHaveLength(1);
  });

  it('a HEIC it cannot decode is kept without thumbnail or hash', async () => {
    const res = await upload(liaison, 'IMG_0001.HEIC', makeHeicHeader());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'image', mime: 'image/heic', hasThumb: false, width: null });
    expect((await liaison.get(`/api/files/${res.json().id}/thumb`)).statusCode).toBe(404);
  });

  it('refuses lies, empty and oversized files with a clear 4xx and stores nothing', async () => {
    const big = Buffer.alloc(15 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const cases: [string, Buffer, number, string][] = [
      ['photo.jpg', Buffer.from('<html><script>alert(1)</script></html>'), 415, 'FILE_TYPE_UNSUPPORTED'],
      ['photo.jpg', makeExeHeader(), 415, 'FILE_TYPE_UNSUPPORTED'],
      ['photo.jpg', makePdf(), 415, 'FILE_TYPE_MISMATCH'],
      [
        'photo.jpg',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]),
        415,
        'FILE_UNREADABLE',
      ],
      ['empty.pdf', Buffer.alloc(0), 400, 'FILE_EMPTY'],
      ['big.jpg', big, 413, 'FILE_TOO_LARGE'],
      ['clip', makeMp4Header(), 415, 'FILE_NAME_EXTENSION'],
    ];
    const [rows, stored, audits] = [await fileRows(), blobs().length, await auditCount(t)];
    for (const [name, bytes, status, code] of cases) {
      const res = await upload(liaison, name, bytes, 'en-US');
      expect(res.statusCode, name).toBe(status);
      expect(res.json().error.code, name).toBe(code);
      expect(res.json().error.fields[0].field).toBe('file');
    }
    const zh = await upload(liaison, 'photo.jpg', makePdf(), 'zh-CN');
    expect(zh.json().error.message).toBe('文件内容是 PDF，与扩展名 .jpg 不符');
    const en = await upload(liaison, 'photo.jpg', makePdf(), 'en-US');
    expect(en.json().error.message).toBe('The file contains PDF, which does not match its extension .jpg');

    expect((await liaison.post('/api/files', { name: 'x.jpg' })).statusCode).toBe(415);
    const noFile = await liaison.request('POST', '/api/files', ...multipartWithoutFile());
    expect(noFile.statusCode).toBe(400);
    const broken = await liaison.request('POST', '/api/files', Buffer.from('--x\r\nnonsense'), {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);

    expect([await fileRows(), blobs().length, await auditCount(t)]).toEqual([rows, stored, audits]);
  });

  it('answers 404 to others until the file is attached to a record they may read', async () => {
    const mine = (
      await upload(liaison, 'mine.jpg', await makeJpeg({ width: 64, height: 64, color: 'teal' }))
    ).json();
    const urls = [`/api/files/${mine.id}`, `/api/files/${mine.id}/content`, `/api/files/${mine.id}/thumb`];
    for (const c of [admin, volunteer])
      for (const u of urls) expect((await c.get(u)).statusCode, u).toBe(404);
    const unknown = await admin.get(`/api/files/${uuidv7()}`);
    expect(unknown.json().error.code).toBe('NOT_FOUND');

    const liaisonId = await userId('liaison');
    await link(mine.id, 'closed-1', liaisonId);
    for (const u of urls) expect((await admin.get(u)).statusCode, u).toBe(200);
    for (const u of urls) expect((await volunteer.get(u)).statusCode, u).toBe(404);
    await link(mine.id, 'open-1', liaisonId);
    expect((await volunteer.get(urls[1])).statusCode).toBe(200);
    expect((await filesOf(t.ctx.database.db, RECORD, 'open-1')).map((f) => f.id)).toEqual([mine.id]);
    const linked = await t.ctx.database.db
      .selectFrom('file_links')
      .selectAll()
      .where('record_id', '=', 'open-1')
      .executeTakeFirstOrThrow();
    expect(linked).toMatchObject({ file_id: mine.id, record_type: RECORD, linked_by: liaisonId });
    expect(linked.linked_at).toBe(t.clock.now().toISOString());

    // a record type nobody registered grants nothing
    const other = (await upload(liaison, 'other.pdf', makePdf('other'))).json();
    await writeTx(t.ctx, SYSTEM_ACTOR, (tx) =>
      linkFiles(tx, [other.id], { type: 'unregistered', id: 'x' }, liaisonId),
    );
    expect((await admin.get(`/api/files/${other.id}`)).statusCode).toBe(404);
  });

  it('links only files the user uploaded, all or none', async () => {
    const mine = (await upload(liaison, 'l.pdf', makePdf('l'))).json();
    const theirs = (await upload(admin, 'a.pdf', makePdf('a'))).json();
    const attempt = writeTx(t.ctx, SYSTEM_ACTOR, (tx) =>
      linkFiles(tx, [mine.id, theirs.id], { type: RECORD, id: 'r-all-or-none' }, mine.uploadedBy),
    );
    await expect(attempt).rejects.toMatchObject({ status: 400, fields: [{ field: 'attachments' }] });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    expect(await filesOf(t.ctx.database.db, RECORD, 'r-all-or-none')).toEqual([]);
    await expect(
      writeTx(t.ctx, SYSTEM_ACTOR, (tx) =>
        linkFiles(tx, [uuidv7()], { type: RECORD, id: 'r' }, mine.uploadedBy),
      ),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('shows public records’ pictures to anyone, without EXIF', async () => {
    const bytes = await makeJpeg({
      width: 300,
      height: 200,
      color: '#225522',
      orientation: 6,
      gps: { lat: 39.1, lng: 116.4 },
      takenAt: '2026-03-01T08:00:00',
    });
    const f = (await upload(liaison, 'board.jpg', bytes)).json();
    const anonymous = new Client(t.app);
    expect((await anonymous.get(`/api/public/files/${f.id}`)).statusCode).toBe(404);
    expect((await anonymous.get(`/api/files/${f.id}/content`)).statusCode).toBe(401);
    await link(f.id, PUBLIC_RECORD, f.uploadedBy);

    const res = await anonymous.get(`/api/public/files/${f.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-disposition']).toContain(`${f.id}.jpg`);
    expect(res.headers['content-disposition']).not.toContain('board');
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(exifFacts(meta.exif)).toEqual({ takenAt: null, gps: null });
    expect([meta.width, meta.height]).toEqual([200, 300]);
    expect(res.rawPayload.includes(Buffer.from('Exif\0\0'))).toBe(false);

    const row = await t.ctx.database.db
      .selectFrom('files')
      .select('public_sha256')
      .where('id', '=', f.id)
      .executeTakeFirstOrThrow();
    expect(res.headers.etag).toBe(`"${row.public_sha256}"`);
    const cached = await anonymous.request('GET', `/api/public/files/${f.id}`, undefined, {
      'if-none-match': res.headers.etag as string,
    });
    expect(cached.statusCode).toBe(304);

    // metadata we cannot strip stays private even on a public record
    const video = (await upload(liaison, 'clip.mp4', makeMp4Header())).json();
    await link(video.id, PUBLIC_RECORD, f.uploadedBy);
    expect((await anonymous.get(`/api/public/files/${video.id}`)).statusCode).toBe(404);
  });

  it('finds near-duplicate pictures by dHash', async () => {
    const a = await makeJpeg({ width: 480, height: 360, color: '#777700', pattern: 21 });
    const fa = (await upload(liaison, 'a.jpg', a)).json();
    const smaller = await sharp(a).resize(240).jpeg({ quality: 50 }).toBuffer();
    const fb = (await upload(volunteer, 'b.jpg', smaller)).json();
    const fc = (
      await upload(
        liaison,
        'c.jpg',
        await makeJpeg({ width: 480, height: 360, color: '#777700', pattern: 22 }),
      )
    ).json();
    const similar = await findSimilarImages(t.ctx, fa.id);
    expect(similar.map((s) => s.file.id)).toContain(fb.id);
    expect(similar.map((s) => s.file.id)).not.toContain(fc.id);
    expect(similar[0]).toMatchObject({ file: { id: fb.id, uploadedBy: fb.uploadedBy } });
    expect(await findSimilarImages(t.ctx, fa.id, 0)).toEqual([]);
  });

  it('lists the caller’s own uploads, newest first, paged', async () => {
    const page = (await volunteer.get('/api/files/mine?pageSize=1')).json();
    expect(page.total).toBe(1);
    expect(page.items).toHaveLength(1);
    const all = (await liaison.get('/api/files/mine?pageSize=200')).json();
    expect(all.items.every((f: { uploadedBy: string }) => f.uploadedBy === all.items[0].uploadedBy)).toBe(
      true,
    );
    expect(all.total).toBe(all.items.length);
    expect((await liaison.get('/api/files/mine?pageSize=1000')).statusCode).toBe(400);
  });

  it(`limits each user to ${UPLOADS_PER_HOUR} uploads an hour`, async () => {
    const expert = await signedIn(t.app, 'expert');
    const id = await userId('expert');
    const now = t.clock.now().getTime();
    // earlier uploads this hour, the oldest 40 minutes ago
    await t.ctx.database.db
      .insertInto('files')
      .values(
        Array.from({ length: UPLOADS_PER_HOUR - 1 }, (_, i) => ({
          id: uuidv7(),
          sha256: '0'.repeat(64),
          size: 1,
          mime: 'application/pdf',
          kind: 'pdf',
          original_name: `old-${i}.pdf`,
          analysis: 'done',
          uploaded_by: id,
          uploaded_at: new Date(now - 40 * 60_000 + i * 1000).toISOString(),
        })),
      )
      .execute();
    expect((await upload(expert, 'last.pdf', makePdf('last'))).statusCode).toBe(201);
    const refused = await upload(expert, 'one-too-many.pdf', makePdf('more'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBe(String(20 * 60));
    expect((await upload(liaison, 'others-unaffected.pdf', makePdf('others'))).statusCode).toBe(201);
    t.clock.advance(20 * 60_000 + 1000);
    expect((await upload(expert, 'later.pdf', makePdf('later'))).statusCode).toBe(201);
  });
});

function multipartWithoutFile(): [Buffer, Record<string, string>] {
  const boundary = 'nofile';
  return [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    ),
    { 'content-type': `multipart/form-data; boundary=${boundary}` },
  ];
}
