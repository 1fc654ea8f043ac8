import type { Config } from '../config.ts';
import { type Database, openDatabase } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { type AppContext, type Clock, systemClock } from './context.ts';
import type { Logger } from './log.ts';
import { createChannels, type NotifyChannels } from './notify/channels.ts';
import { loadOrCreateMasterKey, PiiCipher } from './pii/crypto.ts';
import { DevSmsSender, type SmsSender } from './sms/sms.ts';

export interface ContextOptions {
  database?: Database;
  clock?: Clock;
  sms?: SmsSender;
  channels?: NotifyChannels;
}

/** Opens the database, runs migrations and assembles the services: what the server and the CLI share. */
export async function createContext(
  config: Config,
  log: Logger,
  opts: ContextOptions = {},
): Promise<AppContext> {
  const database =
    opts.database ??
    openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, backgroundCheckpoint: true });
  const applied = await migrateToLatest(database);
  if (applied.length) log.info({ migrations: applied }, 'database migrated');
  const sms = opts.sms ?? new DevSmsSender(config.dataDir, log);
  return {
    config,
    database,
    pii: new PiiCipher(loadOrCreateMasterKey(config.dataDir, config.secretKey)),
    clock: opts.clock ?? systemClock,
    sms,
    channels: opts.channels ?? createChannels(config, log, sms),
  };
}
