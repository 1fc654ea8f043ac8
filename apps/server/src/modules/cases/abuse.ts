import { CompiledQuery, sql } from 'kysely';
import type { CaseArea } from '../../config.ts';
import { perDatabase } from '../../platform/cache/cache.ts';
import { Lru } from '../../platform/cache/lru.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { writeTx } from '../../platform/tx.ts';
import { activeBans } from './moderation.ts';

/** What intake knows about a report before anything is written. */
export interface IntakeFacts {
  /** The contact phone's hash (the signed-in citizen's own phone when none was typed). */
  phoneHash: string | null;
  ip: string | null;
  /** The hidden form field: people leave it empty, form-filling robots do not. */
  honeypot: string | null;
  /** The reported position, when the phone gave one. */
  lat: number | null;
  lng: number | null;
  /**
   * The signed-in reporter: a banned phone is refused also as the account's own phone, whatever
   * contact phone is typed. Absent or null for channels without a citizen account.
   */
  userId?: string | null;
  /**
   * The office filing for someone (a walk-in, a phone call): one workstation files many reports in a day,
   * so the rate limits do not apply; the other checks do.
   */
  office?: boolean;
}

const MINUTE = 60_000;
/** A robot that keeps filling the trap is recorded once per this interval (per account, or per address). */
const TRAP_RECORD_INTERVAL = 10 * MINUTE;

const trapsSeen = perDatabase(() => new Lru<string, number>(10_000));

/** Whether this honeypot hit is the first from its account or address in the interval (and remembers it). */
function firstTrapInWindow(ctx: AppContext, facts: IntakeFacts): boolean {
  const key = facts.userId ?? facts.ip ?? '';
  const seen = trapsSeen(ctx.database);
  const now = ctx.clock.now().getTime();
  const last = seen.get(key);
  if (last !== undefined && now - last < TRAP_RECORD_INTERVAL) return false;
  seen.set(key, now);
  return true;
}

/** Whether a position lies in the jurisdiction (a box in degrees; edges included). */
export function inArea(area: CaseArea | null, lat: number, lng: number): boolean {
  if (!area) return true;
  return lat >= area.south && lat <= area.north && lng >= area.west && lng <= area.east;
}

/**
 * Refuses a report before anything is stored: honeypot, position outside the jurisdiction, ban list,
 * rate limits per phone and per IP. Throws an AppError (400 / 403 / 429); returns nothing when the
 * report may go in. Cheap: the ban list is held in memory, and the rate limits are one statement whose
 * subqueries each read at most as many index entries as their limit allows (none when a limit is off).
 */
export async function checkIntake(ctx: AppContext, facts: IntakeFacts): Promise<void> {
  if (facts.honeypot !== null && facts.honeypot !== '') {
    // Recorded for the office (who keeps trying), answered like any other refusal.
    if (firstTrapInWindow(ctx, facts)) {
      await writeTx(ctx, { id: facts.userId ?? null, name: null, ip: facts.ip }, (tx) =>
        tx.audit({ action: 'case.intake.honeypot', entity: 'case', after: { ip: facts.ip } }),
      );
    }
    throw new AppError(400, 'CASE_REJECTED');
  }
  if (facts.lat !== null && facts.lng !== null && !inArea(ctx.config.caseArea, facts.lat, facts.lng)) {
    throw new AppError(400, 'VALIDATION_FAILED', {}, [
      { field: 'lat', code: 'CASE_OUT_OF_AREA' },
      { field: 'lng', code: 'CASE_OUT_OF_AREA' },
    ]);
  }
  await checkBans(ctx, facts);
  if (!facts.office) await checkRates(ctx, facts);
}

async function checkBans(ctx: AppContext, facts: IntakeFacts): Promise<void> {
  const bans = await activeBans(ctx);
  const now = ctx.clock.now();
  if (facts.ip !== null && bans.ipBanned(facts.ip, now)) throw new AppError(403, 'CASE_BANNED');
  if (!bans.anyPhone(now)) return;
  if (facts.phoneHash !== null && bans.phoneBanned(facts.phoneHash, now))
    throw new AppError(403, 'CASE_BANNED');
  if (facts.userId) {
    const own = await ctx.database.db
      .selectFrom('users')
      .select('phone_hash')
      .where('id', '=', facts.userId)
      .executeTakeFirst();
    if (own?.phone_hash && bans.phoneBanned(own.phone_hash, now)) throw new AppError(403, 'CASE_BANNED');
  }
}

interface Limit {
  column: 'contact_phone_hash' | 'ip';
  value: string | null;
  max: number;
  windowMs: number;
}

/**
 * The rate-limit statement for these limits: per limit, the max-th most recent report in its window
 * (limit and offset written into the text). Built and compiled once per database and set of limits:
 * compiling it costs several times what running it does. Its parameters are each limit's value and the
 * start of its window, in order.
 */
const rateStatements = perDatabase((database) => {
  const made = new Map<string, string>();
  return (limits: Limit[]): string => {
    const key = limits.map((l) => `${l.column}:${l.max}`).join(',');
    let text = made.get(key);
    if (text === undefined) {
      text = database.db
        .selectNoFrom((eb) =>
          limits.map((limit, i) =>
            eb
              .selectFrom('cases')
              .select('created_at')
              .where(limit.column, '=', '')
              .where('created_at', '>', '')
              .orderBy('created_at', 'desc')
              .limit(sql.lit(1))
              .offset(sql.lit(limit.max - 1))
              .as(`n${i}`),
          ),
        )
        .compile().sql;
      made.set(key, text);
    }
    return text;
  };
});

async function checkRates(ctx: AppContext, facts: IntakeFacts): Promise<void> {
  const { perPhone10Min, perPhoneDay, perIpHour } = ctx.config.caseLimits;
  const limits = (
    [
      { column: 'contact_phone_hash', value: facts.phoneHash, max: perPhone10Min, windowMs: 10 * MINUTE },
      { column: 'contact_phone_hash', value: facts.phoneHash, max: perPhoneDay, windowMs: 24 * 60 * MINUTE },
      { column: 'ip', value: facts.ip, max: perIpHour, windowMs: 60 * MINUTE },
    ] satisfies Limit[]
  ).filter((l) => l.max > 0 && l.value !== null);
  if (limits.length === 0) return;
  const now = ctx.clock.now().getTime();
  const text = rateStatements(ctx.database)(limits);
  const params = limits.flatMap((l) => [l.value, new Date(now - l.windowMs).toISOString()]);
  const { rows } = await ctx.database.db.executeQuery<Record<string, string | null>>(
    CompiledQuery.raw(text, params),
  );
  // When the max-th most recent report in a window exists, that window is full until it leaves.
  let wait = 0;
  for (const [i, limit] of limits.entries()) {
    const at = rows[0]?.[`n${i}`];
    if (at) wait = Math.max(wait, Date.parse(at) + limit.windowMs - now);
  }
  if (wait > 0) throw new AppError(429, 'RATE_LIMITED', { seconds: Math.max(1, Math.ceil(wait / 1000)) });
}
