import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import { int, toJsonText } from '../../db/normalize.ts';
import type { AuditLogTable, DB } from '../../db/schema.ts';

export interface Actor {
  id: string | null;
  name: string | null;
  ip: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system', ip: null };

export interface AuditInput {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of one row covers every stored column and the previous row's hash. */
export function rowHash(row: Omit<AuditLogTable, 'hash'>): string {
  return createHash('sha256')
    .update(row.prev_hash)
    .update('\n')
    .update(JSON.stringify([row.seq, ...fieldsAfterSeq(row)]))
    .digest('hex');
}

/** The hashed fields of a row after its sequence number, in their order in the hash. */
function fieldsAfterSeq(row: Omit<AuditLogTable, 'seq' | 'prev_hash' | 'hash'>): unknown[] {
  return [
    row.id,
    row.at,
    row.actor_id,
    row.actor_name,
    row.ip,
    row.action,
    row.entity,
    row.entity_id,
    row.before_json,
    row.after_json,
  ];
}

/**
 * A row for the database to chain (PostgreSQL, migration 010 `wm_audit_append`): its content and id, and
 * `tail`, the JSON of its hashed fields after the sequence number without the opening bracket — the
 * database hashes `[`, the number, `,` and this, i.e. exactly the JSON `rowHash` hashes.
 */
export type UnchainedRow = Omit<AuditLogTable, 'seq' | 'prev_hash' | 'hash'> & { tail: string };

/** The last row of the chain as a transaction has seen it (sequence number and hash). */
interface ChainHead {
  seq: number;
  hash: string;
}

/** An appended row before it has its place in the chain (its content fixed when it was appended). */
type HeldRow = Omit<AuditLogTable, 'seq' | 'id' | 'prev_hash' | 'hash'>;

/** Where an appender stood (see `AuditAppender.mark`). */
export interface AuditMark {
  held: number;
}

/**
 * Appends rows to the hash-chained audit log inside one transaction, so that the change and its record
 * commit together. Rows are held until the transaction's owner takes them, just before it commits
 * (platform/tx.ts). SQLite (one writer): `take` reads the chain's last row and hands the rows back chained,
 * for the owner to insert. PostgreSQL: `takeUnchained` hands them back for the database to chain in the
 * transaction's last statement (migration 010), under a transaction-scoped advisory lock that serialises
 * appenders across processes and connections. So the lock is held from then to the commit only, and it is
 * always the last lock a transaction takes (no lock order between it and the others to get wrong). Work
 * rolled back to a savepoint takes its rows with it: `mark` before it, `restore` after the rollback.
 */
export class AuditAppender {
  private head: ChainHead | null = null;
  private held: HeldRow[] = [];

  constructor(private readonly trx: Kysely<DB>) {}

  append(actor: Actor, input: AuditInput, at: Date): void {
    this.held.push({
      at: at.toISOString(),
      actor_id: actor.id,
      actor_name: actor.name,
      ip: actor.ip,
      action: input.action,
      entity: input.entity,
      entity_id: input.entityId ?? null,
      before_json: toJsonText(input.before),
      after_json: toJsonText(input.after),
    });
  }

  /**
   * SQLite: the rows appended since the last call, chained after the head (read once per transaction):
   * for the caller to insert in this transaction (platform/tx.ts).
   */
  async take(): Promise<AuditLogTable[]> {
    if (!this.held.length) return [];
    const held = this.held;
    this.held = [];
    let head = this.head ?? (await this.readHead());
    const rows: AuditLogTable[] = [];
    for (const content of held) {
      const row: Omit<AuditLogTable, 'hash'> = {
        seq: head.seq + 1,
        id: uuidv7(),
        ...content,
        prev_hash: head.hash,
      };
      const hash = rowHash(row);
      rows.push({ ...row, hash });
      head = { seq: row.seq, hash };
    }
    this.head = head;
    return rows;
  }

  /**
   * PostgreSQL: the rows appended since the last call, for the database to chain and insert under the
   * chain's lock (`UnchainedRow`), in the statement that ends the transaction (platform/tx.ts).
   */
  takeUnchained(): UnchainedRow[] {
    const held = this.held;
    this.held = [];
    return held.map((content) => {
      const row = { id: uuidv7(), ...content };
      return { ...row, tail: JSON.stringify(fieldsAfterSeq(row)).slice(1) };
    });
  }

  mark(): AuditMark {
    return { held: this.held.length };
  }

  /** Back to `mark`: the work since was rolled back; the rows it appended are dropped. */
  restore(mark: AuditMark): void {
    this.held.length = mark.held;
  }

  /** The chain's last row (SQLite: its one writer is this transaction). */
  private async readHead(): Promise<ChainHead> {
    const last = await this.trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last?.hash ? { seq: int(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  reason: string | null;
}

/** Walks the chain in order and reports the first row whose sequence, link or content does not match. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const batch = 2000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batch)
      .execute();
    for (const r of rows) {
      const seq = int(r.seq);
      const bad = (reason: string): VerifyResult => ({ ok: false, checked, firstBadSeq: seq, reason });
      if (seq !== expectedSeq) return { ok: false, checked, firstBadSeq: expectedSeq, reason: 'row missing' };
      if (r.prev_hash !== prevHash) return bad('link to previous row broken');
      if (rowHash({ ...r, seq }) !== r.hash) return bad('content does not match its hash');
      prevHash = r.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < batch) break;
  }
  return { ok: true, checked, firstBadSeq: null, reason: null };
}
