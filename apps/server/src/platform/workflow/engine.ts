import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import { int, json } from '../../db/normalize.ts';
import type { DB } from '../../db/schema.ts';
import type { WorkCalendar } from '../calendar/calendar.ts';
import { getCalendar } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { linkFiles } from '../files/service.ts';
import { AppError, invalidField, notFound } from '../http/errors.ts';
import { type Tx, writeTx } from '../tx.ts';
import { deadlineOps, refreshColors } from './deadlines.ts';
import {
  actionList,
  allowedActions,
  type Caller,
  type Machine,
  type TransitionInput,
  type WorkflowRecord,
} from './machine.ts';

export interface TransitionResult<R> {
  record: R;
  from: string;
  to: string;
  seq: number;
}

function actorOfCaller(caller: Caller) {
  return { id: caller.user.id, name: caller.user.displayName, ip: caller.ip };
}

interface HistoryStep {
  from: string | null;
  action: string;
  to: string;
  note?: string | null;
  payload?: unknown;
  attachments?: string[];
}

function historyRow(type: string, recordId: string, caller: Caller | null, step: HistoryStep, at: Date) {
  return {
    id: uuidv7(),
    record_type: type,
    record_id: recordId,
    at: at.toISOString(),
    actor_id: caller?.user.id ?? null,
    actor_name: caller?.user.displayName ?? 'system',
    actor_unit_id: caller?.user.unitId ?? null,
    from_state: step.from,
    action: step.action,
    to_state: step.to,
    note: step.note ?? null,
    payload: JSON.stringify(step.payload ?? {}),
    attachments: JSON.stringify(step.attachments ?? []),
  };
}

/**
 * Appends one history row. A new record's first row is seq 1; otherwise the next seq is computed in the
 * insert itself (one statement): concurrent transitions of one record are already serialised by the
 * version check on the record's row.
 */
async function appendHistory(
  tx: Tx,
  type: string,
  recordId: string,
  caller: Caller | null,
  step: HistoryStep,
  at: Date,
  first = false,
): Promise<number> {
  const row = await tx.db
    .insertInto('workflow_history')
    .values({
      ...historyRow(type, recordId, caller, step, at),
      seq: first
        ? 1
        : sql<number>`(select coalesce(max(seq), 0) + 1 from workflow_history
            where record_type = ${type} and record_id = ${recordId})`,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return int(row.seq);
}

/**
 * Creates a record in the machine's initial state inside the caller's transaction: `insert` writes the
 * row (state = initial, version = 1) and may return the record as `load` would read it (saves the
 * read), then the first history row is written and `onCreate` may open deadlines and notify.
 */
export async function createRecord<R extends WorkflowRecord>(
  ctx: AppContext,
  tx: Tx,
  /** Loaded before the transaction: on SQLite nothing may read outside it while it is open. */
  cal: WorkCalendar,
  machine: Machine<R>,
  caller: Caller,
  recordId: string,
  opts: {
    // biome-ignore lint/suspicious/noConfusingVoidType: most inserts return nothing, and say so as `async () => {}`
    insert: () => Promise<R | void>;
    note?: string | null;
    attachments?: string[];
    payload?: Record<string, unknown>;
    onCreate?: (args: Parameters<NonNullable<Machine<R>['actions'][string]['effects']>>[0]) => Promise<void>;
    /** The state `insert` wrote when it is not the machine's initial one (e.g. a case routed at intake). */
    state?: string;
  },
): Promise<R> {
  const initial = opts.state ?? machine.initial;
  if (!machine.states.includes(initial)) throw new Error(`${machine.type}: no state ${initial}`);
  const now = ctx.clock.now();
  const inserted = await opts.insert();
  if (opts.attachments?.length)
    await linkFiles(tx, opts.attachments, { type: machine.type, id: recordId }, caller.user.id);
  await appendHistory(
    tx,
    machine.type,
    recordId,
    caller,
    {
      from: null,
      action: 'create',
      to: initial,
      note: opts.note,
      payload: opts.payload,
      attachments: opts.attachments,
    },
    now,
    true,
  );
  const record = inserted || (await machine.load(tx.db as Kysely<DB>, recordId));
  if (!record) throw new Error(`${machine.type} ${recordId} vanished inside its own transaction`);
  if (opts.onCreate) {
    await opts.onCreate({
      ctx,
      tx,
      record,
      caller,
      input: { action: 'create', version: record.version, note: opts.note, payload: opts.payload },
      now,
      to: initial,
      deadlines: deadlineOps(tx, cal, { type: machine.type, id: recordId }, now, caller.user.id),
    });
    if (machine.sla) await refreshColors(tx.db as Kysely<DB>, cal, machine.type, [recordId], now);
  }
  return record;
}

/**
 * Performs one action on one record: scope, state, permission, relation, version, required note and
 * evidence, guard; then the state change, one history row and the action's effects (deadlines,
 * notifications) in one transaction with its audit row. The loser of two concurrent transitions gets
 * 409 STALE_VERSION and changes nothing.
 */
export async function transition<R extends WorkflowRecord>(
  ctx: AppContext,
  machine: Machine<R>,
  recordId: string,
  input: TransitionInput,
  caller: Caller,
): Promise<TransitionResult<R>> {
  const cal = await getCalendar(ctx);
  return writeTx(ctx, actorOfCaller(caller), async (tx) => {
    const db = tx.db as Kysely<DB>;
    const record = await machine.load(db, recordId);
    if (!record) throw notFound();
    const step = await transitionInTx(ctx, tx, cal, machine, record, input, caller);
    const updated = await machine.load(db, record.id);
    if (!updated) throw notFound();
    return { ...step, record: updated };
  });
}

/** An action that passed its checks: on what, by whom, to which state, with its trimmed note and files. */
interface CheckedStep<R extends WorkflowRecord> {
  machine: Machine<R>;
  record: R;
  input: TransitionInput;
  caller: Caller;
  action: Machine<R>['actions'][string];
  to: string;
  note: string | null;
  attachments: string[];
}

/**
 * Whether `caller` may perform `input` on `record` now: scope, state, permission, relation, version,
 * required note and evidence, guard. Returns the checked step (its target state, trimmed note, attachments).
 */
async function checkStep<R extends WorkflowRecord>(
  db: Kysely<DB>,
  machine: Machine<R>,
  record: R,
  input: TransitionInput,
  caller: Caller,
): Promise<CheckedStep<R>> {
  if (!(await machine.visible(db, record, caller.scope, caller.user))) throw notFound();
  const action = Object.hasOwn(machine.actions, input.action) ? machine.actions[input.action] : undefined;
  const allowed = actionList(machine, allowedActions(machine, caller.user, record));
  if (!action) throw invalidField('action', 'WORKFLOW_UNKNOWN_ACTION', { allowed });
  const actionName = machine.labels.actions[input.action];
  if (!action.from.includes(record.state)) {
    throw new AppError(409, 'WORKFLOW_ILLEGAL_ACTION', {
      action: actionName,
      state: machine.labels.states[record.state] ?? record.state,
      allowed,
    });
  }
  if (!caller.user.permissions.has(action.permission) || (action.who && !action.who(caller.user, record))) {
    throw new AppError(403, 'WORKFLOW_NOT_YOURS', { action: actionName, allowed });
  }
  if (input.version !== record.version) {
    throw new AppError(409, 'STALE_VERSION', { current: record.version });
  }
  const note = input.note?.trim() || null;
  if (action.note === 'required' && !note) throw invalidField('note', 'WORKFLOW_NOTE_REQUIRED');
  const attachments = [...new Set(input.attachments ?? [])];
  if (action.attachments === 'required' && !attachments.length) {
    throw invalidField('attachments', 'WORKFLOW_EVIDENCE_REQUIRED');
  }
  if (!action.attachments && attachments.length) throw invalidField('attachments', 'WORKFLOW_NO_ATTACHMENTS');
  const refused = action.guard?.(record);
  if (refused) throw new AppError(409, refused);
  const to = typeof action.to === 'function' ? action.to(record, input, caller) : (action.to ?? record.state);
  return { machine, record, input, caller, action, to, note, attachments };
}

/** Runs a checked step's effects; returns the history payload (the input's and what the effects decided). */
async function runEffects<R extends WorkflowRecord>(
  ctx: AppContext,
  tx: Tx,
  cal: WorkCalendar,
  step: CheckedStep<R>,
  now: Date,
): Promise<Record<string, unknown>> {
  const { machine, record, input, caller } = step;
  const outcome = await step.action.effects?.({
    ctx,
    tx,
    record,
    caller,
    input: { ...input, note: step.note, attachments: step.attachments },
    now,
    to: step.to,
    deadlines: deadlineOps(tx, cal, { type: machine.type, id: record.id }, now, caller.user.id),
  });
  // What the effects decided (e.g. an approved extension's new due date) is part of the history.
  return { ...(input.payload ?? {}), ...(outcome?.payload ?? {}) };
}

/** The history row of a checked step, with the payload its effects returned. */
function stepHistory<R extends WorkflowRecord>(
  step: CheckedStep<R>,
  payload: Record<string, unknown>,
): HistoryStep {
  const { record, input, to, note, attachments } = step;
  return { from: record.state, action: input.action, to, note, payload, attachments };
}

async function auditStep<R extends WorkflowRecord>(
  tx: Tx,
  step: CheckedStep<R>,
  payload: Record<string, unknown>,
): Promise<void> {
  const { machine, record, input } = step;
  await tx.audit({
    action: `${machine.type}.${input.action}`,
    entity: machine.type,
    entityId: record.id,
    before: { state: record.state, version: record.version },
    after: {
      state: step.to,
      version: record.version + 1,
      note: step.note,
      attachments: step.attachments,
      payload,
    },
  });
}

/**
 * `transition` on a record already read inside the caller's transaction: every check, the state change,
 * effects, history and audit exactly as there, without reading the record again before or after. `cal`
 * is loaded before the transaction (SQLite).
 */
export async function transitionInTx<R extends WorkflowRecord>(
  ctx: AppContext,
  tx: Tx,
  cal: WorkCalendar,
  machine: Machine<R>,
  record: R,
  input: TransitionInput,
  caller: Caller,
): Promise<Omit<TransitionResult<R>, 'record'>> {
  const db = tx.db as Kysely<DB>;
  const step = await checkStep(db, machine, record, input, caller);
  const now = ctx.clock.now();
  const res = await sql`update ${sql.table(machine.table)}
    set state = ${step.to}, version = version + 1, updated_at = ${now.toISOString()}
    where id = ${record.id} and version = ${record.version}`.execute(db);
  if (Number(res.numAffectedRows ?? 0) !== 1) {
    throw new AppError(409, 'STALE_VERSION', { current: record.version + 1 });
  }
  if (step.attachments.length)
    await linkFiles(tx, step.attachments, { type: machine.type, id: record.id }, caller.user.id);
  const payload = await runEffects(ctx, tx, cal, step, now);
  const seq = await appendHistory(tx, machine.type, record.id, caller, stepHistory(step, payload), now);
  // Without an SLA policy a record has no deadlines: its sla_color never moves.
  if (machine.sla) await refreshColors(db, cal, machine.type, [record.id], now);
  await auditStep(tx, step, payload);
  return { from: record.state, to: step.to, seq };
}

/**
 * Creates a record and performs one action on it at once (e.g. a report created and submitted in one
 * request), as `createRecord` and then `transitionInTx` would — the same checks, effects, history and audit
 * of the action — in fewer statements: `insert` writes the row straight in the action's target state
 * (`version` 2), and both history rows are held for the end of the transaction (`Tx.insertLater`).
 * `record` is the record as `load` would read it after a plain creation (the machine's initial state,
 * version 1): the checks and effects see it so. (No `onCreate`: a machine whose creation opens deadlines
 * goes through `createRecord`.)
 */
export async function createAndAct<R extends WorkflowRecord>(
  ctx: AppContext,
  tx: Tx,
  cal: WorkCalendar,
  machine: Machine<R>,
  caller: Caller,
  record: R,
  input: TransitionInput,
  opts: {
    insert: (state: string, version: number) => Promise<void>;
    /** The creation's attachments (the action's come with `input`). */
    attachments?: string[];
  },
): Promise<Omit<TransitionResult<R>, 'record'>> {
  if (record.state !== machine.initial || record.version !== 1)
    throw new Error(`${machine.type}: createAndAct starts from ${machine.initial}, version 1`);
  const db = tx.db as Kysely<DB>;
  const step = await checkStep(db, machine, record, input, caller);
  const now = ctx.clock.now();
  await opts.insert(step.to, record.version + 1);
  const files = [...new Set([...(opts.attachments ?? []), ...step.attachments])];
  if (files.length) await linkFiles(tx, files, { type: machine.type, id: record.id }, caller.user.id);
  const payload = await runEffects(ctx, tx, cal, step, now);
  const created = { from: null, action: 'create', to: record.state, attachments: opts.attachments };
  // nothing in the transaction reads a new record's history: it goes in with the group's other rows
  tx.insertLater('workflow_history', [
    { ...historyRow(machine.type, record.id, caller, created, now), seq: 1 },
    { ...historyRow(machine.type, record.id, caller, stepHistory(step, payload), now), seq: 2 },
  ]);
  if (machine.sla) await refreshColors(db, cal, machine.type, [record.id], now);
  await auditStep(tx, step, payload);
  return { from: record.state, to: step.to, seq: 2 };
}

export interface TimelineEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorUnitId: string | null;
  from: string | null;
  action: string;
  to: string;
  note: string | null;
  payload: Record<string, unknown>;
  attachments: string[];
}

/** A record's history, oldest first (the caller has already checked that the record is visible). */
export async function timeline(db: Kysely<DB>, type: string, recordId: string): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('workflow_history')
    .selectAll()
    .where('record_type', '=', type)
    .where('record_id', '=', recordId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: int(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorUnitId: r.actor_unit_id,
    from: r.from_state,
    action: r.action,
    to: r.to_state,
    note: r.note,
    payload: json<Record<string, unknown>>(r.payload) ?? {},
    attachments: json<string[]>(r.attachments) ?? [],
  }));
}
