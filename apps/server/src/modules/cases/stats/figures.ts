/**
 * Case figures from the grouped counts (pure): rates as percent with one decimal, the mean score with two,
 * mean times in calendar hours with one; null when there is nothing to divide by. Totals are summed
 * counts, and their rates are worked out from the sums (never averaged rates).
 */

import type { CaseFigures } from '../../../../../../packages/contracts/src/index.ts';

export type { CaseFigures };

/** The counts behind one row of the statistics (a unit, a category or the total). */
export interface CaseCounts {
  /** 首接: cases first dispatched to the unit (for a category: every case of the period). */
  received: number;
  /** Of those, now held by another unit or back with the office (reassigned, escalated). */
  transferred: number;
  /** Cases the unit holds now (for a category: every case of the period). */
  held: number;
  answered: number;
  closed: number;
  /** Σ reopen_count of the held cases (redo rounds asked by the reporter or the office). */
  reopened: number;
  /** Answer and redo deadlines met by their due time / met late / open past due now. */
  onTime: number;
  late: number;
  overdue: number;
  answerHours: number;
  answerN: number;
  resolveHours: number;
  resolveN: number;
  ratings: number;
  scoreSum: number;
  satisfied: number;
}

export const emptyCounts = (): CaseCounts => ({
  received: 0,
  transferred: 0,
  held: 0,
  answered: 0,
  closed: 0,
  reopened: 0,
  onTime: 0,
  late: 0,
  overdue: 0,
  answerHours: 0,
  answerN: 0,
  resolveHours: 0,
  resolveN: 0,
  ratings: 0,
  scoreSum: 0,
  satisfied: 0,
});

export const pct = (num: number, den: number): number | null =>
  den > 0 ? Math.round((1000 * num) / den) / 10 : null;

const mean = (sum: number, n: number, digits: number): number | null =>
  n > 0 ? Math.round((sum / n) * 10 ** digits) / 10 ** digits : null;

export function figuresOf(c: CaseCounts): CaseFigures {
  return {
    received: c.received,
    transferred: c.transferred,
    held: c.held,
    answered: c.answered,
    closed: c.closed,
    reopened: c.reopened,
    onTime: c.onTime,
    late: c.late,
    overdue: c.overdue,
    onTimeRate: pct(c.onTime, c.onTime + c.late + c.overdue),
    resolutionRate: pct(c.closed, c.held),
    avgAnswerHours: mean(c.answerHours, c.answerN, 1),
    avgResolveHours: mean(c.resolveHours, c.resolveN, 1),
    ratings: c.ratings,
    avgScore: mean(c.scoreSum, c.ratings, 2),
    satisfiedRate: pct(c.satisfied, c.ratings),
  };
}

export function addCounts(into: CaseCounts, c: CaseCounts): void {
  for (const k of Object.keys(into) as (keyof CaseCounts)[]) into[k] += c[k];
}
