import { sql } from 'kysely';
import { int } from '../../db/normalize.ts';
import type { Tx } from '../tx.ts';

/**
 * Yearly document numbers: DB-2026-0001… for supervision notices (督办单) and TB-2026-0001… for circulars
 * (通报). One DB series serves both the deadline sweep (deadline_events, details.no) and campaign
 * supervision orders (supervision_records.number), so a matter's 督办单 and a campaign's never share a
 * number. DB numbers come from a counter in `sequences` ('doc:DB:2026'), so a number once given out is
 * never given again, even when its record is deleted with its task. On PostgreSQL an advisory lock held
 * until the transaction ends serialises the allocators of every process; SQLite has one writer.
 */
export type NumberSeries = 'DB' | 'TB';

const LOCKS: Record<NumberSeries, number> = { DB: 7370003, TB: 7370004 };

export function formatNumber(series: NumberSeries, year: number, seq: number): string {
  return `${series}-${year}-${String(seq).padStart(4, '0')}`;
}

/** The highest number of a series in a year among the supervision records (0 if none). */
async function highestRecord(tx: Tx, series: NumberSeries, year: number): Promise<number> {
  const prefix = `${series}-${year}-`;
  // Longest first, so DB-2026-10000 ranks above DB-2026-9999.
  const last = await tx.db
    .selectFrom('supervision_records')
    .select('number')
    .where('number', 'like', `${prefix}%`)
    .orderBy((eb) => eb.fn('length', ['number']), 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.number ? Number(last.number.slice(prefix.length)) : 0;
}

/**
 * The DB numbers given out before the counter existed (a database older than the counter):
 * every supervision event and record of the year holds one; the highest record number covers records
 * deleted since. The counter starts from there, once.
 */
async function givenOutBefore(tx: Tx, year: number): Promise<number> {
  const prefix = `DB-${year}-`;
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
  return Math.max(int(events?.n) + int(records?.n), await highestRecord(tx, 'DB', year));
}

/**
 * Reserves `count` DB numbers of a year inside the caller's transaction and returns the first: the
 * caller numbers `first`, `first + 1`, … `first + count - 1`.
 */
export async function reserveSupervisionNumbers(tx: Tx, year: number, count: number): Promise<number> {
  if (tx.engine === 'postgres') await sql`select pg_advisory_xact_lock(${LOCKS.DB})`.execute(tx.db);
  const name = `doc:DB:${year}`;
  const exists = await tx.db
    .selectFrom('sequences')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  if (!exists)
    await tx.db
      .insertInto('sequences')
      .values({ name, value: await givenOutBefore(tx, year) })
      .execute();
  const row = await sql<{ value: number | string }>`update sequences set value = value + ${count}
    where name = ${name} returning value`.execute(tx.db);
  return Number(row.rows[0]?.value) - count + 1;
}

/**
 * The next free circular (TB) number of a year: one above the highest given. A circular is issued in
 * two steps (this number read, the document built, then stored if the number is still free).
 */
export async function nextCircularSeq(tx: Tx, year: number): Promise<number> {
  if (tx.engine === 'postgres') await sql`select pg_advisory_xact_lock(${LOCKS.TB})`.execute(tx.db);
  return (await highestRecord(tx, 'TB', year)) + 1;
}
