import { type Kysely, sql } from 'kysely';
import type { Engine } from '../index.ts';
import { up as createAuditHead } from './008_audit_head.ts';

/**
 * PostgreSQL: a transaction's audit rows chained and inserted by the database, in the same statement as
 * the transaction's other held rows (platform/tx.ts `insertRows`), instead of the chain's head read first
 * (migration 008) and the rows chained by the server. The function takes the chain's transaction-scoped
 * advisory lock, reads the chain's last row (VOLATILE: a snapshot taken after the lock was granted, so every
 * append committed before is seen; planned at every call, see 008), then gives each row, in order, the next
 * sequence number, the previous row's hash and its own: the SHA-256 of the previous hash, a newline and
 * the JSON array of the row's fields — `[seq,` followed by the rest of that array, which the server made
 * (`tail`), so that the hash is byte for byte the one `rowHash` computes (platform/audit/audit.ts). The
 * rows are parsed once (jsonb) and inserted in one statement: read field by field with `->>` from `json`
 * (each read parses the row again) and inserted row by row, the function cost more PostgreSQL CPU than the
 * round trip it saves (measured: 0.83 ms a report against 0.64).
 * SQLite has one writer and keeps chaining in the server.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create function wm_audit_append(rows json) returns void language plpgsql volatile as $$
    declare
      items jsonb := rows::jsonb;
      head_seq bigint;
      head_hash text;
      first_seq bigint;
      prevs text[] := '{}';
      hashes text[] := '{}';
      tail text;
    begin
      perform pg_advisory_xact_lock(7370001);
      execute 'select a.seq, a.hash from audit_log a order by a.seq desc limit 1' into head_seq, head_hash;
      head_seq := coalesce(head_seq, 0);
      head_hash := coalesce(head_hash, repeat('0', 64));
      first_seq := head_seq + 1;
      for tail in select e.item->>'tail' from jsonb_array_elements(items) with ordinality as e(item, n) order by e.n loop
        head_seq := head_seq + 1;
        prevs := prevs || head_hash;
        head_hash := encode(sha256(convert_to(head_hash || E'\n[' || head_seq::text || ',' || tail, 'UTF8')), 'hex');
        hashes := hashes || head_hash;
      end loop;
      insert into audit_log (seq, id, at, actor_id, actor_name, ip, action, entity, entity_id,
          before_json, after_json, prev_hash, hash)
        select first_seq + x.n - 1, x.id, x.at, x.actor_id, x.actor_name, x.ip, x.action, x.entity,
          x.entity_id, x.before_json, x.after_json, prevs[x.n], hashes[x.n]
        from rows from (jsonb_to_recordset(items) as (id text, at text, actor_id text, actor_name text,
          ip text, action text, entity text, entity_id text, before_json text, after_json text))
          with ordinality as x(id, at, actor_id, actor_name, ip, action, entity, entity_id, before_json,
            after_json, n);
    end
  $$`.execute(db);
  await sql`drop function wm_audit_head()`.execute(db);
}

export async function down(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await createAuditHead(db, engine);
  await sql`drop function wm_audit_append(json)`.execute(db);
}
