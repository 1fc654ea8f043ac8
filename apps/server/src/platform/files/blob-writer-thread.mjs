// The local blob store's writer threads (platform/files/store.ts). Writing a blob durably is a dozen file
// system calls (stat, mkdir, open, write, fsync, close, rename, and the directory's open, fsync, close);
// made one by one from the event loop, each costs it a promise and a round through the thread pool. Here
// they run as plain blocking calls, with the SHA-256 of the bytes when the caller does not have it yet,
// and the server's event loop pays for one message there and back.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch (e) {
    if (e.code === 'ENOENT') return false;
    throw e;
  }
}

/** Writes `bytes` to `file` unless it is there: beside it first, flushed to disk, then renamed into place. */
function put(file, bytes) {
  if (isFile(file)) return;
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  // A reader sees the whole blob or none of it; two writers racing on the same content rename identical bytes.
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o444);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  closeSync(fd);
  if (isFile(file)) {
    unlinkSync(tmp);
    return;
  }
  renameSync(tmp, file);
  // Make the rename itself durable (Windows cannot open a directory for this).
  if (process.platform !== 'win32') {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

/** Where a blob lives under the store's root (store.ts `pathOf`). */
const pathOf = (root, sha) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);

parentPort?.on('message', ({ job, root, sha256, bytes }) => {
  try {
    const sha = sha256 ?? createHash('sha256').update(bytes).digest('hex');
    put(pathOf(root, sha), bytes);
    parentPort?.postMessage({ job, ok: true, sha256: sha });
  } catch (e) {
    parentPort?.postMessage({ job, ok: false, message: e.message, code: e.code });
  }
});
