import { uuidv7 } from '../../db/ids.ts';
import { bool } from '../../db/normalize.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalidField, notFound } from '../../platform/http/errors.ts';
import type { WebhookChannel } from '../../platform/notify/channels.ts';
import { deliveryRow, externalTexts, kickDelivery } from '../../platform/notify/service.ts';
import { checkWebhookUrl, maskWebhookUrl } from '../../platform/notify/webhook-url.ts';
import type { Scope } from '../../platform/rbac/types.ts';
import { writeTx } from '../../platform/tx.ts';
import { type DeliveryFilter, deliveryPage, unitVisible, type WebhookRow, webhookRows } from './repo.ts';

/** A group robot as shown: the URL masked (its key is a secret), the signing secret never. */
export interface WebhookView {
  id: string;
  name: string;
  channel: WebhookChannel;
  unitId: string | null;
  unitName: string | null;
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function toView(ctx: AppContext, r: WebhookRow): WebhookView {
  return {
    id: r.id,
    name: r.name,
    channel: r.channel as WebhookChannel,
    unitId: r.unit_id,
    unitName: r.unit_name,
    url: maskWebhookUrl(ctx.pii.decrypt(r.url_enc)),
    hasSecret: r.secret_enc !== null,
    enabled: bool(r.enabled),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listWebhooks(ctx: AppContext, scope: Scope): Promise<WebhookView[]> {
  return (await webhookRows(ctx.database.db, scope)).map((r) => toView(ctx, r));
}

async function visibleWebhook(ctx: AppContext, scope: Scope, id: string): Promise<WebhookRow> {
  const [row] = await webhookRows(ctx.database.db, scope, id);
  if (!row) throw notFound();
  return row;
}

export interface WebhookInput {
  name: string;
  channel: WebhookChannel;
  unitId: string | null;
  url: string;
  secret?: string | null;
  enabled?: boolean;
}

export type WebhookPatch = Partial<WebhookInput>;

/** The office's own robot (no unit) is for callers who see everything; a unit's, for callers who see the unit. */
async function checkUnit(ctx: AppContext, scope: Scope, unitId: string | null): Promise<void> {
  if (unitId === null) {
    if (scope.kind !== 'all') throw invalidField('unitId', 'notify.officeGroup');
  } else if (!(await unitVisible(ctx.database.db, scope, unitId))) {
    throw invalidField('unitId', 'field.unknownUnit');
  }
}

function checkedUrl(ctx: AppContext, channel: WebhookChannel, url: string): string {
  const r = checkWebhookUrl(channel, url, ctx.config.webhookHosts);
  if ('problem' in r) throw invalidField('url', r.problem);
  return r.url;
}

function checkSecret(channel: WebhookChannel, secret: string | null | undefined): void {
  if (channel !== 'dingtalk' && secret) throw invalidField('secret', 'notify.secretDingtalkOnly');
}

export async function createWebhook(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  input: WebhookInput,
): Promise<WebhookView> {
  const url = checkedUrl(ctx, input.channel, input.url);
  checkSecret(input.channel, input.secret);
  await checkUnit(ctx, scope, input.unitId);
  const id = uuidv7();
  await writeTx(ctx, actor, async (tx) => {
    const now = ctx.clock.now().toISOString();
    await tx.db
      .insertInto('notify_webhooks')
      .values({
        id,
        name: input.name.trim(),
        channel: input.channel,
        unit_id: input.unitId,
        url_enc: ctx.pii.encrypt(url),
        secret_enc: input.secret ? ctx.pii.encrypt(input.secret) : null,
        enabled: input.enabled ?? true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const [row] = await webhookRows(tx.db, { kind: 'all' }, id);
    await tx.audit({
      action: 'notify.webhook.create',
      entity: 'notify_webhook',
      entityId: id,
      after: toView(ctx, row),
    });
  });
  return toView(ctx, await visibleWebhook(ctx, { kind: 'all' }, id));
}

export async function updateWebhook(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
  patch: WebhookPatch,
): Promise<WebhookView> {
  const row = await visibleWebhook(ctx, scope, id);
  const channel = patch.channel ?? (row.channel as WebhookChannel);
  const url = checkedUrl(ctx, channel, patch.url ?? ctx.pii.decrypt(row.url_enc));
  checkSecret(channel, patch.secret);
  if (patch.unitId !== undefined) await checkUnit(ctx, scope, patch.unitId);
  let secretEnc = row.secret_enc;
  if (channel !== 'dingtalk' || patch.secret === null) secretEnc = null;
  else if (patch.secret) secretEnc = ctx.pii.encrypt(patch.secret);
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('notify_webhooks')
      .set({
        name: patch.name?.trim() ?? row.name,
        channel,
        unit_id: patch.unitId === undefined ? row.unit_id : patch.unitId,
        url_enc: patch.url === undefined ? row.url_enc : ctx.pii.encrypt(url),
        secret_enc: secretEnc,
        enabled: patch.enabled ?? bool(row.enabled),
        updated_at: ctx.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const [after] = await webhookRows(tx.db, { kind: 'all' }, id);
    await tx.audit({
      action: 'notify.webhook.update',
      entity: 'notify_webhook',
      entityId: id,
      before: toView(ctx, row),
      after: toView(ctx, after),
    });
  });
  return toView(ctx, await visibleWebhook(ctx, { kind: 'all' }, id));
}

/** Deletes a robot; its messages still waiting fail at once rather than at their next attempt. */
export async function deleteWebhook(ctx: AppContext, actor: Actor, scope: Scope, id: string): Promise<void> {
  const row = await visibleWebhook(ctx, scope, id);
  await writeTx(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('notification_deliveries')
      .set({ status: 'failed', error: 'the group robot was deleted', next_attempt_at: null })
      .where('webhook_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    await tx.db.deleteFrom('notify_webhooks').where('id', '=', id).execute();
    await tx.audit({
      action: 'notify.webhook.delete',
      entity: 'notify_webhook',
      entityId: id,
      before: toView(ctx, row),
    });
  });
}

/** Queues a test message to the robot (enabled or not) and delivers it right after the commit. */
export async function testWebhook(
  ctx: AppContext,
  actor: Actor,
  scope: Scope,
  id: string,
): Promise<{ deliveryId: string }> {
  const row = await visibleWebhook(ctx, scope, id);
  const delivery = await writeTx(ctx, actor, async (tx) => {
    const d = deliveryRow(ctx.clock.now().toISOString(), {
      channel: row.channel,
      webhook_id: id,
      target: row.name,
      text: externalTexts('notify.test', { name: row.name }).group,
    });
    await tx.db.insertInto('notification_deliveries').values(d).execute();
    await tx.audit({
      action: 'notify.webhook.test',
      entity: 'notify_webhook',
      entityId: id,
      after: { deliveryId: d.id },
    });
    return d;
  });
  kickDelivery(ctx);
  return { deliveryId: delivery.id };
}

export interface DeliveryView {
  id: string;
  channel: string;
  target: string;
  text: string;
  status: string;
  attempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

export async function listDeliveries(
  ctx: AppContext,
  scope: Scope,
  f: DeliveryFilter,
): Promise<{ items: DeliveryView[]; total: number }> {
  const { rows, total } = await deliveryPage(ctx.database.db, scope, f);
  return {
    items: rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      target: r.target,
      text: r.text,
      status: r.status,
      attempts: Number(r.attempts),
      error: r.error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      nextAttemptAt: r.next_attempt_at,
    })),
    total,
  };
}
