import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import type { AppContext } from '../context.ts';
import { writeTx } from '../tx.ts';
import type { AnalyseReply, AnalyseRequest } from './analyser-worker.ts';
import type { ImageFacts } from './images.ts';
import { blobStore } from './service.ts';
import type { BlobStore } from './store.ts';

/**
 * Deferred image analysis. `saveUpload(…, { analyse: 'later' })` stores a picture with
 * `files.analysis = 'pending'` and kicks this module; the thumbnail, dHash, EXIF capture time and
 * position, width and height are then computed in analyser processes and written back ('done'), or the
 * picture is marked 'failed' when it cannot be decoded. A scheduler job picks up whatever a stopped
 * server left pending. Several server processes on one PostgreSQL may analyse the same row twice;
 * the result is the same and the second update finds nothing pending.
 */

/** Pending rows taken per round: one read of the queue, one transaction for their results. */
export const ANALYSE_BATCH = 32;
/** Uploads arriving within this many milliseconds of each other are analysed in one round. */
const DEBOUNCE_MS = 20;
/** An analyser with nothing to do for this long is stopped (the next picture starts one again). */
const IDLE_MS = 30_000;

/** The niceness of the analyser processes: the lowest priority, so that requests go first. */
const ANALYSER_NICE = 19;

/** Analyser processes: the machine's cores minus the one that serves requests, at least one. */
export function analyserProcesses(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

// ---- the analyser processes -----------------------------------------------------------------------

interface Task {
  bytes: Buffer;
  decoderOptional: boolean;
  resolve(facts: ImageFacts): void;
  reject(err: Error): void;
}

interface Slot {
  child: ChildProcess;
  task: Task | null;
  idleTimer: NodeJS.Timeout | null;
}

const PROCESS_ENTRY = new URL('./analyser-process.mjs', import.meta.url);

/**
 * Pictures are decoded in child processes at the lowest CPU priority rather than in worker threads: a
 * burst of uploads then gets the cores first, and the backlog of pictures is worked off with what is
 * left (sharp's decoding runs on its process's libuv thread pool, which a worker thread shares with the
 * server's file writes and hashes, so only a process of its own can have a lower priority).
 */
class AnalyserPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private jobs = 0;

  constructor(private readonly size: number) {}

  run(bytes: Buffer, decoderOptional: boolean): Promise<ImageFacts> {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, decoderOptional, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.task === null);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.start();
      }
      this.assign(slot, this.queue.shift() as Task);
    }
  }

  private start(): Slot {
    // advanced serialization: the picture's bytes go over the channel as bytes, not as JSON
    const child = fork(PROCESS_ENTRY, [], { execArgv: [], serialization: 'advanced', stdio: 'inherit' });
    try {
      if (child.pid !== undefined) os.setPriority(child.pid, ANALYSER_NICE);
    } catch {
      // not permitted here: the analyser runs at the server's priority, as a thread did
    }
    const slot: Slot = { child, task: null, idleTimer: null };
    this.slots.add(slot);
    child.on('message', (reply: AnalyseReply) => {
      const task = slot.task;
      slot.task = null;
      this.idle(slot);
      if (task) {
        if (reply.ok) {
          task.resolve({
            width: reply.width,
            height: reply.height,
            takenAt: reply.takenAt,
            gps: reply.gps,
            dhash: reply.dhash,
            thumb: reply.thumb
              ? Buffer.from(reply.thumb.buffer, reply.thumb.byteOffset, reply.thumb.byteLength)
              : null,
          });
        } else {
          task.reject(new Error(reply.error));
        }
      }
      this.dispatch();
    });
    const lost = (err: Error) => {
      if (!this.slots.delete(slot)) return;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.task?.reject(err);
      slot.task = null;
      this.dispatch();
    };
    child.on('error', lost);
    child.on('exit', (code, signal) =>
      lost(new Error(`image analyser process exited with ${signal ?? `code ${code}`}`)),
    );
    return slot;
  }

  private assign(slot: Slot, task: Task): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.task = task;
    // A process at work keeps this one alive (a script awaiting analysisIdle); an idle one does not.
    slot.child.ref();
    slot.child.channel?.ref();
    const message: AnalyseRequest = {
      job: ++this.jobs,
      bytes: task.bytes,
      decoderOptional: task.decoderOptional,
    };
    slot.child.send(message);
  }

  private idle(slot: Slot): void {
    slot.child.unref();
    slot.child.channel?.unref();
    slot.idleTimer = setTimeout(() => {
      this.slots.delete(slot);
      slot.child.kill();
    }, IDLE_MS).unref();
  }
}

let pool: AnalyserPool | null = null;

/** Analyses one picture in an analyser process (same result as images.ts `analyseImage`). */
export function analyseInChild(bytes: Buffer, decoderOptional = false): Promise<ImageFacts> {
  pool ??= new AnalyserPool(analyserProcesses());
  return pool.run(bytes, decoderOptional);
}

// ---- the queue of pending rows ---------------------------------------------------------------------

interface CtxState {
  /** Serialises rounds in this process: the kicks' drain and the scheduler job never analyse side by side. */
  lock: Promise<unknown>;
  requested: boolean;
  draining: Promise<void> | null;
}
const states = new WeakMap<AppContext, CtxState>();

function stateOf(ctx: AppContext): CtxState {
  let s = states.get(ctx);
  if (!s) {
    s = { lock: Promise.resolve(), requested: false, draining: null };
    states.set(ctx, s);
  }
  return s;
}

async function readAll(store: BlobStore, sha: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of store.open(sha)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

type Outcome =
  | { sha256: string; status: 'done'; facts: ImageFacts; thumbSha: string | null }
  | { sha256: string; status: 'failed'; error: string };

async function analyseBlob(ctx: AppContext, sha256: string, mime: string): Promise<Outcome> {
  const store = blobStore(ctx);
  try {
    const bytes = await readAll(store, sha256);
    const facts = await analyseInChild(bytes, mime === 'image/heic' || mime === 'image/heif');
    const thumbSha = facts.thumb ? await store.put(facts.thumb) : null;
    return { sha256, status: 'done', facts, thumbSha };
  } catch (e) {
    return { sha256, status: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
}

async function analyseRound(ctx: AppContext, limit: number): Promise<{ done: number; failed: number }> {
  const rows = await ctx.database.db
    .selectFrom('files')
    .select(['id', 'sha256', 'mime'])
    .where('analysis', '=', 'pending')
    .orderBy('uploaded_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return { done: 0, failed: 0 };
  // The same bytes uploaded twice are analysed once; the update below covers every pending row holding them.
  const blobs = new Map<string, string>();
  for (const r of rows) blobs.set(r.sha256, r.mime);
  const outcomes = await Promise.all([...blobs].map(([sha, mime]) => analyseBlob(ctx, sha, mime)));
  return writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
    const ids = { done: [] as string[], failed: [] as string[] };
    for (const o of outcomes) {
      const changed = await tx.db
        .updateTable('files')
        .set(
          o.status === 'done'
            ? {
                analysis: 'done',
                width: o.facts.width,
                height: o.facts.height,
                taken_at: o.facts.takenAt,
                gps_lat: o.facts.gps?.lat ?? null,
                gps_lng: o.facts.gps?.lng ?? null,
                dhash: o.facts.dhash,
                thumb_sha256: o.thumbSha,
              }
            : { analysis: 'failed' },
        )
        .where('sha256', '=', o.sha256)
        .where('analysis', '=', 'pending')
        .returning('id')
        .execute();
      ids[o.status].push(...changed.map((c) => c.id));
    }
    for (const o of outcomes) {
      if (o.status === 'failed')
        ctx.channels.log.warn({ sha256: o.sha256, err: o.error }, 'image unreadable');
    }
    if (ids.done.length + ids.failed.length > 0) {
      await tx.audit({ action: 'file.analyse', entity: 'file', entityId: null, after: ids });
    }
    return { done: ids.done.length, failed: ids.failed.length };
  });
}

/**
 * Analyses up to `limit` pending pictures (oldest first) in the analyser processes and records the
 * results: 'done' with the facts, or 'failed' for a picture that cannot be decoded. Rounds in one
 * process run one after the other.
 */
export function analysePending(
  ctx: AppContext,
  opts: { limit?: number } = {},
): Promise<{ done: number; failed: number }> {
  const s = stateOf(ctx);
  const round = s.lock.then(() => analyseRound(ctx, opts.limit ?? ANALYSE_BATCH));
  s.lock = round.catch(() => undefined);
  return round;
}

/** Every pending picture, round after round (the scheduler job; also what a kick runs). */
export async function analyseAllPending(ctx: AppContext): Promise<{ done: number; failed: number }> {
  const total = { done: 0, failed: 0 };
  for (;;) {
    const r = await analysePending(ctx);
    total.done += r.done;
    total.failed += r.failed;
    if (r.done + r.failed === 0) return total;
  }
}

/**
 * Asks for the pending pictures to be analysed soon, without waiting: call it after a deferred upload
 * has committed. Kicks coalesce (a burst of uploads is one round); a failure is logged, and the
 * scheduler job retries.
 */
export function kickAnalysis(ctx: AppContext): void {
  const s = stateOf(ctx);
  s.requested = true;
  if (!s.draining) s.draining = drain(ctx, s);
}

async function drain(ctx: AppContext, s: CtxState): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, DEBOUNCE_MS));
  while (s.requested) {
    s.requested = false;
    try {
      await analyseAllPending(ctx);
    } catch (e) {
      ctx.channels.log.error({ err: e }, 'image analysis failed; the scheduled job will retry');
    }
  }
  s.draining = null;
}

/** Resolves when the kicked analysis has finished (tests and benchmarks await it). */
export async function analysisIdle(ctx: AppContext): Promise<void> {
  const s = stateOf(ctx);
  while (s.draining) await s.draining;
  await s.lock;
}
