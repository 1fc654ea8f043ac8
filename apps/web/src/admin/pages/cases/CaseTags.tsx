import { Badge, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDue } from '../../../shared/format.ts';
import { type CaseState, isOpen, SLA_HEX, type SlaColor, STATE_TAG_COLOR } from './model.ts';

export function CaseStateTag({ state, testId }: { state: CaseState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={STATE_TAG_COLOR[state]}
      data-testid={testId}
      data-state={state}
      style={{ marginInlineEnd: 0 }}
    >
      {t(`caseStates.${state}`)}
    </Tag>
  );
}

/** The SLA colour as a dot with its name (and the due time as a tooltip); a dash once the case is over. */
export function SlaDot({
  color,
  state,
  dueAt,
  testId,
}: {
  color: SlaColor;
  state: CaseState;
  dueAt?: string | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (!isOpen(state)) return <span data-testid={testId}>—</span>;
  const badge = (
    <Badge
      color={SLA_HEX[color]}
      text={t(`caseConsole.color.${color}`)}
      data-testid={testId}
      data-color={color}
    />
  );
  return dueAt ? <Tooltip title={t('caseConsole.dueBy', { due: formatDue(dueAt) })}>{badge}</Tooltip> : badge;
}

/** 退回自 <unit>: the unit that sent the case back to the office's queue. */
export function ReturnedTag({ unitName, testId }: { unitName: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color="volcano" bordered={false} data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {t('caseConsole.returnedBy', { unit: unitName })}
    </Tag>
  );
}
