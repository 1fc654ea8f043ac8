/**
 * Keeps every task instance's colour, reason and progress true. Two paths:
 * - after a review (or any change to an instance's reports), `{ instanceIds }` re-reads those instances'
 *   reports and refreshes the stored aggregates (amounts, counts, returned/done dates) before colouring;
 * - the daily sweep, a rules change or a task edit colour from the stored aggregates, so recolouring a
 *   province's 50,000 instances reads 50,000 rows, not the million reports behind them.
 * The stored reason holds no figure that moves by itself from day to day (colorReasonAt computes those when
 * the reason is read), so an instance is rewritten only when its colour, its rule or its progress changed.
 * Changed rows are written in batches; each change of colour is kept in task_instance_colors (with the
 * reason as shown that day) and handed to the hooks (supervision: 催办 on yellow, 督办单 on red): in the
 * same transaction after a review or an edit; after the sweep in a transaction of their own (runPendingHooks),
 * driven by the history rows the sweep marked `hooks_pending`, so none is lost or run twice.
 */
import { type Kysely, sql } from 'kysely';
import {
  type Color,
  type ColorReason,
  storedColorReason,
  type TaskTarget,
} from '../../../../../../packages/contracts/src/index.ts';
import { compiledOnce } from '../../../db/compiled.ts';
import { uuidv7 } from '../../../db/ids.ts';
import type { Engine } from '../../../db/index.ts';
import { int } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { SYSTEM_ACTOR } from '../../../platform/audit/audit.ts';
import type { WorkCalendar } from '../../../platform/calendar/calendar.ts';
import type { AppContext } from '../../../platform/context.ts';
import { type ReadAhead, readAheadRows, shared, type Tx, updateRows, writeTx } from '../../../platform/tx.ts';
import { workingDaysOf } from './reason.ts';
import { colorOf, progressOf, rulesOf } from './rules.ts';

export type RecolorCause = 'review' | 'sweep' | 'edit' | 'create';

/**
 * Which instances: these (their reports re-read), these with one new report each waiting for review (a
 * report created and submitted in this transaction: the stored aggregates plus one pending report, since
 * nothing else about the instance changed), a campaign's or every active campaign's (stored aggregates).
 */
export type RecolorScope =
  | {
      instanceIds: string[];
      newPending?: true;
      /** These instances as this transaction read them a moment ago (`instanceRows`): not read again. */
      rows?: InstanceRow[];
    }
  | { campaignId: string }
  | { all: true };

export interface ColorChange {
  instanceId: string;
  campaignId: string;
  unitId: string;
  taskId: string;
  previous: Color | null;
  color: Color;
  reason: ColorReason;
}

export type ColorHook = (tx: Tx, changes: ColorChange[]) => Promise<void>;

const hooks: ColorHook[] = [];

/**
 * Registers a reaction to colour changes. It runs in the recolouring's transaction after the rows are written,
 * except for the sweep's changes: those reach it in runPendingHooks' transaction, right after the sweep's.
 */
export function onColorChanges(hook: ColorHook): void {
  hooks.push(hook);
}

/** An instance as recolouring reads it: its stored aggregates, its task's targets, its campaign's rules. */
export interface InstanceRow {
  id: string;
  campaign_id: string;
  task_id: string;
  unit_id: string;
  starts_on: string;
  due_on: string;
  color: string;
  color_reason: string;
  color_at: string;
  progress: number;
  amounts: string;
  accepted_reports: number;
  pending_reports: number;
  returned_at: string | null;
  done_on: string | null;
  targets: string;
  color_rules: string | null;
}

/** The stored aggregates of an instance, as recomputed from its reports. */
interface Aggregates {
  amounts: number[];
  accepted: number;
  pending: number;
  returnedOn: string | null;
  doneOn: string | null;
}

const ID_CHUNK = 500;

/** Changed rows a recolouring writes in one statement while it colours the next (see recolorInstances). */
const WRITE_CHUNK = 2500;

/** Every report reads its instances: compiled once per number of ids. */
const instancesById = compiledOnce<InstanceRow>(ID_CHUNK);

/** An instance's own columns as recolouring reads them. */
const OWN_COLUMNS = [
  'i.id',
  'i.campaign_id',
  'i.task_id',
  'i.unit_id',
  'i.starts_on',
  'i.due_on',
  'i.color',
  'i.color_reason',
  'i.color_at',
  'i.progress',
  'i.amounts',
  'i.accepted_reports',
  'i.pending_reports',
  'i.returned_at',
  'i.done_on',
] as const;

function instancesQuery(db: Kysely<DB>) {
  return db
    .selectFrom('task_instances as i')
    .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
    .innerJoin('campaigns as c', 'c.id', 'i.campaign_id')
    .select([...OWN_COLUMNS, 't.targets', 'c.color_rules']);
}

/**
 * The given instances as recolouring reads them in this transaction (any that do not exist are left out):
 * with the updates that jobs before this one held (`Tx.holding`) over what the database has.
 */
export async function instanceRows(tx: Tx, ids: string[]): Promise<InstanceRow[]> {
  const ahead = readAheadRows<InstanceRow>(tx, AHEAD);
  const out =
    ahead && ids.every((id) => ahead.has(id))
      ? ids.flatMap((id) => ahead.get(id) ?? [])
      : await readInstances(tx.db, ids);
  const held = heldUpdates(tx);
  if (!held.size) return out;
  return out.map((r) => {
    const u = held.get(r.id);
    return u ? { ...r, ...u } : r;
  });
}

async function readInstances(db: Kysely<DB>, ids: string[]): Promise<InstanceRow[]> {
  const out: InstanceRow[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    out.push(
      ...(await instancesById(db, String(chunk.length), chunk, (marks) =>
        instancesQuery(db).where('i.id', 'in', marks),
      )),
    );
  }
  return out;
}

const AHEAD = 'recolor.instances';

/**
 * For a holding job that will read these instances (`instanceRows`): its group reads them with those of
 * the other jobs of its run, in one statement (platform/tx.ts `ReadAhead`).
 */
export function instancesAhead(ids: readonly string[]): ReadAhead<InstanceRow> {
  return {
    kind: AHEAD,
    ids,
    read: async (tx, all) => {
      const found = new Map<string, InstanceRow | null>(all.map((id) => [id, null]));
      for (const r of await readInstances(tx.db, all)) found.set(r.id, r);
      return found;
    },
  };
}

/** The instances to colour, with their tasks' targets and their campaigns' rules (as stored). */
interface Loaded {
  rows: Omit<InstanceRow, 'targets' | 'color_rules'>[];
  targets: (taskId: string) => string;
  rules: (campaignId: string) => string | null;
}

/**
 * A few instances are read with their targets and rules (a join); a campaign's or all active campaigns'
 * read their own columns, and the targets and rules once per task and campaign: the same texts are not
 * sent and parsed again for each of 50,000 rows.
 */
async function loadInstances(tx: Tx, scope: RecolorScope): Promise<Loaded> {
  if ('instanceIds' in scope) {
    const rows = scope.rows ?? (await instanceRows(tx, scope.instanceIds));
    const targets = new Map(rows.map((r) => [r.task_id, r.targets]));
    const rules = new Map(rows.map((r) => [r.campaign_id, r.color_rules]));
    return { rows, targets: (id) => targets.get(id) ?? '[]', rules: (id) => rules.get(id) ?? null };
  }
  const campaigns = tx.db.selectFrom('campaigns').select(['id', 'color_rules']);
  const chosen = await ('all' in scope
    ? campaigns.where('status', '=', 'active')
    : campaigns.where('id', '=', scope.campaignId)
  ).execute();
  const ids = chosen.map((c) => c.id);
  if (ids.length === 0) return { rows: [], targets: () => '[]', rules: () => null };
  const tasks = await tx.db
    .selectFrom('campaign_tasks')
    .select(['id', 'targets'])
    .where('campaign_id', 'in', ids)
    .execute();
  const rows = await tx.db
    .selectFrom('task_instances as i')
    .select(OWN_COLUMNS)
    .where('i.campaign_id', 'in', ids)
    .execute();
  const targets = new Map(tasks.map((t) => [t.id, t.targets]));
  const rules = new Map(chosen.map((c) => [c.id, c.color_rules]));
  return { rows, targets: (id) => targets.get(id) ?? '[]', rules: (id) => rules.get(id) ?? null };
}

/**
 * The instance updates held in this transaction, by instance (only a holding job holds them, and a job
 * that does not hold runs after they are written: the sweep and the campaign-wide paths never see any).
 */
function heldUpdates(tx: Tx): Map<string, Update> {
  return shared(tx, 'recolor.heldUpdates', () => new Map<string, Update>());
}

/** Writes the updates now, or, in a holding job, holds them for one statement with the group's others. */
async function writeOrHold(tx: Tx, updates: Update[]): Promise<void> {
  if (!tx.holding) return writeUpdates(tx.db, tx.engine, updates);
  const held = heldUpdates(tx);
  for (const u of updates) held.set(u.id, u);
  tx.keepUpdates('recolor.heldUpdates', () => {
    const rows = [...held.values()];
    held.clear();
    return { table: 'task_instances', rows, raise: 'version' };
  });
}

/**
 * Re-reads the reports of the given instances: accepted amounts summed per target, the day the accepted
 * reports first met every target, reports waiting for review, and the last return not yet resubmitted.
 */
async function aggregatesOf(
  db: Kysely<DB>,
  cal: WorkCalendar,
  rows: readonly { id: string; task_id: string }[],
  targetsOf: (taskId: string) => TaskTarget[],
): Promise<Map<string, Aggregates>> {
  const out = new Map<string, Aggregates>();
  const taskOf = new Map<string, string>();
  for (const r of rows) {
    out.set(r.id, { amounts: [], accepted: 0, pending: 0, returnedOn: null, doneOn: null });
    taskOf.set(r.id, r.task_id);
  }
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const items = await db
      .selectFrom('ledger_report_items as it')
      .innerJoin('ledger_reports as r', 'r.id', 'it.report_id')
      .select(['it.instance_id', 'it.amounts', 'r.state', 'r.reviewed_at'])
      .where('it.instance_id', 'in', ids.slice(i, i + ID_CHUNK))
      .where('r.state', '!=', 'draft')
      .orderBy('r.reviewed_at')
      .orderBy('r.id')
      .execute();
    for (const it of items) {
      const agg = out.get(it.instance_id);
      if (!agg) continue;
      if (it.state === 'submitted' || it.state === 'unit_approved') agg.pending++;
      else if (it.state === 'returned') {
        const on = it.reviewed_at ? cal.localDate(new Date(it.reviewed_at)) : null;
        if (on && (!agg.returnedOn || on > agg.returnedOn)) agg.returnedOn = on;
      } else if (it.state === 'accepted') {
        agg.accepted++;
        const amounts = JSON.parse(it.amounts) as number[];
        for (const [k, v] of amounts.entries()) agg.amounts[k] = (agg.amounts[k] ?? 0) + v;
        const targets = targetsOf(taskOf.get(it.instance_id) ?? '');
        if (!agg.doneOn && it.reviewed_at && progressOf(targets, agg.amounts, agg.accepted) >= 100)
          agg.doneOn = cal.localDate(new Date(it.reviewed_at));
      }
    }
  }
  return out;
}

interface Update {
  id: string;
  color: string;
  color_reason: string;
  color_at: string;
  progress: number;
  amounts: string;
  accepted_reports: number;
  pending_reports: number;
  returned_at: string | null;
  done_on: string | null;
}

/** f with its results kept per argument (for the length of one recolouring). */
function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const kept = new Map<K, V>();
  return (k) => {
    if (kept.has(k)) return kept.get(k) as V;
    const v = f(k);
    kept.set(k, v);
    return v;
  };
}

/**
 * Colours the instances of `scope` as of the clock's day and writes what changed. With `deferHooks` (the
 * sweep) the colour hooks do not run here: the history rows are marked for runPendingHooks.
 */
export async function recolorInstances(
  tx: Tx,
  cal: WorkCalendar,
  scope: RecolorScope,
  cause: RecolorCause,
  opts: { deferHooks?: boolean } = {},
): Promise<ColorChange[]> {
  if ('instanceIds' in scope && scope.instanceIds.length === 0) return [];
  const now = tx.clock.now();
  const nowIso = now.toISOString();
  const today = cal.localDate(now);
  const workingDaysBetween = workingDaysOf(cal);
  const loaded = await loadInstances(tx, scope);
  const rows = loaded.rows;
  // A campaign's rules and a task's targets hold for thousands of rows: parse each once.
  const parsedRules = memo((campaignId: string) => rulesOf(loaded.rules(campaignId)));
  const parsedTargets = memo((taskId: string) => JSON.parse(loaded.targets(taskId)) as TaskTarget[]);
  const reread = 'instanceIds' in scope && !scope.newPending;
  const fresh = reread ? await aggregatesOf(tx.db, cal, rows, parsedTargets) : null;
  const added = 'instanceIds' in scope && scope.newPending ? 1 : 0;

  const updates: Update[] = [];
  const changes: ColorChange[] = [];
  // Many changed rows (the sweep) on PostgreSQL: written a chunk at a time while the next rows are
  // coloured, so that the database executes one chunk's UPDATE while the server works on the next
  // (SQLite's statements run on this thread: nothing to overlap).
  const overlap = tx.engine === 'postgres' && !tx.holding;
  const writing: Promise<void>[] = [];
  let written = 0;
  for (const r of rows) {
    if (overlap && updates.length - written >= WRITE_CHUNK) {
      const write = writeUpdates(tx.db, tx.engine, updates.slice(written));
      // awaited below with the others; a failure is not "unhandled" in the meantime
      write.catch(() => undefined);
      writing.push(write);
      written = updates.length;
      // lets the statement go out before the next rows are coloured
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stored: Aggregates = {
      amounts: JSON.parse(r.amounts) as number[],
      accepted: int(r.accepted_reports),
      pending: int(r.pending_reports) + added,
      returnedOn: r.returned_at,
      doneOn: r.done_on,
    };
    const agg = fresh?.get(r.id) ?? stored;
    const targets = parsedTargets(r.task_id);
    const progress = progressOf(targets, agg.amounts, agg.accepted);
    // A task edited to a larger target is no longer done; the sweep keeps the stored completion day.
    const doneOn = progress >= 100 && agg.accepted > 0 ? (agg.doneOn ?? stored.doneOn ?? today) : null;
    const { color, reason } = colorOf(
      {
        startsOn: r.starts_on,
        dueOn: r.due_on,
        progress,
        acceptedReports: agg.accepted,
        pendingReports: agg.pending,
        doneOn,
        returnedOn: agg.returnedOn,
      },
      parsedRules(r.campaign_id),
      today,
      workingDaysBetween,
    );
    const next: Update = {
      id: r.id,
      color,
      color_reason: JSON.stringify(storedColorReason(reason, r.starts_on)),
      color_at: color === r.color ? r.color_at : nowIso,
      progress,
      amounts: JSON.stringify(agg.amounts),
      accepted_reports: agg.accepted,
      pending_reports: agg.pending,
      returned_at: agg.returnedOn,
      done_on: doneOn,
    };
    const same =
      next.color === r.color &&
      next.color_reason === r.color_reason &&
      next.progress === int(r.progress) &&
      next.amounts === r.amounts &&
      next.accepted_reports === int(r.accepted_reports) &&
      next.pending_reports === int(r.pending_reports) &&
      next.returned_at === r.returned_at &&
      next.done_on === r.done_on;
    if (same) continue;
    updates.push(next);
    if (color !== r.color || cause === 'create')
      changes.push({
        instanceId: r.id,
        campaignId: r.campaign_id,
        unitId: r.unit_id,
        taskId: r.task_id,
        previous: cause === 'create' ? null : (r.color as Color),
        color,
        reason,
      });
  }
  writing.push(writeOrHold(tx, updates.slice(written)));
  await Promise.all(writing);
  const deferHooks = opts.deferHooks === true;
  holdHistory(tx, changes, nowIso, cause, deferHooks);
  if (changes.length > 0 && !deferHooks) await runHooks(tx, changes);
  return changes;
}

async function runHooks(tx: Tx, changes: ColorChange[]): Promise<void> {
  for (const hook of hooks) await hook(tx, changes);
}

/**
 * Hands the colour changes the sweep left to the hooks (history rows with hooks_pending = 1) to them, in one
 * transaction that also clears the mark: the supervision of a change is created exactly once, after the
 * sweep that recorded it, or by the next call when the process stopped in between. The rows are claimed by
 * the UPDATE that clears them, so a concurrent call (another process) gets none of them twice.
 */
export async function runPendingHooks(ctx: AppContext): Promise<{ changes: number }> {
  // A process without the hooks (one that did not load the modules registering them) leaves them pending.
  if (hooks.length === 0) return { changes: 0 };
  return writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
    const claimed = await tx.db
      .updateTable('task_instance_colors')
      .set({ hooks_pending: null })
      .where('hooks_pending', '=', 1)
      .returning(['id', 'instance_id', 'at', 'previous', 'color', 'reason'])
      .execute();
    if (claimed.length === 0) return { changes: 0 };
    claimed.sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
    const owners = new Map<string, { campaign_id: string; unit_id: string; task_id: string }>();
    const ids = [...new Set(claimed.map((c) => c.instance_id))];
    for (let i = 0; i < ids.length; i += ID_CHUNK)
      for (const r of await tx.db
        .selectFrom('task_instances')
        .select(['id', 'campaign_id', 'unit_id', 'task_id'])
        .where('id', 'in', ids.slice(i, i + ID_CHUNK))
        .execute())
        owners.set(r.id, r);
    const changes: ColorChange[] = [];
    for (const c of claimed) {
      const o = owners.get(c.instance_id);
      if (!o) continue;
      changes.push({
        instanceId: c.instance_id,
        campaignId: o.campaign_id,
        unitId: o.unit_id,
        taskId: o.task_id,
        previous: c.previous as Color | null,
        color: c.color as Color,
        reason: JSON.parse(c.reason) as ColorReason,
      });
    }
    if (changes.length > 0) await runHooks(tx, changes);
    return { changes: changes.length };
  });
}

/**
 * One row (a review touches a handful of instances, usually one): a plain UPDATE by id. Many: one
 * statement on PostgreSQL, chunks on SQLite (platform/tx.ts `updateRows`).
 */
async function writeUpdates(db: Kysely<DB>, engine: Engine, updates: Update[]): Promise<void> {
  if (updates.length === 0) return;
  if (updates.length === 1) {
    const { id, ...values } = updates[0] as Update;
    await db
      .updateTable('task_instances')
      .set({ ...values, version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
    return;
  }
  await updateRows(db, engine, { table: 'task_instances', rows: updates, raise: 'version' });
}

/**
 * The colour changes' history rows, written at the end of the transaction with its other held rows
 * (nothing reads them before it commits).
 */
function holdHistory(
  tx: Tx,
  changes: ColorChange[],
  nowIso: string,
  cause: RecolorCause,
  hooksPending: boolean,
): void {
  if (changes.length === 0) return;
  const pending = hooksPending ? 1 : null;
  tx.insertLater(
    'task_instance_colors',
    changes.map((c) => ({
      id: uuidv7(),
      instance_id: c.instanceId,
      at: nowIso,
      previous: c.previous,
      color: c.color,
      reason: JSON.stringify(c.reason),
      cause,
      hooks_pending: pending,
    })),
  );
}
