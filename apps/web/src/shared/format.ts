import { currentLanguage } from './i18n.ts';

/** Dates are shown in Asia/Shanghai (SPEC §3) whatever the browser's zone, as `2026-03-01 14:05:09`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = get('hour') === '24' ? '00' : get('hour');
  return `${get('year')}-${get('month')}-${get('day')} ${hour}:${get('minute')}:${get('second')}`;
}

/** Locale-aware number formatting. */
export function formatNumber(n: number): string {
  return n.toLocaleString(currentLanguage());
}

/**
 * A deadline's due instant as people read it, in Asia/Shanghai: deadlines counted in days end at midnight,
 * which reads as the end of the day before ("2026-03-10 24:00"); any other instant as "2026-03-10 14:30".
 */
export function formatDue(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const local = formatTime(iso);
  if (local.endsWith(' 00:00:00')) return `${formatTime(new Date(t - 1).toISOString()).slice(0, 10)} 24:00`;
  return local.slice(0, 16);
}

/** The instant a day ends in Asia/Shanghai (`2026-03-10` → midnight starting 03-11, +08:00), as ISO UTC. */
export function endOfShanghaiDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + 24 * 3600_000).toISOString();
}
