import { CompiledQuery, type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Database, Engine } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import { type Actor, AuditAppender, type AuditInput, type UnchainedRow } from './audit/audit.ts';
import type { AppContext, Clock } from './context.ts';

export interface Tx {
  db: Transaction<DB>;
  /** `ctx.clock`, for helpers that get only the transaction (e.g. notify) to stamp their rows. */
  clock: Clock;
  /** For batch statements that differ per engine (PostgreSQL arrays, SQLite VALUES chunks). */
  engine: Engine;
  /** Appends to the audit log inside this transaction. */
  audit(input: AuditInput): Promise<void>;
  /**
   * Inserts rows at the end of the transaction, just before its audit rows, together with every other
   * row held for the same table (one INSERT for a whole group): for rows that nothing in the transaction
   * reads back, e.g. a new record's history. Rolled back with the job that held them.
   */
  insertLater<T extends keyof DB & string>(table: T, rows: Insertable<DB[T]>[]): void;
  /**
   * Whether this job may hold what it writes for the end of the transaction, like `insertLater` but also
   * rows that later jobs of a group could read (a new report, an instance's updated aggregates): only in a
   * group's first run, without savepoints, for a job that asked for it (`groupTx`'s `holds`) and so
   * promised to read nothing held but through a keeper (`keepUpdates`). Before any other job of the group
   * runs, everything held is written.
   */
  readonly holding: boolean;
  /**
   * Registers the keeper of updates a module holds itself (one per key, the first holding job's): when
   * the held rows are written, it hands over what it kept, written with them (before them; on PostgreSQL
   * in the same statement).
   */
  keepUpdates(key: string, take: () => HeldUpdate | null): void;
}

/** Updates of rows by id that a keeper hands over (see `Tx.keepUpdates`). */
export interface HeldUpdate {
  table: keyof DB & string;
  /** Each row: its `id` and the columns to set (every row the same columns). */
  rows: readonly { id: string }[];
  /** A column raised by one in every row updated (a version). */
  raise?: string;
}

/** What a transaction's held writes come to when written: updates, then rows to insert by table. */
interface Held {
  updates: HeldUpdate[];
  inserts: [keyof DB & string, object[]][];
}

/** Rows and updates held for the end of a transaction (see `Tx.insertLater`, `Tx.keepUpdates`). */
class HeldWrites {
  private held: { table: keyof DB & string; row: object }[] = [];
  private keepers = new Map<string, () => HeldUpdate | null>();

  add(table: keyof DB & string, rows: object[]): void {
    for (const row of rows) this.held.push({ table, row });
  }

  addKeeper(key: string, take: () => HeldUpdate | null): void {
    if (!this.keepers.has(key)) this.keepers.set(key, take);
  }

  /** Keepers are only registered by holding jobs, which never run in savepoints: the mark counts rows. */
  mark(): number {
    return this.held.length;
  }

  restore(mark: number): void {
    this.held.length = mark;
  }

  /**
   * The keepers' updates and the held rows by table, in the order the tables were first held; nothing is
   * held after.
   */
  take(): Held {
    const updates = [...this.keepers.values()].flatMap((take) => take() ?? []);
    this.keepers.clear();
    const byTable = new Map<keyof DB & string, object[]>();
    for (const { table, row } of this.held) {
      const rows = byTable.get(table);
      if (rows) rows.push(row);
      else byTable.set(table, [row]);
    }
    this.held = [];
    return { updates, inserts: [...byTable] };
  }
}

/**
 * Writes what was held — updates of rows by id, rows to insert into several tables — and, on PostgreSQL,
 * has the audit rows chained and inserted (`audit`, migration 010). PostgreSQL: one statement for it all,
 * each update's and each table's rows as one JSON parameter (json_populate_recordset, the table's own row
 * type), so its text depends only on the tables and columns, not on the number of rows (one prepared
 * statement); so held values must be what JSON carries as the columns want them (text, numbers,
 * booleans, null — as every table here stores). SQLite: an UPDATE or an INSERT per table, in chunks (its
 * statements cost no round trip).
 */
async function writeRows(trx: Transaction<DB>, engine: Engine, held: Held, audit: UnchainedRow[] = []) {
  const updates = held.updates.filter((u) => u.rows.length > 0);
  const inserts = held.inserts.filter(([, rows]) => rows.length > 0);
  if (engine !== 'postgres') {
    for (const update of updates) await updateChunks(trx, update);
    for (const [table, rows] of inserts)
      for (let i = 0; i < rows.length; i += HELD_CHUNK)
        await trx
          // one table at a time: each row was typed for its table when it was held
          .insertInto(table as 'workflow_history')
          .values(rows.slice(i, i + HELD_CHUNK) as Insertable<DB['workflow_history']>[])
          .execute();
    return;
  }
  const parts: string[] = [];
  const params: Params = [];
  for (const update of updates) parts.push(updateSql(update, params));
  for (const [table, rows] of inserts) {
    // every column any row gives (a column a row leaves out is null in it, as Kysely's INSERT does)
    const columns = columnsOf(rows)
      .map((c) => `"${c}"`)
      .join(', ');
    parts.push(
      `insert into "${table}" (${columns}) select ${columns} from json_populate_recordset(null::"${table}", ${jsonParam(params, rows)})`,
    );
  }
  if (audit.length) parts.push(`select wm_audit_append(${jsonParam(params, audit)})`);
  const last = parts.pop();
  if (last === undefined) return;
  const text = parts.length ? `with ${parts.map((q, i) => `held_${i} as (${q})`).join(', ')} ${last}` : last;
  await trx.executeQuery(CompiledQuery.raw(text, params));
}

type Params = (string | string[])[];

/** Rows as one JSON parameter of a PostgreSQL statement. */
function jsonParam(params: Params, rows: readonly object[]): string {
  return `$${params.push(JSON.stringify(rows))}::json`;
}

/** PostgreSQL: an update of rows by id as one statement, the rows one JSON parameter. */
function updateSql({ table, rows, raise }: HeldUpdate, params: Params): string {
  const sets = columnsOf(rows)
    .filter((c) => c !== 'id')
    .map((c) => `"${c}" = v."${c}"`);
  if (raise) sets.push(`"${raise}" = t."${raise}" + 1`);
  // the ids once more as an array: the planner knows from it how many rows it updates (it estimates a
  // hundred rows for the JSON: for a few it would scan the table)
  const ids = `$${params.push(rows.map((r) => r.id))}::text[]`;
  return `update "${table}" as t set ${sets.join(', ')} from json_populate_recordset(null::"${table}", ${jsonParam(params, rows)}) as v where t.id = any(${ids}) and t.id = v.id`;
}

/**
 * Updates rows by id now, however many: PostgreSQL one statement (as held updates are written), SQLite
 * `updateChunks`.
 */
export async function updateRows(db: Kysely<DB>, engine: Engine, update: HeldUpdate): Promise<void> {
  if (update.rows.length === 0) return;
  if (engine !== 'postgres') return updateChunks(db, update);
  const params: Params = [];
  const text = updateSql(update, params);
  await db.executeQuery(CompiledQuery.raw(text, params));
}

function columnsOf(rows: readonly object[]): string[] {
  const columns = new Set<string>();
  for (const r of rows) for (const c in r) columns.add(c);
  return [...columns];
}

/**
 * SQLite: an update of rows by id in chunks of `UPDATE … FROM (VALUES …)` (for updates made at once too,
 * e.g. recolouring's, 20,000 rows in a sweep): its text made once a chunk size, the values bound as they
 * are (no query nodes per value).
 */
export async function updateChunks(db: Kysely<DB>, { table, rows, raise }: HeldUpdate): Promise<void> {
  const columns = ['id', ...columnsOf(rows).filter((c) => c !== 'id')];
  const sets = columns.slice(1).map((c) => `"${c}" = v."${c}"`);
  if (raise) sets.push(`"${raise}" = "${table}"."${raise}" + 1`);
  const names = columns.map((c, k) => `column${k + 1} as "${c}"`).join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  // bound parameters well under SQLite's 32,766
  const chunk = Math.max(1, Math.floor(4400 / columns.length));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk) as readonly Record<string, unknown>[];
    const text = `update "${table}" set ${sets.join(', ')} from (select ${names} from (values ${part
      .map(() => tuple)
      .join(', ')}) as vv) as v where "${table}".id = v.id`;
    await db.executeQuery(
      CompiledQuery.raw(
        text,
        part.flatMap((r) => columns.map((c) => r[c] ?? null)),
      ),
    );
  }
}

/** Rows a held INSERT carries at most on SQLite (its bound parameters stay well under its limit). */
const HELD_CHUNK = 200;

/**
 * What a transaction writes at its end: held updates, then held rows and audit rows, the chain's lock
 * last (SQLite: its head read just before; PostgreSQL: the rows of every table and the audit rows, chained
 * by the database under the lock, in one statement).
 */
interface TxEnd {
  audit: AuditAppender;
  held: HeldWrites;
  engine: Engine;
}

function txEnd(trx: Transaction<DB>, engine: Engine): TxEnd {
  return { audit: new AuditAppender(trx as Kysely<DB>), held: new HeldWrites(), engine };
}

async function finish(trx: Transaction<DB>, end: TxEnd): Promise<void> {
  const held = end.held.take();
  if (end.engine === 'postgres') {
    await writeRows(trx, end.engine, held, end.audit.takeUnchained());
    return;
  }
  const audit = await end.audit.take();
  await writeRows(trx, end.engine, { ...held, inserts: [...held.inserts, ['audit_log', audit]] });
}

function txOf(ctx: AppContext, trx: Transaction<DB>, end: TxEnd, actor: Actor, holding = false): Tx {
  return {
    db: trx,
    clock: ctx.clock,
    engine: ctx.database.engine,
    audit: (input) => {
      end.audit.append(actor, input, ctx.clock.now());
      return Promise.resolve();
    },
    insertLater: (table, rows) => end.held.add(table, rows),
    holding,
    keepUpdates: (key, take) => {
      if (!holding) throw new Error(`keepUpdates(${key}) outside a holding job`);
      end.held.addKeeper(key, take);
    },
  };
}

/** What the use cases of one transaction share (see `shared`), by transaction. */
const sharedOf = new WeakMap<Transaction<DB>, Map<string, unknown>>();

/**
 * A value the use cases of one transaction share (a group's jobs, platform/tx.ts `groupTx`): made by
 * `init` for the first that asks, then handed to the others — e.g. rows every job would read alike.
 * A job may update it with what it writes. When a job is rolled back to its savepoint everything shared
 * is forgotten (what that job noted in it may be gone), and the next job that asks makes it anew.
 */
export function shared<T>(tx: Tx, key: string, init: () => T): T {
  let values = sharedOf.get(tx.db);
  if (!values) {
    values = new Map();
    sharedOf.set(tx.db, values);
  }
  if (!values.has(key)) values.set(key, init());
  return values.get(key) as T;
}

/**
 * Rows a holding job is going to read, which its group reads for it (see `groupTx`'s `ahead`): before a
 * run of holding jobs, one `read` per kind for the ids of all of them, instead of one statement a job.
 */
export interface ReadAhead<R = unknown> {
  /** The jobs' reads of one kind go in one call. */
  kind: string;
  /** What this job will read. */
  ids: readonly string[];
  /** Reads the rows of `ids` (those of every job of the run): each id to its row, or to null if none. */
  read(tx: Tx, ids: string[]): Promise<Map<string, R | null>>;
}

/** What a group read ahead, by transaction and kind (only ever read by holding jobs). */
const aheadOf = new WeakMap<Transaction<DB>, Map<string, Map<string, unknown>>>();

/**
 * The rows of `kind` the group read ahead (see `ReadAhead`), each id to its row or null, as the database had
 * them before the run of holding jobs this job belongs to; undefined when nothing was read ahead. What jobs
 * of the run held since is not in them: the module that holds updates lays them over (recolouring does).
 * A holding job changes what a later job may read only by holding it (`Tx.holding`), so nothing else in
 * the transaction changes these rows before the run ends; as for any read, another transaction may.
 */
export function readAheadRows<R>(tx: Tx, kind: string): ReadonlyMap<string, R | null> | undefined {
  if (!tx.holding) return undefined;
  return aheadOf.get(tx.db)?.get(kind) as ReadonlyMap<string, R | null> | undefined;
}

/** Reads ahead for `jobs` (a run of holding jobs): one call per kind, with the ids of them all. */
async function readAhead(tx: Tx, jobs: GroupJob[]): Promise<void> {
  const kinds = new Map<string, { read: ReadAhead['read']; ids: Set<string> }>();
  for (const job of jobs) {
    if (!job.ahead) continue;
    const { kind, read, ids } = job.ahead;
    const k = kinds.get(kind) ?? { read, ids: new Set<string>() };
    for (const id of ids) k.ids.add(id);
    kinds.set(kind, k);
  }
  const rows = new Map<string, Map<string, unknown>>();
  for (const [kind, { read, ids }] of kinds) rows.set(kind, await read(tx, [...ids]));
  aheadOf.set(tx.db, rows);
}

/**
 * Runs a write use case in one transaction together with its audit rows: either the change and its
 * record commit, or neither does. Keep the body short and free of non-database I/O (SQLite has one writer).
 */
export function writeTx<T>(ctx: AppContext, actor: Actor, body: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction().execute(async (trx) => {
    const end = txEnd(trx, ctx.database.engine);
    const value = await body(txOf(ctx, trx, end, actor));
    await finish(trx, end);
    return value;
  });
}

interface GroupJob {
  actor: Actor;
  body: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Jobs with the same key never run in two groups at once (see `groupTx`). */
  key: string | undefined;
  /** The job may hold its writes (see `Tx.holding`). */
  holds: boolean;
  /** What the job will read, for its group to read ahead (holding jobs only). */
  ahead: ReadAhead | undefined;
  /** Times the job was rolled back as a deadlock's victim and put back in the queue. */
  retries: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown } | { ok: 'again' };

/** At most this many use cases share one transaction. */
const GROUP_MAX = 64;

/**
 * Groups that may run at once. SQLite has one writer: one. PostgreSQL: two, each on its own connection,
 * so that one group's statements run while the other waits for its round trips or its commit. Measured
 * over HTTP on two cores (decision 0009): before jobs held their writes, four lanes did best; since, a
 * group costs mostly what it pays once, and two lanes (larger groups) beat three and four.
 */
const LANES: Record<Engine, number> = { sqlite: 1, postgres: 2 };

/** A job that lost a deadlock is run again in a later group, at most this many times. */
const DEADLOCK_RETRIES = 3;

/**
 * Group commit, for write use cases that come in bursts (house rule 7): the use cases that arrive while
 * a transaction is running wait, and then run together in the next one, one after the other. A body that
 * throws is rolled back — nothing of it is written, its audit rows included — and its caller gets the
 * error; the others commit together (the group is run again without it, each body then in a savepoint of
 * its own). Every caller is
 * answered only after the commit; if the commit itself fails, every caller of the group gets that error
 * and nothing of the group is written. Each body sees what the bodies before it in the group wrote, as
 * if they had been separate transactions committed just before.
 *
 * On PostgreSQL several groups run at once (`LANES`), each on its own connection. Two of them could then
 * wait for each other's rows: jobs that write the same rows should share a `key` (the ledger uses the
 * report's unit, whose task instances it updates), and jobs with the same key are never in two running
 * groups — they wait for the group that has their key to commit. Should two groups still deadlock
 * (PostgreSQL fails one statement of one of them after `deadlock_timeout`, one second by default), the
 * job whose statement failed is rolled back, its group commits without it (which releases what the other
 * group waited for), and the job runs again in a later group — its caller sees nothing of it.
 *
 * What a group saves is what is paid once per transaction: the commit (its WAL writes on SQLite, a
 * round trip and the WAL flush on PostgreSQL), the audit chain's head read (and, on PostgreSQL, its lock),
 * the wait for that lock, and the audit rows' INSERT (one for the group). The same rules as for `writeTx`
 * hold for the body, more strictly: a slow body delays the whole group, and a body may run more than once
 * (when another body of its group fails, or after a deadlock), so it must not act outside its transaction.
 */
export function groupTx<T>(
  ctx: AppContext,
  actor: Actor,
  key: string | undefined,
  body: (tx: Tx) => Promise<T>,
  opts: { holds?: boolean; ahead?: ReadAhead } = {},
): Promise<T> {
  return groupOf(ctx).run({ actor, body, key, holds: opts.holds === true, ahead: opts.ahead });
}

const groups = new WeakMap<Database, Group>();

function groupOf(ctx: AppContext): Group {
  let g = groups.get(ctx.database);
  if (!g) {
    g = new Group(ctx);
    groups.set(ctx.database, g);
  }
  return g;
}

/** PostgreSQL's SQLSTATE for a transaction chosen as a deadlock's victim. */
const DEADLOCK_DETECTED = '40P01';

function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DEADLOCK_DETECTED;
}

/**
 * Shares queued jobs among `lanes` free lanes, one group each, evenly and at most `GROUP_MAX` a group.
 * The jobs of one key go to one group; jobs whose key is `busy` (a running group has it), and those that
 * do not fit, are left in `rest`. Every group and `rest` keep the queue's order.
 */
export function shareOut<J extends { key: string | undefined }>(
  queue: J[],
  busy: ReadonlySet<string>,
  lanes: number,
): { groups: J[][]; rest: J[] } {
  const ready = queue.filter((j) => j.key === undefined || !busy.has(j.key));
  const count = Math.min(lanes, ready.length);
  if (count <= 0) return { groups: [], rest: queue };
  const share = Math.ceil(ready.length / count);
  // the jobs of each key, in the order of the keys' first jobs; a job without a key is its own bundle
  const bundles = new Map<string | J, J[]>();
  for (const job of ready) {
    const bundle = bundles.get(job.key ?? job);
    if (bundle) bundle.push(job);
    else bundles.set(job.key ?? job, [job]);
  }
  const groups: J[][] = [];
  let group: J[] = [];
  for (const bundle of bundles.values()) {
    if (group.length >= share && groups.length + 1 < count) {
      groups.push(group);
      group = [];
    }
    group.push(...bundle.slice(0, GROUP_MAX - group.length));
  }
  groups.push(group);
  const taken = new Set(groups.flat());
  const order = new Map(queue.map((j, k) => [j, k]));
  for (const g of groups) g.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { groups, rest: queue.filter((j) => !taken.has(j)) };
}

class Group {
  private queue: GroupJob[] = [];
  /** Groups running. */
  private running = 0;
  /** The keys of the jobs in the running groups. */
  private readonly busy = new Set<string>();
  /** Whether a dispatch is due (see `schedule`). */
  private scheduled = false;
  private readonly lanes: number;

  constructor(private readonly ctx: AppContext) {
    this.lanes = LANES[ctx.database.engine];
  }

  run<T>(job: Pick<GroupJob, 'actor' | 'body' | 'key' | 'holds' | 'ahead'>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ...job, resolve: resolve as (v: unknown) => void, reject, retries: 0 });
      this.schedule();
    });
  }

  /**
   * Dispatches the queue two turns of the event loop later, when a lane is free: the requests whose bytes
   * came in with this one and in the turn after (their handlers need a turn to get here) join the same
   * groups. Fewer, larger groups measured 12% more submissions a second than starting in the next turn;
   * the wait is microseconds.
   */
  private schedule(): void {
    if (this.scheduled || this.running >= this.lanes || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() =>
      setImmediate(() => {
        this.scheduled = false;
        this.dispatch();
      }),
    );
  }

  private dispatch(): void {
    const { groups, rest } = shareOut(this.queue, this.busy, this.lanes - this.running);
    this.queue = rest;
    for (const jobs of groups) {
      this.running += 1;
      for (const j of jobs) if (j.key !== undefined) this.busy.add(j.key);
      void this.runGroup(jobs).finally(() => {
        this.running -= 1;
        for (const j of jobs) if (j.key !== undefined) this.busy.delete(j.key);
        this.schedule();
      });
    }
  }

  /**
   * Runs a group: first straight through, without savepoints (two statements a job less); should a job
   * fail, the whole transaction is rolled back and the group runs again without that job, each job then
   * in a savepoint of its own (so that further failures cost only themselves). The failed job gets its
   * error (or, after a deadlock, goes back to the queue). Should what the jobs held fail to go in, the
   * whole group runs again so, where nothing but history rows is held.
   */
  private async runGroup(jobs: GroupJob[]): Promise<void> {
    let outcomes: Map<GroupJob, Outcome>;
    try {
      outcomes = await this.attempt(jobs, false);
    } catch (error) {
      if (!(error instanceof JobFailed || error instanceof HeldFailed)) {
        for (const job of jobs) job.reject(error);
        return;
      }
      // without the job that failed; or, when what the jobs held failed to go in (a deadlock, say), all
      const failed = error instanceof JobFailed ? error : null;
      const rest = jobs.filter((j) => j !== failed?.job);
      try {
        outcomes = rest.length ? await this.attempt(rest, true) : new Map();
      } catch (again) {
        for (const job of rest) job.reject(again);
        outcomes = new Map();
      }
      if (failed) outcomes.set(failed.job, failure(failed.job, failed.error));
    }
    const again: GroupJob[] = [];
    for (const job of jobs) {
      const o = outcomes.get(job);
      if (!o) continue;
      if (o.ok === 'again') again.push(job);
      else if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    }
    // first in the queue: they came before what is waiting there
    this.queue.unshift(...again);
  }

  /**
   * One transaction for `jobs`, committed. Without savepoints the first failing job ends it (`JobFailed`,
   * everything rolled back); with them each job is rolled back to its own savepoint and the rest commit.
   */
  private async attempt(jobs: GroupJob[], savepoints: boolean): Promise<Map<GroupJob, Outcome>> {
    const outcomes = new Map<GroupJob, Outcome>();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const end = txEnd(trx, this.ctx.database.engine);
      for (const [k, job] of jobs.entries()) {
        if (savepoints) outcomes.set(job, await this.runJob(trx, end, job));
        else {
          const tx = txOf(this.ctx, trx, end, job.actor, job.holds);
          if (!job.holds) {
            // a job that does not hold may read and write anything: what the jobs before it held is
            // written first, and what was read ahead for them is forgotten
            await writeHeld(() => writeRows(trx, end.engine, end.held.take()));
            aheadOf.delete(trx);
          } else if (!aheadOf.has(trx)) {
            // the first of a run of holding jobs: read ahead for the run
            const next = jobs.findIndex((j, i) => i > k && !j.holds);
            await readAhead(tx, jobs.slice(k, next < 0 ? jobs.length : next));
          }
          try {
            outcomes.set(job, { ok: true, value: await job.body(tx) });
          } catch (error) {
            throw new JobFailed(job, error);
          }
        }
      }
      // the held rows and audit rows of every job that stayed, in one go
      if (savepoints) await finish(trx, end);
      else await writeHeld(() => finish(trx, end));
    });
    return outcomes;
  }

  /**
   * Runs one job in a savepoint of its own, released after it. (Leaving the savepoints nested instead, a
   * statement less per job, made PostgreSQL's groups a third slower in the benchmark.)
   */
  private async runJob(trx: Transaction<DB>, end: TxEnd, job: GroupJob): Promise<Outcome> {
    const mark = { audit: end.audit.mark(), held: end.held.mark() };
    await sql`savepoint wm_group_job`.execute(trx);
    try {
      const value = await job.body(txOf(this.ctx, trx, end, job.actor));
      await sql`release savepoint wm_group_job`.execute(trx);
      return { ok: true, value };
    } catch (error) {
      await sql`rollback to savepoint wm_group_job`.execute(trx);
      await sql`release savepoint wm_group_job`.execute(trx);
      end.audit.restore(mark.audit);
      end.held.restore(mark.held);
      sharedOf.delete(trx);
      return failure(job, error);
    }
  }
}

/** A job's failure: after a deadlock, while it has retries left, it runs again in a later group. */
function failure(job: GroupJob, error: unknown): Outcome {
  if (isDeadlock(error) && job.retries < DEADLOCK_RETRIES) {
    job.retries += 1;
    return { ok: 'again' };
  }
  return { ok: false, error };
}

/**
 * Writes what the jobs of a savepoint-free run held (with, at its end, the audit rows): a failure there
 * is no one job's (`HeldFailed`: the group runs again, each job in a savepoint, nothing held).
 */
async function writeHeld(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new HeldFailed(error);
  }
}

class HeldFailed extends Error {
  constructor(readonly error: unknown) {
    super('the rows held by a group failed to go in', { cause: error });
  }
}

/** Thrown out of a group's transaction, without savepoints, by its first failing job (rolls it back). */
class JobFailed extends Error {
  constructor(
    readonly job: GroupJob,
    readonly error: unknown,
  ) {
    super('a job of the group failed');
  }
}
