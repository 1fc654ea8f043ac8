import { describe, expect, it } from 'vitest';
import { type DataScope, permissionsOf, type Role } from '../../../../../packages/contracts/src/index.ts';
import type { AuthUser } from '../../platform/rbac/types.ts';
import { allowedActions } from '../../platform/workflow/machine.ts';
import {
  CASE_ACTIONS,
  CASE_STATES,
  type CaseRecord,
  type CaseState,
  caseMachine,
  caseVisible,
} from './machine.ts';

const OFFICE = { id: 'office', path: '/region/office/' };
const HEALTH = { id: 'health', path: '/region/health/' };
const TOWN = { id: 'town', path: '/region/town/' };
const VILLAGE = { id: 'village', path: '/region/town/village/' };

function user(
  role: Role,
  unit: { id: string; path: string },
  dataScope: DataScope,
  id = `u-${role}`,
): AuthUser {
  return {
    id,
    username: role,
    displayName: role,
    kind: ['citizen', 'volunteer', 'merchant'].includes(role) ? 'citizen' : 'staff',
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

function record(state: CaseState, over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'c1',
    no: 'SP-2026-000001',
    kind: 'snapshot',
    channel: 'h5',
    level: 'village',
    category_id: 'cat',
    sla_class: 'ordinary',
    answer_review: false,
    title: 't',
    description: 'd',
    address: '',
    lat: null,
    lng: null,
    area_unit_id: VILLAGE.id,
    reporter_id: 'u-citizen',
    anonymous: false,
    contact_name: null,
    contact_phone_enc: null,
    contact_phone_hash: null,
    ip: null,
    first_unit_id: HEALTH.id,
    unit_id: HEALTH.id,
    returned_by_unit_id: null,
    state,
    version: 1,
    sla_color: 'green',
    due_at: null,
    answer: null,
    rating: null,
    rating_comment: null,
    reopen_count: 0,
    duplicate_of: null,
    public: true,
    hidden: false,
    hidden_reason: null,
    valid: null,
    follower_count: 0,
    external_source: null,
    external_no: null,
    external_hash: null,
    dispatched_at: null,
    signed_at: null,
    answered_at: null,
    rated_at: null,
    closed_at: null,
    created_at: '2026-03-02T02:00:00.000Z',
    updated_at: '2026-03-02T02:00:00.000Z',
    unit_path: HEALTH.path,
    unit_name: 'health',
    unit_type: 'member_unit',
    unit_parent_id: 'region',
    first_unit_path: HEALTH.path,
    returned_path: null,
    area_path: VILLAGE.path,
    area_name: 'village',
    category_code: 'order',
    category_name: '公共秩序',
    extension_pending: false,
    ...over,
  };
}

const office = user('office_admin', OFFICE, 'all');
const liaison = user('liaison', HEALTH, 'own');
const townLiaison = user('liaison', TOWN, 'subtree', 'u-town');
const citizen = user('citizen', VILLAGE, 'own');
const neighbour = user('citizen', VILLAGE, 'own', 'u-neighbour');

describe('the case machine', () => {
  it('declares every state and action of the contract, each with its labels', () => {
    expect([...caseMachine.states]).toEqual([...CASE_STATES]);
    expect(Object.keys(caseMachine.actions).sort()).toEqual([...CASE_ACTIONS].sort());
    for (const a of CASE_ACTIONS) expect(caseMachine.labels.actions[a]['zh-CN']).toBeTruthy();
  });

  it('gives each side its actions in each state', () => {
    expect(allowedActions(caseMachine, office, record('pending', { unit_id: null })).sort()).toEqual([
      'dispatch',
      'merge',
      'reassign',
      'reject',
    ]);
    expect(allowedActions(caseMachine, liaison, record('dispatched'))).toEqual([
      'sign',
      'return',
      'escalate',
    ]);
    expect(allowedActions(caseMachine, townLiaison, record('dispatched'))).toEqual([]);
    expect(allowedActions(caseMachine, liaison, record('signed')).sort()).toEqual([
      'answer',
      'escalate',
      'progress',
      'request_extension',
      'return',
      'start',
    ]);
    expect(
      allowedActions(caseMachine, office, record('processing', { extension_pending: true })).sort(),
    ).toEqual(['approve_extension', 'escalate', 'merge', 'reassign', 'reject_extension', 'urge']);
    expect(allowedActions(caseMachine, citizen, record('rating'))).toEqual(['rate']);
    expect(allowedActions(caseMachine, neighbour, record('rating'))).toEqual([]);
    // A hotline order has no reporter: the office records the callback rating.
    expect(allowedActions(caseMachine, office, record('rating', { reporter_id: null }))).toEqual(['rate']);
    expect(allowedActions(caseMachine, citizen, record('closed', { reopen_count: 3 }))).toEqual([]);
    expect(allowedActions(caseMachine, citizen, record('unsatisfied'))).toEqual(['reopen']);
    expect(allowedActions(caseMachine, office, record('merged'))).toEqual([]);
  });

  it('escalates a village unit’s case to its township, anyone else’s to the office queue', () => {
    const escalate = caseMachine.actions.escalate.to;
    if (typeof escalate !== 'function') throw new Error('escalate decides its state');
    const input = { action: 'escalate', version: 1 };
    const by = { user: office, scope: { kind: 'all' as const }, ip: null };
    expect(escalate(record('signed', { unit_type: 'village', unit_parent_id: TOWN.id }), input, by)).toBe(
      'dispatched',
    );
    expect(escalate(record('signed', { unit_type: 'township', unit_parent_id: 'region' }), input, by)).toBe(
      'pending',
    );
  });

  it('is visible to the scope of its unit, first unit, returning unit or area, and to its reporter', () => {
    const c = record('processing', { first_unit_id: TOWN.id, first_unit_path: TOWN.path });
    expect(caseVisible(c, { kind: 'all' })).toBe(true);
    expect(caseVisible(c, { kind: 'own', unitId: HEALTH.id })).toBe(true);
    expect(caseVisible(c, { kind: 'own', unitId: TOWN.id })).toBe(true);
    expect(caseVisible(c, { kind: 'subtree', path: TOWN.path })).toBe(true);
    expect(
      caseVisible(record('processing', { area_unit_id: null, area_path: null }), {
        kind: 'subtree',
        path: TOWN.path,
      }),
    ).toBe(false);
    expect(caseVisible(c, { kind: 'none' }, citizen)).toBe(true);
    expect(caseVisible(c, { kind: 'none' }, neighbour)).toBe(false);
  });
});
