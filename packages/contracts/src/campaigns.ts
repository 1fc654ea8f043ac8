/** Campaign ledger vocabulary shared by the server and the web (issue #4). */

export const COLORS = ['green', 'blue', 'yellow', 'orange', 'red'] as const;
export type Color = (typeof COLORS)[number];

/** Worst first: the colour of a group of instances is the worst of its members. */
export const COLOR_SEVERITY: Record<Color, number> = { red: 4, orange: 3, yellow: 2, blue: 1, green: 0 };

export const CADENCES = ['once', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type TaskCadence = (typeof CADENCES)[number];

export const CAMPAIGN_STATUSES = ['draft', 'active', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const REPORT_STATES = ['draft', 'submitted', 'unit_approved', 'accepted', 'returned'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export const HALF_YEAR_STATES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type HalfYearState = (typeof HALF_YEAR_STATES)[number];

export const SUPERVISION_KINDS = ['reminder', 'order', 'interview', 'circular'] as const;
export type SupervisionKind = (typeof SUPERVISION_KINDS)[number];

/** A quantified target of a task, per cycle and responsible unit: e.g. 100 个 先进集体. */
export interface TaskTarget {
  label: string;
  quantity: number;
  measure: string;
}

/**
 * A campaign's colour rules (SPEC §2.2). Fractions are of the instance's window; points are percentage
 * points of progress behind the time-proportional expectation.
 */
export interface ColorRules {
  /** Which preset the rules started from (shown in the editor). */
  preset: 'default' | 'yinchuan' | 'shangqiu' | 'custom';
  /** Behind schedule with less than this fraction of the window left → yellow. */
  yellowTimeLeft: number;
  /** Orange in use: behind schedule with less than this fraction left → orange. null = no orange. */
  orangeTimeLeft: number | null;
  /** Behind schedule by at least this many points → yellow, whatever the time left. null = off. */
  lagYellowPoints: number | null;
  /** Behind schedule by more than this many points → red. null = off. */
  lagRedPoints: number | null;
  /** A returned report not resubmitted within this many working days → yellow. */
  returnedGraceWorkingDays: number;
}

export const COLOR_PRESETS: Record<Exclude<ColorRules['preset'], 'custom'>, ColorRules> = {
  default: {
    preset: 'default',
    yellowTimeLeft: 0.3,
    orangeTimeLeft: null,
    lagYellowPoints: null,
    lagRedPoints: null,
    returnedGraceWorkingDays: 3,
  },
  // Yinchuan: 10–30 points behind → yellow, more than 30 → red.
  yinchuan: {
    preset: 'yinchuan',
    yellowTimeLeft: 0.3,
    orangeTimeLeft: null,
    lagYellowPoints: 10,
    lagRedPoints: 30,
    returnedGraceWorkingDays: 3,
  },
  // Shangqiu: yellow at 30% time left, orange at 15% (约谈), red overdue (问责单).
  shangqiu: {
    preset: 'shangqiu',
    yellowTimeLeft: 0.3,
    orangeTimeLeft: 0.15,
    lagYellowPoints: null,
    lagRedPoints: null,
    returnedGraceWorkingDays: 3,
  },
};

export const DEFAULT_COLOR_RULES: ColorRules = COLOR_PRESETS.default;

/**
 * Why an instance has its colour, as shown: rendered by colorReasonText in the reader's language. The
 * figures that move every day (the expected progress, the time left, working days late or since a return)
 * are not stored: colorReasonAt computes them when the reason is read.
 */
export type ColorReason =
  | { code: 'done'; params: { doneOn: string; progress: number } }
  | { code: 'on_track_accepted'; params: { due: string; progress: number; expected: number } }
  | { code: 'not_started'; params: { starts: string; due: string } }
  | { code: 'in_progress'; params: { due: string; progress: number; expected: number } }
  | { code: 'behind_time_left'; params: { due: string; progress: number; expected: number; leftPct: number } }
  | { code: 'lagging'; params: { due: string; progress: number; expected: number; lag: number } }
  | { code: 'returned_stale'; params: { returnedOn: string; workingDays: number } }
  | { code: 'overdue'; params: { due: string; lateWorkingDays: number; progress: number } };

/**
 * What task_instances.color_reason stores: only what stays the same from one day to the next (the rule
 * that fired, the window, the progress, the day a report was returned), so that the daily sweep rewrites
 * an instance only when its colour, its rule or its progress changed.
 */
export type StoredColorReason =
  | { code: 'done'; params: { doneOn: string; progress: number } }
  | { code: 'on_track_accepted'; params: { starts: string; due: string; progress: number } }
  | { code: 'not_started'; params: { starts: string; due: string } }
  | { code: 'in_progress'; params: { starts: string; due: string; progress: number } }
  | { code: 'behind_time_left'; params: { starts: string; due: string; progress: number } }
  | { code: 'lagging'; params: { starts: string; due: string; progress: number } }
  | { code: 'returned_stale'; params: { returnedOn: string } }
  | { code: 'overdue'; params: { due: string; progress: number } };

/** Working days after `from` up to and including `to` (0 when to ≤ from); the installation's calendar. */
export type WorkingDaysBetween = (from: string, to: string) => number;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date (read by position: the sweep calls this 200,000 times). */
function dayNumber(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** Percent of the window's days elapsed by the end of `today` (0 before it starts, 100 from its last day). */
export function expectedProgress(startsOn: string, dueOn: string, today: string): number {
  const total = dayNumber(dueOn) - dayNumber(startsOn) + 1;
  const elapsed = Math.min(Math.max(dayNumber(today) - dayNumber(startsOn) + 1, 0), total);
  return Math.floor((100 * elapsed) / total);
}

/** The stored part of a reason: the shown reason without its daily figures, with the window's first day. */
export function storedColorReason(reason: ColorReason, startsOn: string): StoredColorReason {
  switch (reason.code) {
    case 'done':
    case 'not_started':
      return reason;
    case 'on_track_accepted':
    case 'in_progress':
    case 'behind_time_left':
    case 'lagging':
      return {
        code: reason.code,
        params: { starts: startsOn, due: reason.params.due, progress: reason.params.progress },
      };
    case 'returned_stale':
      return { code: reason.code, params: { returnedOn: reason.params.returnedOn } };
    case 'overdue':
      return { code: reason.code, params: { due: reason.params.due, progress: reason.params.progress } };
  }
}

/**
 * The reason as shown on `today`: the stored parameters with the daily figures computed from the window,
 * the calendar and the day. A figure already in the stored parameters (a reason written with its figures)
 * is shown as stored.
 */
export function colorReasonAt(
  stored: StoredColorReason | ColorReason,
  today: string,
  workingDaysBetween: WorkingDaysBetween,
): ColorReason {
  switch (stored.code) {
    case 'done':
    case 'not_started':
      return { code: stored.code, params: stored.params } as ColorReason;
    case 'on_track_accepted':
    case 'in_progress':
    case 'behind_time_left':
    case 'lagging': {
      const p = stored.params as { starts?: string; due: string; progress: number; expected?: number };
      const expected = p.expected ?? (p.starts ? expectedProgress(p.starts, p.due, today) : 0);
      const base = { due: p.due, progress: p.progress, expected };
      if (stored.code === 'behind_time_left') {
        const left = (stored.params as { leftPct?: number }).leftPct;
        return { code: stored.code, params: { ...base, leftPct: left ?? 100 - expected } };
      }
      if (stored.code === 'lagging') {
        const lag = (stored.params as { lag?: number }).lag;
        return { code: stored.code, params: { ...base, lag: lag ?? expected - p.progress } };
      }
      return { code: stored.code, params: base };
    }
    case 'returned_stale': {
      const p = stored.params as { returnedOn: string; workingDays?: number };
      return {
        code: stored.code,
        params: {
          returnedOn: p.returnedOn,
          workingDays: p.workingDays ?? workingDaysBetween(p.returnedOn, today),
        },
      };
    }
    case 'overdue': {
      const p = stored.params as { due: string; progress: number; lateWorkingDays?: number };
      return {
        code: stored.code,
        params: {
          due: p.due,
          lateWorkingDays: p.lateWorkingDays ?? workingDaysBetween(p.due, today),
          progress: p.progress,
        },
      };
    }
  }
}

const COLOR_WORD: Record<'zh-CN' | 'en-US', Record<Color, string>> = {
  'zh-CN': { green: '绿', blue: '蓝', yellow: '黄', orange: '橙', red: '红' },
  'en-US': { green: 'Green', blue: 'Blue', yellow: 'Yellow', orange: 'Orange', red: 'Red' },
};

export function colorWord(color: Color, lang: 'zh-CN' | 'en-US'): string {
  return COLOR_WORD[lang][color];
}

/** "红：截止2026-12-31，已逾期12个工作日，未提交完成材料" / "Red: due 2026-12-31, 12 working days overdue, …". */
export function colorReasonText(color: Color, reason: ColorReason, lang: 'zh-CN' | 'en-US'): string {
  const zh = lang === 'zh-CN';
  const head = `${colorWord(color, lang)}${zh ? '：' : ': '}`;
  const p = reason.params;
  switch (reason.code) {
    case 'done':
      return head + (zh ? `已于${reason.params.doneOn}完成` : `completed on ${reason.params.doneOn}`);
    case 'on_track_accepted':
      return (
        head +
        (zh
          ? `截止${reason.params.due}，本周期报告已通过审核，完成${reason.params.progress}%`
          : `due ${reason.params.due}, this cycle's report accepted, ${reason.params.progress}% done`)
      );
    case 'not_started':
      return (
        head +
        (zh
          ? `${reason.params.starts}开始，截止${reason.params.due}`
          : `starts ${reason.params.starts}, due ${reason.params.due}`)
      );
    case 'in_progress':
      return (
        head +
        (zh
          ? `截止${reason.params.due}，完成${reason.params.progress}%，按时间应达${reason.params.expected}%`
          : `due ${reason.params.due}, ${reason.params.progress}% done, ${reason.params.expected}% expected by now`)
      );
    case 'behind_time_left':
      return (
        head +
        (zh
          ? `截止${reason.params.due}，剩余时间${reason.params.leftPct}%，完成${reason.params.progress}%，落后于进度${reason.params.expected}%`
          : `due ${reason.params.due}, ${reason.params.leftPct}% of the time left, ${reason.params.progress}% done, behind the expected ${reason.params.expected}%`)
      );
    case 'lagging':
      return (
        head +
        (zh
          ? `截止${reason.params.due}，完成${reason.params.progress}%，落后时间进度${reason.params.lag}个百分点`
          : `due ${reason.params.due}, ${reason.params.progress}% done, ${reason.params.lag} points behind schedule`)
      );
    case 'returned_stale':
      return (
        head +
        (zh
          ? `报告于${reason.params.returnedOn}被退回，${reason.params.workingDays}个工作日未重新提交`
          : `report returned on ${reason.params.returnedOn}, not resubmitted for ${reason.params.workingDays} working days`)
      );
    case 'overdue': {
      const done =
        'progress' in p && p.progress > 0
          ? zh
            ? `仅完成${p.progress}%`
            : `only ${p.progress}% done`
          : zh
            ? '未提交完成材料'
            : 'no accepted completion report';
      return (
        head +
        (zh
          ? `截止${reason.params.due}，已逾期${reason.params.lateWorkingDays}个工作日，${done}`
          : `due ${reason.params.due}, ${reason.params.lateWorkingDays} working days overdue, ${done}`)
      );
    }
  }
}
