import { Empty, Tooltip, Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Color, colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import {
  type BattleMap,
  COLOR_HEX,
  COLOR_INK,
  LEGEND,
  type MatrixCell,
  NO_COLOR,
  reasonSentence,
  type Summary,
  unitLabel,
} from './model.ts';

const CELL_W = 30;
const CELL_H = 24;
const FIRST_W = 230;
const HEAD_H = 92;

const border = '1px solid #f0f0f0';
const sticky = (extra: CSSProperties): CSSProperties => ({
  position: 'sticky',
  background: '#fff',
  ...extra,
});

/** "红 1 · 绿 3" for a tooltip. */
function countsText(s: Summary): string {
  const lang = currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN';
  return LEGEND.filter((c) => s.counts[c] > 0)
    .map((c) => `${colorWord(c, lang)} ${s.counts[c]}`)
    .join(' · ');
}

function CellTip({ title, summary, reason }: { title: string; summary: Summary; reason?: string }) {
  const { t } = useTranslation();
  return (
    <div style={{ fontSize: 12, maxWidth: 320 }}>
      <div style={{ fontWeight: 600 }}>{title}</div>
      {reason && <div>{reason}</div>}
      <div>{countsText(summary)}</div>
      <div>{t('battlemap.progressOf', { progress: summary.progress, count: summary.instances })}</div>
    </div>
  );
}

/** A small square in the summary row and column: the group's worst colour. */
function Dot({ color }: { color: Color | null }) {
  return (
    <span
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        borderRadius: 2,
        background: color ? COLOR_HEX[color] : NO_COLOR,
        verticalAlign: 'middle',
      }}
    />
  );
}

/**
 * The activities × units matrix: a sticky header of unit names (vertical), a sticky first column of
 * activities, one compact coloured cell per activity and unit, and summary rows and columns. Scrolls both
 * ways inside its box.
 */
export function Matrix({
  data,
  onCell,
  maxHeight,
}: {
  data: BattleMap;
  onCell: (cell: MatrixCell) => void;
  maxHeight: string;
}) {
  const { t } = useTranslation();
  if (data.activities.length === 0)
    return <Empty description={t('battlemap.empty')} data-testid="bm-empty" style={{ padding: 32 }} />;
  const cells = new Map(data.cells.map((c) => [`${c.activityId}|${c.unitId}`, c]));
  const unitName = new Map(data.units.map((u) => [u.id, u.name]));

  const cornerStyle = sticky({
    left: 0,
    top: 0,
    zIndex: 3,
    width: FIRST_W,
    minWidth: FIRST_W,
    height: HEAD_H,
    borderBottom: border,
    borderRight: border,
    textAlign: 'left',
    verticalAlign: 'bottom',
    padding: '4px 8px',
    fontWeight: 500,
    color: '#8c8c8c',
  });
  const headStyle = sticky({
    top: 0,
    zIndex: 2,
    width: CELL_W,
    minWidth: CELL_W,
    maxWidth: CELL_W,
    height: HEAD_H,
    borderBottom: border,
    padding: '4px 0',
    verticalAlign: 'bottom',
    fontWeight: 400,
  });
  const rowHeadStyle = sticky({
    left: 0,
    zIndex: 1,
    width: FIRST_W,
    maxWidth: FIRST_W,
    borderRight: border,
    borderBottom: border,
    padding: '0 8px',
    textAlign: 'left',
    fontWeight: 400,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  });
  const cellStyle: CSSProperties = { width: CELL_W, height: CELL_H, padding: 1, borderBottom: border };

  const summaryCell = (key: string, title: string, s: Summary, children: ReactNode) => (
    <Tooltip key={key} title={<CellTip title={title} summary={s} />} mouseEnterDelay={0.15}>
      {children}
    </Tooltip>
  );

  return (
    <div
      data-testid="bm-matrix"
      style={{ overflow: 'auto', maxHeight, border, borderRadius: 6, background: '#fff' }}
    >
      <table style={{ borderCollapse: 'separate', borderSpacing: 0, fontSize: 12, tableLayout: 'fixed' }}>
        <thead>
          <tr>
            <th style={cornerStyle}>
              {t('battlemap.corner', { activities: data.activities.length, units: data.units.length })}
            </th>
            {data.units.map((u) => (
              <th key={u.id} style={headStyle} title={u.name} data-testid="bm-unit">
                <span
                  style={{
                    writingMode: 'vertical-rl',
                    display: 'inline-block',
                    maxHeight: HEAD_H - 8,
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                    whiteSpace: 'nowrap',
                    lineHeight: `${CELL_W - 6}px`,
                  }}
                >
                  {unitLabel(u)}
                </span>
              </th>
            ))}
            <th style={{ ...headStyle, width: 64, minWidth: 64, maxWidth: 64, borderLeft: border }}>
              <span style={{ color: '#8c8c8c' }}>{t('battlemap.rowTotal')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.activities.map((a) => (
            <tr key={a.id} data-testid="bm-row">
              <th
                style={{ ...rowHeadStyle, paddingLeft: a.parentId ? 20 : 8 }}
                title={`${a.section}\n${a.numeral} ${a.name}${a.leadUnit ? `\n${t('battlemap.lead')}：${a.leadUnit}` : ''}`}
              >
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.numeral}
                </Typography.Text>{' '}
                {a.name}
              </th>
              {data.units.map((u) => {
                const c = cells.get(`${a.id}|${u.id}`);
                if (!c) return <td key={u.id} style={cellStyle} />;
                return (
                  <td key={u.id} style={cellStyle}>
                    <Tooltip
                      title={
                        <CellTip
                          title={`${a.numeral} ${a.name} × ${unitName.get(u.id) ?? ''}`}
                          summary={c}
                          reason={reasonSentence(c.color, c.reason)}
                        />
                      }
                      mouseEnterDelay={0.1}
                    >
                      <button
                        type="button"
                        data-testid={`bm-cell-${a.id}-${u.id}`}
                        data-color={c.color}
                        onClick={() => onCell(c)}
                        style={{
                          width: '100%',
                          height: '100%',
                          border: 0,
                          borderRadius: 3,
                          cursor: 'pointer',
                          background: COLOR_HEX[c.color],
                          color: COLOR_INK[c.color],
                          fontSize: 11,
                          padding: 0,
                        }}
                      >
                        {c.instances}
                      </button>
                    </Tooltip>
                  </td>
                );
              })}
              {summaryCell(
                `row-${a.id}`,
                `${a.numeral} ${a.name}`,
                a.summary,
                <td style={{ ...cellStyle, width: 64, borderLeft: border, textAlign: 'center' }}>
                  <Dot color={a.summary.color} /> {a.summary.progress}%
                </td>,
              )}
            </tr>
          ))}
          <tr>
            <th style={{ ...rowHeadStyle, color: '#8c8c8c' }}>{t('battlemap.columnTotal')}</th>
            {data.units.map((u) =>
              summaryCell(
                `col-${u.id}`,
                u.name,
                u.summary,
                <td style={{ ...cellStyle, textAlign: 'center' }}>
                  <Dot color={u.summary.color} />
                </td>,
              ),
            )}
            {summaryCell(
              'all',
              t('battlemap.allCells'),
              data.totals,
              <td style={{ ...cellStyle, borderLeft: border, textAlign: 'center', fontWeight: 600 }}>
                <Dot color={data.totals.color} /> {data.totals.progress}%
              </td>,
            )}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The colours with their instance and cell counts; a click filters the matrix by that colour. */
export function Legend({
  totals,
  active,
  onPick,
}: {
  totals: BattleMap['totals'];
  active: Color | null;
  onPick: (c: Color | null) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN';
  return (
    <div style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }} data-testid="bm-legend">
      {LEGEND.filter((c) => c !== 'orange' || totals.counts.orange > 0 || active === 'orange').map((c) => (
        <button
          key={c}
          type="button"
          data-testid={`bm-legend-${c}`}
          aria-pressed={active === c}
          onClick={() => onPick(active === c ? null : c)}
          title={`${t('battlemap.cellsCount', { count: totals.cells[c] })} ${t('battlemap.legendHint')}`}
          style={{
            display: 'inline-flex',
            alignItems: 'center',
            gap: 4,
            border: `1px solid ${active === c ? COLOR_HEX[c] : '#d9d9d9'}`,
            background: active === c ? `${COLOR_HEX[c]}22` : '#fff',
            borderRadius: 4,
            padding: '1px 8px',
            cursor: 'pointer',
            fontSize: 12,
            lineHeight: '20px',
          }}
        >
          <Dot color={c} />
          {colorWord(c, lang)}
          <strong>{totals.counts[c]}</strong>
        </button>
      ))}
    </div>
  );
}
