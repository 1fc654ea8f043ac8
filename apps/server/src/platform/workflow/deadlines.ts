import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import type { Engine } from '../../db/index.ts';
import type { DB, DeadlineTable } from '../../db/schema.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import type { WorkCalendar } from '../calendar/calendar.ts';
import { getCalendar } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { AppError, invalidField } from '../http/errors.ts';
import type { Tx } from '../tx.ts';
import { writeTx } from '../tx.ts';
import type { DeadlineOps } from './machine.ts';
import { formatNumber, reserveSupervisionNumbers } from './numbers.ts';
import { type FiredStage, workflowOf } from './registry.ts';
import {
  type DeadlineDef,
  deadlineColor,
  dueStages,
  nextStage,
  type SlaColor,
  type SlaPolicy,
  worstColor,
} from './sla.ts';

export interface RecordRef {
  type: string;
  id: string;
}

function defOf(policy: SlaPolicy | undefined, kind: string): DeadlineDef {
  const def = policy?.deadlines[kind];
  if (!def) throw new Error(`SLA policy ${policy?.name ?? '(none)'} has no deadline "${kind}"`);
  return def;
}

function policyOf(type: string): SlaPolicy | undefined {
  return workflowOf(type)?.machine.sla;
}

/** The deadline operations of one record inside one transaction (what workflow effects use). */
export function deadlineOps(
  tx: Tx,
  cal: WorkCalendar,
  record: RecordRef,
  now: Date,
  actorId: string | null,
): DeadlineOps {
  const policy = policyOf(record.type);
  const openRows = () =>
    tx.db
      .selectFrom('deadlines')
      .selectAll()
      .where('record_type', '=', record.type)
      .where('record_id', '=', record.id)
      .where('status', '=', 'open')
      .execute();

  return {
    async open(kind, duration, opts = {}) {
      const def = defOf(policy, kind);
      const start = opts.from ?? now;
      const due = cal.addDuration(start, duration);
      // A kind runs once at a time per record: reopening replaces the running one.
      await tx.db
        .updateTable('deadlines')
        .set({ status: 'cancelled', next_fire_at: null, updated_at: now.toISOString() })
        .where('record_type', '=', record.type)
        .where('record_id', '=', record.id)
        .where('kind', '=', kind)
        .where('status', '=', 'open')
        .execute();
      const next = nextStage(cal, def, 0, start, due, now);
      await tx.db
        .insertInto('deadlines')
        .values({
          id: uuidv7(),
          record_type: record.type,
          record_id: record.id,
          policy: policy?.name ?? '',
          kind,
          unit_id: opts.unitId ?? null,
          status: 'open',
          starts_at: start.toISOString(),
          due_at: due.toISOString(),
          original_due_at: due.toISOString(),
          round: 0,
          stage: next?.stage ?? def.stages.length,
          next_fire_at: next?.at.toISOString() ?? null,
          met_at: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
    },

    async meet(...kinds) {
      if (!kinds.length) return;
      await tx.db
        .updateTable('deadlines')
        .set({ status: 'met', met_at: now.toISOString(), next_fire_at: null, updated_at: now.toISOString() })
        .where('record_type', '=', record.type)
        .where('record_id', '=', record.id)
        .where('kind', 'in', kinds)
        .where('status', '=', 'open')
        .execute();
    },

    async cancelAll() {
      await tx.db
        .updateTable('deadlines')
        .set({ status: 'cancelled', next_fire_at: null, updated_at: now.toISOString() })
        .where('record_type', '=', record.type)
        .where('record_id', '=', record.id)
        .where('status', '=', 'open')
        .execute();
      await tx.db
        .updateTable('deadline_extensions')
        .set({ status: 'rejected', decided_at: now.toISOString(), decision_note: 'closed' })
        .where('record_type', '=', record.type)
        .where('record_id', '=', record.id)
        .where('status', '=', 'pending')
        .execute();
    },

    async requestExtension(kind, dueAt, reason) {
      const row = (await openRows()).find((r) => r.kind === kind);
      if (!row) throw new AppError(409, 'EXTENSION_NO_DEADLINE');
      if (now.getTime() >= Date.parse(row.due_at)) throw new AppError(409, 'EXTENSION_TOO_LATE');
      if (dueAt.getTime() <= Date.parse(row.due_at)) {
        throw invalidField('payload.dueAt', 'EXTENSION_NOT_LATER', { due: row.due_at });
      }
      const pending = await tx.db
        .selectFrom('deadline_extensions')
        .select('id')
        .where('record_type', '=', record.type)
        .where('record_id', '=', record.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (pending) throw new AppError(409, 'EXTENSION_PENDING');
      await tx.db
        .insertInto('deadline_extensions')
        .values({
          id: uuidv7(),
          deadline_id: row.id,
          record_type: record.type,
          record_id: record.id,
          status: 'pending',
          old_due_at: row.due_at,
          requested_due_at: dueAt.toISOString(),
          reason,
          requested_by: actorId,
          requested_at: now.toISOString(),
          decided_by: null,
          decided_at: null,
          decision_note: null,
        })
        .execute();
    },

    async decideExtension(approve, note) {
      const ext = await tx.db
        .selectFrom('deadline_extensions')
        .selectAll()
        .where('record_type', '=', record.type)
        .where('record_id', '=', record.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!ext) throw new AppError(409, 'EXTENSION_NONE_PENDING');
      await tx.db
        .updateTable('deadline_extensions')
        .set({
          status: approve ? 'approved' : 'rejected',
          decided_by: actorId,
          decided_at: now.toISOString(),
          decision_note: note,
        })
        .where('id', '=', ext.id)
        .execute();
      if (!approve) return null;
      const row = await tx.db
        .selectFrom('deadlines')
        .selectAll()
        .where('id', '=', ext.deadline_id)
        .executeTakeFirstOrThrow();
      if (row.status !== 'open') return null;
      const def = defOf(policy, row.kind);
      const due = new Date(ext.requested_due_at);
      // A new round: the stages fire again against the new date (the unique key includes the round).
      const next = nextStage(cal, def, 0, new Date(row.starts_at), due, now);
      await tx.db
        .updateTable('deadlines')
        .set({
          due_at: due.toISOString(),
          round: row.round + 1,
          stage: next?.stage ?? def.stages.length,
          next_fire_at: next?.at.toISOString() ?? null,
          updated_at: now.toISOString(),
        })
        .where('id', '=', row.id)
        .execute();
      return { kind: row.kind, dueAt: due.toISOString() };
    },
  };
}

/** The worst color of a record's open deadlines at `now`. */
export function colorOf(cal: WorkCalendar, type: string, open: DeadlineTable[], now: Date): SlaColor {
  const policy = policyOf(type);
  return worstColor(
    open.map((d) =>
      deadlineColor(cal, defOf(policy, d.kind), new Date(d.starts_at), new Date(d.due_at), now),
    ),
  );
}

/** Recomputes sla_color of the given records of one type from their open deadlines. */
export async function refreshColors(
  db: Kysely<DB>,
  cal: WorkCalendar,
  type: string,
  ids: string[],
  now: Date,
): Promise<void> {
  const entry = workflowOf(type);
  if (!entry || !ids.length) return;
  const table = entry.machine.table;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const open = await db
      .selectFrom('deadlines')
      .selectAll()
      .where('record_type', '=', type)
      .where('record_id', 'in', chunk)
      .where('status', '=', 'open')
      .execute();
    const byRecord = new Map<string, DeadlineTable[]>(chunk.map((id) => [id, []]));
    for (const d of open) byRecord.get(d.record_id)?.push(d);
    const byColor = new Map<SlaColor, string[]>();
    for (const [id, rows] of byRecord) {
      const c = colorOf(cal, type, rows, now);
      const list = byColor.get(c);
      if (list) list.push(id);
      else byColor.set(c, [id]);
    }
    for (const [color, recordIds] of byColor) {
      await sql`update ${sql.table(table)} set sla_color = ${color}
        where id in (${sql.join(recordIds)}) and sla_color <> ${color}`.execute(db);
    }
  }
}

/** Deadlines claimed per statement on SQLite: 1,000 parameters. */
const CLAIM_CHUNK = 200;

/**
 * The sweep only ever makes colors worse: without a transition, an open deadline goes from green to
 * yellow (its reminder) to red (due), never back. So a fired stage sets the record's color to at least
 * the stage's color, with no need to read the record's other deadlines (transitions recompute in full).
 */
async function worsenColors(
  db: Kysely<DB>,
  engine: Engine,
  type: string,
  fired: FiredStage[],
): Promise<void> {
  const entry = workflowOf(type);
  if (!entry) return;
  const red = new Set<string>();
  const yellow = new Set<string>();
  for (const f of fired) (f.kind === 'reminder' ? yellow : red).add(f.recordId);
  for (const id of red) yellow.delete(id);
  const table = entry.machine.table;
  const update = async (ids: Set<string>, color: SlaColor, from: SlaColor[]) => {
    const list = [...ids];
    if (!list.length) return;
    if (engine === 'postgres') {
      await sql`update ${sql.table(table)} set sla_color = ${color}
        where id = any(${list}::text[]) and sla_color in (${sql.join(from)})`.execute(db);
      return;
    }
    for (let i = 0; i < list.length; i += 500) {
      await sql`update ${sql.table(table)} set sla_color = ${color}
        where id in (${sql.join(list.slice(i, i + 500))}) and sla_color in (${sql.join(from)})`.execute(db);
    }
  };
  await update(red, 'red', ['green', 'yellow']);
  await update(yellow, 'yellow', ['green']);
}

interface Claim {
  id: string;
  oldStage: number;
  round: number;
  newStage: number;
  nextFire: string | null;
}

/**
 * Advances many deadlines in one statement, each only if nobody advanced it first (its stage and round
 * are still those read): returns the ids this caller claimed. PostgreSQL takes the batch as arrays
 * (UPDATE … FROM unnest(…)); SQLite takes chunks of UPDATE … FROM (VALUES …) with bare parameters (a
 * cast there would steer its planner away from the primary key and scan every deadline).
 */
async function claimStages(
  db: Kysely<DB>,
  engine: Engine,
  claims: Claim[],
  nowIso: string,
): Promise<Set<string>> {
  if (engine === 'postgres') {
    // One statement for the whole batch: five array parameters, whatever the number of deadlines.
    const res = await sql<{ id: string }>`update deadlines
      set stage = v.new_stage, next_fire_at = v.next_fire, updated_at = ${nowIso}
      from unnest(${claims.map((c) => c.id)}::text[], ${claims.map((c) => c.oldStage)}::int[],
                  ${claims.map((c) => c.round)}::int[], ${claims.map((c) => c.newStage)}::int[],
                  ${claims.map((c) => c.nextFire)}::text[])
        as v(id, old_stage, round_no, new_stage, next_fire)
      where deadlines.id = v.id and deadlines.stage = v.old_stage and deadlines.round = v.round_no
        and deadlines.status = 'open'
      returning deadlines.id`.execute(db);
    return new Set(res.rows.map((r) => r.id));
  }
  const out = new Set<string>();
  for (let i = 0; i < claims.length; i += CLAIM_CHUNK) {
    const values = sql.join(
      claims
        .slice(i, i + CLAIM_CHUNK)
        .map((c) => sql`(${c.id}, ${c.oldStage}, ${c.round}, ${c.newStage}, ${c.nextFire})`),
    );
    const res = await sql<{ id: string }>`update deadlines
      set stage = v.new_stage, next_fire_at = v.next_fire, updated_at = ${nowIso}
      from (select column1 as id, column2 as old_stage, column3 as round_no, column4 as new_stage,
                   column5 as next_fire from (values ${values}) as vv) as v
      where deadlines.id = v.id and deadlines.stage = v.old_stage and deadlines.round = v.round_no
        and deadlines.status = 'open'
      returning deadlines.id`.execute(db);
    for (const r of res.rows) out.add(r.id);
  }
  return out;
}

/**
 * Deadlines per sweep transaction. Notifications are grouped per audience within a batch, so larger
 * batches send fewer, fuller summaries; 5,000 keeps one transaction well under a second.
 */
const SWEEP_BATCH = 5000;

export interface SweepResult {
  /** Deadlines advanced by this sweep. */
  deadlines: number;
  /** Stage events written (reminders, overdue notices, escalations, supervision notices, circulars). */
  fired: number;
  batches: number;
}

/**
 * Fires every escalation stage that is due: one batch of deadlines per transaction, each stage at most
 * once (claimed with a conditional update, and unique per deadline, round and stage in the database).
 * A deadline missed while the server was down fires on the first sweep after start, once.
 */
export async function sweepDeadlines(ctx: AppContext, batchSize = SWEEP_BATCH): Promise<SweepResult> {
  const cal = await getCalendar(ctx);
  const out: SweepResult = { deadlines: 0, fired: 0, batches: 0 };
  for (;;) {
    const now = ctx.clock.now();
    const nowIso = now.toISOString();
    const rows = await ctx.database.db
      .selectFrom('deadlines')
      .selectAll()
      .where('status', '=', 'open')
      .where('next_fire_at', '<=', nowIso)
      .orderBy('next_fire_at')
      .limit(batchSize)
      .execute();
    if (!rows.length) break;
    const claimed = await writeTx(ctx, SYSTEM_ACTOR, (tx) => fireBatch(ctx, tx, cal, rows, now));
    out.batches++;
    out.deadlines += claimed.deadlines;
    out.fired += claimed.fired;
    if (claimed.deadlines === 0 || rows.length < batchSize) break;
  }
  return out;
}

async function fireBatch(
  ctx: AppContext,
  tx: Tx,
  cal: WorkCalendar,
  rows: DeadlineTable[],
  now: Date,
): Promise<{ deadlines: number; fired: number }> {
  const nowIso = now.toISOString();
  const claims: Claim[] = [];
  const plans = new Map<string, { row: DeadlineTable; def: DeadlineDef; stages: number[] }>();
  for (const row of rows) {
    const def = policyOf(row.record_type)?.deadlines[row.kind];
    if (!def) {
      // A deadline of a workflow or kind that no longer exists: stop watching it, keep the row.
      claims.push({ id: row.id, oldStage: row.stage, round: row.round, newStage: row.stage, nextFire: null });
      continue;
    }
    const { fire, next } = dueStages(cal, def, row.stage, new Date(row.starts_at), new Date(row.due_at), now);
    claims.push({
      id: row.id,
      oldStage: row.stage,
      round: row.round,
      newStage: next?.stage ?? def.stages.length,
      nextFire: next?.at.toISOString() ?? null,
    });
    plans.set(row.id, { row, def, stages: fire });
  }
  let claimed = await claimStages(tx.db, ctx.database.engine, claims, nowIso);
  claimed = new Set([...claimed].filter((id) => plans.has(id)));

  const year = Number(cal.localDate(now).slice(0, 4));
  let supervisions = 0;
  for (const id of claimed) {
    const plan = plans.get(id);
    for (const st of plan?.stages ?? []) if (plan?.def.stages[st].kind === 'supervision') supervisions++;
  }
  let supervisionSeq = supervisions > 0 ? await reserveSupervisionNumbers(tx, year, supervisions) : 1;
  const fired: FiredRow[] = [];
  for (const id of claimed) {
    const plan = plans.get(id);
    if (!plan) continue;
    const { row, def, stages } = plan;
    const late = cal.workingDaysBetween(new Date(Date.parse(row.due_at) - 1), now);
    for (const stage of stages) {
      const kind = def.stages[stage].kind;
      fired.push({
        eventId: uuidv7(),
        deadlineId: row.id,
        recordId: row.record_id,
        recordType: row.record_type,
        unitId: row.unit_id,
        kind,
        deadlineKind: row.kind,
        dueAt: row.due_at,
        workingDaysLate: Math.max(0, late),
        noticeNo: kind === 'supervision' ? formatNumber('DB', year, supervisionSeq++) : null,
        round: row.round,
        stage,
      });
    }
  }
  await insertEvents(tx.db, ctx.database.engine, fired, nowIso);
  const byType = new Map<string, FiredStage[]>();
  for (const f of fired) {
    const list = byType.get(f.recordType);
    if (list) list.push(f);
    else byType.set(f.recordType, [f]);
  }
  for (const [type, list] of byType) {
    await workflowOf(type)?.sla?.onStages(ctx, tx, list);
    await worsenColors(tx.db, ctx.database.engine, type, list);
  }
  if (fired.length) {
    await tx.audit({
      action: 'deadline.fire',
      entity: 'deadlines',
      // The events themselves are in deadline_events; the digest makes them tamper-evident here.
      after: {
        deadlines: claimed.size,
        events: fired.length,
        byKind: countBy(fired.map((f) => f.kind)),
        digest: createHash('sha256')
          .update(JSON.stringify(fired.map((f) => [f.eventId, f.deadlineId, f.kind, f.round, f.stage])))
          .digest('hex'),
      },
    });
  }
  return { deadlines: claimed.size, fired: fired.length };
}

type FiredRow = FiredStage & { recordType: string; round: number; stage: number };

/** Writes the fired stages: on PostgreSQL one INSERT … SELECT FROM unnest(arrays), else rows in chunks. */
async function insertEvents(db: Kysely<DB>, engine: Engine, fired: FiredRow[], nowIso: string) {
  const rows = fired.map((f) => ({
    id: f.eventId,
    deadline_id: f.deadlineId,
    record_type: f.recordType,
    record_id: f.recordId,
    unit_id: f.unitId,
    kind: f.kind,
    round: f.round,
    stage: f.stage,
    at: nowIso,
    due_at: f.dueAt,
    working_days_late: f.workingDaysLate,
    details: JSON.stringify(
      f.noticeNo ? { no: f.noticeNo, deadline: f.deadlineKind } : { deadline: f.deadlineKind },
    ),
  }));
  if (!rows.length) return;
  if (engine === 'postgres') {
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    await sql`insert into deadline_events
        (id, deadline_id, record_type, record_id, unit_id, kind, round, stage, at, due_at, working_days_late, details)
      select * from unnest(${col('id')}::text[], ${col('deadline_id')}::text[], ${col('record_type')}::text[],
        ${col('record_id')}::text[], ${col('unit_id')}::text[], ${col('kind')}::text[], ${col('round')}::int[],
        ${col('stage')}::int[], ${col('at')}::text[], ${col('due_at')}::text[], ${col('working_days_late')}::int[],
        ${col('details')}::text[])`.execute(db);
    return;
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('deadline_events')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}
