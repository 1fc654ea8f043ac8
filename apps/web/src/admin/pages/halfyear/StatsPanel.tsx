import { Card, Descriptions, List, Progress, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { colorReasonText } from '../../../../../../packages/contracts/src/index.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { ColorCounts } from './ColorCounts.tsx';
import { COLOR_TAG, type HalfYearStats } from './model.ts';

/** The ledger statistics the report was pre-filled with: shown beside the four sections. */
export function StatsPanel({ stats }: { stats: HalfYearStats }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const pct = stats.instances ? Math.round((stats.done / stats.instances) * 100) : 0;
  return (
    <Card size="small" title={t('halfYear.stats.title', { date: stats.asOf })} data-testid="halfyear-stats">
      <Progress percent={pct} size="small" format={() => `${stats.done}/${stats.instances}`} />
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('halfYear.stats.colors')}>
          <ColorCounts byColor={stats.byColor} />
        </Descriptions.Item>
        <Descriptions.Item label={t('halfYear.stats.reports')}>
          <span data-testid="stats-reports">
            {t('halfYear.stats.reportCounts', {
              accepted: stats.reports.accepted,
              pending: stats.reports.pending,
              returned: stats.reports.returned,
            })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('halfYear.stats.evidence')}>
          <span data-testid="stats-evidence">{stats.evidence}</span>
        </Descriptions.Item>
      </Descriptions>
      {stats.tasks.some((task) => task.targets.length) && (
        <Table
          size="small"
          rowKey={(r) => `${r.taskId}-${r.label}`}
          pagination={false}
          style={{ marginTop: 8 }}
          data-testid="stats-targets"
          dataSource={stats.tasks.flatMap((task) =>
            task.targets.map((x) => ({ taskId: task.taskId, title: task.title, ...x })),
          )}
          columns={[
            { title: t('halfYear.stats.task'), dataIndex: 'title', ellipsis: true },
            { title: t('halfYear.stats.target'), dataIndex: 'label', width: 90, ellipsis: true },
            {
              title: t('halfYear.stats.amount'),
              width: 110,
              render: (_, r) => `${r.amount}/${r.target}${r.measure}`,
            },
          ]}
        />
      )}
      <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
        {t('halfYear.stats.overdue', { count: stats.overdue.length })}
      </Typography.Text>
      <List
        size="small"
        data-testid="stats-overdue"
        dataSource={stats.overdue}
        locale={{ emptyText: t('halfYear.stats.noOverdue') }}
        renderItem={(o) => (
          <List.Item style={{ paddingInline: 0 }}>
            <div>
              <div>
                {o.task} <Typography.Text type="secondary">({o.cycle})</Typography.Text>
              </div>
              <Tag color={COLOR_TAG[o.color]} style={{ whiteSpace: 'normal', marginTop: 4 }}>
                {colorReasonText(o.color, o.reason, lang)}
              </Tag>
            </div>
          </List.Item>
        )}
      />
    </Card>
  );
}
