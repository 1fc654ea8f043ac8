import { describe, expect, it } from 'vitest';
import {
  type DataScope,
  permissionsOf,
  REPORT_STATES,
  type ReportState,
  ROLES,
  type Role,
} from '../../../../../../packages/contracts/src/index.ts';
import type { AuthUser } from '../../../platform/rbac/types.ts';
import { allowedActions } from '../../../platform/workflow/machine.ts';
import { type ReportRecord, reportMachine } from './machine.ts';

const UNIT = { id: 'health', path: '/region/health/' };
const OFFICE = { id: 'office', path: '/region/office/' };
const TOWN = { id: 'town', path: '/region/town/' };

function user(role: Role, unit: { id: string; path: string }, dataScope: DataScope): AuthUser {
  return {
    id: `u-${role}`,
    username: role,
    displayName: role,
    kind: 'staff',
    unitId: unit.id,
    unitName: unit.id,
    unitPath: unit.path,
    roles: [role],
    permissions: permissionsOf([role]),
    dataScope,
    mustChangePassword: false,
    totpEnabled: false,
    phoneEnc: null,
  };
}

function report(state: ReportState, requiresUnitApproval: boolean, campaignStatus = 'active'): ReportRecord {
  return {
    id: 'r1',
    campaign_id: 'c1',
    unit_id: UNIT.id,
    author_id: 'u-liaison',
    state,
    sla_color: 'green',
    summary: 's',
    similar_flags: 0,
    submitted_at: null,
    approved_by: null,
    reviewed_by: null,
    reviewed_at: null,
    return_reason: null,
    version: 1,
    created_at: '',
    updated_at: '',
    unit_path: UNIT.path,
    unit_name: 'health',
    campaign_name: 'c',
    campaign_status: campaignStatus,
    requires_unit_approval: requiresUnitApproval,
  };
}

/** The unit's reporters (liaison, unit head) per state; heads also approve when the campaign asks. */
const REPORTER: Record<ReportState, string[]> = {
  draft: ['submit'],
  submitted: [],
  unit_approved: [],
  accepted: [],
  returned: ['submit'],
};
/** The office's reviewers per state, without and with the unit-approval step. */
const REVIEWER: Record<'direct' | 'approval', Record<ReportState, string[]>> = {
  direct: {
    draft: [],
    submitted: ['accept', 'return'],
    unit_approved: ['accept', 'return'],
    accepted: [],
    returned: [],
  },
  approval: { draft: [], submitted: [], unit_approved: ['accept', 'return'], accepted: [], returned: [] },
};

describe('ledger report machine: every state × role', () => {
  for (const approval of [false, true]) {
    for (const state of REPORT_STATES) {
      it(`${approval ? 'with' : 'without'} unit approval, ${state}`, () => {
        const r = report(state, approval);
        const sorted = (u: AuthUser) => allowedActions(reportMachine, u, r).sort();
        expect(sorted(user('liaison', UNIT, 'own'))).toEqual(REPORTER[state]);
        const head = [
          ...REPORTER[state],
          ...(approval && state === 'submitted' ? ['approve', 'unit_return'] : []),
        ];
        expect(sorted(user('unit_head', UNIT, 'own'))).toEqual(head.sort());
        const review = REVIEWER[approval ? 'approval' : 'direct'][state];
        expect(sorted(user('office_admin', OFFICE, 'all'))).toEqual(review);
        expect(sorted(user('working_group', OFFICE, 'all'))).toEqual(review);
        // Another unit's people, leaders and the office with a scope that misses the unit: nothing.
        expect(sorted(user('liaison', TOWN, 'subtree'))).toEqual([]);
        expect(sorted(user('unit_head', TOWN, 'own'))).toEqual([]);
        expect(sorted(user('working_group', OFFICE, 'own'))).toEqual([]);
        for (const role of ROLES.filter(
          (x) => !['liaison', 'unit_head', 'office_admin', 'working_group', 'system_admin'].includes(x),
        ))
          expect(sorted(user(role, UNIT, 'own'))).toEqual([]);
      });
    }
  }

  it('allows nothing in a draft or closed campaign', () => {
    for (const status of ['draft', 'closed'])
      for (const state of REPORT_STATES)
        for (const u of [
          user('liaison', UNIT, 'own'),
          user('unit_head', UNIT, 'own'),
          user('office_admin', OFFICE, 'all'),
        ])
          expect(allowedActions(reportMachine, u, report(state, true, status))).toEqual([]);
  });

  it('has a single final state and labels every state and action in both languages', () => {
    expect(reportMachine.finals).toEqual(['accepted']);
    for (const s of REPORT_STATES)
      expect(Object.keys(reportMachine.labels.states[s] ?? {})).toEqual(['zh-CN', 'en-US']);
    for (const a of Object.keys(reportMachine.actions))
      expect(Object.keys(reportMachine.labels.actions[a] ?? {})).toEqual(['zh-CN', 'en-US']);
  });
});
