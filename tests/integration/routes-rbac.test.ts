import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../apps/server/src/seed/demo.ts';
import { ROLES, type Role } from '../../packages/contracts/src/index.ts';
import { Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * Every /api route and the permission it must declare. A new route that is not listed here, or a
 * route whose declared permission differs, fails this suite: add it here on purpose.
 */
const EXPECTED: Record<string, string> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/roles': 'role:read',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'POST /api/auth/password': 'authenticated',
  'POST /api/auth/totp/setup': 'authenticated',
  'POST /api/auth/totp/enable': 'authenticated',
  'POST /api/auth/totp/disable': 'authenticated',
  'POST /api/auth/sms/send': 'public',
  'POST /api/auth/sms/login': 'public',
  'GET /api/org/units': 'org:read',
  'GET /api/org/units/:id': 'org:read',
  'POST /api/org/units': 'org:write',
  'PATCH /api/org/units/:id': 'org:write',
  'POST /api/org/units/:id/move': 'org:write',
  'DELETE /api/org/units/:id': 'org:write',
  'POST /api/org/units/:id/aliases': 'org:write',
  'DELETE /api/org/units/:id/aliases/:alias': 'org:write',
  'POST /api/org/units/import': 'org:write',
  'GET /api/org/groups': 'org:read',
  'POST /api/org/groups': 'org:write',
  'PUT /api/org/groups/:id': 'org:write',
  'DELETE /api/org/groups/:id': 'org:write',
  'GET /api/calendar/years': 'authenticated',
  'GET /api/calendar/years/:year': 'authenticated',
  'PUT /api/calendar/years/:year': 'calendar:write',
  'DELETE /api/calendar/years/:year': 'calendar:write',
  'POST /api/calendar/compute': 'authenticated',
  'GET /api/users': 'user:read',
  'GET /api/users/:id': 'user:read',
  'POST /api/users': 'user:write',
  'PATCH /api/users/:id': 'user:write',
  'POST /api/users/:id/reset-password': 'user:write',
  'POST /api/users/:id/unlock': 'user:write',
  'GET /api/users/:id/pii': 'pii:read',
  'GET /api/audit': 'audit:read',
  'GET /api/audit/verify': 'audit:read',
  'GET /api/notifications': 'authenticated',
  'GET /api/notifications/unread-count': 'authenticated',
  'POST /api/notifications/:id/read': 'authenticated',
  'POST /api/notifications/read-all': 'authenticated',
  'GET /api/notifications/prefs': 'authenticated',
  'PUT /api/notifications/prefs': 'authenticated',
  'GET /api/notify/webhooks': 'webhook:write',
  'POST /api/notify/webhooks': 'webhook:write',
  'PATCH /api/notify/webhooks/:id': 'webhook:write',
  'DELETE /api/notify/webhooks/:id': 'webhook:write',
  'POST /api/notify/webhooks/:id/test': 'webhook:write',
  'GET /api/notify/deliveries': 'scheduler:read',
  'POST /api/files': 'authenticated',
  'GET /api/files/mine': 'authenticated',
  'GET /api/files/:id': 'authenticated',
  'GET /api/files/:id/content': 'authenticated',
  'GET /api/files/:id/thumb': 'authenticated',
  'GET /api/public/files/:id': 'public',
  'POST /api/notices': 'notice:send',
  'GET /api/notices': 'authenticated',
  'GET /api/notices/overdue-acks': 'notice:send',
  'GET /api/notices/:id': 'authenticated',
  'POST /api/notices/:id/ack': 'authenticated',
  'GET /api/notices/:id/receipts': 'notice:send',
  'POST /api/notices/:id/remind': 'notice:send',
  'GET /api/matters': 'matter:read',
  'GET /api/matters/stats': 'matter:read',
  'POST /api/matters': 'matter:assign',
  'POST /api/campaigns/import/preview': 'campaign:write',
  'POST /api/campaigns/import/aliases': 'campaign:write',
  'POST /api/campaigns': 'campaign:write',
  'GET /api/campaigns': 'campaign:read',
  'GET /api/campaigns/:id': 'campaign:read',
  'DELETE /api/campaigns/:id': 'campaign:write',
  'GET /api/campaigns/:id/battlemap': 'campaign:read',
  'GET /api/campaigns/:id/rankings': 'campaign:read',
  'GET /api/campaigns/:id/cells': 'campaign:read',
  'GET /api/campaigns/:id/township-map': 'campaign:read',
  'GET /api/campaigns/:id/cockpit': 'campaign:read',
  'GET /api/campaigns/:id/instances': 'campaign:read',
  'PATCH /api/campaigns/:id': 'campaign:write',
  'POST /api/campaigns/:id/activate': 'campaign:write',
  'POST /api/campaigns/:id/close': 'campaign:write',
  'POST /api/campaigns/:id/copy': 'campaign:write',
  'GET /api/campaigns/:id/deployments': 'campaign:read',
  'POST /api/campaigns/:id/deployments': 'campaign:write',
  'GET /api/campaigns/:id/tasks': 'campaign:read',
  'POST /api/campaigns/:id/tasks': 'campaign:write',
  'PATCH /api/campaigns/:id/tasks/:taskId': 'campaign:write',
  'DELETE /api/campaigns/:id/tasks/:taskId': 'campaign:write',
  'PUT /api/campaigns/:id/activities/:activityId/units': 'campaign:write',
  'GET /api/ledger/my-tasks': 'ledger:report',
  'GET /api/ledger/reports': 'campaign:read',
  'POST /api/ledger/reports': 'ledger:report',
  'GET /api/ledger/reports/:id': 'campaign:read',
  'PATCH /api/ledger/reports/:id': 'ledger:report',
  'POST /api/ledger/reports/:id/transitions': 'campaign:read',
  'GET /api/campaigns/:id/half-year': 'campaign:read',
  'POST /api/campaigns/:id/half-year': 'ledger:report',
  'GET /api/campaigns/:id/half-year/:period/compilation.docx': 'campaign:write',
  'GET /api/half-year-reports/:id': 'campaign:read',
  'PUT /api/half-year-reports/:id': 'ledger:report',
  'GET /api/half-year-reports/:id/timeline': 'campaign:read',
  'POST /api/half-year-reports/:id/transitions': 'campaign:read',
  'GET /api/campaigns/:id/ledger.xlsx': 'campaign:read',
  'GET /api/campaigns/:id/units/:unitId/evidence.zip': 'campaign:read',
  'GET /api/campaigns/:id/supervision': 'campaign:read',
  'GET /api/campaigns/:id/supervision/:recordId': 'campaign:read',
  'POST /api/campaigns/:id/supervision/reminders': 'campaign:write',
  'POST /api/campaigns/:id/supervision/orders': 'campaign:write',
  'POST /api/campaigns/:id/supervision/interviews': 'campaign:write',
  'POST /api/campaigns/:id/circulars': 'campaign:write',
  'GET /api/campaigns/:id/circulars/:recordId/document': 'campaign:read',
  'GET /api/cases/stats/units': 'case:read',
  'GET /api/cases/stats/categories': 'case:read',
  'GET /api/cases/circulars': 'case:dispatch',
  'POST /api/cases/circulars': 'case:dispatch',
  'GET /api/cases/circulars/:id/document': 'case:dispatch',
  'GET /api/public/case-board': 'public',
  'GET /api/matters/:id': 'matter:read',
  'GET /api/matters/:id/timeline': 'matter:read',
  'POST /api/matters/:id/transitions': 'matter:read',
  'POST /api/cases/:id/hide': 'case:moderate',
  'POST /api/cases/:id/unhide': 'case:moderate',
  'POST /api/cases/:id/photos/:fileId/hide': 'case:moderate',
  'POST /api/cases/:id/photos/:fileId/unhide': 'case:moderate',
  'GET /api/case-bans': 'case:moderate',
  'POST /api/case-bans': 'case:moderate',
  'POST /api/case-bans/:id/lift': 'case:moderate',
  'GET /api/case-imports/mapping': 'case:dispatch',
  'PUT /api/case-imports/mapping': 'case:dispatch',
  'POST /api/case-imports': 'case:dispatch',
  'GET /api/case-imports': 'case:dispatch',
  'GET /api/case-imports/:id': 'case:dispatch',
  'GET /api/open311/v2/services.:format': 'public',
  'GET /api/open311/v2/services/:code.:format': 'public',
  'GET /api/open311/v2/requests.:format': 'public',
  'POST /api/open311/v2/requests.:format': 'public',
  'GET /api/open311/v2/requests/:id.:format': 'public',
  'GET /api/api-keys': 'case:admin',
  'POST /api/api-keys': 'case:admin',
  'POST /api/api-keys/:id/revoke': 'case:admin',
  'POST /api/cases': 'case:report',
  'GET /api/cases/mine': 'case:report',
  'GET /api/cases': 'case:read',
  'GET /api/cases/:id': 'authenticated',
  'POST /api/cases/:id/transitions': 'authenticated',
  'POST /api/cases/:id/validity': 'case:dispatch',
  'GET /api/cases/:id/contact': 'pii:read',
  'POST /api/cases/:id/follow': 'case:report',
  'DELETE /api/cases/:id/follow': 'case:report',
  'GET /api/case-categories': 'public',
  'POST /api/case-categories': 'case:admin',
  'PATCH /api/case-categories/:id': 'case:admin',
  'GET /api/case-routing-rules': 'case:admin',
  'GET /api/case-routing-rules/resolve': 'case:dispatch',
  'POST /api/case-routing-rules': 'case:admin',
  'PATCH /api/case-routing-rules/:id': 'case:admin',
  'DELETE /api/case-routing-rules/:id': 'case:admin',
  'GET /api/case-areas': 'public',
  'GET /api/public/cases': 'public',
  'GET /api/public/cases/:id': 'public',
  'GET /api/sla/events': 'deadline:read',
  'GET /api/scheduler/jobs': 'scheduler:read',
  'GET /api/scheduler/runs': 'scheduler:read',
};

/** Which roles hold which permission — the product decision this test pins down (SPEC §1). */
const HOLDERS: Record<string, Role[]> = {
  'org:read': [
    'system_admin',
    'office_admin',
    'leader',
    'working_group',
    'liaison',
    'unit_head',
    'inspector',
  ],
  'org:write': ['system_admin', 'office_admin'],
  'user:read': ['system_admin', 'office_admin', 'leader', 'working_group', 'unit_head'],
  'user:write': ['system_admin', 'office_admin'],
  'role:read': ['system_admin', 'office_admin'],
  'audit:read': ['system_admin', 'office_admin'],
  'pii:read': ['system_admin'],
  'webhook:write': ['system_admin', 'office_admin'],
  'calendar:write': ['system_admin', 'office_admin'],
  'notice:send': ['system_admin', 'office_admin', 'working_group'],
  'matter:read': ['system_admin', 'office_admin', 'leader', 'working_group', 'liaison', 'unit_head'],
  'matter:assign': ['system_admin', 'office_admin', 'working_group'],
  'matter:handle': ['system_admin', 'office_admin', 'liaison', 'unit_head'],
  'deadline:read': ['system_admin', 'office_admin', 'leader', 'working_group'],
  'scheduler:read': ['system_admin', 'office_admin'],
  'campaign:read': ['system_admin', 'office_admin', 'leader', 'working_group', 'liaison', 'unit_head'],
  'campaign:write': ['system_admin', 'office_admin'],
  'ledger:report': ['system_admin', 'office_admin', 'liaison', 'unit_head'],
  'ledger:approve': ['system_admin', 'office_admin', 'unit_head'],
  'ledger:review': ['system_admin', 'office_admin', 'working_group'],
  'case:moderate': ['system_admin', 'office_admin'],
  'case:admin': ['system_admin', 'office_admin'],
  'case:read': ['system_admin', 'office_admin', 'leader', 'working_group', 'liaison', 'unit_head'],
  'case:dispatch': ['system_admin', 'office_admin', 'working_group'],
  'case:report': ['system_admin', 'office_admin', 'volunteer', 'citizen', 'merchant'],
};

function allowed(permission: string, role: Role | 'anonymous'): boolean {
  if (permission === 'public') return true;
  if (role === 'anonymous') return false;
  if (permission === 'authenticated') return true;
  return HOLDERS[permission]?.includes(role) ?? false;
}

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const concrete = (url: string) =>
  url
    .replace(':id', UNKNOWN_ID)
    .replace(':alias', 'x')
    .replace(':year', '2099')
    .replace(':unitId', UNKNOWN_ID)
    .replace(':fileId', UNKNOWN_ID)
    .replace(':period', '2026-H1')
    .replace(':code', 'x')
    .replace(':format', 'json');

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe(`every route × every role on ${ENGINE}`, () => {
  it('lists exactly the expected routes, each with its expected permission', () => {
    const declared = Object.fromEntries(
      t.app.apiRoutes
        .filter((r) => !r.url.startsWith('/api/docs'))
        .map((r) => [`${r.method} ${r.url}`, r.permission ?? '(none declared)']),
    );
    expect(declared).toEqual(EXPECTED);
  });

  it('documentation routes are public', () => {
    expect(
      t.app.apiRoutes.filter((r) => r.url.startsWith('/api/docs')).every((r) => r.permission === 'public'),
    ).toBe(true);
  });

  for (const role of [...ROLES, 'anonymous'] as const) {
    it(`enforces every route's permission for ${role}`, async () => {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role);
      const client =
        role === 'anonymous' ? new Client(t.app) : await signedIn(t.app, account?.username ?? '');
      // Logout last, so the session lives through the other routes.
      const routes = Object.entries(EXPECTED).sort(
        ([a], [b]) => Number(a.endsWith('/logout')) - Number(b.endsWith('/logout')),
      );
      const mismatches: string[] = [];
      for (const [key, permission] of routes) {
        const [method, url] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
        const res = await client.request(
          method,
          concrete(url),
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        const code = res.statusCode >= 400 ? res.json().error?.code : undefined;
        const denied = res.statusCode === 401 || (res.statusCode === 403 && code === 'FORBIDDEN');
        if (allowed(permission, role) === denied) {
          mismatches.push(
            `${key}: expected ${allowed(permission, role) ? 'allow' : 'deny'}, got ${res.statusCode} ${code ?? ''}`,
          );
        }
        if (res.statusCode >= 500) mismatches.push(`${key}: ${res.statusCode}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
