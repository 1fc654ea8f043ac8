import {
  CASE_ACTIONS,
  CASE_CHANNELS,
  CASE_OPEN_STATES,
  CASE_SLA_CLASSES,
  CASE_STATES,
  type CaseAction,
  type CaseCategory,
  type CaseChannel,
  type CaseListItem,
  type CaseSlaClass,
  type CaseState,
} from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, fieldPath } from '../../../shared/api.ts';
import type { FileMeta } from '../../../shared/files.ts';
import { currentLanguage } from '../../../shared/i18n.ts';

/**
 * Citizen cases (群众诉求) as the console sees them: the shapes of `/api/cases`, `/api/case-categories` and
 * `/api/case-routing-rules`, and what each workflow action asks of the person taking it.
 */

export {
  CASE_ACTIONS,
  CASE_CHANNELS,
  CASE_SLA_CLASSES,
  CASE_STATES,
  type CaseAction,
  type CaseCategory,
  type CaseChannel,
  type CaseListItem,
  type CaseSlaClass,
  type CaseState,
};

export type SlaColor = CaseListItem['slaColor'];
export const SLA_COLORS: readonly SlaColor[] = ['green', 'yellow', 'red'];
export const SLA_HEX: Record<SlaColor, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' };

export function isOpen(state: CaseState): boolean {
  return CASE_OPEN_STATES.includes(state);
}

/** antd Tag colours of the states. */
export const STATE_TAG_COLOR: Record<CaseState, string> = {
  pending: 'gold',
  dispatched: 'orange',
  signed: 'cyan',
  processing: 'processing',
  answered: 'purple',
  rating: 'geekblue',
  unsatisfied: 'magenta',
  closed: 'success',
  merged: 'default',
  rejected: 'default',
};

/** A list row; `returnedByUnitName` is there when a unit sent the case back (退回). */
export interface CaseRow extends CaseListItem {
  version: number;
  categoryNameEn: string;
  returnedByUnitId: string | null;
  returnedByUnitName: string | null;
}

/** A page of `GET /api/cases` (keyset: pass `nextCursor` back as `cursor`; no total). */
export interface CasePage {
  items: CaseRow[];
  nextCursor: string | null;
}

export interface CaseDeadline {
  kind: 'dispatch' | 'sign' | 'answer' | 'redo';
  status: 'open' | 'met' | 'cancelled';
  dueAt: string;
  originalDueAt?: string;
  metAt: string | null;
  color: SlaColor | null;
  late: boolean;
  /** The emergency variant (counted in hours on the clock). */
  urgent?: boolean;
  unitName: string | null;
}

export interface PendingExtension {
  requestedDueAt: string;
  oldDueAt: string;
  reason: string;
  requestedAt: string;
  requestedBy: string | null;
}

export interface CaseRating {
  round: number;
  score: number;
  comment: string;
  unitName: string | null;
  createdAt: string;
}

export interface CaseTimelineEntry {
  seq: number;
  at: string;
  actorName: string | null;
  actorUnitName: string | null;
  from: string | null;
  action: string;
  to: string;
  note: string | null;
  payload: Record<string, unknown>;
  attachments: FileMeta[];
}

/** A photo of the case; `analysis` 'pending' means the thumbnail is not made yet. */
export interface CasePhoto extends FileMeta {
  analysis?: 'done' | 'pending' | 'failed';
  hidden?: boolean;
}

export interface CaseDetail extends CaseRow {
  version: number;
  description: string;
  slaClass: CaseSlaClass;
  answerReview: boolean;
  answer: string | null;
  anonymous: boolean;
  reporterName: string | null;
  contactName: string | null;
  /** Masked (138****8000). */
  contactPhone: string | null;
  lat: number | null;
  lng: number | null;
  firstUnitName: string | null;
  duplicateOf: { id: string; no: string } | null;
  valid: boolean | null;
  hiddenReason: string | null;
  reopenCount: number;
  /** The reporter's photos. */
  photos: CasePhoto[];
  /** Photos the unit added (answer, progress). */
  afterPhotos: CasePhoto[];
  pendingExtension: PendingExtension | null;
  ratings: CaseRating[];
  deadlines: CaseDeadline[];
  timeline: CaseTimelineEntry[];
  allowedActions: string[];
  closedAt: string | null;
}

export interface RoutingRule {
  id: string;
  categoryId: string | null;
  categoryName?: string | null;
  areaUnitId: string | null;
  areaName?: string | null;
  unitId: string;
  unitName?: string | null;
  note: string;
}

/** `GET /api/case-routing-rules/resolve`: the unit a case would go to (none: the office's queue) and why. */
export interface RoutingResolution {
  unitId: string | null;
  unitName: string | null;
  ruleId?: string | null;
  reason?: string | null;
}

/** A list of `{ items }` or a bare array: read both. */
export function itemsOf<T>(x: { items: T[] } | T[]): T[] {
  return Array.isArray(x) ? x : x.items;
}

export function categoryName(c: CaseCategory): string {
  return currentLanguage() === 'en-US' ? c.nameEn : c.nameZh;
}

/** Categories as select options, named in the current language. */
export function categoryOptions(categories: CaseCategory[]): { value: string; label: string }[] {
  return categories.map((c) => ({ value: c.id, label: categoryName(c) }));
}

/** A case's category name in the reader's language. */
export function caseCategoryName(c: CaseRow): string {
  return currentLanguage() === 'en-US' ? c.categoryNameEn : c.categoryName;
}

export async function loadCategories(): Promise<CaseCategory[]> {
  return itemsOf(await api<{ items: CaseCategory[] } | CaseCategory[]>('/case-categories'));
}

/** One page of `GET /api/cases`; `state` may list several states (comma-separated here, repeated on the wire). */
export function loadCases(query: Record<string, string | number | undefined>): Promise<CasePage> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    if (k === 'state') for (const s of String(v).split(',')) params.append('state', s);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return api<CasePage>(`/cases${qs ? `?${qs}` : ''}`);
}

export function loadCase(id: string): Promise<CaseDetail> {
  return api<CaseDetail>(`/cases/${id}`);
}

/** Cases whose number or title contains `q` (the merge picker). */
export async function searchCases(q: string): Promise<CaseRow[]> {
  return (await loadCases({ q, pageSize: 20 })).items;
}

/** What an action asks for besides the note. */
export interface ActionNeeds {
  note: 'required' | 'optional';
  unit?: boolean;
  dueDate?: boolean;
  attachments?: boolean;
  score?: boolean;
  original?: boolean;
  danger?: boolean;
}

/** Mirrors the server's machine (design of issue 5); the server decides. */
export const ACTION_NEEDS: Record<CaseAction, ActionNeeds> = {
  dispatch: { note: 'optional', unit: true },
  sign: { note: 'optional' },
  start: { note: 'optional' },
  answer: { note: 'required', attachments: true },
  approve_answer: { note: 'optional' },
  rate: { note: 'optional', score: true },
  reopen: { note: 'required' },
  progress: { note: 'required', attachments: true },
  request_extension: { note: 'required', dueDate: true },
  approve_extension: { note: 'optional' },
  reject_extension: { note: 'required', danger: true },
  return: { note: 'required', danger: true },
  reassign: { note: 'required', unit: true },
  escalate: { note: 'required' },
  return_answer: { note: 'required', danger: true },
  redo: { note: 'required' },
  close: { note: 'required' },
  merge: { note: 'required', original: true },
  reject: { note: 'required', danger: true },
  urge: { note: 'required' },
};

/** The caller's actions in the order of CASE_ACTIONS (unknown names from the server are left out). */
export function orderedActions(allowed: readonly string[]): CaseAction[] {
  return CASE_ACTIONS.filter((a) => allowed.includes(a));
}

export interface ActionValues {
  note?: string;
  attachments?: string[];
  unitId?: string;
  /** The instant an extension asks for (ISO). */
  dueAt?: string;
  score?: number;
  comment?: string;
  originalId?: string;
}

export interface TransitionBody {
  action: CaseAction;
  version: number;
  note?: string | null;
  attachments?: string[];
  payload?: Record<string, unknown>;
}

/** The transition of `action` with exactly what the action takes of the values. */
export function transitionBody(c: CaseDetail, action: CaseAction, v: ActionValues): TransitionBody {
  const needs = ACTION_NEEDS[action];
  const payload: Record<string, unknown> = {};
  if (needs.unit && v.unitId) payload.unitId = v.unitId;
  if (needs.dueDate && v.dueAt) payload.dueAt = v.dueAt;
  if (needs.score && v.score) {
    payload.score = v.score;
    payload.comment = v.comment?.trim() ?? '';
  }
  if (needs.original && v.originalId) payload.originalId = v.originalId;
  return {
    action,
    version: c.version,
    note: v.note?.trim() || null,
    ...(needs.attachments ? { attachments: v.attachments ?? [] } : {}),
    ...(Object.keys(payload).length ? { payload } : {}),
  };
}

export function transitionCase(id: string, body: TransitionBody): Promise<unknown> {
  return api(`/cases/${id}/transitions`, { method: 'POST', body });
}

/** Someone acted first (stale version, another state): reload. */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiClientError && (e.status === 409 || e.status === 403);
}

/** A transition's field errors by form field (`payload.unitId` → `unitId`). */
export function transitionFieldErrors(e: unknown): { name: string; errors: string[] }[] {
  if (!(e instanceof ApiClientError)) return [];
  const known = ['note', 'attachments', 'unitId', 'dueAt', 'score', 'comment', 'originalId'];
  const out = new Map<string, string[]>();
  for (const f of e.fields) {
    const name = String(fieldPath(f.field).filter((p) => p !== 'payload')[0] ?? '');
    if (!known.includes(name)) continue;
    out.set(name, [...(out.get(name) ?? []), f.message]);
  }
  return [...out].map(([name, errors]) => ({ name, errors }));
}
