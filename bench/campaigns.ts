// Campaign benchmark (issue #4): a province-sized dataset on SQLite and on PostgreSQL —
// 1,000 units, 20 active campaigns, 50,000 task instances, 1,000,000 ledger reports — and
//
//   1. how long generating it by bulk SQL takes (bench/campaigns-data.ts, its own process);
//   2. the daily colour sweep over all 50,000 instances with the clock moved five weeks, and once more
//      on the same day when nothing changes (bench/campaigns-recolor.ts, its own process);
//   3. the battle map of one campaign over HTTP as office_admin (GET /api/campaigns/:id/battlemap):
//      latency with one connection (what a user waits) and throughput with BENCH_CONNECTIONS;
//   4. report submission over HTTP: each connection repeats POST /api/ledger/reports (a draft on one
//      instance of the liaison's unit) then POST /api/ledger/reports/:id/transitions {submit}, each pair
//      as the next of the 1,000 liaisons (one per unit, all signed in first), so scope checks are real.
//
// `npm run bench` runs it after its other cases (bench/run.ts), with its bare-Fastify baseline. Alone:
//
//   node --import tsx bench/campaigns.ts                              full size, SQLite and PostgreSQL
//   BENCH_CAMPAIGN_SCALE=small node --import tsx bench/campaigns.ts   a quick check (100 units, 20,000 reports)
//
// Alone it measures its own bare-Fastify baseline and writes bench/results/campaigns.md. The settings
// BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS and BENCH_PG mean what they mean for bench/run.ts;
// BENCH_SQLITE=0 skips SQLite (PostgreSQL only); BENCH_CPU_PROF=<dir> starts each HTTP case's server with
// --cpu-prof, profiles in <dir>/<engine>-<case>/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import {
  type CampaignFixtures,
  campaignScale,
  type GenerationResult,
  type RecolorResult,
} from './campaigns-shared.ts';
import {
  type Child,
  type CpuSplit,
  cleanupAll,
  cpuMeter,
  freePort,
  HOST,
  http,
  installCleanup,
  makeTempDir,
  onAsyncCleanup,
  ROOT,
  removeTempDir,
  runTsx,
  serverEnv,
  spawnTsx,
  waitFor200,
} from './harness.ts';
import { fmt, machine, ms, table, yes } from './markdown.ts';
import { freshDatabase, loadPgCluster, postmasterPid } from './pg.ts';
import { DEMO_PASSWORD } from './shared.ts';
import { type Session, signIn } from './workflow.ts';

const SERVER = 'apps/server/src/main.ts';
const BARE = 'bench/bare-server.ts';
const DATA = 'bench/campaigns-data.ts';
const RECOLOR = 'bench/campaigns-recolor.ts';

export const TARGET_RECOLOR_MS = 2000;
export const TARGET_MAP_P95_MS = 150;
export const TARGET_SUBMISSIONS_PER_SEC = 1000;

const log = (msg: string) => console.error(`[bench:campaigns] ${msg}`);

export interface LoadSettings {
  duration: number;
  warmup: number;
  connections: number;
}

/** One autocannon run, with every request's latency recorded here (autocannon reports no p95). */
export interface LoadRun {
  label: string;
  connections: number;
  reqPerSec: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  bodyBytes: number;
  /** Submission only: complete create → submit pairs per second, and each step's latency. */
  pairsPerSec?: number;
  steps?: { create: Percentiles; submit: Percentiles };
  /** Submission only: CPU milliseconds per report submitted, by process (see `cpuMeter`). */
  cpuPerReport?: CpuSplit;
}

/** CPU seconds used during a case, as milliseconds per report. */
function perReport(used: CpuSplit, reports: number): CpuSplit {
  const per = (seconds: number) => (reports > 0 ? (1000 * seconds) / reports : 0);
  return { server: per(used.server), database: per(used.database), load: per(used.load) };
}

function cpuText(c: CpuSplit | undefined): string {
  return c
    ? `CPU per report: server ${fmt(c.server, 2)} ms, PostgreSQL ${fmt(c.database, 2)} ms, load generator ${fmt(c.load, 2)} ms`
    : '';
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** autocannon with a hard time limit (a hung server must not hang the run). */
async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  const limit = ((opts.duration as number) + 30) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`autocannon did not finish in ${limit} ms`)), limit);
  });
  try {
    return await Promise.race([autocannon(opts), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Timed {
  t0?: number;
}

/** GET `urlPath` for `seconds` with `connections`, timing each request from its start to its body's end. */
async function getLoad(
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  const result = await cannon({
    url: `http://${HOST}:${port}`,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        path: urlPath,
        headers,
        setupRequest: (req, context) => {
          (context as Timed).t0 = performance.now();
          return req;
        },
        onResponse: (_status, _body, context) => {
          const t0 = (context as Timed).t0;
          if (t0 !== undefined) latencies.push(performance.now() - t0);
        },
      },
    ],
  });
  return { result, latencies };
}

export async function measureGet(
  label: string,
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  connections: number,
  s: LoadSettings,
): Promise<LoadRun> {
  const check = await http(port, 'GET', urlPath, { headers, timeoutMs: 60_000 });
  if (check.status !== 200) throw new Error(`${urlPath}: ${check.status} ${check.body.slice(0, 300)}`);
  if (s.warmup > 0) await getLoad(port, urlPath, headers, connections, s.warmup);
  log(`${label}: ${s.duration} s, ${connections} connection(s)…`);
  const { result, latencies } = await getLoad(port, urlPath, headers, connections, s.duration);
  const p = percentiles(latencies);
  const run: LoadRun = {
    label,
    connections,
    reqPerSec: result.requests.average,
    requests: result.requests.total,
    ...p,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bodyBytes: Buffer.byteLength(check.body),
  };
  log(
    `  ${fmt(run.reqPerSec, 0)} req/s, p50 ${fmt(p.p50, 1)} ms, p95 ${fmt(p.p95, 1)} ms, p99 ${fmt(p.p99, 1)} ms, non-2xx ${run.non2xx}`,
  );
  return run;
}

interface Signed extends Session {
  fixture: CampaignFixtures['liaisons'][number];
}

interface PairContext extends Timed {
  who?: Signed;
  reportId?: string;
  version?: number;
}

const sessionHeaders = (s: Session) => ({
  cookie: s.cookie,
  'x-csrf-token': s.csrf,
  'content-type': 'application/json',
});

/** A report of the liaison's unit on its fixture instance: one unit of each target. */
function reportBody(who: Signed, submit: boolean): string {
  return JSON.stringify({
    campaignId: who.fixture.campaignId,
    summary: '基准测试报送：本月开展宣传活动一场。',
    items: [
      { instanceId: who.fixture.instanceId, amounts: Array.from({ length: who.fixture.targets }, () => 1) },
    ],
    ...(submit ? { submit: true } : {}),
  });
}

/** What the H5 sends with a new report: only its id, state and version come back (RFC 7240). */
const PREFER_MINIMAL = { prefer: 'return=minimal' };

/**
 * Each connection repeats POST /api/ledger/reports {submit: true}, every request as the next liaison; with
 * `minimal`, as the H5 does (`Prefer: return=minimal`), else the report is read back into the answer.
 */
async function submitOnceLoad(
  port: number,
  liaisons: Signed[],
  connections: number,
  seconds: number,
  minimal: boolean,
): Promise<{ result: autocannon.Result; latencies: number[]; submitted: number }> {
  const latencies: number[] = [];
  let next = 0;
  let submitted = 0;
  const result = await cannon({
    url: `http://${HOST}:${port}`,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/ledger/reports',
        setupRequest: (req, context) => {
          const who = liaisons[next++ % liaisons.length];
          (context as Timed).t0 = performance.now();
          const headers = { ...sessionHeaders(who), ...(minimal ? PREFER_MINIMAL : {}) };
          return { ...req, headers, body: reportBody(who, true) };
        },
        onResponse: (status, _body, context) => {
          const t0 = (context as Timed).t0;
          if (t0 !== undefined) latencies.push(performance.now() - t0);
          if (status === 201) submitted++;
        },
      },
    ],
  });
  return { result, latencies, submitted };
}

async function measureSubmitOnce(
  port: number,
  liaisons: Signed[],
  s: LoadSettings,
  minimal: boolean,
  pid: number,
  postmaster: number | null,
): Promise<LoadRun> {
  const probe = liaisons[liaisons.length - 1];
  const check = await http(port, 'POST', '/api/ledger/reports', {
    headers: { ...sessionHeaders(probe), ...(minimal ? PREFER_MINIMAL : {}) },
    json: JSON.parse(reportBody(probe, true)),
  });
  const state = check.status === 201 ? (JSON.parse(check.body) as { state: string }).state : '';
  if (state !== 'submitted')
    throw new Error(`POST /api/ledger/reports {submit: true}: ${check.status} ${check.body.slice(0, 300)}`);
  if (s.warmup > 0) await submitOnceLoad(port, liaisons, s.connections, s.warmup, minimal);
  log(
    `create submitted${minimal ? ' (minimal answer)' : ''}: ${s.duration} s, ${s.connections} connections, ${liaisons.length} liaisons in turn…`,
  );
  const cpu = cpuMeter(pid, postmaster);
  const r = await submitOnceLoad(port, liaisons, s.connections, s.duration, minimal);
  const used = cpu();
  const run: LoadRun = {
    label: `POST /api/ledger/reports {submit: true}${minimal ? ', Prefer: return=minimal' : ''}`,
    connections: s.connections,
    reqPerSec: r.result.requests.average,
    requests: r.result.requests.total,
    ...percentiles(r.latencies),
    non2xx: r.result.non2xx,
    errors: r.result.errors + r.result.timeouts,
    bodyBytes: Buffer.byteLength(check.body),
    pairsPerSec: r.submitted / s.duration,
    cpuPerReport: perReport(used, r.submitted),
  };
  log(
    `  ${fmt(run.reqPerSec, 0)} req/s = ${fmt(run.pairsPerSec ?? 0, 0)} reports submitted/s, p95 ${fmt(run.p95, 1)} ms, non-2xx ${run.non2xx}; ${cpuText(run.cpuPerReport)}`,
  );
  return run;
}

/** Each connection repeats create → submit, every pair as the next liaison in turn. */
async function submitLoad(
  port: number,
  liaisons: Signed[],
  connections: number,
  seconds: number,
): Promise<{ result: autocannon.Result; create: number[]; submit: number[]; pairs: number }> {
  const create: number[] = [];
  const submit: number[] = [];
  let next = 0;
  let pairs = 0;
  const result = await cannon({
    url: `http://${HOST}:${port}`,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/ledger/reports',
        setupRequest: (req, context) => {
          const c = context as PairContext;
          const who = liaisons[next++ % liaisons.length];
          c.who = who;
          c.reportId = undefined;
          c.t0 = performance.now();
          return { ...req, headers: sessionHeaders(who), body: reportBody(who, false) };
        },
        onResponse: (status, body, context) => {
          const c = context as PairContext;
          if (c.t0 !== undefined) create.push(performance.now() - c.t0);
          if (status === 201) {
            const r = JSON.parse(body) as { id: string; version: number };
            c.reportId = r.id;
            c.version = r.version;
          }
        },
      },
      {
        method: 'POST',
        setupRequest: (req, context) => {
          const c = context as PairContext;
          c.t0 = performance.now();
          const who = c.who as Signed;
          return {
            ...req,
            path: `/api/ledger/reports/${c.reportId ?? 'none'}/transitions`,
            headers: sessionHeaders(who),
            body: JSON.stringify({ action: 'submit', version: c.version ?? 1 }),
          };
        },
        onResponse: (status, _body, context) => {
          const c = context as PairContext;
          if (c.t0 !== undefined) submit.push(performance.now() - c.t0);
          if (status === 200) pairs++;
        },
      },
    ],
  });
  return { result, create, submit, pairs };
}

async function measureSubmissions(
  port: number,
  liaisons: Signed[],
  s: LoadSettings,
  pid: number,
  postmaster: number | null,
): Promise<LoadRun> {
  if (s.warmup > 0) await submitLoad(port, liaisons, s.connections, s.warmup);
  log(`create → submit: ${s.duration} s, ${s.connections} connections, ${liaisons.length} liaisons in turn…`);
  const cpu = cpuMeter(pid, postmaster);
  const r = await submitLoad(port, liaisons, s.connections, s.duration);
  const used = cpu();
  const all = percentiles([...r.create, ...r.submit]);
  const run: LoadRun = {
    label: 'POST /api/ledger/reports, then POST …/transitions submit',
    connections: s.connections,
    reqPerSec: r.result.requests.average,
    requests: r.result.requests.total,
    ...all,
    non2xx: r.result.non2xx,
    errors: r.result.errors + r.result.timeouts,
    bodyBytes: 0,
    pairsPerSec: r.pairs / s.duration,
    steps: { create: percentiles(r.create), submit: percentiles(r.submit) },
    cpuPerReport: perReport(used, r.pairs),
  };
  log(
    `  ${fmt(run.reqPerSec, 0)} req/s = ${fmt(run.pairsPerSec ?? 0, 0)} reports submitted/s, p95 create ${fmt(run.steps?.create.p95 ?? 0, 1)} ms, submit ${fmt(run.steps?.submit.p95 ?? 0, 1)} ms, non-2xx ${run.non2xx}; ${cpuText(run.cpuPerReport)}`,
  );
  return run;
}

/** Signs every liaison of the fixtures in (a few at a time: each sign-in is an argon2 verification). */
async function signInAll(port: number, fixtures: CampaignFixtures): Promise<Signed[]> {
  const out: Signed[] = [];
  let i = 0;
  const worker = async () => {
    while (i < fixtures.liaisons.length) {
      const fixture = fixtures.liaisons[i++];
      out.push({ ...(await signIn(port, fixture.username, fixtures.password)), fixture });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

async function startServer(
  script: string,
  env: NodeJS.ProcessEnv,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const since = performance.now();
  const child = spawnTsx(script, { ...env, PORT: String(port) }, nodeArgs);
  try {
    await waitFor200(child, port, readyPath, since, 60_000);
    return { child, port };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

export interface CampaignEngineRun {
  engine: string;
  generation: GenerationResult;
  recolor: RecolorResult;
  mapLatency: LoadRun;
  mapThroughput: LoadRun;
  submissions: LoadRun;
  /** One request: POST /api/ledger/reports {submit: true}, the report read back into the answer. */
  submitOnce: LoadRun;
  /** The same with `Prefer: return=minimal`, as the H5 sends it. */
  submitMinimal: LoadRun;
  liaisonsSignedIn: number;
  signInSeconds: number;
}

/**
 * The whole campaign benchmark on one engine: SQLite in a temp dir, or PostgreSQL in a fresh database
 * created (and dropped) in the cluster at `clusterUrl`.
 */
export async function campaignCases(s: LoadSettings, clusterUrl?: string): Promise<CampaignEngineRun> {
  const dataDir = makeTempDir('wenming-bench-campaigns-');
  const fresh = clusterUrl ? await freshDatabase(clusterUrl, `wenming_campaigns_${process.pid}`) : null;
  const forget = fresh ? onAsyncCleanup(fresh.drop) : () => false;
  try {
    const env = {
      ...serverEnv({ port: 0, dataDir, databaseUrl: fresh?.url }),
      BENCH_CAMPAIGN_SCALE: process.env.BENCH_CAMPAIGN_SCALE ?? 'full',
    };
    const engine = fresh ? 'PostgreSQL' : 'SQLite';
    log(`${engine}: generating the dataset…`);
    const genOut = await runTsx(DATA, env, 3600_000);
    const genLine = genOut.split('\n').find((l) => l.startsWith('BENCH_CAMPAIGN_DATA '));
    if (!genLine) throw new Error(`${DATA} printed no result:\n${genOut}`);
    const generation = JSON.parse(genLine.slice('BENCH_CAMPAIGN_DATA '.length)) as GenerationResult;
    log(
      `  ${generation.instances} instances, ${generation.reports} reports in ${fmt(generation.seconds.total, 1)} s ` +
        `(bulk ${fmt(generation.seconds.bulk, 1)} s); aggregates checked on ${generation.verified.sampled}: ` +
        `${generation.verified.mismatched} mismatched`,
    );
    if (generation.verified.mismatched > 0)
      throw new Error(`${generation.verified.mismatched} generated instances disagree with their reports`);

    log(`${engine}: colour sweeps…`);
    const recOut = await runTsx(RECOLOR, env, 1800_000);
    const recLine = recOut.split('\n').find((l) => l.startsWith('BENCH_CAMPAIGN_RECOLOR '));
    if (!recLine) throw new Error(`${RECOLOR} printed no result:\n${recOut}`);
    const recolor = JSON.parse(recLine.slice('BENCH_CAMPAIGN_RECOLOR '.length)) as RecolorResult;
    for (const c of recolor.cases)
      log(
        `  ${c.case}: ${c.colorsMs} ms colours (CPU ${c.colorsCpuMs} ms) + ${c.hooksMs} ms hooks (job CPU ${c.cpuMs} ms), ${c.changed} colours changed, ${c.updated} rows rewritten`,
      );

    // Each HTTP case gets its own server process (and, with BENCH_CPU_PROF, its own CPU profile).
    const server = async <T>(name: string, body: (port: number, pid: number) => Promise<T>): Promise<T> => {
      const prof = process.env.BENCH_CPU_PROF;
      const nodeArgs = prof
        ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof, `${engine}-${name}`)}`]
        : [];
      const { child, port } = await startServer(SERVER, env, '/api/health', nodeArgs);
      try {
        return await body(port, child.pid);
      } finally {
        await child.stop(30_000);
      }
    };
    const mapPath = `/api/campaigns/${generation.mapCampaign.id}/battlemap`;
    const map = await server('battlemap', async (port) => {
      const office = await signIn(port, 'office_admin', DEMO_PASSWORD);
      const headers = { cookie: office.cookie };
      const latency = await measureGet('battle map, latency', port, mapPath, headers, 1, s);
      const throughput = await measureGet('battle map, throughput', port, mapPath, headers, s.connections, s);
      return { latency, throughput };
    });
    const fixtures = JSON.parse(readFileSync(generation.fixtureFile, 'utf8')) as CampaignFixtures;
    const submit = await server('submit', async (port, pid) => {
      const t0 = performance.now();
      const liaisons = await signInAll(port, fixtures);
      const signInSeconds = (performance.now() - t0) / 1000;
      log(`${liaisons.length} liaisons signed in in ${fmt(signInSeconds, 1)} s`);
      const postmaster = fresh ? await postmasterPid(fresh.url) : null;
      const pair = await measureSubmissions(port, liaisons, s, pid, postmaster);
      const once = await measureSubmitOnce(port, liaisons, s, false, pid, postmaster);
      const minimal = await measureSubmitOnce(port, liaisons, s, true, pid, postmaster);
      return { run: pair, once, minimal, signed: liaisons.length, signInSeconds };
    });
    return {
      engine,
      generation,
      recolor,
      mapLatency: map.latency,
      mapThroughput: map.throughput,
      submissions: submit.run,
      submitOnce: submit.once,
      submitMinimal: submit.minimal,
      liaisonsSignedIn: submit.signed,
      signInSeconds: submit.signInSeconds,
    };
  } finally {
    forget();
    await fresh?.drop();
    removeTempDir(dataDir);
  }
}

// ---- report ----------------------------------------------------------------------------------

/**
 * The campaign sections of a report: dataset and generation, colour sweeps, HTTP cases beside the bare
 * baseline (`bareReqPerSec`, measured in the same run), and the targets.
 */
export function campaignMarkdown(
  runs: CampaignEngineRun[],
  bareReqPerSec: number,
): { lines: string[]; targets: string[][]; missed: string[] } {
  const out: string[] = [];
  const missed: string[] = [];
  const targets: string[][] = [];
  if (runs.length === 0) return { lines: out, targets, missed };
  const g0 = runs[0].generation;
  out.push('## Campaigns (issue #4)', '');
  out.push(
    `bench/campaigns.ts, scale \`${g0.scale}\`: ${fmt(g0.units, 0)} org units (one liaison each), ` +
      `${g0.campaigns} active campaigns of ${g0.tasks / g0.campaigns} activities (one task each), ` +
      `${fmt(g0.instances, 0)} task instances, ${fmt(g0.reports, 0)} ledger reports with one item each; ` +
      `the battle map is read for one campaign of ${fmt(g0.mapCampaign.instances, 0)} instances over ` +
      `${fmt(g0.mapCampaign.units, 0)} units and ${g0.mapCampaign.activities} activities.`,
    '',
  );
  out.push(
    ...table(
      [
        'Generation',
        'DB',
        'seed s',
        'structure s',
        'bulk s',
        'analyze s',
        'total s',
        'reports/s',
        'size',
        'checked',
      ],
      runs.map((r) => {
        const g = r.generation;
        return [
          `${fmt(g.instances, 0)} instances, ${fmt(g.reports, 0)} reports (${Object.entries(g.reportsByState)
            .map(([k, v]) => `${k} ${fmt(v, 0)}`)
            .join(', ')})`,
          r.engine,
          fmt(g.seconds.seed, 1),
          fmt(g.seconds.structure, 1),
          fmt(g.seconds.bulk, 1),
          fmt(g.seconds.analyze, 1),
          fmt(g.seconds.total, 1),
          fmt(g.reports / g.seconds.bulk, 0),
          `${fmt(g.databaseBytes / 2 ** 20, 0)} MiB`,
          `${g.verified.sampled - g.verified.mismatched}/${g.verified.sampled}`,
        ];
      }),
      [false, false, true, true, true, true, true, true, true, true],
    ),
    '',
  );
  out.push(
    ...table(
      [
        'Colour sweep',
        'DB',
        'colours ms',
        'its CPU ms',
        'then hooks ms',
        'job ms',
        'job CPU ms',
        'instances',
        'changed',
        'rewritten',
        'supervision',
        'vs UPDATE floor',
      ],
      runs.flatMap((r) =>
        r.recolor.cases.map((c) => [
          c.case,
          r.engine,
          fmt(c.colorsMs, 0),
          fmt(c.colorsCpuMs, 0),
          fmt(c.hooksMs, 0),
          fmt(c.ms, 0),
          fmt(c.cpuMs, 0),
          fmt(c.instances, 0),
          fmt(c.changed, 0),
          fmt(c.updated, 0),
          fmt(c.supervision, 0),
          `${fmt(c.colorsMs / Math.max(c.baselineMs, 0.1), 1)}× (${fmt(c.baselineMs, 0)} ms)`,
        ]),
      ),
      [false, false, true, true, true, true, true, true, true, true, true, true],
    ),
    '',
  );
  const rows: string[][] = [];
  for (const r of runs) {
    for (const t of [r.mapLatency, r.mapThroughput, r.submissions, r.submitOnce, r.submitMinimal]) {
      rows.push([
        t === r.submissions || t === r.submitOnce || t === r.submitMinimal
          ? `${t.label} (${fmt(t.pairsPerSec ?? 0, 0)} reports submitted/s)`
          : `GET /api/campaigns/:id/battlemap (office_admin), ${t === r.mapLatency ? 'latency' : 'throughput'}`,
        r.engine,
        String(t.connections),
        fmt(t.reqPerSec, 0),
        ms(t.p50),
        ms(t.p95),
        ms(t.p99),
        t.bodyBytes ? `${fmt(t.bodyBytes / 1024, 0)} KiB` : '—',
        `${fmt((100 * t.reqPerSec) / bareReqPerSec, 2)}%`,
        `${t.non2xx} / ${t.errors}`,
      ]);
    }
  }
  out.push(
    ...table(
      [
        'HTTP case',
        'DB',
        'conn.',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'body',
        'vs bare',
        'non-2xx / errors',
      ],
      rows,
      [false, false, true, true, true, true, true, true, true, true],
    ),
    '',
    ...table(
      ['CPU ms per report submitted', 'DB', 'server', 'PostgreSQL', 'load generator', 'total'],
      runs.flatMap((r) =>
        [r.submissions, r.submitOnce, r.submitMinimal].map((t) => {
          const c = t.cpuPerReport ?? { server: 0, database: 0, load: 0 };
          return [
            t.label,
            r.engine,
            fmt(c.server, 2),
            r.engine === 'PostgreSQL' ? fmt(c.database, 2) : '—',
            fmt(c.load, 2),
            fmt(c.server + c.database + c.load, 2),
          ];
        }),
      ),
      [false, false, true, true, true, true],
    ),
    '',
    `Latencies are measured per request in the load generator (start of the request to the end of its body). ` +
      `The submission cases sign in ${fmt(runs[0].liaisonsSignedIn, 0)} liaisons first (one per unit) and use them in ` +
      'turn, as two requests (a draft, then the submit transition) and as one (`submit: true`), the latter with the ' +
      'report read back into the answer and with `Prefer: return=minimal` (only id, state and version: what the H5 asks).',
    '',
  );

  for (const r of runs) {
    const judged = r.recolor.cases.find((c) => c.case.startsWith('clock moved'));
    if (judged) {
      const ok = judged.colorsMs <= TARGET_RECOLOR_MS;
      if (!ok) missed.push(`recolour ${r.engine}`);
      targets.push([
        `Recolour all ${fmt(judged.instances, 0)} instances ≤ ${TARGET_RECOLOR_MS / 1000} s (${r.engine}; clock moved)`,
        `${fmt(judged.colorsMs / 1000, 2)} s (${fmt(judged.changed, 0)} colours changed; supervision after it ${fmt(judged.hooksMs / 1000, 2)} s)`,
        yes(ok),
      ]);
    }
    const mapOk = r.mapLatency.p95 <= TARGET_MAP_P95_MS;
    if (!mapOk) missed.push(`battle map ${r.engine}`);
    targets.push([
      `Battle map of one campaign, p95 ≤ ${TARGET_MAP_P95_MS} ms (${r.engine}; one connection)`,
      `p95 ${ms(r.mapLatency.p95)} ms (${r.mapThroughput.connections} connections: p95 ${ms(r.mapThroughput.p95)} ms, ${fmt(r.mapThroughput.reqPerSec, 0)} req/s)`,
      yes(mapOk),
    ]);
    // Judged on the fastest way the API offers: one request (submit: true) with the minimal answer, as the
    // H5 sends it, or with the report read back, or create then submit.
    const once = r.submitOnce.pairsPerSec ?? 0;
    const minimal = r.submitMinimal.pairsPerSec ?? 0;
    const pair = r.submissions.pairsPerSec ?? 0;
    const subOk = Math.max(once, minimal, pair) >= TARGET_SUBMISSIONS_PER_SEC;
    if (!subOk) missed.push(`report submission ${r.engine}`);
    targets.push([
      `Report submission ≥ ${fmt(TARGET_SUBMISSIONS_PER_SEC, 0)}/s over HTTP (${r.engine})`,
      `${fmt(minimal, 0)} reports/s in one request each with the minimal answer (the H5); ${fmt(once, 0)} with the report read back; ${fmt(pair, 0)} as create, then submit`,
      yes(subOk),
    ]);
  }
  return { lines: out, targets, missed };
}

// ---- alone -----------------------------------------------------------------------------------

function envInt(name: string, def: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? def : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got "${raw}")`);
  return n;
}

async function main(): Promise<number> {
  const duration = envInt('BENCH_DURATION', 10);
  const s: LoadSettings = {
    duration,
    warmup: envInt('BENCH_WARMUP', Math.min(3, Math.max(1, Math.round(duration / 5)))),
    connections: envInt('BENCH_CONNECTIONS', 10),
  };
  const started = new Date();
  const loadAtStart = os.loadavg()[0];
  campaignScale(process.env.BENCH_CAMPAIGN_SCALE);
  const stopWatchdog = installCleanup(7200);
  try {
    const bare = await startServer(BARE, { ...process.env }, '/');
    const baseline = await measureGet('bare Fastify GET /', bare.port, '/', {}, s.connections, s);
    await bare.child.stop();

    const runs: CampaignEngineRun[] = process.env.BENCH_SQLITE === '0' ? [] : [await campaignCases(s)];
    let pgNote = '';
    const pgMod = process.env.BENCH_PG === '0' ? null : await loadPgCluster();
    if (!pgMod) pgNote = 'PostgreSQL skipped (BENCH_PG=0).';
    else if (!pgMod.findPgBin('initdb') || !pgMod.findPgBin('pg_ctl'))
      pgNote = 'PostgreSQL skipped: no initdb/pg_ctl.';
    else {
      log('starting a throwaway PostgreSQL cluster…');
      const pg = await pgMod.startThrowawayPostgres();
      const forget = onAsyncCleanup(() => pg.stop());
      try {
        runs.push(await campaignCases(s, pg.url));
      } finally {
        forget();
        await pg.stop();
      }
    }
    const m = machine();
    const { lines, targets, missed } = campaignMarkdown(runs, baseline.reqPerSec);
    const text = [
      '# Wenming campaign benchmark',
      '',
      `${started.toISOString()} · ${m.model} · nproc ${m.nproc} · ${fmt(m.memGiB, 1)} GiB RAM · Node ${m.node} · ${m.os}`,
      '',
      `autocannon, ${s.connections} connections (the latency case: 1), ${s.duration} s per case after ${s.warmup} s ` +
        `of warm-up. Bare Fastify GET / in the same run: ${fmt(baseline.reqPerSec, 0)} req/s. ` +
        `1-minute load average: ${fmt(loadAtStart, 2)} at the start, ${fmt(os.loadavg()[0], 2)} at the end.` +
        (pgNote ? ` ${pgNote}` : ''),
      '',
      ...lines,
      '## Targets',
      '',
      ...table(['Target', 'Measured', 'Met'], targets, [false, false, false]),
    ].join('\n');
    const resultsDir = path.join(ROOT, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'campaigns.md'), `${text}\n`);
    console.log(text);
    log(
      `written to bench/results/campaigns.md${missed.length ? `; targets missed: ${missed.join(', ')}` : ''}`,
    );
    return 0;
  } finally {
    stopWatchdog();
    await cleanupAll();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    async (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      await cleanupAll();
      process.exit(1);
    },
  );
}
