/**
 * Half-year statistics and exports on the demo campaign, built by the real services (activation,
 * reports filed, submitted, accepted and returned through the ledger workflow): every number is
 * recomputed here with plain queries on the tables.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCampaign } from '../../apps/server/src/seed/demo-campaign.ts';
import { COLORS } from '../../packages/contracts/src/index.ts';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let campaignId = '';
let liaison: Client;
let office: Client;
let unit = '';

beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date('2026-11-22T02:00:00Z');
  const seeded = await seedDemoCampaign(t.ctx);
  if (!seeded) throw new Error('the demo campaign was not seeded');
  campaignId = seeded.campaignId;
  liaison = await signedIn(t.app, 'liaison');
  office = await signedIn(t.app, 'office_admin');
  const row = await t.ctx.database.db
    .selectFrom('users')
    .select('unit_id')
    .where('username', '=', 'liaison')
    .executeTakeFirstOrThrow();
  unit = row.unit_id ?? '';
});
afterAll(async () => {
  await t?.close();
});

/** The unit's instances overlapping 2026-H2 and the non-draft reports linked to them, read plainly. */
async function ledgerOf(unitId: string) {
  const db = t.ctx.database.db;
  const instances = await db
    .selectFrom('task_instances')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('unit_id', '=', unitId)
    .where('starts_on', '<=', '2026-12-31')
    .where('due_on', '>=', '2026-07-01')
    .execute();
  const items = await db
    .selectFrom('ledger_report_items as it')
    .innerJoin('ledger_reports as r', 'r.id', 'it.report_id')
    .select(['it.instance_id', 'r.id', 'r.state'])
    .where('r.campaign_id', '=', campaignId)
    .where('r.unit_id', '=', unitId)
    .where('r.state', '<>', 'draft')
    .execute();
  const links = await db
    .selectFrom('file_links')
    .innerJoin('files', 'files.id', 'file_links.file_id')
    .select(['file_links.record_id', 'files.id', 'files.sha256'])
    .where('record_type', '=', 'ledger_report')
    .execute();
  return { instances, items, links };
}

describe(`half-year report and exports on the demo campaign (${ENGINE})`, () => {
  it('pre-fills the liaison’s H2 report with the numbers the tables hold', async () => {
    const { instances, items, links } = await ledgerOf(unit);
    expect(instances.length).toBeGreaterThan(0);
    const ids = new Set(instances.map((i) => i.id));
    const reports = new Map(items.filter((x) => ids.has(x.instance_id)).map((x) => [x.id, x.state]));
    const accepted = [...reports].filter(([, s]) => s === 'accepted').map(([id]) => id);
    expect(reports.size).toBeGreaterThan(0);

    const res = await liaison.post(`/api/campaigns/${campaignId}/half-year`, { period: '2026-H2' });
    expect(res.statusCode).toBe(201);
    const stats = res.json().stats;
    expect(stats).toMatchObject({
      asOf: '2026-11-22',
      instances: instances.length,
      done: instances.filter((i) => i.done_on).length,
      byColor: Object.fromEntries(COLORS.map((c) => [c, instances.filter((i) => i.color === c).length])),
      reports: {
        accepted: accepted.length,
        returned: [...reports.values()].filter((s) => s === 'returned').length,
        pending: [...reports.values()].filter((s) => s !== 'accepted' && s !== 'returned').length,
      },
      evidence: new Set(links.filter((l) => accepted.includes(l.record_id)).map((l) => l.id)).size,
    });
    expect(stats.overdue.map((o: { instanceId: string }) => o.instanceId).sort()).toEqual(
      instances
        .filter((i) => !i.done_on && i.due_on < '2026-11-22')
        .map((i) => i.id)
        .sort(),
    );
  });

  it('exports the campaign’s ledger with one row per instance and non-draft report', async () => {
    const db = t.ctx.database.db;
    const all = await db
      .selectFrom('task_instances')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .execute();
    const pairs = await db
      .selectFrom('ledger_report_items as it')
      .innerJoin('ledger_reports as r', 'r.id', 'it.report_id')
      .select(['it.instance_id'])
      .where('r.campaign_id', '=', campaignId)
      .where('r.state', '<>', 'draft')
      .execute();
    const reported = new Set(pairs.map((p) => p.instance_id));
    const expected = all.filter((i) => !reported.has(i.id)).length + pairs.length;

    const res = await office.get(`/api/campaigns/${campaignId}/ledger.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].rowCount).toBe(1 + expected);
  });

  it('zips the liaison’s evidence: every entry’s bytes match the stored blob', async () => {
    const res = await liaison.get(`/api/campaigns/${campaignId}/units/${unit}/evidence.zip`);
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const { items, links } = await ledgerOf(unit);
    const all = await t.ctx.database.db
      .selectFrom('ledger_report_items as it')
      .innerJoin('ledger_reports as r', 'r.id', 'it.report_id')
      .select(['it.instance_id', 'r.id'])
      .where('r.campaign_id', '=', campaignId)
      .where('r.unit_id', '=', unit)
      .where('r.state', '<>', 'draft')
      .execute();
    const expected = all.reduce((n, x) => n + links.filter((l) => l.record_id === x.id).length, 0);
    const entries = Object.values(zip.files).filter((e) => !e.dir && !e.name.endsWith('/index.csv'));
    expect(entries).toHaveLength(expected);
    expect(expected).toBeGreaterThan(0);
    expect(items.length).toBeGreaterThan(0);
    const hashes = new Set(links.map((l) => l.sha256));
    for (const e of entries) {
      const sha = createHash('sha256')
        .update(await e.async('nodebuffer'))
        .digest('hex');
      expect(hashes.has(sha), e.name).toBe(true);
    }
  });
});
