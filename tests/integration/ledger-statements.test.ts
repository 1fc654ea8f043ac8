/**
 * What one report submission costs the database, counted statement by statement (deterministic, unlike
 * timings): create + submit in one request is one transaction with a bounded number of statements, and
 * the reviewers' notice, once written, is not written again for every further report.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryIdle } from '../../apps/server/src/platform/notify/service.ts';
import { seedDemoCampaign } from '../../apps/server/src/seed/demo-campaign.ts';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let liaison: Client;
let seen: string[] | null = null;
/** PostgreSQL takes the audit chain's advisory lock before it reads the chain's head. */
const perAudit = ENGINE === 'postgres' ? 1 : 0;
/**
 * …and the HTTP edge reads the cache versions (decision 0006): a query on PostgreSQL; on SQLite a statement
 * compiled once, run again when this connection has written since the last reading.
 */
const perRequest = 1;

beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date('2026-11-22T02:00:00Z');
  await seedDemoCampaign(t.ctx);
  liaison = await signedIn(t.app, 'liaison');
  const sqlite = t.ctx.database.sqlite;
  if (sqlite) {
    // Compiled statements are kept and reused (db/index.ts): count executions, not compilations.
    type Run = (this: { source: string }, ...args: unknown[]) => unknown;
    const proto = Object.getPrototypeOf(sqlite.prepare('select 1')) as Record<'all' | 'run' | 'iterate', Run>;
    for (const m of ['all', 'run', 'iterate'] as const) {
      const original = proto[m];
      proto[m] = function (this: { source: string }, ...args: unknown[]) {
        seen?.push(this.source);
        return original.apply(this, args);
      };
    }
  } else {
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    // The pool's clients are created inside Kysely's driver: the prototype is the one place to listen.
    (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0];
      seen?.push(typeof q === 'string' ? q : String((q as { text?: string }).text));
      return query.apply(this, args);
    };
  }
});
afterAll(async () => {
  await t?.close();
});

/**
 * The statements a request ran: all of them, its transaction's, and its use case's own (those before the
 * group's audit rows: ledger writes go through group commit, platform/tx.ts, whose one job here runs
 * without a savepoint).
 */
async function counted<R extends { statusCode: number }>(run: () => Promise<R>, status: number) {
  seen = [];
  const res = await run();
  const all = seen;
  seen = null;
  expect(res.statusCode).toBe(status);
  const norm = all.map((q) => q.trim().toLowerCase());
  const begin = norm.indexOf('begin');
  const commit = norm.indexOf('commit');
  let auditRows = norm.findIndex(
    (q, k) =>
      k > begin && (q.startsWith('select pg_advisory_xact_lock') || q.startsWith('select "seq", "hash"')),
  );
  // rows held for the end of the transaction (Tx.insertLater) go in just before the audit rows
  const held = norm[auditRows - 1]?.startsWith('insert into "workflow_history"') ? 1 : 0;
  auditRows -= held;
  return {
    res,
    transactions: norm.filter((q) => q === 'begin').length,
    savepoints: norm.filter((q) => q.startsWith('savepoint')).length,
    inTx: commit - begin - 1,
    work: auditRows - begin - 1,
    held,
    total: norm.length,
    deliveries: norm.filter((q) => q.includes('notification_deliveries')).length,
    notifications: norm.filter((q) => q.startsWith('insert into "notifications"')).length,
  };
}

describe(`ledger statements per submission on ${ENGINE}`, () => {
  it('create + submit in one request: 7 statements of its own, 19 with the reply, 13 without (SQLite)', async () => {
    const tasks = (await liaison.get('/api/ledger/my-tasks')).json().items;
    const inst = tasks[0];
    const body = {
      campaignId: inst.campaign.id,
      summary: '本月开展宣传活动一场',
      items: [{ instanceId: inst.id, amounts: inst.task.targets.map(() => 1) }],
      submit: true,
    };
    // Once the reviewers have read everything, the next submission tells them (one insert for all of them;
    // nothing queued to send: the kind has no SMS).
    await t.ctx.database.db
      .updateTable('notifications')
      .set({ read_at: t.clock.now().toISOString() })
      .execute();
    const first = await counted(() => liaison.post('/api/ledger/reports', body), 201);
    expect(first.res.json().state).toBe('submitted');
    expect(first.transactions).toBe(1);
    expect(first.notifications).toBe(1);
    await deliveryIdle(t.ctx);
    const next = await counted(() => liaison.post('/api/ledger/reports', body), 201);
    expect(next.res.json().state).toBe('submitted');
    expect(next.transactions).toBe(1);
    expect(next.notifications).toBe(0);
    expect(next.deliveries).toBe(0);
    expect(next.work).toBeLessThanOrEqual(7);
    expect(next.savepoints).toBe(0);
    // + the group's held history rows (one INSERT) and audit rows (the chain's lock on PostgreSQL, its
    // head, one INSERT) in the transaction, + begin, commit and the report read back (6) outside
    expect(next.held).toBe(1);
    expect(next.inTx).toBe(next.work + 3 + perAudit);
    expect(next.total).toBeLessThanOrEqual(next.inTx + 8 + perRequest);

    // Prefer: return=minimal: the report is not read back
    const minimal = await counted(
      () => liaison.request('POST', '/api/ledger/reports', body, { prefer: 'return=minimal' }),
      201,
    );
    expect(minimal.res.headers['preference-applied']).toBe('return=minimal');
    const ref = minimal.res.json();
    expect(Object.keys(ref).sort()).toEqual(['id', 'state', 'version']);
    expect(ref).toMatchObject({ state: 'submitted', version: 2 });
    expect(minimal.total).toBe(minimal.inTx + 2 + perRequest);
    const stored = (await liaison.get(`/api/ledger/reports/${ref.id}`)).json();
    expect(stored).toMatchObject({ id: ref.id, state: 'submitted', version: 2 });

    // The two-step path: a draft, then the transition.
    const draft = await counted(
      () => liaison.post('/api/ledger/reports', { ...body, submit: undefined }),
      201,
    );
    expect(draft.transactions).toBe(1);
    expect(draft.work).toBeLessThanOrEqual(5);
    const id = draft.res.json().id;
    const submit = await counted(
      () => liaison.post(`/api/ledger/reports/${id}/transitions`, { action: 'submit', version: 1 }),
      200,
    );
    expect(submit.transactions).toBe(1);
    expect(submit.work).toBeLessThanOrEqual(11);
    expect(submit.deliveries).toBe(0);
  });
});
