import type { SlaColor } from '../../../../../packages/contracts/src/index.ts';
import type { Duration, WorkCalendar } from '../calendar/calendar.ts';

/**
 * SLA policies: which deadlines a workflow keeps and what happens as each approaches and passes.
 * Pure: every instant is computed from the deadline's dates and the working-day calendar.
 */

/** What a stage does when it fires (the module's SLA handler turns it into notifications and records). */
export type StageKind = 'reminder' | 'overdue' | 'escalation' | 'supervision' | 'circular';

/** When a stage fires, relative to the deadline. */
export type StageAt =
  /** Before the due instant: `before` ahead of it, but never earlier than half of the window. */
  | { before: Duration }
  /** At the due instant. */
  | 'due'
  /** When the deadline is this many whole working days late (the end of the n-th working day after the due date). */
  | { workingDaysLate: number };

export interface StageDef {
  kind: StageKind;
  at: StageAt;
}

export interface DeadlineDef {
  /** Shown to people: zh-CN and en-US names of the deadline, e.g. 签收 / acknowledge. */
  label: { 'zh-CN': string; 'en-US': string };
  stages: readonly StageDef[];
}

export interface SlaPolicy {
  name: string;
  deadlines: Record<string, DeadlineDef>;
}

export type { SlaColor };

const HOUR = 3600_000;

/** The instant a stage fires for a deadline running from `start` to `due`. */
export function stageTime(cal: WorkCalendar, stage: StageDef, start: Date, due: Date): Date {
  const at = stage.at;
  if (at === 'due') return due;
  if ('workingDaysLate' in at) {
    // The due instant is the end of its last day: count working days after that day.
    return cal.addWorkingDays(new Date(due.getTime() - 1), at.workingDaysLate);
  }
  const half = start.getTime() + (due.getTime() - start.getTime()) / 2;
  const ahead = 'hours' in at.before ? at.before.hours * HOUR : durationMs(cal, at.before, due);
  return new Date(Math.max(half, due.getTime() - ahead));
}

/** A duration expressed as milliseconds before `due` (for "remind 1 working day before"). */
function durationMs(cal: WorkCalendar, d: Duration, due: Date): number {
  if ('hours' in d) return d.hours * HOUR;
  if ('days' in d) return d.days * 24 * HOUR;
  if ('months' in d) return d.months * 30 * 24 * HOUR;
  // n working days before the end of the due day: step back day by day.
  let t = due.getTime();
  let left = d.workingDays;
  while (left > 0) {
    t -= 24 * HOUR;
    if (cal.isWorkingDay(cal.localDate(new Date(t)))) left--;
  }
  return due.getTime() - t;
}

export interface StageStep {
  stage: number;
  at: Date;
}

/**
 * The next stage to fire at or after index `from`. A reminder whose moment has passed together with
 * the due instant is skipped: after downtime nobody needs "due soon" for something already overdue.
 */
export function nextStage(
  cal: WorkCalendar,
  def: DeadlineDef,
  from: number,
  start: Date,
  due: Date,
  now: Date,
): StageStep | null {
  for (let i = from; i < def.stages.length; i++) {
    const stage = def.stages[i];
    if (stage.kind === 'reminder' && due.getTime() <= now.getTime()) continue;
    return { stage: i, at: stageTime(cal, stage, start, due) };
  }
  return null;
}

/** Every stage due by `now`, starting at index `from`, in order (what one sweep fires for one deadline). */
export function dueStages(
  cal: WorkCalendar,
  def: DeadlineDef,
  from: number,
  start: Date,
  due: Date,
  now: Date,
): { fire: number[]; next: StageStep | null } {
  const fire: number[] = [];
  let step = nextStage(cal, def, from, start, due, now);
  while (step && step.at.getTime() <= now.getTime()) {
    fire.push(step.stage);
    step = nextStage(cal, def, step.stage + 1, start, due, now);
  }
  return { fire, next: step };
}

/** The color of one open deadline at `now`: red once due, yellow once its reminder moment has come. */
export function deadlineColor(
  cal: WorkCalendar,
  def: DeadlineDef,
  start: Date,
  due: Date,
  now: Date,
): SlaColor {
  if (now.getTime() >= due.getTime()) return 'red';
  const reminder = def.stages.find((s) => s.kind === 'reminder');
  if (reminder && now.getTime() >= stageTime(cal, reminder, start, due).getTime()) return 'yellow';
  return 'green';
}

const RANK: Record<SlaColor, number> = { green: 0, yellow: 1, red: 2 };

export function worstColor(colors: Iterable<SlaColor>): SlaColor {
  let worst: SlaColor = 'green';
  for (const c of colors) if (RANK[c] > RANK[worst]) worst = c;
  return worst;
}

const SHANGHAI_MS = 8 * HOUR;

/**
 * A due instant as people read it, in Asia/Shanghai: "2026-10-09 24:00" for the end of a day (deadlines
 * counted in days end at midnight), otherwise "2026-10-09 14:30".
 */
export function formatDue(iso: string): string {
  const t = Date.parse(iso) + SHANGHAI_MS;
  const d = new Date(t);
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
  const day = new Date(midnight ? t - 1 : t);
  const date = day.toISOString().slice(0, 10);
  return midnight ? `${date} 24:00` : `${date} ${day.toISOString().slice(11, 16)}`;
}
