/**
 * 诉求统计 and 通报 (issue #5): per-unit and per-category figures on cases written straight into the
 * database (tests/helpers/case-stats-rows.ts), so every number below is worked out by hand; scope per role;
 * the circular's .docx read back.
 *
 * Period 2026-03-01 … 2026-03-31. Units: H 市卫生健康局, Y 裕华街道, V a village of Y, B 霸州镇.
 * | case | first | now held | state      | answer deadline(s)                    | ratings (unit)  | hours d→a |
 * | c1   | H     | H        | closed     | met on time (+ a late *sign*: ignored) | 5 (H)           | 24        |
 * | c2   | H     | H        | closed, 1 redo | answer late, redo on time          | 2, 4 (H)        | 72        |
 * | c3   | H     | Y        | processing | H's cancelled; Y's open, due 03-20     | —               | —         |
 * | c4 N | Y     | Y        | rating     | met on time                           | —               | 24        |
 * | c5   | V     | V        | dispatched | open, due 04-10 (not judged)          | —               | —         |
 * | c6 talk | B  | B        | closed     | met 7 working days late               | 3 (B)           | 360       |
 * | c7   | H (February: outside the period)                                                               |
 * | c8   | —     | —        | pending    |                                       |                 |           |
 * | c9 hidden | H | H       | closed     | met on time                           | 4 (H)           | 6         |
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { type CaseStatsFixture, NOW, seedCaseStats } from '../helpers/case-stats-rows.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let fx: CaseStatsFixture;
let office: Client;
let town: Client;
let liaison: Client;

const PERIOD = 'from=2026-03-01&to=2026-03-31';

beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date(NOW);
  fx = await seedCaseStats(t);
  office = await signedIn(t.app, 'office_admin');
  town = await signedIn(t.app, 'liaison_town');
  liaison = await signedIn(t.app, 'liaison');
});
afterAll(async () => {
  await t?.close();
});

type Row = Record<string, unknown>;
const byUnit = (items: Row[]) => new Map(items.map((r) => [r.unitId as string, r]));

describe(`case statistics on ${ENGINE}`, () => {
  it('counts per unit: received, transferred, held, on time, overdue, resolution, answer time, satisfaction', async () => {
    const res = await office.get(`/api/cases/stats/units?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.period).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    const rows = byUnit(body.items);
    expect([...rows.keys()].sort()).toEqual([fx.unit.H, fx.unit.Y, fx.unit.V, fx.unit.B].sort());
    expect(body.items[0].unitId).toBe(fx.unit.H);
    expect(body.items[1].unitId).toBe(fx.unit.Y);
    expect(rows.get(fx.unit.H)).toMatchObject({
      unitName: '市卫生健康局',
      received: 4,
      transferred: 1,
      held: 3,
      answered: 3,
      closed: 3,
      reopened: 1,
      onTime: 3,
      late: 1,
      overdue: 0,
      onTimeRate: 75,
      resolutionRate: 100,
      avgAnswerHours: 34,
      ratings: 4,
      avgScore: 3.75,
      satisfiedRate: 75,
    });
    expect(rows.get(fx.unit.Y)).toMatchObject({
      received: 1,
      transferred: 0,
      held: 2,
      answered: 1,
      closed: 0,
      onTime: 1,
      late: 0,
      overdue: 1,
      onTimeRate: 50,
      resolutionRate: 0,
      avgAnswerHours: 24,
      ratings: 0,
      avgScore: null,
      satisfiedRate: null,
    });
    expect(rows.get(fx.unit.V)).toMatchObject({
      received: 1,
      held: 1,
      onTimeRate: null,
      avgAnswerHours: null,
    });
    expect(rows.get(fx.unit.B)).toMatchObject({
      received: 1,
      held: 1,
      closed: 1,
      onTime: 0,
      late: 1,
      onTimeRate: 0,
      avgAnswerHours: 360,
      avgScore: 3,
      satisfiedRate: 100,
    });
    // Totals from the summed counts: 4/7 on time, 4 closed of 7 held, 486 h / 5 answers, 18 / 5 points.
    expect(body.totals).toMatchObject({
      received: 7,
      transferred: 1,
      held: 7,
      answered: 5,
      closed: 4,
      onTime: 4,
      late: 2,
      overdue: 1,
      onTimeRate: 57.1,
      resolutionRate: 57.1,
      avgAnswerHours: 97.2,
      ratings: 5,
      avgScore: 3.6,
      satisfiedRate: 80,
    });
  });

  it('filters by category and kind, and by period', async () => {
    const n = (await office.get(`/api/cases/stats/units?${PERIOD}&categoryId=${fx.cat.N}`)).json();
    expect(n.items.map((r: Row) => [r.unitId, r.received, r.held])).toEqual([[fx.unit.Y, 1, 1]]);
    const talk = (await office.get(`/api/cases/stats/units?${PERIOD}&kind=talk`)).json();
    expect(talk.items.map((r: Row) => r.unitId)).toEqual([fx.unit.B]);
    // February holds c7 only.
    const feb = (await office.get('/api/cases/stats/units?from=2026-02-01&to=2026-02-28')).json();
    expect(feb.items.map((r: Row) => [r.unitId, r.received, r.closed])).toEqual([[fx.unit.H, 1, 1]]);
  });

  it('counts per category, with the office queue in the totals', async () => {
    const res = await office.get(`/api/cases/stats/categories?${PERIOD}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const rows = new Map(body.items.map((r: Row) => [r.categoryId, r]));
    expect(rows.get(fx.cat.A)).toMatchObject({
      name: '测试公开类',
      received: 7,
      closed: 4,
      resolutionRate: 57.1,
      onTime: 3,
      late: 2,
      overdue: 1,
      onTimeRate: 50,
      ratings: 5,
      avgScore: 3.6,
    });
    expect(rows.get(fx.cat.N)).toMatchObject({ received: 1, onTimeRate: 100, ratings: 0 });
    expect(body.totals).toMatchObject({ received: 8, closed: 4 });
    const en = await signedIn(t.app, 'office_admin');
    en.lang = 'en-US';
    expect((await en.get(`/api/cases/stats/categories?${PERIOD}`)).json().items[0].name).toBe('Test public');
  });

  it('keeps to the data scope: a township sees its subtree, a unit itself', async () => {
    const sub = (await town.get(`/api/cases/stats/units?${PERIOD}`)).json();
    expect(sub.items.map((r: Row) => r.unitId).sort()).toEqual([fx.unit.Y, fx.unit.V].sort());
    expect(byUnit(sub.items).get(fx.unit.Y)).toMatchObject({ held: 2, overdue: 1, onTimeRate: 50 });
    expect(sub.totals).toMatchObject({ received: 2, held: 3 });
    const own = (await liaison.get(`/api/cases/stats/units?${PERIOD}`)).json();
    expect(own.items.map((r: Row) => r.unitId)).toEqual([fx.unit.H]);
    const cats = (await town.get(`/api/cases/stats/categories?${PERIOD}`)).json();
    expect(cats.totals.received).toBe(3);
    const citizen = await signedIn(t.app, 'citizen');
    expect((await citizen.get('/api/cases/stats/units')).statusCode).toBe(403);
    expect(
      (await town.post('/api/cases/circulars', { from: '2026-03-01', to: '2026-03-31' })).statusCode,
    ).toBe(403);
  });

  it('refuses bad periods and filters with a field error', async () => {
    for (const [q, field] of [
      ['from=2026-03-31&to=2026-03-01', 'to'],
      ['from=2026-02-30', 'from'],
      ['to=2026-13-01', 'to'],
      ['from=yesterday', 'from'],
      ['categoryId=01900000-0000-7000-8000-000000000000', 'categoryId'],
      ['categoryId=x', 'categoryId'],
      ['kind=parade', 'kind'],
    ]) {
      const res = await office.get(`/api/cases/stats/units?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields[0].field, q).toBe(field);
    }
  });

  it('issues the circular: seriously late, slow and unsatisfying units, as a numbered .docx', async () => {
    const res = await office.post('/api/cases/circulars', { from: '2026-03-01', to: '2026-03-31' });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.number).toBe('SQTB-2026-0001');
    expect(c.name).toBe('SQTB-2026-0001 关于群众诉求办理情况的通报.docx');
    const doc = await office.get(`/api/cases/circulars/${c.id}/document`);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(doc.rawPayload);
    const xml = await (zip.file('word/document.xml') as JSZip.JSZipObject).async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    // 一: B met 7 working days late (03-11 → 03-20); Y's open deadline due 03-21 is 7 working days late today.
    expect(text).toContain('一、答复超期5个工作日以上的单位（2个）');
    expect(text).toContain('霸州镇：严重超期1件，最长超期7个工作日。');
    expect(text).toContain(`${fx.no[fx.c.c6]}（超期7个工作日，已逾期答复）`);
    expect(text).toContain('裕华街道：严重超期1件（其中尚未答复1件），最长超期7个工作日。');
    expect(text).toContain(`${fx.no[fx.c.c3]}（超期7个工作日，尚未答复）`);
    expect(text.indexOf('霸州镇：严重')).toBeLessThan(text.indexOf('裕华街道：严重'));
    // 二: on-time rates B 0, Y 50, H 75 (< 80), lowest first.
    expect(text).toContain('二、按时答复率低于80%的单位（3个）');
    expect(text).toContain(
      '市卫生健康局：应按期答复4件，按时3件，逾期答复1件，目前超期未答复0件，按时答复率75%。',
    );
    expect(text.indexOf('霸州镇：应按期')).toBeLessThan(text.indexOf('裕华街道：应按期'));
    expect(text.indexOf('裕华街道：应按期')).toBeLessThan(text.indexOf('市卫生健康局：应按期'));
    // 三: B's mean 3.00 < 3.5; H's 3.75 is not.
    expect(text).toContain('三、群众满意度低于3.5分的单位（1个）');
    expect(text).toContain('霸州镇：收到评价1次，平均3.00分，满意率100%，重办0次。');
    expect(text).not.toContain('市卫生健康局：收到评价');
    expect(text).toContain('四、各单位诉求办理情况统计（4个）');
    expect(text).toContain('2026年3月1日至2026年3月31日，共有4个单位承办群众诉求7件。');

    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'case.circular')
      .execute();
    expect(audit).toEqual([{ action: 'case.circular', entity_id: c.id }]);

    // Thresholds: only deadlines 8+ working days late are serious → none; 3.8 points names H too.
    const strict = await office.post('/api/cases/circulars', {
      from: '2026-03-01',
      to: '2026-03-31',
      thresholds: { lateWorkingDays: 8, avgScore: 3.8 },
    });
    expect(strict.json().number).toBe('SQTB-2026-0002');
    const xml2 = await (
      (
        await JSZip.loadAsync(
          (
            await office.get(`/api/cases/circulars/${strict.json().id}/document`)
          ).rawPayload,
        )
      ).file('word/document.xml') as JSZip.JSZipObject
    ).async('string');
    const text2 = xml2.replace(/<[^>]+>/g, '');
    expect(text2).toContain('一、答复超期8个工作日以上的单位（0个）');
    expect(text2).toContain('三、群众满意度低于3.8分的单位（2个）');
    expect(text2).toContain('市卫生健康局：收到评价4次，平均3.75分，满意率75%，重办1次。');

    const list = (await office.get('/api/cases/circulars')).json();
    expect(list.items.map((i: Row) => i.number)).toEqual(['SQTB-2026-0002', 'SQTB-2026-0001']);
    // The stored file is readable through the files API by the office, not by a unit.
    expect((await office.get(`/api/files/${c.fileId}/content`)).statusCode).toBe(200);
    expect((await liaison.get(`/api/files/${c.fileId}/content`)).statusCode).toBe(404);
    expect(
      (await office.get('/api/cases/circulars/01900000-0000-7000-8000-000000000000/document')).statusCode,
    ).toBe(404);
  });

  it('refuses bad circular input and writes nothing', async () => {
    const before = (await office.get('/api/cases/circulars')).json().items.length;
    for (const body of [
      { from: '2026-04-01', to: '2026-03-01' },
      { from: '2026-03-01', to: '2026-03-31', thresholds: { lateWorkingDays: 0 } },
      { from: '2026-03-01', to: '2026-03-31', thresholds: { onTimeRate: 101 } },
      { from: '2026-03-01', to: '2026-03-31', thresholds: { avgScore: 'low' } },
      { from: '2026-03-01', to: '2026-03-31', title: '' },
      { from: 'soon', to: '2026-03-31' },
      { from: '2026-03-01' },
    ]) {
      const res = await office.post('/api/cases/circulars', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await office.get('/api/cases/circulars')).json().items.length).toBe(before);
  });
});
