import type { Kysely } from 'kysely';
import {
  CASE_ACTIONS,
  CASE_MAX_REOPENS,
  CASE_REOPEN_DAYS,
  CASE_SATISFIED_MIN,
  CASE_STATES,
  type CaseAction,
  type CaseState,
} from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { bool } from '../../db/normalize.ts';
import type { CaseTable, DB } from '../../db/schema.ts';
import { AppError, invalidField } from '../../platform/http/errors.ts';
import type { Localized } from '../../platform/http/messages.ts';
import { notify } from '../../platform/notify/service.ts';
import type { AuthUser, Scope } from '../../platform/rbac/types.ts';
import {
  type ActionDef,
  checkMachine,
  type EffectArgs,
  type EffectOutcome,
  type Machine,
} from '../../platform/workflow/machine.ts';
import { registerWorkflow } from '../../platform/workflow/registry.ts';
import { formatDue } from '../../platform/workflow/sla.ts';
import {
  CASE_POLICY,
  type CaseDeadlineBase,
  caseSlaHandler,
  deadlineDuration,
  deadlineKind,
  kindsOf,
  OFFICE_ROLES,
} from './sla.ts';
import './templates.ts';

/** A case as the workflow sees it: the row plus its units' paths and names (scope, relation, labels). */
export interface CaseRecord extends CaseTable {
  unit_path: string | null;
  unit_name: string | null;
  unit_type: string | null;
  unit_parent_id: string | null;
  first_unit_path: string | null;
  returned_path: string | null;
  area_path: string | null;
  area_name: string | null;
  category_code: string;
  category_name: string;
  /** An extension request waits for the office's decision. */
  extension_pending: boolean;
}

export { CASE_ACTIONS, CASE_STATES, type CaseAction, type CaseState };

const DAY_MS = 24 * 3600_000;

export const CASE_STATE_LABELS: Record<CaseState, Localized> = {
  pending: { 'zh-CN': '待受理', 'en-US': 'awaiting dispatch' },
  dispatched: { 'zh-CN': '已派单', 'en-US': 'dispatched' },
  signed: { 'zh-CN': '已签收', 'en-US': 'signed for' },
  processing: { 'zh-CN': '处理中', 'en-US': 'in progress' },
  answered: { 'zh-CN': '已答复', 'en-US': 'answered (under review)' },
  rating: { 'zh-CN': '待评价', 'en-US': 'awaiting rating' },
  unsatisfied: { 'zh-CN': '不满意', 'en-US': 'unsatisfied' },
  closed: { 'zh-CN': '已办结', 'en-US': 'closed' },
  merged: { 'zh-CN': '已合并', 'en-US': 'merged' },
  rejected: { 'zh-CN': '不予受理', 'en-US': 'not accepted' },
};

export const CASE_ACTION_LABELS: Record<CaseAction, Localized> = {
  dispatch: { 'zh-CN': '派单', 'en-US': 'dispatch' },
  sign: { 'zh-CN': '签收', 'en-US': 'sign for' },
  start: { 'zh-CN': '开始办理', 'en-US': 'start' },
  answer: { 'zh-CN': '答复', 'en-US': 'answer' },
  approve_answer: { 'zh-CN': '审核通过', 'en-US': 'approve the answer' },
  rate: { 'zh-CN': '评价', 'en-US': 'rate' },
  reopen: { 'zh-CN': '申请重办', 'en-US': 'ask for a redo' },
  progress: { 'zh-CN': '反馈进展', 'en-US': 'report progress' },
  request_extension: { 'zh-CN': '申请延期', 'en-US': 'request an extension' },
  approve_extension: { 'zh-CN': '批准延期', 'en-US': 'approve the extension' },
  reject_extension: { 'zh-CN': '驳回延期', 'en-US': 'reject the extension' },
  return: { 'zh-CN': '退回', 'en-US': 'return to dispatch' },
  reassign: { 'zh-CN': '改派', 'en-US': 'reassign' },
  escalate: { 'zh-CN': '上报上级', 'en-US': 'escalate' },
  return_answer: { 'zh-CN': '退回重办', 'en-US': 'return the answer' },
  redo: { 'zh-CN': '重办', 'en-US': 'redo' },
  close: { 'zh-CN': '不满意办结', 'en-US': 'close unsatisfied' },
  merge: { 'zh-CN': '合并', 'en-US': 'merge' },
  reject: { 'zh-CN': '不予受理', 'en-US': 'reject' },
  urge: { 'zh-CN': '催办', 'en-US': 'urge' },
};

// ---- relations -------------------------------------------------------------------------------------

/** The caller works in the unit responsible for the case now. */
const inUnit = (user: AuthUser, r: CaseRecord) => !!r.unit_id && user.unitId === r.unit_id;
const isReporter = (user: AuthUser, r: CaseRecord) => !!r.reporter_id && r.reporter_id === user.id;

/** The caller's data scope covers the case (its unit, first unit, returning unit or area). */
export function coversCase(user: AuthUser, r: CaseRecord): boolean {
  if (user.dataScope === 'all') return true;
  if (!user.unitId) return false;
  if (user.dataScope === 'subtree') {
    const base = user.unitPath;
    return (
      !!base &&
      [r.unit_path, r.first_unit_path, r.returned_path, r.area_path].some((p) => p?.startsWith(base))
    );
  }
  return [r.unit_id, r.first_unit_id, r.returned_by_unit_id, r.area_unit_id].includes(user.unitId);
}

const noPendingExtension = (r: CaseRecord) => (r.extension_pending ? 'EXTENSION_PENDING' : null);
const pendingExtension = (r: CaseRecord) => (r.extension_pending ? null : 'EXTENSION_NONE_PENDING');
const reopensLeft = (r: CaseRecord) => (r.reopen_count >= CASE_MAX_REOPENS ? 'CASE_REOPEN_LIMIT' : null);

// ---- effects ---------------------------------------------------------------------------------------

type A = EffectArgs<CaseRecord>;

export function caseLabel(c: Pick<CaseTable, 'no' | 'title'>): string {
  return `${c.no} ${c.title}`;
}

async function setColumns(a: A, values: Partial<CaseTable>): Promise<void> {
  await a.tx.db.updateTable('cases').set(values).where('id', '=', a.record.id).execute();
}

/** cases.due_at = the open answer or redo deadline (the list's "overdue" and SLA columns). */
async function syncDue(a: A): Promise<void> {
  const d = await a.tx.db
    .selectFrom('deadlines')
    .select('due_at')
    .where('record_type', '=', 'case')
    .where('record_id', '=', a.record.id)
    .where('kind', 'in', kindsOf('answer', 'redo'))
    .where('status', '=', 'open')
    .orderBy('due_at')
    .executeTakeFirst();
  await setColumns(a, { due_at: d?.due_at ?? null });
}

async function openDeadline(a: A, base: CaseDeadlineBase, unitId: string | null): Promise<void> {
  const sla = a.record.sla_class;
  await a.deadlines.open(deadlineKind(base, sla), deadlineDuration(base, sla), { unitId });
}

async function cancelKinds(a: A, kinds: string[]): Promise<void> {
  await a.tx.db
    .updateTable('deadlines')
    .set({ status: 'cancelled', next_fire_at: null, updated_at: a.now.toISOString() })
    .where('record_type', '=', 'case')
    .where('record_id', '=', a.record.id)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .execute();
}

function params(a: A, extra: Record<string, string> = {}) {
  return {
    label: caseLabel(a.record),
    actor: a.caller.user.displayName,
    note: a.input.note ?? '',
    unit: a.record.unit_name ?? '',
    ...extra,
  };
}

/** Tells a unit's liaisons and heads. */
async function toUnit(a: A, kind: string, unitId: string | null, extra: Record<string, string> = {}) {
  if (!unitId) return;
  await notify(a.tx, {
    units: { unitIds: [unitId], roles: ['liaison', 'unit_head'] },
    kind,
    params: params(a, extra),
    record: { type: 'case', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

/** The office's users (they dispatch, review answers and decide on unsatisfied cases). */
export async function officeUserIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.user_id')
    .where('r.role', 'in', OFFICE_ROLES)
    .where('u.status', '=', 'active')
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

async function toOffice(a: A, kind: string, extra: Record<string, string> = {}) {
  await notify(a.tx, {
    userIds: await officeUserIds(a.tx.db as unknown as Kysely<DB>),
    kind,
    params: params(a, extra),
    record: { type: 'case', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

/**
 * Gives the case to a unit. `fresh`: the unit's deadlines start now (a new unit, or a reassignment);
 * otherwise (sent back to the unit that returned it) only signing starts again and the answer deadline
 * keeps running (首接负责).
 */
async function assignTo(a: A, unitId: string, fresh: boolean): Promise<void> {
  const r = a.record;
  await a.deadlines.meet(...kindsOf('dispatch'));
  if (fresh) {
    await a.deadlines.cancelAll();
    await openDeadline(a, 'sign', unitId);
    await openDeadline(a, 'answer', unitId);
  } else {
    await openDeadline(a, 'sign', unitId);
  }
  await setColumns(a, {
    unit_id: unitId,
    first_unit_id: r.first_unit_id ?? unitId,
    returned_by_unit_id: null,
    dispatched_at: a.now.toISOString(),
    signed_at: null,
  });
  await syncDue(a);
  await toUnit(a, 'case.assigned', unitId);
}

/** A new case: a routed one's unit gets its sign and answer deadlines; otherwise the office dispatches. */
export async function onCaseCreated(a: A): Promise<void> {
  const unitId = a.record.unit_id;
  if (unitId) {
    await openDeadline(a, 'sign', unitId);
    await openDeadline(a, 'answer', unitId);
    await syncDue(a);
    await toUnit(a, 'case.assigned', unitId);
  } else {
    await openDeadline(a, 'dispatch', null);
    await toOffice(a, 'case.pending');
  }
}

const payloadUnit = (a: A) => String(a.input.payload?.unitId);

/** Reopen (the reporter) and redo (the office): the same unit handles it again with a fresh deadline. */
async function redoEffects(a: A): Promise<void> {
  await setColumns(a, {
    reopen_count: a.record.reopen_count + 1,
    rating: null,
    rating_comment: null,
    rated_at: null,
    closed_at: null,
  });
  await openDeadline(a, 'redo', a.record.unit_id);
  await syncDue(a);
  await toUnit(a, 'case.redo', a.record.unit_id);
}

async function closeEffects(a: A, values: Partial<CaseTable> = {}): Promise<void> {
  await a.deadlines.cancelAll();
  await setColumns(a, { due_at: null, ...values });
}

/** States whose arrival the reporter and the followers hear about. */
const NEWS: readonly string[] = ['dispatched', 'processing', 'rating', 'closed', 'rejected', 'merged'];

/** The reporter (unless they acted) and the followers hear of the case's new state. */
async function tellCitizens(a: A): Promise<void> {
  if (a.to === a.record.state || !NEWS.includes(a.to)) return;
  // the state's name in both languages: each reader sees theirs
  const base = { label: caseLabel(a.record), state: CASE_STATE_LABELS[a.to as CaseState] };
  if (a.record.reporter_id && a.record.reporter_id !== a.caller.user.id) {
    await notify(a.tx, {
      userIds: [a.record.reporter_id],
      kind: 'case.update',
      params: base,
      record: { type: 'case', id: a.record.id },
    });
  }
  const followers = await a.tx.db
    .selectFrom('case_follows')
    .select('user_id')
    .where('case_id', '=', a.record.id)
    .execute();
  const ids = followers.map((f) => f.user_id).filter((id) => id !== a.record.reporter_id);
  if (ids.length) {
    await notify(a.tx, {
      userIds: ids,
      kind: 'case.followed_update',
      params: base,
      record: { type: 'case', id: a.record.id },
      excludeUserId: a.caller.user.id,
    });
  }
}

/** Every action also tells the citizens of a state change after its own effects. */
function withNews(actions: Record<CaseAction, ActionDef<CaseRecord>>) {
  const out: Record<string, ActionDef<CaseRecord>> = {};
  for (const [name, def] of Object.entries(actions)) {
    out[name] = {
      ...def,
      effects: async (a): Promise<EffectOutcome | undefined> => {
        const outcome = await def.effects?.(a);
        await tellCitizens(a);
        return outcome ?? undefined;
      },
    };
  }
  return out;
}

/** The open deadline an extension applies to: the redo one if any, else the answer one. */
async function extensibleKind(a: A): Promise<string> {
  const rows = await a.tx.db
    .selectFrom('deadlines')
    .select('kind')
    .where('record_type', '=', 'case')
    .where('record_id', '=', a.record.id)
    .where('kind', 'in', kindsOf('answer', 'redo'))
    .where('status', '=', 'open')
    .execute();
  const kinds = rows.map((r) => r.kind);
  return kinds.find((k) => k.startsWith('redo')) ?? kinds[0] ?? deadlineKind('answer', a.record.sla_class);
}

const ACTIVE: CaseState[] = ['pending', 'dispatched', 'signed', 'processing'];
const HANDLING: CaseState[] = ['signed', 'processing'];

const ACTIONS: Record<CaseAction, ActionDef<CaseRecord>> = {
  dispatch: {
    from: ['pending'],
    to: 'dispatched',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'optional',
    effects: async (a) => {
      const unitId = payloadUnit(a);
      await assignTo(a, unitId, a.record.unit_id !== unitId);
    },
  },
  reject: {
    from: ['pending'],
    to: 'rejected',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    effects: (a) => closeEffects(a, { returned_by_unit_id: null }),
  },
  sign: {
    from: ['dispatched'],
    to: 'signed',
    permission: 'case:handle',
    who: inUnit,
    note: 'optional',
    effects: async (a) => {
      await a.deadlines.meet(...kindsOf('sign'));
      await setColumns(a, { signed_at: a.now.toISOString() });
    },
  },
  start: {
    from: ['signed'],
    to: 'processing',
    permission: 'case:handle',
    who: inUnit,
    note: 'optional',
  },
  progress: {
    from: HANDLING,
    to: 'processing',
    permission: 'case:handle',
    who: inUnit,
    note: 'required',
    attachments: 'optional',
    effects: async (a) => {
      if (!a.record.reporter_id) return;
      await notify(a.tx, {
        userIds: [a.record.reporter_id],
        kind: 'case.progress',
        params: params(a),
        record: { type: 'case', id: a.record.id },
      });
    },
  },
  request_extension: {
    from: HANDLING,
    to: null,
    permission: 'case:handle',
    who: inUnit,
    note: 'required',
    guard: noPendingExtension,
    effects: async (a) => {
      const dueAt = new Date(String(a.input.payload?.dueAt));
      await a.deadlines.requestExtension(await extensibleKind(a), dueAt, a.input.note ?? '');
      await toOffice(a, 'case.extension_requested', { due: formatDue(dueAt.toISOString()) });
    },
  },
  approve_extension: {
    from: HANDLING,
    to: null,
    permission: 'case:dispatch',
    who: coversCase,
    note: 'optional',
    guard: pendingExtension,
    effects: async (a) => {
      const moved = await a.deadlines.decideExtension(true, a.input.note ?? null);
      await syncDue(a);
      await toUnit(a, 'case.extension_approved', a.record.unit_id, {
        due: moved ? formatDue(moved.dueAt) : '',
      });
      return { payload: moved ? { deadline: moved.kind, dueAt: moved.dueAt } : {} };
    },
  },
  reject_extension: {
    from: HANDLING,
    to: null,
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    guard: pendingExtension,
    effects: async (a) => {
      await a.deadlines.decideExtension(false, a.input.note ?? null);
      await toUnit(a, 'case.extension_rejected', a.record.unit_id);
    },
  },
  return: {
    from: ['dispatched', 'signed'],
    to: 'pending',
    permission: 'case:handle',
    who: inUnit,
    note: 'required',
    effects: async (a) => {
      // 首接负责: the unit keeps the case (and its answer deadline) until the office decides.
      await cancelKinds(a, kindsOf('sign'));
      await openDeadline(a, 'dispatch', null);
      await setColumns(a, { returned_by_unit_id: a.record.unit_id, signed_at: null });
      await toOffice(a, 'case.returned');
    },
  },
  reassign: {
    from: ACTIVE,
    to: 'dispatched',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    effects: (a) => assignTo(a, payloadUnit(a), true),
  },
  escalate: {
    from: ['dispatched', 'signed', 'processing'],
    // A village's case goes up to its township; a township's or member unit's to the office queue.
    to: (r) => (r.unit_type === 'village' && r.unit_parent_id ? 'dispatched' : 'pending'),
    toStates: ['dispatched', 'pending'],
    permission: 'case:read',
    who: (u, r) =>
      (inUnit(u, r) && u.permissions.has('case:handle')) ||
      (u.permissions.has('case:dispatch') && coversCase(u, r)),
    note: 'required',
    effects: async (a) => {
      if (a.to === 'dispatched' && a.record.unit_parent_id) {
        await setColumns(a, { level: 'township' });
        await assignTo(a, a.record.unit_parent_id, true);
        return;
      }
      await a.deadlines.cancelAll();
      await openDeadline(a, 'dispatch', null);
      await setColumns(a, { level: 'county', unit_id: null, returned_by_unit_id: null, signed_at: null });
      await syncDue(a);
      await toOffice(a, 'case.escalated');
    },
  },
  answer: {
    from: HANDLING,
    to: (r) => (bool(r.answer_review) ? 'answered' : 'rating'),
    toStates: ['answered', 'rating'],
    permission: 'case:handle',
    who: inUnit,
    note: 'required',
    attachments: 'optional',
    effects: async (a) => {
      await a.deadlines.meet(...kindsOf('sign', 'answer', 'redo'));
      // An extension still waiting for the office has nothing left to extend.
      if (a.record.extension_pending) await a.deadlines.decideExtension(false, 'answered');
      await setColumns(a, { answer: a.input.note ?? '', answered_at: a.now.toISOString() });
      await syncDue(a);
      if (a.to === 'answered') await toOffice(a, 'case.answer_review');
    },
  },
  approve_answer: {
    from: ['answered'],
    to: 'rating',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'optional',
  },
  return_answer: {
    from: ['answered'],
    to: 'processing',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    effects: async (a) => {
      await openDeadline(a, 'redo', a.record.unit_id);
      await syncDue(a);
      await toUnit(a, 'case.answer_returned', a.record.unit_id);
    },
  },
  rate: {
    from: ['rating'],
    to: (_r, input) => (Number(input.payload?.score) >= CASE_SATISFIED_MIN ? 'closed' : 'unsatisfied'),
    toStates: ['closed', 'unsatisfied'],
    // The reporter; for a case without one (a hotline order) the office records the callback (回访).
    permission: 'case:report',
    who: (u, r) => (r.reporter_id ? isReporter(u, r) : u.permissions.has('case:dispatch')),
    note: 'optional',
    effects: async (a) => {
      const score = Number(a.input.payload?.score);
      const comment = String(a.input.payload?.comment ?? a.input.note ?? '');
      const at = a.now.toISOString();
      await a.tx.db
        .insertInto('case_ratings')
        .values({
          id: uuidv7(),
          case_id: a.record.id,
          round: a.record.reopen_count + 1,
          unit_id: a.record.unit_id,
          score,
          comment,
          rated_by: a.caller.user.id,
          created_at: at,
        })
        .execute();
      const closed = a.to === 'closed';
      await setColumns(a, {
        rating: score,
        rating_comment: comment,
        rated_at: at,
        closed_at: closed ? at : null,
      });
      if (closed) await closeEffects(a);
      else await toOffice(a, 'case.unsatisfied', { note: `${score}` });
    },
  },
  reopen: {
    from: ['unsatisfied', 'closed'],
    to: 'processing',
    permission: 'case:report',
    who: isReporter,
    note: 'required',
    guard: reopensLeft,
    effects: async (a) => {
      const closedAt = a.record.closed_at ? Date.parse(a.record.closed_at) : null;
      if (
        a.record.state === 'closed' &&
        closedAt !== null &&
        a.now.getTime() - closedAt > CASE_REOPEN_DAYS * DAY_MS
      ) {
        throw new AppError(409, 'CASE_REOPEN_EXPIRED', { days: CASE_REOPEN_DAYS });
      }
      await redoEffects(a);
    },
  },
  redo: {
    from: ['unsatisfied'],
    to: 'processing',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    guard: reopensLeft,
    effects: redoEffects,
  },
  close: {
    from: ['unsatisfied'],
    to: 'closed',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    effects: (a) => closeEffects(a, { closed_at: a.now.toISOString() }),
  },
  merge: {
    from: ACTIVE,
    to: 'merged',
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    effects: async (a) => {
      const originalId = String(a.input.payload?.originalId);
      const original = await a.tx.db
        .selectFrom('cases')
        .select(['id', 'no', 'state'])
        .where('id', '=', originalId)
        .executeTakeFirst();
      if (!original || original.id === a.record.id || original.state === 'merged') {
        throw invalidField('payload.originalId', 'case.mergeTarget');
      }
      await closeEffects(a, { duplicate_of: original.id, closed_at: a.now.toISOString() });
      // The duplicate's reporter and followers now follow the original.
      const followers = await a.tx.db
        .selectFrom('case_follows')
        .select('user_id')
        .where('case_id', '=', a.record.id)
        .execute();
      const people = [
        ...new Set([
          ...(a.record.reporter_id ? [a.record.reporter_id] : []),
          ...followers.map((f) => f.user_id),
        ]),
      ];
      if (people.length) {
        const at = a.now.toISOString();
        await a.tx.db
          .insertInto('case_follows')
          .values(people.map((user_id) => ({ case_id: original.id, user_id, created_at: at })))
          .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
          .execute();
        await refreshFollowerCount(a.tx.db as unknown as Kysely<DB>, original.id);
        await notify(a.tx, {
          userIds: people,
          kind: 'case.merged',
          params: { label: caseLabel(a.record), original: original.no },
          record: { type: 'case', id: original.id },
          excludeUserId: a.caller.user.id,
        });
      }
      return { payload: { originalNo: original.no } };
    },
  },
  urge: {
    from: ['dispatched', 'signed', 'processing', 'answered'],
    to: null,
    permission: 'case:dispatch',
    who: coversCase,
    note: 'required',
    effects: (a) => toUnit(a, 'case.urged', a.record.unit_id),
  },
};

/** cases.follower_count from case_follows (after follows were added or removed). */
export async function refreshFollowerCount(db: Kysely<DB>, caseId: string): Promise<void> {
  await db
    .updateTable('cases')
    .set((eb) => ({
      follower_count: eb
        .selectFrom('case_follows')
        .select((s) => s.fn.countAll<number>().as('n'))
        .where('case_id', '=', caseId),
    }))
    .where('id', '=', caseId)
    .execute();
}

/** Whether a scope (or the caller as reporter) sees the case. */
export function caseVisible(r: CaseRecord, scope: Scope, user?: AuthUser): boolean {
  if (user && isReporter(user, r)) return true;
  switch (scope.kind) {
    case 'all':
      return true;
    case 'subtree':
      return [r.unit_path, r.first_unit_path, r.returned_path, r.area_path].some((p) =>
        p?.startsWith(scope.path),
      );
    case 'own':
      return [r.unit_id, r.first_unit_id, r.returned_by_unit_id, r.area_unit_id].includes(scope.unitId);
    case 'none':
      return false;
  }
}

/** Reads one case as the workflow sees it (also what the detail starts from). */
export async function loadCase(db: Kysely<DB>, id: string): Promise<CaseRecord | undefined> {
  const row = await db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .leftJoin('org_units as f', 'f.id', 'c.first_unit_id')
    .leftJoin('org_units as rb', 'rb.id', 'c.returned_by_unit_id')
    .leftJoin('org_units as ar', 'ar.id', 'c.area_unit_id')
    .selectAll('c')
    .select((eb) => [
      'u.path as unit_path',
      'u.name as unit_name',
      'u.type as unit_type',
      'u.parent_id as unit_parent_id',
      'f.path as first_unit_path',
      'rb.path as returned_path',
      'ar.path as area_path',
      'ar.name as area_name',
      'k.code as category_code',
      'k.name_zh as category_name',
      eb
        .selectFrom('deadline_extensions as x')
        .select((x) => x.fn.countAll().as('n'))
        .where('x.record_type', '=', 'case')
        .whereRef('x.record_id', '=', 'c.id')
        .where('x.status', '=', 'pending')
        .as('pending'),
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { pending, ...rest } = row;
  return {
    ...rest,
    version: Number(rest.version),
    reopen_count: Number(rest.reopen_count),
    follower_count: Number(rest.follower_count),
    extension_pending: Number(pending) > 0,
  };
}

export const caseMachine: Machine<CaseRecord> = checkMachine({
  type: 'case',
  table: 'cases',
  states: CASE_STATES,
  initial: 'pending',
  finals: ['merged', 'rejected'],
  sla: CASE_POLICY,
  labels: { states: CASE_STATE_LABELS, actions: CASE_ACTION_LABELS },
  actions: withNews(ACTIONS),
  load: loadCase,
  async visible(_db, r, scope, user) {
    return caseVisible(r, scope, user);
  },
  label: caseLabel,
  async describe(db, ids) {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('cases')
        .select(['id', 'no', 'title'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, caseLabel(r));
    }
    return out;
  },
});

registerWorkflow(caseMachine, caseSlaHandler);
