import type { Kysely } from 'kysely';
import { HALF_YEAR_STATES } from '../../../../../../packages/contracts/src/index.ts';
import type { DB, HalfYearReportTable } from '../../../db/schema.ts';
import { notify } from '../../../platform/notify/service.ts';
import type { AuthUser, Scope } from '../../../platform/rbac/types.ts';
import { checkMachine, type EffectArgs, type Machine } from '../../../platform/workflow/machine.ts';
import { registerWorkflow } from '../../../platform/workflow/registry.ts';
import { reasonReader } from '../colors/reason.ts';
import { ledgerStats } from './stats.ts';
import './templates.ts';
import { formatLocal } from '../../../platform/calendar/calendar.ts';
import { periodRange } from './period.ts';

/** A half-year report as the workflow sees it: the row plus its unit and campaign. */
export interface HalfYearRecord extends HalfYearReportTable {
  unit_name: string;
  unit_path: string;
  campaign_name: string;
  campaign_status: string;
  /** Who created the campaign: told when a report is submitted. */
  campaign_owner: string | null;
}

export const HALF_YEAR_ACTIONS = ['submit', 'accept', 'return'] as const;

/** The caller's data scope covers the report's unit (a unit's own users, or the office). */
export function coversUnit(user: AuthUser, r: Pick<HalfYearRecord, 'unit_id' | 'unit_path'>): boolean {
  if (user.dataScope === 'all') return true;
  if (user.dataScope === 'subtree') return !!user.unitPath && r.unit_path.startsWith(user.unitPath);
  return user.unitId === r.unit_id;
}

const campaignActive = (r: HalfYearRecord) =>
  r.campaign_status === 'active' ? null : 'HALF_YEAR_CAMPAIGN_NOT_ACTIVE';

async function setColumns(
  a: EffectArgs<HalfYearRecord>,
  values: Partial<HalfYearReportTable>,
): Promise<void> {
  await a.tx.db.updateTable('half_year_reports').set(values).where('id', '=', a.record.id).execute();
}

function label(r: Pick<HalfYearRecord, 'period' | 'unit_name' | 'campaign_name'>): string {
  return `${r.campaign_name} ${r.period} ${r.unit_name}`;
}

async function toUnit(a: EffectArgs<HalfYearRecord>, kind: string) {
  await notify(a.tx, {
    units: { unitIds: [a.record.unit_id], roles: ['liaison', 'unit_head'] },
    kind,
    params: { label: label(a.record), actor: a.caller.user.displayName, note: a.input.note ?? '' },
    record: { type: 'half_year_report', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

export const halfYearMachine: Machine<HalfYearRecord> = checkMachine({
  type: 'half_year_report',
  table: 'half_year_reports',
  states: HALF_YEAR_STATES,
  initial: 'draft',
  finals: ['accepted'],
  labels: {
    states: {
      draft: { 'zh-CN': '草稿', 'en-US': 'draft' },
      submitted: { 'zh-CN': '待审核', 'en-US': 'submitted' },
      accepted: { 'zh-CN': '已通过', 'en-US': 'accepted' },
      returned: { 'zh-CN': '已退回', 'en-US': 'returned' },
    },
    actions: {
      submit: { 'zh-CN': '提交', 'en-US': 'submit' },
      accept: { 'zh-CN': '审核通过', 'en-US': 'accept' },
      return: { 'zh-CN': '退回修改', 'en-US': 'return for revision' },
    },
  },
  actions: {
    submit: {
      from: ['draft', 'returned'],
      to: 'submitted',
      permission: 'ledger:report',
      who: coversUnit,
      note: 'optional',
      guard: campaignActive,
      effects: async (a) => {
        // The office reviews the numbers as they stand at submission.
        const range = periodRange(a.record.period);
        const stats = range
          ? await ledgerStats(
              a.tx.db as Kysely<DB>,
              a.record.campaign_id,
              a.record.unit_id,
              range,
              formatLocal(a.now).slice(0, 10),
              await reasonReader(a.ctx),
            )
          : null;
        await setColumns(a, {
          submitted_at: a.now.toISOString(),
          author_id: a.caller.user.id,
          return_reason: null,
          ...(stats ? { stats: JSON.stringify(stats) } : {}),
        });
        await notify(a.tx, {
          userIds: a.record.campaign_owner ? [a.record.campaign_owner] : [],
          kind: 'halfYear.submitted',
          params: { label: label(a.record), actor: a.caller.user.displayName, note: a.input.note ?? '' },
          record: { type: 'half_year_report', id: a.record.id },
          excludeUserId: a.caller.user.id,
        });
      },
    },
    accept: {
      from: ['submitted'],
      to: 'accepted',
      permission: 'ledger:review',
      who: coversUnit,
      note: 'optional',
      effects: async (a) => {
        await setColumns(a, { reviewed_by: a.caller.user.id, reviewed_at: a.now.toISOString() });
        await toUnit(a, 'halfYear.accepted');
      },
    },
    return: {
      from: ['submitted'],
      to: 'returned',
      permission: 'ledger:review',
      who: coversUnit,
      note: 'required',
      effects: async (a) => {
        await setColumns(a, {
          reviewed_by: a.caller.user.id,
          reviewed_at: a.now.toISOString(),
          return_reason: a.input.note ?? null,
        });
        await toUnit(a, 'halfYear.returned');
      },
    },
  },

  async load(db: Kysely<DB>, id: string) {
    return db
      .selectFrom('half_year_reports as h')
      .innerJoin('org_units as o', 'o.id', 'h.unit_id')
      .innerJoin('campaigns as c', 'c.id', 'h.campaign_id')
      .selectAll('h')
      .select([
        'o.name as unit_name',
        'o.path as unit_path',
        'c.name as campaign_name',
        'c.status as campaign_status',
        'c.created_by as campaign_owner',
      ])
      .where('h.id', '=', id)
      .executeTakeFirst();
  },

  async visible(_db, r, scope: Scope) {
    switch (scope.kind) {
      case 'all':
        return true;
      case 'subtree':
        return r.unit_path.startsWith(scope.path);
      case 'own':
        return r.unit_id === scope.unitId;
      case 'none':
        return false;
    }
  },

  label,

  async describe(db, ids) {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('half_year_reports as h')
        .innerJoin('org_units as o', 'o.id', 'h.unit_id')
        .innerJoin('campaigns as c', 'c.id', 'h.campaign_id')
        .select(['h.id', 'h.period', 'o.name as unit_name', 'c.name as campaign_name'])
        .where('h.id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, label(r));
    }
    return out;
  },
});

registerWorkflow(halfYearMachine);
