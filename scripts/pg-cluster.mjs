// Throwaway PostgreSQL clusters for tests.
//
//   import { startThrowawayPostgres } from './pg-cluster.mjs';
//   const pg = await startThrowawayPostgres();   // { url, stop }
//   ... use pg.url ...
//   await pg.stop();
//
// Run directly (`node scripts/pg-cluster.mjs`) it starts a cluster, prints its URL and keeps it
// running until Ctrl-C — handy for running a single test file against PostgreSQL by hand.
//
// initdb/pg_ctl refuse to run as root, so as root the cluster belongs to the `postgres` user
// (created if missing) and every PostgreSQL binary runs through `runuser -u postgres --`.

import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Finds a PostgreSQL binary in PATH, /usr/local/bin, then /usr/lib/postgresql/<newest>/bin. */
export function findPgBin(name) {
  const versioned = () => {
    try {
      return readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`);
    } catch {
      return [];
    }
  };
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
    '/usr/local/bin',
    ...versioned(),
  ];
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return null;
}

/** Runs a command (as `postgres` when we are root) and resolves with its output; rejects on failure. */
function run(cmd, args) {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    // detached: a new session, so a terminal Ctrl-C reaches us but not initdb or the postmaster
    // pg_ctl forks; we then shut the cluster down ourselves, in order.
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    // 'exit', not 'close': the postmaster started by pg_ctl may inherit and hold the pipes open.
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}):\n${out}`)),
    );
  });
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves true once something accepts TCP connections on 127.0.0.1:port. */
function canConnect(port) {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function ensurePostgresUser() {
  if (spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0) return;
  const r = spawnSync('useradd', ['-r', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`useradd -r postgres failed: ${r.stderr}`);
}

/**
 * Creates, configures and starts a fresh cluster in a temp dir.
 * @returns {Promise<{ url: string, stop(): Promise<void> }>}
 */
export async function startThrowawayPostgres() {
  const initdb = findPgBin('initdb');
  const pgCtl = findPgBin('pg_ctl');
  if (!initdb || !pgCtl)
    throw new Error('initdb/pg_ctl not found (PATH, /usr/local/bin, /usr/lib/postgresql/*/bin)');

  // As root the dir must be reachable by `postgres`: /tmp is, a private $TMPDIR might not be.
  const dir = mkdtempSync(join(isRoot ? '/tmp' : tmpdir(), 'wenming-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let started = false;

  let stopping;
  const stop = () => {
    // Idempotent: callers (finally blocks, signal handlers) may race to stop the same cluster.
    stopping ??= (async () => {
      if (started) {
        try {
          await run(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
        } catch (err) {
          // pg_ctl could not stop it: kill the postmaster directly so nothing is left behind.
          const pid = Number(readPid(data));
          if (pid) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {}
          } else {
            console.error(String(err));
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    if (isRoot) {
      ensurePostgresUser();
      const r = spawnSync('chown', ['-R', 'postgres:', dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`chown postgres ${dir} failed: ${r.stderr}`);
    }
    await run(initdb, [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);

    // Settings go into the config file rather than `pg_ctl -o`, which avoids shell quoting.
    // Appending as root keeps the file's owner (postgres).
    let lastError;
    for (let attempt = 1; attempt <= 3 && !started; attempt++) {
      const port = await freePort();
      appendFileSync(
        join(data, 'postgresql.conf'),
        [
          '',
          '# wenming throwaway test cluster (speed over durability)',
          `port = ${port}`,
          "listen_addresses = '127.0.0.1'",
          `unix_socket_directories = '${dir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          '',
        ].join('\n'),
      );
      try {
        // -w waits until the server accepts connections (or -t seconds pass).
        await run(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
        started = true;
        if (!(await canConnect(port)))
          throw new Error(`PostgreSQL started but 127.0.0.1:${port} refuses connections`);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
      } catch (err) {
        // Most likely the port was taken between freePort() and start: try another one.
        lastError = new Error(`${err.message}\n--- server.log ---\n${safeRead(log)}`);
        if (started) throw lastError;
      }
    }
    throw lastError;
  } catch (err) {
    await stop();
    throw err;
  }
}

function readPid(data) {
  return safeRead(join(data, 'postmaster.pid')).split('\n')[0].trim();
}

function safeRead(file) {
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

// CLI: start a cluster, print its URL, stop it on Ctrl-C / SIGTERM.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pg = await startThrowawayPostgres();
  console.log(pg.url);
  console.error('PostgreSQL is running; press Ctrl-C to stop it and delete its data.');
  const shutdown = () => pg.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30); // keep the process alive
}
