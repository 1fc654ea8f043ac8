/** Roles of SPEC §1 and the permissions they carry. Shared by server (enforcement) and web (navigation). */

export const ROLES = [
  'system_admin',
  'office_admin',
  'leader',
  'working_group',
  'liaison',
  'unit_head',
  'inspector',
  'expert',
  'volunteer',
  'citizen',
  'merchant',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org:read',
  'org:write',
  'user:read',
  'user:write',
  'role:read',
  'audit:read',
  'pii:read',
  'calendar:write',
  'notice:send',
  'webhook:write',
  'scheduler:read',
  'deadline:read',
  'matter:read',
  'matter:assign',
  'matter:handle',
  'campaign:read',
  'campaign:write',
  'ledger:report',
  'ledger:approve',
  'ledger:review',
  // Citizen cases (issue #5).
  'case:report',
  'case:read',
  'case:dispatch',
  'case:handle',
  'case:moderate',
  'case:admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Staff roles sign in with username + password (and may use TOTP); the others use phone + code on the H5. */
export const STAFF_ROLES: readonly Role[] = [
  'system_admin',
  'office_admin',
  'leader',
  'working_group',
  'liaison',
  'unit_head',
  'inspector',
  'expert',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  system_admin: PERMISSIONS,
  office_admin: [
    'org:read',
    'org:write',
    'user:read',
    'user:write',
    'role:read',
    'audit:read',
    'calendar:write',
    'notice:send',
    'webhook:write',
    'scheduler:read',
    'deadline:read',
    'matter:read',
    'matter:assign',
    // Held so the office can grant the liaison and unit-head roles (nobody grants more than they hold),
    // and handle matters assigned to the office itself.
    'matter:handle',
    'campaign:read',
    'campaign:write',
    // Held so the office can grant the liaison and unit-head roles.
    'ledger:report',
    'ledger:approve',
    'ledger:review',
    'case:report',
    'case:read',
    'case:dispatch',
    // Held so the office can grant the liaison role, and answer cases the office holds itself.
    'case:handle',
    'case:moderate',
    'case:admin',
  ],
  leader: ['org:read', 'user:read', 'deadline:read', 'matter:read', 'campaign:read', 'case:read'],
  working_group: [
    'org:read',
    'user:read',
    'deadline:read',
    'matter:read',
    'matter:assign',
    'notice:send',
    'campaign:read',
    'ledger:review',
    'case:read',
    'case:dispatch',
  ],
  liaison: [
    'org:read',
    'matter:read',
    'matter:handle',
    'campaign:read',
    'ledger:report',
    'case:read',
    'case:handle',
  ],
  unit_head: [
    'org:read',
    'user:read',
    'matter:read',
    'matter:handle',
    'campaign:read',
    'ledger:report',
    'ledger:approve',
    'case:read',
    'case:handle',
  ],
  inspector: ['org:read'],
  expert: [],
  volunteer: ['case:report'],
  citizen: ['case:report'],
  merchant: ['case:report'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r] ?? []) out.add(p);
  return out;
}

export const DATA_SCOPES = ['own', 'subtree', 'all'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];
