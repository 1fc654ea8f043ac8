/** The shapes of /api/notices (通知) replies and the receipt (签收) filter. Shared by server and web. */

/** The receipts of a notice, by status. */
export const RECEIPT_STATUSES = ['all', 'unread', 'unacked', 'overdue'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** The business record a notice was sent about (e.g. a matter). */
export interface NoticeRef {
  type: string;
  id: string;
}

/** What list and detail show of every notice. */
export interface NoticeHeader {
  id: string;
  title: string;
  senderId: string | null;
  senderName: string | null;
  senderUnitId: string | null;
  senderUnitName: string | null;
  requireAck: boolean;
  ackDueAt: string | null;
  record: NoticeRef | null;
  createdAt: string;
}

export interface ReceiptCounts {
  total: number;
  read: number;
  acked: number;
  overdue: number;
}

export interface NoticeSummary extends NoticeHeader {
  /** Sender side: receipt counts over all recipient units. */
  counts: ReceiptCounts | null;
  /** Recipient side: the caller's unit's receipt. */
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
  /** The caller may acknowledge now (liaison or unit head, required, not yet acknowledged). */
  canAck: boolean;
}

/** A notice with its text and attachments (`File`: the files module's metadata of each one). */
export interface NoticeDetail<File> extends NoticeHeader {
  body: string;
  attachments: File[];
  /** Sender side only. */
  counts: ReceiptCounts | null;
  /** The caller's unit's receipt, when the notice is addressed to it. */
  receipt: MyReceipt | null;
}

/** One recipient unit's receipt (sender side). */
export interface ReceiptRow {
  unitId: string;
  unitName: string;
  readAt: string | null;
  readBy: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  ackNote: string | null;
  /** Acknowledgement required, not given, and the due time has passed. */
  overdue: boolean;
  /** Acknowledged after the due time. */
  late: boolean;
}

/** An unacknowledged recipient past its due time. */
export interface OverdueRow {
  noticeId: string;
  title: string;
  unitId: string;
  unitName: string;
  ackDueAt: string;
  readAt: string | null;
  createdAt: string;
  record: NoticeRef | null;
}
