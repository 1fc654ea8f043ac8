/** The progress ledger's shapes and calls, shared by the console review pages and the H5 screens. */
import {
  type Color,
  type ColorReason,
  colorReasonText,
  REPORT_STATES,
  type ReportState,
  type TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import type { FileMeta } from '../../../shared/files.ts';

export { REPORT_STATES, type ReportState };

export type ReportAction = 'submit' | 'approve' | 'unit_return' | 'accept' | 'return';
/** Order of the buttons; the actions needing a reason open a form first. */
export const ACTION_ORDER: ReportAction[] = ['accept', 'approve', 'submit', 'return', 'unit_return'];
export const NOTE_REQUIRED: ReadonlySet<ReportAction> = new Set(['return', 'unit_return']);

export const COLOR_HEX: Record<Color, string> = {
  green: '#52c41a',
  blue: '#1677ff',
  yellow: '#faad14',
  orange: '#fa8c16',
  red: '#f5222d',
};

export const STATE_COLOR: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  unit_approved: 'cyan',
  accepted: 'success',
  returned: 'error',
};

export interface Ref {
  id: string;
  name: string;
}

export interface ReportListItem {
  id: string;
  campaign: Ref;
  unit: Ref;
  author: Ref | null;
  state: ReportState;
  version: number;
  summary: string;
  similarFlags: number;
  submittedAt: string | null;
  reviewedAt: string | null;
  returnReason: string | null;
  tasks: { instanceId: string; title: string; cycle: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface ReportItem {
  instanceId: string;
  amounts: number[];
  task: { id: string; title: string; targets: TaskTarget[] };
  activity: { id: string; numeral: string; name: string };
  cycle: string;
  startsOn: string;
  dueOn: string;
  color: Color;
  colorReason: ColorReason | null;
  progress: number;
  instanceAmounts: number[];
}

export interface ReportFlag {
  file: FileMeta | null;
  otherFile: FileMeta | null;
  distance: number;
  otherReportId: string;
  other: ReportListItem | null;
}

export interface ReportTimelineEntry {
  seq: number;
  at: string;
  actorName: string | null;
  actorUnitName: string | null;
  from: string | null;
  action: string;
  to: string;
  note: string | null;
}

export interface ReportDetail extends Omit<ReportListItem, 'campaign'> {
  campaign: Ref & { status: string; requiresUnitApproval: boolean };
  approvedBy: string | null;
  reviewedBy: string | null;
  items: ReportItem[];
  evidence: FileMeta[];
  flags: ReportFlag[] | null;
  timeline: ReportTimelineEntry[];
  allowedActions: ReportAction[];
  editable: boolean;
}

export interface MyTask {
  id: string;
  campaign: Ref;
  task: { id: string; title: string; description: string; targets: TaskTarget[] };
  activity: { numeral: string; name: string };
  role: string;
  cycle: string;
  startsOn: string;
  dueOn: string;
  color: Color;
  colorReason: ColorReason | null;
  progress: number;
  amounts: number[];
  acceptedReports: number;
  pendingReports: number;
  returnedAt: string | null;
}

export interface ReportBody {
  campaignId: string;
  summary: string;
  items: { instanceId: string; amounts: number[] }[];
  fileIds: string[];
}

/** The colour's reason as a sentence in the reader's language ("红：截止…，已逾期…"). */
export function reasonText(color: Color, reason: ColorReason | null, lang: string): string {
  if (!reason) return '';
  return colorReasonText(color, reason, lang === 'en-US' ? 'en-US' : 'zh-CN');
}

/** A cycle as shown: 'once' reads as 单次 / one-off, the others as they are (2026-Q3, 2026-07…). */
export function cycleLabel(cycle: string, t: (key: string) => string): string {
  return cycle === 'once' ? t('ledger.once') : cycle;
}

/** Colours as text on white: the yellow and orange of the dots are too light to read. */
export const COLOR_TEXT: Record<Color, string> = { ...COLOR_HEX, yellow: '#d48806', orange: '#d46b08' };

export const isPercent = (t: TaskTarget) => t.measure.trim() === '%' || t.measure.trim() === '％';

export function orderedActions(actions: ReportAction[]): ReportAction[] {
  return ACTION_ORDER.filter((a) => actions.includes(a));
}

export const getReport = (id: string) => api<ReportDetail>(`/ledger/reports/${id}`);
export const myTasks = (campaignId?: string) =>
  api<{ items: MyTask[] }>('/ledger/my-tasks', { query: { campaignId } });
/** A write's short answer (`Prefer: return=minimal`). */
export interface ReportRef {
  id: string;
  state: ReportDetail['state'];
  version: number;
}

/**
 * With `submit`, the new report is submitted in the same request (one round trip on a phone); the answer
 * is only the new report's id, state and version (the page moves on and loads what it shows).
 */
export const createReport = (body: ReportBody & { submit?: boolean }) =>
  api<ReportRef>('/ledger/reports', { method: 'POST', body, headers: { prefer: 'return=minimal' } });
export const updateReport = (id: string, body: Omit<ReportBody, 'campaignId'> & { version: number }) =>
  api<ReportDetail>(`/ledger/reports/${id}`, { method: 'PATCH', body });
export const actOnReport = (id: string, body: { action: ReportAction; version: number; note?: string }) =>
  api<ReportDetail>(`/ledger/reports/${id}/transitions`, { method: 'POST', body });
