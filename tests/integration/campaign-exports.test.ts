/**
 * Exports of a campaign's ledger (issue #4 item 9): the Excel ledger (one row per instance and report,
 * colours, reasons, evidence links, per-unit totals) and a unit's evidence ZIP with index.csv; scope.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/db/ids.ts';
import { COLOR_FILL } from '../../apps/server/src/modules/campaigns/exports/ledger-xlsx.ts';
import { colorReasonText } from '../../packages/contracts/src/index.ts';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import {
  type FixtureInstance,
  type FixtureReport,
  type LedgerFixture,
  seedLedger,
} from '../helpers/campaign-ledger.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let f: LedgerFixture;
let office: Client;
let liaison: Client;
let town: Client;

beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date('2026-07-10T02:00:00.000Z');
  f = await seedLedger(t);
  office = f.office;
  liaison = f.liaison;
  town = await signedIn(t.app, 'liaison_town');
});
afterAll(async () => {
  await t?.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The export audit rows: action, who, and what they took (`after`). */
async function exportsAudited() {
  const rows = await t.ctx.database.db
    .selectFrom('audit_log')
    .select(['action', 'actor_name', 'entity_id', 'after_json'])
    .where('action', 'in', ['campaign.ledger_export', 'campaign.evidence_export'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, after: JSON.parse(r.after_json ?? 'null') }));
}

async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** Rows the ledger must have for these units: an instance without (non-draft) reports once, else once per report. */
function expectedRows(unitIds: string[]): { i: FixtureInstance; r: FixtureReport | null }[] {
  return f.instances
    .filter((i) => unitIds.includes(i.unitId))
    .flatMap((i) => {
      const reports = f.reports.filter((r) => r.state !== 'draft' && r.instances.includes(i.id));
      return reports.length
        ? reports.map((r): { i: FixtureInstance; r: FixtureReport | null } => ({ i, r }))
        : [{ i, r: null }];
    });
}

function cellText(v: ExcelJS.CellValue): string {
  return v === null || v === undefined ? '' : String(v);
}

describe(`campaign exports on ${ENGINE}`, () => {
  it('exports the whole campaign’s ledger to the office: rows, colours, reasons, links, totals', async () => {
    const res = await office.get(`/api/campaigns/${f.campaignId}/ledger.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = await workbook(res.rawPayload);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('台账');
    const expected = expectedRows([f.unitA.id, f.unitB.id]);
    expect(expected).toHaveLength(6);
    expect(ws.rowCount).toBe(1 + expected.length);
    expect(ws.getRow(1).getCell(10).value).toBe('状态说明');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:R1');

    const got = [];
    for (let n = 2; n <= ws.rowCount; n++) {
      const row = ws.getRow(n);
      got.push({
        task: cellText(row.getCell(3).value),
        unit: cellText(row.getCell(4).value),
        cycle: cellText(row.getCell(6).value),
        colour: cellText(row.getCell(9).value),
        fill: (row.getCell(9).fill as ExcelJS.FillPattern).fgColor?.argb,
        reason: cellText(row.getCell(10).value),
        report: cellText(row.getCell(13).value),
        links: cellText(row.getCell(18).value),
      });
    }
    const key = (x: { unit: string; cycle: string; report: string }) => `${x.unit}|${x.cycle}|${x.report}`;
    const want = expected.map(({ i, r }) => ({
      task: f.tasks.find((task) => task.id === i.taskId)?.title ?? '',
      unit: i.unitId === f.unitA.id ? f.unitA.name : f.unitB.name,
      cycle: i.cycle,
      colour: { green: '绿', blue: '蓝', yellow: '黄', red: '红' }[i.color],
      fill: COLOR_FILL[i.color].fill,
      reason: colorReasonText(i.color, i.reason, 'zh-CN'),
      report: r?.id ?? '',
      links: (r?.files ?? []).map((x) => `http://localhost:80/api/files/${x.id}/content`).join('\n'),
    }));
    expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...want].sort((a, b) => key(a).localeCompare(key(b))),
    );
    expect(got.find((g) => g.cycle === '2026-Q2')?.reason).toBe(
      '红：截止2026-06-30，已逾期7个工作日，仅完成30%',
    );

    const totals = wb.worksheets[1];
    expect(totals.name).toBe('单位汇总');
    const byUnit = new Map<string, (string | number)[]>();
    for (let n = 2; n <= totals.rowCount; n++) {
      const v = (totals.getRow(n).values as ExcelJS.CellValue[]).slice(1) as (string | number)[];
      byUnit.set(String(v[0]), v);
    }
    // unit, instances, done, done %, green, blue, yellow, orange, red, reports, accepted, evidence
    expect(byUnit.get(f.unitA.name)).toEqual([f.unitA.name, 4, 1, 25, 1, 1, 1, 0, 1, 3, 1, 4]);
    expect(byUnit.get(f.unitB.name)).toEqual([f.unitB.name, 1, 1, 100, 1, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('writes the headers and reasons in English for an English reader', async () => {
    office.lang = 'en-US';
    const res = await office.get(`/api/campaigns/${f.campaignId}/ledger.xlsx?unitId=${f.unitB.id}`);
    office.lang = undefined;
    const ws = (await workbook(res.rawPayload)).worksheets[0];
    expect(ws.name).toBe('Ledger');
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(10).value).toBe('Green: completed on 2026-05-10');
  });

  it('gives a liaison their own unit only, and 404 for another unit or a campaign they do not see', async () => {
    const audited = (await exportsAudited()).length;
    const own = await liaison.get(`/api/campaigns/${f.campaignId}/ledger.xlsx`);
    expect(own.statusCode).toBe(200);
    // each export is audited: who took which campaign's ledger, for which unit
    const [ownAudit] = (await exportsAudited()).slice(audited);
    expect(ownAudit).toMatchObject({
      action: 'campaign.ledger_export',
      entity_id: f.campaignId,
      after: { unitId: f.unitA.id },
    });
    const ws = (await workbook(own.rawPayload)).worksheets[0];
    expect(ws.rowCount).toBe(1 + expectedRows([f.unitA.id]).length);
    for (let n = 2; n <= ws.rowCount; n++) expect(ws.getRow(n).getCell(4).value).toBe(f.unitA.name);

    const other = await liaison.get(`/api/campaigns/${f.campaignId}/ledger.xlsx?unitId=${f.unitB.id}`);
    expect(other.statusCode).toBe(404);
    const zip = await liaison.get(`/api/campaigns/${f.campaignId}/units/${f.unitB.id}/evidence.zip`);
    expect(zip.statusCode).toBe(404);
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await office.get(`/api/campaigns/${unknown}/ledger.xlsx`)).statusCode).toBe(404);
    expect(
      (await office.get(`/api/campaigns/${f.campaignId}/units/${unknown}/evidence.zip`)).statusCode,
    ).toBe(404);
    expect((await office.get(`/api/campaigns/${f.campaignId}/ledger.xlsx?unitId=nope`)).statusCode).toBe(400);
    // 裕华街道's liaison: the campaign is visible (townships are responsible), the health bureau is not theirs.
    expect(
      (await town.get(`/api/campaigns/${f.campaignId}/ledger.xlsx?unitId=${f.unitA.id}`)).statusCode,
    ).toBe(404);
    // refused exports leave no audit row
    expect((await exportsAudited()).length).toBe(audited + 1);
  });

  it('zips a unit’s evidence in folders per activity/task/cycle with an index whose hashes match the blobs', async () => {
    const res = await liaison.get(`/api/campaigns/${f.campaignId}/units/${f.unitA.id}/evidence.zip`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect((await exportsAudited()).at(-1)).toMatchObject({
      action: 'campaign.evidence_export',
      entity_id: f.campaignId,
      after: { unitId: f.unitA.id, files: expect.any(Number) },
    });
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const root = names[0].split('/')[0];
    expect(root).toBe(`${f.campaignName}_${f.unitA.name}`);
    const index = ((await zip.file(`${root}/index.csv`)?.async('string')) ?? '').replace(/^\uFEFF/, '');
    const lines = index.trim().split('\r\n');
    expect(lines[0]).toBe('file,report,task,state,sha256');

    // Each non-draft report's files, once per instance (task and cycle) it counts toward.
    const want = f.reports
      .filter((r) => r.unitId === f.unitA.id && r.state !== 'draft')
      .flatMap((r) =>
        r.instances.flatMap((id) => {
          const i = f.instances.find((x) => x.id === id);
          return r.files.map((file) => ({ r, i, file }));
        }),
      );
    expect(names).toHaveLength(want.length + 1);
    expect(lines).toHaveLength(want.length + 1);

    const parse = (line: string) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
        .slice(0, 5)
        .map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
    for (const line of lines.slice(1)) {
      const [file, report, task, state, hash] = parse(line);
      const entry = zip.file(`${root}/${file}`);
      expect(entry, file).not.toBeNull();
      const bytes = await entry?.async('nodebuffer');
      expect(sha(bytes as Buffer)).toBe(hash);
      const r = f.reports.find((x) => x.id === report);
      expect(r?.state).toBe(state);
      const original = r?.files.find((x) => sha(x.bytes) === hash);
      expect(original, file).toBeDefined();
      const day = new Date(new Date(r?.submittedAt ?? '').getTime() + 8 * 3600_000)
        .toISOString()
        .slice(0, 10);
      expect(file.split('/').pop()).toMatch(new RegExp(`^${day}_`));
      expect(f.tasks.map((x) => x.title)).toContain(task);
    }
    const q2 = names.filter((n) => n.includes('/2026-Q2/'));
    expect(q2.map((n) => n.split('/').pop()).sort()).toEqual([
      '2026-06-20_现场照片.jpg',
      '2026-07-02_补充,说明.pdf',
    ]);
    expect(names.some((n) => n.includes('草稿'))).toBe(false);
    expect(index).toContain('_补充,说明.pdf",');
  });

  it('lets the office download any unit’s evidence', async () => {
    const res = await office.get(`/api/campaigns/${f.campaignId}/units/${f.unitB.id}/evidence.zip`);
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    expect(names).toHaveLength(2);
    const photo = names.find((n) => n.endsWith('.jpg')) ?? '';
    expect(sha((await zip.file(photo)?.async('nodebuffer')) as Buffer)).toBe(
      sha(f.reports[4].files[0].bytes),
    );
  });

  it('streams a ledger larger than one read chunk: every instance once, in order', async () => {
    const db = t.ctx.database.db;
    const base = f.instances.find((i) => i.key === 'B-once');
    if (!base) throw new Error('fixture instance missing');
    const extra = Array.from({ length: 1100 }, (_, n) => ({
      id: uuidv7(),
      campaign_id: f.campaignId,
      task_id: base.taskId,
      activity_id: f.tasks[1].activityId,
      unit_id: f.unitB.id,
      role: 'lead',
      cycle: `X${String(n).padStart(4, '0')}`,
      starts_on: '2026-01-01',
      due_on: '2026-12-31',
      color: 'blue',
      color_reason: JSON.stringify({
        code: 'in_progress',
        params: { due: '2026-12-31', progress: 0, expected: 50 },
      }),
      color_at: '2026-01-01T00:00:00.000Z',
      progress: 0,
      amounts: '[0]',
      accepted_reports: 0,
      pending_reports: 0,
      returned_at: null,
      done_on: null,
      version: 1,
    }));
    for (let k = 0; k < extra.length; k += 200) {
      await db
        .insertInto('task_instances')
        .values(extra.slice(k, k + 200))
        .execute();
    }
    const res = await office.get(`/api/campaigns/${f.campaignId}/ledger.xlsx?unitId=${f.unitB.id}`);
    expect(res.statusCode).toBe(200);
    const ws = (await workbook(res.rawPayload)).worksheets[0];
    expect(ws.rowCount).toBe(1 + 1 + extra.length);
    const cycles: string[] = [];
    for (let n = 2; n <= ws.rowCount; n++) cycles.push(cellText(ws.getRow(n).getCell(6).value));
    expect(new Set(cycles).size).toBe(cycles.length);
    expect(cycles.filter((c) => c.startsWith('X'))).toEqual(extra.map((e) => e.cycle));
    expect(ws.getRow(3).getCell(10).value).toBe('蓝：截止2026-12-31，完成0%，按时间应达50%');
  });
});
