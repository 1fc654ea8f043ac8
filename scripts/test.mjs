// `npm test`: the whole suite, in stages. See docs/testing.md.
//
//   1. typecheck   tsc -p tsconfig.json --noEmit
//   2. lint        biome check .
//   3. unit        vitest (vitest.config.ts) on SQLite                 WENMING_TEST_DB=sqlite
//   4. pg          vitest on PostgreSQL (apps, tests/integration)       WENMING_TEST_DB=postgres
//                  WENMING_TEST_DATABASE_URL if set, else a throwaway cluster (scripts/pg-cluster.mjs)
//   5. e2e         vitest (vitest.e2e.config.ts) with /usr/bin/chromium, after building the web app if stale
//
// WENMING_TEST_ONLY=unit|pg|e2e|typecheck|lint (comma-separated) runs only those stages.
// Extra arguments are passed to every vitest run as filters: `npm test -- apps/server/src/foo`.
// With CI=true a skipped suite is a failure. All stages run even if one fails; the exit code is
// non-zero if any failed. The last line is always `N passed, N failed[, N skipped]`.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPgBin, startThrowawayPostgres } from './pg-cluster.mjs';
import { ensureWebBuilt } from './web-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const CHROMIUM = '/usr/bin/chromium';
const CI = process.env.CI === 'true' || process.env.CI === '1';
const filters = process.argv.slice(2);

// ---- which stages --------------------------------------------------------------------------

const STAGES = ['typecheck', 'lint', 'unit', 'pg', 'e2e'];
const only = (process.env.WENMING_TEST_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = only.filter((s) => !STAGES.includes(s));
if (unknown.length) {
  console.error(`WENMING_TEST_ONLY: unknown stage(s) ${unknown.join(', ')}; use ${STAGES.join('|')}`);
  process.exit(2);
}
const selected = (stage) => only.length === 0 || only.includes(stage);

// ---- state shared with the signal handlers -------------------------------------------------

let current = null; // the running child process (leader of its own process group), if any
let interrupted = null; // the signal that interrupted us, if any
let pg = null; // the throwaway cluster, if we started one
const abort = new AbortController();
const workDir = mkdtempSync(join(tmpdir(), 'wenming-test-run-'));

function onSignal(signal) {
  if (interrupted) {
    // Second Ctrl-C: stop waiting for children politely. The cluster is still stopped below.
    killGroup(current, 'SIGKILL');
    return;
  }
  interrupted = signal;
  console.error(`\n${signal}: stopping the current stage and cleaning up…`);
  killGroup(current, signal);
  abort.abort();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// ---- helpers -------------------------------------------------------------------------------

const results = []; // { stage, title, status: 'passed'|'failed'|'skipped'|'interrupted', note, ms }
const totals = { passed: 0, failed: 0, skipped: 0 };

function header(n, title) {
  const line = `==== [${n}/${STAGES.length}] ${title} `;
  console.log(`\n${line.padEnd(100, '=')}`);
}

/** Signals a child's whole process group (vitest's workers, the browsers they start, …). */
function killGroup(child, signal) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {} // already gone
}

/**
 * Runs a command with inherited stdout/stderr; resolves with its exit code (non-zero on signal).
 * The child leads its own process group (detached), so that on Ctrl-C/SIGTERM we can stop it
 * together with everything it started, and so nothing it leaves behind outlives the stage.
 */
function runCmd(cmd, args, env = {}) {
  if (interrupted) return Promise.resolve(1);
  console.log(`$ ${[cmd.startsWith(root) ? cmd.slice(root.length + 1) : cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
      detached: true,
    });
    current = child;
    child.on('error', (err) => {
      console.error(`cannot run ${cmd}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      current = null;
      killGroup(child, 'SIGKILL'); // stragglers, e.g. workers orphaned by an interrupted vitest
      resolve(signal ? 1 : code);
    });
  });
}

/**
 * Runs vitest once and adds its counts to the totals. A test file that fails without a failing
 * test (syntax error, failing import or hook) counts as one failed test, so that the last line
 * never reads "0 failed" for a red run. Resolves with the stage result.
 */
async function vitest(name, config, paths, env) {
  const outputFile = join(workDir, `${name}.json`);
  const args = [
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${outputFile}`,
  ];
  // Outside CI an empty suite is fine (early days); in CI it means tests went missing.
  if (!CI) args.push('--passWithNoTests');
  const code = await runCmd(bin('vitest'), [...args, ...paths], env);
  let report;
  try {
    report = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    if (!interrupted) console.error(`(no JSON report from the ${name} run: vitest did not finish)`);
    return { status: code === 0 ? 'passed' : 'failed', note: 'no report' };
  }
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !f.assertionResults?.some((t) => t.status === 'failed'),
  ).length;
  const failed = (report.numFailedTests ?? 0) + brokenFiles;
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += failed;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (code === 0) return { status: 'passed' };
  const notes = [];
  if (report.numTotalTestSuites === 0) notes.push('no test files found');
  if (failed) notes.push(`${failed} failed`);
  if (brokenFiles) notes.push(`${brokenFiles} file(s) failed to load or run`);
  return { status: 'failed', note: notes.join(', ') };
}

/** Does any e2e test file exist yet? */
function hasE2eTests(dir = join(root, 'tests', 'e2e')) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) =>
    e.isDirectory() ? hasE2eTests(join(dir, e.name)) : e.isFile() && e.name.endsWith('.test.ts'),
  );
}

// ---- stages: each returns { status, note? } -------------------------------------------------

const ok = (code) => ({ status: code === 0 ? 'passed' : 'failed' });
const skipped = (note) => ({ status: 'skipped', note });

const stageDefs = {
  typecheck: {
    title: 'Typecheck (tsc --noEmit)',
    run: async () => ok(await runCmd(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])),
  },
  lint: {
    title: 'Lint and format (biome check)',
    run: async () => ok(await runCmd(bin('biome'), ['check', '.'])),
  },
  unit: {
    title: 'Unit + integration tests on SQLite',
    run: () => vitest('sqlite', 'vitest.config.ts', filters, { WENMING_TEST_DB: 'sqlite' }),
  },
  pg: {
    title: 'Integration tests on PostgreSQL',
    run: async () => {
      let url = process.env.WENMING_TEST_DATABASE_URL;
      if (url) {
        console.log('Using WENMING_TEST_DATABASE_URL');
      } else {
        if (!findPgBin('initdb') || !findPgBin('pg_ctl')) {
          return skipped('initdb/pg_ctl not found and WENMING_TEST_DATABASE_URL not set');
        }
        console.log('Starting a throwaway PostgreSQL cluster…');
        pg = await startThrowawayPostgres();
        url = pg.url;
        console.log(`PostgreSQL ready at ${url}`);
      }
      try {
        // Only the directories whose tests touch the database; the tests pick the engine themselves.
        const paths = filters.length ? filters : ['apps', 'tests/integration'];
        const env = { WENMING_TEST_DB: 'postgres', WENMING_TEST_DATABASE_URL: url };
        return await vitest('postgres', 'vitest.config.ts', paths, env);
      } finally {
        if (pg) {
          await pg.stop(); // free the cores and memory before the browser suite
          console.log('PostgreSQL stopped');
        }
      }
    },
  },
  e2e: {
    title: 'Browser tests (E2E, Chromium)',
    run: async () => {
      if (!existsSync(CHROMIUM)) return skipped(`no ${CHROMIUM}`);
      if (hasE2eTests()) {
        await ensureWebBuilt({ log: console.log, signal: abort.signal });
      } else {
        console.log('No e2e test files yet: not building the web app');
      }
      return vitest('e2e', 'vitest.e2e.config.ts', filters, { WENMING_TEST_DB: 'sqlite' });
    },
  },
};

const SKIP_LABEL = { pg: 'PostgreSQL suite', e2e: 'browser suite' };

// ---- main ----------------------------------------------------------------------------------

async function main() {
  for (const [i, stage] of STAGES.entries()) {
    if (!selected(stage)) continue;
    if (interrupted) break;
    const { title, run } = stageDefs[stage];
    header(i + 1, title);
    const t0 = Date.now();
    let result;
    try {
      result = await run();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(message);
      result = { status: 'failed', note: message.split('\n')[0].slice(0, 80) };
    }
    if (interrupted) result = { status: 'interrupted' };
    if (result.status === 'skipped') console.log(`SKIPPED: ${SKIP_LABEL[stage] ?? stage} (${result.note})`);
    const ms = Date.now() - t0;
    console.log(`---- ${stage}: ${result.status} in ${(ms / 1000).toFixed(1)}s`);
    results.push({ stage, title, ...result, ms });
  }
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  // Always tear down, whatever happened (stop() is idempotent).
  if (pg) await pg.stop().catch((err) => console.error(`could not stop PostgreSQL: ${err}`));
  rmSync(workDir, { recursive: true, force: true });
}

console.log(`\n${'==== Summary '.padEnd(100, '=')}`);
for (const r of results) {
  const status = r.status === 'passed' ? 'ok' : r.status.toUpperCase();
  console.log(
    `  ${r.stage.padEnd(10)} ${status.padEnd(12)} ${(r.ms / 1000).toFixed(1).padStart(6)}s  ${r.note ?? ''}`,
  );
}
if (results.some((r) => r.status === 'failed')) exitCode = 1;
const skips = results.filter((r) => r.status === 'skipped');
if (CI && skips.length) {
  console.log(
    `CI=true: a skipped suite is a failure (${skips.map((r) => `${r.stage}: ${r.note}`).join('; ')})`,
  );
  exitCode = 1;
}
if (interrupted) {
  console.log(`Interrupted by ${interrupted}.`);
  exitCode = interrupted === 'SIGINT' ? 130 : 143;
}
const last = `${totals.passed} passed, ${totals.failed} failed`;
console.log(totals.skipped ? `${last}, ${totals.skipped} skipped` : last);
process.exit(exitCode);
