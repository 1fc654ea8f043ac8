/**
 * Deployments (部署): a notice to the campaign's units with required acknowledgement (签收), sent through
 * the notices module (record_type 'campaign'); receipts and overdue acknowledgements are its pages.
 */
import type { ReceiptCounts } from '../../../../../../packages/contracts/src/index.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { kickDelivery } from '../../../platform/notify/service.ts';
import { type AuthUser, type Scope, scopeOf } from '../../../platform/rbac/types.ts';
import { writeTx } from '../../../platform/tx.ts';
import { receiptCounts } from '../../notices/repo.ts';
import { sendNotice } from '../../notices/service.ts';
import { findCampaign } from '../repo.ts';
import { campaignUnitIds, deploymentRows } from './repo.ts';
import { writableCampaign } from './service.ts';

export const DEPLOYMENT_RECORD = 'campaign';

export interface DeploymentInput {
  title: string;
  body: string;
  fileIds?: string[];
  ackDueAt?: string | null;
  /** Default: every unit responsible for an activity of the campaign. */
  unitIds?: string[];
}

export async function sendDeployment(
  ctx: AppContext,
  user: AuthUser,
  actor: Actor,
  campaignId: string,
  input: DeploymentInput,
): Promise<{ id: string; recipients: number; notified: number }> {
  const scope = scopeOf(user);
  const sent = await writeTx(ctx, actor, async (tx) => {
    await writableCampaign(tx, scope, campaignId);
    const unitIds = input.unitIds ?? (await campaignUnitIds(tx.db, campaignId));
    return sendNotice(
      tx,
      { user, scope },
      {
        title: input.title,
        body: input.body,
        unitIds,
        requireAck: true,
        ackDueAt: input.ackDueAt ?? null,
        attachments: input.fileIds ?? [],
        record: { type: DEPLOYMENT_RECORD, id: campaignId },
      },
    );
  });
  kickDelivery(ctx);
  return { id: sent.id, recipients: sent.recipientUnitIds.length, notified: sent.notified };
}

export interface DeploymentView {
  id: string;
  title: string;
  body: string;
  ackDueAt: string | null;
  createdAt: string;
  senderName: string | null;
  /** Receipts of every recipient unit; null outside scope "all" (a unit sees its own receipt on the notice). */
  counts: ReceiptCounts | null;
}

export async function listDeployments(
  ctx: AppContext,
  scope: Scope,
  campaignId: string,
): Promise<{ items: DeploymentView[] }> {
  const db = ctx.database.db;
  if (!(await findCampaign(db, scope, campaignId))) throw notFound();
  const rows = await deploymentRows(db, scope, campaignId);
  const counts =
    scope.kind === 'all'
      ? await receiptCounts(
          db,
          rows.map((r) => r.id),
          ctx.clock.now().toISOString(),
        )
      : null;
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      ackDueAt: r.ack_due_at,
      createdAt: r.created_at,
      senderName: r.sender_name,
      counts: counts ? (counts.get(r.id) ?? { total: 0, read: 0, acked: 0, overdue: 0 }) : null,
    })),
  };
}
