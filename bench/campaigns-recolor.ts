// The daily colour sweep over a generated province (bench/campaigns-data.ts), in its own process:
// `recolorActiveCampaigns(ctx)` — the scheduler job campaigns.recolor — at three clocks:
//
//   - "first sweep after generation": at GENERATED_AT, the placeholder colours of the new instances settle;
//   - "clock moved 5 weeks" (the judged case): at MOVED_AT, windows close and deadlines pass, so many
//     colours change (history rows, and whatever the server's colour hooks do: 催办 / 督办单);
//   - "same day again": one minute later, nothing changes.
//
// The application is built first (buildApp, not listening) so that every module registers its colour
// hooks exactly as in the server. The job's two transactions are timed apart: the sweep's (sweepColors:
// the colours, their history and the audit row committed — the judged recolouring) and the colour hooks'
// after it (runPendingHooks: 催办 / 督办单 records and their notifications). Baseline: the same instances
// read with the same join, and all of them touched by one plain UPDATE, in one transaction (the floor of
// any sweep that rewrites every row).
// Finally the server's own campaigns.recolor job is marked as done for today, so the server started for
// the HTTP cases does not run a catch-up sweep while they are measured.
//
// Reads WENMING_DATA_DIR / DATABASE_URL like the server. Prints one line `BENCH_CAMPAIGN_RECOLOR {json}`.
import { sql } from 'kysely';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { JOBS } from '../apps/server/src/jobs.ts';
import { runPendingHooks } from '../apps/server/src/modules/campaigns/colors/recolor.ts';
import { sweepColors } from '../apps/server/src/modules/campaigns/colors/sweep.ts';
import { createContext } from '../apps/server/src/platform/bootstrap.ts';
import type { Clock } from '../apps/server/src/platform/context.ts';
import { createLogger } from '../apps/server/src/platform/log.ts';
import { nextRunAt } from '../apps/server/src/platform/scheduler/scheduler.ts';
import { GENERATED_AT, MOVED_AT, type RecolorCase, type RecolorResult } from './campaigns-shared.ts';

class BenchClock implements Clock {
  constructor(public at: Date) {}
  now() {
    return new Date(this.at);
  }
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const clock = new BenchClock(new Date(GENERATED_AT));
  const log = createLogger('silent');
  const ctx = await createContext(config, log, { clock });
  const db = ctx.database.db;
  const app = await buildApp({ ctx, serveWeb: false, logger: log });
  try {
    const count = async (table: 'supervision_records' | 'notifications') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const versions = async () =>
      Number(
        (
          await db
            .selectFrom('task_instances')
            .select(sql<number>`sum(version)`.as('v'))
            .executeTakeFirstOrThrow()
        ).v,
      );
    const active = db.selectFrom('campaigns').select('id').where('status', '=', 'active');
    const instances = Number(
      (
        await db
          .selectFrom('task_instances')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('campaign_id', 'in', active)
          .executeTakeFirstOrThrow()
      ).n,
    );

    const cases: RecolorCase[] = [];
    const run = async (name: string, at: Date) => {
      clock.at = at;
      const before = {
        v: await versions(),
        s: await count('supervision_records'),
        n: await count('notifications'),
      };
      // recolorActiveCampaigns (the job), its two transactions timed apart.
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const changed = await sweepColors(ctx);
      const colorsMs = performance.now() - t0;
      const colorsCpu = process.cpuUsage(c0);
      await runPendingHooks(ctx);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const colors = Object.fromEntries(
        (
          await db
            .selectFrom('task_instances')
            .select(['color', (eb) => eb.fn.countAll().as('n')])
            .groupBy('color')
            .execute()
        ).map((r) => [r.color, Number(r.n)]),
      );
      cases.push({
        case: name,
        at: at.toISOString(),
        ms: Math.round(ms),
        colorsMs: Math.round(colorsMs),
        colorsCpuMs: Math.round((colorsCpu.user + colorsCpu.system) / 1000),
        hooksMs: Math.round(ms - colorsMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        instances,
        changed,
        updated: (await versions()) - before.v,
        supervision: (await count('supervision_records')) - before.s,
        notifications: (await count('notifications')) - before.n,
        colors,
        baselineMs: 0,
      });
    };
    await run('first sweep after generation', new Date(GENERATED_AT));
    await run('clock moved 5 weeks (judged)', new Date(MOVED_AT));
    await run('same day again (nothing changes)', new Date(Date.parse(MOVED_AT) + 60_000));

    // Baseline: the same rows read as the sweep reads them, and all touched by one UPDATE, in one transaction.
    const b0 = performance.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('task_instances as i')
        .innerJoin('campaign_tasks as t', 't.id', 'i.task_id')
        .innerJoin('campaigns as c', 'c.id', 'i.campaign_id')
        .selectAll('i')
        .select(['t.targets', 'c.color_rules'])
        .where('c.status', '=', 'active')
        .execute();
      await sql`update task_instances set color_at = color_at
        where campaign_id in (select id from campaigns where status = 'active')`.execute(trx);
    });
    const baselineMs = Math.round((performance.now() - b0) * 10) / 10;
    for (const c of cases) c.baselineMs = baselineMs;

    // The server started next must not run its catch-up sweep during the HTTP cases: mark today's as done.
    const job = JOBS.find((j) => j.name === 'campaigns.recolor');
    if (job) {
      const real = new Date();
      const next = nextRunAt(job.schedule, real).toISOString();
      await db
        .insertInto('scheduler_jobs')
        .values({
          name: job.name,
          next_run_at: next,
          lease_owner: null,
          lease_until: null,
          last_started_at: null,
          last_finished_at: null,
          last_status: null,
          last_error: null,
          updated_at: real.toISOString(),
        })
        .onConflict((oc) => oc.column('name').doUpdateSet({ next_run_at: next }))
        .execute();
    }
    const result: RecolorResult = {
      engine: ctx.database.engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
      cases,
    };
    console.log(`BENCH_CAMPAIGN_RECOLOR ${JSON.stringify(result)}`);
  } finally {
    await app.close();
    await ctx.database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
