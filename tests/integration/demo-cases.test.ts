/**
 * The demo's citizen cases `npm start` seeds (issue #5): routing rules, and cases from three residents in
 * every state of the loop, walked through the real services with the clock set back step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCases } from '../../apps/server/src/seed/demo-cases.ts';
import { makeTestApp, signedIn, type TestApp } from '../helpers/app.ts';
import { ENGINE } from '../helpers/db.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  t.clock.current = new Date('2026-11-20T03:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

describe(`demo cases on ${ENGINE}`, () => {
  it('routes by township, and leaves cases in every state of the loop', async () => {
    const seeded = await seedDemoCases(t.ctx);
    expect(seeded).toEqual({ rules: 16, cases: 10 });
    expect(t.ctx.clock.now().toISOString()).toBe('2026-11-20T03:00:00.000Z');
    const db = t.ctx.database.db;
    const rows = await db
      .selectFrom('cases')
      .select(['no', 'state', 'sla_color', 'rating', 'reopen_count', 'unit_id', 'duplicate_of', 'created_at'])
      .orderBy('created_at')
      .execute();
    const states = rows.map((r) => r.state).sort();
    expect(states).toEqual(
      [
        'closed',
        'closed',
        'dispatched',
        'dispatched',
        'dispatched',
        'merged',
        'pending',
        'processing',
        'rating',
        'signed',
      ].sort(),
    );
    // The oldest open report, signed 16 days ago and never answered, is overdue.
    const signed = rows.find((r) => r.state === 'signed');
    expect(signed?.sla_color).toBe('red');
    // Rated 2, then reopened by the citizen: back with the township for a redo.
    const redo = rows.find((r) => r.state === 'processing');
    expect([redo?.reopen_count, redo?.rating]).toEqual([1, null]);
    expect(rows.find((r) => r.state === 'merged')?.duplicate_of).toBeTruthy();
    // Only the county-level suggestion waits in the office's queue.
    expect(rows.filter((r) => r.unit_id === null).map((r) => r.state)).toEqual(['pending']);
    const events = await db.selectFrom('domain_events').select(['type', 'subject_id']).execute();
    expect(events.map((e) => e.type)).toEqual(['case.valid']);

    // Every step is in the history, in order: the closed drain report went create → … → rate.
    const first = await db
      .selectFrom('cases')
      .select('id')
      .where('description', 'like', '村委会东侧排水沟堵塞%')
      .executeTakeFirstOrThrow();
    const history = await db
      .selectFrom('workflow_history')
      .select(['action', 'at'])
      .where('record_id', '=', first.id)
      .orderBy('seq')
      .execute();
    expect(history.map((h) => h.action)).toEqual(['create', 'sign', 'start', 'answer', 'rate']);
    const times = history.map((h) => h.at);
    expect([...times].sort()).toEqual(times);
    expect(times[0] < '2026-11-10').toBe(true);

    // The public board shows the resolved reports with their after photos.
    const board = await t.app.inject({ method: 'GET', url: '/api/public/case-board' });
    expect(board.statusCode).toBe(200);
    const recent = board.json().recent as { no: string; after: unknown[] }[];
    expect(recent.length).toBe(2);
    expect(recent.every((r) => r.after.length === 1)).toBe(true);

    // The township liaison's list holds its township's cases; the demo citizen sees their own.
    const town = await signedIn(t.app, 'liaison_town');
    const list = await town.get('/api/cases?pageSize=50');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBe(7);
    expect(await seedDemoCases(t.ctx)).toBeNull();
  });
});
