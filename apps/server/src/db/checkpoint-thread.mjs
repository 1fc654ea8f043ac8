// The SQLite checkpointer's worker thread (db/index.ts, `backgroundCheckpoint`). With WAL, every commit
// appends pages to the -wal file; a checkpoint copies them back into the database file and syncs it to
// disk. Left to the serving connection, that happens inside whichever commit pushes the WAL over its
// threshold, and the event loop waits for the disk (several milliseconds) while requests queue. Here a
// connection of its own runs a PASSIVE checkpoint (it never waits for readers or writers, and none waits
// for it) every 50 ms, so the WAL stays short and the serving thread never syncs. Short runs: a long one
// (seconds apart) makes the commits that coincide with its sync wait on the disk for longer.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData;
const db = new Database(file);
db.pragma('synchronous = NORMAL');

let stopped = false;
/** Runs one checkpoint: how many frames the WAL holds and how many are in the database file now. */
function checkpoint() {
  if (stopped) return null;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log: r.log, checkpointed: r.checkpointed };
  } catch {
    // SQLITE_BUSY from a concurrent checkpoint (another process), or a locked file: try again next time.
    return null;
  }
}
const timer = setInterval(checkpoint, intervalMs);

parentPort?.on('message', (msg) => {
  // Asked (tests, diagnostics): one run now, and its report.
  if (msg === 'now') parentPort?.postMessage(checkpoint() ?? { log: -1, checkpointed: -1 });
  if (msg === 'stop') {
    // The thread ends once nothing is left to run.
    stopped = true;
    clearInterval(timer);
    db.close();
    parentPort?.close();
  }
});
