/** What the report workflow checks and tells inside a transition's transaction. */
import type { Kysely } from 'kysely';
import type { TaskTarget } from '../../../../../../packages/contracts/src/index.ts';
import { json } from '../../../db/normalize.ts';
import type { DB } from '../../../db/schema.ts';
import { perDatabase, VersionedCache } from '../../../platform/cache/cache.ts';
import { versionsIn } from '../../../platform/cache/versions.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, type FieldProblem } from '../../../platform/http/errors.ts';
import { type NotifyInput, notify } from '../../../platform/notify/service.ts';
import { shared, type Tx } from '../../../platform/tx.ts';
import type { Caller, EffectArgs } from '../../../platform/workflow/machine.ts';
import { type InstanceRow, instanceRows } from '../colors/recolor.ts';
import { amountProblems } from './amounts.ts';
import type { ReportRecord } from './machine.ts';

export interface ItemInput {
  instanceId: string;
  amounts: number[];
}

/**
 * Checks a report's items against the database: every instance exists, belongs to the report's unit (an
 * instance of another unit reads as unknown: 404, nothing revealed) and to its campaign, and each item's
 * amounts fit its task's targets (400, per field). Returns the instances as recolouring reads them.
 */
export async function checkItems(
  tx: Tx,
  report: { campaign_id: string; unit_id: string },
  items: ItemInput[],
): Promise<InstanceRow[]> {
  const rows = await instanceRows(tx, [...new Set(items.map((i) => i.instanceId))]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unknown: FieldProblem[] = [];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  items.forEach((item, k) => {
    const row = byId.get(item.instanceId);
    const field = `items.${k}`;
    if (!row || row.unit_id !== report.unit_id) {
      unknown.push({ field: `${field}.instanceId`, code: 'LEDGER_INSTANCE_UNKNOWN' });
      return;
    }
    if (seen.has(item.instanceId))
      problems.push({ field: `${field}.instanceId`, code: 'LEDGER_INSTANCE_TWICE' });
    seen.add(item.instanceId);
    if (row.campaign_id !== report.campaign_id)
      problems.push({ field: `${field}.instanceId`, code: 'LEDGER_INSTANCE_OTHER_CAMPAIGN' });
    else
      problems.push(
        ...amountProblems(json<TaskTarget[]>(row.targets) ?? [], item.amounts, `${field}.amounts`),
      );
  });
  if (unknown.length) throw new AppError(404, 'LEDGER_INSTANCE_NOT_FOUND', {}, unknown);
  if (problems.length) throw new AppError(400, 'VALIDATION_FAILED', {}, problems);
  return rows;
}

export async function itemsOf(db: Kysely<DB>, reportId: string): Promise<ItemInput[]> {
  const rows = await db
    .selectFrom('ledger_report_items')
    .select(['instance_id', 'amounts'])
    .where('report_id', '=', reportId)
    .orderBy('instance_id')
    .execute();
  return rows.map((r) => ({ instanceId: r.instance_id, amounts: json<number[]>(r.amounts) ?? [] }));
}

/**
 * What the transaction already knows of a report it created a moment ago (create with `submit: true`):
 * its items, checked by `checkItems` in that same transaction, and their instances as it read them. The
 * submit effect reads neither again.
 */
export interface KnownReport {
  items: ItemInput[];
  instances: InstanceRow[];
}

const known = new WeakMap<ReportRecord, KnownReport>();

export function rememberReport(record: ReportRecord, facts: KnownReport): void {
  known.set(record, facts);
}

export function knownReport(record: ReportRecord): KnownReport | undefined {
  return known.get(record);
}

export async function instanceIdsOf(tx: Tx, report: ReportRecord): Promise<string[]> {
  const items = knownReport(report)?.items ?? (await itemsOf(tx.db, report.id));
  return [...new Set(items.map((i) => i.instanceId))];
}

/**
 * On submit, the items are checked again: a task's targets may have changed since the draft was saved.
 * A report created in this very transaction was checked a moment ago. Returns the items.
 */
export async function checkItemsInTx(tx: Tx, report: ReportRecord): Promise<ItemInput[]> {
  const fresh = knownReport(report);
  if (fresh) return fresh.items;
  const items = await itemsOf(tx.db, report.id);
  if (!items.length)
    throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'items', code: 'field.required' }]);
  await checkItems(tx, report, items);
  return items;
}

/** Callers whose request wrote notifications (their outbox needs a delivery run after the commit). */
const told = new WeakSet<Caller>();

async function tell(a: EffectArgs<ReportRecord>, input: NotifyInput): Promise<void> {
  if ((await notify(a.tx, input)).notified > 0) told.add(a.caller);
}

/**
 * Whether this caller's transition wrote notifications (asked once, after the commit). If it did, who has
 * an unread "report waiting" notice is forgotten: the requests of a burst carry cache versions read before
 * this commit, and an answer cached from a read before it would tell reviewers again.
 */
export function takeTold(ctx: AppContext, caller: Caller): boolean {
  const yes = told.has(caller);
  told.delete(caller);
  if (yes) waitingCache(ctx.database).clear();
  return yes;
}

function params(a: EffectArgs<ReportRecord>) {
  return {
    label: a.record.summary.replace(/\s+/g, ' ').trim().slice(0, 40),
    actor: a.caller.user.displayName,
    note: a.input.note ?? '',
    campaign: a.record.campaign_name,
    unit: a.record.unit_name,
  };
}

interface Reviewer {
  id: string;
  data_scope: string;
  unit_id: string | null;
  path: string | null;
}

/**
 * The office's reviewers, per database, while no user, role or unit has changed (decision 0006). The
 * versions are those the HTTP edge read for the caller's request (outside a request: read in the
 * transaction that uses the answer); ledger transactions never change users, roles or units, so what they
 * cache is what is committed.
 */
const reviewersCache = perDatabase(() => new VersionedCache<Reviewer[]>(['auth', 'org'], 1));

/** Office admins and working-group members (active), read once per transaction or taken from the cache. */
function officeReviewers(a: EffectArgs<ReportRecord>): Promise<Reviewer[]> {
  return shared(a.tx, 'ledger.reviewers', () => readOfficeReviewers(a));
}

async function readOfficeReviewers(a: EffectArgs<ReportRecord>): Promise<Reviewer[]> {
  const cache = reviewersCache(a.ctx.database);
  const versions = a.caller.versions !== undefined ? a.caller.versions : await versionsIn(a.tx.db);
  const kept = versions && cache.get('reviewers', versions);
  if (kept) return kept;
  const rows = await a.tx.db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .leftJoin('org_units as o', 'o.id', 'u.unit_id')
    .select(['u.id', 'u.data_scope', 'u.unit_id', 'o.path'])
    .where('r.role', 'in', ['office_admin', 'working_group'])
    .where('u.status', '=', 'active')
    .execute();
  if (versions) cache.set('reviewers', versions, rows);
  return rows;
}

/**
 * Tells the office's reviewers (office admins and working-group members whose data scope covers the unit)
 * that a report waits for review. A reviewer who has not yet read an earlier such notification is not
 * told again: that one and the review queue lead to every waiting report. So a busy day writes one inbox
 * row per reviewer each time they catch up, not one per reviewer per report.
 */
export async function notifyOfficeReviewers(a: EffectArgs<ReportRecord>): Promise<void> {
  const reviewers = await officeReviewers(a);
  const waiting = await waitingReviewers(a);
  const { unit_id, unit_path } = a.record;
  const covers = (u: Reviewer) =>
    u.data_scope === 'all' ||
    (u.data_scope === 'subtree' && !!u.path && unit_path.startsWith(u.path)) ||
    (u.data_scope === 'own' && u.unit_id === unit_id);
  const userIds = [...new Set(reviewers.filter((u) => covers(u) && !waiting.has(u.id)).map((u) => u.id))];
  if (!userIds.length) return;
  await tell(a, {
    userIds,
    kind: 'ledger.submitted',
    params: params(a),
    record: { type: 'ledger_report', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
  for (const id of userIds) if (id !== a.caller.user.id) waiting.add(id);
}

/**
 * Who has an unread "report waiting" notification, per database, while no such notification is written,
 * read or deleted (decision 0006, counter `ledger_notices`), under the versions the HTTP edge read for the
 * caller's request. Every such notification is written by `notifyOfficeReviewers`, after it has asked: so
 * what a transaction reads here is what is committed. This process's own commits of such notices also
 * empty it (`takeTold`): the other requests of the same burst read the counters before those commits.
 */
const waitingCache = perDatabase(() => new VersionedCache<ReadonlySet<string>>(['ledger_notices'], 1));

/**
 * The users with an unread "report waiting" notification, once per transaction (from memory, or read):
 * the jobs of a group add whom they tell.
 */
function waitingReviewers(a: EffectArgs<ReportRecord>): Promise<Set<string>> {
  return shared(a.tx, 'ledger.waitingReviewers', async () => {
    const { versions } = a.caller;
    const cache = waitingCache(a.ctx.database);
    const kept = versions && cache.get('waiting', versions);
    if (kept) return new Set(kept);
    const unread = await a.tx.db
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'ledger.submitted')
      .where('read_at', 'is', null)
      .execute();
    const waiting = new Set(unread.map((n) => n.user_id));
    if (versions) cache.set('waiting', versions, new Set(waiting));
    return waiting;
  });
}

/** The unit's heads, when the campaign wants their approval first. */
export async function notifyUnitHeads(a: EffectArgs<ReportRecord>): Promise<void> {
  await tell(a, {
    units: { unitIds: [a.record.unit_id], roles: ['unit_head'] },
    kind: 'ledger.awaitingApproval',
    params: params(a),
    record: { type: 'ledger_report', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}

export async function notifyAuthor(a: EffectArgs<ReportRecord>, kind: 'ledger.returned' | 'ledger.accepted') {
  if (!a.record.author_id) return;
  await tell(a, {
    userIds: [a.record.author_id],
    kind,
    params: params(a),
    record: { type: 'ledger_report', id: a.record.id },
    excludeUserId: a.caller.user.id,
  });
}
