import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultCategories } from '../../apps/server/src/modules/cases/categories.ts';
import { type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

/** Open311 GeoReport v2 (modules/cases/open311) with API keys (modules/apikeys). */
const BASE = '/api/open311/v2';
let t: TestApp;
let office: Client;
let key: string;
let keyId: string;

function form(fields: Record<string, string>) {
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

async function post(fields: Record<string, string>, lang?: string) {
  const { body, headers } = form(fields);
  return t.app.inject({
    method: 'POST',
    url: `${BASE}/requests.json`,
    payload: body,
    headers: { ...headers, ...(lang ? { 'accept-language': lang } : {}) },
  });
}

const get = (url: string) => t.app.inject({ method: 'GET', url });

beforeAll(async () => {
  t = await makeTestApp();
  // Written at start by the app; called again here (a no-op then) so this suite does not depend on it.
  await ensureDefaultCategories(t.ctx);
  office = await signedIn(t.app, 'office_admin');
  const created = (
    await office.post('/api/api-keys', { name: '南孟镇网格系统', unitId: await unitId(t, '南孟镇') })
  ).json();
  key = created.key;
  keyId = created.id;
});
afterAll(async () => {
  await t?.close();
});

describe(`Open311 GeoReport v2 on ${ENGINE}`, () => {
  it('lists the active categories as services, in the caller’s language', async () => {
    const res = await get(`${BASE}/services.json`);
    expect(res.statusCode).toBe(200);
    const services = res.json();
    expect(services.map((s: { service_code: string }) => s.service_code)).toContain('environment');
    expect(services.find((s: { service_code: string }) => s.service_code === 'environment')).toEqual({
      service_code: 'environment',
      service_name: '市容环境',
      description: '',
      metadata: false,
      type: 'realtime',
      keywords: 'City appearance and environment',
      group: '文明城市',
    });
    const en = await t.app.inject({
      method: 'GET',
      url: `${BASE}/services.json`,
      headers: { 'accept-language': 'en' },
    });
    expect(en.json()[0].service_name).toMatch(/^[A-Z]/);

    expect((await get(`${BASE}/services/traffic.json?jurisdiction_id=bazhou`)).json()).toEqual({
      service_code: 'traffic',
      attributes: [],
    });
    const unknown = await get(`${BASE}/services/nope.json`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: '服务代码 nope 不存在' }]);
  });

  it('answers JSON only', async () => {
    for (const url of [`${BASE}/services.xml`, `${BASE}/requests.xml`, `${BASE}/services/traffic.xml`]) {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json()[0]).toMatchObject({ code: 400, description: expect.stringContaining('xml') });
    }
  });

  it('files a case with a valid key: channel open311, the key as source, the phone encrypted', async () => {
    const res = await post({
      api_key: key,
      service_code: 'environment',
      lat: '39.05',
      long: '116.39',
      address_string: '南孟镇和平村村口',
      description: '村口垃圾堆放多日无人清理，气味难闻。',
      first_name: '强',
      last_name: '王',
      phone: '13912345678',
      email: 'wang@example.com',
      jurisdiction_id: 'bazhou',
    });
    expect(res.statusCode).toBe(201);
    const [created] = res.json();
    expect(created.service_request_id).toMatch(/^OP-2026-\d{6}$/);
    expect(created.account_id).toBeNull();
    expect(created.service_notice).toContain(created.service_request_id);

    const row = await t.ctx.database.db
      .selectFrom('cases')
      .selectAll()
      .where('no', '=', created.service_request_id)
      .executeTakeFirstOrThrow();
    const serviceUser = (
      await t.ctx.database.db
        .selectFrom('api_keys')
        .select('user_id')
        .where('id', '=', keyId)
        .executeTakeFirstOrThrow()
    ).user_id;
    expect(row).toMatchObject({
      channel: 'open311',
      external_source: keyId,
      contact_name: '王强',
      address: '南孟镇和平村村口',
      area_unit_id: await unitId(t, '南孟镇'),
      reporter_id: null,
    });
    expect(Number(row.lat)).toBeCloseTo(39.05);
    expect(row.contact_phone_enc).not.toContain('13912345678');
    expect(t.ctx.pii.decrypt(row.contact_phone_enc ?? '')).toBe('13912345678');
    // a caller on a landline (with its area code) is filed too
    const landline = await post({
      api_key: key,
      service_code: 'environment',
      address_string: '南孟镇和平村村口',
      description: '村口路灯不亮已经一周，晚上出行不便。',
      phone: '0316-7221234',
    });
    expect(landline.statusCode).toBe(201);
    const landlineRow = await t.ctx.database.db
      .selectFrom('cases')
      .select('contact_phone_enc')
      .where('no', '=', landline.json()[0].service_request_id)
      .executeTakeFirstOrThrow();
    expect(t.ctx.pii.decrypt(landlineRow.contact_phone_enc ?? '')).toBe('0316-7221234');
    const history = await t.ctx.database.db
      .selectFrom('workflow_history')
      .select(['action', 'actor_id'])
      .where('record_id', '=', row.id)
      .execute();
    expect(history[0]).toMatchObject({ action: 'create', actor_id: serviceUser });

    // JSON bodies work too, and an address alone is a location.
    const json = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.json`,
      payload: {
        api_key: key,
        service_code: 'traffic',
        address_string: '东大街',
        description: '路口信号灯损坏，车辆混行。',
      },
    });
    expect(json.statusCode).toBe(201);
  });

  it('refuses a missing, wrong or revoked key with 403, and bad fields with 400', async () => {
    const fields = {
      service_code: 'environment',
      address_string: '某路',
      description: '路面有大坑，夜间危险。',
    };
    const before = await t.ctx.database.db.selectFrom('cases').select('id').execute();
    const missing = await post(fields);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: 'api_key 缺失、无效或已吊销' }]);
    expect((await post({ ...fields, api_key: `${key}x` })).statusCode).toBe(403);

    const noLocation = await post({ ...fields, address_string: '', api_key: key }, 'en-US');
    expect(noLocation.statusCode).toBe(400);
    expect(noLocation.json()[0].description).toBe('address_string: give lat/long or address_string');
    expect((await post({ ...fields, api_key: key, service_code: 'nope' })).statusCode).toBe(400);
    expect((await post({ ...fields, api_key: key, phone: '12345' })).statusCode).toBe(400);
    expect((await post({ ...fields, api_key: key, phone: '0316-72212' })).statusCode).toBe(400);
    expect((await post({ ...fields, api_key: key, lat: '95', long: '116' })).statusCode).toBe(400);
    expect((await post({ ...fields, api_key: key, lat: '39' })).statusCode).toBe(400);
    expect((await post({ ...fields, api_key: key, description: '短' })).statusCode).toBe(400);
    expect((await post({ ...fields, api_key: key, media_url: 'javascript:alert(1)' })).statusCode).toBe(400);

    const { key: other, id } = (await office.post('/api/api-keys', { name: '临时' })).json();
    expect((await post({ ...fields, api_key: other })).statusCode).toBe(201);
    await office.post(`/api/api-keys/${id}/revoke`);
    expect((await post({ ...fields, api_key: other })).statusCode).toBe(403);
    const after = await t.ctx.database.db.selectFrom('cases').select('id').execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('answers hostile bodies with GeoReport errors, never a 500, and files nothing', async () => {
    const count = async () => (await t.ctx.database.db.selectFrom('cases').select('id').execute()).length;
    const before = await count();
    const bodies: [string, string, string][] = [
      ['malformed JSON', 'application/json', '{"api_key": '],
      ['an array', 'application/json', JSON.stringify([{ api_key: key }])],
      ['a string', 'application/json', '"hello"'],
      ['NUL in a field', 'application/json', JSON.stringify({ api_key: key, description: 'a\u0000b' })],
      ['lat as an object', 'application/json', JSON.stringify({ api_key: key, lat: { a: 1 }, long: 1 })],
      [
        'overlong description',
        'application/x-www-form-urlencoded',
        `api_key=${key}&description=${'长'.repeat(3000)}`,
      ],
      ['XML', 'application/xml', '<service_request/>'],
    ];
    const problems: string[] = [];
    for (const [label, type, payload] of bodies) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        payload,
        headers: { 'content-type': type },
      });
      const body = res.json();
      if (res.statusCode < 400 || res.statusCode >= 500) problems.push(`${label}: ${res.statusCode}`);
      else if (!Array.isArray(body) || body[0]?.code !== res.statusCode || !body[0]?.description)
        problems.push(`${label}: not a GeoReport error: ${res.body}`);
    }
    expect(problems).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('files once per Idempotency-Key: a retry gets the first answer, other fields 422, bad keys 400', async () => {
    const count = async () => (await t.ctx.database.db.selectFrom('cases').select('id').execute()).length;
    const fields = {
      api_key: key,
      service_code: 'environment',
      address_string: '南孟镇东街',
      description: '东街排水沟堵塞，雨后积水。',
    };
    const send = (idempotencyKey: string, body: Record<string, string> = fields) => {
      const { body: payload, headers } = form(body);
      return t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        payload,
        headers: { ...headers, 'idempotency-key': idempotencyKey, 'accept-language': 'en-US' },
      });
    };
    const before = await count();
    const first = await send('retry-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await send('retry-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before + 1);

    // the same key with other fields is refused, in the caller's language
    const changed = await send('retry-1', { ...fields, description: '东街排水沟堵塞，雨后积水严重。' });
    expect(changed.statusCode).toBe(422);
    expect(changed.json()).toEqual([
      {
        code: 422,
        description:
          'This Idempotency-Key was used for a request with other fields; use a new key for a new request',
      },
    ]);
    // two at once with a new key: one case, both told its number
    const [a, b] = await Promise.all([send('retry-2'), send('retry-2')]);
    expect([a?.statusCode, b?.statusCode]).toEqual([201, 201]);
    expect(a?.json()[0].service_request_id).toBe(b?.json()[0].service_request_id);
    expect(await count()).toBe(before + 2);
    // keys belong to one API key: another system's key of the same name files its own case
    const { key: other } = (await office.post('/api/api-keys', { name: '另一系统' })).json();
    const theirs = await send('retry-1', { ...fields, api_key: other });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json()[0].service_request_id).not.toBe(first.json()[0].service_request_id);
    expect(await count()).toBe(before + 3);

    for (const bad of ['has space', 'x'.repeat(101), '键']) {
      const res = await send(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()[0].description).toMatch(/^idempotency-key: /);
    }
    expect(await count()).toBe(before + 3);
  });

  it('lists public requests with filters and without personal data', async () => {
    const all = await get(`${BASE}/requests.json`);
    expect(all.statusCode).toBe(200);
    const items = all.json();
    expect(items.length).toBeGreaterThanOrEqual(3);
    const first = items.find((r: { service_code: string }) => r.service_code === 'environment');
    expect(first).toMatchObject({
      status: 'open',
      service_name: '市容环境',
      requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
    });
    const text = all.body;
    for (const secret of ['13912345678', '王强', 'wang@example.com', 'contact', 'reporter']) {
      expect(text).not.toContain(secret);
    }

    const one = await get(`${BASE}/requests/${first.service_request_id}.json`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual([first]);
    expect(one.body).not.toContain('王强');
    expect((await get(`${BASE}/requests/OP-2099-000001.json`)).statusCode).toBe(404);

    const byCode = (await get(`${BASE}/requests.json?service_code=traffic`)).json();
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((r: { service_code: string }) => r.service_code === 'traffic')).toBe(true);
    const byId = (await get(`${BASE}/requests.json?service_request_id=${first.service_request_id}`)).json();
    expect(byId.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
      first.service_request_id,
    ]);
    expect((await get(`${BASE}/requests.json?status=closed`)).json()).toEqual([]);
    expect((await get(`${BASE}/requests.json?status=open,closed`)).json().length).toBe(items.length);
    expect((await get(`${BASE}/requests.json?start_date=2099-01-01T00:00:00Z`)).json()).toEqual([]);
    expect((await get(`${BASE}/requests.json?end_date=2000-01-01T00:00:00Z`)).json()).toEqual([]);
    expect((await get(`${BASE}/requests.json?status=done`)).statusCode).toBe(400);
    expect((await get(`${BASE}/requests.json?start_date=yesterday`)).statusCode).toBe(400);

    // A case hidden by a moderator, or in a category that is not public, is not served.
    await t.ctx.database.db
      .updateTable('cases')
      .set({ hidden: true })
      .where('no', '=', first.service_request_id)
      .execute();
    expect((await get(`${BASE}/requests/${first.service_request_id}.json`)).statusCode).toBe(404);
    await t.ctx.database.db
      .updateTable('cases')
      .set({ hidden: false })
      .where('no', '=', first.service_request_id)
      .execute();
  });

  it('reports the status, the answer and the unit of a closed case', async () => {
    const rumour = await post({
      api_key: key,
      service_code: 'rumour',
      address_string: '网络',
      description: '某群里流传自来水停水三天的谣言。',
    });
    expect(rumour.statusCode).toBe(201);
    const [{ service_request_id: rumourNo }] = rumour.json();
    expect((await get(`${BASE}/requests/${rumourNo}.json`)).statusCode).toBe(404);

    const [{ service_request_id: no }] = (
      await post({
        api_key: key,
        service_code: 'order',
        address_string: '广场',
        description: '广场舞音量过大，影响休息。',
      })
    ).json();
    const unit = await unitId(t, '南孟镇');
    await t.ctx.database.db
      .updateTable('cases')
      .set({ state: 'closed', answer: '已协调降低音量。', unit_id: unit })
      .where('no', '=', no)
      .execute();
    const [closed] = (await get(`${BASE}/requests/${no}.json`)).json();
    expect(closed).toMatchObject({
      status: 'closed',
      status_notes: '已协调降低音量。',
      agency_responsible: '南孟镇',
    });
    const closedList = (await get(`${BASE}/requests.json?status=closed`)).json();
    expect(closedList.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([no]);
  });
});
