// Process and HTTP plumbing for bench/run.ts: every child process and temp dir it creates is
// registered here and removed on exit, on error and on SIGINT/SIGTERM. Everything talks to
// 127.0.0.1 only and every wait is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const HOST = '127.0.0.1';

// ---- cleanup registry ------------------------------------------------------------------------

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const asyncCleanups = new Set<() => Promise<void>>();

/** Kills every child still running and removes the temp dirs: synchronous, safe in 'exit'. */
function cleanupSync(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill('SIGKILL');
      } catch {}
    }
  }
  children.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

/** Runs the asynchronous cleanups (the PostgreSQL cluster), then the synchronous ones. */
export async function cleanupAll(): Promise<void> {
  const pending = [...asyncCleanups];
  asyncCleanups.clear();
  // Children first: a server still connected to PostgreSQL would slow its fast shutdown down.
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  for (const fn of pending) {
    try {
      await fn();
    } catch (err) {
      console.error('cleanup failed:', err);
    }
  }
  cleanupSync();
}

export function onAsyncCleanup(fn: () => Promise<void>): () => void {
  asyncCleanups.add(fn);
  return () => asyncCleanups.delete(fn);
}

let installed = false;
/** Installs the exit/signal handlers and a watchdog that ends the whole run after `maxSeconds`. */
export function installCleanup(maxSeconds: number): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', cleanupSync);
    const onSignal = (signal: NodeJS.Signals) => {
      console.error(`\n${signal}: stopping the benchmark servers and cleaning up…`);
      void cleanupAll().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${maxSeconds} s; giving up.`);
    void cleanupAll().finally(() => process.exit(1));
  }, maxSeconds * 1000);
  return () => clearTimeout(watchdog);
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

// ---- child processes -------------------------------------------------------------------------

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The last few KB of the child's stdout and stderr, for error messages. */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node [nodeArgs] --import tsx <script>` from the repository root, with the given environment. */
export function spawnTsx(script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${script}`);
  children.add(proc);
  let tail = '';
  const keep = (d: Buffer) => {
    tail = (tail + d.toString('utf8')).slice(-8192);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      children.delete(proc);
      resolve(code);
    });
    proc.once('error', () => {
      children.delete(proc);
      resolve(null);
    });
  });
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    proc,
    pid: proc.pid,
    output: () => tail,
    exited,
    async stop(graceMs = 5000) {
      if (gone()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!gone()) proc.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a script to completion (bounded by `timeoutMs`) and returns its output. */
export async function runTsx(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const child = spawnTsx(script, env);
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} failed (exit ${code}):\n${child.output()}`);
  return child.output();
}

/** The environment for a benchmark server: loopback only, warn-level logs, the chosen database. */
export function serverEnv(opts: { port: number; dataDir: string; databaseUrl?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(opts.port),
    HOST,
    WENMING_DATA_DIR: opts.dataDir,
    LOG_LEVEL: 'warn',
  };
  // Never inherit the caller's database: SQLite unless this case asks for PostgreSQL.
  delete env.DATABASE_URL;
  delete env.WENMING_SECRET_KEY;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  return env;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// ---- HTTP ------------------------------------------------------------------------------------

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1 (no keep-alive), bounded by `timeoutMs`. */
export function http(
  port: number,
  method: string,
  urlPath: string,
  opts: { headers?: Record<string, string>; json?: unknown; timeoutMs?: number } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const headers: Record<string, string> = { ...opts.headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = httpRequest(
      { host: HOST, port, method, path: urlPath, headers, agent: false, timeout: opts.timeoutMs ?? 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `urlPath` until it answers 200; resolves with the milliseconds since `since`. Fails if the
 * child exits first or `timeoutMs` passes.
 */
export async function waitFor200(
  child: Child,
  port: number,
  urlPath: string,
  since: number,
  timeoutMs = 30_000,
): Promise<number> {
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (performance.now() - since < timeoutMs) {
    if (exited) throw new Error(`server exited before answering ${urlPath}:\n${child.output()}`);
    try {
      const r = await http(port, 'GET', urlPath, { timeoutMs: 2000 });
      if (r.status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    await sleep(10);
  }
  throw new Error(`no 200 from ${urlPath} within ${timeoutMs} ms:\n${child.output()}`);
}

/** Signs in with the password and returns the `wm_session=…` cookie to send. */
export async function login(port: number, username: string, password: string): Promise<string> {
  const r = await http(port, 'POST', '/api/auth/login', { json: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
  const set = r.headers['set-cookie'];
  const cookies = Array.isArray(set) ? set : set ? [set] : [];
  const session = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('wm_session='));
  if (!session) throw new Error(`login ${username}: no wm_session cookie`);
  return session;
}

/** The resident set size and its peak, in KiB, from /proc/<pid>/status (Linux only). */
export function readRss(pid: number): { rssKiB: number; hwmKiB: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => {
    const m = status.match(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm'));
    return m ? Number(m[1]) : Number.NaN;
  };
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

// ---- CPU time --------------------------------------------------------------------------------

/** A process's /proc/<pid>/stat fields after its command name (which may hold spaces), or null. */
export function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: the unit of the times in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) a process has used (0 where /proc cannot be read); with `children`, also
 * what its ended children used (utime, stime, cutime, cstime: fields 14–17 of the stat line).
 */
function processCpuSeconds(pid: number | string, children = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / CLOCK_TICKS;
}

/**
 * CPU seconds used by one PostgreSQL cluster: its postmaster, with the backends that ended (its children's
 * times: a pooled connection is replaced now and then), and every process it started that still runs.
 */
function postgresCpuSeconds(postmaster: number): number {
  let sum = processCpuSeconds(postmaster, true);
  for (const pid of readdirSync('/proc')) {
    if (/^\d+$/.test(pid) && statFields(pid)?.[1] === String(postmaster)) sum += processCpuSeconds(pid);
  }
  return sum;
}

/** Where the machine's CPU went during a load case: the server, PostgreSQL, this process (the load). */
export interface CpuSplit {
  server: number;
  database: number;
  load: number;
}

/**
 * Starts counting CPU seconds of the server `pid`, of the PostgreSQL cluster of `postmaster` (if any) and
 * of this process; the returned function gives what each used since.
 */
export function cpuMeter(pid: number, postmaster: number | null): () => CpuSplit {
  const dbSeconds = () => (postmaster === null ? 0 : postgresCpuSeconds(postmaster));
  const server0 = processCpuSeconds(pid);
  const db0 = dbSeconds();
  const load0 = process.cpuUsage();
  return () => {
    const load = process.cpuUsage(load0);
    return {
      server: processCpuSeconds(pid) - server0,
      database: dbSeconds() - db0,
      load: (load.user + load.system) / 1e6,
    };
  };
}
