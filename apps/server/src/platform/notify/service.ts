import type { Role } from '../../../../../packages/contracts/src/index.ts';
import { uuidv7 } from '../../db/ids.ts';
import { bool } from '../../db/normalize.ts';
import type { NotificationDeliveryTable, NotificationTable } from '../../db/schema.ts';
import type { AppContext } from '../context.ts';
import { maskPhone } from '../pii/mask.ts';
import type { Tx } from '../tx.ts';
import { type ChannelTarget, type DeliveryChannel, PermanentDeliveryError } from './channels.ts';
import { groupOf, render, type TemplateParams, templateOf } from './templates.ts';

export interface NotifyInput {
  /** These users… */
  userIds?: string[];
  /** …and the users of these units holding any of the roles (default liaison and unit head). */
  units?: { unitIds: string[]; roles?: Role[] };
  /** Also post to the office's own group robots (those with no unit) when the kind posts to groups. */
  officeGroup?: boolean;
  kind: string;
  params: TemplateParams;
  /** The record the notification is about: the inbox links to it. */
  record?: { type: string; id: string };
  /** Typically the user whose action caused the notification. */
  excludeUserId?: string;
}

const DEFAULT_ROLES: Role[] = ['liaison', 'unit_head'];
/** Ids per IN list and rows per INSERT: well under both engines' bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The outbox row for one message; written in the caller's transaction, sent after it commits. */
export function deliveryRow(
  now: string,
  d: Pick<NotificationDeliveryTable, 'channel' | 'target' | 'text'> &
    Partial<Pick<NotificationDeliveryTable, 'notification_id' | 'user_id' | 'webhook_id'>>,
): NotificationDeliveryTable {
  return {
    id: uuidv7(),
    notification_id: d.notification_id ?? null,
    channel: d.channel,
    user_id: d.user_id ?? null,
    webhook_id: d.webhook_id ?? null,
    target: d.target,
    text: d.text,
    status: 'pending',
    attempts: 0,
    error: null,
    created_at: now,
    sent_at: null,
    next_attempt_at: now,
  };
}

/** The SMS text and the group-robot text of a kind (always Chinese: phones and groups have no language). */
export function externalTexts(kind: string, params: TemplateParams): { sms: string; group: string } {
  const { title, body } = render(kind, params, 'zh-CN');
  return { sms: `${title}：${body}`, group: `【${title}】${body}` };
}

/** Whether a user gets SMS for a kind: their rule for the kind, else for its group, else for all, else the default. */
export function smsWanted(
  kind: string,
  rules: ReadonlyMap<string, boolean> | undefined,
  fallback: boolean,
): boolean {
  return rules?.get(kind) ?? rules?.get(`${groupOf(kind)}.*`) ?? rules?.get('*') ?? fallback;
}

/**
 * Notifies inside the caller's transaction (only `tx.db` is used; nothing is sent here): one inbox row
 * per recipient, plus outbox rows for SMS (recipients with a phone who want SMS for this kind) and for
 * the group robots of the units when the kind posts to groups. Recipients are active users; a user
 * reached both directly and through a unit is notified once. Call `kickDelivery(ctx)` after the
 * transaction commits, or leave the outbox to the scheduled job. An unregistered kind is a bug: throws.
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<{ notified: number }> {
  const def = templateOf(input.kind);
  if (!def) throw new Error(`notification kind "${input.kind}" is not registered`);
  const now = tx.clock.now().toISOString();
  const userIds = [...new Set(input.userIds ?? [])];
  const unitIds = [...new Set(input.units?.unitIds ?? [])];
  const roles = input.units?.roles ?? DEFAULT_ROLES;

  // Recipients: one query, unless the id lists are long enough to need splitting.
  const recipients = new Map<string, { name: string; phone: boolean }>();
  const userChunks = chunks(userIds, CHUNK);
  const unitChunks = roles.length ? chunks(unitIds, CHUNK) : [];
  for (let i = 0; i < Math.max(userChunks.length, unitChunks.length); i++) {
    const ids = userChunks[i] ?? [];
    const units = unitChunks[i] ?? [];
    let q = tx.db
      .selectFrom('users as u')
      .select(['u.id', 'u.display_name', 'u.phone_enc'])
      .where('u.status', '=', 'active')
      .where((eb) =>
        eb.or([
          ...(ids.length ? [eb('u.id', 'in', ids)] : []),
          ...(units.length
            ? [
                eb.and([
                  eb('u.unit_id', 'in', units),
                  eb.exists(
                    eb
                      .selectFrom('user_roles as r')
                      .select('r.user_id')
                      .whereRef('r.user_id', '=', 'u.id')
                      .where('r.role', 'in', roles),
                  ),
                ]),
              ]
            : []),
        ]),
      );
    if (input.excludeUserId) q = q.where('u.id', '!=', input.excludeUserId);
    for (const r of await q.execute()) recipients.set(r.id, { name: r.display_name, phone: !!r.phone_enc });
  }

  const inbox = [...recipients.keys()].map((user_id) => ({
    id: uuidv7(),
    user_id,
    kind: input.kind,
    params: JSON.stringify(input.params),
    record_type: input.record?.type ?? null,
    record_id: input.record?.id ?? null,
    created_at: now,
    read_at: null,
  }));
  for (const part of chunks(inbox, CHUNK)) await tx.db.insertInto('notifications').values(part).execute();

  const texts = externalTexts(input.kind, input.params);
  const outbox: NotificationDeliveryTable[] = [];

  // SMS: the users with a phone, by their preferences for this kind (one query per chunk of them).
  const withPhone = inbox.filter((n) => recipients.get(n.user_id)?.phone);
  const rules = new Map<string, Map<string, boolean>>();
  for (const part of chunks(withPhone, CHUNK)) {
    const rows = await tx.db
      .selectFrom('notification_prefs')
      .select(['user_id', 'kind', 'enabled'])
      .where('channel', '=', 'sms')
      .where('kind', 'in', [input.kind, `${groupOf(input.kind)}.*`, '*'])
      .where(
        'user_id',
        'in',
        part.map((n) => n.user_id),
      )
      .execute();
    for (const r of rows) {
      const m = rules.get(r.user_id) ?? new Map<string, boolean>();
      m.set(r.kind, bool(r.enabled));
      rules.set(r.user_id, m);
    }
  }
  for (const n of withPhone) {
    if (!smsWanted(input.kind, rules.get(n.user_id), def.sms ?? false)) continue;
    // the masked number joins the name when the message is sent (the phone is read then, not stored)
    const target = recipients.get(n.user_id)?.name ?? '';
    outbox.push(
      deliveryRow(now, {
        notification_id: n.id,
        channel: 'sms',
        user_id: n.user_id,
        target,
        text: texts.sms,
      }),
    );
  }

  // Group robots of the units (and of the office, when asked).
  if (def.group && (unitIds.length || input.officeGroup)) {
    for (let i = 0; i < Math.max(1, Math.ceil(unitIds.length / CHUNK)); i++) {
      const units = unitIds.slice(i * CHUNK, (i + 1) * CHUNK);
      const office = input.officeGroup && i === 0;
      if (!units.length && !office) continue;
      const hooks = await tx.db
        .selectFrom('notify_webhooks')
        .select(['id', 'name', 'channel'])
        .where('enabled', '=', true)
        .where((eb) =>
          eb.or([
            ...(units.length ? [eb('unit_id', 'in', units)] : []),
            ...(office ? [eb('unit_id', 'is', null)] : []),
          ]),
        )
        .execute();
      for (const h of hooks) {
        outbox.push(
          deliveryRow(now, { channel: h.channel, webhook_id: h.id, target: h.name, text: texts.group }),
        );
      }
    }
  }
  for (const part of chunks(outbox, CHUNK)) {
    await tx.db.insertInto('notification_deliveries').values(part).execute();
  }
  return { notified: inbox.length };
}

/**
 * Many notifications in one go, each written exactly as `notify(tx, input)` would write it, but with the
 * recipients, SMS preferences and group robots read once per chunk of ids for all of them and the rows
 * inserted in chunks: a sweep that reminds thousands of units costs a few statements, not thousands.
 */
export async function notifyMany(tx: Tx, inputs: NotifyInput[]): Promise<{ notified: number }> {
  const defs = inputs.map((input) => {
    const def = templateOf(input.kind);
    if (!def) throw new Error(`notification kind "${input.kind}" is not registered`);
    return def;
  });
  if (inputs.length === 0) return { notified: 0 };
  const now = tx.clock.now().toISOString();
  const rolesOf = (input: NotifyInput) => input.units?.roles ?? DEFAULT_ROLES;

  // Everyone who may be a recipient: the users named, and the users of the units with their roles.
  const people = new Map<string, { name: string; phone: boolean }>();
  const direct = [...new Set(inputs.flatMap((i) => i.userIds ?? []))];
  for (const part of chunks(direct, CHUNK)) {
    const rows = await tx.db
      .selectFrom('users')
      .select(['id', 'display_name', 'phone_enc'])
      .where('status', '=', 'active')
      .where('id', 'in', part)
      .execute();
    for (const r of rows) people.set(r.id, { name: r.display_name, phone: !!r.phone_enc });
  }
  const unitIds = [...new Set(inputs.flatMap((i) => (rolesOf(i).length ? (i.units?.unitIds ?? []) : [])))];
  const roles = [...new Set(inputs.flatMap(rolesOf))];
  const ofUnit = new Map<string, Map<string, Set<string>>>();
  for (const part of chunks(unitIds, CHUNK)) {
    const rows = await tx.db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select(['u.id', 'u.unit_id', 'u.display_name', 'u.phone_enc', 'r.role'])
      .where('u.status', '=', 'active')
      .where('u.unit_id', 'in', part)
      .where('r.role', 'in', roles)
      .execute();
    for (const r of rows) {
      people.set(r.id, { name: r.display_name, phone: !!r.phone_enc });
      const users = ofUnit.get(r.unit_id ?? '') ?? new Map<string, Set<string>>();
      users.set(r.id, (users.get(r.id) ?? new Set()).add(r.role));
      ofUnit.set(r.unit_id ?? '', users);
    }
  }

  const inbox: (NotificationTable & { index: number })[] = [];
  inputs.forEach((input, index) => {
    const to = new Set((input.userIds ?? []).filter((id) => people.has(id)));
    const wanted = rolesOf(input);
    for (const unitId of input.units?.unitIds ?? [])
      for (const [id, has] of ofUnit.get(unitId) ?? []) if (wanted.some((role) => has.has(role))) to.add(id);
    if (input.excludeUserId) to.delete(input.excludeUserId);
    for (const user_id of to)
      inbox.push({
        index,
        id: uuidv7(),
        user_id,
        kind: input.kind,
        params: JSON.stringify(input.params),
        record_type: input.record?.type ?? null,
        record_id: input.record?.id ?? null,
        created_at: now,
        read_at: null,
      });
  });
  for (const part of chunks(inbox, CHUNK))
    await tx.db
      .insertInto('notifications')
      .values(part.map(({ index: _, ...row }) => row))
      .execute();

  const texts = inputs.map((input) => externalTexts(input.kind, input.params));
  const outbox: NotificationDeliveryTable[] = [];
  const withPhone = inbox.filter((n) => people.get(n.user_id)?.phone);
  const kinds = [...new Set(inputs.flatMap((i) => [i.kind, `${groupOf(i.kind)}.*`]))];
  const rules = new Map<string, Map<string, boolean>>();
  for (const part of chunks([...new Set(withPhone.map((n) => n.user_id))], CHUNK)) {
    const rows = await tx.db
      .selectFrom('notification_prefs')
      .select(['user_id', 'kind', 'enabled'])
      .where('channel', '=', 'sms')
      .where('kind', 'in', [...kinds, '*'])
      .where('user_id', 'in', part)
      .execute();
    for (const r of rows) {
      const m = rules.get(r.user_id) ?? new Map<string, boolean>();
      m.set(r.kind, bool(r.enabled));
      rules.set(r.user_id, m);
    }
  }
  for (const n of withPhone) {
    if (!smsWanted(n.kind, rules.get(n.user_id), defs[n.index].sms ?? false)) continue;
    outbox.push(
      deliveryRow(now, {
        notification_id: n.id,
        channel: 'sms',
        user_id: n.user_id,
        target: people.get(n.user_id)?.name ?? '',
        text: texts[n.index].sms,
      }),
    );
  }

  // Group robots of the units (and of the office) for the kinds that post to groups.
  const posting = inputs.filter((_, i) => defs[i].group);
  const hookUnits = [...new Set(posting.flatMap((i) => i.units?.unitIds ?? []))];
  const office = posting.some((i) => i.officeGroup);
  const hooksOf = new Map<string | null, { id: string; name: string; channel: string }[]>();
  for (let i = 0; i < Math.max(1, Math.ceil(hookUnits.length / CHUNK)); i++) {
    const units = hookUnits.slice(i * CHUNK, (i + 1) * CHUNK);
    const withOffice = office && i === 0;
    if (!units.length && !withOffice) continue;
    const hooks = await tx.db
      .selectFrom('notify_webhooks')
      .select(['id', 'name', 'channel', 'unit_id'])
      .where('enabled', '=', true)
      .where((eb) =>
        eb.or([
          ...(units.length ? [eb('unit_id', 'in', units)] : []),
          ...(withOffice ? [eb('unit_id', 'is', null)] : []),
        ]),
      )
      .execute();
    for (const h of hooks) hooksOf.set(h.unit_id, [...(hooksOf.get(h.unit_id) ?? []), h]);
  }
  inputs.forEach((input, i) => {
    if (!defs[i].group) return;
    const units = [...new Set(input.units?.unitIds ?? [])];
    const hooks = [
      ...units.flatMap((u) => hooksOf.get(u) ?? []),
      ...(input.officeGroup ? (hooksOf.get(null) ?? []) : []),
    ];
    for (const h of hooks)
      outbox.push(
        deliveryRow(now, { channel: h.channel, webhook_id: h.id, target: h.name, text: texts[i].group }),
      );
  });
  for (const part of chunks(outbox, CHUNK)) {
    await tx.db.insertInto('notification_deliveries').values(part).execute();
  }
  return { notified: inbox.length };
}

// ---- delivery -------------------------------------------------------------------------------------

/** Attempts per message, and the wait after failed attempt n (1-based) before the next one. */
export const MAX_ATTEMPTS = 5;
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000];
/** How long a claim holds: a sender that dies mid-batch leaves its rows to be claimed again after this. */
export const CLAIM_LEASE_MS = 5 * 60_000;
const CLAIM_BATCH = 50;
const PARALLEL_SENDS = 5;

type Claimed = Pick<
  NotificationDeliveryTable,
  'id' | 'channel' | 'user_id' | 'webhook_id' | 'text' | 'attempts'
>;

/**
 * Claims due rows in one statement: each becomes 'sending' with its attempt counted and a lease, and
 * only the rows this statement changed come back. Two senders cannot claim the same row: SQLite runs
 * one writer at a time; on PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED and the UPDATE
 * re-checks status and due time on the row it locks.
 */
async function claim(ctx: AppContext, n: number): Promise<Claimed[]> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const db = ctx.database.db;
  // a sender that stopped during the last allowed attempt: that attempt counts, the row gives up
  await db
    .updateTable('notification_deliveries')
    .set({ status: 'failed', error: 'the sender stopped during the last attempt', next_attempt_at: null })
    .where('status', '=', 'sending')
    .where('next_attempt_at', '<=', nowIso)
    .where('attempts', '>=', MAX_ATTEMPTS)
    .execute();
  let due = db
    .selectFrom('notification_deliveries')
    .select('id')
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', nowIso)
    .where('attempts', '<', MAX_ATTEMPTS)
    .orderBy('next_attempt_at')
    .limit(n);
  if (ctx.database.engine === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('notification_deliveries')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(),
    }))
    .where('id', 'in', due)
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', nowIso)
    .where('attempts', '<', MAX_ATTEMPTS)
    .returning(['id', 'channel', 'user_id', 'webhook_id', 'text', 'attempts'])
    .execute();
}

/** Where a claimed message goes, and the target to record (SMS: the name and the masked number). */
type Resolved = { to: ChannelTarget; label?: string } | { problem: string };

/** The phone or robot URL is looked up when sending, never stored in the outbox. */
async function targetsOf(ctx: AppContext, rows: Claimed[]): Promise<Map<string, Resolved>> {
  const db = ctx.database.db;
  const userIds = [...new Set(rows.flatMap((r) => (r.channel === 'sms' && r.user_id ? [r.user_id] : [])))];
  const hookIds = [...new Set(rows.flatMap((r) => (r.webhook_id ? [r.webhook_id] : [])))];
  const users = userIds.length
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name', 'phone_enc', 'status'])
        .where('id', 'in', userIds)
        .execute()
    : [];
  const hooks = hookIds.length
    ? await db
        .selectFrom('notify_webhooks')
        .select(['id', 'url_enc', 'secret_enc'])
        .where('id', 'in', hookIds)
        .execute()
    : [];
  const out = new Map<string, Resolved>();
  for (const r of rows) {
    if (r.channel === 'sms') {
      const u = users.find((x) => x.id === r.user_id);
      if (!u) out.set(r.id, { problem: 'the recipient no longer exists' });
      else if (u.status !== 'active') out.set(r.id, { problem: 'the recipient is disabled' });
      else if (!u.phone_enc) out.set(r.id, { problem: 'the recipient has no phone number' });
      else {
        const phone = ctx.pii.decrypt(u.phone_enc);
        out.set(r.id, { to: { phone }, label: `${u.display_name} ${maskPhone(phone)}` });
      }
    } else {
      const h = hooks.find((x) => x.id === r.webhook_id);
      if (!h) out.set(r.id, { problem: 'the group robot was deleted' });
      else
        out.set(r.id, {
          to: {
            url: ctx.pii.decrypt(h.url_enc),
            ...(h.secret_enc ? { secret: ctx.pii.decrypt(h.secret_enc) } : {}),
          },
        });
    }
  }
  return out;
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500) || 'error';
}

/**
 * Sends due outbox rows through `ctx.channels`, outside any transaction. A failed attempt is retried
 * after 30 s, 2 min, 10 min and 30 min; after the fifth the row is 'failed' for good (at once when the
 * failure cannot heal: no phone, robot deleted). Safe to run in several places at once (see `claim`).
 * `sent`: messages delivered; `failed`: attempts that failed in this run, retried or not.
 */
export async function deliverPending(
  ctx: AppContext,
  limit = 200,
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  let left = limit;
  while (left > 0) {
    const batch = Math.min(left, CLAIM_BATCH);
    const rows = await claim(ctx, batch);
    left -= rows.length;
    const targets = await targetsOf(ctx, rows);
    const outcomes: { row: Claimed; label?: string; error: string | null; permanent: boolean }[] = [];
    await inParallel(rows, PARALLEL_SENDS, async (row) => {
      const t = targets.get(row.id) ?? { problem: 'no target' };
      try {
        if ('problem' in t) throw new PermanentDeliveryError(t.problem);
        await ctx.channels.senders[row.channel as DeliveryChannel].send(t.to, row.text);
        outcomes.push({ row, label: t.label, error: null, permanent: false });
      } catch (e) {
        const label = 'label' in t ? t.label : undefined;
        outcomes.push({ row, label, error: errorText(e), permanent: e instanceof PermanentDeliveryError });
      }
    });
    const now = ctx.clock.now();
    for (const { row, label, error, permanent } of outcomes) {
      const retryAt = new Date(now.getTime() + (RETRY_DELAYS_MS[row.attempts - 1] ?? 0)).toISOString();
      const next =
        error === null
          ? { status: 'sent', sent_at: now.toISOString(), error: null, next_attempt_at: null }
          : permanent || row.attempts >= MAX_ATTEMPTS
            ? { status: 'failed', error, next_attempt_at: null }
            : { status: 'pending', error, next_attempt_at: retryAt };
      // attempts in the condition: a row re-claimed after an expired lease belongs to its new claimer
      await ctx.database.db
        .updateTable('notification_deliveries')
        .set({ ...next, ...(label ? { target: label } : {}) })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .where('attempts', '=', row.attempts)
        .execute();
      if (error === null) sent++;
      else failed++;
    }
    if (rows.length < batch) break;
  }
  return { sent, failed };
}

/** The scheduler's job (every 30 s): whatever the kicks after commits left behind, and the retries. */
export function deliverNotificationsJob(ctx: AppContext): Promise<{ sent: number; failed: number }> {
  return deliverPending(ctx);
}

interface KickState {
  requested: boolean;
  running: Promise<void> | null;
}
const kicks = new WeakMap<AppContext, KickState>();

function kickState(ctx: AppContext): KickState {
  let s = kicks.get(ctx);
  if (!s) {
    s = { requested: false, running: null };
    kicks.set(ctx, s);
  }
  return s;
}

/**
 * Delivers soon, after the caller's transaction has committed: call it once `writeTx` has resolved.
 * Kicks coalesce: many in a row cause one run, and a kick during a run causes one more run after it.
 */
export function kickDelivery(ctx: AppContext): void {
  const s = kickState(ctx);
  s.requested = true;
  if (!s.running) s.running = drain(ctx, s);
}

async function drain(ctx: AppContext, s: KickState): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  while (s.requested) {
    s.requested = false;
    try {
      await deliverPending(ctx);
    } catch (e) {
      ctx.channels.log.error({ err: e }, 'notification delivery failed; the scheduled job will retry');
    }
  }
  // no await between the last check and this: a kick from now on starts a new run
  s.running = null;
}

/** Resolves when no kicked delivery is scheduled or running (shutdown, tests). */
export async function deliveryIdle(ctx: AppContext): Promise<void> {
  for (let s = kicks.get(ctx); s?.running; ) await s.running;
}
