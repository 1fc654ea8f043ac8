import { theme } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../shared/i18n.ts';
import type { Cell, CellKind } from './days.ts';

const COLORS: Record<CellKind, { background: string; color: string; border: string }> = {
  work: { background: '#fff', color: 'rgba(0,0,0,0.88)', border: '#f0f0f0' },
  rest: { background: '#f5f5f5', color: '#8c8c8c', border: '#f0f0f0' },
  holiday: { background: '#fff1f0', color: '#cf1322', border: '#ffa39e' },
  workday: { background: '#e6f4ff', color: '#0958d9', border: '#91caff' },
};

export function kindColors(kind: CellKind) {
  return COLORS[kind];
}

/** Twelve compact months, Monday first; holidays, rest days and 调休 working days colored and named. */
export function YearGrid({
  year,
  cells,
  onPick,
}: {
  year: number;
  cells: Cell[];
  /** Called with a date when a day is clicked (only for users who may edit). */
  onPick?: (date: string) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const lang = currentLanguage();
  const monthName = new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' });
  const weekdayName = new Intl.DateTimeFormat(lang, { weekday: 'narrow', timeZone: 'UTC' });
  // 2024-01-01 was a Monday
  const weekdays = Array.from({ length: 7 }, (_, i) => weekdayName.format(Date.UTC(2024, 0, 1 + i)));
  const mark: Partial<Record<CellKind, string>> = {
    holiday: t('calendarPage.markHoliday'),
    workday: t('calendarPage.markWorkday'),
  };
  const kindLabel: Record<CellKind, string> = {
    work: t('calendarPage.kindWork'),
    rest: t('calendarPage.kindRest'),
    holiday: t('calendarPage.kindHoliday'),
    workday: t('calendarPage.kindWorkday'),
  };

  const months = Array.from({ length: 12 }, (_, i) => {
    const prefix = `${year}-${String(i + 1).padStart(2, '0')}-`;
    return cells.filter((c) => c.date.startsWith(prefix));
  });

  const cellStyle = (kind: CellKind): CSSProperties => ({
    position: 'relative',
    height: 30,
    lineHeight: '30px',
    textAlign: 'center',
    fontSize: 12,
    borderRadius: 4,
    border: `1px solid ${COLORS[kind].border}`,
    background: COLORS[kind].background,
    color: COLORS[kind].color,
    fontWeight: kind === 'holiday' || kind === 'workday' ? 600 : 400,
    cursor: onPick ? 'pointer' : 'default',
    padding: 0,
    width: '100%',
    fontFamily: 'inherit',
  });

  return (
    <div
      data-testid="calendar-grid"
      style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 16 }}
    >
      {months.map((days, i) => {
        const lead = days.length ? (new Date(`${days[0].date}T00:00:00Z`).getUTCDay() + 6) % 7 : 0;
        return (
          <div key={days[0]?.date ?? i} data-testid={`calendar-month-${i + 1}`}>
            <div style={{ fontWeight: 600, marginBottom: 6, color: token.colorText }}>
              {monthName.format(Date.UTC(year, i, 1))}
            </div>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2 }}>
              {weekdays.map((w, k) => (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: narrow weekday names repeat (T, S)
                  key={k}
                  style={{ textAlign: 'center', fontSize: 11, color: token.colorTextSecondary }}
                >
                  {w}
                </div>
              ))}
              {Array.from({ length: lead }, (_, k) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: empty leading cells have no identity
                <div key={`lead-${k}`} />
              ))}
              {days.map((c) => {
                const title = `${c.date} · ${c.name ?? kindLabel[c.kind]}`;
                const content = (
                  <>
                    {Number(c.date.slice(8))}
                    {mark[c.kind] && (
                      <span
                        style={{
                          position: 'absolute',
                          top: -1,
                          right: 1,
                          fontSize: 9,
                          lineHeight: '12px',
                          fontWeight: 400,
                        }}
                      >
                        {mark[c.kind]}
                      </span>
                    )}
                  </>
                );
                const common = {
                  title,
                  'data-testid': `day-${c.date}`,
                  'data-kind': c.kind,
                  'data-name': c.name ?? '',
                  style: cellStyle(c.kind),
                };
                return onPick ? (
                  <button key={c.date} type="button" {...common} onClick={() => onPick(c.date)}>
                    {content}
                  </button>
                ) : (
                  <div key={c.date} {...common}>
                    {content}
                  </div>
                );
              })}
            </div>
          </div>
        );
      })}
    </div>
  );
}
