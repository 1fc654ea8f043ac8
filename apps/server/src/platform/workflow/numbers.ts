import { sql } from 'kysely';
import { int } from '../../db/normalize.ts';
import type { Tx } from '../tx.ts';

/**
 * Yearly document numbers: DB-2026-0001… for supervision notices (督办单) and TB-2026-0001… for circulars
 * (通报). One DB sequence serves both the deadline sweep (deadline_events, details.no) and campaign
 * supervision orders (supervision_records.number), so a matter's 督办单 and a campaign's never share a
 * number. On PostgreSQL an advisory lock held until the transaction ends serialises the allocators of
 * every process; SQLite has one writer. The caller numbers `seq`, `seq + 1`, … within its transaction.
 */
export type NumberSeries = 'DB' | 'TB';

const LOCKS: Record<NumberSeries, number> = { DB: 7370003, TB: 7370004 };

export function formatNumber(series: NumberSeries, year: number, seq: number): string {
  return `${series}-${year}-${String(seq).padStart(4, '0')}`;
}

/** The first free sequence number of a series in a year (1 for the year's first document). */
export async function nextNumberSeq(tx: Tx, series: NumberSeries, year: number): Promise<number> {
  if (tx.engine === 'postgres') await sql`select pg_advisory_xact_lock(${LOCKS[series]})`.execute(tx.db);
  const prefix = `${series}-${year}-`;
  // The highest record number: longest first, so DB-2026-10000 ranks above DB-2026-9999.
  const last = await tx.db
    .selectFrom('supervision_records')
    .select('number')
    .where('number', 'like', `${prefix}%`)
    .orderBy((eb) => eb.fn('length', ['number']), 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  const highest = last?.number ? Number(last.number.slice(prefix.length)) : 0;
  if (series === 'TB') return highest + 1;
  // Deadline events are never deleted: their count plus the records' count is the number of DB numbers
  // given out, unless a record was deleted with its task; the highest record number covers that case.
  const events = await tx.db
    .selectFrom('deadline_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('kind', '=', 'supervision')
    .where('details', 'like', `%"no":"${prefix}%`)
    .executeTakeFirst();
  const records = await tx.db
    .selectFrom('supervision_records')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('number', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Math.max(int(events?.n) + int(records?.n), highest) + 1;
}
