import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * A sweep of hostile input over every write route, as the most privileged user: each answer must be
 * a 4xx with a code and a message (never a 500), and nothing may be written.
 */
let t: TestApp;
let sys: Client;
beforeAll(async () => {
  t = await makeTestApp();
  sys = await signedIn(t.app, 'sysadmin');
});
afterAll(async () => {
  await t?.close();
});

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const LONG = '长'.repeat(5000);

const WRITE_ROUTES: [string, string, Record<string, unknown>][] = [
  ['POST', '/api/org/units', { parentId: UNKNOWN, name: 'x', type: 'village' }],
  ['PATCH', `/api/org/units/${UNKNOWN}`, { name: 'x' }],
  ['POST', `/api/org/units/${UNKNOWN}/move`, { parentId: UNKNOWN }],
  ['POST', `/api/org/units/${UNKNOWN}/aliases`, { alias: 'x' }],
  ['POST', '/api/org/groups', { name: 'g', memberIds: [UNKNOWN] }],
  ['PUT', `/api/org/groups/${UNKNOWN}`, { name: 'g', memberIds: [] }],
  [
    'POST',
    '/api/users',
    { username: 'abc', displayName: 'x', unitId: UNKNOWN, roles: [], dataScope: 'own', password: 'Aa1!aaaa' },
  ],
  ['PATCH', `/api/users/${UNKNOWN}`, { displayName: 'x' }],
  ['POST', '/api/auth/password', { oldPassword: 'x', newPassword: 'y' }],
  ['POST', '/api/auth/totp/enable', { code: '123456' }],
  ['PUT', '/api/notifications/prefs', { items: [{ kind: 'nope.kind', channel: 'sms', enabled: true }] }],
  [
    'POST',
    '/api/notify/webhooks',
    {
      name: 'x',
      channel: 'wecom',
      unitId: UNKNOWN,
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
    },
  ],
  ['PATCH', `/api/notify/webhooks/${UNKNOWN}`, { name: 'x' }],
  ['POST', `/api/notify/webhooks/${UNKNOWN}/test`, {}],
  ['POST', `/api/notifications/${UNKNOWN}/read`, {}],
  // multipart only: every JSON variant is refused with 415 (files.test.ts sends the hostile uploads)
  ['POST', '/api/files', { file: 'x.jpg' }],
  // 2099-01-03 is a Saturday: a holiday there is refused, so even the valid shape writes nothing
  [
    'PUT',
    '/api/calendar/years/2099',
    { source: 'x', days: [{ date: '2099-01-03', kind: 'holiday', name: 'x' }] },
  ],
  // not a write, but it validates a body: the leap second passes the format and must still be refused
  ['POST', '/api/calendar/compute', { from: '2016-12-31T23:59:60Z', duration: { workingDays: 1 } }],
  ['POST', '/api/notices', { title: 't', body: 'b', unitIds: [UNKNOWN], requireAck: true }],
  ['POST', `/api/notices/${UNKNOWN}/ack`, { note: 'x' }],
  ['POST', `/api/notices/${UNKNOWN}/remind`, {}],
  ['POST', '/api/matters', { title: 't', content: 'c', level: 'ordinary', assigneeUnitId: UNKNOWN }],
  ['POST', `/api/matters/${UNKNOWN}/transitions`, { action: 'acknowledge', version: 1, note: 'x' }],
  // a text without numbered activities is refused (422), so even the valid shape writes nothing
  ['POST', '/api/campaigns/import/preview', { text: 'x' }],
  ['POST', '/api/campaigns/import/aliases', { mappings: [{ text: 'x', unitId: UNKNOWN }] }],
  ['POST', '/api/campaigns', { name: 'x', year: 2024, text: 'x' }],
  [
    'PATCH',
    `/api/campaigns/${UNKNOWN}`,
    { version: 1, name: 'x', startsOn: '2026-01-01', endsOn: '2026-12-31' },
  ],
  ['POST', `/api/campaigns/${UNKNOWN}/copy`, { year: 2027, name: 'x' }],
  ['POST', `/api/campaigns/${UNKNOWN}/deployments`, { title: 'x', body: 'y', unitIds: [UNKNOWN] }],
  [
    'POST',
    `/api/campaigns/${UNKNOWN}/tasks`,
    {
      activityId: UNKNOWN,
      title: 'x',
      cadence: 'once',
      targets: [{ label: 'x', quantity: 1, measure: '个' }],
    },
  ],
  [
    'PATCH',
    `/api/campaigns/${UNKNOWN}/tasks/${UNKNOWN}`,
    { version: 1, title: 'x', weight: 1, targets: [{ label: 'x', quantity: 1, measure: '个' }] },
  ],
  ['PUT', `/api/campaigns/${UNKNOWN}/activities/${UNKNOWN}/units`, { lead: [UNKNOWN], co: [] }],
  ['POST', `/api/campaigns/${UNKNOWN}/half-year`, { period: '2026-H1', unitId: UNKNOWN }],
  [
    'PUT',
    `/api/half-year-reports/${UNKNOWN}`,
    { version: 1, progressText: 'x', practices: 'x', problems: 'x', plans: 'x' },
  ],
  ['POST', `/api/half-year-reports/${UNKNOWN}/transitions`, { action: 'return', version: 1, note: 'x' }],
  // the period ends before it starts, so even the valid shape issues no circular
  ['POST', '/api/cases/circulars', { from: '2026-03-31', to: '2026-03-01', thresholds: { onTimeRate: 80 } }],
  [
    'POST',
    '/api/ledger/reports',
    { campaignId: UNKNOWN, summary: 'x', items: [{ instanceId: UNKNOWN, amounts: [1] }], fileIds: [UNKNOWN] },
  ],
  [
    'POST',
    '/api/ledger/reports',
    {
      campaignId: UNKNOWN,
      summary: 'x',
      items: [{ instanceId: UNKNOWN, amounts: [1] }],
      fileIds: [UNKNOWN],
      submit: true,
    },
  ],
  [
    'PATCH',
    `/api/ledger/reports/${UNKNOWN}`,
    { version: 1, summary: 'x', items: [{ instanceId: UNKNOWN, amounts: [1] }] },
  ],
  ['POST', `/api/ledger/reports/${UNKNOWN}/transitions`, { action: 'submit', version: 1, note: 'x' }],
  ['POST', `/api/campaigns/${UNKNOWN}/supervision/reminders`, { unitIds: [UNKNOWN], note: 'x' }],
  [
    'POST',
    `/api/campaigns/${UNKNOWN}/supervision/orders`,
    { unitId: UNKNOWN, instanceIds: [UNKNOWN], deadline: '2099-01-05', body: 'x' },
  ],
  [
    'POST',
    `/api/campaigns/${UNKNOWN}/supervision/interviews`,
    {
      unitId: UNKNOWN,
      interviewee: { name: 'x', post: 'y', phone: '13800138000' },
      at: '2026-03-02T02:00:00Z',
      place: 'x',
      attendees: ['x'],
      topics: 'x',
      commitments: 'x',
    },
  ],
  ['POST', `/api/campaigns/${UNKNOWN}/circulars`, { title: 'x', asOf: '2026-03-01' }],
  // case core: an unknown category, case, unit or a taken code, so even the valid shapes write nothing
  [
    'POST',
    '/api/cases',
    { kind: 'snapshot', categoryId: UNKNOWN, description: '路口违停测试', address: 'x' },
  ],
  ['POST', `/api/cases/${UNKNOWN}/transitions`, { action: 'sign', version: 1, note: 'x' }],
  ['POST', `/api/cases/${UNKNOWN}/validity`, { valid: true }],
  ['POST', `/api/cases/${UNKNOWN}/follow`, {}],
  [
    'POST',
    '/api/case-categories',
    {
      code: 'traffic',
      nameZh: 'x',
      nameEn: 'x',
      description: '',
      slaClass: 'ordinary',
      photoRequired: false,
      answerReview: false,
      public: true,
      active: true,
      sort: 1,
    },
  ],
  ['PATCH', `/api/case-categories/${UNKNOWN}`, { nameZh: 'x' }],
  ['POST', '/api/case-routing-rules', { categoryId: UNKNOWN, areaUnitId: null, unitId: UNKNOWN }],
  ['PATCH', `/api/case-routing-rules/${UNKNOWN}`, { note: 'x' }],
  ['POST', `/api/cases/${UNKNOWN}/hide`, { reason: 'x' }],
  ['POST', `/api/cases/${UNKNOWN}/unhide`, {}],
  ['POST', `/api/cases/${UNKNOWN}/photos/${UNKNOWN}/hide`, { reason: 'x' }],
  ['POST', `/api/cases/${UNKNOWN}/photos/${UNKNOWN}/unhide`, {}],
  // not a mobile number, so even the valid shape bans nobody
  ['POST', '/api/case-bans', { phone: '1234', reason: 'x' }],
  ['POST', `/api/case-bans/${UNKNOWN}/lift`, {}],
  // 12345 import: an unknown category code in the value table; the import itself is multipart only (415)
  [
    'PUT',
    '/api/case-imports/mapping',
    {
      columns: {
        orderNo: '工单编号',
        createdAt: null,
        category: '诉求类型',
        description: '诉求内容',
        address: null,
        township: null,
        contactName: null,
        contactPhone: null,
      },
      categoryValues: { 乱涂乱画: 'no-such-code' },
      defaultCategory: null,
      unknownTownship: 'reject',
    },
  ],
  ['POST', '/api/case-imports', { file: 'x.csv' }],
  // API keys: a blank name and an unknown unit, an unknown key
  ['POST', '/api/api-keys', { name: ' ', unitId: UNKNOWN }],
  ['POST', `/api/api-keys/${UNKNOWN}/revoke`, {}],
];

function variants(valid: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [
    ['malformed JSON', '{"name": '],
    ['an array', [valid]],
    ['a string', 'hello'],
    ['empty object', {}],
    ['null body', null],
  ];
  for (const key of Object.keys(valid)) {
    out.push([`${key} as a number`, { ...valid, [key]: 12345 }]);
    out.push([`${key} as an object`, { ...valid, [key]: { a: 1 } }]);
    out.push([`${key} overlong`, { ...valid, [key]: LONG }]);
    out.push([`${key} missing`, Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))]);
  }
  out.push(['the valid shape with unknown ids', valid]);
  return out;
}

describe(`bad input on ${ENGINE}`, () => {
  for (const [method, url, valid] of WRITE_ROUTES) {
    it(`${method} ${url.replace(UNKNOWN, ':id')} refuses every variant with a 4xx and writes nothing`, async () => {
      const before = await auditCount(t);
      const problems: string[] = [];
      for (const [label, body] of variants(valid)) {
        const payload = typeof body === 'string' ? body : JSON.stringify(body);
        const res = await sys.request(method as 'POST', url, payload, { 'content-type': 'application/json' });
        if (res.statusCode < 400 || res.statusCode >= 500) problems.push(`${label}: ${res.statusCode}`);
        else if (!res.json().error?.code || !res.json().error?.message)
          problems.push(`${label}: no error code/message`);
      }
      expect(problems).toEqual([]);
      expect(await auditCount(t)).toBe(before);
    });
  }

  it('refuses hostile uploads with a 4xx and stores nothing', async () => {
    const before = await auditCount(t);
    const part = (name: string, filename: string | null, content: string) =>
      `--b\r\nContent-Disposition: form-data; name="${name}"${filename === null ? '' : `; filename="${filename}"`}\r\n\r\n${content}\r\n`;
    const bodies: [string, string][] = [
      ['no parts', '--b--\r\n'],
      ['a field, no file', `${part('note', null, 'x')}--b--\r\n`],
      ['an empty file', `${part('file', 'a.jpg', '')}--b--\r\n`],
      ['text named .jpg', `${part('file', 'a.jpg', 'hello')}--b--\r\n`],
      ['NUL in the name', `${part('file', 'a\u0000.pdf', 'hello')}--b--\r\n`],
      ['an overlong name', `${part('file', `${LONG}.jpg`, 'hello')}--b--\r\n`],
      ['two files', `${part('file', 'a.txt', 'x')}${part('file', 'b.txt', 'y')}--b--\r\n`],
      ['cut off', `${part('file', 'a.jpg', 'hello').slice(0, 40)}`],
      ['no boundary', 'hello'],
    ];
    const problems: string[] = [];
    for (const [label, body] of bodies) {
      const res = await sys.request('POST', '/api/files', Buffer.from(body), {
        'content-type': label === 'no boundary' ? 'multipart/form-data' : 'multipart/form-data; boundary=b',
      });
      if (res.statusCode < 400 || res.statusCode >= 500) problems.push(`${label}: ${res.statusCode}`);
      else if (!res.json().error?.code) problems.push(`${label}: no error code`);
    }
    expect(problems).toEqual([]);
    expect(await auditCount(t)).toBe(before);
  });

  it('names the offending fields in the caller’s language', async () => {
    sys.lang = 'en-US';
    const res = await sys.post('/api/org/units', { parentId: 'nope', name: '', type: 'castle' });
    sys.lang = undefined;
    expect(res.statusCode).toBe(400);
    const fields = Object.fromEntries(
      res.json().error.fields.map((f: { field: string; message: string }) => [f.field, f.message]),
    );
    expect(Object.keys(fields).sort()).toEqual(['name', 'parentId', 'type']);
    expect(fields.name).toBe('must have at least 1 characters');
    const zh = await sys.post('/api/org/units', { name: 'x', type: 'village' });
    expect(zh.json().error.fields).toEqual([{ field: 'parentId', message: '必填' }]);
  });

  it('refuses bad ids in paths and queries with a 400, unknown ids with a 404', async () => {
    expect((await sys.get('/api/org/units/not-a-uuid')).statusCode).toBe(400);
    expect((await sys.get(`/api/org/units/${UNKNOWN}`)).statusCode).toBe(404);
    expect((await sys.get('/api/users?page=0')).statusCode).toBe(400);
    expect((await sys.get('/api/users?pageSize=100000')).statusCode).toBe(400);
    expect((await sys.get('/api/audit?from=yesterday')).statusCode).toBe(400);
    expect((await sys.get('/api/nothing-here')).statusCode).toBe(404);
  });

  it('refuses a huge body with 413 and an unknown content type with 415', async () => {
    const huge = await sys.request(
      'POST',
      '/api/org/groups',
      JSON.stringify({ name: 'x'.repeat(2_000_000) }),
      {
        'content-type': 'application/json',
      },
    );
    expect(huge.statusCode).toBe(413);
    const xml = await sys.request('POST', '/api/org/groups', '<x/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    // A form where the route takes none: refused before the body is read.
    const form = await sys.request('POST', '/api/org/groups', `--b\r\n${'x'.repeat(100)}`, {
      'content-type': 'multipart/form-data; boundary=b',
    });
    expect([form.statusCode, form.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    // A form larger than anything its route takes: 413 without reading it.
    const plan = await sys.request('POST', '/api/campaigns/import/preview', Buffer.alloc(3 * 1024 * 1024), {
      'content-type': 'multipart/form-data; boundary=b',
    });
    expect([plan.statusCode, plan.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});
