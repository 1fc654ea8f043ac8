import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { JOBS } from './jobs.ts';
import { createContext } from './platform/bootstrap.ts';
import { createLogger } from './platform/log.ts';
import { Scheduler } from './platform/scheduler/scheduler.ts';
import { isEmpty, seedDemo } from './seed/demo.ts';
import { seedDemoCampaign } from './seed/demo-campaign.ts';
import { seedDemoCases } from './seed/demo-cases.ts';

/** config → open db → migrate → (seed the demo when empty) → serve; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const ctx = await createContext(config, log);
  if (config.seedDemo && (await isEmpty(ctx))) {
    const seeded = await seedDemo(ctx);
    log.info(seeded, 'demo organisation seeded (Bazhou)');
    if (config.seedDemoCampaign) {
      const campaign = await seedDemoCampaign(ctx);
      log.info(campaign, 'demo campaign seeded (seed 001, dates moved to now)');
    }
    if (config.seedDemoCases) {
      const cases = await seedDemoCases(ctx);
      log.info(cases, 'demo citizen cases seeded');
    }
  }
  if (ctx.sms.name === 'development-log') {
    log.warn(
      'SMS: the development sender is in use; codes go to the log and data/sms-outbox.jsonl, nothing is sent',
    );
  }
  if (ctx.channels.mode === 'dev') {
    log.warn(
      'Group robots: development mode; WeCom/DingTalk messages go to the log and data/notify-outbox.jsonl, nothing is sent',
    );
  }
  const app = await buildApp({ ctx, logger: log });
  const scheduler = new Scheduler(ctx, JOBS, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await scheduler.stop();
    await app.close();
    await ctx.database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  log.info({ db: ctx.database.engine, location: ctx.database.location }, 'Wenming is serving');
  // Runs at once: a deadline that passed while the server was stopped fires now, once.
  await scheduler.start();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
