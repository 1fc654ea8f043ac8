import type { FileMeta } from '../../../shared/files.ts';

/** The shapes of /api/notices replies (server: apps/server/src/modules/notices/routes.ts), shared by console and H5. */

export interface ReceiptCounts {
  total: number;
  read: number;
  acked: number;
  overdue: number;
}

interface NoticeBase {
  id: string;
  title: string;
  senderId: string | null;
  senderName: string | null;
  senderUnitId: string | null;
  senderUnitName: string | null;
  requireAck: boolean;
  ackDueAt: string | null;
  record: { type: string; id: string } | null;
  createdAt: string;
  /** Sender side only. */
  counts: ReceiptCounts | null;
}

export interface NoticeSummary extends NoticeBase {
  readAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  overdue: boolean;
}

export interface MyReceipt {
  unitId: string;
  unitName: string;
  readAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  ackNote: string | null;
  overdue: boolean;
  canAck: boolean;
}

export interface NoticeDetail extends NoticeBase {
  body: string;
  attachments: FileMeta[];
  /** The caller's unit's receipt, when the notice is addressed to it. */
  receipt: MyReceipt | null;
}

export interface ReceiptRow {
  unitId: string;
  unitName: string;
  readAt: string | null;
  readBy: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  ackNote: string | null;
  overdue: boolean;
  late: boolean;
}

export interface OverdueRow {
  noticeId: string;
  title: string;
  unitId: string;
  unitName: string;
  ackDueAt: string;
  readAt: string | null;
  createdAt: string;
}

export type ReceiptFilter = 'all' | 'unread' | 'unacked' | 'overdue';

/** One state per recipient unit, for a tag: acknowledged, overdue, read, or unread (and "no ack needed"). */
export type UnitState = 'acked' | 'overdue' | 'pending' | 'read' | 'unread';

export function unitState(
  n: { requireAck: boolean },
  r: { readAt: string | null; ackedAt: string | null; overdue: boolean },
): UnitState {
  if (r.ackedAt) return 'acked';
  if (n.requireAck && r.overdue) return 'overdue';
  if (n.requireAck && r.readAt) return 'pending';
  return r.readAt ? 'read' : 'unread';
}

/** i18n keys (notices.state.*) and colours of the states. */
export const STATE_COLOR: Record<UnitState, string> = {
  acked: 'green',
  overdue: 'red',
  pending: 'orange',
  read: 'blue',
  unread: 'default',
};
