import { DownloadOutlined, FileWordOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, DatePicker, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CaseCircular,
  type CaseFigures,
  type CategoryStat,
  circularUrl,
  createCircular,
  durationParts,
  loadCategoryStats,
  loadUnitStats,
  pctText,
  type StatsFilter,
  type StatsPage,
  scoreText,
  type UnitStat,
} from '../../../shared/caseStats.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { useSession } from '../../../shared/session.tsx';
import { type CaseCategory, categoryOptions, loadCategories } from './model.ts';

const num = (a: number | null, b: number | null) => (a ?? -1) - (b ?? -1);

/** The figure columns shared by the unit and the category tables, each sortable. */
function figureColumns<T extends CaseFigures>(t: TFunction, withTransfers: boolean): ColumnsType<T> {
  const hours = (v: number | null) => {
    const d = durationParts(v);
    return d ? t(`caseStats.${d.unit}`, { n: d.value }) : '—';
  };
  const count = (key: keyof CaseFigures, title: string) => ({
    title,
    dataIndex: key,
    key,
    width: 92,
    align: 'right' as const,
    sorter: (a: T, b: T) => (a[key] as number) - (b[key] as number),
  });
  const rate = (key: keyof CaseFigures, title: string, render = pctText) => ({
    title,
    dataIndex: key,
    key,
    width: 108,
    align: 'right' as const,
    sorter: (a: T, b: T) => num(a[key] as number | null, b[key] as number | null),
    render: (v: number | null) => render(v),
  });
  return [
    count('received', t('caseStats.received')),
    ...(withTransfers ? [count('transferred', t('caseStats.transferred'))] : []),
    ...(withTransfers ? [count('held', t('caseStats.held'))] : []),
    count('answered', t('caseStats.answered')),
    count('closed', t('caseStats.closed')),
    rate('resolutionRate', t('caseStats.resolutionRate')),
    rate('onTimeRate', t('caseStats.onTimeRate')),
    count('overdue', t('caseStats.overdue')),
    rate('avgAnswerHours', t('caseStats.avgAnswer'), hours),
    rate('avgScore', t('caseStats.avgScore'), scoreText),
    rate('satisfiedRate', t('caseStats.satisfiedRate')),
    count('reopened', t('caseStats.reopened')),
  ];
}

function TotalsRow({
  totals,
  leading,
  withTransfers,
}: {
  totals: CaseFigures;
  leading: number;
  withTransfers: boolean;
}) {
  const { t } = useTranslation();
  const d = durationParts(totals.avgAnswerHours);
  const cells: [string, string | number][] = [
    ['received', totals.received],
    ...(withTransfers
      ? ([
          ['transferred', totals.transferred],
          ['held', totals.held],
        ] as [string, number][])
      : []),
    ['answered', totals.answered],
    ['closed', totals.closed],
    ['resolutionRate', pctText(totals.resolutionRate)],
    ['onTimeRate', pctText(totals.onTimeRate)],
    ['overdue', totals.overdue],
    ['avgAnswer', d ? t(`caseStats.${d.unit}`, { n: d.value }) : '—'],
    ['avgScore', scoreText(totals.avgScore)],
    ['satisfiedRate', pctText(totals.satisfiedRate)],
    ['reopened', totals.reopened],
  ];
  return (
    <Table.Summary fixed>
      <Table.Summary.Row data-testid="case-stats-totals">
        <Table.Summary.Cell index={0} colSpan={leading}>
          <Typography.Text strong>{t('caseStats.total')}</Typography.Text>
        </Table.Summary.Cell>
        {cells.map(([k, c], i) => (
          <Table.Summary.Cell key={k} index={i + leading} align="right">
            <Typography.Text strong>{c}</Typography.Text>
          </Table.Summary.Cell>
        ))}
      </Table.Summary.Row>
    </Table.Summary>
  );
}

/** 诉求统计: per unit and per category for a period, sortable, with totals; 生成通报 for the office. */
export function CaseStatsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs()]);
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [categories, setCategories] = useState<CaseCategory[]>([]);
  const [units, setUnits] = useState<StatsPage<UnitStat> | null>(null);
  const [cats, setCats] = useState<StatsPage<CategoryStat> | null>(null);
  const [loading, setLoading] = useState(false);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<CaseCircular | null>(null);

  const filter: StatsFilter = {
    from: range[0].format('YYYY-MM-DD'),
    to: range[1].format('YYYY-MM-DD'),
    categoryId,
    kind,
  };
  const key = JSON.stringify(filter);

  useEffect(() => {
    loadCategories()
      .then(setCategories)
      .catch(() => setCategories([]));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filter's values
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const [u, c] = await Promise.all([loadUnitStats(filter), loadCategoryStats(filter)]);
      setUnits(u);
      setCats(c);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [key]);

  useEffect(() => {
    reload();
  }, [reload]);

  const issue = async () => {
    setIssuing(true);
    try {
      const c = await createCircular({ from: filter.from, to: filter.to });
      setIssued(c);
      message.success(t('caseStats.circularIssued', { number: c.number }));
      window.location.assign(circularUrl(c.id));
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setIssuing(false);
    }
  };

  const unitColumns: ColumnsType<UnitStat> = [
    {
      title: t('caseStats.unit'),
      dataIndex: 'unitName',
      key: 'unitName',
      fixed: 'left',
      width: 168,
      ellipsis: true,
      sorter: (a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN'),
    },
    ...figureColumns<UnitStat>(t, true),
  ];
  const categoryColumns: ColumnsType<CategoryStat> = [
    { title: t('caseStats.category'), dataIndex: 'name', key: 'name', fixed: 'left', width: 168 },
    ...figureColumns<CategoryStat>(t, false),
  ];

  return (
    <PageContainer
      title={t('caseStats.title')}
      extra={
        can('case:dispatch') && (
          <Button
            type="primary"
            icon={<FileWordOutlined />}
            loading={issuing}
            onClick={issue}
            data-testid="case-stats-circular"
          >
            {t('caseStats.issueCircular')}
          </Button>
        )
      }
    >
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="case-stats-range"
          />
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('caseStats.allCategories')}
            value={categoryId}
            onChange={setCategoryId}
            options={categoryOptions(categories)}
            data-testid="case-stats-category"
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('caseStats.allKinds')}
            value={kind}
            onChange={setKind}
            options={[
              { value: 'snapshot', label: t('caseStats.kind.snapshot') },
              { value: 'talk', label: t('caseStats.kind.talk') },
            ]}
            data-testid="case-stats-kind"
          />
          <Typography.Text type="secondary">{t('caseStats.note')}</Typography.Text>
        </Space>
      </Card>
      {issued && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('caseStats.circularIssued', { number: issued.number })}
          action={
            <Button
              size="small"
              icon={<DownloadOutlined />}
              href={circularUrl(issued.id)}
              data-testid="case-stats-circular-download"
            >
              {t('caseStats.download')}
            </Button>
          }
        />
      )}
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'units',
              label: t('caseStats.byUnit'),
              children: (
                <Table<UnitStat>
                  size="small"
                  rowKey="unitId"
                  loading={loading}
                  data-testid="case-stats-units"
                  dataSource={units?.items ?? []}
                  columns={unitColumns}
                  pagination={false}
                  scroll={{ x: 'max-content', y: 'calc(100vh - 420px)' }}
                  summary={() =>
                    units ? <TotalsRow totals={units.totals} leading={1} withTransfers /> : null
                  }
                />
              ),
            },
            {
              key: 'categories',
              label: t('caseStats.byCategory'),
              children: (
                <Table<CategoryStat>
                  size="small"
                  rowKey="categoryId"
                  loading={loading}
                  data-testid="case-stats-categories"
                  dataSource={cats?.items ?? []}
                  columns={categoryColumns}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  summary={() =>
                    cats ? <TotalsRow totals={cats.totals} leading={1} withTransfers={false} /> : null
                  }
                />
              ),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
