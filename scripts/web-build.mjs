// Builds the web app (`npm run build:web`) only when dist/web is missing or stale.
// Used by `npm test` (before the browser suite) and by `npm start`.
//
//   import { ensureWebBuilt } from './web-build.mjs';
//   await ensureWebBuilt({ log: console.log });   // -> { built: boolean, reason: string }

import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The sources the web bundle is built from; a change in any of them means a rebuild. */
const SOURCES = ['apps/web', 'packages/contracts'];
const OUTPUT = 'dist/web/index.html';
const SKIP_DIRS = new Set(['node_modules', 'dist', '.vite', 'coverage']);

/** Newest file mtime (ms) under dir, recursively, with the file's path; dir may be missing. */
function newestFile(dir) {
  let best = { mtime: 0, file: null };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return best; // missing dir
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      const sub = newestFile(p);
      if (sub.mtime > best.mtime) best = sub;
    } else if (e.isFile()) {
      const mtime = statSync(p).mtimeMs;
      if (mtime > best.mtime) best = { mtime, file: p };
    }
  }
  return best;
}

/** Why a rebuild is needed, or null when dist/web is up to date. */
export function webBuildReason() {
  let built;
  try {
    built = statSync(join(root, OUTPUT)).mtimeMs;
  } catch {
    return `${OUTPUT} is missing`;
  }
  for (const src of SOURCES) {
    const { mtime, file } = newestFile(join(root, src));
    if (mtime > built) return `${relative(root, file)} is newer than ${OUTPUT}`;
  }
  return null;
}

/**
 * Runs `npm run build:web` if needed. Rejects if the build fails.
 * @param {{ log?: (msg: string) => void, signal?: AbortSignal }} [options] signal aborts the build
 * @returns {Promise<{ built: boolean, reason: string }>}
 */
export async function ensureWebBuilt({ log = console.log, signal } = {}) {
  const reason = webBuildReason();
  if (!reason) {
    log(`web: ${OUTPUT} is up to date`);
    return { built: false, reason: 'up to date' };
  }
  log(`web: building (${reason})`);
  await new Promise((resolve, reject) => {
    // With a signal, the build leads its own process group so that aborting stops vite too,
    // not just npm. Without one it stays in ours and a terminal Ctrl-C reaches it directly.
    const child = spawn('npm', ['run', 'build:web'], {
      cwd: root,
      stdio: 'inherit',
      detached: Boolean(signal),
    });
    const onAbort = () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            signal?.aborted ? 'web build aborted' : `npm run build:web failed (${sig ?? `exit ${code}`})`,
          ),
        );
    });
  });
  return { built: true, reason };
}
