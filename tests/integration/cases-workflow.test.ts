import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../../apps/server/src/platform/workflow/deadlines.ts';
import { type Client, makeTestApp, signedIn, type TestApp, unitId } from '../helpers/app.ts';
import {
  act,
  actOk,
  caseOf,
  categoryId,
  demoArea,
  fileCase,
  makeCategory,
  makeRule,
  NO_CASE_LIMITS,
  signInCitizen,
} from '../helpers/cases.ts';
import { ENGINE } from '../helpers/db.ts';

/**
 * The case workflow end to end through the API: every action by the role that may take it, and the
 * refusals (wrong unit 403, wrong state 409, missing note 400, stale version 409, someone else's
 * rating), deadlines by SLA class, the sweep's reminder / overdue / circular stages, validity events.
 */
let t: TestApp;
let office: Client;
let wg: Client;
let citizen: Client;
let other: Client;
let liaison: Client;
let liaisonTown: Client;
let liaisonXcb: Client;
let health: string;
let xcb: string;
let area: Awaited<ReturnType<typeof demoArea>>;
let order: string;

const HOUR = 3600_000;

/** Everyone signs in again (after the clock jumps past the sessions' idle timeout). */
async function signInAll() {
  office = await signedIn(t.app, 'office_admin');
  wg = await signedIn(t.app, 'wg_member');
  citizen = await signInCitizen(t);
  other = await signedIn(t.app, 'volunteer');
  liaison = await signedIn(t.app, 'liaison');
  liaisonTown = await signedIn(t.app, 'liaison_town');
  liaisonXcb = await signedIn(t.app, 'liaison_xcb');
}

/** Moves the test clock and signs everyone in again. */
async function travel(to: number) {
  t.clock.current = new Date(to);
  await signInAll();
}

beforeAll(async () => {
  t = await makeTestApp({ env: NO_CASE_LIMITS });
  await signInAll();
  health = await unitId(t, '市卫生健康局');
  xcb = await unitId(t, '市委宣传部');
  area = await demoArea(t);
  order = await categoryId(t, 'order');
});
afterAll(async () => {
  await t?.close();
});

async function notificationsOf(username: string, kind: string) {
  return t.ctx.database.db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.kind', 'n.params', 'n.record_id'])
    .where('u.username', '=', username)
    .where('n.kind', '=', kind)
    .execute();
}

/** A citizen's case in the demo village, dispatched to 市卫生健康局 by the office. */
async function dispatchedCase(categoryIdOverride?: string) {
  const c = await fileCase(citizen, { categoryId: categoryIdOverride ?? order, areaUnitId: area.villageId });
  expect(c.state).toBe('pending');
  await actOk(office, c.id, 'dispatch', { payload: { unitId: health } });
  return c;
}

describe(`case workflow on ${ENGINE}`, () => {
  it('runs pending → dispatched → signed → processing → rating → closed, telling the people concerned', async () => {
    const c = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    expect(c.no).toMatch(/^SP-2026-\d{6}$/);
    expect((await notificationsOf('office_admin', 'case.pending')).some((n) => n.record_id === c.id)).toBe(
      true,
    );
    const d0 = await caseOf(office, c.id);
    expect(d0.deadlines).toMatchObject([
      { kind: 'dispatch', status: 'open', dueAt: '2026-03-03T16:00:00.000Z' },
    ]);

    const d1 = await actOk(office, c.id, 'dispatch', { payload: { unitId: health } });
    expect(d1).toMatchObject({ state: 'dispatched', unitId: health, firstUnitId: health });
    // ordinary: 7 working days from dispatch (Monday 2 March → end of Wednesday 11 March)
    expect(d1.dueAt).toBe('2026-03-11T16:00:00.000Z');
    expect(d1.deadlines.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`)).toEqual([
      'dispatch:met',
      'sign:open',
      'answer:open',
    ]);
    expect((await notificationsOf('liaison', 'case.assigned')).some((n) => n.record_id === c.id)).toBe(true);
    expect((await notificationsOf('citizen', 'case.update')).some((n) => n.record_id === c.id)).toBe(true);
    // the citizen reads it in their language: the state's name too
    const inbox = await citizen.request('GET', '/api/notifications', undefined, {
      'accept-language': 'en-US',
    });
    const news = inbox
      .json()
      .items.find(
        (n: { record: { id: string } | null; kind: string }) =>
          n.kind === 'case.update' && n.record?.id === c.id,
      );
    expect(news?.body).toMatch(/^Your case ".+": dispatched\.$/);

    expect((await caseOf(liaison, c.id)).allowedActions).toEqual(
      expect.arrayContaining(['sign', 'return', 'escalate']),
    );
    await actOk(liaison, c.id, 'sign');
    await actOk(liaison, c.id, 'start');
    await actOk(liaison, c.id, 'progress', { note: '已联系交警' });
    expect((await notificationsOf('citizen', 'case.progress')).some((n) => n.record_id === c.id)).toBe(true);
    const answered = await actOk(liaison, c.id, 'answer', { note: '车辆已拖离' });
    expect(answered).toMatchObject({ state: 'rating', answer: '车辆已拖离', dueAt: null });

    // Only the reporter rates: the office, the unit and another citizen may not.
    expect((await act(office, c.id, 'rate', { payload: { score: 5 } })).statusCode).toBe(403);
    expect((await act(liaison, c.id, 'rate', { payload: { score: 5 } })).statusCode).toBe(403);
    expect((await act(other, c.id, 'rate', { payload: { score: 5 } })).statusCode).toBe(404);
    const rated = await actOk(citizen, c.id, 'rate', { payload: { score: 4, comment: '满意' } });
    expect(rated).toMatchObject({ state: 'closed', rating: 4 });
    expect(rated.ratings).toMatchObject([{ round: 1, score: 4, comment: '满意', unitName: '市卫生健康局' }]);
    // Rating twice: the case is closed now.
    expect((await act(citizen, c.id, 'rate', { payload: { score: 1 } })).statusCode).toBe(409);
  });

  it('refuses the wrong unit (403), the wrong state (409), a missing note (400) and a stale version (409)', async () => {
    const c = await dispatchedCase();
    // 杨春梅's township covers the case's village, but the case is 市卫生健康局's.
    const wrongUnit = await act(liaisonTown, c.id, 'sign');
    expect(wrongUnit.statusCode).toBe(403);
    expect(wrongUnit.json().error.code).toBe('WORKFLOW_NOT_YOURS');
    // Outside every scope of the caller: not found.
    expect((await act(liaisonXcb, c.id, 'sign')).statusCode).toBe(404);
    const wrongState = await act(liaison, c.id, 'answer', { note: 'x' });
    expect(wrongState.statusCode).toBe(409);
    expect(wrongState.json().error.code).toBe('WORKFLOW_ILLEGAL_ACTION');
    const noNote = await act(liaison, c.id, 'return');
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.fields[0].field).toBe('note');
    const version = (await caseOf(liaison, c.id)).version;
    await actOk(liaison, c.id, 'sign');
    const stale = await act(liaison, c.id, 'start', { version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    // A citizen cannot dispatch; a reassignment needs a unit.
    expect((await act(citizen, c.id, 'reassign', { note: 'x', payload: { unitId: xcb } })).statusCode).toBe(
      403,
    );
    const noUnit = await act(office, c.id, 'reassign', { note: 'x' });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().error.fields[0].field).toBe('payload.unitId');
    const same = await act(office, c.id, 'reassign', { note: 'x', payload: { unitId: health } });
    expect(same.statusCode).toBe(400);
  });

  it('return keeps the unit and its answer deadline (首接负责); dispatching back reopens signing only', async () => {
    const c = await dispatchedCase();
    const before = await caseOf(office, c.id);
    const back = await actOk(liaison, c.id, 'return', { note: '非本单位职责' });
    expect(back).toMatchObject({ state: 'pending', unitId: health, returnedByUnitId: health });
    expect((await notificationsOf('office_admin', 'case.returned')).some((n) => n.record_id === c.id)).toBe(
      true,
    );
    const queue = await office.get('/api/cases?state=pending');
    const row = queue.json().items.find((i: { id: string }) => i.id === c.id);
    expect(row.returnedByUnitName).toBe('市卫生健康局');
    // The unit still sees it (its answer deadline runs), but has nothing to do until the office decides.
    expect((await caseOf(liaison, c.id)).allowedActions).toEqual([]);
    const again = await actOk(office, c.id, 'dispatch', { payload: { unitId: health } });
    expect(again.dueAt).toBe(before.dueAt);
    expect(again.returnedByUnitId).toBeNull();

    // Reassignment: the new unit's deadlines start now, the first unit stays on record.
    await travel(t.clock.now().getTime() + HOUR);
    const moved = await actOk(office, c.id, 'reassign', { note: '改由宣传部办理', payload: { unitId: xcb } });
    expect(moved).toMatchObject({ state: 'dispatched', unitId: xcb, firstUnitId: health });
    expect(moved.deadlines.filter((d: { status: string }) => d.status === 'open')).toHaveLength(2);
    expect((await act(liaison, c.id, 'sign')).statusCode).toBe(403);
    await actOk(liaisonXcb, c.id, 'sign');
  });

  it('escalates a village case to its township, and a township case to the office queue', async () => {
    const talk = await fileCase(citizen, {
      kind: 'talk',
      level: 'village',
      categoryId: order,
      areaUnitId: area.villageId,
      description: '村里路灯坏了很久没人修',
    });
    expect(talk.no).toMatch(/^SS-2026-/);
    expect(talk).toMatchObject({ state: 'dispatched', unitId: area.villageId });
    // The township (subtree scope) may escalate it as the office would not: it is not its unit's case.
    const up = await actOk(office, talk.id, 'escalate', { note: '村里无法解决' });
    expect(up).toMatchObject({ state: 'dispatched', unitId: area.townId, level: 'township' });
    await actOk(liaisonTown, talk.id, 'sign');
    const office2 = await actOk(liaisonTown, talk.id, 'escalate', { note: '需县级协调' });
    expect(office2).toMatchObject({
      state: 'pending',
      unitId: null,
      level: 'county',
      firstUnitId: area.villageId,
    });
    expect(office2.deadlines.filter((d: { status: string }) => d.status === 'open')).toMatchObject([
      { kind: 'dispatch' },
    ]);
  });

  it('answer review: answered → return_answer (redo deadline) → answered → approve → rating → unsatisfied → redo/close', async () => {
    const reviewed = await makeCategory(office, { answerReview: true, slaClass: 'complex' });
    const c = await dispatchedCase(reviewed);
    // complex: 15 working days (end of Monday 23 March)
    expect((await caseOf(office, c.id)).dueAt).toBe('2026-03-23T16:00:00.000Z');
    await actOk(liaison, c.id, 'sign');
    expect((await actOk(liaison, c.id, 'answer', { note: '初步答复' })).state).toBe('answered');
    expect(
      (await notificationsOf('office_admin', 'case.answer_review')).some((n) => n.record_id === c.id),
    ).toBe(true);
    expect((await act(citizen, c.id, 'rate', { payload: { score: 5 } })).statusCode).toBe(409);
    const redo = await actOk(wg, c.id, 'return_answer', { note: '答复不完整' });
    expect(redo.state).toBe('processing');
    expect(redo.deadlines.find((d: { kind: string; status: string }) => d.kind === 'redo')?.status).toBe(
      'open',
    );
    await actOk(liaison, c.id, 'answer', { note: '完整答复' });
    await actOk(office, c.id, 'approve_answer');
    const bad = await actOk(citizen, c.id, 'rate', { payload: { score: 2, comment: '没解决' } });
    expect(bad.state).toBe('unsatisfied');
    expect(
      (await notificationsOf('office_admin', 'case.unsatisfied')).some((n) => n.record_id === c.id),
    ).toBe(true);
    const again = await actOk(office, c.id, 'redo', { note: '请重新办理' });
    expect(again).toMatchObject({ state: 'processing', reopenCount: 1, rating: null });
    await actOk(liaison, c.id, 'answer', { note: '第二次答复' });
    await actOk(office, c.id, 'approve_answer');
    await actOk(citizen, c.id, 'rate', { payload: { score: 1 } });
    const closed = await actOk(office, c.id, 'close', { note: '已尽力' });
    expect(closed.state).toBe('closed');
    expect(closed.ratings.map((r: { round: number }) => r.round)).toEqual([1, 2]);
  });

  it('the reporter reopens within 7 days of closing, not after, and at most 3 times', async () => {
    const c = await dispatchedCase();
    await actOk(liaison, c.id, 'sign');
    await actOk(liaison, c.id, 'answer', { note: '已办' });
    await actOk(citizen, c.id, 'rate', { payload: { score: 3 } });
    expect((await caseOf(citizen, c.id)).allowedActions).toContain('reopen');
    expect((await act(other, c.id, 'reopen', { note: '还有问题' })).statusCode).toBe(404);
    expect((await act(office, c.id, 'reopen', { note: '还有问题' })).statusCode).toBe(403);
    const reopened = await actOk(citizen, c.id, 'reopen', { note: '问题又出现了' });
    expect(reopened).toMatchObject({ state: 'processing', reopenCount: 1 });
    expect((await notificationsOf('liaison', 'case.redo')).some((n) => n.record_id === c.id)).toBe(true);
    for (let round = 2; round <= 3; round++) {
      await actOk(liaison, c.id, 'answer', { note: `第${round}次` });
      await actOk(citizen, c.id, 'rate', { payload: { score: 1 } });
      await actOk(citizen, c.id, 'reopen', { note: '仍未解决' });
    }
    await actOk(liaison, c.id, 'answer', { note: '第4次' });
    await actOk(citizen, c.id, 'rate', { payload: { score: 1 } });
    const limit = await act(citizen, c.id, 'reopen', { note: '再次' });
    expect(limit.statusCode).toBe(409);
    expect(limit.json().error.code).toBe('CASE_REOPEN_LIMIT');

    const late = await dispatchedCase();
    await actOk(liaison, late.id, 'sign');
    await actOk(liaison, late.id, 'answer', { note: '已办' });
    await actOk(citizen, late.id, 'rate', { payload: { score: 5 } });
    await travel(t.clock.now().getTime() + 8 * 24 * HOUR);
    expect((await caseOf(citizen, late.id)).allowedActions).not.toContain('reopen');
    const expired = await act(citizen, late.id, 'reopen', { note: '又坏了' });
    expect(expired.statusCode).toBe(409);
    expect(expired.json().error.code).toBe('CASE_REOPEN_EXPIRED');
  });

  it('extensions: the unit asks, the office approves, due_at follows', async () => {
    const c = await dispatchedCase();
    await actOk(liaison, c.id, 'sign');
    const due = (await caseOf(liaison, c.id)).dueAt as string;
    const later = new Date(Date.parse(due) + 5 * 24 * HOUR).toISOString();
    expect((await act(liaison, c.id, 'request_extension', { payload: { dueAt: later } })).statusCode).toBe(
      400,
    );
    await actOk(liaison, c.id, 'request_extension', { note: '需协调多部门', payload: { dueAt: later } });
    expect((await caseOf(office, c.id)).allowedActions).toEqual(
      expect.arrayContaining(['approve_extension', 'reject_extension']),
    );
    expect((await act(liaison, c.id, 'approve_extension')).statusCode).toBe(403);
    const ok = await actOk(office, c.id, 'approve_extension');
    expect(ok.dueAt).toBe(later);
    // Answering while a second request waits settles it: nothing is left pending.
    const further = new Date(Date.parse(later) + 24 * HOUR).toISOString();
    await actOk(liaison, c.id, 'request_extension', { note: '再延一天', payload: { dueAt: further } });
    const answered = await actOk(liaison, c.id, 'answer', { note: '已答复' });
    expect(answered.pendingExtension).toBeNull();
  });

  it('rejects, merges (the duplicate’s people follow the original) and urges', async () => {
    const a = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    const rejected = await actOk(office, a.id, 'reject', { note: '重复提交的测试数据' });
    expect(rejected.state).toBe('rejected');
    expect((await act(office, a.id, 'dispatch', { payload: { unitId: health } })).statusCode).toBe(409);

    const original = await dispatchedCase();
    const dup = await fileCase(other, { categoryId: order, areaUnitId: area.villageId });
    expect((await act(office, dup.id, 'merge', { note: '重复' })).statusCode).toBe(400);
    const self = await act(office, dup.id, 'merge', { note: '重复', payload: { originalId: dup.id } });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.fields[0].field).toBe('payload.originalId');
    const merged = await actOk(office, dup.id, 'merge', {
      note: '与原诉求重复',
      payload: { originalId: original.id },
    });
    expect(merged).toMatchObject({ state: 'merged', duplicateOf: { id: original.id, no: original.no } });
    expect((await notificationsOf('volunteer', 'case.merged')).some((n) => n.record_id === original.id)).toBe(
      true,
    );
    const follows = await t.ctx.database.db
      .selectFrom('case_follows as f')
      .innerJoin('users as u', 'u.id', 'f.user_id')
      .select('u.username')
      .where('f.case_id', '=', original.id)
      .execute();
    expect(follows.map((f) => f.username)).toEqual(['volunteer']);

    expect((await act(office, original.id, 'urge')).statusCode).toBe(400);
    await actOk(office, original.id, 'urge', { note: '请尽快办理' });
    expect((await notificationsOf('liaison', 'case.urged')).some((n) => n.record_id === original.id)).toBe(
      true,
    );
  });

  it('validity: a valid citizen report records one points event, however often it is marked', async () => {
    const c = await fileCase(citizen, { categoryId: order, areaUnitId: area.villageId });
    const events = () =>
      t.ctx.database.db
        .selectFrom('domain_events')
        .selectAll()
        .where('type', '=', 'case.valid')
        .where('subject_id', '=', c.id)
        .execute();
    expect((await citizen.post(`/api/cases/${c.id}/validity`, { valid: true })).statusCode).toBe(403);
    const first = await office.post(`/api/cases/${c.id}/validity`, { valid: true });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().valid).toBe(true);
    await office.post(`/api/cases/${c.id}/validity`, { valid: false });
    await office.post(`/api/cases/${c.id}/validity`, { valid: true });
    const rows = await events();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toEqual({ no: c.no, categoryCode: 'order' });
  });
});

describe(`case SLA on ${ENGINE}`, () => {
  it('emergency cases: 2 hours on the clock; reminder 30 minutes ahead, overdue at due, circular 5 working days late', async () => {
    const emergency = await makeCategory(office, { slaClass: 'emergency' });
    await makeRule(office, { categoryId: emergency, areaUnitId: null, unitId: health });
    const start = t.clock.now().getTime();
    const c = await fileCase(citizen, { categoryId: emergency, areaUnitId: area.villageId });
    expect(c).toMatchObject({ state: 'dispatched', unitId: health });
    const d = await caseOf(office, c.id);
    expect(Date.parse(d.dueAt) - start).toBe(2 * HOUR);
    expect(d.deadlines.map((x: { kind: string; urgent: boolean }) => `${x.kind}:${x.urgent}`)).toEqual([
      'sign:true',
      'answer:true',
    ]);
    const events = async () =>
      (
        await t.ctx.database.db
          .selectFrom('deadline_events as e')
          .innerJoin('deadlines as d', 'd.id', 'e.deadline_id')
          .select(['e.kind', 'd.kind as deadline'])
          .where('e.record_id', '=', c.id)
          .orderBy('e.at')
          .orderBy('e.stage')
          .execute()
      ).map((e) => `${e.deadline}:${e.kind}`);

    // Sign (1 hour): reminder at 30 minutes; answer (2 hours): reminder at 90 minutes.
    await travel(start + 31 * 60_000);
    await sweepDeadlines(t.ctx);
    expect(await events()).toEqual(['sign_urgent:reminder']);
    expect((await caseOf(office, c.id)).slaColor).toBe('yellow');
    await travel(start + 61 * 60_000);
    await sweepDeadlines(t.ctx);
    expect(await events()).toEqual(['sign_urgent:reminder', 'sign_urgent:overdue']);
    expect((await caseOf(office, c.id)).slaColor).toBe('red');
    await travel(start + 91 * 60_000);
    await sweepDeadlines(t.ctx);
    expect((await events()).slice(-1)).toEqual(['answer_urgent:reminder']);
    await travel(start + 2 * HOUR);
    await sweepDeadlines(t.ctx);
    expect((await events()).slice(-1)).toEqual(['answer_urgent:overdue']);
    expect((await notificationsOf('liaison', 'deadline.overdue')).some((n) => n.record_id === c.id)).toBe(
      true,
    );
    expect(
      (await notificationsOf('office_admin', 'deadline.overdue')).some((n) => n.record_id === c.id),
    ).toBe(true);
    // Five working days after the due day: the unit goes on the circular list, once.
    await travel(start + 10 * 24 * HOUR);
    await sweepDeadlines(t.ctx);
    await sweepDeadlines(t.ctx);
    expect((await events()).filter((e) => e.endsWith(':circular'))).toEqual(['answer_urgent:circular']);
    expect((await notificationsOf('liaison', 'deadline.circular')).some((n) => n.record_id === c.id)).toBe(
      true,
    );
  });

  it('ordinary cases: the reminder a working day ahead, overdue when due; answering meets the deadline', async () => {
    const c = await dispatchedCase();
    const due = Date.parse((await caseOf(office, c.id)).dueAt);
    await travel(due - 12 * HOUR);
    await sweepDeadlines(t.ctx);
    expect((await caseOf(office, c.id)).slaColor).toBe('red');
    const kinds = await t.ctx.database.db
      .selectFrom('deadline_events as e')
      .innerJoin('deadlines as d', 'd.id', 'e.deadline_id')
      .select(['e.kind', 'd.kind as deadline'])
      .where('e.record_id', '=', c.id)
      .execute();
    // The sign deadline was long past: its reminder is skipped, its overdue notice fires.
    expect(kinds.map((k) => `${k.deadline}:${k.kind}`).sort()).toEqual(['answer:reminder', 'sign:overdue']);
    await actOk(liaison, c.id, 'sign');
    const answered = await actOk(liaison, c.id, 'answer', { note: '按时答复' });
    expect(answered.slaColor).toBe('green');
    expect(answered.deadlines.every((d: { status: string }) => d.status !== 'open')).toBe(true);
  });
});
