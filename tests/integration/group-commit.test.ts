/**
 * Group commit (platform/tx.ts `groupTx`): use cases that arrive together share one transaction, each in a
 * savepoint of its own; one that fails leaves nothing behind (its audit rows included) and the others
 * commit; the audit chain stays whole across the group and the groups after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { verifyAuditChain } from '../../apps/server/src/platform/audit/audit.ts';
import { AppError } from '../../apps/server/src/platform/http/errors.ts';
import { groupTx, type Tx, writeTx } from '../../apps/server/src/platform/tx.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
const actor = { id: null, name: 'group-commit test', ip: null };

beforeAll(async () => {
  t = await makeTestApp({ seed: false });
});
afterAll(async () => {
  await t?.close();
});

/** Writes one event row and one audit row tagged `tag`; throws after writing them when `fail`. */
async function job(tx: Tx, tag: string, fail = false): Promise<string> {
  const id = uuidv7();
  await tx.db
    .insertInto('domain_events')
    .values({
      id,
      type: 'test.group',
      subject_type: 'test',
      subject_id: tag,
      user_id: null,
      payload: '{}',
      created_at: tx.clock.now().toISOString(),
      consumed_at: null,
    })
    .execute();
  await tx.audit({ action: 'test.group', entity: 'test', entityId: tag });
  await tx.audit({ action: 'test.group.second', entity: 'test', entityId: tag });
  if (fail) throw new AppError(409, 'CONFLICT');
  return tag;
}

async function written(): Promise<{ events: string[]; audited: string[] }> {
  const db = t.ctx.database.db;
  const events = await db
    .selectFrom('domain_events')
    .select('subject_id')
    .where('type', '=', 'test.group')
    .orderBy('subject_id')
    .execute();
  const audit = await db
    .selectFrom('audit_log')
    .select('entity_id')
    .where('action', '=', 'test.group')
    .orderBy('entity_id')
    .execute();
  return { events: events.map((e) => e.subject_id), audited: audit.map((a) => a.entity_id ?? '') };
}

describe(`group commit on ${ENGINE}`, () => {
  it('runs the use cases of one turn in one transaction; a failing one leaves nothing, the others commit', async () => {
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e'].map((tag) => groupTx(t.ctx, actor, (tx) => job(tx, tag, tag === 'c'))),
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
      const results = await Promise.all(tags.map((tag) => groupTx(t.ctx, actor, (tx) => job(tx, tag))));
      expect(results).toEqual(tags);
      if (sqlite) {
        expect(seen.filter((q) => q === 'begin')).toHaveLength(1);
        expect(seen.filter((q) => q === 'commit')).toHaveLength(1);
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
      groupTx(t.ctx, actor, (tx) => job(tx, 'k', true)),
      groupTx(t.ctx, actor, (tx) => job(tx, 'l')),
    ]);
    await writeTx(t.ctx, actor, (tx) => job(tx, 'm'));
    expect((await written()).events.slice(-3)).toEqual(['j', 'l', 'm']);
    expect(await verifyAuditChain(t.ctx.database.db)).toMatchObject({ ok: true });
  });
});
