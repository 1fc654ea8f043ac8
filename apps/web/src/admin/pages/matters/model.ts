import {
  MATTER_ACTIONS,
  MATTER_STATES,
  type MatterAction,
  type MatterState,
  SLA_COLORS,
  type SlaColor,
} from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, fieldPath } from '../../../shared/api.ts';
import type { FileMeta } from '../../../shared/files.ts';
import { endOfShanghaiDay } from '../../../shared/format.ts';

/**
 * The assigned-matter (交办事项) workflow as the web app sees it: the shapes of `/api/matters`, the
 * states, actions and colors, and what each action asks of the person taking it. Console and H5 share it.
 */

export { MATTER_ACTIONS, MATTER_STATES, type MatterAction, type MatterState, SLA_COLORS, type SlaColor };

/** The actions a unit takes (the H5 offers these). */
export const UNIT_ACTIONS: readonly MatterAction[] = [
  'acknowledge',
  'resolve',
  'feedback',
  'request_extension',
  'decline',
];

/** States that are over: no color or due date is shown (the server counts colors of open matters only). */
export const FINAL_STATES: readonly string[] = ['closed', 'cancelled'];

export function isOpen(state: string): boolean {
  return !FINAL_STATES.includes(state);
}

export interface UnitRef {
  id: string;
  name: string;
}

export interface MatterListItem {
  id: string;
  no: string;
  title: string;
  level: 'ordinary' | 'major';
  state: MatterState;
  version: number;
  slaColor: SlaColor;
  dueAt: string | null;
  assignee: UnitRef;
  assigner: UnitRef | null;
  createdAt: string;
  updatedAt: string;
}

export interface MatterDeadline {
  kind: 'acknowledge' | 'feedback' | 'resolve' | 'rework';
  status: 'open' | 'met' | 'cancelled';
  startsAt: string;
  dueAt: string;
  originalDueAt: string;
  metAt: string | null;
  color: SlaColor | null;
  late: boolean;
}

export interface PendingExtension {
  requestedDueAt: string;
  oldDueAt: string;
  reason: string;
  requestedAt: string;
  requestedBy: string | null;
}

export interface MatterDetail extends MatterListItem {
  content: string;
  source: string | null;
  createdBy: UnitRef | null;
  acknowledgedAt: string | null;
  firstFeedbackAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  allowedActions: MatterAction[];
  deadlines: MatterDeadline[];
  pendingExtension: PendingExtension | null;
  attachments: FileMeta[];
}

export interface TimelineEntry {
  seq: number;
  at: string;
  actorName: string | null;
  actorUnitName: string | null;
  from: string | null;
  /** An action, or `create` for the first step. */
  action: string;
  to: string;
  note: string | null;
  payload: { unitId?: string; dueAt?: string };
  attachments: FileMeta[];
}

export interface MatterStats {
  byState: Partial<Record<MatterState, number>>;
  /** Open matters (not closed or cancelled) by color. */
  byColor: Partial<Record<SlaColor, number>>;
}

/** What an action asks for: a note (reason), evidence files, a unit, a new due date. */
export interface ActionNeeds {
  note: 'required' | 'optional';
  attachments?: 'required' | 'optional';
  unit?: boolean;
  dueDate?: boolean;
  /** The action undoes or refuses something (shown in red). */
  danger?: boolean;
}

/** Mirrors the server's declaration (apps/server/src/modules/matters/machine.ts); the server decides. */
export const ACTION_NEEDS: Record<MatterAction, ActionNeeds> = {
  acknowledge: { note: 'optional' },
  decline: { note: 'required', danger: true },
  feedback: { note: 'required', attachments: 'optional' },
  request_extension: { note: 'required', dueDate: true },
  resolve: { note: 'required', attachments: 'required' },
  reassign: { note: 'optional', unit: true },
  approve_extension: { note: 'optional' },
  reject_extension: { note: 'required', danger: true },
  urge: { note: 'required' },
  accept: { note: 'optional' },
  return: { note: 'required', danger: true },
  cancel: { note: 'required', danger: true },
};

/** antd Tag colors of the states. */
export const STATE_TAG_COLOR: Record<MatterState, string> = {
  assigned: 'gold',
  in_progress: 'processing',
  resolved: 'purple',
  closed: 'success',
  returned: 'magenta',
  cancelled: 'default',
};

/** The four-color palette of the platform, three of which deadlines use. */
export const SLA_HEX: Record<SlaColor, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' };

/** The sorted list of a caller's actions (the server's order is its declaration order). */
export function orderedActions(allowed: readonly string[]): MatterAction[] {
  return MATTER_ACTIONS.filter((a) => allowed.includes(a));
}

/** The open resolution deadline (办结 or 重办): what an extension moves. */
export function resolutionDue(m: MatterDetail): string | null {
  return (
    m.deadlines.find((d) => d.status === 'open' && (d.kind === 'resolve' || d.kind === 'rework'))?.dueAt ??
    null
  );
}

export interface TransitionBody {
  action: MatterAction;
  version: number;
  note?: string | null;
  attachments?: string[];
  payload?: { unitId?: string; dueAt?: string };
}

/** What the person taking an action filled in (the console's form or the H5 sheet). */
export interface ActionValues {
  note?: string;
  attachments?: string[];
  unitId?: string;
  /** The day (YYYY-MM-DD) an extension asks for: it runs to that day's end, Shanghai time. */
  dueDay?: string | null;
}

/** The transition of `action` on `m` with exactly what the action takes of the values (ACTION_NEEDS). */
export function transitionBody(m: MatterDetail, action: MatterAction, v: ActionValues): TransitionBody {
  const needs = ACTION_NEEDS[action];
  const payload =
    needs.unit && v.unitId
      ? { unitId: v.unitId }
      : needs.dueDate && v.dueDay
        ? { dueAt: endOfShanghaiDay(v.dueDay) }
        : undefined;
  return {
    action,
    version: m.version,
    note: v.note?.trim() || null,
    ...(needs.attachments ? { attachments: v.attachments ?? [] } : {}),
    ...(payload ? { payload } : {}),
  };
}

/** The console's action modal and the H5 action sheet. */
export interface ActionFormProps {
  matter: MatterDetail;
  action: MatterAction | null;
  onClose: () => void;
  /** The matter after the action, or null when it must be reloaded. */
  onDone: (m: MatterDetail | null) => void;
}

export function transitionMatter(id: string, body: TransitionBody): Promise<MatterDetail> {
  return api<MatterDetail>(`/matters/${id}/transitions`, { method: 'POST', body });
}

/** A refusal that means the matter moved on under the caller (stale version, another state): reload it. */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiClientError && (e.status === 409 || e.status === 403);
}

/**
 * A transition's field errors by form field: `note`, `attachments`, and the payload's `unitId` and
 * `dueAt` (the server names them `payload.unitId`, `payload.dueAt`).
 */
export function transitionFieldErrors(e: unknown): { name: string; errors: string[] }[] {
  if (!(e instanceof ApiClientError)) return [];
  const out = new Map<string, string[]>();
  for (const f of e.fields) {
    const path = fieldPath(f.field).filter((p) => p !== 'payload');
    const name = String(path[0] ?? '');
    if (!['note', 'attachments', 'unitId', 'dueAt'].includes(name)) continue;
    out.set(name, [...(out.get(name) ?? []), f.message]);
  }
  return [...out].map(([name, errors]) => ({ name, errors }));
}
