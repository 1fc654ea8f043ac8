/**
 * The demo campaign `npm start` seeds (issue #4 item 10): seed 001 moved to now, activated, with reports
 * from several units — a live mix of colours, one reused photo flagged, one report counting twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCampaign } from '../../apps/server/src/seed/demo-campaign.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date('2026-11-22T02:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

describe(`demo campaign on ${ENGINE}`, () => {
  it('imports seed 001 moved to now and fills a live mix of colours', async () => {
    const seeded = await seedDemoCampaign(t.ctx);
    expect(seeded).not.toBeNull();
    const db = t.ctx.database.db;
    const c = await db.selectFrom('campaigns').selectAll().executeTakeFirstOrThrow();
    expect([c.status, c.year, c.starts_on, c.ends_on]).toEqual(['active', 2026, '2026-09-01', '2026-12-31']);
    const phases = await db
      .selectFrom('campaign_phases')
      .select(['starts_on', 'ends_on'])
      .orderBy('seq')
      .execute();
    expect(phases).toEqual([
      { starts_on: '2026-09-01', ends_on: '2026-09-30' },
      { starts_on: '2026-09-01', ends_on: '2026-12-31' },
      { starts_on: '2027-01-01', ends_on: null },
    ]);

    const colors = await db
      .selectFrom('task_instances')
      .select(['color', (eb) => eb.fn.countAll().as('n')])
      .groupBy('color')
      .execute();
    const byColor = Object.fromEntries(colors.map((r) => [r.color, Number(r.n)]));
    for (const color of ['green', 'blue', 'yellow', 'red']) expect(byColor[color] ?? 0).toBeGreaterThan(0);
    expect(Object.values(byColor).reduce((a, b) => a + b, 0)).toBe(seeded?.instances);

    const reports = await db
      .selectFrom('ledger_reports')
      .select(['state', 'similar_flags', 'unit_id'])
      .execute();
    expect(reports).toHaveLength(seeded?.reports ?? -1);
    expect(new Set(reports.map((r) => r.unit_id)).size).toBe(3);
    expect(new Set(reports.map((r) => r.state))).toEqual(new Set(['accepted', 'submitted', 'returned']));
    expect(reports.filter((r) => Number(r.similar_flags) > 0)).toHaveLength(1);
    const twice = await db
      .selectFrom('ledger_report_items')
      .select(['report_id', (eb) => eb.fn.countAll().as('n')])
      .groupBy('report_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(twice).toHaveLength(1);
  });

  it('does nothing when a campaign exists', async () => {
    expect(await seedDemoCampaign(t.ctx)).toBeNull();
  });
});
