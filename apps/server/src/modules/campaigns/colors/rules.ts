/**
 * The four colours (四色管理, SPEC §2.2) as a pure function of an instance's window, its progress and its
 * reports, under a campaign's rules. No database, no clock: the caller passes "today" and a working-day
 * counter, so every rule and boundary is unit-tested.
 */
import {
  type Color,
  type ColorReason,
  type ColorRules,
  DEFAULT_COLOR_RULES,
  expectedProgress,
  type TaskTarget,
  type WorkingDaysBetween,
} from '../../../../../../packages/contracts/src/index.ts';

export { expectedProgress, type WorkingDaysBetween };

export interface InstanceFacts {
  /** Inclusive local dates (Asia/Shanghai). */
  startsOn: string;
  dueOn: string;
  /** 0–100: share of the targets met by accepted reports. */
  progress: number;
  acceptedReports: number;
  /** Reports waiting for the unit head or the office. */
  pendingReports: number;
  /** Local date the instance was completed, when it is. */
  doneOn: string | null;
  /** Local date a report was returned and not yet resubmitted. */
  returnedOn: string | null;
}

export interface ColorResult {
  color: Color;
  reason: ColorReason;
}

/**
 * Progress against the targets: the mean over targets of min(1, amount / quantity), as a whole percent.
 * A task without quantified targets is complete with its first accepted report.
 */
export function progressOf(
  targets: readonly TaskTarget[],
  amounts: readonly number[],
  accepted: number,
): number {
  if (targets.length === 0) return accepted > 0 ? 100 : 0;
  let sum = 0;
  for (const [i, t] of targets.entries()) sum += Math.min(1, (amounts[i] ?? 0) / t.quantity);
  return Math.floor((100 * sum) / targets.length + 1e-9);
}

export function colorOf(
  f: InstanceFacts,
  rules: ColorRules,
  today: string,
  workingDaysBetween: WorkingDaysBetween,
): ColorResult {
  const due = f.dueOn;
  const progress = f.progress;
  if (f.doneOn !== null && progress >= 100 && f.acceptedReports > 0)
    return { color: 'green', reason: { code: 'done', params: { doneOn: f.doneOn, progress } } };
  if (today > due)
    return {
      color: 'red',
      reason: { code: 'overdue', params: { due, lateWorkingDays: workingDaysBetween(due, today), progress } },
    };
  if (today < f.startsOn)
    return { color: 'blue', reason: { code: 'not_started', params: { starts: f.startsOn, due } } };

  const expected = expectedProgress(f.startsOn, due, today);
  const lag = expected - progress;
  const behind = lag > 0;
  const leftPct = 100 - expected;
  const left = leftPct / 100;

  if (rules.lagRedPoints !== null && lag > rules.lagRedPoints)
    return { color: 'red', reason: { code: 'lagging', params: { due, progress, expected, lag } } };
  if (rules.orangeTimeLeft !== null && behind && left < rules.orangeTimeLeft)
    return {
      color: 'orange',
      reason: { code: 'behind_time_left', params: { due, progress, expected, leftPct } },
    };
  if (f.returnedOn !== null && f.pendingReports === 0) {
    const days = workingDaysBetween(f.returnedOn, today);
    if (days > rules.returnedGraceWorkingDays)
      return {
        color: 'yellow',
        reason: { code: 'returned_stale', params: { returnedOn: f.returnedOn, workingDays: days } },
      };
  }
  if (behind && left < rules.yellowTimeLeft)
    return {
      color: 'yellow',
      reason: { code: 'behind_time_left', params: { due, progress, expected, leftPct } },
    };
  if (rules.lagYellowPoints !== null && lag >= rules.lagYellowPoints)
    return { color: 'yellow', reason: { code: 'lagging', params: { due, progress, expected, lag } } };
  if (f.acceptedReports > 0 && !behind)
    return { color: 'green', reason: { code: 'on_track_accepted', params: { due, progress, expected } } };
  return { color: 'blue', reason: { code: 'in_progress', params: { due, progress, expected } } };
}

/** The rules stored on a campaign (JSON, validated when written); null → the default set. */
export function rulesOf(stored: string | null): ColorRules {
  return stored
    ? { ...DEFAULT_COLOR_RULES, ...(JSON.parse(stored) as Partial<ColorRules>) }
    : DEFAULT_COLOR_RULES;
}
