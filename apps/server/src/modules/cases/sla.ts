import type { Role } from '../../../../../packages/contracts/src/index.ts';
import { CASE_SLA_DURATIONS, type CaseSlaClass } from '../../../../../packages/contracts/src/index.ts';
import type { Duration } from '../../platform/calendar/calendar.ts';
import { notify } from '../../platform/notify/service.ts';
import type { FiredStage, SlaHandler } from '../../platform/workflow/registry.ts';
import { formatDue, type SlaPolicy, type StageDef } from '../../platform/workflow/sla.ts';

/**
 * The case SLA (SPEC §2.6): the office dispatches within a working day, the unit signs within a working
 * day of dispatch and answers within its class's time (emergency 2 hours on the clock, ordinary 7 and
 * complex 15 working days); a redo gets the class's time again. Each deadline warns ahead (emergency:
 * 30 minutes; others one working day), urges (催办) when due, and the answer and redo deadlines put the
 * unit on the circular list (通报) five working days late. Emergency deadlines are kinds of their own
 * ('answer_urgent'…) because their reminder comes 30 minutes ahead, not a working day.
 */
export type CaseDeadlineBase = 'dispatch' | 'sign' | 'answer' | 'redo';

const REMIND_DAY: StageDef = { kind: 'reminder', at: { before: { workingDays: 1 } } };
const REMIND_HALF_HOUR: StageDef = { kind: 'reminder', at: { before: { hours: 0.5 } } };
const OVERDUE: StageDef = { kind: 'overdue', at: 'due' };
const CIRCULAR: StageDef = { kind: 'circular', at: { workingDaysLate: 5 } };

const LABELS: Record<CaseDeadlineBase, { 'zh-CN': string; 'en-US': string }> = {
  dispatch: { 'zh-CN': '派单', 'en-US': 'dispatch' },
  sign: { 'zh-CN': '签收', 'en-US': 'sign for' },
  answer: { 'zh-CN': '答复', 'en-US': 'answer' },
  redo: { 'zh-CN': '重办', 'en-US': 'redo' },
};

function defs(base: CaseDeadlineBase) {
  const ladder = base === 'answer' || base === 'redo' ? [OVERDUE, CIRCULAR] : [OVERDUE];
  return {
    [base]: { label: LABELS[base], stages: [REMIND_DAY, ...ladder] },
    [`${base}_urgent`]: {
      label: { 'zh-CN': `${LABELS[base]['zh-CN']}（紧急）`, 'en-US': `${LABELS[base]['en-US']} (emergency)` },
      stages: [REMIND_HALF_HOUR, ...ladder],
    },
  };
}

export const CASE_POLICY: SlaPolicy = {
  name: 'case',
  deadlines: { ...defs('dispatch'), ...defs('sign'), ...defs('answer'), ...defs('redo') },
};

/** The deadline kind of a base for a class: emergency cases run the '_urgent' kinds. */
export function deadlineKind(base: CaseDeadlineBase, sla: string): string {
  return sla === 'emergency' ? `${base}_urgent` : base;
}

/** Both kinds of the bases (to meet a deadline whatever the class). */
export function kindsOf(...bases: CaseDeadlineBase[]): string[] {
  return bases.flatMap((b) => [b, `${b}_urgent`]);
}

/**
 * How long a deadline runs. Dispatch and sign: a working day; emergency one hour (the calendar counts
 * whole hours). Answer and redo: the class's duration.
 */
export function deadlineDuration(base: CaseDeadlineBase, sla: string): Duration {
  if (base === 'dispatch' || base === 'sign') return sla === 'emergency' ? { hours: 1 } : { workingDays: 1 };
  return CASE_SLA_DURATIONS[(sla in CASE_SLA_DURATIONS ? sla : 'ordinary') as CaseSlaClass];
}

const KIND: Partial<Record<FiredStage['kind'], string>> = {
  reminder: 'deadline.reminder',
  overdue: 'deadline.overdue',
  circular: 'deadline.circular',
};
const UNIT_ROLES: Role[] = ['liaison', 'unit_head'];
/** "The office": users holding the office administrator role (they dispatch and supervise). */
export const OFFICE_ROLES: Role[] = ['office_admin'];

/**
 * Fired stages → notifications: a unit's deadline goes to its liaisons and heads, the office's dispatch
 * deadline to the office; overdue and circular stages of a unit's deadline also go to the office. One
 * notification per case, audience and stage.
 */
export const caseSlaHandler: SlaHandler = {
  async onStages(_ctx, tx, fired) {
    const ids = [...new Set(fired.map((f) => f.recordId))];
    const info = new Map<string, { label: string; unit: string | null }>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await tx.db
        .selectFrom('cases as c')
        .leftJoin('org_units as u', 'u.id', 'c.unit_id')
        .select(['c.id', 'c.no', 'c.title', 'u.name as unit'])
        .where('c.id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) info.set(r.id, { label: `${r.no} ${r.title}`, unit: r.unit });
    }
    const office = await tx.db
      .selectFrom('user_roles')
      .select('user_id')
      .where('role', 'in', OFFICE_ROLES)
      .execute();
    const officeIds = [...new Set(office.map((r) => r.user_id))];
    for (const f of fired) {
      const kind = KIND[f.kind];
      const c = info.get(f.recordId);
      if (!kind || !c) continue;
      const deadline = CASE_POLICY.deadlines[f.deadlineKind]?.label ?? {
        'zh-CN': f.deadlineKind,
        'en-US': f.deadlineKind,
      };
      const toOffice = !f.unitId || f.kind !== 'reminder';
      await notify(tx, {
        userIds: toOffice ? officeIds : [],
        units: f.unitId ? { unitIds: [f.unitId], roles: UNIT_ROLES } : undefined,
        kind,
        params: {
          label: {
            'zh-CN': `${c.label}（${deadline['zh-CN']}）`,
            'en-US': `${c.label} (${deadline['en-US']})`,
          },
          due: formatDue(f.dueAt),
          daysLate: f.workingDaysLate,
          unit: f.unitId ? (c.unit ?? '') : { 'zh-CN': '文明办', 'en-US': 'the civilization office' },
          no: f.noticeNo ?? '',
        },
        record: { type: 'case', id: f.recordId },
      });
    }
  },
};
