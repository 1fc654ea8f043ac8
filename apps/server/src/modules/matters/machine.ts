import type { Kysely } from 'kysely';
import {
  MATTER_ACTIONS,
  MATTER_STATES,
  type MatterAction,
  type MatterState,
} from '../../../../../packages/contracts/src/index.ts';
import type { DB, MatterTable } from '../../db/schema.ts';
import type { Duration } from '../../platform/calendar/calendar.ts';
import { notify } from '../../platform/notify/service.ts';
import type { AuthUser, Scope } from '../../platform/rbac/types.ts';
import { checkMachine, type EffectArgs, type Machine } from '../../platform/workflow/machine.ts';
import { registerWorkflow } from '../../platform/workflow/registry.ts';
import { formatDue } from '../../platform/workflow/sla.ts';
import { matterSlaHandler, POLICY_13710 } from './sla.ts';
import './templates.ts';

/** A matter as the workflow sees it: the row plus the paths of the two units (for scope and relation). */
export interface MatterRecord extends MatterTable {
  assignee_path: string;
  assignee_name: string;
  assigner_path: string | null;
  assigner_name: string | null;
  /** An extension request waits for the office's decision. */
  extension_pending: boolean;
}

export { MATTER_ACTIONS, MATTER_STATES, type MatterAction, type MatterState };

const OPEN: MatterState[] = ['assigned', 'in_progress', 'resolved', 'returned'];

/** 13710: acknowledge in 1 working day, first feedback in 3, resolve in 7 (major: 1 month). */
export function matterDeadlines(level: string): { kind: string; duration: Duration }[] {
  return [
    { kind: 'acknowledge', duration: { workingDays: 1 } },
    { kind: 'feedback', duration: { workingDays: 3 } },
    { kind: 'resolve', duration: level === 'major' ? { months: 1 } : { workingDays: 7 } },
  ];
}

/** Rework after the office returns a resolution: 3 working days. */
const REWORK: Duration = { workingDays: 3 };

/** The caller works in the unit the matter is assigned to. */
const inAssigneeUnit = (user: AuthUser, m: MatterRecord) => user.unitId === m.assignee_unit_id;

const noPendingExtension = (m: MatterRecord) => (m.extension_pending ? 'EXTENSION_PENDING' : null);
const pendingExtension = (m: MatterRecord) => (m.extension_pending ? null : 'EXTENSION_NONE_PENDING');

/** The caller's data scope covers the unit that assigned the matter (the office side). */
function coversAssigner(user: AuthUser, m: MatterRecord): boolean {
  if (user.dataScope === 'all') return true;
  if (!m.assigner_unit_id || !m.assigner_path) return false;
  if (user.dataScope === 'subtree') return !!user.unitPath && m.assigner_path.startsWith(user.unitPath);
  return user.unitId === m.assigner_unit_id;
}

async function setColumns(a: EffectArgs<MatterRecord>, values: Partial<MatterTable>): Promise<void> {
  await a.tx.db.updateTable('matters').set(values).where('id', '=', a.record.id).execute();
}

/** The open resolution deadline's due instant (resolve or rework), for the list view. */
async function syncDue(a: EffectArgs<MatterRecord>): Promise<void> {
  const d = await a.tx.db
    .selectFrom('deadlines')
    .select('due_at')
    .where('record_type', '=', 'matter')
    .where('record_id', '=', a.record.id)
    .where('kind', 'in', ['resolve', 'rework'])
    .where('status', '=', 'open')
    .executeTakeFirst();
  await setColumns(a, { due_at: d?.due_at ?? null });
}

function label(m: Pick<MatterTable, 'no' | 'title'>): string {
  return `${m.no} ${m.title}`;
}

/** Tells the assignee unit's liaisons and heads. */
async function toUnit(
  a: EffectArgs<MatterRecord>,
  kind: string,
  params: Record<string, string> = {},
  unitId?: string,
) {
  await notify(a.tx, {
    units: { unitIds: [unitId ?? a.record.assignee_unit_id], roles: ['liaison', 'unit_head'] },
    kind,
    params: { label: label(a.record), actor: a.caller.user.displayName, note: a.input.note ?? '', ...params },
    record: { type: 'matter', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

/** Tells the assigning office (its admins and working-group members) and the creator. */
async function toOffice(a: EffectArgs<MatterRecord>, kind: string, params: Record<string, string> = {}) {
  await notify(a.tx, {
    userIds: a.record.created_by ? [a.record.created_by] : [],
    units: a.record.assigner_unit_id
      ? { unitIds: [a.record.assigner_unit_id], roles: ['office_admin', 'working_group'] }
      : undefined,
    kind,
    params: { label: label(a.record), actor: a.caller.user.displayName, note: a.input.note ?? '', ...params },
    record: { type: 'matter', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

export async function openMatterDeadlines(a: EffectArgs<MatterRecord>, unitId: string, level: string) {
  for (const d of matterDeadlines(level)) await a.deadlines.open(d.kind, d.duration, { unitId });
  await syncDue(a);
}

export const matterMachine: Machine<MatterRecord> = checkMachine({
  type: 'matter',
  table: 'matters',
  states: MATTER_STATES,
  initial: 'assigned',
  finals: ['closed', 'cancelled'],
  sla: POLICY_13710,
  labels: {
    states: {
      assigned: { 'zh-CN': '待签收', 'en-US': 'awaiting acknowledgement' },
      in_progress: { 'zh-CN': '办理中', 'en-US': 'in progress' },
      resolved: { 'zh-CN': '待验收', 'en-US': 'awaiting acceptance' },
      closed: { 'zh-CN': '已办结', 'en-US': 'closed' },
      returned: { 'zh-CN': '已退回', 'en-US': 'declined by the unit' },
      cancelled: { 'zh-CN': '已撤销', 'en-US': 'cancelled' },
    },
    actions: {
      acknowledge: { 'zh-CN': '签收', 'en-US': 'acknowledge' },
      decline: { 'zh-CN': '退回（非本单位职责）', 'en-US': 'decline (not our remit)' },
      feedback: { 'zh-CN': '反馈进展', 'en-US': 'report progress' },
      request_extension: { 'zh-CN': '申请延期', 'en-US': 'request an extension' },
      resolve: { 'zh-CN': '报请办结', 'en-US': 'report resolved' },
      reassign: { 'zh-CN': '改派', 'en-US': 'reassign' },
      approve_extension: { 'zh-CN': '批准延期', 'en-US': 'approve the extension' },
      reject_extension: { 'zh-CN': '驳回延期', 'en-US': 'reject the extension' },
      urge: { 'zh-CN': '催办', 'en-US': 'urge' },
      accept: { 'zh-CN': '验收办结', 'en-US': 'accept and close' },
      return: { 'zh-CN': '退回重办', 'en-US': 'return for rework' },
      cancel: { 'zh-CN': '撤销', 'en-US': 'cancel' },
    },
  },
  actions: {
    acknowledge: {
      from: ['assigned'],
      to: 'in_progress',
      permission: 'matter:handle',
      who: inAssigneeUnit,
      note: 'optional',
      effects: async (a) => {
        await a.deadlines.meet('acknowledge');
        await setColumns(a, { acknowledged_at: a.now.toISOString() });
      },
    },
    decline: {
      from: ['assigned'],
      to: 'returned',
      permission: 'matter:handle',
      who: inAssigneeUnit,
      note: 'required',
      effects: async (a) => {
        await a.deadlines.cancelAll();
        await syncDue(a);
        await toOffice(a, 'matter.declined');
      },
    },
    feedback: {
      from: ['in_progress'],
      to: null,
      permission: 'matter:handle',
      who: inAssigneeUnit,
      note: 'required',
      attachments: 'optional',
      effects: async (a) => {
        await a.deadlines.meet('feedback');
        if (!a.record.first_feedback_at) await setColumns(a, { first_feedback_at: a.now.toISOString() });
        await toOffice(a, 'matter.feedback');
      },
    },
    request_extension: {
      from: ['in_progress'],
      to: null,
      permission: 'matter:handle',
      who: inAssigneeUnit,
      note: 'required',
      guard: noPendingExtension,
      effects: async (a) => {
        const dueAt = new Date(String(a.input.payload?.dueAt));
        const open = await a.tx.db
          .selectFrom('deadlines')
          .select('kind')
          .where('record_type', '=', 'matter')
          .where('record_id', '=', a.record.id)
          .where('kind', 'in', ['resolve', 'rework'])
          .where('status', '=', 'open')
          .executeTakeFirst();
        await a.deadlines.requestExtension(open?.kind ?? 'resolve', dueAt, a.input.note ?? '');
        await toOffice(a, 'matter.extension_requested', { due: formatDue(dueAt.toISOString()) });
      },
    },
    resolve: {
      from: ['in_progress'],
      to: 'resolved',
      permission: 'matter:handle',
      who: inAssigneeUnit,
      note: 'required',
      attachments: 'required',
      effects: async (a) => {
        await a.deadlines.meet('feedback', 'resolve', 'rework');
        const values: Partial<MatterTable> = { resolved_at: a.now.toISOString() };
        if (!a.record.first_feedback_at) values.first_feedback_at = a.now.toISOString();
        await setColumns(a, values);
        await toOffice(a, 'matter.resolved');
      },
    },
    reassign: {
      from: ['returned'],
      to: 'assigned',
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'optional',
      effects: async (a) => {
        const unitId = String(a.input.payload?.unitId);
        await setColumns(a, { assignee_unit_id: unitId, acknowledged_at: null, first_feedback_at: null });
        await openMatterDeadlines(a, unitId, a.record.level);
        await toUnit(a, 'matter.assigned', {}, unitId);
      },
    },
    approve_extension: {
      from: ['in_progress'],
      to: null,
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'optional',
      guard: pendingExtension,
      effects: async (a) => {
        const moved = await a.deadlines.decideExtension(true, a.input.note ?? null);
        await syncDue(a);
        await toUnit(a, 'matter.extension_approved', { due: moved ? formatDue(moved.dueAt) : '' });
        return { payload: moved ? { deadline: moved.kind, dueAt: moved.dueAt } : {} };
      },
    },
    reject_extension: {
      from: ['in_progress'],
      to: null,
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'required',
      guard: pendingExtension,
      effects: async (a) => {
        await a.deadlines.decideExtension(false, a.input.note ?? null);
        await toUnit(a, 'matter.extension_rejected');
      },
    },
    urge: {
      from: ['assigned', 'in_progress'],
      to: null,
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'required',
      effects: (a) => toUnit(a, 'matter.urged'),
    },
    accept: {
      from: ['resolved'],
      to: 'closed',
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'optional',
      effects: async (a) => {
        await a.deadlines.cancelAll();
        await setColumns(a, { closed_at: a.now.toISOString(), due_at: null });
        await toUnit(a, 'matter.closed');
      },
    },
    return: {
      from: ['resolved'],
      to: 'in_progress',
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'required',
      effects: async (a) => {
        await a.deadlines.open('rework', REWORK, { unitId: a.record.assignee_unit_id });
        await setColumns(a, { resolved_at: null });
        await syncDue(a);
        await toUnit(a, 'matter.returned');
      },
    },
    cancel: {
      from: OPEN,
      to: 'cancelled',
      permission: 'matter:assign',
      who: coversAssigner,
      note: 'required',
      effects: async (a) => {
        await a.deadlines.cancelAll();
        await setColumns(a, { closed_at: a.now.toISOString(), due_at: null });
        await toUnit(a, 'matter.cancelled');
      },
    },
  },

  async load(db: Kysely<DB>, id: string) {
    const row = await db
      .selectFrom('matters as m')
      .innerJoin('org_units as a', 'a.id', 'm.assignee_unit_id')
      .leftJoin('org_units as o', 'o.id', 'm.assigner_unit_id')
      .selectAll('m')
      .select((eb) => [
        'a.path as assignee_path',
        'a.name as assignee_name',
        'o.path as assigner_path',
        'o.name as assigner_name',
        eb
          .selectFrom('deadline_extensions as x')
          .select((x) => x.fn.countAll().as('n'))
          .where('x.record_type', '=', 'matter')
          .whereRef('x.record_id', '=', 'm.id')
          .where('x.status', '=', 'pending')
          .as('pending'),
      ])
      .where('m.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const { pending, ...rest } = row;
    return { ...rest, extension_pending: Number(pending) > 0 };
  },

  async visible(_db, m, scope: Scope) {
    switch (scope.kind) {
      case 'all':
        return true;
      case 'subtree':
        return m.assignee_path.startsWith(scope.path) || !!m.assigner_path?.startsWith(scope.path);
      case 'own':
        return m.assignee_unit_id === scope.unitId || m.assigner_unit_id === scope.unitId;
      case 'none':
        return false;
    }
  },

  label,

  async describe(db, ids) {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('matters')
        .select(['id', 'no', 'title'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, label(r));
    }
    return out;
  },
});

registerWorkflow(matterMachine, matterSlaHandler);
