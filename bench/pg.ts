// The throwaway PostgreSQL cluster of scripts/pg-cluster.mjs, and fresh databases inside it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { ROOT, statFields } from './harness.ts';

export interface PgCluster {
  url: string;
  stop(): Promise<void>;
}
export interface PgClusterModule {
  findPgBin(name: string): string | null;
  startThrowawayPostgres(): Promise<PgCluster>;
}

export async function loadPgCluster(): Promise<PgClusterModule> {
  // scripts/pg-cluster.mjs is plain JavaScript without type declarations: importing it through a
  // computed URL keeps tsc from resolving it, and the interface above states what we use.
  const url = pathToFileURL(path.join(ROOT, 'scripts/pg-cluster.mjs')).href;
  return (await import(url)) as PgClusterModule;
}

/** A new empty database beside the cluster's, for a benchmark that must start from an empty schema. */
export async function freshDatabase(
  url: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The process id of the postmaster of the cluster at `url` (a backend's parent), or null off Linux. */
export async function postmasterPid(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
    const parent = statFields(rows[0]?.pid ?? 0)?.[1];
    return parent ? Number(parent) : null;
  } finally {
    await c.end();
  }
}
