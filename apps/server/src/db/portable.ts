import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import type { Database } from './index.ts';
import { bool, int } from './normalize.ts';
import { type DB, PRIMARY_KEYS, TABLES } from './schema.ts';

/**
 * A portable dump (JSON Lines) that moves a whole installation between SQLite and PostgreSQL.
 * Values are written in one canonical form (booleans true/false, integers as numbers, text as is),
 * so counts and per-table checksums are equal on both engines after a round trip.
 */
const BOOL_COLUMNS = new Set([
  'must_change_password',
  'totp_enabled',
  'used',
  'enabled',
  'require_ack',
  'requires_unit_approval',
  'photo_required',
  'answer_review',
  'public',
  'active',
  'anonymous',
  'hidden',
  'valid',
]);
const INT_COLUMNS = new Set([
  'depth',
  'sort',
  'failed_logins',
  'attempts',
  'seq',
  'totp_last_step',
  'year',
  'size',
  'width',
  'height',
  'round',
  'stage',
  'working_days_late',
  'version',
  'weight',
  'progress',
  'accepted_reports',
  'pending_reports',
  'distance',
  'hooks_pending',
  'value',
  'rating',
  'score',
  'reopen_count',
  'follower_count',
  'created',
  'updated',
  'unchanged',
  'rejected',
]);

export const DUMP_FORMAT = 'wenming-dump';

export interface TableSummary {
  count: number;
  checksum: string;
}
export type DumpSummary = Record<string, TableSummary>;

function canonical(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row).sort()) {
    const v = row[key];
    out[key] =
      v === null || v === undefined
        ? null
        : BOOL_COLUMNS.has(key)
          ? bool(v)
          : INT_COLUMNS.has(key)
            ? int(v)
            : v;
  }
  return out;
}

async function* tableRows(db: Kysely<DB>, table: keyof DB): AsyncGenerator<Record<string, unknown>> {
  const pk = PRIMARY_KEYS[table];
  const batch = 2000;
  for (let offset = 0; ; offset += batch) {
    // Ordered by primary key; org_units by depth first so parents precede children on import.
    let q = db.selectFrom(table).selectAll();
    if (table === 'org_units') q = q.orderBy('depth' as never);
    for (const c of pk) q = q.orderBy(c as never);
    const rows = (await q.limit(batch).offset(offset).execute()) as Record<string, unknown>[];
    for (const r of rows) yield canonical(r);
    if (rows.length < batch) return;
  }
}

export async function summarize(db: Kysely<DB>): Promise<DumpSummary> {
  const out: DumpSummary = {};
  for (const t of TABLES) {
    const h = createHash('sha256');
    let count = 0;
    for await (const r of tableRows(db, t)) {
      h.update(JSON.stringify(r)).update('\n');
      count++;
    }
    out[t] = { count, checksum: h.digest('hex') };
  }
  return out;
}

export async function exportDump(database: Database, file: string): Promise<DumpSummary> {
  const summary = await summarize(database.db);
  const out = createWriteStream(file, { mode: 0o600 });
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(
    JSON.stringify({
      format: DUMP_FORMAT,
      version: 1,
      engine: database.engine,
      createdAt: new Date().toISOString(),
      summary,
    }),
  );
  for (const t of TABLES)
    for await (const r of tableRows(database.db, t)) await write(JSON.stringify({ t, r }));
  out.end();
  await once(out, 'finish');
  return summary;
}

export class DumpError extends Error {}

/** Loads a dump into an empty, migrated database in one transaction, then checks counts and checksums. */
export async function importDump(database: Database, file: string): Promise<DumpSummary> {
  const { db } = database;
  for (const t of ['org_units', 'users', 'audit_log'] as const) {
    const any = await db.selectFrom(t).select(db.fn.countAll().as('n')).executeTakeFirst();
    if (int(any?.n) > 0) throw new DumpError(`the target database is not empty (table ${t} has rows)`);
  }
  let header: { format?: string; summary?: DumpSummary } | undefined;
  await db.transaction().execute(async (trx) => {
    let pending: { t: keyof DB; rows: Record<string, unknown>[] } | undefined;
    const flush = async () => {
      if (pending?.rows.length)
        await trx
          .insertInto(pending.t)
          .values(pending.rows as never)
          .execute();
      pending = undefined;
    };
    // Created right before iterating: readline drops lines emitted before its iterator exists.
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const obj = JSON.parse(line);
      if (!header) {
        if (obj.format !== DUMP_FORMAT) throw new DumpError('not a Wenming dump file');
        header = obj;
        continue;
      }
      const t = obj.t as keyof DB;
      if (!TABLES.includes(t)) throw new DumpError(`unknown table in dump: ${String(t)}`);
      if (pending && (pending.t !== t || pending.rows.length >= 200)) await flush();
      pending ??= { t, rows: [] };
      pending.rows.push(obj.r);
    }
    await flush();
  });
  if (!header?.summary) throw new DumpError('the dump has no header');
  const after = await summarize(db);
  for (const t of TABLES) {
    const want = header.summary[t];
    const got = after[t];
    if (!want || want.count !== got.count || want.checksum !== got.checksum) {
      throw new DumpError(
        `table ${t}: imported ${got.count} rows (checksum ${got.checksum.slice(0, 12)}) ≠ dump`,
      );
    }
  }
  return after;
}
