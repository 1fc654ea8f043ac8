import type { Role } from '../../../../../packages/contracts/src/index.ts';
import { notify } from '../../platform/notify/service.ts';
import type { FiredStage, SlaHandler } from '../../platform/workflow/registry.ts';
import { formatDue, type SlaPolicy, type StageDef } from '../../platform/workflow/sla.ts';

/**
 * The 13710 rule (SPEC §2.3) as an SLA policy. Each deadline warns a working day ahead (yellow), turns
 * red and urges (催办) when due, escalates to the next level after one working day late, issues a
 * supervision notice (督办单) after two, and puts the unit on the circular list (通报) when more than
 * five working days late.
 */
const FULL_LADDER: readonly StageDef[] = [
  { kind: 'reminder', at: { before: { workingDays: 1 } } },
  { kind: 'overdue', at: 'due' },
  { kind: 'escalation', at: { workingDaysLate: 1 } },
  { kind: 'supervision', at: { workingDaysLate: 2 } },
  { kind: 'circular', at: { workingDaysLate: 5 } },
];
const SHORT_LADDER: readonly StageDef[] = FULL_LADDER.slice(0, 3);

export const POLICY_13710: SlaPolicy = {
  name: '13710',
  deadlines: {
    acknowledge: { label: { 'zh-CN': '签收', 'en-US': 'acknowledge' }, stages: SHORT_LADDER },
    feedback: { label: { 'zh-CN': '首次反馈', 'en-US': 'first feedback' }, stages: SHORT_LADDER },
    resolve: { label: { 'zh-CN': '办结', 'en-US': 'resolve' }, stages: FULL_LADDER },
    rework: { label: { 'zh-CN': '重办', 'en-US': 'rework' }, stages: FULL_LADDER },
  },
};

/** Matters looked up per query: a sweep batch (5,000) in one, within both engines' parameter limits. */
const LOOKUP_CHUNK = 5000;

interface Audience {
  key: string;
  unitIds: string[];
  roles: Role[];
  userIds: string[];
}

const UNIT_ROLES: Role[] = ['liaison', 'unit_head'];
const OFFICE_ROLES: Role[] = ['office_admin', 'working_group'];

const KIND: Record<FiredStage['kind'], string> = {
  reminder: 'deadline.reminder',
  overdue: 'deadline.overdue',
  escalation: 'deadline.escalated',
  supervision: 'deadline.supervision',
  circular: 'deadline.circular',
};

/**
 * Turns fired stages into notifications: the unit hears about every stage; escalations and circulars
 * also go to the next level (the head of the unit above) and to the office that assigned the matter.
 * Notifications are grouped per audience and stage, so a sweep costs a bounded number of calls. Matters are
 * looked up in bulk; one notification per matter and stage.
 */
export const matterSlaHandler: SlaHandler = {
  async onStages(_ctx, tx, fired) {
    const ids = [...new Set(fired.map((f) => f.recordId))];
    type Info = {
      no: string;
      title: string;
      assigner: string | null;
      creator: string | null;
      parent: string | null;
      unit: string;
    };
    const matters = new Map<string, Info>();
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const rows = await tx.db
        .selectFrom('matters as m')
        .innerJoin('org_units as u', 'u.id', 'm.assignee_unit_id')
        .select([
          'm.id',
          'm.no',
          'm.title',
          'm.assigner_unit_id',
          'm.created_by',
          'u.parent_id',
          'u.name as unit',
        ])
        .where('m.id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const r of rows) {
        matters.set(r.id, {
          no: r.no,
          title: r.title,
          assigner: r.assigner_unit_id,
          creator: r.created_by,
          parent: r.parent_id,
          unit: r.unit,
        });
      }
    }
    // One notification per audience, stage kind and deadline when a single matter is concerned; a
    // summary ("JB-2026-0012 等 37 件") when a sweep fires the same stage for many of one audience's matters.
    const groups = new Map<string, Audience & { kind: string; events: FiredStage[] }>();
    const add = (audience: Audience, f: FiredStage) => {
      const key = `${f.kind}|${audience.key}`;
      const g = groups.get(key) ?? { ...audience, kind: KIND[f.kind], events: [] };
      g.events.push(f);
      for (const u of audience.userIds) if (!g.userIds.includes(u)) g.userIds.push(u);
      groups.set(key, g);
    };
    for (const f of fired) {
      const m = matters.get(f.recordId);
      if (!m) continue;
      if (f.unitId) add({ key: `unit:${f.unitId}`, unitIds: [f.unitId], roles: UNIT_ROLES, userIds: [] }, f);
      if (f.kind === 'escalation' || f.kind === 'circular') {
        // The next level: the head of the unit above the assignee, and the office that assigned it.
        if (m.parent)
          add({ key: `parent:${m.parent}`, unitIds: [m.parent], roles: ['unit_head'], userIds: [] }, f);
        add(
          {
            key: `office:${m.assigner ?? '-'}`,
            unitIds: m.assigner ? [m.assigner] : [],
            roles: OFFICE_ROLES,
            userIds: m.creator ? [m.creator] : [],
          },
          f,
        );
      }
    }
    for (const g of groups.values()) {
      const one = g.events.length === 1 ? g.events[0] : null;
      const first = g.events[0];
      const m = matters.get(first.recordId);
      if (!m) continue;
      const deadline = POLICY_13710.deadlines[first.deadlineKind]?.label ?? {
        'zh-CN': first.deadlineKind,
        'en-US': first.deadlineKind,
      };
      const more = g.events.length;
      const units = new Set(g.events.map((e) => matters.get(e.recordId)?.unit));
      await notify(tx, {
        userIds: g.userIds,
        units: g.unitIds.length ? { unitIds: g.unitIds, roles: g.roles } : undefined,
        kind: g.kind,
        params: {
          label: one
            ? {
                'zh-CN': `${m.no} ${m.title}（${deadline['zh-CN']}）`,
                'en-US': `${m.no} ${m.title} (${deadline['en-US']})`,
              }
            : {
                'zh-CN': `${m.no} 等 ${more} 件交办事项`,
                'en-US': `${m.no} and ${more - 1} more assigned matters`,
              },
          due: formatDue(g.events.reduce((a, e) => (e.dueAt < a ? e.dueAt : a), first.dueAt)),
          daysLate: Math.max(...g.events.map((e) => e.workingDaysLate)),
          unit: units.size === 1 ? m.unit : { 'zh-CN': `${m.unit}等`, 'en-US': `${m.unit} and others` },
          no: one?.noticeNo ?? '',
        },
        record: one ? { type: 'matter', id: one.recordId } : undefined,
      });
    }
  },
};
