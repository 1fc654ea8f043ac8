import { runPendingHooks } from './modules/campaigns/colors/recolor.ts';
import { recolorActiveCampaigns } from './modules/campaigns/colors/sweep.ts';
import { generateActiveCampaigns } from './modules/campaigns/tasks/instances.ts';
import type { AppContext } from './platform/context.ts';
import { analyseAllPending } from './platform/files/analyser.ts';
import { purgeExpired } from './platform/maintenance.ts';
import { deliverNotificationsJob } from './platform/notify/service.ts';
import type { JobDef } from './platform/scheduler/scheduler.ts';
import { sweepDeadlines } from './platform/workflow/deadlines.ts';

/** Every periodic job of the server. Each runs in one process at a time (see platform/scheduler). */
export const JOBS: readonly JobDef[] = [
  {
    name: 'deadlines.sweep',
    schedule: { everySeconds: 30 },
    run: async (ctx: AppContext) => ({ ...(await sweepDeadlines(ctx)) }),
  },
  {
    name: 'notifications.deliver',
    schedule: { everySeconds: 30 },
    run: async (ctx: AppContext) => ({ ...(await deliverNotificationsJob(ctx)) }),
  },
  {
    // Instances a task calls for but that do not exist yet (issue #4): before the colour sweep.
    name: 'campaigns.instances',
    schedule: { dailyAt: '00:01' },
    run: async (ctx: AppContext) => ({ ...(await generateActiveCampaigns(ctx)) }),
  },
  {
    // Colours depend on the day: a window's time passes and deadlines go by (issue #4).
    name: 'campaigns.recolor',
    schedule: { dailyAt: '00:05' },
    run: async (ctx: AppContext) => ({ ...(await recolorActiveCampaigns(ctx)) }),
  },
  {
    // Supervision of colour changes a sweep recorded but could not follow up (the process stopped between
    // its two transactions): picked up within minutes rather than at the next night's sweep.
    name: 'campaigns.supervise',
    schedule: { everySeconds: 300 },
    run: async (ctx: AppContext) => ({ ...(await runPendingHooks(ctx)) }),
  },
  {
    // Pictures stored for later analysis that no kick finished (the server stopped meanwhile).
    name: 'files.analyse',
    schedule: { everySeconds: 60 },
    run: async (ctx: AppContext) => ({ ...(await analyseAllPending(ctx)) }),
  },
  {
    name: 'maintenance.purge',
    schedule: { dailyAt: '03:00' },
    run: purgeExpired,
  },
];
