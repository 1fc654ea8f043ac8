/**
 * The progress report's workflow (type 'ledger_report'): draft → submitted → (unit head approval when the
 * campaign requires it) → office review: accepted, or returned with a reason → edited and resubmitted.
 * Every transition that changes what an instance counts (submit, approve, returns, accept) recolours the
 * instances the report is linked to, in the same transaction.
 */
import type { Kysely } from 'kysely';
import { REPORT_STATES } from '../../../../../../packages/contracts/src/index.ts';
import { bool } from '../../../db/normalize.ts';
import type { DB, LedgerReportTable } from '../../../db/schema.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { MessageCode } from '../../../platform/http/messages.ts';
import type { AuthUser, Scope } from '../../../platform/rbac/types.ts';
import { checkMachine, type EffectArgs, type Machine } from '../../../platform/workflow/machine.ts';
import { registerWorkflow } from '../../../platform/workflow/registry.ts';
import { recolorInstances } from '../colors/recolor.ts';
import {
  checkItemsInTx,
  instanceIdsOf,
  knownReport,
  notifyAuthor,
  notifyOfficeReviewers,
  notifyUnitHeads,
} from './effects.ts';
import { takeSimilar, writeFlags } from './similar.ts';
import './templates.ts';

/** A report as the workflow sees it: the row, its unit's path and name, and its campaign's state. */
export interface ReportRecord extends LedgerReportTable {
  unit_path: string;
  unit_name: string;
  campaign_name: string;
  campaign_status: string;
  requires_unit_approval: boolean;
}

export type ReportAction = 'submit' | 'approve' | 'unit_return' | 'accept' | 'return';
export const REPORT_ACTIONS: readonly ReportAction[] = [
  'submit',
  'approve',
  'unit_return',
  'accept',
  'return',
];

/** The caller works in the report's unit (liaison, unit head). */
export const inReportUnit = (user: AuthUser, r: Pick<ReportRecord, 'unit_id'>) => user.unitId === r.unit_id;

/** The caller's data scope covers the report's unit (the office side). */
export function coversUnit(user: AuthUser, r: Pick<ReportRecord, 'unit_id' | 'unit_path'>): boolean {
  if (user.dataScope === 'all') return true;
  if (user.dataScope === 'subtree') return !!user.unitPath && r.unit_path.startsWith(user.unitPath);
  return user.unitId === r.unit_id;
}

/** A unit head (approver) submitting a report of their own unit in a campaign with unit approval. */
const headsOwnUnit = (user: AuthUser, r: ReportRecord): boolean =>
  r.requires_unit_approval && user.permissions.has('ledger:approve') && inReportUnit(user, r);

/** Nothing moves in a draft or closed campaign. */
const campaignActive = (r: ReportRecord): MessageCode | null =>
  r.campaign_status === 'active' ? null : 'CAMPAIGN_CLOSED';
const needsUnitApproval = (r: ReportRecord): MessageCode | null =>
  campaignActive(r) ?? (r.requires_unit_approval ? null : 'LEDGER_NO_UNIT_APPROVAL');
/** With unit approval, the office reviews only what the unit head approved. */
const reviewable = (r: ReportRecord): MessageCode | null =>
  campaignActive(r) ??
  (r.requires_unit_approval && r.state === 'submitted' ? 'LEDGER_AWAITING_UNIT_APPROVAL' : null);

async function setColumns(a: EffectArgs<ReportRecord>, values: Partial<LedgerReportTable>): Promise<void> {
  await a.tx.db.updateTable('ledger_reports').set(values).where('id', '=', a.record.id).execute();
}

/**
 * Recolours the report's instances (read unless given). A report created in this transaction adds one
 * pending report to each and changes nothing else: neither its instances (read by its check) nor their
 * other reports are read again. The calendar is warm: the transition loaded it before its transaction.
 */
async function recolor(a: EffectArgs<ReportRecord>, instanceIds?: string[]): Promise<void> {
  const cal = await getCalendar(a.ctx);
  const ids = instanceIds ?? (await instanceIdsOf(a.tx, a.record));
  const known = knownReport(a.record);
  const scope = known
    ? { instanceIds: ids, newPending: true as const, rows: known.instances }
    : { instanceIds: ids };
  await recolorInstances(a.tx, cal, scope, 'review');
}

export function reportLabel(r: Pick<LedgerReportTable, 'summary'> & { unit_name: string }): string {
  const text = r.summary.replace(/\s+/g, ' ').trim();
  return `${r.unit_name}：${text.length > 30 ? `${text.slice(0, 30)}…` : text}`;
}

export const reportMachine: Machine<ReportRecord> = checkMachine({
  type: 'ledger_report',
  table: 'ledger_reports',
  states: REPORT_STATES,
  initial: 'draft',
  finals: ['accepted'],
  labels: {
    states: {
      draft: { 'zh-CN': '草稿', 'en-US': 'draft' },
      submitted: { 'zh-CN': '已提交', 'en-US': 'submitted' },
      unit_approved: { 'zh-CN': '单位已审核', 'en-US': 'approved by the unit' },
      accepted: { 'zh-CN': '已通过', 'en-US': 'accepted' },
      returned: { 'zh-CN': '已退回', 'en-US': 'returned' },
    },
    actions: {
      submit: { 'zh-CN': '提交', 'en-US': 'submit' },
      approve: { 'zh-CN': '单位审核通过', 'en-US': 'approve for the unit' },
      unit_return: { 'zh-CN': '单位退回', 'en-US': 'return (unit head)' },
      accept: { 'zh-CN': '审核通过', 'en-US': 'accept' },
      return: { 'zh-CN': '退回', 'en-US': 'return' },
    },
  },
  actions: {
    submit: {
      from: ['draft', 'returned'],
      // A unit head's own submission is the unit's approval: nobody approves their own report.
      to: (r, _input, caller) => (headsOwnUnit(caller.user, r) ? 'unit_approved' : 'submitted'),
      toStates: ['submitted', 'unit_approved'],
      permission: 'ledger:report',
      who: inReportUnit,
      note: 'optional',
      guard: campaignActive,
      effects: async (a) => {
        const items = await checkItemsInTx(a.tx, a.record);
        // A report created in this transaction was inserted with these values (createReport).
        if (!knownReport(a.record))
          await setColumns(a, {
            submitted_at: a.now.toISOString(),
            approved_by: a.to === 'unit_approved' ? a.caller.user.id : null,
            reviewed_by: null,
            reviewed_at: null,
          });
        const flags = await writeFlags(a.tx, a.record, takeSimilar(a.caller));
        await recolor(a, [...new Set(items.map((i) => i.instanceId))]);
        if (a.to === 'submitted' && a.record.requires_unit_approval) await notifyUnitHeads(a);
        else await notifyOfficeReviewers(a);
        return { payload: { similarFlags: flags } };
      },
    },
    approve: {
      from: ['submitted'],
      to: 'unit_approved',
      permission: 'ledger:approve',
      // not the report's author (four eyes)
      who: (u, r) => inReportUnit(u, r) && u.id !== r.author_id,
      note: 'optional',
      guard: needsUnitApproval,
      effects: async (a) => {
        await setColumns(a, { approved_by: a.caller.user.id });
        await recolor(a);
        await notifyOfficeReviewers(a);
      },
    },
    unit_return: {
      from: ['submitted'],
      to: 'returned',
      permission: 'ledger:approve',
      who: inReportUnit,
      note: 'required',
      guard: needsUnitApproval,
      effects: async (a) => {
        await setColumns(a, {
          reviewed_by: a.caller.user.id,
          reviewed_at: a.now.toISOString(),
          return_reason: a.input.note ?? null,
        });
        await recolor(a);
        await notifyAuthor(a, 'ledger.returned');
      },
    },
    accept: {
      from: ['submitted', 'unit_approved'],
      to: 'accepted',
      permission: 'ledger:review',
      who: coversUnit,
      note: 'optional',
      guard: reviewable,
      effects: async (a) => {
        await setColumns(a, {
          reviewed_by: a.caller.user.id,
          reviewed_at: a.now.toISOString(),
          return_reason: null,
        });
        await recolor(a);
        await notifyAuthor(a, 'ledger.accepted');
      },
    },
    return: {
      from: ['submitted', 'unit_approved'],
      to: 'returned',
      permission: 'ledger:review',
      who: coversUnit,
      note: 'required',
      guard: reviewable,
      effects: async (a) => {
        await setColumns(a, {
          reviewed_by: a.caller.user.id,
          reviewed_at: a.now.toISOString(),
          return_reason: a.input.note ?? null,
        });
        await recolor(a);
        await notifyAuthor(a, 'ledger.returned');
      },
    },
  },

  async load(db: Kysely<DB>, id: string) {
    const row = await db
      .selectFrom('ledger_reports as r')
      .innerJoin('org_units as o', 'o.id', 'r.unit_id')
      .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
      .selectAll('r')
      .select([
        'o.path as unit_path',
        'o.name as unit_name',
        'c.name as campaign_name',
        'c.status as campaign_status',
        'c.requires_unit_approval',
      ])
      .where('r.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return { ...row, requires_unit_approval: bool(row.requires_unit_approval) };
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

  label: reportLabel,

  async describe(db, ids) {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('ledger_reports as r')
        .innerJoin('org_units as o', 'o.id', 'r.unit_id')
        .select(['r.id', 'r.summary', 'o.name as unit_name'])
        .where('r.id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, reportLabel(r));
    }
    return out;
  },
});

registerWorkflow(reportMachine);
