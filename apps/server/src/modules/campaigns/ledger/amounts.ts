/** What a report may claim against a task's targets: pure, so every rule is unit-tested. */
import type { TaskTarget } from '../../../../../../packages/contracts/src/index.ts';
import type { FieldProblem } from '../../../platform/http/errors.ts';

/** Percent targets (measure '%') take 0–100, decimals allowed; every other measure counts things. */
export const isPercent = (t: TaskTarget): boolean => t.measure.trim() === '%' || t.measure.trim() === '％';

/** The largest amount a count may claim in one report (a guard against typos such as 1e9). */
export const MAX_COUNT = 1_000_000;

/**
 * The problems of one item's amounts against its task's targets, with fields named `${field}.i`:
 * one number per target, none negative, whole numbers for counts, at most 100 for percentages.
 */
export function amountProblems(targets: readonly TaskTarget[], amounts: readonly number[], field: string) {
  const problems: FieldProblem[] = [];
  if (amounts.length !== targets.length) {
    problems.push({ field, code: 'LEDGER_AMOUNTS_LENGTH', params: { count: targets.length } });
    return problems;
  }
  amounts.forEach((a, i) => {
    const f = `${field}.${i}`;
    const target = targets[i] as TaskTarget;
    if (!Number.isFinite(a) || a < 0) problems.push({ field: f, code: 'LEDGER_AMOUNT_NEGATIVE' });
    else if (isPercent(target)) {
      if (a > 100) problems.push({ field: f, code: 'LEDGER_AMOUNT_PERCENT' });
    } else if (!Number.isInteger(a)) {
      problems.push({ field: f, code: 'LEDGER_AMOUNT_WHOLE', params: { measure: target.measure } });
    } else if (a > MAX_COUNT) {
      problems.push({ field: f, code: 'LEDGER_AMOUNT_TOO_LARGE', params: { max: MAX_COUNT } });
    }
  });
  return problems;
}
