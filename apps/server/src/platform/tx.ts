import type { Kysely, Transaction } from 'kysely';
import type { Engine } from '../db/index.ts';
import type { DB } from '../db/schema.ts';
import { type Actor, type AuditInput, recordAudit } from './audit/audit.ts';
import type { AppContext, Clock } from './context.ts';

export interface Tx {
  db: Transaction<DB>;
  /** `ctx.clock`, for helpers that get only the transaction (e.g. notify) to stamp their rows. */
  clock: Clock;
  /** For batch statements that differ per engine (PostgreSQL arrays, SQLite VALUES chunks). */
  engine: Engine;
  /** Appends to the audit log inside this transaction. */
  audit(input: AuditInput): Promise<void>;
}

/**
 * Runs a write use case in one transaction together with its audit rows: either the change and its
 * record commit, or neither does. Keep the body short and free of non-database I/O (SQLite has one writer).
 */
export function writeTx<T>(ctx: AppContext, actor: Actor, body: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction().execute((trx) =>
    body({
      db: trx,
      clock: ctx.clock,
      engine: ctx.database.engine,
      audit: (input) => recordAudit(trx as Kysely<DB>, ctx.database.engine, actor, input, ctx.clock.now()),
    }),
  );
}
