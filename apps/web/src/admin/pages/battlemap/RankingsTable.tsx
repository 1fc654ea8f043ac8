import { Progress, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { colorWord } from '../../../../../../packages/contracts/src/index.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { COLOR_HEX, LEGEND, type RankedUnit } from './model.ts';

function Counts({ u }: { u: RankedUnit }) {
  const lang = currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN';
  return (
    <Space size={8}>
      {LEGEND.filter((c) => u.counts[c] > 0).map((c) => (
        <span key={c} style={{ whiteSpace: 'nowrap' }}>
          <span
            style={{
              display: 'inline-block',
              width: 8,
              height: 8,
              borderRadius: 2,
              marginRight: 3,
              background: COLOR_HEX[c],
            }}
          />
          {colorWord(c, lang)} {u.counts[c]}
        </span>
      ))}
    </Space>
  );
}

const rate = (v: number | null) => (v === null ? '—' : `${v}%`);

/** Units by completion rate, then timeliness (the server's order), with counts per colour. */
export function RankingsTable({
  units,
  compact = false,
  testId = 'bm-rankings',
}: {
  units: RankedUnit[];
  compact?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  // headers never break inside a word (the cockpit's narrow cards)
  const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
  return (
    <Table<RankedUnit>
      size="small"
      rowKey="unitId"
      data-testid={testId}
      dataSource={units}
      pagination={false}
      scroll={compact ? undefined : { y: 'calc(100vh - 340px)' }}
      columns={[
        {
          title: compact ? '#' : t('battlemap.rank'),
          dataIndex: 'rank',
          width: compact ? 40 : 60,
          align: 'center',
          onHeaderCell: nowrap,
        },
        {
          title: t('battlemap.unit'),
          dataIndex: 'name',
          ellipsis: true,
          render: (v: string) => <span data-testid="bm-rank-unit">{v}</span>,
        },
        {
          title: t(compact ? 'battlemap.completionShort' : 'battlemap.completionRate'),
          dataIndex: 'completionRate',
          width: compact ? 68 : 180,
          onHeaderCell: nowrap,
          align: compact ? ('right' as const) : undefined,
          render: (v: number | null) =>
            v === null ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : compact ? (
              rate(v)
            ) : (
              <Progress percent={v} size="small" format={() => rate(v)} style={{ margin: 0 }} />
            ),
        },
        {
          title: t('battlemap.timeliness'),
          dataIndex: 'timeliness',
          width: compact ? 72 : 90,
          onHeaderCell: nowrap,
          align: 'right',
          render: rate,
        },
        ...(compact
          ? []
          : [
              {
                title: t('battlemap.done'),
                key: 'done',
                width: 110,
                align: 'right' as const,
                render: (_: unknown, u: RankedUnit) => `${u.done} / ${u.counted}`,
              },
              { title: t('battlemap.late'), dataIndex: 'late', width: 70, align: 'right' as const },
              {
                title: t('battlemap.avgLate'),
                dataIndex: 'avgLateWorkingDays',
                width: 110,
                align: 'right' as const,
              },
              {
                title: t('battlemap.colors'),
                key: 'counts',
                width: 230,
                render: (_: unknown, u: RankedUnit) => <Counts u={u} />,
              },
              {
                title: t('battlemap.casesReceived'),
                dataIndex: 'casesReceived',
                width: 90,
                align: 'right' as const,
              },
              {
                title: t('battlemap.caseOnTime'),
                dataIndex: 'caseOnTimeRate',
                width: 100,
                align: 'right' as const,
                render: rate,
              },
              {
                title: t('battlemap.caseSatisfaction'),
                dataIndex: 'caseSatisfaction',
                width: 100,
                align: 'right' as const,
                render: (v: number | null) => (v === null ? '—' : v.toFixed(2)),
              },
            ]),
      ]}
    />
  );
}
