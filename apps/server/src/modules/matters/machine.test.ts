import { describe, expect, it } from 'vitest';
import {
  type DataScope,
  permissionsOf,
  ROLES,
  type Role,
} from '../../../../../packages/contracts/src/index.ts';
import type { AuthUser } from '../../platform/rbac/types.ts';
import { allowedActions } from '../../platform/workflow/machine.ts';
import {
  MATTER_ACTIONS,
  MATTER_STATES,
  type MatterRecord,
  type MatterState,
  matterMachine,
} from './machine.ts';

const OFFICE = { id: 'office', path: '/region/office/' };
const ASSIGNEE = { id: 'health', path: '/region/health/' };
const ELSEWHERE = { id: 'town', path: '/region/town/' };

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

function matter(state: MatterState, extensionPending = false): MatterRecord {
  return {
    id: 'm1',
    no: 'JB-2026-0001',
    title: 't',
    content: 'c',
    level: 'ordinary',
    source: null,
    assignee_unit_id: ASSIGNEE.id,
    assignee_path: ASSIGNEE.path,
    assignee_name: 'health',
    assigner_unit_id: OFFICE.id,
    assigner_path: OFFICE.path,
    assigner_name: 'office',
    created_by: 'u-office_admin',
    state,
    version: 1,
    sla_color: 'green',
    due_at: null,
    acknowledged_at: null,
    first_feedback_at: null,
    resolved_at: null,
    closed_at: null,
    created_at: '',
    updated_at: '',
    extension_pending: extensionPending,
  };
}

/** What the office (any role holding matter:assign over the assigning unit) may do, per state. */
const OFFICE_ACTIONS: Record<MatterState, string[]> = {
  assigned: ['cancel', 'urge'],
  in_progress: ['cancel', 'urge'],
  resolved: ['accept', 'cancel', 'return'],
  returned: ['cancel', 'reassign'],
  closed: [],
  cancelled: [],
};
/** What the assignee unit's liaison or head may do, per state. */
const UNIT_ACTIONS: Record<MatterState, string[]> = {
  assigned: ['acknowledge', 'decline'],
  in_progress: ['feedback', 'request_extension', 'resolve'],
  resolved: [],
  returned: [],
  closed: [],
  cancelled: [],
};

/** Where each demo role sits, and with which scope, for the table below. */
const PLACEMENT: Record<Role, [{ id: string; path: string }, DataScope]> = {
  system_admin: [OFFICE, 'all'],
  office_admin: [OFFICE, 'all'],
  leader: [OFFICE, 'all'],
  working_group: [OFFICE, 'all'],
  liaison: [ASSIGNEE, 'own'],
  unit_head: [ASSIGNEE, 'own'],
  inspector: [OFFICE, 'all'],
  expert: [OFFICE, 'own'],
  volunteer: [ELSEWHERE, 'own'],
  citizen: [ELSEWHERE, 'own'],
  merchant: [ELSEWHERE, 'own'],
};

function expected(role: Role, state: MatterState): string[] {
  if (['system_admin', 'office_admin', 'working_group'].includes(role)) return OFFICE_ACTIONS[state];
  if (role === 'liaison' || role === 'unit_head') return UNIT_ACTIONS[state];
  return [];
}

describe('the assigned-matter machine: every state × action × role', () => {
  for (const state of MATTER_STATES) {
    for (const role of ROLES) {
      it(`${role} in ${state}`, () => {
        const [unit, scope] = PLACEMENT[role];
        const got = allowedActions(matterMachine, user(role, unit, scope), matter(state)).sort();
        expect(got).toEqual([...expected(role, state)].sort());
        // Every action not allowed is refused for this role in this state (the table is total).
        for (const a of MATTER_ACTIONS) expect(got.includes(a)).toBe(expected(role, state).includes(a));
      });
    }
  }

  it('offers the extension decision only while a request is pending, and no second request', () => {
    const office = user('office_admin', OFFICE, 'all');
    const liaison = user('liaison', ASSIGNEE, 'own');
    const pending = matter('in_progress', true);
    expect(allowedActions(matterMachine, office, pending).sort()).toEqual([
      'approve_extension',
      'cancel',
      'reject_extension',
      'urge',
    ]);
    expect(allowedActions(matterMachine, liaison, pending).sort()).toEqual(['feedback', 'resolve']);
  });

  it('gives nothing to a liaison of another unit or an office admin whose scope misses the assigner', () => {
    for (const state of MATTER_STATES) {
      expect(allowedActions(matterMachine, user('liaison', ELSEWHERE, 'own'), matter(state))).toEqual([]);
      expect(
        allowedActions(matterMachine, user('office_admin', ELSEWHERE, 'subtree'), matter(state)),
      ).toEqual([]);
    }
  });

  it('lets a subtree-scoped office act on matters its own unit assigned', () => {
    const admin = user('office_admin', { id: 'region', path: '/region/' }, 'subtree');
    expect(allowedActions(matterMachine, admin, matter('resolved')).sort()).toEqual([
      'accept',
      'cancel',
      'return',
    ]);
  });
});
