/**
 * Checks of a task and of a campaign's colour rules that the request schemas cannot express (pure).
 * Each problem names its field, so the console marks the input to fix.
 */
import type { ColorRules, TaskTarget } from '../../../../../../packages/contracts/src/index.ts';
import { parseLocalDate } from '../../../platform/calendar/calendar.ts';
import type { FieldProblem } from '../../../platform/http/errors.ts';

/** Measures that count whole things (个 先进集体, 3 条 线路, 50 部 作品 …): the quantity is an integer. */
const WHOLE_MEASURES = new Set([
  '个',
  '项',
  '部',
  '次',
  '人',
  '名',
  '位',
  '条',
  '类',
  '家',
  '所',
  '场',
  '件',
  '篇',
  '户',
  '处',
  '支',
  '批',
  '期',
  '本',
  '张',
  '座',
  '套',
  '份',
  '堂',
  '节',
  '组',
  '队',
  '村',
]);
const PERCENT = new Set(['%', '％', '百分比']);

export function targetProblems(targets: readonly TaskTarget[], field = 'targets'): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [i, t] of targets.entries()) {
    const measure = t.measure.trim();
    if (!(t.quantity > 0)) out.push({ field: `${field}.${i}.quantity`, code: 'CAMPAIGN_TARGET_QUANTITY' });
    else if (WHOLE_MEASURES.has(measure) && !Number.isInteger(t.quantity))
      out.push({ field: `${field}.${i}.quantity`, code: 'CAMPAIGN_TARGET_WHOLE', params: { measure } });
    else if (PERCENT.has(measure) && t.quantity > 100)
      out.push({ field: `${field}.${i}.quantity`, code: 'CAMPAIGN_TARGET_PERCENT' });
    if (!t.label.trim()) out.push({ field: `${field}.${i}.label`, code: 'field.required' });
    if (!measure) out.push({ field: `${field}.${i}.measure`, code: 'field.required' });
  }
  return out;
}

export interface TaskWindow {
  startsOn: string;
  dueOn: string;
}

/** A task's window: real dates, due not before start, inside the campaign's window when it has one. */
export function windowProblems(
  w: TaskWindow,
  campaign: { startsOn: string | null; endsOn: string | null },
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!parseLocalDate(w.startsOn))
    out.push({ field: 'startsOn', code: 'field.format', params: { format: 'date' } });
  if (!parseLocalDate(w.dueOn))
    out.push({ field: 'dueOn', code: 'field.format', params: { format: 'date' } });
  if (out.length > 0) return out;
  if (w.dueOn < w.startsOn) return [{ field: 'dueOn', code: 'CAMPAIGN_TASK_DUE_BEFORE_START' }];
  const params = { from: campaign.startsOn ?? '', to: campaign.endsOn ?? '' };
  if (campaign.startsOn && w.startsOn < campaign.startsOn)
    out.push({ field: 'startsOn', code: 'CAMPAIGN_TASK_OUTSIDE_WINDOW', params });
  if (campaign.endsOn && w.dueOn > campaign.endsOn)
    out.push({ field: 'dueOn', code: 'CAMPAIGN_TASK_OUTSIDE_WINDOW', params });
  return out;
}

/** Colour rules: time fractions strictly between 0 and 1, orange before yellow, lag yellow below red. */
export function rulesProblems(r: ColorRules, field = 'colorRules'): FieldProblem[] {
  const out: FieldProblem[] = [];
  const fraction = (v: number, name: string) => {
    if (!(v > 0 && v < 1)) out.push({ field: `${field}.${name}`, code: 'CAMPAIGN_RULE_FRACTION' });
  };
  fraction(r.yellowTimeLeft, 'yellowTimeLeft');
  if (r.orangeTimeLeft !== null) {
    fraction(r.orangeTimeLeft, 'orangeTimeLeft');
    if (out.length === 0 && r.orangeTimeLeft >= r.yellowTimeLeft)
      out.push({ field: `${field}.orangeTimeLeft`, code: 'CAMPAIGN_RULE_ORANGE_ORDER' });
  }
  for (const name of ['lagYellowPoints', 'lagRedPoints'] as const) {
    const v = r[name];
    if (v !== null && !(Number.isInteger(v) && v >= 1 && v <= 99))
      out.push({ field: `${field}.${name}`, code: 'CAMPAIGN_RULE_POINTS' });
  }
  if (
    r.lagYellowPoints !== null &&
    r.lagRedPoints !== null &&
    !out.some((p) => p.field.endsWith('Points')) &&
    r.lagYellowPoints >= r.lagRedPoints
  )
    out.push({ field: `${field}.lagRedPoints`, code: 'CAMPAIGN_RULE_LAG_ORDER' });
  if (!(Number.isInteger(r.returnedGraceWorkingDays) && r.returnedGraceWorkingDays >= 0))
    out.push({ field: `${field}.returnedGraceWorkingDays`, code: 'CAMPAIGN_RULE_DAYS' });
  return out;
}
