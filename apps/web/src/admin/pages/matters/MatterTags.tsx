import { Badge, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isOpen, type MatterState, SLA_HEX, type SlaColor, STATE_TAG_COLOR } from './model.ts';

export function StateTag({ state, testId }: { state: MatterState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_TAG_COLOR[state]} data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {t(`matters.state.${state}`)}
    </Tag>
  );
}

/** The deadline color as a dot and its name (正常 / 预警 / 超期); a dash once the matter is over. */
export function SlaBadge({ color, state, testId }: { color: SlaColor; state?: string; testId?: string }) {
  const { t } = useTranslation();
  if (state && !isOpen(state)) return <span data-testid={testId}>—</span>;
  return (
    <Badge
      color={SLA_HEX[color]}
      text={t(`matters.color.${color}`)}
      data-testid={testId}
      data-color={color}
    />
  );
}

export function LevelTag({ level }: { level: string }) {
  const { t } = useTranslation();
  return level === 'major' ? (
    <Tag color="red" bordered={false} style={{ marginInlineEnd: 0 }}>
      {t('matters.level.major')}
    </Tag>
  ) : null;
}
