import type { AppContext } from './context.ts';

const DAY = 24 * 3600_000;
/** How long the scheduler's run log and the log of sent messages are kept. */
const LOG_DAYS = 90;

/**
 * Nightly housekeeping: sessions past their idle or absolute limit (otherwise removed only when their
 * cookie comes back), one-time codes older than the daily rate-limit window, and scheduler runs and
 * finished outgoing deliveries older than 90 days (the inbox itself is kept).
 * Returns the counts, which the scheduler keeps in its run log.
 */
export async function purgeExpired(ctx: AppContext): Promise<Record<string, number>> {
  const { db } = ctx.database;
  const now = ctx.clock.now().getTime();
  const idleCutoff = new Date(now - ctx.config.sessionIdleMinutes * 60_000).toISOString();
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<', new Date(now).toISOString()), eb('last_seen_at', '<', idleCutoff)]),
    )
    .executeTakeFirst();
  const codes = await db
    .deleteFrom('otp_codes')
    .where('created_at', '<', new Date(now - DAY).toISOString())
    .executeTakeFirst();
  const runs = await db
    .deleteFrom('scheduler_runs')
    .where('started_at', '<', new Date(now - LOG_DAYS * DAY).toISOString())
    .where('status', '!=', 'running')
    .executeTakeFirst();
  const deliveries = await db
    .deleteFrom('notification_deliveries')
    .where('created_at', '<', new Date(now - LOG_DAYS * DAY).toISOString())
    .where('status', 'in', ['sent', 'failed'])
    .executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    otpCodes: Number(codes.numDeletedRows),
    schedulerRuns: Number(runs.numDeletedRows),
    deliveries: Number(deliveries.numDeletedRows),
  };
}
