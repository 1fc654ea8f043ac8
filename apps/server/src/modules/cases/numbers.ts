import { sql } from 'kysely';
import type { CaseChannel, CaseKind } from '../../../../../packages/contracts/src/index.ts';
import type { Tx } from '../../platform/tx.ts';

/**
 * Case numbers: SP-2026-000001 (随手拍), SS-… (说事), RX-… (12345 import), OP-… (Open311), one
 * counter per series and year in `sequences` ('case:SP:2026'). The counter row is created once
 * (insert … on conflict do nothing) and bumped with UPDATE … RETURNING: the row lock serialises
 * concurrent intakes on PostgreSQL, SQLite has one writer.
 */
export type CaseSeries = 'SP' | 'SS' | 'RX' | 'OP';

export function seriesOf(kind: CaseKind, channel: CaseChannel): CaseSeries {
  if (channel === 'hotline') return 'RX';
  if (channel === 'open311') return 'OP';
  return kind === 'talk' ? 'SS' : 'SP';
}

export function formatCaseNo(series: CaseSeries, year: number, n: number): string {
  return `${series}-${year}-${String(n).padStart(6, '0')}`;
}

/** The next number of a series in a year, inside the caller's transaction. */
export async function nextCaseNo(tx: Tx, series: CaseSeries, year: number): Promise<string> {
  const name = `case:${series}:${year}`;
  await tx.db
    .insertInto('sequences')
    .values({ name, value: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await sql<{ value: number | string }>`update sequences set value = value + 1
    where name = ${name} returning value`.execute(tx.db);
  return formatCaseNo(series, year, Number(row.rows[0]?.value));
}
