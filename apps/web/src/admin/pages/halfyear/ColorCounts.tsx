import { Space, Tag } from 'antd';
import { COLORS, type Color, colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { COLOR_TAG } from './model.ts';

/** The non-zero colour counts as tags, e.g. 绿 3 · 红 1. */
export function ColorCounts({ byColor }: { byColor: Record<Color, number> }) {
  const lang = currentLanguage();
  const shown = COLORS.filter((c) => byColor[c] > 0);
  if (!shown.length) return <span>—</span>;
  return (
    <Space size={2} wrap>
      {shown.map((c) => (
        <Tag key={c} color={COLOR_TAG[c]} data-testid={`color-count-${c}`} style={{ marginInlineEnd: 2 }}>
          {colorWord(c, lang)} {byColor[c]}
        </Tag>
      ))}
    </Space>
  );
}

/** '2026-H1' as people say it: 2026年上半年 / H1 2026. */
export function periodLabel(
  t: (key: string, opts?: Record<string, unknown>) => string,
  period: string,
): string {
  return t(period.endsWith('H1') ? 'halfYear.h1' : 'halfYear.h2', { year: period.slice(0, 4) });
}
