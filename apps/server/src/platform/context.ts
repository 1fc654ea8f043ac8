import type { Config } from '../config.ts';
import type { Database } from '../db/index.ts';
import type { NotifyChannels } from './notify/channels.ts';
import type { PiiCipher } from './pii/crypto.ts';
import type { SmsSender } from './sms/sms.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything a service needs, built once at start (tests build their own). */
export interface AppContext {
  config: Config;
  database: Database;
  pii: PiiCipher;
  clock: Clock;
  sms: SmsSender;
  /** External notification channels (SMS, WeCom/DingTalk group robots) the outbox delivers through. */
  channels: NotifyChannels;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every /api route with its declared permission, collected at registration (for the route × role test). */
    apiRoutes: { method: string; url: string; permission: string | undefined }[];
  }
}
