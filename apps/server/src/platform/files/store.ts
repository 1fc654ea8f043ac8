import { createHash, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';

/**
 * Where file contents live, addressed by their SHA-256: a blob, once written, never changes, and the
 * same bytes are stored once however often they are uploaded. The local disk implementation below is
 * the default; an S3-compatible object store implements the same four calls (docs/operations.md).
 */
export interface BlobStore {
  /** Stores the bytes (unless already present) and returns their SHA-256 (hex); `sha256`: already computed by the caller. */
  put(bytes: Buffer, sha256?: string): Promise<string>;
  open(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  size(sha256: string): Promise<number>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The same, computed on the thread pool: a megabyte's hash costs the event loop nothing. */
export async function sha256Async(bytes: Buffer): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

/** Blobs under `<root>/<aa>/<bb>/<sha256>` (the first two byte pairs fan the files out over 65 536 directories). */
export class LocalBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 content address: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Hashed (unless `sha256` is given) and written durably by a writer thread (blob-writer-thread.mjs). */
  put(bytes: Buffer, sha256?: string): Promise<string> {
    if (sha256 !== undefined) this.pathOf(sha256);
    return blobWriters.write(this.root, bytes, sha256);
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }
}

// ---- the writer threads ----------------------------------------------------------------------------

/** Writer threads: blobs are written side by side while one waits for the disk. */
const WRITER_THREADS = 2;

interface WriteJob {
  resolve(sha256: string): void;
  reject(e: Error): void;
}

interface WriterThread {
  worker: Worker;
  /** Writes sent and not yet answered. */
  jobs: Map<number, WriteJob>;
}

type WriteReply =
  | { job: number; ok: true; sha256: string }
  | { job: number; ok: false; message: string; code?: string };

class BlobWriters {
  private threads: WriterThread[] = [];
  private next = 0;

  /** Writes `bytes` (a copy goes to the thread) under `root` unless they are there; their SHA-256. */
  write(root: string, bytes: Buffer, sha256: string | undefined): Promise<string> {
    const job = ++this.next;
    const thread = this.pick();
    return new Promise<string>((resolve, reject) => {
      thread.jobs.set(job, { resolve, reject });
      // a write under way keeps the process alive (a CLI command waiting for it)
      thread.worker.ref();
      // The bytes may be a view into a larger buffer (a multipart body): the thread gets a copy of just
      // them, moved to it rather than copied once more by postMessage.
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      thread.worker.postMessage({ job, root, sha256, bytes: copy }, [copy.buffer]);
    });
  }

  /** The least busy thread, or a new one while there are fewer than `WRITER_THREADS`. */
  private pick(): WriterThread {
    const idle = this.threads.find((t) => t.jobs.size === 0);
    if (idle) return idle;
    if (this.threads.length < WRITER_THREADS) return this.start();
    return this.threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private start(): WriterThread {
    const thread: WriterThread = {
      worker: new Worker(new URL('./blob-writer-thread.mjs', import.meta.url)),
      jobs: new Map(),
    };
    this.threads.push(thread);
    thread.worker.unref();
    thread.worker.on('message', (reply: WriteReply) => {
      const job = thread.jobs.get(reply.job);
      thread.jobs.delete(reply.job);
      if (thread.jobs.size === 0) thread.worker.unref();
      if (!job) return;
      if (reply.ok) job.resolve(reply.sha256);
      else job.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    const lost = (e: Error) => {
      this.threads = this.threads.filter((t) => t !== thread);
      for (const job of thread.jobs.values()) job.reject(e);
      thread.jobs.clear();
    };
    thread.worker.on('error', lost);
    thread.worker.on('exit', (code) => lost(new Error(`blob writer thread exited with code ${code}`)));
    return thread;
  }
}

const blobWriters = new BlobWriters();
