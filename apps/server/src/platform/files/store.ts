import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

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

  async put(bytes: Buffer, sha256?: string): Promise<string> {
    const sha = sha256 ?? sha256Hex(bytes);
    const final = this.pathOf(sha);
    if (await this.has(sha)) return sha;
    const dir = path.dirname(final);
    await mkdir(dir, { recursive: true });
    // Write beside the final name, flush to disk, then rename into place: a reader sees the whole
    // blob or none of it. Two writers racing on the same content rename identical bytes.
    const tmp = path.join(dir, `.${sha}.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await open(tmp, 'wx', 0o444);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } catch (e) {
      await fh.close();
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await fh.close();
    if (await this.has(sha)) {
      await unlink(tmp);
      return sha;
    }
    await rename(tmp, final);
    // Make the rename itself durable (Windows cannot open a directory for this).
    if (process.platform !== 'win32') {
      const dh = await open(dir, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    }
    return sha;
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
