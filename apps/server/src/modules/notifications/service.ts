import { json } from '../../db/normalize.ts';
import type { NotificationTable } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, type FieldProblem, notFound } from '../../platform/http/errors.ts';
import type { Lang } from '../../platform/http/messages.ts';
import { smsWanted } from '../../platform/notify/service.ts';
import {
  groupLabel,
  groupOf,
  listedKinds,
  render,
  type TemplateParams,
  templateOf,
} from '../../platform/notify/templates.ts';
import type { AuthUser } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { inboxPage, ownNotification, prefRules, unreadCount } from './repo.ts';

export interface InboxItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  record: { type: string; id: string } | null;
  createdAt: string;
  readAt: string | null;
}

function toItem(row: NotificationTable, lang: Lang): InboxItem {
  const { title, body } = render(row.kind, json<TemplateParams>(row.params) ?? {}, lang);
  return {
    id: row.id,
    kind: row.kind,
    title,
    body,
    record: row.record_type && row.record_id ? { type: row.record_type, id: row.record_id } : null,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/** The caller's own notifications, newest first, rendered in the caller's language. */
export async function listInbox(
  ctx: AppContext,
  userId: string,
  lang: Lang,
  f: { unread?: boolean; page: number; pageSize: number },
): Promise<{ items: InboxItem[]; total: number; unread: number }> {
  const db = ctx.database.db;
  const { rows, total } = await inboxPage(db, userId, f);
  return { items: rows.map((r) => toItem(r, lang)), total, unread: await unreadCount(db, userId) };
}

export async function countUnread(ctx: AppContext, userId: string): Promise<{ count: number }> {
  return { count: await unreadCount(ctx.database.db, userId) };
}

/** Marks one of the caller's notifications read; another user's id is "not found". */
export async function markRead(ctx: AppContext, actor: Actor, userId: string, id: string): Promise<void> {
  await writeTx(ctx, actor, async (tx) => {
    const row = await ownNotification(tx.db, userId, id);
    if (!row) throw notFound();
    if (row.read_at) return;
    const at = ctx.clock.now().toISOString();
    await tx.db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).execute();
    await tx.audit({
      action: 'notification.read',
      entity: 'notification',
      entityId: id,
      after: { readAt: at },
    });
  });
}

export async function markAllRead(ctx: AppContext, actor: Actor, userId: string): Promise<{ count: number }> {
  return writeTx(ctx, actor, async (tx) => {
    const at = ctx.clock.now().toISOString();
    const res = await tx.db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    const count = Number(res.numUpdatedRows);
    if (count > 0) {
      await tx.audit({ action: 'notification.read_all', entity: 'user', entityId: userId, after: { count } });
    }
    return { count };
  });
}

// ---- preferences ---------------------------------------------------------------------------------

export interface PrefsView {
  /** SMS is offered only to users with a phone number. */
  smsAvailable: boolean;
  /** The rule for every kind ('*'), if set. */
  all: boolean | null;
  groups: {
    group: string;
    label: string;
    /** The rule for the group (`group.*`), if set. */
    rule: boolean | null;
    kinds: {
      kind: string;
      label: string;
      /** Whether SMS is sent for this kind now; `default` is what the kind does without any rule. */
      sms: boolean;
      default: boolean;
      rule: boolean | null;
    }[];
  }[];
}

export async function getPrefs(ctx: AppContext, user: AuthUser, lang: Lang): Promise<PrefsView> {
  const rules = new Map(
    (await prefRules(ctx.database.db, user.id))
      .filter((r) => r.channel === 'sms')
      .map((r) => [r.kind, r.enabled]),
  );
  const groups = new Map<string, PrefsView['groups'][number]>();
  for (const kind of listedKinds()) {
    const g = groupOf(kind);
    let entry = groups.get(g);
    if (!entry) {
      entry = { group: g, label: groupLabel(g, lang), rule: rules.get(`${g}.*`) ?? null, kinds: [] };
      groups.set(g, entry);
    }
    const def = templateOf(kind)?.sms ?? false;
    entry.kinds.push({
      kind,
      label: render(kind, {}, lang).title,
      sms: smsWanted(kind, rules, def),
      default: def,
      rule: rules.get(kind) ?? null,
    });
  }
  return { smsAvailable: user.phoneEnc !== null, all: rules.get('*') ?? null, groups: [...groups.values()] };
}

export interface PrefChange {
  /** '*' (every kind), 'group.*' (a kind group) or a kind. */
  kind: string;
  channel: 'sms';
  /** null removes the rule (back to the default). */
  enabled: boolean | null;
}

/**
 * Saves SMS rules. A rule for all kinds replaces every other rule of the user, and a group's rule
 * replaces its kinds' rules: the switch the user flipped is what decides.
 */
export async function savePrefs(
  ctx: AppContext,
  actor: Actor,
  user: AuthUser,
  lang: Lang,
  changes: PrefChange[],
): Promise<PrefsView> {
  const listed = new Set(listedKinds());
  const groups = new Set([...listed].map(groupOf));
  const problems: FieldProblem[] = [];
  for (const [i, c] of changes.entries()) {
    const known =
      c.kind === '*' || (c.kind.endsWith('.*') && groups.has(c.kind.slice(0, -2))) || listed.has(c.kind);
    if (!known) problems.push({ field: `items.${i}.kind`, code: 'notify.unknownKind' });
    else if (c.enabled === true && user.phoneEnc === null) {
      problems.push({ field: `items.${i}.enabled`, code: 'notify.noPhone' });
    }
  }
  if (problems.length) throw new AppError(400, 'VALIDATION_FAILED', {}, problems);

  await writeTx(ctx, actor, async (tx) => {
    const before = await prefRules(tx.db, user.id);
    for (const c of changes) {
      const mine = tx.db
        .deleteFrom('notification_prefs')
        .where('user_id', '=', user.id)
        .where('channel', '=', c.channel);
      if (c.enabled !== null && c.kind === '*') await mine.execute();
      else if (c.enabled !== null && c.kind.endsWith('.*')) {
        await mine.where('kind', 'like', `${c.kind.slice(0, -1)}%`).execute();
      } else await mine.where('kind', '=', c.kind).execute();
      if (c.enabled !== null) {
        await tx.db
          .insertInto('notification_prefs')
          .values({ user_id: user.id, kind: c.kind, channel: c.channel, enabled: c.enabled })
          .execute();
      }
    }
    const after = await prefRules(tx.db, user.id);
    await tx.audit({ action: 'notification.prefs', entity: 'user', entityId: user.id, before, after });
  });
  return getPrefs(ctx, user, lang);
}
