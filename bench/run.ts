// `npm run bench`: throughput, cold start and idle memory of the Wenming server (docs/performance.md).
//
// Every server runs in its own child process (`node --import tsx …`, like `npm start`), listening on
// 127.0.0.1 only; autocannon runs here, so the load generator and the server never share an event
// loop. Progress goes to stderr; the Markdown report goes to stdout and bench/results/latest.md.
//
// Environment (all optional):
//   BENCH_DURATION      seconds measured per throughput case (default 10)
//   BENCH_WARMUP        seconds of unmeasured load before each case (default: duration / 5, 1…3)
//   BENCH_CONNECTIONS   autocannon connections (default 10)
//   BENCH_COLD_RUNS     cold-start runs (default 5)
//   BENCH_PG            0 skips PostgreSQL even when initdb is available
//   BENCH_STRICT        1 exits with 1 when a target is missed
//   BENCH_CAMPAIGNS     0 skips the campaign benchmark (bench/campaigns.ts)
//   BENCH_CAMPAIGN_SCALE  small: its quick size (default full: 50,000 instances, 1,000,000 reports)
//   BENCH_CASES         0 skips the citizen-case benchmark (bench/cases.ts)
//   BENCH_CASES_SCALE   small: its quick size (default full: 1,000,000 cases)
//
// `npm run bench -- cases` runs only the citizen-case benchmark (with its own bare baseline).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { type CampaignEngineRun, campaignCases, campaignMarkdown } from './campaigns.ts';
import { type CasesEngineRun, caseCases, casesMain, casesMarkdown, casesSettings } from './cases.ts';
import {
  cleanupAll,
  freePort,
  HOST,
  http,
  installCleanup,
  login,
  makeTempDir,
  onAsyncCleanup,
  ROOT,
  readRss,
  removeTempDir,
  runTsx,
  serverEnv,
  spawnTsx,
  waitFor200,
} from './harness.ts';
import { fmt, machine, table, yes } from './markdown.ts';
import { loadPgCluster } from './pg.ts';
import { BENCH_SCOPED_USER, BENCH_SUBTREE_UNITS, DEMO_PASSWORD, type PrepResult } from './shared.ts';
import { measureTransitions, signIn } from './workflow.ts';

// ---- settings --------------------------------------------------------------------------------

function envInt(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    process.exit(2);
  }
  return n;
}

const DURATION = envInt('BENCH_DURATION', 10, 1, 300);
const WARMUP = envInt('BENCH_WARMUP', Math.min(3, Math.max(1, Math.round(DURATION / 5))), 0, 60);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 10, 1, 1000);
const COLD_RUNS = envInt('BENCH_COLD_RUNS', 5, 1, 50);
const PG_WANTED = process.env.BENCH_PG !== '0';
const STRICT = process.env.BENCH_STRICT === '1';
const CAMPAIGNS = process.env.BENCH_CAMPAIGNS !== '0';
const CASES = process.env.BENCH_CASES !== '0';

const SERVER = 'apps/server/src/main.ts';
const BARE = 'bench/bare-server.ts';
const PREPARE = 'bench/prepare.ts';
const SWEEP = 'bench/sweep.ts';
const TARGET_SWEEP_MS = 1000;

const TARGET_RATIO = 0.4;
const TARGET_COLD_MS = 5000;
const TARGET_RSS_MB = 200;
const IDLE_WAIT_MS = 3000;

const log = (msg: string) => console.error(`[bench] ${msg}`);

// ---- measurements ----------------------------------------------------------------------------

/** What a row measures: the targets are judged on `page`, the list as the console asks for it. */
type CaseKind = 'bare' | 'body' | 'health' | 'whole' | 'page' | 'transition';

interface Throughput {
  kind: CaseKind;
  label: string;
  engine: string;
  reqPerSec: number;
  p50: number;
  p975: number;
  p99: number;
  bodyBytes: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** Warm-up (unmeasured), then `DURATION` seconds of autocannon against 127.0.0.1:port. */
async function measure(
  kind: CaseKind,
  label: string,
  engine: string,
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  bodyBytes: number,
): Promise<Throughput> {
  const run = async (seconds: number) => {
    const limit = (seconds + 30) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${label}: autocannon did not finish in ${limit} ms`)),
        limit,
      );
    });
    try {
      return await Promise.race([
        autocannon({
          url: `http://${HOST}:${port}${urlPath}`,
          connections: CONNECTIONS,
          duration: seconds,
          headers,
          timeout: 10,
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  if (WARMUP > 0) await run(WARMUP);
  log(`${label} (${engine}): ${DURATION} s, ${CONNECTIONS} connections…`);
  const r = await run(DURATION);
  const t: Throughput = {
    kind,
    label,
    engine,
    reqPerSec: r.requests.mean,
    p50: r.latency.p50,
    p975: r.latency.p97_5,
    p99: r.latency.p99,
    bodyBytes,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
  log(
    `  ${fmt(t.reqPerSec, 0)} req/s, p50 ${t.p50} ms, p97.5 ${t.p975} ms, p99 ${t.p99} ms, non-2xx ${t.non2xx}, errors ${t.errors}`,
  );
  return t;
}

/** Starts a server child on a free port and waits for `readyPath` to answer 200. */
async function startServer(script: string, env: (port: number) => NodeJS.ProcessEnv, readyPath: string) {
  const port = await freePort();
  const since = performance.now();
  const child = spawnTsx(script, env(port));
  try {
    const readyMs = await waitFor200(child, port, readyPath, since);
    return { child, port, readyMs };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

async function prepare(dataDir: string, databaseUrl?: string): Promise<PrepResult> {
  const env = serverEnv({ port: 0, dataDir, databaseUrl });
  const out = await runTsx(PREPARE, env, 180_000);
  const line = out.split('\n').find((l) => l.startsWith('BENCH_PREP '));
  if (!line) throw new Error(`${PREPARE} printed no result:\n${out}`);
  const prep = JSON.parse(line.slice('BENCH_PREP '.length)) as PrepResult;
  if (prep.subtreeUnits !== BENCH_SUBTREE_UNITS) {
    throw new Error(`prepared subtree has ${prep.subtreeUnits} units, expected ${BENCH_SUBTREE_UNITS}`);
  }
  log(
    `prepared ${prep.totalUnits} units (${prep.subtreeUnits} under ${prep.townshipName}) in ${fmt(prep.seconds, 1)} s`,
  );
  return prep;
}

/**
 * GET /api/health and the scoped 1,000-unit list against one running server; also returns the body of
 * the page case (for the bare server's /body reference).
 */
async function realServerCases(
  engine: string,
  port: number,
  prep: PrepResult,
): Promise<{ rows: Throughput[]; pageBody: string }> {
  const health = await http(port, 'GET', '/api/health');
  if (health.status !== 200) throw new Error(`/api/health: ${health.status} ${health.body}`);
  const rows = [
    await measure(
      'health',
      'GET /api/health',
      engine,
      port,
      '/api/health',
      {},
      Buffer.byteLength(health.body),
    ),
  ];

  const cookie = await login(port, BENCH_SCOPED_USER, DEMO_PASSWORD);
  const listPath = `/api/org/units?rootId=${prep.rootId}`;
  const check = await http(port, 'GET', listPath, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`${listPath}: ${check.status} ${check.body.slice(0, 500)}`);
  const items = (JSON.parse(check.body) as { items: unknown[] }).items.length;
  if (items !== BENCH_SUBTREE_UNITS)
    throw new Error(`${listPath} returned ${items} units, expected ${BENCH_SUBTREE_UNITS}`);
  rows.push(
    await measure(
      'whole',
      `GET /api/org/units?rootId=… (whole subtree: ${items} units, ${BENCH_SCOPED_USER})`,
      engine,
      port,
      listPath,
      { cookie },
      Buffer.byteLength(check.body),
    ),
  );
  // The same scoped subtree as the console's paged table asks for it: one page of 20, with the total.
  const pagePath = `${listPath}&page=3&pageSize=20`;
  const page = await http(port, 'GET', pagePath, { headers: { cookie } });
  const paged = JSON.parse(page.body) as { items: unknown[]; total: number };
  if (page.status !== 200 || paged.items.length !== 20 || paged.total !== BENCH_SUBTREE_UNITS) {
    throw new Error(`${pagePath}: ${page.status} ${page.body.slice(0, 300)}`);
  }
  rows.push(
    await measure(
      'page',
      `GET /api/org/units?rootId=…&page=3&pageSize=20 (20 of ${paged.total}, ${BENCH_SCOPED_USER})`,
      engine,
      port,
      pagePath,
      { cookie },
      Buffer.byteLength(page.body),
    ),
  );
  return { rows, pageBody: page.body };
}

/**
 * Workflow writes (issue #3): each connection assigns a matter as the office, then acknowledges it as
 * the unit's liaison — two transactions with deadlines, history, notifications and audit rows.
 */
async function transitionCase(engine: string, port: number): Promise<Throughput> {
  const office = await signIn(port, 'office_admin', DEMO_PASSWORD);
  const liaison = await signIn(port, 'liaison', DEMO_PASSWORD);
  const found = await http(port, 'GET', `/api/org/units?keyword=${encodeURIComponent('市卫生健康局')}`, {
    headers: { cookie: office.cookie },
  });
  const unit = (JSON.parse(found.body) as { items: { id: string; name: string }[] }).items.find(
    (u) => u.name === '市卫生健康局',
  );
  if (!unit) throw new Error(`no 市卫生健康局 in the demo: ${found.status} ${found.body.slice(0, 200)}`);
  const opts = { port, office, liaison, assigneeUnitId: unit.id, connections: CONNECTIONS };
  if (WARMUP > 0) await measureTransitions({ ...opts, duration: WARMUP });
  log(`assign → acknowledge (${engine}): ${DURATION} s, ${CONNECTIONS} connections…`);
  const r = await measureTransitions({ ...opts, duration: DURATION });
  log(
    `  ${fmt(r.requestsPerSec, 0)} req/s (${fmt(r.pairsPerSec, 0)} pairs/s), p50 ${r.p50} ms, non-2xx ${r.non2xx}`,
  );
  return {
    kind: 'transition',
    label: 'POST /api/matters, then POST …/transitions acknowledge (one pair per connection at a time)',
    engine,
    reqPerSec: r.requestsPerSec,
    p50: r.p50,
    p975: r.p975,
    p99: r.p99,
    bodyBytes: 0,
    requests: r.requests,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

interface SweepCase {
  case: string;
  ms: number;
  cpuMs: number;
  deadlines: number;
  events: number;
  baselineMs: number;
  ratio: number;
}

interface SweepRun {
  engine: string;
  deadlines: number;
  cases: SweepCase[];
}

/** bench/sweep.ts in its own process: 10,000 open deadlines, one sweep per case. */
async function sweep(databaseUrl?: string): Promise<SweepRun> {
  const dataDir = makeTempDir('wenming-bench-sweep-');
  try {
    const env = serverEnv({ port: 0, dataDir, databaseUrl });
    const out = await runTsx(SWEEP, env, 300_000);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`${SWEEP} printed no result:\n${out}`);
    const run = JSON.parse(line) as SweepRun;
    for (const c of run.cases) log(`sweep (${run.engine}) ${c.case}: ${c.ms} ms, ${c.events} events`);
    return run;
  } finally {
    removeTempDir(dataDir);
  }
}

interface ColdStart {
  runsMs: number[];
  medianMs: number;
  maxMs: number;
}

async function coldStart(dataDir: string): Promise<ColdStart> {
  const runsMs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const { child, readyMs } = await startServer(
      SERVER,
      (port) => serverEnv({ port, dataDir }),
      '/api/health',
    );
    await child.stop();
    runsMs.push(readyMs);
    log(`cold start ${i + 1}/${COLD_RUNS}: ${fmt(readyMs, 0)} ms`);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runsMs, medianMs, maxMs: sorted[sorted.length - 1] };
}

interface Memory {
  rssMB: number;
  hwmMB: number;
  requests: string[];
}

async function idleMemory(dataDir: string, prep: PrepResult): Promise<Memory | null> {
  const { child, port } = await startServer(SERVER, (p) => serverEnv({ port: p, dataDir }), '/api/health');
  try {
    const requests: string[] = [];
    const get = async (urlPath: string, cookie: string) => {
      const r = await http(port, 'GET', urlPath, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`${urlPath}: ${r.status}`);
      requests.push(`GET ${urlPath.replace(prep.rootId, '…')}`);
    };
    const admin = await login(port, 'office_admin', DEMO_PASSWORD);
    requests.push('POST /api/auth/login (office_admin)');
    await get('/api/org/units', admin);
    await get('/api/auth/me', admin);
    const town = await login(port, BENCH_SCOPED_USER, DEMO_PASSWORD);
    requests.push(`POST /api/auth/login (${BENCH_SCOPED_USER})`);
    await get(`/api/org/units?rootId=${prep.rootId}`, town);
    await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
    const mem = readRss(child.pid);
    if (!mem) return null;
    return { rssMB: mem.rssKiB / 1024, hwmMB: mem.hwmKiB / 1024, requests };
  } finally {
    await child.stop();
  }
}

// ---- report ----------------------------------------------------------------------------------

interface Report {
  started: Date;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews the figures. */
  load: [number, number];
  bare: Throughput;
  /** The bare server sending the page case's body: what the reply's size alone costs. */
  body: Throughput;
  rows: Throughput[];
  pgNote: string | null;
  cold: ColdStart;
  memory: Memory | null;
  sweeps: SweepRun[];
  campaigns: CampaignEngineRun[];
  cases: CasesEngineRun[];
}

function markdown(r: Report): { text: string; missed: string[] } {
  const m = machine();
  const out: string[] = [];
  const missed: string[] = [];
  out.push('# Wenming benchmark results', '');
  out.push(
    `${r.started.toISOString()} · ${m.model} · nproc ${m.nproc} · ${fmt(m.memGiB, 1)} GiB RAM · ` +
      `Node ${m.node} · ${m.os}`,
    '',
    `autocannon, ${CONNECTIONS} connections, ${DURATION} s per case after ${WARMUP} s of warm-up, ` +
      `127.0.0.1; each server in its own process (\`node --import tsx\`, LOG_LEVEL=warn). ` +
      `1-minute load average: ${fmt(r.load[0], 2)} at the start, ${fmt(r.load[1], 2)} at the end.`,
    '',
  );

  out.push('## Throughput', '');
  out.push(
    ...table(
      ['Case', 'DB', 'req/s (mean)', 'p50 ms', 'p97.5 ms', 'p99 ms', 'body', 'vs bare', 'non-2xx / errors'],
      [r.bare, r.body, ...r.rows].map((t) => [
        t.label,
        t.engine,
        fmt(t.reqPerSec, 0),
        String(t.p50),
        String(t.p975),
        String(t.p99),
        t.bodyBytes === 0
          ? '—'
          : t.bodyBytes >= 10_240
            ? `${fmt(t.bodyBytes / 1024, 0)} KiB`
            : `${t.bodyBytes} B`,
        t === r.bare ? '100%' : `${fmt((100 * t.reqPerSec) / r.bare.reqPerSec, 1)}%`,
        `${t.non2xx} / ${t.errors}`,
      ]),
      [false, false, true, true, true, true, true, true, true],
    ),
  );
  out.push(
    '',
    'The list cases run with the server’s caches warm (docs/decisions/0006): the check request before each ' +
      'case fills them and nothing writes during the run, so each request reads the cache versions, not the rows.',
  );
  if (r.pgNote) out.push('', r.pgNote);
  out.push('');

  out.push(`## Cold start (${r.cold.runsMs.length} runs)`, '');
  out.push(
    'Spawning `node --import tsx apps/server/src/main.ts` on an already-seeded SQLite data dir → first 200 from `/api/health`.',
    '',
  );
  out.push(
    ...table(
      ['median', 'max', 'runs'],
      [
        [
          `${fmt(r.cold.medianMs, 0)} ms`,
          `${fmt(r.cold.maxMs, 0)} ms`,
          `${r.cold.runsMs.map((x) => fmt(x, 0)).join(', ')} ms`,
        ],
      ],
      [true, true, false],
    ),
    '',
  );

  out.push('## Idle memory', '');
  if (r.memory) {
    out.push(
      `SQLite, demo + 1,000 bench units; after ${r.memory.requests.join(', ')}; then ${IDLE_WAIT_MS / 1000} s idle. ` +
        'VmRSS / VmHWM of the server process from /proc/<pid>/status (MB = MiB).',
      '',
    );
    out.push(
      ...table(
        ['VmRSS', 'VmHWM (peak)'],
        [[`${fmt(r.memory.rssMB, 1)} MB`, `${fmt(r.memory.hwmMB, 1)} MB`]],
        [true, true],
      ),
      '',
    );
  } else {
    out.push('Skipped: /proc/<pid>/status is not readable on this system.', '');
  }

  out.push('## Deadline sweep', '');
  out.push(
    'bench/sweep.ts: 10,000 matters, each with an open 7-working-day resolution deadline on the 13710 policy, ' +
      'spread over the member units; one `sweepDeadlines` call per case (in-process, no HTTP). Baseline: the ' +
      'same due rows selected and touched by one plain UPDATE in one transaction.',
    '',
  );
  out.push(
    ...table(
      ['Case', 'DB', 'wall ms', 'CPU ms', 'deadlines', 'events', 'baseline ms', 'vs baseline'],
      r.sweeps.flatMap((run) =>
        run.cases.map((c) => [
          c.case,
          run.engine,
          String(c.ms),
          String(c.cpuMs),
          String(c.deadlines),
          String(c.events),
          String(c.baselineMs),
          `${fmt(c.ratio, 1)}×`,
        ]),
      ),
      [false, false, true, true, true, true, true, true],
    ),
    '',
  );

  const campaigns = campaignMarkdown(r.campaigns, r.bare.reqPerSec);
  out.push(...campaigns.lines);
  const cases = casesMarkdown(r.cases, r.bare.reqPerSec);
  out.push(...cases.lines);

  out.push('## Targets', '');
  const targets: string[][] = [];
  const ratio = (t: Throughput) => t.reqPerSec / r.bare.reqPerSec;
  const page = r.rows.find((t) => t.engine === 'SQLite' && t.kind === 'page');
  if (page) {
    const ok = ratio(page) >= TARGET_RATIO;
    if (!ok) missed.push('scoped list throughput');
    targets.push([
      `Scoped list (a page of 20 + total of the ${BENCH_SUBTREE_UNITS.toLocaleString('en-US')}-unit subtree) ≥ ${TARGET_RATIO * 100}% of bare Fastify (SQLite)`,
      `${fmt(100 * ratio(page), 1)}% (${fmt(page.reqPerSec, 0)} vs ${fmt(r.bare.reqPerSec, 0)} req/s)`,
      yes(ok),
    ]);
  }
  if (page) {
    targets.push([
      'The same page vs a bare Fastify server sending its bytes (SQLite): reported, not judged',
      `${fmt((100 * page.reqPerSec) / r.body.reqPerSec, 1)}% (${fmt(page.reqPerSec, 0)} vs ${fmt(r.body.reqPerSec, 0)} req/s)`,
      '—',
    ]);
  }
  const whole = r.rows.find((t) => t.engine === 'SQLite' && t.kind === 'whole');
  if (whole) {
    targets.push([
      `Whole ${BENCH_SUBTREE_UNITS.toLocaleString('en-US')}-unit subtree in one reply (SQLite): reported, not judged`,
      `${fmt(100 * ratio(whole), 1)}% (${fmt(whole.reqPerSec, 0)} req/s of ${fmt(whole.bodyBytes / 1024, 0)} KiB)`,
      '—',
    ]);
  }
  const coldOk = r.cold.maxMs <= TARGET_COLD_MS;
  if (!coldOk) missed.push('cold start');
  targets.push([
    `Cold start ≤ ${TARGET_COLD_MS / 1000} s (every run)`,
    `median ${fmt(r.cold.medianMs / 1000, 2)} s, max ${fmt(r.cold.maxMs / 1000, 2)} s`,
    yes(coldOk),
  ]);
  if (r.memory) {
    const memOk = r.memory.rssMB <= TARGET_RSS_MB;
    if (!memOk) missed.push('idle memory');
    targets.push([`Idle RSS ≤ ${TARGET_RSS_MB} MB`, `${fmt(r.memory.rssMB, 1)} MB`, yes(memOk)]);
  }
  for (const run of r.sweeps) {
    const c = run.cases.find((x) => x.case === 'all reminders due');
    if (!c) continue;
    const ok = c.ms <= TARGET_SWEEP_MS;
    if (!ok) missed.push(`deadline sweep (${run.engine})`);
    targets.push([
      `10,000 open deadlines, one sweep ≤ ${TARGET_SWEEP_MS / 1000} s (${run.engine}; all 10,000 fire a stage)`,
      `${fmt(c.ms / 1000, 2)} s`,
      yes(ok),
    ]);
  }
  for (const t of r.rows.filter((x) => x.kind === 'transition')) {
    targets.push([
      `Assign → acknowledge over HTTP (${t.engine}): reported with the ratio to bare`,
      `${fmt(t.reqPerSec, 0)} req/s = ${fmt(100 * ratio(t), 2)}% of bare (${fmt(t.reqPerSec / 2, 0)} pairs/s)`,
      '—',
    ]);
  }
  targets.push(...campaigns.targets);
  missed.push(...campaigns.missed);
  targets.push(...cases.targets);
  missed.push(...cases.missed);
  out.push(...table(['Target', 'Measured', 'Met'], targets, [false, false, false]));
  return { text: out.join('\n'), missed };
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (process.argv[2] === 'cases') return casesMain();
  const started = new Date();
  const loadAtStart = os.loadavg()[0];
  const pgPossible = PG_WANTED;
  const perServer = 2 * (WARMUP + DURATION) + 60;
  // The campaign benchmark generates a million reports per engine: allow it up to 40 minutes each.
  const campaignSeconds = CAMPAIGNS ? (pgPossible ? 2 : 1) * 2400 : 0;
  // The case benchmark generates a million cases per engine and waits for its photos' analysis.
  const caseSeconds = CASES ? (pgPossible ? 2 : 1) * 2400 : 0;
  const stopWatchdog = installCleanup(
    900 + (pgPossible ? 5 : 3) * perServer + COLD_RUNS * 35 + campaignSeconds + caseSeconds,
  );
  try {
    // 1a. Baseline: bare Fastify.
    const bareServer = await startServer(BARE, (port) => ({ ...process.env, PORT: String(port) }), '/');
    const hello = await http(bareServer.port, 'GET', '/');
    const bare = await measure(
      'bare',
      'bare Fastify GET / (baseline)',
      '—',
      bareServer.port,
      '/',
      {},
      Buffer.byteLength(hello.body),
    );
    await bareServer.child.stop();

    // 1b, 1c. The real server on SQLite.
    const sqliteDir = makeTempDir('wenming-bench-sqlite-');
    const prep = await prepare(sqliteDir);
    const rows: Throughput[] = [];
    let pageBody = '';
    {
      const s = await startServer(SERVER, (port) => serverEnv({ port, dataDir: sqliteDir }), '/api/health');
      try {
        const sqlite = await realServerCases('SQLite', s.port, prep);
        rows.push(...sqlite.rows);
        pageBody = sqlite.pageBody;
      } finally {
        await s.child.stop();
      }
    }

    // 1c'. The page's bytes from a bare Fastify server: what a reply of that size alone costs here.
    const bodyFile = path.join(sqliteDir, 'page-body.json');
    writeFileSync(bodyFile, pageBody);
    const bodyServer = await startServer(
      BARE,
      (port) => ({ ...process.env, PORT: String(port), BENCH_BODY_FILE: bodyFile }),
      '/body',
    );
    const body = await measure(
      'body',
      `bare Fastify GET /body (the page's ${Buffer.byteLength(pageBody)} B, constant)`,
      '—',
      bodyServer.port,
      '/body',
      {},
      Buffer.byteLength(pageBody),
    );
    await bodyServer.child.stop();

    // 2. Cold start, 3. idle memory: same seeded SQLite dir, fresh processes.
    const cold = await coldStart(sqliteDir);
    const memory = await idleMemory(sqliteDir, prep);
    if (memory) log(`idle memory: VmRSS ${fmt(memory.rssMB, 1)} MB (peak ${fmt(memory.hwmMB, 1)} MB)`);

    // 4. Workflow writes and the deadline sweep (issue #3), after the read cases: they write.
    {
      const s = await startServer(SERVER, (port) => serverEnv({ port, dataDir: sqliteDir }), '/api/health');
      try {
        rows.push(await transitionCase('SQLite', s.port));
      } finally {
        await s.child.stop();
      }
    }
    const sweeps: SweepRun[] = [await sweep()];
    const load = { duration: DURATION, warmup: WARMUP, connections: CONNECTIONS };
    const campaigns: CampaignEngineRun[] = CAMPAIGNS ? [await campaignCases(load)] : [];
    const caseLoad = casesSettings();
    const cases: CasesEngineRun[] = CASES ? [await caseCases(caseLoad)] : [];

    // 1d. PostgreSQL, when a throwaway cluster can be started.
    let pgNote: string | null = null;
    const pgMod = PG_WANTED ? await loadPgCluster() : null;
    if (!PG_WANTED) {
      pgNote = 'PostgreSQL skipped (BENCH_PG=0).';
    } else if (!pgMod?.findPgBin('initdb') || !pgMod.findPgBin('pg_ctl')) {
      pgNote = 'PostgreSQL skipped: initdb/pg_ctl not found.';
    } else {
      log('starting a throwaway PostgreSQL cluster…');
      const pg = await pgMod.startThrowawayPostgres();
      const forget = onAsyncCleanup(() => pg.stop());
      const pgDir = makeTempDir('wenming-bench-pg-');
      try {
        const pgPrep = await prepare(pgDir, pg.url);
        const s = await startServer(
          SERVER,
          (port) => serverEnv({ port, dataDir: pgDir, databaseUrl: pg.url }),
          '/api/health',
        );
        try {
          rows.push(...(await realServerCases('PostgreSQL', s.port, pgPrep)).rows);
          rows.push(await transitionCase('PostgreSQL', s.port));
        } finally {
          await s.child.stop();
        }
        sweeps.push(await sweep(pg.url));
        if (CAMPAIGNS) campaigns.push(await campaignCases(load, pg.url));
        if (CASES) cases.push(await caseCases(caseLoad, pg.url));
        pgNote =
          'PostgreSQL: a throwaway local cluster (scripts/pg-cluster.mjs: fsync off, synchronous_commit off), ' +
          'over TCP on 127.0.0.1, pool of 10 connections.';
      } finally {
        forget();
        await pg.stop();
        removeTempDir(pgDir);
      }
    }

    const { text, missed } = markdown({
      started,
      load: [loadAtStart, os.loadavg()[0]],
      bare,
      body,
      rows,
      pgNote,
      cold,
      memory,
      sweeps,
      campaigns,
      cases,
    });
    const resultsDir = path.join(ROOT, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'latest.md'), `${text}\n`);
    console.log(text);
    log(
      `written to bench/results/latest.md${missed.length ? `; targets missed: ${missed.join(', ')}` : '; all targets met'}`,
    );
    return STRICT && missed.length ? 1 : 0;
  } finally {
    stopWatchdog();
    await cleanupAll();
  }
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    await cleanupAll();
    process.exit(1);
  },
);
