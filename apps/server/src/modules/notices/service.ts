import type {
  MyReceipt,
  NoticeDetail as NoticeReply,
  NoticeSummary,
  Page,
} from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { type FileMeta, filesOf, linkFiles, registerRecordAccess } from '../../platform/files/service.ts';
import { AppError, invalidField, notFound } from '../../platform/http/errors.ts';
import { kickDelivery, notify } from '../../platform/notify/service.ts';
import { registerTemplates } from '../../platform/notify/templates.ts';
import { type AuthUser, type Scope, scopeOf } from '../../platform/rbac/types.ts';
import { type Tx, writeTx } from '../../platform/tx.ts';
import {
  existingGroups,
  findNotice,
  findRecipient,
  groupMembersInScope,
  insertNotice,
  listOverdue,
  listReceived,
  listSent,
  markAcked,
  markRead,
  type NoticeRef,
  type NoticeRow,
  type OverdueFilter,
  type OverdueRow,
  type ReceiptCounts,
  type ReceiptRow,
  type ReceiptStatus,
  receiptCounts,
  receipts,
  senderUnitInScope,
  unackedUnits,
  unitLabel,
  unitsInScope,
} from './repo.ts';

export type { NoticeRef, OverdueRow, ReceiptCounts, ReceiptRow, ReceiptStatus } from './repo.ts';

/** Roles that sign (签收) for their unit; they are also the ones notified. */
export const ACK_ROLES = ['liaison', 'unit_head'] as const;

/** The record type of notices: their attachments are files linked to ('notice', id). */
export const NOTICE_RECORD = 'notice';

/**
 * `notice.received` (a new notice) is registered by platform/notify; the reminder (催签收) is ours.
 * Parameters: sender (the sending unit's short name), title.
 */
registerTemplates({
  'notice.ack_reminder': {
    'zh-CN': { title: '催签收', body: '{sender}发来的通知“{title}”贵单位尚未签收，请尽快查阅并签收。' },
    'en-US': {
      title: 'Please acknowledge',
      body: 'Your unit has not yet acknowledged the notice "{title}" from {sender}; please read and acknowledge it.',
    },
    sms: true,
  },
});

/** Who sends: the user (its unit becomes the sending unit) and the scope the recipients must lie in. */
export interface NoticeSender {
  user: Pick<AuthUser, 'id' | 'unitId'>;
  scope: Scope;
}

export interface SendNoticeInput {
  title: string;
  body: string;
  unitIds?: string[];
  /** Org groups, expanded to their members inside the sender's scope. */
  groupIds?: string[];
  requireAck: boolean;
  /** ISO instant in the future; only with requireAck. */
  ackDueAt?: string | null;
  /** Ids of files the sender uploaded, linked to ('notice', id). */
  attachments?: string[];
  /** The record the notice belongs to (e.g. a campaign deployment). */
  record?: NoticeRef | null;
}

export interface NoticeSent {
  id: string;
  recipientUnitIds: string[];
  /** Users notified (the recipient units' liaisons and heads). */
  notified: number;
}

/**
 * Sends a notice inside the caller's transaction: checks the recipients against the sender's scope,
 * writes the notice and one receipt row per unit, links the attachments, notifies the units' liaisons and
 * heads (`notice.received`), and audits. Other modules call it with their own `record`
 * (e.g. { type: 'deployment', id }); after their transaction commits they call `kickDelivery(ctx)`.
 */
export async function sendNotice(tx: Tx, sender: NoticeSender, input: SendNoticeInput): Promise<NoticeSent> {
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title) throw invalidField('title', 'field.required');
  if (!body) throw invalidField('body', 'field.required');
  const now = tx.clock.now();
  let ackDueAt: string | null = null;
  if (input.ackDueAt) {
    if (!input.requireAck) throw invalidField('ackDueAt', 'notice.dueWithoutAck');
    const due = new Date(input.ackDueAt);
    if (Number.isNaN(due.getTime())) throw invalidField('ackDueAt', 'field.format', { format: 'date-time' });
    if (due.getTime() <= now.getTime()) throw invalidField('ackDueAt', 'notice.dueInPast');
    ackDueAt = due.toISOString();
  }

  const unitIds = [...new Set(input.unitIds ?? [])];
  const visible = await unitsInScope(tx.db, sender.scope, unitIds);
  for (const [i, id] of (input.unitIds ?? []).entries()) {
    if (!visible.has(id)) throw invalidField(`unitIds.${i}`, 'field.unknownUnit');
  }
  const groupIds = [...new Set(input.groupIds ?? [])];
  const groups = await existingGroups(tx.db, groupIds);
  for (const [i, id] of (input.groupIds ?? []).entries()) {
    if (!groups.has(id)) throw invalidField(`groupIds.${i}`, 'notice.unknownGroup');
  }
  const recipients = [
    ...new Set([...unitIds, ...(await groupMembersInScope(tx.db, sender.scope, groupIds))]),
  ];
  if (recipients.length === 0) throw invalidField('unitIds', 'notice.noRecipients');

  const id = uuidv7();
  await insertNotice(
    tx.db,
    {
      id,
      title,
      body,
      sender_id: sender.user.id,
      sender_unit_id: sender.user.unitId,
      require_ack: input.requireAck,
      ack_due_at: ackDueAt,
      record_type: input.record?.type ?? null,
      record_id: input.record?.id ?? null,
      created_at: now.toISOString(),
    },
    recipients,
  );
  await linkFiles(tx, input.attachments ?? [], { type: NOTICE_RECORD, id }, sender.user.id);
  const { notified } = await notify(tx, {
    units: { unitIds: recipients, roles: [...ACK_ROLES] },
    kind: 'notice.received',
    params: { sender: await unitLabel(tx.db, sender.user.unitId), title },
    record: { type: NOTICE_RECORD, id },
    excludeUserId: sender.user.id,
  });
  await tx.audit({
    action: 'notice.send',
    entity: 'notice',
    entityId: id,
    after: {
      title,
      requireAck: input.requireAck,
      ackDueAt,
      unitIds,
      groupIds,
      recipients: recipients.length,
      notified,
      attachments: input.attachments ?? [],
      record: input.record ?? null,
    },
  });
  return { id, recipientUnitIds: recipients, notified };
}

// ---- views ---------------------------------------------------------------------------------------

export type { MyReceipt, NoticeSummary };
export type NoticeDetail = NoticeReply<FileMeta>;

const isOverdue = (ackDueAt: string | null, ackedAt: string | null, now: string) =>
  ackedAt === null && ackDueAt !== null && ackDueAt < now;

const mayAck = (user: AuthUser) => ACK_ROLES.some((r) => user.roles.includes(r));

/** Sender side: may send notices, and the sending unit lies in the caller's scope. */
async function isSenderSide(ctx: AppContext, user: AuthUser, noticeId: string): Promise<boolean> {
  return user.permissions.has('notice:send') && senderUnitInScope(ctx.database.db, scopeOf(user), noticeId);
}

/** The staff unit of the caller, if the notice is addressed to it. */
async function recipientUnit(ctx: AppContext, user: AuthUser, noticeId: string) {
  if (user.kind !== 'staff' || !user.unitId) return undefined;
  return findRecipient(ctx.database.db, noticeId, user.unitId);
}

/** Whether the user may read the notice (and its attachments): the sender side or a recipient unit's staff. */
export async function canReadNotice(ctx: AppContext, user: AuthUser, noticeId: string): Promise<boolean> {
  return (
    (await isSenderSide(ctx, user, noticeId)) || (await recipientUnit(ctx, user, noticeId)) !== undefined
  );
}

registerRecordAccess(NOTICE_RECORD, { canRead: canReadNotice });

export interface ListQuery {
  box: 'sent' | 'received';
  keyword?: string;
  page: number;
  pageSize: number;
}

export async function listNotices(
  ctx: AppContext,
  user: AuthUser,
  q: ListQuery,
): Promise<Page<NoticeSummary>> {
  const now = ctx.clock.now().toISOString();
  const db = ctx.database.db;
  if (q.box === 'sent') {
    if (!user.permissions.has('notice:send')) throw new AppError(403, 'FORBIDDEN');
    const { rows, total } = await listSent(db, scopeOf(user), q);
    const counts = await receiptCounts(
      db,
      rows.map((r) => r.id),
      now,
    );
    return {
      total,
      items: rows.map(({ body: _, ...r }) => ({
        ...r,
        counts: counts.get(r.id) ?? { total: 0, read: 0, acked: 0, overdue: 0 },
        readAt: null,
        ackedAt: null,
        ackedBy: null,
        overdue: false,
      })),
    };
  }
  if (user.kind !== 'staff' || !user.unitId) return { total: 0, items: [] };
  const { rows, total } = await listReceived(db, user.unitId, q);
  return {
    total,
    items: rows.map(({ body: _, ...r }) => ({
      ...r,
      counts: null,
      overdue: r.requireAck && isOverdue(r.ackDueAt, r.ackedAt, now),
    })),
  };
}

async function myReceipt(
  ctx: AppContext,
  user: AuthUser,
  notice: NoticeRow,
  now: string,
): Promise<MyReceipt | null> {
  const r = await recipientUnit(ctx, user, notice.id);
  if (!r || !user.unitId) return null;
  const ackedBy = r.acked_by
    ? await ctx.database.db
        .selectFrom('users')
        .select('display_name')
        .where('id', '=', r.acked_by)
        .executeTakeFirst()
    : undefined;
  return {
    unitId: r.unit_id,
    unitName: user.unitName ?? '',
    readAt: r.first_read_at,
    ackedAt: r.acked_at,
    ackedBy: ackedBy?.display_name ?? null,
    ackNote: r.ack_note,
    overdue: notice.requireAck && isOverdue(notice.ackDueAt, r.acked_at, now),
    canAck: notice.requireAck && r.acked_at === null && mayAck(user),
  };
}

/**
 * The notice as the caller sees it. A recipient unit's first view is recorded as the unit's reading
 * (once: later views, by anyone of the unit, change nothing); `recordRead: false` only looks.
 */
export async function getNotice(
  ctx: AppContext,
  user: AuthUser,
  actor: Actor,
  id: string,
  { recordRead = true }: { recordRead?: boolean } = {},
): Promise<NoticeDetail> {
  const notice = await findNotice(ctx.database.db, id);
  if (!notice) throw notFound();
  const sender = await isSenderSide(ctx, user, id);
  const recipient = await recipientUnit(ctx, user, id);
  if (!sender && !recipient) throw notFound();
  const now = ctx.clock.now();
  if (recordRead && recipient && recipient.first_read_at === null && user.unitId) {
    const unitId = user.unitId;
    await writeTx(ctx, actor, async (tx) => {
      if (await markRead(tx.db, id, unitId, user.id, now.toISOString())) {
        await tx.audit({ action: 'notice.read', entity: 'notice', entityId: id, after: { unitId } });
      }
    });
  }
  const nowIso = now.toISOString();
  const counts = sender ? ((await receiptCounts(ctx.database.db, [id], nowIso)).get(id) ?? null) : null;
  return {
    ...notice,
    attachments: await filesOf(ctx.database.db, NOTICE_RECORD, id),
    counts,
    receipt: await myReceipt(ctx, user, notice, nowIso),
  };
}

/** The caller's unit acknowledges (签收) the notice, with an optional note. */
export async function ackNotice(
  ctx: AppContext,
  user: AuthUser,
  actor: Actor,
  id: string,
  note: string | null,
): Promise<MyReceipt> {
  const notice = await findNotice(ctx.database.db, id);
  const recipient = notice ? await recipientUnit(ctx, user, id) : undefined;
  if (!notice || !recipient || !user.unitId) throw notFound();
  if (!mayAck(user)) throw new AppError(403, 'NOTICE_ACK_ROLE');
  if (!notice.requireAck) throw new AppError(400, 'NOTICE_ACK_NOT_REQUIRED');
  const unitId = user.unitId;
  const now = ctx.clock.now().toISOString();
  const text = note?.trim() || null;
  await writeTx(ctx, actor, async (tx) => {
    if (!(await markAcked(tx.db, id, unitId, user.id, now, text))) {
      const done = await tx.db
        .selectFrom('notice_recipients as r')
        .leftJoin('users as u', 'u.id', 'r.acked_by')
        .select(['r.acked_at', 'u.display_name'])
        .where('r.notice_id', '=', id)
        .where('r.unit_id', '=', unitId)
        .executeTakeFirst();
      throw new AppError(409, 'NOTICE_ALREADY_ACKED', {
        name: done?.display_name ?? '',
        at: shanghai(done?.acked_at ?? now),
      });
    }
    // signing without opening the notice first (e.g. from a list) is the unit's first reading too
    const firstRead = await markRead(tx.db, id, unitId, user.id, now);
    await tx.audit({
      action: 'notice.ack',
      entity: 'notice',
      entityId: id,
      after: { unitId, note: text, late: isOverdue(notice.ackDueAt, null, now), firstRead },
    });
  });
  const mine = await myReceipt(ctx, user, notice, now);
  if (!mine) throw notFound();
  return mine;
}

async function senderNotice(ctx: AppContext, user: AuthUser, id: string): Promise<NoticeRow> {
  const notice = await findNotice(ctx.database.db, id);
  if (!notice || !(await isSenderSide(ctx, user, id))) throw notFound();
  return notice;
}

export async function noticeReceipts(
  ctx: AppContext,
  user: AuthUser,
  id: string,
  status: ReceiptStatus,
): Promise<{ items: ReceiptRow[]; counts: ReceiptCounts }> {
  await senderNotice(ctx, user, id);
  const now = ctx.clock.now().toISOString();
  const db = ctx.database.db;
  const items = await receipts(db, id, now, status);
  const counts = (await receiptCounts(db, [id], now)).get(id) ?? { total: 0, read: 0, acked: 0, overdue: 0 };
  return { items, counts };
}

/** Reminds (催签收) the units that have not acknowledged; returns how many were reminded. */
export async function remindNotice(
  ctx: AppContext,
  user: AuthUser,
  actor: Actor,
  id: string,
): Promise<{ reminded: number }> {
  const notice = await senderNotice(ctx, user, id);
  if (!notice.requireAck) throw new AppError(400, 'NOTICE_ACK_NOT_REQUIRED');
  const reminded = await writeTx(ctx, actor, async (tx) => {
    const units = await unackedUnits(tx.db, id);
    if (units.length === 0) return 0;
    const { notified } = await notify(tx, {
      units: { unitIds: units, roles: [...ACK_ROLES] },
      kind: 'notice.ack_reminder',
      params: { sender: await unitLabel(tx.db, notice.senderUnitId), title: notice.title },
      record: { type: NOTICE_RECORD, id },
    });
    await tx.audit({
      action: 'notice.remind',
      entity: 'notice',
      entityId: id,
      after: { unitIds: units, notified },
    });
    return units.length;
  });
  kickDelivery(ctx);
  return { reminded };
}

export async function overdueAcks(
  ctx: AppContext,
  user: AuthUser,
  f: OverdueFilter,
): Promise<Page<OverdueRow>> {
  const { rows, total } = await listOverdue(ctx.database.db, scopeOf(user), ctx.clock.now().toISOString(), f);
  return { items: rows, total };
}

/** Sends a notice from the HTTP route: one transaction, then delivery; returns what the sender sees. */
export async function createNotice(
  ctx: AppContext,
  user: AuthUser,
  actor: Actor,
  input: SendNoticeInput,
): Promise<NoticeDetail> {
  const sent = await writeTx(ctx, actor, (tx) => sendNotice(tx, { user, scope: scopeOf(user) }, input));
  kickDelivery(ctx);
  return getNotice(ctx, user, actor, sent.id, { recordRead: false });
}

const shanghai = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
