import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type {
  NoticeHeader,
  NoticeRef,
  OverdueRow,
  ReceiptCounts,
  ReceiptRow,
  ReceiptStatus,
} from '../../../../../packages/contracts/src/index.ts';
import { bool, int } from '../../db/normalize.ts';
import type { DB, NoticeRecipientTable, NoticeTable } from '../../db/schema.ts';
import { containsText } from '../../db/text.ts';
import { unitInScope } from '../../platform/rbac/scope-sql.ts';
import type { Scope } from '../../platform/rbac/types.ts';

/** The only module that writes SQL for notices (通知) and their per-unit receipts (签收). */

export type { NoticeRef, OverdueRow, ReceiptCounts, ReceiptRow, ReceiptStatus };

export interface NoticeRow extends NoticeHeader {
  body: string;
}

const NOTICE_COLUMNS = [
  'n.id',
  'n.title',
  'n.body',
  'n.sender_id',
  'n.sender_unit_id',
  'n.require_ack',
  'n.ack_due_at',
  'n.record_type',
  'n.record_id',
  'n.created_at',
  'su.display_name as sender_name',
  'so.name as sender_unit_name',
] as const;

function noticeQuery(db: Kysely<DB>) {
  return db
    .selectFrom('notices as n')
    .leftJoin('users as su', 'su.id', 'n.sender_id')
    .leftJoin('org_units as so', 'so.id', 'n.sender_unit_id');
}

type NoticeSelect = Pick<
  NoticeTable,
  | 'id'
  | 'title'
  | 'body'
  | 'sender_id'
  | 'sender_unit_id'
  | 'require_ack'
  | 'ack_due_at'
  | 'record_type'
  | 'record_id'
  | 'created_at'
> & { sender_name: string | null; sender_unit_name: string | null };

function toNoticeRow(r: NoticeSelect): NoticeRow {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    senderId: r.sender_id,
    senderName: r.sender_name,
    senderUnitId: r.sender_unit_id,
    senderUnitName: r.sender_unit_name,
    requireAck: bool(r.require_ack),
    ackDueAt: r.ack_due_at,
    record: r.record_type && r.record_id ? { type: r.record_type, id: r.record_id } : null,
    createdAt: r.created_at,
  };
}

export async function findNotice(db: Kysely<DB>, id: string): Promise<NoticeRow | undefined> {
  const r = await noticeQuery(db).select(NOTICE_COLUMNS).where('n.id', '=', id).executeTakeFirst();
  return r ? toNoticeRow(r) : undefined;
}

/** Whether the notice's sending unit lies inside the scope (a notice without a unit: scope "all" only). */
export async function senderUnitInScope(db: Kysely<DB>, scope: Scope, noticeId: string): Promise<boolean> {
  const r = await db
    .selectFrom('notices as n')
    .leftJoin('org_units as so', 'so.id', 'n.sender_unit_id')
    .select('n.id')
    .where('n.id', '=', noticeId)
    .where(unitInScope(scope, 'so.path', 'so.id'))
    .executeTakeFirst();
  return r !== undefined;
}

export function findRecipient(
  db: Kysely<DB>,
  noticeId: string,
  unitId: string,
): Promise<NoticeRecipientTable | undefined> {
  return db
    .selectFrom('notice_recipients')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

/** Units (id, name) of these ids that exist and lie inside the scope. */
export async function unitsInScope(
  db: Kysely<DB>,
  scope: Scope,
  ids: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('org_units')
      .select(['id', 'name'])
      .where('id', 'in', ids.slice(i, i + 500))
      .where(unitInScope(scope, 'org_units.path', 'org_units.id'))
      .execute();
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

/** How notifications name a unit: its short name (市文明办) when it has one. */
export async function unitLabel(db: Kysely<DB>, unitId: string | null): Promise<string> {
  if (!unitId) return '';
  const u = await db
    .selectFrom('org_units')
    .select(['name', 'short_name'])
    .where('id', '=', unitId)
    .executeTakeFirst();
  return u?.short_name ?? u?.name ?? '';
}

/** Which of these group ids exist. */
export async function existingGroups(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('org_groups').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** The members of these groups that lie inside the scope (a scoped sender reaches its part of a group). */
export async function groupMembersInScope(
  db: Kysely<DB>,
  scope: Scope,
  groupIds: string[],
): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .selectFrom('org_group_members as m')
    .innerJoin('org_units as o', 'o.id', 'm.unit_id')
    .select('m.unit_id')
    .distinct()
    .where('m.group_id', 'in', groupIds)
    .where(unitInScope(scope, 'o.path', 'o.id'))
    .orderBy('m.unit_id')
    .execute();
  return rows.map((r) => r.unit_id);
}

export async function insertNotice(
  db: Kysely<DB>,
  notice: NoticeTable,
  recipientUnitIds: string[],
): Promise<void> {
  await db.insertInto('notices').values(notice).execute();
  for (let i = 0; i < recipientUnitIds.length; i += 200) {
    await db
      .insertInto('notice_recipients')
      .values(
        recipientUnitIds.slice(i, i + 200).map((unit_id) => ({
          notice_id: notice.id,
          unit_id,
          first_read_at: null,
          first_read_by: null,
          acked_at: null,
          acked_by: null,
          ack_note: null,
        })),
      )
      .execute();
  }
}

/** Records the unit's first reading; false when someone of the unit had read it already. */
export async function markRead(
  db: Kysely<DB>,
  noticeId: string,
  unitId: string,
  userId: string,
  at: string,
): Promise<boolean> {
  const res = await db
    .updateTable('notice_recipients')
    .set({ first_read_at: at, first_read_by: userId })
    .where('notice_id', '=', noticeId)
    .where('unit_id', '=', unitId)
    .where('first_read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Acknowledges for the unit; false when the unit has acknowledged already (the first one wins). */
export async function markAcked(
  db: Kysely<DB>,
  noticeId: string,
  unitId: string,
  userId: string,
  at: string,
  note: string | null,
): Promise<boolean> {
  const res = await db
    .updateTable('notice_recipients')
    .set({ acked_at: at, acked_by: userId, ack_note: note })
    .where('notice_id', '=', noticeId)
    .where('unit_id', '=', unitId)
    .where('acked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** An acknowledgement is overdue when it is required, not given, and its due time has passed. */
function overdueExpr(now: string): Expression<SqlBool> {
  return sql<SqlBool>`(r.acked_at is null and n.ack_due_at is not null and n.ack_due_at < ${now})`;
}

export async function receipts(
  db: Kysely<DB>,
  noticeId: string,
  now: string,
  status: ReceiptStatus,
): Promise<ReceiptRow[]> {
  let q = db
    .selectFrom('notice_recipients as r')
    .innerJoin('notices as n', 'n.id', 'r.notice_id')
    .innerJoin('org_units as o', 'o.id', 'r.unit_id')
    .leftJoin('users as ru', 'ru.id', 'r.first_read_by')
    .leftJoin('users as au', 'au.id', 'r.acked_by')
    .select([
      'r.unit_id',
      'o.name as unit_name',
      'r.first_read_at',
      'ru.display_name as read_by',
      'r.acked_at',
      'au.display_name as acked_by',
      'r.ack_note',
      'n.ack_due_at',
    ])
    .where('r.notice_id', '=', noticeId);
  if (status === 'unread') q = q.where('r.first_read_at', 'is', null);
  if (status === 'unacked') q = q.where('n.require_ack', '=', true).where('r.acked_at', 'is', null);
  if (status === 'overdue') q = q.where(overdueExpr(now));
  const rows = await q.orderBy('o.path').execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    unitName: r.unit_name,
    readAt: r.first_read_at,
    readBy: r.read_by,
    ackedAt: r.acked_at,
    ackedBy: r.acked_by,
    ackNote: r.ack_note,
    overdue: r.acked_at === null && r.ack_due_at !== null && r.ack_due_at < now,
    late: r.acked_at !== null && r.ack_due_at !== null && r.acked_at > r.ack_due_at,
  }));
}

/** Receipt counts per notice. */
export async function receiptCounts(
  db: Kysely<DB>,
  noticeIds: string[],
  now: string,
): Promise<Map<string, ReceiptCounts>> {
  const out = new Map<string, ReceiptCounts>();
  if (noticeIds.length === 0) return out;
  const rows = await db
    .selectFrom('notice_recipients as r')
    .innerJoin('notices as n', 'n.id', 'r.notice_id')
    .select((eb) => [
      'r.notice_id',
      eb.fn.countAll().as('total'),
      eb.fn.count('r.first_read_at').as('read'),
      eb.fn.count('r.acked_at').as('acked'),
      sql<number>`sum(case when ${overdueExpr(now)} then 1 else 0 end)`.as('overdue'),
    ])
    .where('r.notice_id', 'in', noticeIds)
    .groupBy('r.notice_id')
    .execute();
  for (const r of rows) {
    out.set(r.notice_id, {
      total: int(r.total),
      read: int(r.read),
      acked: int(r.acked),
      overdue: int(r.overdue),
    });
  }
  return out;
}

/** Units that still have to acknowledge (a remind goes to them). */
export async function unackedUnits(db: Kysely<DB>, noticeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('notice_recipients')
    .select('unit_id')
    .where('notice_id', '=', noticeId)
    .where('acked_at', 'is', null)
    .orderBy('unit_id')
    .execute();
  return rows.map((r) => r.unit_id);
}

export interface NoticeListFilter {
  keyword?: string;
  page: number;
  pageSize: number;
}

/** Notices sent from units inside the scope, newest first. */
export async function listSent(
  db: Kysely<DB>,
  scope: Scope,
  f: NoticeListFilter,
): Promise<{ rows: NoticeRow[]; total: number }> {
  let q = noticeQuery(db).where(unitInScope(scope, 'so.path', 'so.id'));
  if (f.keyword) {
    const k = f.keyword;
    q = q.where((eb) => containsText(eb.ref('n.title'), k));
  }
  const count = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select(NOTICE_COLUMNS)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows: rows.map(toNoticeRow), total: int(count?.n) };
}

export interface ReceivedRow extends NoticeRow {
  readAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
}

/** Notices addressed to one unit, newest first, with that unit's receipt. */
export async function listReceived(
  db: Kysely<DB>,
  unitId: string,
  f: NoticeListFilter,
): Promise<{ rows: ReceivedRow[]; total: number }> {
  let q = noticeQuery(db)
    .innerJoin('notice_recipients as r', (j) =>
      j.onRef('r.notice_id', '=', 'n.id').on('r.unit_id', '=', unitId),
    )
    .leftJoin('users as au', 'au.id', 'r.acked_by');
  if (f.keyword) {
    const k = f.keyword;
    q = q.where((eb) => containsText(eb.ref('n.title'), k));
  }
  const count = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select([...NOTICE_COLUMNS, 'r.first_read_at', 'r.acked_at', 'au.display_name as acked_by_name'])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    rows: rows.map((r) => ({
      ...toNoticeRow(r),
      readAt: r.first_read_at,
      ackedAt: r.acked_at,
      ackedBy: r.acked_by_name,
    })),
    total: int(count?.n),
  };
}

export interface OverdueFilter {
  recordType?: string;
  recordId?: string;
  page: number;
  pageSize: number;
}

/** Unacknowledged recipients past their due time, of notices sent from units inside the scope. */
export async function listOverdue(
  db: Kysely<DB>,
  scope: Scope,
  now: string,
  f: OverdueFilter,
): Promise<{ rows: OverdueRow[]; total: number }> {
  let q = db
    .selectFrom('notice_recipients as r')
    .innerJoin('notices as n', 'n.id', 'r.notice_id')
    .innerJoin('org_units as o', 'o.id', 'r.unit_id')
    .leftJoin('org_units as so', 'so.id', 'n.sender_unit_id')
    .where(unitInScope(scope, 'so.path', 'so.id'))
    .where(overdueExpr(now));
  if (f.recordType) q = q.where('n.record_type', '=', f.recordType);
  if (f.recordId) q = q.where('n.record_id', '=', f.recordId);
  const count = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select([
      'n.id',
      'n.title',
      'r.unit_id',
      'o.name as unit_name',
      'n.ack_due_at',
      'r.first_read_at',
      'n.created_at',
      'n.record_type',
      'n.record_id',
    ])
    .orderBy('n.ack_due_at')
    .orderBy('n.id')
    .orderBy('o.path')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    rows: rows.map((r) => ({
      noticeId: r.id,
      title: r.title,
      unitId: r.unit_id,
      unitName: r.unit_name,
      ackDueAt: r.ack_due_at ?? '',
      readAt: r.first_read_at,
      createdAt: r.created_at,
      record: r.record_type && r.record_id ? { type: r.record_type, id: r.record_id } : null,
    })),
    total: int(count?.n),
  };
}
