import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app.ts';
import { getCalendar } from '../../apps/server/src/platform/calendar/service.ts';
import { auditCount, type Client, makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
let admin: Client;
let liaison: Client;
beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedIn(t.app, 'office_admin');
  liaison = await signedIn(t.app, 'liaison');
});
afterAll(async () => {
  await t?.close();
});

interface Day {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

const fieldsOf = (body: { error: { fields?: { field: string; message: string }[] } }) =>
  Object.fromEntries((body.error.fields ?? []).map((f) => [f.field, f.message]));

async function lastAudit(action: string) {
  return t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
}

const compute = (c: Client, from: string, duration: Record<string, unknown>) =>
  c.post('/api/calendar/compute', { from, duration });

describe(`working-day calendar on ${ENGINE}`, () => {
  it('ships the 2025 and 2026 arrangements at start, audited, readable by any signed-in user', async () => {
    const res = await liaison.get('/api/calendar/years');
    expect(res.statusCode).toBe(200);
    const years = res.json().items as { year: number; source: string; holidays: number; workdays: number }[];
    expect(years.map((y) => [y.year, y.holidays, y.workdays])).toEqual([
      [2025, 18, 5],
      [2026, 19, 6],
    ]);
    expect(years[0].source).toContain('国办发明电〔2024〕12号');
    expect(years[1].source).toContain('国办发明电〔2025〕7号');
    expect(res.json().items.every((y: { shipped: boolean }) => y.shipped)).toBe(true);

    const y2026 = (await liaison.get('/api/calendar/years/2026')).json();
    expect(y2026.days).toContainEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(y2026.days).toContainEqual({ date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' });
    expect(y2026.days).toContainEqual({ date: '2026-02-14', kind: 'workday', name: '春节调休上班' });
    // weekend days inside a holiday rest anyway and are not stored
    expect(y2026.days.find((d: Day) => d.date === '2026-10-03')).toBeUndefined();

    const shipped = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor_name'])
      .where('action', '=', 'calendar.year.ship')
      .orderBy('entity_id')
      .execute();
    expect(shipped).toEqual([
      { entity_id: '2025', actor_name: 'system' },
      { entity_id: '2026', actor_name: 'system' },
    ]);
  });

  it('answers 404 for a year not entered and 400 for a year outside 2000–2100', async () => {
    expect((await liaison.get('/api/calendar/years/2030')).statusCode).toBe(404);
    expect((await liaison.get('/api/calendar/years/1999')).statusCode).toBe(400);
    expect((await liaison.get('/api/calendar/years/abc')).statusCode).toBe(400);
    expect((await admin.put('/api/calendar/years/2101', { source: 'x', days: [] })).statusCode).toBe(400);
  });

  it('computes deadlines across National Day and its 调休 Saturday', async () => {
    const res = await compute(liaison, '2026-09-29T10:00:00+08:00', { workingDays: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      due: '2026-10-09T16:00:00.000Z',
      dueLocal: '2026-10-10T00:00:00+08:00',
      lastDay: '2026-10-09',
      warnings: [],
    });
    expect((await compute(liaison, '2026-09-29T02:00:00Z', { workingDays: 4 })).json().lastDay).toBe(
      '2026-10-10',
    );
    expect((await compute(liaison, '2026-01-31T10:00:00+08:00', { months: 1 })).json().lastDay).toBe(
      '2026-02-28',
    );
    expect((await compute(liaison, '2026-09-28T10:00:00+08:00', { days: 3 })).json().lastDay).toBe(
      '2026-10-08',
    );
    expect((await compute(liaison, '2026-03-02T23:30:00+08:00', { hours: 2 })).json()).toMatchObject({
      due: '2026-03-02T17:30:00.000Z',
      dueLocal: '2026-03-03T01:30:00+08:00',
      lastDay: '2026-03-03',
    });
  });

  it('warns, in the caller’s language, when the period reaches a year without an arrangement', async () => {
    const zh = (await compute(liaison, '2026-12-30T10:00:00+08:00', { workingDays: 5 })).json();
    expect(zh.warnings).toEqual([{ year: 2027, message: '尚未录入 2027 年的放假安排，该年按周末双休计算' }]);
    liaison.lang = 'en-US';
    const en = (await compute(liaison, '2026-12-30T10:00:00+08:00', { workingDays: 5 })).json();
    liaison.lang = undefined;
    expect(en.warnings[0].message).toContain('No holiday arrangement has been entered for 2027');
    // hours do not depend on the calendar
    expect((await compute(liaison, '2026-12-31T10:00:00+08:00', { hours: 48 })).json().warnings).toEqual([]);
  });

  it('refuses impossible input to the calculator with a 400 naming the field', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['yesterday', { workingDays: 1 }, 'from'],
      ['2026-02-30T10:00:00+08:00', { workingDays: 1 }, 'from'],
      ['2016-12-31T23:59:60Z', { workingDays: 1 }, 'from'],
      ['2026-03-02T10:00:00', { workingDays: 1 }, 'from'],
      ['1990-01-01T10:00:00+08:00', { workingDays: 1 }, 'from'],
      ['2026-03-02T10:00:00+08:00', {}, 'duration'],
      ['2026-03-02T10:00:00+08:00', { workingDays: 1, hours: 2 }, 'duration'],
      ['2026-03-02T10:00:00+08:00', { weeks: 2 }, 'duration'],
      ['2026-03-02T10:00:00+08:00', { workingDays: 0 }, 'duration.workingDays'],
      ['2026-03-02T10:00:00+08:00', { days: -3 }, 'duration.days'],
      ['2026-03-02T10:00:00+08:00', { hours: 1.5 }, 'duration.hours'],
      ['2026-03-02T10:00:00+08:00', { months: 100000 }, 'duration.months'],
      ['2026-03-02T10:00:00+08:00', { workingDays: 1e9 }, 'duration.workingDays'],
    ];
    const problems: string[] = [];
    for (const [from, duration, field] of cases) {
      const res = await compute(liaison, from, duration);
      const fields = res.statusCode === 400 ? Object.keys(fieldsOf(res.json())) : [];
      if (!fields.includes(field))
        problems.push(`${from} ${JSON.stringify(duration)}: ${res.statusCode} ${res.body}`);
    }
    expect(problems).toEqual([]);
  });

  it('lets only calendar:write replace a year, and validates every row', async () => {
    const body = {
      source: '国办发明电〔2026〕X号',
      days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
    };
    expect((await liaison.put('/api/calendar/years/2027', body)).statusCode).toBe(403);
    expect((await liaison.delete('/api/calendar/years/2027')).statusCode).toBe(403);

    const before = await auditCount(t);
    admin.lang = 'en-US';
    const bad = await admin.put('/api/calendar/years/2027', {
      source: '国办发明电〔2026〕X号',
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-02-30', kind: 'holiday', name: '春节' },
        { date: '2026-12-31', kind: 'holiday', name: '春节' },
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-01-04', kind: 'workday', name: '调休' },
        { date: '2027-01-02', kind: 'holiday', name: '元旦' },
      ],
    });
    admin.lang = undefined;
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad.json())).toEqual({
      'days.1.date': 'is not a real date (YYYY-MM-DD)',
      'days.2.date': 'is not in 2027',
      'days.3.date': 'repeats the date of row 1',
      'days.4.date': 'a make-up working day (调休) must be a Saturday or Sunday',
      'days.5.date': 'a holiday must fall on a weekday (weekends are rest days already)',
    });

    const shape = await admin.put('/api/calendar/years/2027', {
      source: '',
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '' },
        { date: '2027-01-01', kind: 'vacation', name: '元旦' },
        { date: '2027-01-01', kind: 'holiday', name: '很'.repeat(31) },
        { date: 20270101, kind: 'holiday', name: '   ' },
      ],
    });
    expect(shape.statusCode).toBe(400);
    expect(Object.keys(fieldsOf(shape.json())).sort()).toEqual([
      'days.0.name',
      'days.1.kind',
      'days.2.name',
      'days.3.name',
      'source',
    ]);
    expect(fieldsOf(shape.json())['days.0.name']).toBe('至少 1 个字符');
    expect(await auditCount(t)).toBe(before);
    expect((await admin.get('/api/calendar/years/2027')).statusCode).toBe(404);
  });

  it('adds next year, uses it at once, and records the change with before and after', async () => {
    const days: Day[] = [
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-20', kind: 'workday', name: '春节调休上班' },
    ];
    const put = await admin.put('/api/calendar/years/2027', { source: '  国办发明电〔2026〕X号 ', days });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, source: '国办发明电〔2026〕X号', shipped: false, days });

    const due = (await compute(liaison, '2026-12-31T10:00:00+08:00', { workingDays: 1 })).json();
    expect(due).toMatchObject({ lastDay: '2027-01-04', warnings: [] });
    expect((await getCalendar(t.ctx)).isWorkingDay('2027-02-20')).toBe(true);

    const years = (await liaison.get('/api/calendar/years')).json().items;
    expect(years.find((y: { year: number }) => y.year === 2027)).toMatchObject({ holidays: 1, workdays: 1 });

    // replacing keeps nothing of the old list
    const again = await admin.put('/api/calendar/years/2027', {
      source: '国办发明电〔2026〕X号',
      days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦节' }],
    });
    expect(again.json().days).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦节' }]);
    const row = await lastAudit('calendar.year.replace');
    expect(row?.entity).toBe('calendar_year');
    expect(row?.entity_id).toBe('2027');
    expect(JSON.parse(row?.before_json ?? 'null').days).toEqual(days);
    expect(JSON.parse(row?.after_json ?? 'null').days).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦节' },
    ]);
    expect((await getCalendar(t.ctx)).isWorkingDay('2027-02-20')).toBe(false);
  });

  it('deletes a year the office added, but not a shipped one', async () => {
    const shipped = await admin.delete('/api/calendar/years/2026');
    expect(shipped.statusCode).toBe(409);
    expect(shipped.json().error.code).toBe('CALENDAR_YEAR_SHIPPED');
    expect((await admin.delete('/api/calendar/years/2027')).statusCode).toBe(204);
    expect((await admin.get('/api/calendar/years/2027')).statusCode).toBe(404);
    expect((await admin.delete('/api/calendar/years/2027')).statusCode).toBe(404);
    expect((await getCalendar(t.ctx)).hasYear(2027)).toBe(false);
    expect(JSON.parse((await lastAudit('calendar.year.delete'))?.before_json ?? 'null').days).toHaveLength(1);
  });

  it('keeps an office’s edit of a shipped year across a restart, and restores a shipped year that is missing', async () => {
    const edited = (await admin.get('/api/calendar/years/2026')).json();
    const days = edited.days.filter((d: Day) => d.date !== '2026-10-10');
    expect((await admin.put('/api/calendar/years/2026', { source: '本市调整', days })).statusCode).toBe(200);
    await t.ctx.database.db.deleteFrom('calendar_days').where('date', 'like', '2025-%').execute();
    await t.ctx.database.db.deleteFrom('calendar_years').where('year', '=', 2025).execute();

    // a restart: the app is built again on the same database
    const restarted = await buildApp({ ctx: t.ctx, serveWeb: false });
    await restarted.ready();
    await restarted.close();

    const after = (await admin.get('/api/calendar/years/2026')).json();
    expect(after.source).toBe('本市调整');
    expect(after.days).toEqual(days);
    const years = (await admin.get('/api/calendar/years')).json().items;
    expect(years.find((y: { year: number }) => y.year === 2025)).toMatchObject({ holidays: 18, workdays: 5 });
    const cal = await getCalendar(t.ctx);
    expect(cal.isWorkingDay('2026-10-10')).toBe(false);
    expect(cal.isWorkingDay('2025-10-08')).toBe(false);
  });

  it('sees a change made by another process after a few seconds on PostgreSQL (SQLite has one process)', async () => {
    const cal = await getCalendar(t.ctx);
    expect(cal.isWorkingDay('2026-03-03')).toBe(true);
    // another process writes the database directly
    const now = new Date(t.clock.now().getTime() + 1000).toISOString();
    await t.ctx.database.db
      .insertInto('calendar_days')
      .values({ date: '2026-03-03', kind: 'holiday', name: '测试', updated_at: now })
      .execute();
    await t.ctx.database.db
      .updateTable('calendar_years')
      .set({ updated_at: now })
      .where('year', '=', 2026)
      .execute();

    expect(await getCalendar(t.ctx)).toBe(cal);
    t.clock.advance(5_000);
    const later = await getCalendar(t.ctx);
    if (t.ctx.database.engine === 'postgres') {
      expect(later.isWorkingDay('2026-03-03')).toBe(false);
      t.clock.advance(5_000);
      // unchanged since: the same calendar object is kept
      expect(await getCalendar(t.ctx)).toBe(later);
    } else {
      expect(later).toBe(cal);
    }
  });
});
