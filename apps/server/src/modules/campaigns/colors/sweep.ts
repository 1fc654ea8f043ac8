import { SYSTEM_ACTOR } from '../../../platform/audit/audit.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { writeTx } from '../../../platform/tx.ts';
import { recolorInstances, runPendingHooks } from './recolor.ts';

/**
 * The daily sweep: every instance of the active campaigns is coloured again for the new day (a window's
 * time passes, deadlines go by, returned reports grow stale). The colours, their history and the audit row
 * commit in one transaction (sweepColors); the colour hooks (催办 / 督办单 and their messages) then run in
 * their own (runPendingHooks), which also picks up the changes of an earlier sweep whose process stopped
 * before them.
 */
export async function recolorActiveCampaigns(ctx: AppContext): Promise<{ changed: number; hooked: number }> {
  const changed = await sweepColors(ctx);
  const hooked = await runPendingHooks(ctx);
  return { changed, hooked: hooked.changes };
}

/** The sweep's own transaction: the colours of the day, their history (hooks pending) and an audit row. */
export async function sweepColors(ctx: AppContext): Promise<number> {
  const cal = await getCalendar(ctx);
  return writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
    const changes = await recolorInstances(tx, cal, { all: true }, 'sweep', { deferHooks: true });
    const byColor: Record<string, number> = {};
    for (const c of changes) byColor[c.color] = (byColor[c.color] ?? 0) + 1;
    if (changes.length > 0)
      await tx.audit({ action: 'campaign.recolor', entity: 'task_instance', entityId: null, after: byColor });
    return changes.length;
  });
}
