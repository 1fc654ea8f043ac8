/**
 * Reading a stored colour reason (task_instances.color_reason): the stored parameters do not move from day
 * to day, the figures that do (expected progress, time left, working days late or since a return) are
 * computed here from the calendar and the clock, so every reader shows them as of today without a sweep.
 */
import {
  type ColorReason,
  colorReasonAt,
  type StoredColorReason,
  type WorkingDaysBetween,
} from '../../../../../../packages/contracts/src/index.ts';
import { json } from '../../../db/normalize.ts';
import type { WorkCalendar } from '../../../platform/calendar/calendar.ts';
import { getCalendar } from '../../../platform/calendar/service.ts';
import type { AppContext } from '../../../platform/context.ts';

/** The calendar's working-day count between two local dates, kept per pair (many rows share a due day). */
export function workingDaysOf(cal: WorkCalendar): WorkingDaysBetween {
  const at = (d: string) => new Date(`${d}T12:00:00+08:00`);
  const kept = new Map<string, number>();
  return (from, to) => {
    const key = `${from}|${to}`;
    let n = kept.get(key);
    if (n === undefined) {
      n = cal.workingDaysBetween(at(from), at(to));
      kept.set(key, n);
    }
    return n;
  };
}

/**
 * Turns a stored reason (the JSON text of color_reason) into the reason as shown today; null while an
 * instance has none yet (a placeholder before its first colouring).
 */
export type ReasonReader = (text: string | null) => ColorReason | null;

/** A reader for one request: today's local date and the calendar are looked up once. */
export async function reasonReader(ctx: AppContext): Promise<ReasonReader> {
  const cal = await getCalendar(ctx);
  const today = cal.localDate(ctx.clock.now());
  const days = workingDaysOf(cal);
  return (text) => {
    const r = json<Partial<StoredColorReason>>(text);
    return r && typeof r.code === 'string' && r.params && typeof r.params === 'object'
      ? colorReasonAt(r as StoredColorReason, today, days)
      : null;
  };
}
