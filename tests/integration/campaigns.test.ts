/**
 * Campaigns (issue #4), first slice: plan import preview, unknown names mapped to aliases, saving a plan
 * as a draft campaign, listing, detail, deleting a draft; permissions, data scope and bad input.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

const FIXTURES = path.join(import.meta.dirname, '../../apps/server/src/modules/campaigns/plan/fixtures');
const SEED = readFileSync(path.join(FIXTURES, '001_785ff53e928aa9e6.txt'), 'utf8');
const SEED_GB18030 = readFileSync(path.join(FIXTURES, '001_785ff53e928aa9e6.gb18030.txt'));
const UNKNOWN_PLAN =
  '2024年活动方案\n一、重点任务\n1.开展“清朗网络”行动。责任单位：市委宣传部、市网络信息中心\n';
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

type Detail = {
  id: string;
  status: string;
  phases: unknown[];
  sections: {
    activities: { name: string; units: { name: string; role: string }[]; sourceLines: number[] }[];
  }[];
};

const countRows = async (t: TestApp, table: 'campaigns' | 'campaign_activities' | 'org_aliases') =>
  Number(
    (
      await t.ctx.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );

function upload(filename: string, content: Buffer) {
  const head = Buffer.from(
    `--b\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  return Buffer.concat([head, content, Buffer.from('\r\n--b--\r\n')]);
}

let t: TestApp;
let office: Client;
beforeAll(async () => {
  t = await makeTestApp();
  office = await signedIn(t.app, 'office_admin');
});
afterAll(async () => {
  await t?.close();
});

describe(`campaigns on ${ENGINE}`, () => {
  let seedId = '';

  it('previews seed 001 pasted as text: 5 sections, 18 activities, 3 phases, the source lines, nothing unresolved', async () => {
    const res = await office.post('/api/campaigns/import/preview', { text: SEED });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plan.stats).toMatchObject({
      sections: 5,
      activities: 18,
      phases: 3,
      unresolvedReferences: 0,
    });
    expect(body.unresolved).toEqual([]);
    expect(body.lines).toEqual(SEED.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/));
    const first = body.plan.sections[0].activities[0];
    expect(body.lines[first.sourceLines[0] - 1]).toContain(first.name);
  });

  it('previews seed 001 uploaded as a GB18030 .txt file the same way', async () => {
    const res = await office.request(
      'POST',
      '/api/campaigns/import/preview',
      upload('plan.txt', SEED_GB18030),
      {
        'content-type': 'multipart/form-data; boundary=b',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().plan.stats).toMatchObject({ sections: 5, activities: 18, phases: 3 });
  });

  it('saves seed 001 as a draft campaign with the same structure and activity 1’s units', async () => {
    const before = await auditCount(t);
    const res = await office.post('/api/campaigns', { name: '文明城市创建', year: 2022, text: SEED });
    expect(res.statusCode).toBe(201);
    const c = res.json() as Detail;
    seedId = c.id;
    expect(c.status).toBe('draft');
    expect(c.phases).toHaveLength(3);
    expect(c.sections).toHaveLength(5);
    expect(c.sections.flatMap((s) => s.activities)).toHaveLength(18);
    expect(c.sections[0].activities[0].units).toEqual([
      { unitId: await unitId(t, '市委宣传部'), name: '市委宣传部', role: 'lead' },
      { unitId: await unitId(t, '市委组织部'), name: '市委组织部', role: 'co' },
      { unitId: await unitId(t, '市委党校'), name: '市委党校', role: 'co' },
    ]);
    expect(c.sections[2].activities[0].units).toHaveLength(56);
    expect(await auditCount(t)).toBe(before + 1);

    const again = await office.get(`/api/campaigns/${c.id}`);
    expect(again.json()).toEqual(c);
    const list = await office.get('/api/campaigns');
    expect(list.json().items).toContainEqual(
      expect.objectContaining({
        id: c.id,
        name: '文明城市创建',
        year: 2022,
        activities: 18,
        status: 'draft',
      }),
    );
  });

  it('refuses a second campaign with the same name and year', async () => {
    const before = await countRows(t, 'campaigns');
    const res = await office.post('/api/campaigns', { name: '文明城市创建', year: 2022, text: SEED });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CAMPAIGN_DUPLICATE');
    expect(await countRows(t, 'campaigns')).toBe(before);
  });

  it('refuses to save a plan with an unknown unit, then saves it once the name is mapped to an alias', async () => {
    const preview = await office.post('/api/campaigns/import/preview', { text: UNKNOWN_PLAN });
    expect(preview.json().unresolved).toEqual([{ text: '市网络信息中心', line: 3, code: 'unknown_unit' }]);

    const [campaigns, activities, audits] = [
      await countRows(t, 'campaigns'),
      await countRows(t, 'campaign_activities'),
      await auditCount(t),
    ];
    const refused = await office.post('/api/campaigns', { name: '清朗', year: 2024, text: UNKNOWN_PLAN });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('CAMPAIGN_UNITS_UNRESOLVED');
    expect(refused.json().error.fields).toEqual([
      { field: 'units', message: expect.stringContaining('市网络信息中心') },
    ]);
    expect(await countRows(t, 'campaigns')).toBe(campaigns);
    expect(await countRows(t, 'campaign_activities')).toBe(activities);
    expect(await auditCount(t)).toBe(audits);

    const target = await unitId(t, '市委组织部');
    const mapped = await office.post('/api/campaigns/import/aliases', {
      mappings: [{ text: '市网络信息中心', unitId: target }],
    });
    expect(mapped.statusCode).toBe(200);
    expect(mapped.json()).toEqual({ saved: 1 });
    expect(await auditCount(t)).toBe(audits + 1);

    const again = await office.post('/api/campaigns/import/preview', { text: UNKNOWN_PLAN });
    expect(again.json().unresolved).toEqual([]);
    const saved = await office.post('/api/campaigns', { name: '清朗', year: 2024, text: UNKNOWN_PLAN });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().sections[0].activities[0].units).toEqual([
      { unitId: await unitId(t, '市委宣传部'), name: '市委宣传部', role: 'lead' },
      { unitId: target, name: '市委组织部', role: 'co' },
    ]);
  });

  it('refuses alias mappings as a whole when one is invalid', async () => {
    const aliases = await countRows(t, 'org_aliases');
    const res = await office.post('/api/campaigns/import/aliases', {
      mappings: [
        { text: '某新名称', unitId: await unitId(t, '市委宣传部') },
        { text: '市网络信息中心', unitId: await unitId(t, '市委宣传部') },
        { text: '另一名称', unitId: UNKNOWN },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { field: string }) => f.field)).toEqual([
      'mappings.1.text',
      'mappings.2.unitId',
    ]);
    expect(await countRows(t, 'org_aliases')).toBe(aliases);
  });

  it('shows a campaign to a liaison only once it is active and one of its activities involves the liaison’s unit', async () => {
    const liaison = await signedIn(t.app, 'liaison');
    const setStatus = (status: string) =>
      t.ctx.database.db.updateTable('campaigns').set({ status }).where('id', '=', seedId).execute();
    // A draft is the office's work in progress.
    expect((await liaison.get('/api/campaigns')).json().total).toBe(0);
    expect((await liaison.get(`/api/campaigns/${seedId}`)).statusCode).toBe(404);
    await setStatus('active');
    const ids = (await liaison.get('/api/campaigns')).json().items.map((c: { id: string }) => c.id);
    expect(ids).toContain(seedId);
    const other = (await office.get('/api/campaigns'))
      .json()
      .items.find((c: { name: string }) => c.name === '清朗');
    expect(ids).not.toContain(other.id);
    expect((await liaison.get(`/api/campaigns/${other.id}`)).statusCode).toBe(404);
    expect((await liaison.get(`/api/campaigns/${seedId}`)).statusCode).toBe(200);
    expect((await liaison.post('/api/campaigns/import/preview', { text: SEED })).statusCode).toBe(403);
    expect((await liaison.delete(`/api/campaigns/${seedId}`)).statusCode).toBe(403);
    await setStatus('draft');
    const leader = await signedIn(t.app, 'leader');
    expect((await leader.get('/api/campaigns')).json().total).toBe(2);
    expect((await leader.post('/api/campaigns', { name: 'x', year: 2024, text: SEED })).statusCode).toBe(403);
  });

  it('deletes a draft campaign with its structure, audited', async () => {
    const activities = await countRows(t, 'campaign_activities');
    const before = await auditCount(t);
    const res = await office.delete(`/api/campaigns/${seedId}`);
    expect(res.statusCode).toBe(204);
    expect((await office.get(`/api/campaigns/${seedId}`)).statusCode).toBe(404);
    expect(await countRows(t, 'campaign_activities')).toBe(activities - 18);
    expect(await auditCount(t)).toBe(before + 1);
    expect((await office.delete(`/api/campaigns/${seedId}`)).statusCode).toBe(404);
  });

  it('refuses to delete a campaign that is no longer a draft', async () => {
    const other = (await office.get('/api/campaigns')).json().items[0];
    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ status: 'active' })
      .where('id', '=', other.id)
      .execute();
    const res = await office.delete(`/api/campaigns/${other.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CAMPAIGN_NOT_DRAFT');
    expect((await office.get(`/api/campaigns/${other.id}`)).statusCode).toBe(200);
  });

  it('refuses plans without activities, unreadable files and oversized uploads, in the caller’s language', async () => {
    const before = await auditCount(t);
    const empty = await office.post('/api/campaigns/import/preview', { text: '这是一段没有编号的文字。' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('PLAN_NO_ACTIVITIES');
    const blank = await office.post('/api/campaigns/import/preview', { text: '  \n ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields[0].field).toBe('text');
    const multipart = { 'content-type': 'multipart/form-data; boundary=b' };
    const doc = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(64),
    ]);
    const legacy = await office.request(
      'POST',
      '/api/campaigns/import/preview',
      upload('a.doc', doc),
      multipart,
    );
    expect(legacy.statusCode).toBe(400);
    expect(legacy.json().error.code).toBe('PLAN_FILE_UNSUPPORTED');
    const big = Buffer.alloc(2 * 1024 * 1024 + 10, 'a');
    const tooBig = await office.request(
      'POST',
      '/api/campaigns/import/preview',
      upload('a.txt', big),
      multipart,
    );
    expect(tooBig.statusCode).toBe(413);
    const noFile = await office.request(
      'POST',
      '/api/campaigns/import/preview',
      Buffer.from('--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--b--\r\n'),
      multipart,
    );
    expect(noFile.statusCode).toBe(400);
    office.lang = 'en-US';
    const en = await office.post('/api/campaigns', { name: 'x', year: 2024, text: 'no numbers here' });
    expect(en.json().error.message).toMatch(/No numbered activities/);
    office.lang = undefined;
    expect(await auditCount(t)).toBe(before);
  });
});
