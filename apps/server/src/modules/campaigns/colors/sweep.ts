import { SYSTEM_ACTOR } from '../../../platform/audit/audit.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';
import { writeTx } from '../../../platform/tx.ts';
import { recolorInstances } from './recolor.ts';

/**
 * The daily sweep: every instance of the active campaigns is coloured again for the new day (a window's
 * time passes, deadlines go by, returned reports grow stale). One transaction; the audit row counts.
 */
export async function recolorActiveCampaigns(ctx: AppContext): Promise<{ changed: number }> {
  const cal = await getCalendar(ctx);
  return writeTx(ctx, SYSTEM_ACTOR, async (tx) => {
    const changes = await recolorInstances(tx, cal, { all: true }, 'sweep');
    const byColor: Record<string, number> = {};
    for (const c of changes) byColor[c.color] = (byColor[c.color] ?? 0) + 1;
    if (changes.length > 0)
      await tx.audit({ action: 'campaign.recolor', entity: 'task_instance', entityId: null, after: byColor });
    return { changed: changes.length };
  });
}
