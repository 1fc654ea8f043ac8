import { ArrowRightOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { Empty, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDue, formatTime } from '../../../shared/format.ts';
import { TimelineFiles } from '../../components/TimelineFiles.tsx';
import { StateTag } from './MatterTags.tsx';
import { isOpen, type MatterState, type TimelineEntry } from './model.ts';

/** Dot colors: refusals red, reports and acceptance green, urging and extensions orange, the rest blue. */
const DOT_COLOR: Record<string, string> = {
  accept: 'green',
  resolve: 'green',
  decline: 'red',
  return: 'red',
  cancel: 'gray',
  reject_extension: 'red',
  urge: 'orange',
  request_extension: 'orange',
};
const NEUTRAL = '#1677ff';

/**
 * The matter's history, oldest first: who did what, from which unit, the state change, the note and the
 * files; while the matter is open, a last line says whom it waits for.
 */
export function MatterTimeline({
  entries,
  state,
  unitNames,
}: {
  entries: TimelineEntry[];
  state: MatterState;
  /** Names of units that a reassignment named (the history keeps only their ids). */
  unitNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  if (!entries.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="matter-timeline"
      pending={isOpen(state) ? t(`matters.waiting.${state}`) : undefined}
      pendingDot={<ClockCircleOutlined style={{ color: '#8c8c8c' }} />}
      items={entries.map((e) => ({
        key: e.seq,
        color: DOT_COLOR[e.action] ?? NEUTRAL,
        children: (
          <div data-testid={`timeline-${e.seq}`} data-action={e.action}>
            <Space size={8} wrap>
              <Typography.Text strong>{t(`matters.action.${e.action}`)}</Typography.Text>
              {e.from !== e.to && (
                <Space size={4}>
                  {e.from && <StateTag state={e.from as MatterState} />}
                  {e.from && <ArrowRightOutlined style={{ color: '#bfbfbf', fontSize: 12 }} />}
                  <StateTag state={e.to as MatterState} />
                </Space>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(e.at).slice(0, 16)}
              </Typography.Text>
            </Space>
            <div>
              <Typography.Text type="secondary">
                {[e.actorName, e.actorUnitName].filter(Boolean).join(' · ')}
              </Typography.Text>
            </div>
            {e.payload.dueAt && <div>{t('matters.extension.to', { due: formatDue(e.payload.dueAt) })}</div>}
            {e.payload.unitId && (
              <div>{t('matters.reassignedTo', { unit: unitNames.get(e.payload.unitId) ?? '—' })}</div>
            )}
            {e.note && (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
                {e.note}
              </Typography.Paragraph>
            )}
            <TimelineFiles files={e.attachments} size={72} />
          </div>
        ),
      }))}
    />
  );
}
