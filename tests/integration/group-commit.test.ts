/**
 * Group commit (platform/tx.ts `groupTx`): use cases that arrive together share one transaction; one that
 * fails leaves nothing behind (its audit rows included) and the others commit (run again, each in a
 * savepoint of its own); the audit chain stays whole across the group and the groups after it. On PostgreSQL groups run
 * in two lanes: jobs of one key never in two at once, and a deadlock between lanes costs nobody an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { verifyAuditChain } from '../../apps/server/src/platform/audit/audit.ts';
import { AppError } from '../../apps/server/src/platform/http/errors.ts';
import {
  groupTx,
  type ReadAhead,
  readAheadRows,
  shared,
  type Tx,
  writeTx,
} from '../../apps/server/src/platform/tx.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';
import { signal } from '../helpers/signal.ts';

let t: TestApp;
const actor = { id: null, name: 'group-commit test', ip: null };

beforeAll(async () => {
  t = await makeTestApp({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

/** A test event row of `type` about `tag`. */
function eventRow(type: string, tag: string, id = uuidv7()) {
  return {
    id,
    type,
    subject_type: 'test',
    subject_id: tag,
    user_id: null,
    payload: '{}',
    created_at: new Date().toISOString(),
    consumed_at: null,
  };
}

/** An event row of `type` about `tag`, stored now; its id. */
async function storedEvent(type: string, tag: string): Promise<string> {
  const row = eventRow(type, tag);
  await t.ctx.database.db.insertInto('domain_events').values(row).execute();
  return row.id;
}

/** Writes one event row and one audit row tagged `tag`; throws after writing them when `fail`. */
async function job(tx: Tx, tag: string, fail = false): Promise<string> {
  await tx.db.insertInto('domain_events').values(eventRow('test.group', tag)).execute();
  await tx.audit({ action: 'test.group', entity: 'test', entityId: tag });
  await tx.audit({ action: 'test.group.second', entity: 'test', entityId: tag });
  if (fail) throw new AppError(409, 'CONFLICT');
  return tag;
}

/** The entities of the audit rows of `action`, in order. */
async function audited(action: string): Promise<string[]> {
  const rows = await t.ctx.database.db
    .selectFrom('audit_log')
    .select('entity_id')
    .where('action', '=', action)
    .orderBy('entity_id')
    .execute();
  return rows.map((a) => a.entity_id ?? '');
}

/** The subjects of the test events of `type` (`test.group` unless said), in order. */
async function eventSubjects(type = 'test.group', subjects?: string[]): Promise<string[]> {
  let q = t.ctx.database.db.selectFrom('domain_events').select('subject_id').where('type', '=', type);
  if (subjects) q = q.where('subject_id', 'in', subjects);
  return (await q.orderBy('subject_id').execute()).map((e) => e.subject_id);
}

async function written(): Promise<{ events: string[]; audited: string[] }> {
  return { events: await eventSubjects(), audited: await audited('test.group') };
}

describe(`group commit on ${ENGINE}`, () => {
  it('runs the use cases of one turn in one transaction; a failing one leaves nothing, the others commit', async () => {
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e'].map((tag) =>
        groupTx(t.ctx, actor, undefined, (tx) => job(tx, tag, tag === 'c')),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const failed = outcomes[2];
    expect(failed?.status === 'rejected' && (failed.reason as AppError).code).toBe('CONFLICT');
    expect(await written()).toEqual({ events: ['a', 'b', 'd', 'e'], audited: ['a', 'b', 'd', 'e'] });
    // the rolled-back job's audit rows are gone and the chain runs on without a gap
    const chain = await verifyAuditChain(t.ctx.database.db);
    expect(chain).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it('shares one transaction among the use cases queued together', async () => {
    const sqlite = t.ctx.database.sqlite;
    const seen: string[] = [];
    const restore: (() => void)[] = [];
    if (sqlite) {
      type Run = (this: { source: string }, ...args: unknown[]) => unknown;
      const proto = Object.getPrototypeOf(sqlite.prepare('select 1')) as Record<'all' | 'run', Run>;
      for (const m of ['all', 'run'] as const) {
        const original = proto[m];
        proto[m] = function (this: { source: string }, ...args: unknown[]) {
          seen.push(this.source.trim().toLowerCase());
          return original.apply(this, args);
        };
        restore.push(() => {
          proto[m] = original;
        });
      }
    }
    try {
      const tags = ['f', 'g', 'h', 'i'];
      const results = await Promise.all(
        tags.map((tag) => groupTx(t.ctx, actor, undefined, (tx) => job(tx, tag))),
      );
      expect(results).toEqual(tags);
      if (sqlite) {
        expect(seen.filter((q) => q === 'begin')).toHaveLength(1);
        expect(seen.filter((q) => q === 'commit')).toHaveLength(1);
        // nobody failed: no savepoints
        expect(seen.filter((q) => q.startsWith('savepoint'))).toHaveLength(0);
        // the chain's head is read once for the whole group
        expect(seen.filter((q) => q.startsWith('select "seq", "hash" from "audit_log"'))).toHaveLength(1);
      }
    } finally {
      for (const r of restore) r();
    }
    expect((await written()).events).toEqual(['a', 'b', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect((await verifyAuditChain(t.ctx.database.db)).ok).toBe(true);
  });

  it('chains audit rows of plain transactions and groups in turn', async () => {
    await writeTx(t.ctx, actor, (tx) => job(tx, 'j'));
    await Promise.allSettled([
      groupTx(t.ctx, actor, undefined, (tx) => job(tx, 'k', true)),
      groupTx(t.ctx, actor, undefined, (tx) => job(tx, 'l')),
    ]);
    await writeTx(t.ctx, actor, (tx) => job(tx, 'm'));
    expect((await written()).events.slice(-3)).toEqual(['j', 'l', 'm']);
    expect(await verifyAuditChain(t.ctx.database.db)).toMatchObject({ ok: true });
  });

  it('keeps a key in one running group at a time; other keys go on in the other lane (PostgreSQL)', async () => {
    const started: string[] = [];
    const gate = signal();
    const aIn = signal();
    const a = groupTx(t.ctx, actor, 'unit-1', async (tx) => {
      started.push('a');
      aIn.fire();
      await gate.done;
      return job(tx, 'n');
    });
    await aIn.done;
    const b = groupTx(t.ctx, actor, 'unit-1', async (tx) => {
      started.push('b');
      return job(tx, 'o');
    });
    const c = groupTx(t.ctx, actor, 'unit-2', async (tx) => {
      started.push('c');
      return job(tx, 'p');
    });
    if (ENGINE === 'postgres') {
      // a second lane: unit 2's job commits while unit 1's first one still runs, its second one waits
      expect(await c).toBe('p');
      expect(started).toEqual(['a', 'c']);
    } else {
      // one writer, one lane: everything waits for the running group
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(started).toEqual(['a']);
    }
    gate.fire();
    expect(await Promise.all([a, b, c])).toEqual(['n', 'o', 'p']);
    expect(started.indexOf('b')).toBeGreaterThan(started.indexOf('a'));
    expect((await written()).events.slice(-3)).toEqual(['n', 'o', 'p']);
  });

  it('runs the loser of a deadlock between two lanes again; both callers succeed, audited once each', async () => {
    const db = t.ctx.database.db;
    const rows = ['deadlock-1', 'deadlock-2'];
    for (const id of rows)
      await db
        .insertInto('domain_events')
        .values({
          id,
          type: 'test.deadlock',
          subject_type: 'test',
          subject_id: id,
          user_id: null,
          payload: '0',
          created_at: new Date().toISOString(),
          consumed_at: null,
        })
        .execute();
    // On PostgreSQL the two jobs hold one row each before either takes the other's (a real deadlock);
    // SQLite runs them one after the other in one group.
    let arrived = 0;
    const meet = signal();
    let runs = 0;
    const bump = (tx: Tx, id: string) =>
      tx.db
        .updateTable('domain_events')
        .set({ consumed_at: tx.clock.now().toISOString() })
        .where('id', '=', id)
        .execute();
    const crossing = (first: string, second: string) => async (tx: Tx) => {
      runs += 1;
      await bump(tx, first);
      if (ENGINE === 'postgres') {
        arrived += 1;
        if (arrived === 2) meet.fire();
        await meet.done;
      }
      await bump(tx, second);
      await tx.audit({ action: 'test.deadlock', entity: 'test', entityId: first });
      return first;
    };
    const outcomes = await Promise.all([
      groupTx(t.ctx, actor, undefined, crossing('deadlock-1', 'deadlock-2')),
      groupTx(t.ctx, actor, undefined, crossing('deadlock-2', 'deadlock-1')),
    ]);
    expect(outcomes).toEqual(['deadlock-1', 'deadlock-2']);
    // one of the two ran twice on PostgreSQL: rolled back as the deadlock's victim, then again
    expect(runs).toBe(ENGINE === 'postgres' ? 3 : 2);
    expect(await audited('test.deadlock')).toEqual(rows);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('a second failure in the group costs only itself (the group runs again, each job in a savepoint)', async () => {
    const runs = new Map<string, number>();
    const counted = (tx: Tx, tag: string, fail: boolean) => {
      runs.set(tag, (runs.get(tag) ?? 0) + 1);
      return job(tx, tag, fail);
    };
    const outcomes = await Promise.allSettled(
      ['x1', 'x2', 'x3', 'x4'].map((tag) =>
        // one key: one group on PostgreSQL too
        groupTx(t.ctx, actor, 'x', (tx) => counted(tx, tag, tag === 'x2' || tag === 'x4')),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    // the first run ended at 'x2'; the second ran the others, 'x4' failing in its savepoint
    expect(Object.fromEntries(runs)).toEqual({ x1: 2, x2: 1, x3: 1, x4: 1 });
    expect(await eventSubjects('test.group', ['x1', 'x2', 'x3', 'x4'])).toEqual(['x1', 'x3']);
    expect(await audited('test.group.second')).toEqual(expect.arrayContaining(['x1', 'x3']));
    expect(await audited('test.group.second')).not.toEqual(expect.arrayContaining(['x2']));
    expect(await verifyAuditChain(t.ctx.database.db)).toMatchObject({ ok: true });
  });
  it('shares values among the jobs of a transaction, forgotten when a job is rolled back', async () => {
    const counter = (tx: Tx) => shared(tx, 'test.counter', () => ({ n: 0 }));
    const outcomes = await Promise.allSettled([
      // y1 ends the first run; in the second, y2 counts and fails (rolled back to its savepoint)
      groupTx(t.ctx, actor, 'y', async (tx) => ++counter(tx).n),
      groupTx(t.ctx, actor, 'y', (tx) => job(tx, 'y1', true)),
      groupTx(t.ctx, actor, 'y', async (tx) => {
        counter(tx).n += 10;
        throw new AppError(409, 'CONFLICT');
      }),
      groupTx(t.ctx, actor, 'y', async (tx) => ++counter(tx).n),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      1,
      'rejected',
      'rejected',
      // made anew after the rollback: not 12
      1,
    ]);
  });
  it('inserts held rows at the end of the transaction, without those of a job rolled back', async () => {
    const hold = (tx: Tx, tag: string) =>
      tx.insertLater('workflow_history', [
        {
          id: uuidv7(),
          record_type: 'test.held',
          record_id: tag,
          seq: 1,
          at: tx.clock.now().toISOString(),
          actor_id: null,
          actor_name: 'test',
          actor_unit_id: null,
          from_state: null,
          action: 'create',
          to_state: 'new',
          note: null,
          payload: '{}',
          attachments: '[]',
        },
      ]);
    const outcomes = await Promise.allSettled(
      ['z1', 'z2', 'z3', 'z4'].map((tag) =>
        groupTx(t.ctx, actor, 'z', async (tx) => {
          hold(tx, tag);
          if (tag === 'z2' || tag === 'z4') throw new AppError(409, 'CONFLICT');
          return tag;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const rows = await t.ctx.database.db
      .selectFrom('workflow_history')
      .select('record_id')
      .where('record_type', '=', 'test.held')
      .orderBy('record_id')
      .execute();
    expect(rows.map((r) => r.record_id)).toEqual(['z1', 'z3']);
  });

  it('holding jobs write at the end of the group; a job that does not hold finds their rows written', async () => {
    const kept = await storedEvent('test.kept', 'nobody');
    const keepers: string[] = [];
    const holding = (tag: string) => async (tx: Tx) => {
      tx.insertLater('domain_events', [eventRow('test.holding', tag)]);
      tx.keepUpdates('test.keeper', () => {
        keepers.push(tag);
        return { table: 'domain_events', rows: [{ id: kept, subject_id: `kept by ${tag}` }] };
      });
      return tx.holding;
    };
    const seen = async (tx: Tx) => ({
      holding: tx.holding,
      rows: await tx.db
        .selectFrom('domain_events')
        .select('subject_id')
        .where('type', '=', 'test.holding')
        .execute(),
      kept: (
        await tx.db.selectFrom('domain_events').select('subject_id').where('id', '=', kept).executeTakeFirst()
      )?.subject_id,
    });
    const outcomes = await Promise.all([
      groupTx(t.ctx, actor, 'h', holding('h1'), { holds: true }),
      groupTx(t.ctx, actor, 'h', holding('h2'), { holds: true }),
      groupTx(t.ctx, actor, 'h', seen),
      groupTx(t.ctx, actor, 'h', holding('h3'), { holds: true }),
    ]);
    expect(outcomes).toEqual([
      true,
      true,
      { holding: false, rows: [{ subject_id: 'h1' }, { subject_id: 'h2' }], kept: 'kept by h1' },
      true,
    ]);
    // one keeper a key until the held things are written: once before the third job, once at the end
    expect(keepers).toEqual(['h1', 'h3']);
    expect(await eventSubjects('test.holding')).toEqual(['h1', 'h2', 'h3']);
    expect(await eventSubjects('test.kept')).toEqual(['kept by h3']);
    // outside a holding job nothing but rows may be held
    await expect(
      writeTx(t.ctx, actor, async (tx) => tx.keepUpdates('test.keeper', () => null)),
    ).rejects.toThrow(/outside a holding job/);
  });

  it('reads ahead once for a run of holding jobs, again after a job that does not hold, never in savepoints', async () => {
    const reads: string[][] = [];
    const ahead = (...ids: string[]): ReadAhead<string> => ({
      kind: 'test.ahead',
      ids,
      read: async (_tx, all) => {
        reads.push([...all].sort());
        return new Map(all.map((id) => [id, id === 'none' ? null : `row ${id}`]));
      },
    });
    const reader =
      (fail = false) =>
      async (tx: Tx) => {
        const rows = readAheadRows<string>(tx, 'test.ahead');
        if (fail) throw new AppError(409, 'CONFLICT');
        return rows ? Object.fromEntries(rows) : null;
      };
    const all = { a: 'row a', b: 'row b', none: null };
    const outcomes = await Promise.all([
      groupTx(t.ctx, actor, 'r', reader(), { holds: true, ahead: ahead('a', 'b') }),
      groupTx(t.ctx, actor, 'r', reader(), { holds: true, ahead: ahead('b', 'none') }),
      groupTx(t.ctx, actor, 'r', reader()),
      groupTx(t.ctx, actor, 'r', reader(), { holds: true, ahead: ahead('c') }),
    ]);
    // one read for the first two (their ids together), none for the job that does not hold, one after it
    expect(reads).toEqual([['a', 'b', 'none'], ['c']]);
    expect(outcomes).toEqual([all, all, null, { c: 'row c' }]);

    // a failing job: the group runs again in savepoints, where nothing is read ahead
    reads.length = 0;
    const again = await Promise.allSettled([
      groupTx(t.ctx, actor, 'r', reader(), { holds: true, ahead: ahead('d') }),
      groupTx(t.ctx, actor, 'r', reader(true), { holds: true, ahead: ahead('e') }),
    ]);
    expect(reads).toEqual([['d', 'e']]);
    expect(again.map((o) => (o.status === 'fulfilled' ? o.value : 'refused'))).toEqual([null, 'refused']);
  });

  it('when what the holding jobs held fails to go in, the group runs again, nothing held', async () => {
    const taken = await storedEvent('test.taken', 'taken');
    const runs: string[] = [];
    const body = (tag: string, id: string) => async (tx: Tx) => {
      runs.push(`${tag}:${tx.holding ? 'holding' : 'at once'}`);
      // held, q1's row collides with an existing id (as a held write may fail); at once it takes a new one
      if (tx.holding) tx.insertLater('domain_events', [eventRow('test.refused', tag, id)]);
      else await tx.db.insertInto('domain_events').values(eventRow('test.refused', tag)).execute();
      await tx.audit({ action: 'test.refused', entity: 'test', entityId: tag });
      return tag;
    };
    const outcomes = await Promise.all([
      groupTx(t.ctx, actor, 'q', body('q1', taken), { holds: true }),
      groupTx(t.ctx, actor, 'q', body('q2', uuidv7()), { holds: true }),
    ]);
    expect(outcomes).toEqual(['q1', 'q2']);
    expect(runs).toEqual(['q1:holding', 'q2:holding', 'q1:at once', 'q2:at once']);
    expect(await eventSubjects('test.refused')).toEqual(['q1', 'q2']);
    expect(await audited('test.refused')).toEqual(['q1', 'q2']);
    expect(await verifyAuditChain(t.ctx.database.db)).toMatchObject({ ok: true });
  });
});
