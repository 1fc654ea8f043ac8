import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultCategories } from '../../apps/server/src/modules/cases/categories.ts';
import { DEFAULT_MAPPING } from '../../apps/server/src/modules/cases/hotline/mapping.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * The 12345 hotline import (modules/cases/hotline): an invented export of 13 rows, 5 of them broken
 * (tests/fixtures/hotline), as .xlsx and as a GBK CSV with CRLF and quoted fields.
 */
const FIXTURES = path.join(import.meta.dirname, '../fixtures/hotline');
const XLSX = readFileSync(path.join(FIXTURES, '12345-export.xlsx'));
const GBK_CSV = readFileSync(path.join(FIXTURES, '12345-export.gbk.csv'));
const CREATED = 8;
const REJECTED = 5;
/** Rows at and above this many exercise the chunked lookups (500 order numbers per query). */
const MANY = Number(process.env.WENMING_HOTLINE_ROWS ?? 600);

let t: TestApp;
let office: Client;

function multipart(filename: string, content: Buffer) {
  const boundary = '----wenminghotline';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(c: Client, filename: string, content: Buffer, dryRun = false) {
  const { body, headers } = multipart(filename, content);
  return c.request('POST', `/api/case-imports${dryRun ? '?dryRun=true' : ''}`, body, headers);
}

const HEADER = '工单编号,来电时间,诉求类型,诉求内容,事发地址,所属乡镇,联系人,联系电话';
const utf8Csv = (lines: string[]) => Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');

async function caseCount(): Promise<number> {
  const r = await t.ctx.database.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

type Row = { row: number; orderNo: string; outcome: string; errors: { field: string; message: string }[] };

beforeAll(async () => {
  t = await makeTestApp();
  // Written at start by the app; called again here (a no-op then) so this suite does not depend on it.
  await ensureDefaultCategories(t.ctx);
  office = await signedIn(t.app, 'office_admin');
});
afterAll(async () => {
  await t?.close();
});

describe(`12345 hotline import on ${ENGINE}`, () => {
  it('has the usual export columns as the default mapping', async () => {
    const res = await office.get('/api/case-imports/mapping');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ...DEFAULT_MAPPING, updatedAt: null });
  });

  it('dry run: reports every row and writes nothing', async () => {
    const audits = await auditCount(t);
    const res = await upload(office, '12345-export.xlsx', XLSX, true);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      id: null,
      dryRun: true,
      total: 13,
      created: CREATED,
      updated: 0,
      unchanged: 0,
    });
    expect(report.rejected).toBe(REJECTED);
    expect(report.headers).toContain('工单编号');
    const byRow = new Map<number, Row>(report.rows.map((r: Row) => [r.row, r]));
    const fields = (row: number) => byRow.get(row)?.errors.map((e) => e.field);
    expect(byRow.get(2)?.outcome).toBe('created');
    // a caller on a landline: kept (0316-7221234)
    expect(byRow.get(4)).toMatchObject({ outcome: 'created', errors: [] });
    expect(fields(9)).toEqual(['orderNo']);
    expect(fields(10)).toEqual(['createdAt']);
    expect(fields(11)).toEqual(['township']);
    expect(fields(12)).toEqual(['description', 'contactPhone']);
    expect(fields(13)).toEqual(['orderNo']);
    expect(byRow.get(13)?.errors[0].message).toBe('与第 3 行的工单编号重复');
    expect(byRow.get(11)?.errors[0].message).toContain('不存在镇');
    expect(await caseCount()).toBe(0);
    expect(await auditCount(t)).toBe(audits);
    expect((await office.get('/api/case-imports')).json().total).toBe(0);
  });

  it('imports the xlsx: one case per good row, on the hotline channel, recorded and audited', async () => {
    const res = await upload(office, '12345-export.xlsx', XLSX);
    expect(res.statusCode).toBe(201);
    const report = res.json();
    expect(report).toMatchObject({
      dryRun: false,
      created: CREATED,
      updated: 0,
      unchanged: 0,
      rejected: REJECTED,
    });
    expect(await caseCount()).toBe(CREATED);

    const row = await t.ctx.database.db
      .selectFrom('cases')
      .selectAll()
      .where('external_no', '=', '2026022610001')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'hotline',
      external_source: '12345',
      area_unit_id: await unitId(t, '裕华街道'),
      contact_name: '张女士',
      reporter_id: null,
      // 08:12:40 Beijing time
      created_at: '2026-02-26T00:12:40.000Z',
    });
    expect(row.no).toMatch(/^RX-2026-\d{6}$/);
    expect(row.contact_phone_enc).not.toContain('13831600001');
    expect(t.ctx.pii.decrypt(row.contact_phone_enc ?? '')).toBe('13831600001');
    const created = report.rows.find((r: { orderNo: string }) => r.orderNo === '2026022610001');
    expect(created).toMatchObject({ outcome: 'created', caseId: row.id, caseNo: row.no });

    // the landline caller's number: kept encrypted as written, shown masked to the office
    const landline = await t.ctx.database.db
      .selectFrom('cases')
      .select(['id', 'contact_phone_enc'])
      .where('external_no', '=', '2026022610003')
      .executeTakeFirstOrThrow();
    expect(t.ctx.pii.decrypt(landline.contact_phone_enc ?? '')).toBe('0316-7221234');
    expect((await office.get(`/api/cases/${landline.id}`)).json().contactPhone).toBe('031*****1234');

    // 城市管理-占道经营 is not in the value table: the default category; 滨河社区 is the village's short form.
    const other = await t.ctx.database.db
      .selectFrom('cases as k')
      .innerJoin('case_categories as c', 'c.id', 'k.category_id')
      .select(['c.code', 'k.area_unit_id', 'k.created_at', 'k.description'])
      .where('k.external_no', 'in', ['2026022610005', '2026022610007', '2026022610013'])
      .orderBy('k.external_no')
      .execute();
    expect(other.map((o) => o.code)).toEqual(['other', 'other', 'order']);
    expect(other[1].area_unit_id).toBe(await unitId(t, '滨河社区居民委员会'));
    expect(other[1].created_at).toBe('2026-02-27T01:15:00.000Z');
    expect(other[2].description).toContain('"每天晚上"');
    expect(other[2].description).toContain('\n多次劝说无效');

    const list = (await office.get('/api/case-imports')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: report.id, filename: '12345-export.xlsx', created: CREATED });
    const stored = await office.get(`/api/case-imports/${report.id}`);
    expect(stored.statusCode).toBe(200);
    expect(stored.json().rows).toEqual(report.rows);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', report.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['case.import']);
  });

  it('is idempotent: the same file again, or the same rows as a GBK CSV, creates nothing', async () => {
    for (const [name, bytes] of [
      ['12345-export.xlsx', XLSX],
      ['12345-export.gbk.csv', GBK_CSV],
    ] as const) {
      const res = await upload(office, name, bytes);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ created: 0, updated: 0, unchanged: CREATED, rejected: REJECTED });
    }
    expect(await caseCount()).toBe(CREATED);
  });

  it('updates a case whose row changed, with a history row, and leaves its state alone', async () => {
    const before = await t.ctx.database.db
      .selectFrom('cases')
      .select(['id', 'state', 'version'])
      .where('external_no', '=', '2026022610001')
      .executeTakeFirstOrThrow();
    const changed = utf8Csv([
      '2026022610001,2026-02-26 08:12:40,市容环境,益津南路与迎宾道交口东侧垃圾桶满溢，已两天未清运。,益津南路与迎宾道交口,裕华街道,张女士,13831600001',
      '2026022610002,2026-02-26 09:05:03,交通秩序,霸州镇东大街早高峰车辆乱停，占用人行道，行人只能走机动车道。,东大街中段,霸州镇,李先生,13831600002',
    ]);
    const dry = await upload(office, 'changed.csv', changed, true);
    expect(dry.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    const res = await upload(office, 'changed.csv', changed);
    expect(res.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    const after = await t.ctx.database.db
      .selectFrom('cases')
      .select(['description', 'state', 'version'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(after.description).toBe('益津南路与迎宾道交口东侧垃圾桶满溢，已两天未清运。');
    expect(after.state).toBe(before.state);
    const history = await t.ctx.database.db
      .selectFrom('workflow_history')
      .select('action')
      .where('record_id', '=', before.id)
      .orderBy('at')
      .execute();
    expect(history.map((h) => h.action)).toContain('update');
    // Imported again: nothing more changes.
    expect((await upload(office, 'changed.csv', changed)).json()).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('names the missing headers, refuses unreadable and empty files', async () => {
    const wrong = Buffer.from('编号,内容\r\n1,垃圾桶满溢请清运\r\n', 'utf8');
    const res = await upload(office, 'wrong.csv', wrong);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CASE_IMPORT_HEADERS_MISSING');
    expect(res.json().error.message).toContain('工单编号');
    expect(res.json().missing).toEqual([
      '工单编号',
      '来电时间',
      '诉求类型',
      '诉求内容',
      '事发地址',
      '所属乡镇',
      '联系人',
      '联系电话',
    ]);
    expect(res.json().headers).toEqual(['编号', '内容']);

    const binary = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect((await upload(office, 'old.xls', binary)).json().error.code).toBe('IMPORT_FILE_INVALID');
    const brokenZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]);
    expect((await upload(office, 'broken.xlsx', brokenZip)).statusCode).toBe(400);
    const empty = await upload(office, 'empty.csv', utf8Csv([]));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('CASE_IMPORT_EMPTY');
    expect((await office.request('POST', '/api/case-imports', { file: 'x' })).statusCode).toBe(415);
  });

  it('saves the mapping: checked category codes; an unknown township may be left unrouted', async () => {
    const bad = await office.put('/api/case-imports/mapping', {
      ...DEFAULT_MAPPING,
      categoryValues: { 乱涂乱画: 'graffiti' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('categoryValues.乱涂乱画');
    const noOrder = await office.put('/api/case-imports/mapping', {
      ...DEFAULT_MAPPING,
      columns: { ...DEFAULT_MAPPING.columns, orderNo: ' ' },
    });
    expect(noOrder.statusCode).toBe(400);

    const saved = await office.put('/api/case-imports/mapping', {
      ...DEFAULT_MAPPING,
      columns: { ...DEFAULT_MAPPING.columns, createdAt: null },
      categoryValues: { 乱涂乱画: 'behaviour' },
      defaultCategory: null,
      unknownTownship: 'unrouted',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ unknownTownship: 'unrouted', updatedBy: expect.any(String) });
    const csv = utf8Csv([
      '2026022690001,,乱涂乱画,不存在镇某小区外墙被乱涂乱画，影响市容。,某小区,不存在镇,,',
      '2026022690002,,噪音扰民,没有默认类别时，映射表外的类型被拒绝。,某路,霸州镇,,',
    ]);
    const res = await upload(office, 'unrouted.csv', csv);
    expect(res.json()).toMatchObject({ created: 1, rejected: 1 });
    expect(res.json().rows[1].errors.map((e: { field: string }) => e.field)).toEqual(['category']);
    const c = await t.ctx.database.db
      .selectFrom('cases')
      .select(['area_unit_id', 'state', 'created_at'])
      .where('external_no', '=', '2026022690001')
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      area_unit_id: null,
      state: 'pending',
      created_at: t.clock.now().toISOString(),
    });
    expect((await office.put('/api/case-imports/mapping', DEFAULT_MAPPING)).statusCode).toBe(200);
  });

  it('reports in the caller’s language', async () => {
    office.lang = 'en-US';
    try {
      const res = await upload(office, '12345-export.xlsx', XLSX, true);
      const dup = res.json().rows.find((r: Row) => r.row === 13);
      expect(dup.errors[0].message).toBe('the same order number as row 3');
    } finally {
      office.lang = undefined;
    }
  });

  it('is for the office and working groups only', async () => {
    const wg = await signedIn(t.app, 'wg_member');
    expect((await wg.get('/api/case-imports')).statusCode).toBe(200);
    expect((await upload(wg, 'x.xlsx', XLSX, true)).statusCode).toBe(200);
    for (const username of ['liaison', 'leader', 'citizen']) {
      const c = await signedIn(t.app, username);
      expect((await c.get('/api/case-imports/mapping')).statusCode).toBe(403);
      expect((await upload(c, 'x.xlsx', XLSX, true)).statusCode).toBe(403);
    }
    expect((await office.get('/api/case-imports/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it(`imports ${MANY} rows in one file, every row on its own`, { timeout: 600_000 }, async () => {
    const townships = ['裕华街道', '霸州镇', '南孟镇', '信安镇', '堂二里镇', '煎茶铺镇'];
    const lines = Array.from({ length: MANY }, (_, i) => {
      const no = `2026030${String(i).padStart(6, '0')}`;
      const minute = String(i % 60).padStart(2, '0');
      const phone = `139${String(i).padStart(8, '0')}`;
      return `${no},2026-03-01 08:${minute}:00,市容环境,第 ${i} 号工单：小区门口垃圾堆放未清运。,某路 ${i} 号,${townships[i % townships.length]},市民${i},${phone}`;
    });
    const bytes = utf8Csv(lines);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const res = await upload(office, 'many.csv', bytes);
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: MANY, rejected: 0 });
    // written a window of rows at a time (sharing commits): one case each, reported in the file's order
    const report: { rows: { row: number; caseNo: string }[] } = res.json();
    expect(new Set(report.rows.map((r) => r.caseNo)).size).toBe(MANY);
    expect(report.rows.map((r) => r.row)).toEqual(Array.from({ length: MANY }, (_, i) => i + 2));
    // Wall time depends on what else the machine runs; the CPU time of this process is the steadier number.
    const seconds = (n: number) => (n / 1000).toFixed(1);
    console.log(
      `[hotline] ${ENGINE}: ${MANY} rows imported in ${seconds(ms)} s (CPU ${seconds((user + system) / 1000)} s)`,
    );
    const again = performance.now();
    expect((await upload(office, 'many.csv', bytes)).json()).toMatchObject({ created: 0, unchanged: MANY });
    console.log(
      `[hotline] ${ENGINE}: the same ${MANY} rows again in ${((performance.now() - again) / 1000).toFixed(1)} s`,
    );
  });
});
