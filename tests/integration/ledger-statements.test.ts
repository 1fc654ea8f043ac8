/**
 * What one report submission costs the database, counted statement by statement (deterministic, unlike
 * timings): create + submit in one request is one transaction with a bounded number of statements, and
 * the reviewers' notice, once written, is not written again for every further report.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryIdle } from '../../apps/server/src/platform/notify/service.ts';
import { seedDemoCampaign } from '../../apps/server/src/seed/demo-campaign.ts';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let liaison: Client;
let seen: string[] | null = null;
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

/** A statement as "verb table": `select campaigns`, `insert ledger_reports`, `begin`. */
function kind(q: string): string {
  const text = q.trim().toLowerCase();
  // PostgreSQL's one INSERT of a transaction's held rows and audit rows, into several tables
  // PostgreSQL's one statement for a transaction's held updates and rows and its audit rows
  if (text.startsWith('with held_') || text.startsWith('select wm_audit_append'))
    return [...text.matchAll(/(update|insert into) "(\w+)"|wm_audit_append/g)]
      .map((m) => (m[1] ? `${m[1].split(' ')[0]} ${m[2]}` : 'insert audit_log'))
      .join(' + ');
  const verb = text.split(/\s/, 1)[0] ?? '';
  const table =
    /^insert into "?(\w+)/.exec(text)?.[1] ??
    /^update "?(\w+)/.exec(text)?.[1] ??
    /^delete from "?(\w+)/.exec(text)?.[1] ??
    /\bfrom "?(\w+)/.exec(text)?.[1];
  return table ? `${verb} ${table}` : verb;
}

/** The statements a request ran, as kinds (see `kind`): all of them and its transaction's (begin to commit). */
async function counted<R extends { statusCode: number }>(run: () => Promise<R>, status: number) {
  seen = [];
  const res = await run();
  const all = (seen ?? []).map(kind);
  seen = null;
  expect(res.statusCode).toBe(status);
  const begin = all.indexOf('begin');
  const commit = all.indexOf('commit');
  expect(all.filter((k) => k === 'begin')).toHaveLength(1);
  return { res, all, tx: all.slice(begin, commit + 1) };
}

/**
 * The end of a transaction that holds updates of `updated` and rows for `inserted`: on SQLite the audit
 * chain's head, then the updates, the held rows and the audit rows, a table at a time; on PostgreSQL one
 * statement for them all (the audit rows chained by the database under the chain's lock).
 */
function end(updated: string[], ...inserted: string[]): string[] {
  const writes = [
    ...updated.map((t) => `update ${t}`),
    ...[...inserted, 'audit_log'].map((t) => `insert ${t}`),
  ];
  return ENGINE === 'postgres' ? [writes.join(' + '), 'commit'] : ['select audit_log', ...writes, 'commit'];
}

describe(`ledger statements per submission on ${ENGINE}`, () => {
  it('create + submit in one request: two reads of its own, its writes with its group, six reads back', async () => {
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
    expect(first.tx.filter((k) => k === 'insert notifications')).toHaveLength(1);
    await deliveryIdle(t.ctx);

    // A group reads its reports' instances at once (read ahead); the campaign's state, the reviewers and
    // who of them has an unread notice come from memory, under the cache versions the edge read. It then
    // writes what its jobs held (Tx.holding): the instances' aggregates, the reports, their
    // items, their history and the audit rows (one statement for them all on PostgreSQL).
    const version = async () =>
      Number(
        (
          await t.ctx.database.db
            .selectFrom('task_instances')
            .select('version')
            .where('id', '=', inst.id)
            .executeTakeFirstOrThrow()
        ).version,
      );
    const before = await version();
    const next = await counted(() => liaison.post('/api/ledger/reports', body), 201);
    expect(next.res.json().state).toBe('submitted');
    // the held update raises the instance's version, as an update of its own would
    expect(await version()).toBe(before + 1);
    // (the first report's notices moved their cache version: who has one unread is read again, once)
    const steady = [
      'begin',
      'select task_instances',
      ...end(['task_instances'], 'ledger_reports', 'ledger_report_items', 'workflow_history'),
    ];
    expect(next.tx).toEqual([...steady.slice(0, 2), 'select notifications', ...steady.slice(2)]);
    // before it, the HTTP edge reads the cache versions (decision 0006: a query on PostgreSQL; on SQLite a
    // statement compiled once, run again when this connection has written since); after it, the report is
    // read back: itself, its items, files, history, and the names in it
    expect(next.all.slice(0, next.all.indexOf('begin'))).toEqual(['select cache_versions']);
    expect(next.all.slice(next.all.indexOf('commit') + 1)).toEqual([
      'select ledger_reports',
      'select ledger_report_items',
      'select file_links',
      'select workflow_history',
      'select users',
      'select org_units',
    ]);

    // Prefer: return=minimal: the report is not read back
    const minimal = await counted(
      () => liaison.request('POST', '/api/ledger/reports', body, { prefer: 'return=minimal' }),
      201,
    );
    expect(minimal.res.headers['preference-applied']).toBe('return=minimal');
    const ref = minimal.res.json();
    expect(Object.keys(ref).sort()).toEqual(['id', 'state', 'version']);
    expect(ref).toMatchObject({ state: 'submitted', version: 2 });
    expect(minimal.all).toEqual(['select cache_versions', ...steady]);
    const stored = (await liaison.get(`/api/ledger/reports/${ref.id}`)).json();
    expect(stored).toMatchObject({ id: ref.id, state: 'submitted', version: 2 });

    // Any write to a campaign moves its cache version: the next report reads its campaign again, before
    // its transaction; the one after does not.
    await sql`update campaigns set name = name`.execute(t.ctx.database.db);
    const minimalAgain = () =>
      counted(() => liaison.request('POST', '/api/ledger/reports', body, { prefer: 'return=minimal' }), 201);
    const reread = await minimalAgain();
    expect(reread.all.slice(0, reread.all.indexOf('begin'))).toEqual([
      'select cache_versions',
      'select campaigns',
    ]);
    expect((await minimalAgain()).all).toEqual(['select cache_versions', ...steady]);

    // The two-step path: a draft (held too), then the transition, which reads what it needs at once.
    const draft = await counted(
      () => liaison.post('/api/ledger/reports', { ...body, submit: undefined }),
      201,
    );
    expect(draft.tx).toEqual([
      'begin',
      'select task_instances',
      // a new record's history goes in at once (createRecord); the draft itself is held
      'insert workflow_history',
      ...end([], 'ledger_reports', 'ledger_report_items'),
    ]);
    const id = draft.res.json().id;
    const submit = await counted(
      () => liaison.post(`/api/ledger/reports/${id}/transitions`, { action: 'submit', version: 1 }),
      200,
    );
    expect(submit.tx).not.toContain('savepoint');
    // begin, at most 11 of its own, then its history rows and audit rows
    expect(submit.tx.length).toBeLessThanOrEqual(1 + 11 + end([], 'workflow_history').length);
    expect(submit.tx.filter((k) => k.startsWith('insert notification_deliveries'))).toEqual([]);
  });
});
