import type { AppContext } from '../../platform/context.ts';

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
}

/**
 * Refuses a report before anything is stored: ban list, rate limits per phone and per IP, honeypot,
 * position outside the jurisdiction. Throws an AppError (403 / 429 / 400 with the field); returns
 * nothing when the report may go in. Owned by the moderation/abuse work of issue #5.
 */
export async function checkIntake(_ctx: AppContext, _facts: IntakeFacts): Promise<void> {}
