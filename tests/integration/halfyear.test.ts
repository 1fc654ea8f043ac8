/**
 * Half-year reports (issue #4 item 8): opened pre-filled with the unit's ledger statistics, edited,
 * submitted, returned with a reason, resubmitted, accepted; the refusals; the compiled Word document.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLORS } from '../../packages/contracts/src/index.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { type LedgerFixture, seedLedger } from '../helpers/campaign-ledger.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let f: LedgerFixture;
let office: Client;
let liaison: Client;
let head: Client;

beforeAll(async () => {
  t = await makeTestApp();
  // 10 July 2026 (Shanghai): the second half has begun, so 2026-H1 and 2026-H2 are open.
  t.clock.current = new Date('2026-07-10T02:00:00.000Z');
  f = await seedLedger(t);
  office = f.office;
  liaison = f.liaison;
  head = await signedIn(t.app, 'unit_head');
});
afterAll(async () => {
  await t?.close();
});

const rows = async (table: 'half_year_reports' | 'workflow_history') =>
  Number(
    (
      await t.ctx.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );

/** The statistics of unit A over 2026-H1 as of 2026-07-10, computed from the fixture alone. */
function expectedStats(unitId: string, from: string, to: string, asOf: string) {
  const inPeriod = f.instances.filter((i) => i.unitId === unitId && i.startsOn <= to && i.dueOn >= from);
  const ids = new Set(inPeriod.map((i) => i.id));
  const reports = f.reports.filter((r) => r.state !== 'draft' && r.instances.some((id) => ids.has(id)));
  const accepted = reports.filter((r) => r.state === 'accepted');
  const byColor = Object.fromEntries(COLORS.map((c) => [c, inPeriod.filter((i) => i.color === c).length]));
  return {
    instances: inPeriod.length,
    done: inPeriod.filter((i) => i.doneOn).length,
    byColor,
    reports: {
      accepted: accepted.length,
      pending: reports.filter((r) => r.state === 'submitted').length,
      returned: reports.filter((r) => r.state === 'returned').length,
    },
    evidence: new Set(accepted.flatMap((r) => r.files.map((x) => x.id))).size,
    overdue: inPeriod
      .filter((i) => !i.doneOn && i.dueOn < asOf)
      .map((i) => ({ instanceId: i.id, reason: i.reason })),
    tasks: f.tasks
      .filter((task) => inPeriod.some((i) => i.taskId === task.id))
      .map((task) => {
        const mine = inPeriod.filter((i) => i.taskId === task.id);
        return {
          taskId: task.id,
          instances: mine.length,
          done: mine.filter((i) => i.doneOn).length,
          targets: task.targets.map((x, k) => ({
            label: x.label,
            measure: x.measure,
            target: x.quantity * mine.length,
            amount: mine.reduce((s, i) => s + (i.amounts[k] ?? 0), 0),
          })),
        };
      }),
  };
}

describe(`half-year reports on ${ENGINE}`, () => {
  let reportId = '';
  let version = 0;
  let reportB = '';

  it('lists the open periods and every responsible unit with its colours for the office', async () => {
    const res = await office.get(`/api/campaigns/${f.campaignId}/half-year?period=2026-H1`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.periods).toEqual(['2026-H2', '2026-H1']);
    expect(body.period).toBe('2026-H1');
    const a = body.units.find((u: { unit: { id: string } }) => u.unit.id === f.unitA.id);
    const exp = expectedStats(f.unitA.id, '2026-01-01', '2026-06-30', '2026-07-10');
    expect(a).toMatchObject({ instances: exp.instances, done: exp.done, byColor: exp.byColor, report: null });
    expect(body.units.length).toBeGreaterThan(2);

    const mine = await liaison.get(`/api/campaigns/${f.campaignId}/half-year`);
    expect(mine.json().period).toBe('2026-H2');
    expect(mine.json().units.map((u: { unit: { id: string } }) => u.unit.id)).toEqual([f.unitA.id]);
  });

  it('opens the liaison’s report pre-filled with statistics equal to the ledger’s, and a drafted 进展成效', async () => {
    const before = await auditCount(t);
    const res = await liaison.post(`/api/campaigns/${f.campaignId}/half-year`, { period: '2026-H1' });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    reportId = r.id;
    version = r.version;
    expect(r).toMatchObject({
      state: 'draft',
      unit: f.unitA,
      period: '2026-H1',
      practices: '',
      editable: true,
    });
    const exp = expectedStats(f.unitA.id, '2026-01-01', '2026-06-30', '2026-07-10');
    expect(r.stats).toMatchObject({
      period: '2026-H1',
      asOf: '2026-07-10',
      instances: exp.instances,
      done: exp.done,
      byColor: exp.byColor,
      reports: exp.reports,
      evidence: exp.evidence,
    });
    expect(exp).toMatchObject({ instances: 3, done: 1, evidence: 2 });
    expect(r.stats.overdue).toEqual(exp.overdue.map((o) => expect.objectContaining(o)));
    expect(r.stats.tasks).toEqual(exp.tasks.map((x) => expect.objectContaining(x)));
    expect(r.progressText).toContain(
      `2026年上半年，${f.unitA.name}承担“${f.campaignName}”任务3项，已完成1项`,
    );
    expect(r.progressText).toContain('先进集体13个（目标20个）');
    expect(r.progressText).toContain('逾期未完成1项');
    expect(r.allowedActions).toEqual(['submit']);
    expect(await auditCount(t)).toBeGreaterThan(before);
  });

  it('refuses a second report for the same unit and period, a unit outside the scope, bad periods', async () => {
    const [reports, audits] = [await rows('half_year_reports'), await auditCount(t)];
    const again = await liaison.post(`/api/campaigns/${f.campaignId}/half-year`, { period: '2026-H1' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('HALF_YEAR_DUPLICATE');

    const other = await liaison.post(`/api/campaigns/${f.campaignId}/half-year`, {
      period: '2026-H1',
      unitId: f.unitB.id,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields).toEqual([{ field: 'unitId', message: expect.any(String) }]);

    for (const [period, code] of [
      ['2027-H1', 'HALF_YEAR_PERIOD_FUTURE'],
      ['2025-H2', 'HALF_YEAR_PERIOD_OUTSIDE'],
    ] as const) {
      const res = await office.post(`/api/campaigns/${f.campaignId}/half-year`, {
        period,
        unitId: f.unitB.id,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[0].field).toBe('period');
      liaison.lang = 'en-US';
      const en = await liaison.post(`/api/campaigns/${f.campaignId}/half-year`, { period });
      liaison.lang = undefined;
      expect(en.json().error.fields[0].message).toBe(
        code === 'HALF_YEAR_PERIOD_FUTURE' ? 'has not begun yet' : 'is outside the campaign’s dates',
      );
    }
    const bad = await office.post(`/api/campaigns/${f.campaignId}/half-year`, { period: '2026-H3' });
    expect(bad.statusCode).toBe(400);
    expect(await rows('half_year_reports')).toBe(reports);
    expect(await auditCount(t)).toBe(audits);
  });

  it('refuses to open a report while the campaign is not active', async () => {
    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ status: 'closed' })
      .where('id', '=', f.campaignId)
      .execute();
    const res = await office.post(`/api/campaigns/${f.campaignId}/half-year`, {
      period: '2026-H1',
      unitId: f.unitB.id,
    });
    await t.ctx.database.db
      .updateTable('campaigns')
      .set({ status: 'active' })
      .where('id', '=', f.campaignId)
      .execute();
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('HALF_YEAR_CAMPAIGN_NOT_ACTIVE');
  });

  it('refuses to submit while a section is empty, naming each empty field', async () => {
    const res = await liaison.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'submit',
      version,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((x: { field: string }) => x.field)).toEqual([
      'practices',
      'problems',
      'plans',
    ]);
  });

  it('saves the sections (stale versions and over-long text refused)', async () => {
    const long = await liaison.put(`/api/half-year-reports/${reportId}`, {
      version,
      practices: '长'.repeat(5001),
    });
    expect(long.statusCode).toBe(400);
    const ok = await liaison.put(`/api/half-year-reports/${reportId}`, {
      version,
      practices: '建立周调度机制。\n\n每月通报进度。',
      problems: '部分任务进度滞后。',
      plans: '下半年加强督导。',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      practices: '建立周调度机制。\n\n每月通报进度。',
      version: version + 1,
    });
    const stale = await liaison.put(`/api/half-year-reports/${reportId}`, { version, plans: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    version = ok.json().version;
  });

  it('runs the loop: submit → return (reason required) → edit → resubmit → accept, with a timeline', async () => {
    const sub = await liaison.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'submit',
      version,
    });
    expect(sub.statusCode).toBe(200);
    expect(sub.json()).toMatchObject({ state: 'submitted', editable: false });
    expect(sub.json().submittedAt).toBe('2026-07-10T02:00:00.000Z');
    version = sub.json().version;

    const locked = await liaison.put(`/api/half-year-reports/${reportId}`, { version, plans: 'x' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('HALF_YEAR_NOT_EDITABLE');
    const own = await head.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'accept',
      version,
    });
    expect(own.statusCode).toBe(403);

    const bare = await office.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'return',
      version,
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.fields[0].field).toBe('note');
    const blank = await office.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'return',
      version,
      note: '   ',
    });
    expect(blank.statusCode).toBe(400);

    const ret = await office.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'return',
      version,
      note: '请补充逾期任务的原因',
    });
    expect(ret.statusCode).toBe(200);
    expect(ret.json()).toMatchObject({
      state: 'returned',
      returnReason: '请补充逾期任务的原因',
    });
    version = ret.json().version;

    const mine = await liaison.get(`/api/half-year-reports/${reportId}`);
    expect(mine.json()).toMatchObject({ state: 'returned', editable: true, allowedActions: ['submit'] });
    const edited = await liaison.put(`/api/half-year-reports/${reportId}`, {
      version,
      problems: '二季度评选任务逾期，原因是评选标准调整。',
    });
    expect(edited.statusCode).toBe(200);
    version = edited.json().version;
    const again = await liaison.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'submit',
      version,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().returnReason).toBeNull();
    version = again.json().version;

    const acc = await office.post(`/api/half-year-reports/${reportId}/transitions`, {
      action: 'accept',
      version,
    });
    expect(acc.statusCode).toBe(200);
    expect(acc.json()).toMatchObject({ state: 'accepted', allowedActions: [] });

    const tl = await liaison.get(`/api/half-year-reports/${reportId}/timeline`);
    expect(tl.json().map((e: { action: string; to: string }) => `${e.action}:${e.to}`)).toEqual([
      'create:draft',
      'submit:submitted',
      'return:returned',
      'submit:submitted',
      'accept:accepted',
    ]);
    expect(tl.json()[2].note).toBe('请补充逾期任务的原因');
  });

  it('lets the office open a report for another unit; the liaison cannot see it', async () => {
    const res = await office.post(`/api/campaigns/${f.campaignId}/half-year`, {
      period: '2026-H1',
      unitId: f.unitB.id,
    });
    expect(res.statusCode).toBe(201);
    reportB = res.json().id;
    const exp = expectedStats(f.unitB.id, '2026-01-01', '2026-06-30', '2026-07-10');
    expect(res.json().stats).toMatchObject({
      instances: exp.instances,
      done: exp.done,
      evidence: exp.evidence,
    });
    const put = await office.put(`/api/half-year-reports/${reportB}`, {
      version: res.json().version,
      practices: '宣传部门经验做法',
      problems: '宣传部门存在问题',
      plans: '宣传部门下步打算',
    });
    const sub = await office.post(`/api/half-year-reports/${reportB}/transitions`, {
      action: 'submit',
      version: put.json().version,
    });
    expect(sub.statusCode).toBe(200);
    expect((await liaison.get(`/api/half-year-reports/${reportB}`)).statusCode).toBe(404);
    expect((await liaison.get(`/api/half-year-reports/${reportB}/timeline`)).statusCode).toBe(404);
    const act = await liaison.post(`/api/half-year-reports/${reportB}/transitions`, {
      action: 'accept',
      version: 3,
    });
    expect(act.statusCode).toBe(404);
  });

  it('compiles a Word document: summary of every unit, the accepted report, the submitted one marked', async () => {
    const denied = await liaison.get(`/api/campaigns/${f.campaignId}/half-year/2026-H1/compilation.docx`);
    expect(denied.statusCode).toBe(403);
    const res = await office.get(`/api/campaigns/${f.campaignId}/half-year/2026-H1/compilation.docx`);
    expect(res.statusCode).toBe(200);
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'half_year.compilation_export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_id: f.campaignId });
    expect(JSON.parse(audit[0]?.after_json ?? '{}')).toMatchObject({ period: '2026-H1' });
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(res.headers['content-disposition']).toContain('attachment');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain(`${f.campaignName}2026年上半年工作报告汇编`);
    expect(text).toContain('一、各单位完成情况汇总');
    expect(text).toContain(f.unitA.name);
    expect(text).toContain('建立周调度机制。');
    expect(text).toContain('每月通报进度。');
    expect(text).toContain('二季度评选任务逾期，原因是评选标准调整。');
    expect(text).toContain(`${f.unitB.name}（已提交，未审核）`);
    expect(text).toContain('宣传部门下步打算');
    expect(text.indexOf(f.unitA.name)).toBeLessThan(text.indexOf('二、各单位报告'));
    // The second unit's report starts on a new page.
    expect(xml.split('<w:br w:type="page"/>')).toHaveLength(2);
  });

  it('answers 404 for unknown campaigns and reports, 400 for a malformed period', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await office.get(`/api/campaigns/${unknown}/half-year`)).statusCode).toBe(404);
    expect((await office.get(`/api/half-year-reports/${unknown}`)).statusCode).toBe(404);
    expect(
      (await office.get(`/api/campaigns/${f.campaignId}/half-year/2026-H9/compilation.docx`)).statusCode,
    ).toBe(400);
    expect((await office.get(`/api/campaigns/${f.campaignId}/half-year?period=2030-H1`)).statusCode).toBe(
      400,
    );
    expect(await rows('workflow_history')).toBeGreaterThan(0);
  });

  it('opens one report when two requests for the same unit and period race', async () => {
    const before = await rows('half_year_reports');
    const body = { period: '2026-H2', unitId: f.unitB.id };
    const answers = await Promise.all([
      office.post(`/api/campaigns/${f.campaignId}/half-year`, body),
      office.post(`/api/campaigns/${f.campaignId}/half-year`, body),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(await rows('half_year_reports')).toBe(before + 1);
  });
});
