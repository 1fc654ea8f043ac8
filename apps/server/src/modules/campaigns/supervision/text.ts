import {
  type Color,
  type ColorReason,
  colorReasonText,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
} from '../../../../../../packages/contracts/src/index.ts';

/** The roles that report a unit's ledger (liaison, unit head…): supervision speaks to the unit's holders. */
export const REPORT_ROLES: Role[] = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('ledger:report'));

/** The calendar date in Asia/Shanghai (the platform's one time zone). */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface TaskLine {
  title: string;
  cycle: string;
  color: Color;
  reason: ColorReason;
}

/** At most this many tasks are spelled out in one message; the rest are counted. */
export const LISTED_TASKS = 10;

/** "1.宣讲（红：截止…）；2.…等12项" — the tasks of one message, in the reader's language. */
export function taskList(tasks: TaskLine[], lang: 'zh-CN' | 'en-US'): string {
  const zh = lang === 'zh-CN';
  const shown = tasks.slice(0, LISTED_TASKS).map((t, i) => {
    const title = t.cycle === 'once' ? t.title : `${t.title} ${t.cycle}`;
    const reason = colorReasonText(t.color, t.reason, lang);
    return zh ? `${i + 1}.${title}（${reason}）` : `${i + 1}. ${title} (${reason})`;
  });
  const more = tasks.length - shown.length;
  const list = shown.join(zh ? '；' : '; ');
  if (more <= 0) return list;
  return zh ? `${list}；另有${more}项` : `${list}; and ${more} more`;
}

/** Notifications link to the campaign's supervision page (the console maps this record type to it). */
export const NOTIFY_RECORD = 'campaign_supervision';
