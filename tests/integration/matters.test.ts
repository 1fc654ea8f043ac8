import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JOBS } from '../../apps/server/src/jobs.ts';
import { createLogger } from '../../apps/server/src/platform/log.ts';
import { Scheduler } from '../../apps/server/src/platform/scheduler/scheduler.ts';
import { sweepDeadlines } from '../../apps/server/src/platform/workflow/deadlines.ts';
import { type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import { makeJpeg } from '../helpers/images.ts';
import { uploadFile } from '../helpers/upload.ts';

/** Monday 2 March 2026, 10:00 in Shanghai: an ordinary working week with no holiday nearby. */
const MONDAY_10 = '2026-03-02T02:00:00.000Z';
const HOUR = 3600_000;

let t: TestApp;
let office: Client;
let liaison: Client;
let town: Client;
let health: string;

/** Sessions expire after 30 idle minutes of the test clock: sign in again whenever the clock moves. */
async function setClock(at: string | number): Promise<void> {
  t.clock.current = new Date(typeof at === 'number' ? t.clock.current.getTime() + at : at);
  office = await signedIn(t.app, 'office_admin');
  liaison = await signedIn(t.app, 'liaison');
  town = await signedIn(t.app, 'liaison_town');
}

beforeAll(async () => {
  t = await makeTestApp();
  health = await unitId(t, '市卫生健康局');
});
afterAll(() => t?.close());
beforeEach(() => setClock(MONDAY_10));

async function assign(title = '整治人民医院周边占道经营', level: 'ordinary' | 'major' = 'ordinary') {
  const res = await office.post('/api/matters', {
    title,
    content: '医院东门早晚高峰占道经营，影响救护车通行，请牵头整治。',
    level,
    source: '市文明办暗访',
    assigneeUnitId: health,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function act(c: Client, id: string, body: Record<string, unknown>) {
  const cur = (await c.get(`/api/matters/${id}`)).json();
  return c.post(`/api/matters/${id}/transitions`, { version: cur.version, ...body });
}

async function evidence(c: Client): Promise<string> {
  return uploadFile(c, 'after.jpg', await makeJpeg({ width: 64, height: 48, color: '#2a7', pattern: 2 }));
}

async function count(table: 'matters' | 'workflow_history' | 'deadline_events', recordId?: string) {
  let q = t.ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (recordId && table !== 'matters') q = q.where('record_id', '=', recordId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

describe('assigning a matter', () => {
  it('opens the 13710 deadlines on the working-day calendar and tells the unit', async () => {
    const m = await assign();
    expect(m.no).toMatch(/^JB-2026-\d{4}$/);
    expect(m.state).toBe('assigned');
    expect(m.assignee.name).toBe('市卫生健康局');
    const due = Object.fromEntries(
      m.deadlines.map((d: { kind: string; dueAt: string }) => [d.kind, d.dueAt]),
    );
    // End of Tuesday, Thursday and the next Wednesday (7 working days) in Shanghai.
    expect(due).toEqual({
      acknowledge: '2026-03-03T16:00:00.000Z',
      feedback: '2026-03-05T16:00:00.000Z',
      resolve: '2026-03-11T16:00:00.000Z',
    });
    expect(m.dueAt).toBe('2026-03-11T16:00:00.000Z');
    expect(m.slaColor).toBe('green');
    expect(m.allowedActions.sort()).toEqual(['cancel', 'urge']);
    const seen = (await liaison.get(`/api/matters/${m.id}`)).json();
    expect(seen.allowedActions.sort()).toEqual(['acknowledge', 'decline']);
    const inbox = (await liaison.get('/api/notifications?unread=true')).json();
    expect(inbox.items.some((n: { title: string; body: string }) => n.body.includes(m.no))).toBe(true);
  });

  it('gives a major matter one month', async () => {
    const m = await assign('创建全国文明城市迎检专项整改', 'major');
    // 2 April 2026 is a Thursday: the month ends at its end.
    expect(m.dueAt).toBe('2026-04-02T16:00:00.000Z');
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const before = await count('matters');
    const bad = await office.post('/api/matters', {
      title: '',
      content: 'x',
      level: 'urgent',
      assigneeUnitId: 'nope',
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad
      .json()
      .error.fields.map((f: { field: string }) => f.field)
      .sort();
    expect(fields).toEqual(['assigneeUnitId', 'level', 'title']);
    const unknown = await office.post('/api/matters', {
      title: '某事项',
      content: '内容',
      level: 'ordinary',
      assigneeUnitId: '01890000-0000-7000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].field).toBe('assigneeUnitId');
    // Someone else's upload cannot be attached.
    const foreign = await evidence(liaison);
    const stolen = await office.post('/api/matters', {
      title: '某事项',
      content: '内容',
      level: 'ordinary',
      assigneeUnitId: health,
      attachments: [foreign],
    });
    expect(stolen.statusCode).toBe(400);
    expect(await count('matters')).toBe(before);
  });

  it('is invisible outside the data scope and not assignable by a liaison', async () => {
    const m = await assign();
    expect((await town.get(`/api/matters/${m.id}`)).statusCode).toBe(404);
    const list = (await town.get('/api/matters')).json();
    expect(list.items.find((x: { id: string }) => x.id === m.id)).toBeUndefined();
    const res = await liaison.post('/api/matters', {
      title: '某事项',
      content: '内容',
      level: 'ordinary',
      assigneeUnitId: health,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('handling a matter', () => {
  it('runs the whole loop: acknowledge, feed back, resolve with evidence, return, resolve, accept', async () => {
    const m = await assign();
    expect((await act(liaison, m.id, { action: 'acknowledge' })).statusCode).toBe(200);
    await setClock(HOUR);
    const fb = await act(liaison, m.id, { action: 'feedback', note: '已联合城管约谈摊主 12 户' });
    expect(fb.statusCode, fb.body).toBe(200);
    const noEvidence = await act(liaison, m.id, { action: 'resolve', note: '已整治完毕' });
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json().error.fields[0].field).toBe('attachments');
    const file = await evidence(liaison);
    const resolved = await act(liaison, m.id, { action: 'resolve', note: '已整治完毕', attachments: [file] });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json().state).toBe('resolved');
    expect(resolved.json().attachments.map((f: { id: string }) => f.id)).toEqual([file]);

    const noReason = await act(office, m.id, { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].field).toBe('note');
    const returned = await act(office, m.id, { action: 'return', note: '西侧仍有摊点' });
    expect(returned.json().state).toBe('in_progress');
    const rework = returned.json().deadlines.find((d: { kind: string }) => d.kind === 'rework');
    expect(rework.status).toBe('open');
    expect(returned.json().dueAt).toBe(rework.dueAt);

    const again = await act(liaison, m.id, {
      action: 'resolve',
      note: '西侧已清理',
      attachments: [await evidence(liaison)],
    });
    expect(again.json().state).toBe('resolved');
    const closed = await act(office, m.id, { action: 'accept', note: '复查合格' });
    expect(closed.json().state).toBe('closed');
    expect(closed.json().allowedActions).toEqual([]);
    expect(closed.json().deadlines.every((d: { status: string }) => d.status !== 'open')).toBe(true);
    // Colors belong to open matters: the list's color filter agrees with the counts by color.
    const green = (await office.get('/api/matters?color=green&pageSize=100')).json();
    expect(green.items.map((x: { id: string }) => x.id)).not.toContain(m.id);
    expect(green.total).toBe((await office.get('/api/matters/stats')).json().byColor.green ?? 0);

    const tl = (await office.get(`/api/matters/${m.id}/timeline`)).json();
    expect(tl.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'acknowledge',
      'feedback',
      'resolve',
      'return',
      'resolve',
      'accept',
    ]);
    expect(tl[3].attachments[0].id).toBe(file);
    expect(tl[4].note).toBe('西侧仍有摊点');
    expect(tl[1].actorUnitName).toBe('市卫生健康局');
    // The evidence is readable by the office through the matter, not by an unrelated user.
    expect((await office.get(`/api/files/${file}`)).statusCode).toBe(200);
    expect((await town.get(`/api/files/${file}`)).statusCode).toBe(404);
  });

  it('names the current state and the allowed actions when an action is illegal', async () => {
    const m = await assign();
    const early = await act(liaison, m.id, {
      action: 'resolve',
      note: '办完了',
      attachments: [await evidence(liaison)],
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('待签收');
    expect(early.json().error.message).toContain('签收');
    liaison.lang = 'en-US';
    const en = await act(liaison, m.id, { action: 'accept' });
    liaison.lang = undefined;
    expect(en.statusCode).toBe(409);
    expect(en.json().error.message).toContain('awaiting acknowledgement');
    const notYours = await act(office, m.id, { action: 'acknowledge' });
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().error.code).toBe('WORKFLOW_NOT_YOURS');
    const other = await town.post(`/api/matters/${m.id}/transitions`, {
      action: 'acknowledge',
      version: m.version,
    });
    expect(other.statusCode).toBe(404);
    const unknown = await act(liaison, m.id, { action: 'approve' });
    expect(unknown.statusCode).toBe(400);
    expect(await count('workflow_history', m.id)).toBe(1);
  });

  it('refuses a stale version and lets exactly one of two racing transitions through', async () => {
    const m = await assign();
    const stale = await liaison.post(`/api/matters/${m.id}/transitions`, {
      action: 'acknowledge',
      version: 7,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const body = { action: 'acknowledge', version: m.version };
    const head = await signedIn(t.app, 'unit_head');
    const [a, b] = await Promise.all([
      liaison.post(`/api/matters/${m.id}/transitions`, body),
      head.post(`/api/matters/${m.id}/transitions`, body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const tl = (await office.get(`/api/matters/${m.id}/timeline`)).json();
    expect(tl.filter((e: { action: string }) => e.action === 'acknowledge')).toHaveLength(1);
    expect((await office.get(`/api/matters/${m.id}`)).json().version).toBe(m.version + 1);
  });

  it('declines to the office, which reassigns with fresh deadlines', async () => {
    const m = await assign();
    expect((await act(liaison, m.id, { action: 'decline' })).statusCode).toBe(400);
    const declined = await act(liaison, m.id, { action: 'decline', note: '属市场监管职责' });
    expect(declined.json().state).toBe('returned');
    expect(declined.json().deadlines.every((d: { status: string }) => d.status === 'cancelled')).toBe(true);
    const market = await unitId(t, '市市场监督管理局');
    const same = await act(office, m.id, { action: 'reassign', payload: { unitId: health } });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.fields[0].field).toBe('payload.unitId');
    await setClock(24 * HOUR);
    const moved = await act(office, m.id, { action: 'reassign', payload: { unitId: market } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().assignee.name).toBe('市市场监督管理局');
    expect(moved.json().state).toBe('assigned');
    const open = moved.json().deadlines.filter((d: { status: string }) => d.status === 'open');
    expect(open.map((d: { kind: string }) => d.kind).sort()).toEqual(['acknowledge', 'feedback', 'resolve']);
    // Counted again from Tuesday: acknowledge by the end of Wednesday.
    expect(open.find((d: { kind: string }) => d.kind === 'acknowledge').dueAt).toBe(
      '2026-03-04T16:00:00.000Z',
    );
    expect((await liaison.get(`/api/matters/${m.id}`)).statusCode).toBe(404);
  });

  it('moves a deadline only through an extension requested before it and approved', async () => {
    const m = await assign();
    await act(liaison, m.id, { action: 'acknowledge' });
    const earlier = await act(liaison, m.id, {
      action: 'request_extension',
      note: '需协调城管',
      payload: { dueAt: '2026-03-09T16:00:00.000Z' },
    });
    expect(earlier.statusCode).toBe(400);
    expect(earlier.json().error.fields[0].field).toBe('payload.dueAt');
    const asked = await act(liaison, m.id, {
      action: 'request_extension',
      note: '需协调城管',
      payload: { dueAt: '2026-03-13T16:00:00.000Z' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().pendingExtension.reason).toBe('需协调城管');
    const twice = await act(liaison, m.id, {
      action: 'request_extension',
      note: '再延',
      payload: { dueAt: '2026-03-16T16:00:00.000Z' },
    });
    expect(twice.statusCode).toBe(409);
    const approved = await act(office, m.id, { action: 'approve_extension' });
    const steps = (await office.get(`/api/matters/${m.id}/timeline`)).json();
    expect(steps.at(-1).payload).toEqual({ deadline: 'resolve', dueAt: '2026-03-13T16:00:00.000Z' });
    expect(approved.json().dueAt).toBe('2026-03-13T16:00:00.000Z');
    expect(approved.json().pendingExtension).toBeNull();
    const resolve = approved.json().deadlines.find((d: { kind: string }) => d.kind === 'resolve');
    expect(resolve.originalDueAt).toBe('2026-03-11T16:00:00.000Z');

    await setClock('2026-03-14T02:00:00.000Z');
    const late = await act(liaison, m.id, {
      action: 'request_extension',
      note: '还要延',
      payload: { dueAt: '2026-03-20T16:00:00.000Z' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('EXTENSION_TOO_LATE');
  });
});

describe('deadlines and escalation', () => {
  it('fires each stage once, colors the matter and notifies the unit', async () => {
    const m = await assign();
    // Wednesday 10:00: acknowledge (due end of Tuesday) is overdue; its reminder is no longer useful.
    await setClock('2026-03-04T02:00:00.000Z');
    await sweepDeadlines(t.ctx);
    const events = await t.ctx.database.db
      .selectFrom('deadline_events as e')
      .innerJoin('deadlines as d', 'd.id', 'e.deadline_id')
      .select(['d.kind as deadline', 'e.kind'])
      .where('e.record_id', '=', m.id)
      .execute();
    expect(events.map((e) => `${e.deadline}:${e.kind}`)).toEqual(['acknowledge:overdue']);
    expect((await office.get(`/api/matters/${m.id}`)).json().slaColor).toBe('red');
    await sweepDeadlines(t.ctx);
    expect(await count('deadline_events', m.id)).toBe(1);
    // One notification for the unit per stage and sweep: this matter's own, or a summary when earlier
    // tests left other overdue matters at the same unit.
    const overdue = await t.ctx.database.db
      .selectFrom('deadline_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', 'overdue')
      .where('unit_id', '=', health)
      .executeTakeFirst();
    const n = Number(overdue?.n);
    const inbox = (await liaison.get('/api/notifications?unread=true')).json();
    const notices = inbox.items.filter((x: { title: string }) => x.title === '已超期');
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toContain(n === 1 ? m.no : `等 ${n} 件交办事项`);
    // Acknowledging meets the overdue deadline; the color follows the deadlines still open.
    const ack = await act(liaison, m.id, { action: 'acknowledge' });
    expect(ack.json().slaColor).toBe('green');
    // Thursday 00:00, a working day before the end of feedback's window: reminder, yellow.
    await setClock('2026-03-04T16:30:00.000Z');
    await sweepDeadlines(t.ctx);
    expect(await count('deadline_events', m.id)).toBe(2);
    expect((await office.get(`/api/matters/${m.id}`)).json().slaColor).toBe('yellow');
  });

  it('catches up after downtime: a missed deadline fires once, even with two schedulers', async () => {
    const m = await assign();
    // Nobody ran the scheduler for three weeks (the server was stopped).
    await setClock('2026-03-23T02:00:00.000Z');
    const log = createLogger('silent');
    const a = new Scheduler(t.ctx, JOBS, log);
    const b = new Scheduler(t.ctx, JOBS, log);
    await a.register();
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    const sweeps = [...ra, ...rb].filter((r) => r.job === 'deadlines.sweep');
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0].status).toBe('ok');
    const kinds = await t.ctx.database.db
      .selectFrom('deadline_events as e')
      .innerJoin('deadlines as d', 'd.id', 'e.deadline_id')
      .select(['d.kind as deadline', 'e.kind', 'e.details', 'e.working_days_late'])
      .where('e.record_id', '=', m.id)
      .execute();
    expect(kinds.map((e) => `${e.deadline}:${e.kind}`).sort()).toEqual([
      'acknowledge:escalation',
      'acknowledge:overdue',
      'feedback:escalation',
      'feedback:overdue',
      'resolve:circular',
      'resolve:escalation',
      'resolve:overdue',
      'resolve:supervision',
    ]);
    const supervision = kinds.find((e) => e.kind === 'supervision');
    expect(JSON.parse(String(supervision?.details)).no).toMatch(/^DB-2026-\d{4}$/);
    // Due end of 11 March; 23 March is the 8th working day after it.
    expect(Number(supervision?.working_days_late)).toBe(8);
    // The lease is released and the next run is scheduled: a later tick at the same instant runs nothing.
    expect(await b.tick()).toEqual([]);
    await setClock(31_000);
    await b.tick();
    expect(await count('deadline_events', m.id)).toBe(8);
    const circular = (await office.get('/api/sla/events?kind=circular')).json();
    expect(circular.items.some((e: { record: { label: string } }) => e.record.label.startsWith(m.no))).toBe(
      true,
    );
    const runs = (await office.get('/api/scheduler/runs?job=deadlines.sweep')).json();
    expect(runs.items.length).toBeGreaterThanOrEqual(2);
  });

  it('waits for the lease of a crashed holder to expire, then runs the job once', async () => {
    const log = createLogger('silent');
    const s = new Scheduler(t.ctx, JOBS, log);
    await s.register();
    const now = t.clock.now();
    // Another process took the sweep's lease and died before releasing it.
    await t.ctx.database.db
      .updateTable('scheduler_jobs')
      .set({
        lease_owner: 'crashed:1',
        lease_until: new Date(now.getTime() + 300_000).toISOString(),
        next_run_at: now.toISOString(),
      })
      .where('name', '=', 'deadlines.sweep')
      .execute();
    expect((await s.tick()).map((r) => r.job)).not.toContain('deadlines.sweep');
    await setClock(301_000);
    expect((await s.tick()).filter((r) => r.job === 'deadlines.sweep')).toHaveLength(1);
    const job = (await office.get('/api/scheduler/jobs'))
      .json()
      .find((j: { name: string }) => j.name === 'deadlines.sweep');
    expect(job.leaseOwner).toBeNull();
    expect(job.lastStatus).toBe('ok');
  });
});
