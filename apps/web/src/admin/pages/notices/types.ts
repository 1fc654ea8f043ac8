import type {
  MyReceipt,
  NoticeDetail as NoticeReply,
  NoticeSummary,
  OverdueRow,
  ReceiptCounts,
  ReceiptRow,
  ReceiptStatus,
} from '../../../../../../packages/contracts/src/index.ts';
import type { FileMeta } from '../../../shared/files.ts';

/** The shapes of /api/notices replies (packages/contracts/src/notices.ts), shared by console and H5. */

export type { MyReceipt, NoticeSummary, OverdueRow, ReceiptCounts, ReceiptRow };
export type NoticeDetail = NoticeReply<FileMeta>;
export type ReceiptFilter = ReceiptStatus;

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
