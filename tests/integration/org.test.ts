import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedIn(t.app, 'office_admin');
});
afterAll(async () => {
  await t?.close();
});

function multipart(filename: string, content: Buffer, type: string) {
  const boundary = '----wenmingtest';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(c: Client, filename: string, content: Buffer, type = 'text/csv') {
  const { body, headers } = multipart(filename, content, type);
  return c.request('POST', '/api/org/units/import', body, headers);
}

describe(`organisation on ${ENGINE}`, () => {
  it('seeds Bazhou: committee, office, working groups, member units with aliases, townships, groups', async () => {
    const res = await admin.get('/api/org/units');
    expect(res.statusCode).toBe(200);
    const units = res.json().items as {
      name: string;
      type: string;
      aliases: string[];
      regionCode: string | null;
    }[];
    const byName = new Map(units.map((u) => [u.name, u]));
    expect(byName.get('霸州市')?.regionCode).toBe('131081');
    expect(byName.get('霸州市精神文明建设委员会')?.type).toBe('committee');
    expect(byName.get('霸州市精神文明建设委员会办公室')?.aliases).toContain('市文明办');
    expect(byName.get('市卫生健康局')?.aliases).toContain('市卫健局');
    expect(byName.get('市市场监督管理局')?.aliases).toContain('市市场监管局');
    expect(byName.get('市文化广电和旅游局')?.aliases).toContain('市文广旅局');
    for (const wg of ['综合协调组', '宣传舆论组', '信息简报组', '督导考核组'])
      expect(byName.get(wg)?.type).toBe('working_group');
    expect(units.filter((u) => u.type === 'township').length).toBeGreaterThanOrEqual(13);
    const groups = (await admin.get('/api/org/groups')).json().items as {
      name: string;
      memberIds: string[];
    }[];
    expect(groups.find((g) => g.name === '各乡镇（区、办）')?.memberIds.length).toBeGreaterThanOrEqual(13);
    expect(groups.find((g) => g.name === '市文明委各成员单位')?.memberIds.length).toBeGreaterThanOrEqual(40);
  });

  it('creates, renames, moves and deletes a unit, each audited with before and after', async () => {
    const town = await unitId(t, '南孟镇');
    const before = await auditCount(t);
    const created = await admin.post('/api/org/units', {
      parentId: town,
      name: '测试村',
      type: 'village',
      regionCode: '131081101999',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const renamed = await admin.patch(`/api/org/units/${id}`, { name: '测试新村' });
    expect(renamed.json().name).toBe('测试新村');
    const other = await unitId(t, '霸州镇');
    const moved = await admin.post(`/api/org/units/${id}/move`, { parentId: other });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentId).toBe(other);
    expect((await admin.delete(`/api/org/units/${id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/org/units/${id}`)).statusCode).toBe(404);
    expect(await auditCount(t)).toBe(before + 4);
    const log = (await admin.get('/api/audit?entity=org_unit&pageSize=4')).json().items;
    expect(log.map((e: { action: string }) => e.action)).toEqual([
      'org.unit.delete',
      'org.unit.move',
      'org.unit.update',
      'org.unit.create',
    ]);
    expect(log[2].before.name).toBe('测试村');
    expect(log[2].after.name).toBe('测试新村');
  });

  it('moves a subtree with its descendants, and refuses a move under its own descendant', async () => {
    const town = await unitId(t, '南孟镇');
    const a = (
      await admin.post('/api/org/units', { parentId: town, name: 'A站', type: 'practice_station' })
    ).json();
    const b = (await admin.post('/api/org/units', { parentId: a.id, name: 'B点', type: 'other' })).json();
    const before = await auditCount(t);
    const bad = await admin.post(`/api/org/units/${a.id}/move`, { parentId: b.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MOVE_INTO_DESCENDANT');
    const self = await admin.post(`/api/org/units/${a.id}/move`, { parentId: a.id });
    expect(self.statusCode).toBe(400);
    expect(await auditCount(t)).toBe(before);

    const target = await unitId(t, '霸州镇');
    expect((await admin.post(`/api/org/units/${a.id}/move`, { parentId: target })).statusCode).toBe(200);
    const subtree = (await admin.get(`/api/org/units?rootId=${target}`))
      .json()
      .items.map((u: { name: string }) => u.name);
    expect(subtree).toContain('A站');
    expect(subtree).toContain('B点');
    const underOld = (await admin.get(`/api/org/units?rootId=${town}`))
      .json()
      .items.map((u: { name: string }) => u.name);
    expect(underOld).not.toContain('B点');
    const moveLog = (await admin.get('/api/audit?action=org.unit.move&pageSize=1')).json().items[0];
    expect(moveLog.after).toEqual({ parentId: target, movedUnits: 2 });
    const rows = await t.ctx.database.db
      .selectFrom('org_units')
      .select(['name', 'depth', 'path'])
      .where('name', 'in', ['霸州镇', 'A站', 'B点'])
      .execute();
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect([Number(by.A站.depth), Number(by.B点.depth)]).toEqual([
      Number(by.霸州镇.depth) + 1,
      Number(by.霸州镇.depth) + 2,
    ]);
    expect(by.B点.path.startsWith(by.A站.path)).toBe(true);
    expect(by.A站.path.startsWith(by.霸州镇.path)).toBe(true);
  });

  it('pages and searches the scoped list (by name or alias)', async () => {
    const region = await unitId(t, '霸州市');
    const all = (await admin.get(`/api/org/units?rootId=${region}`)).json();
    expect(all.total).toBe(all.items.length);
    const page1 = (await admin.get(`/api/org/units?rootId=${region}&pageSize=10&page=1`)).json();
    const page2 = (await admin.get(`/api/org/units?rootId=${region}&pageSize=10&page=2`)).json();
    expect(page1.total).toBe(all.total);
    expect(page1.items).toHaveLength(10);
    const paged = [...page1.items, ...page2.items] as { id: string; parentId: string }[];
    expect(new Set(paged.map((u) => u.id)).size).toBe(20);
    // Tree order: the root first, and every unit after its parent.
    expect(paged[0].id).toBe(region);
    const seen = new Set<string>();
    for (const u of paged) {
      if (u.id !== region) expect(seen.has(u.parentId)).toBe(true);
      seen.add(u.id);
    }
    const byAlias = (await admin.get(`/api/org/units?keyword=${encodeURIComponent('卫健')}`)).json();
    expect(byAlias.items.map((u: { name: string }) => u.name)).toEqual(['市卫生健康局']);
    const literal = (await admin.get(`/api/org/units?keyword=${encodeURIComponent('%')}`)).json();
    expect(literal.total).toBe(0);
  });

  it('refuses to delete a unit that still has sub-units or people, and duplicate sibling names', async () => {
    const town = await unitId(t, '南孟镇');
    const res = await admin.delete(`/api/org/units/${town}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('UNIT_NOT_EMPTY');
    const region = await unitId(t, '霸州市');
    const dup = await admin.post('/api/org/units', { parentId: region, name: '南孟镇', type: 'township' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('UNIT_NAME_TAKEN');
  });

  it('keeps aliases unique across units', async () => {
    const unit = await unitId(t, '市公安局');
    const ok = await admin.post(`/api/org/units/${unit}/aliases`, { alias: '公安局' });
    expect(ok.json().aliases).toContain('公安局');
    const taken = await admin.post(`/api/org/units/${await unitId(t, '市司法局')}/aliases`, {
      alias: '公安局',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('市公安局');
    const removed = await admin.delete(`/api/org/units/${unit}/aliases/${encodeURIComponent('公安局')}`);
    expect(removed.json().aliases).not.toContain('公安局');
  });

  it('saves groups of units and refuses unknown members', async () => {
    const members = [await unitId(t, '市公安局'), await unitId(t, '市司法局')];
    const created = await admin.post('/api/org/groups', {
      name: '政法单位',
      aliases: ['政法各单位'],
      memberIds: members,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().memberIds.sort()).toEqual([...members].sort());
    const bad = await admin.put(`/api/org/groups/${created.json().id}`, {
      name: '政法单位',
      memberIds: ['01900000-0000-7000-8000-000000000000'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('memberIds.0');
    expect((await admin.delete(`/api/org/groups/${created.json().id}`)).statusCode).toBe(204);
  });

  it('limits a township liaison’s reads to its own subtree', async () => {
    const liaison = await signedIn(t.app, 'liaison_town');
    const names = (await liaison.get('/api/org/units')).json().items.map((u: { name: string }) => u.name);
    expect(names[0]).toBe('裕华街道');
    expect(names).not.toContain('霸州市');
    expect(names).not.toContain('南孟镇');
    const outside = await unitId(t, '南孟镇');
    expect((await liaison.get(`/api/org/units/${outside}`)).statusCode).toBe(404);
  });

  it('imports a CSV, parents from the tree or earlier rows, all or nothing', async () => {
    const csv = '名称,上级,类型,区划代码\n新建社区,裕华街道,社区,131081001777\n新建网格,新建社区,其他,\n';
    const res = await upload(admin, 'units.csv', Buffer.from(csv));
    expect(res.statusCode).toBe(200);
    expect(res.json().created).toBe(2);

    const before = await auditCount(t);
    const bad =
      '名称,上级,类型,区划代码\n好的一行,裕华街道,社区,\n,裕华街道,社区,\n孤儿,不存在的单位,社区,\n怪类型,裕华街道,火星,\n坏代码,裕华街道,社区,12\n';
    const rejected = await upload(admin, 'bad.csv', Buffer.from(bad));
    expect(rejected.statusCode).toBe(422);
    const rows = rejected.json().rows as { row: number; status: string; message?: string }[];
    expect(rows.map((r) => r.status)).toEqual(['created', 'error', 'error', 'error', 'error']);
    expect(rows[2].message).toContain('不存在的单位');
    expect(rejected.json().created).toBe(0);
    expect(await auditCount(t)).toBe(before);
    const names = (await admin.get('/api/org/units')).json().items.map((u: { name: string }) => u.name);
    expect(names).not.toContain('好的一行');
  });

  it('imports an Excel workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('units');
    ws.addRow(['name', 'parent', 'type', 'shortName']);
    ws.addRow(['Excel村', '南孟镇', 'village', 'EX']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(
      admin,
      'units.xlsx',
      buf,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().rows[0]).toMatchObject({ row: 2, status: 'created', name: 'Excel村' });
  });

  it('answers a broken upload with a 4xx, never a 500', async () => {
    const junk = await upload(
      admin,
      'x.xlsx',
      Buffer.from('PK\u0003\u0004garbage'),
      'application/octet-stream',
    );
    expect(junk.statusCode).toBe(400);
    const empty = await upload(admin, 'empty.csv', Buffer.from(''));
    expect(empty.statusCode).toBe(400);
    const notMultipart = await admin.post('/api/org/units/import', { file: 'x' });
    expect(notMultipart.statusCode).toBe(415);
  });
});
