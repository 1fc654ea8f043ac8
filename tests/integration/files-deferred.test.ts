import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOBS } from '../../apps/server/src/jobs.ts';
import type { Actor } from '../../apps/server/src/platform/audit/audit.ts';
import {
  analysePending,
  analyserProcesses,
  analysisIdle,
} from '../../apps/server/src/platform/files/analyser.ts';
import * as images from '../../apps/server/src/platform/files/images.ts';
import { blobStore, findSimilarImages, saveUpload } from '../../apps/server/src/platform/files/service.ts';
import { sha256Hex } from '../../apps/server/src/platform/files/store.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import { Scheduler } from '../../apps/server/src/platform/scheduler/scheduler.ts';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { makeJpeg, makePng } from '../helpers/images.ts';

// The main thread's analyseImage, watched: deferred uploads must never call it (the worker threads
// load their own copy of images.ts, which this mock does not reach).
vi.mock('../../apps/server/src/platform/files/images.ts', async (importOriginal) => {
  const real = await importOriginal<typeof images>();
  return { ...real, analyseImage: vi.fn(real.analyseImage) };
});
const mainThreadAnalyses = vi.mocked(images.analyseImage);

let t: TestApp;
let liaison: Client;
let actor: Actor;

beforeAll(async () => {
  t = await makeTestApp();
  liaison = await signedIn(t.app, 'liaison');
  const user = await t.ctx.database.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', 'liaison')
    .executeTakeFirstOrThrow();
  actor = { id: user.id, name: user.username, ip: null };
});
afterAll(async () => {
  await analysisIdle(t.ctx);
  await t?.close();
});

const row = (id: string) =>
  t.ctx.database.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A JPEG that passes the magic-byte check but cannot be decoded. */
const CORRUPT_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]);

describe('deferred image analysis', () => {
  it('uses the cores minus one for its threads, at least one', () => {
    expect(analyserProcesses()).toBeGreaterThanOrEqual(1);
  });

  it('stores the picture pending, without decoding it on the request path, then records the same facts as the synchronous path', async () => {
    const bytes = await makeJpeg({
      width: 640,
      height: 480,
      color: '#884422',
      pattern: 7,
      gps: { lat: 39.1, lng: 116.4 },
      takenAt: '2026-03-01T10:20:30',
    });
    mainThreadAnalyses.mockClear();
    const meta = await saveUpload(t.ctx, actor, { filename: 'scene.jpg', bytes }, { analyse: 'later' });
    expect(meta).toMatchObject({
      kind: 'image',
      analysis: 'pending',
      width: null,
      height: null,
      takenAt: null,
      gps: null,
      hasThumb: false,
    });

    await analysisIdle(t.ctx);
    expect(mainThreadAnalyses).not.toHaveBeenCalled();
    const expected = await images.analyseImage(bytes);
    const done = await row(meta.id);
    expect(done).toMatchObject({
      analysis: 'done',
      width: expected.width,
      height: expected.height,
      taken_at: expected.takenAt,
      dhash: expected.dhash,
      thumb_sha256: sha256Hex(expected.thumb as Buffer),
    });
    expect(Number(done.gps_lat)).toBeCloseTo(39.1, 6);
    expect(Number(done.gps_lng)).toBeCloseTo(116.4, 6);
    expect(await blobStore(t.ctx).has(done.thumb_sha256 as string)).toBe(true);

    const res = await liaison.get(`/api/files/${meta.id}`);
    expect(res.json()).toMatchObject({ analysis: 'done', width: 640, height: 480, hasThumb: true });
    const thumb = await liaison.get(`/api/files/${meta.id}/thumb`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
  });

  it('reuses the facts of the same bytes analysed before, at once', async () => {
    const bytes = await makePng({ width: 300, height: 200, color: '#225588', pattern: 3 });
    const first = await saveUpload(t.ctx, actor, { filename: 'a.png', bytes }, { analyse: 'later' });
    await analysisIdle(t.ctx);
    mainThreadAnalyses.mockClear();
    const again = await saveUpload(t.ctx, actor, { filename: 'b.png', bytes }, { analyse: 'later' });
    expect(again).toMatchObject({ analysis: 'done', width: 300, height: 200, hasThumb: true });
    const [a, b] = [await row(first.id), await row(again.id)];
    expect(b.dhash).toBe(a.dhash);
    expect(b.thumb_sha256).toBe(a.thumb_sha256);
    // Near duplicates see each other once both are analysed.
    expect((await findSimilarImages(t.ctx, again.id)).map((s) => s.file.id)).toContain(first.id);
    expect(mainThreadAnalyses).not.toHaveBeenCalled();
  });

  it('analyses a synchronous upload itself when its twin is still pending (no empty facts copied)', async () => {
    const bytes = await makeJpeg({ width: 200, height: 100, color: '#117733', pattern: 11 });
    const store = blobStore(t.ctx);
    await store.put(bytes);
    const pendingId = await insertPending(bytes, 'p.jpg', 'image/jpeg');
    mainThreadAnalyses.mockClear();
    const meta = await saveUpload(t.ctx, actor, { filename: 'now.jpg', bytes });
    expect(mainThreadAnalyses).toHaveBeenCalledTimes(1);
    expect(meta).toMatchObject({ analysis: 'done', width: 200, height: 100, hasThumb: true });
    expect((await row(pendingId)).analysis).toBe('pending');
    expect(await findSimilarImages(t.ctx, pendingId)).toEqual([]);
    await analysePending(t.ctx, { limit: 100 });
    expect((await row(pendingId)).dhash).toBe((await row(meta.id)).dhash);
  });

  it('marks an undecodable picture failed: not refused, but never served as a picture', async () => {
    const meta = await saveUpload(
      t.ctx,
      actor,
      { filename: 'broken.jpg', bytes: CORRUPT_JPEG },
      { analyse: 'later' },
    );
    expect(meta.analysis).toBe('pending');
    await analysisIdle(t.ctx);
    const failed = await row(meta.id);
    expect(failed).toMatchObject({ analysis: 'failed', width: null, dhash: null, thumb_sha256: null });
    expect((await liaison.get(`/api/files/${meta.id}`)).json().analysis).toBe('failed');
    expect((await liaison.get(`/api/files/${meta.id}/thumb`)).statusCode).toBe(404);
    const content = await liaison.get(`/api/files/${meta.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('application/octet-stream');
    expect(content.headers['content-disposition']).toMatch(/^attachment;/);
    // The same bytes again: failed at once, no second attempt.
    const again = await saveUpload(
      t.ctx,
      actor,
      { filename: 'b.jpg', bytes: CORRUPT_JPEG },
      { analyse: 'later' },
    );
    expect(again.analysis).toBe('failed');
    // The synchronous path still refuses it.
    await expect(saveUpload(t.ctx, actor, { filename: 'c.jpg', bytes: CORRUPT_JPEG })).rejects.toMatchObject({
      status: 415,
      code: 'FILE_UNREADABLE',
    });
  });

  it('answers 409 FILE_NOT_READY for the thumbnail of a picture still pending', async () => {
    const bytes = await makeJpeg({ width: 120, height: 90, color: '#aa3355', pattern: 5 });
    await blobStore(t.ctx).put(bytes);
    const id = await insertPending(bytes, 'wait.jpg', 'image/jpeg');
    liaison.lang = 'en-US';
    const res = await liaison.get(`/api/files/${id}/thumb`);
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json().error).toMatchObject({
      code: 'FILE_NOT_READY',
      message: 'The picture is still being processed; try again shortly',
    });
    expect((await liaison.get(`/api/files/${id}`)).json()).toMatchObject({
      analysis: 'pending',
      hasThumb: false,
    });
    await analysePending(t.ctx, { limit: 100 });
    expect((await liaison.get(`/api/files/${id}/thumb`)).statusCode).toBe(200);
  });

  it('leaves other kinds done at once', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const meta = await saveUpload(t.ctx, actor, { filename: 'n.pdf', bytes: pdf }, { analyse: 'later' });
    expect(meta.analysis).toBe('done');
  });

  it('resumes pictures a stopped server left pending through the scheduler job', async () => {
    const bytes = await makeJpeg({ width: 160, height: 120, color: '#3355aa', pattern: 9 });
    await blobStore(t.ctx).put(bytes);
    const id = await insertPending(bytes, 'left.jpg', 'image/jpeg');
    const job = JOBS.find((j) => j.name === 'files.analyse');
    expect(job).toBeDefined();
    const scheduler = new Scheduler(
      t.ctx,
      JOBS.filter((j) => j === job),
      createLogger('silent'),
    );
    await scheduler.register();
    const [outcome] = await scheduler.tick();
    expect(outcome).toMatchObject({ job: 'files.analyse', status: 'ok' });
    expect(outcome.details.done).toBeGreaterThanOrEqual(1);
    expect(await row(id)).toMatchObject({ analysis: 'done', width: 160, height: 120 });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'file.analyse')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.after_json).toContain(id);
  });
});

/** A row as a server that stopped before analysing would have left it (no kick). */
async function insertPending(bytes: Buffer, name: string, mime: string): Promise<string> {
  const id = `00000000-0000-7000-8000-${sha256Hex(Buffer.from(name)).slice(0, 12)}`;
  await t.ctx.database.db
    .insertInto('files')
    .values({
      id,
      sha256: sha256Hex(bytes),
      size: bytes.length,
      mime,
      kind: 'image',
      original_name: name,
      uploaded_by: actor.id,
      uploaded_at: t.clock.now().toISOString(),
      analysis: 'pending',
      width: null,
      height: null,
      taken_at: null,
      gps_lat: null,
      gps_lng: null,
      dhash: null,
      thumb_sha256: null,
      public_sha256: null,
    })
    .execute();
  return id;
}
