import { SearchOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Badge,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Switch,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { formatDue } from '../../../shared/format.ts';
import { tid } from '../../../shared/testid.ts';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import { CaseTable, caseColumns } from './CaseTable.tsx';
import { CaseStateTag, ReturnedTag } from './CaseTags.tsx';
import {
  CASE_CHANNELS,
  CASE_STATES,
  type CaseCategory,
  type CaseRow,
  categoryOptions,
  isOpen,
  loadCategories,
  SLA_COLORS,
  SLA_HEX,
} from './model.ts';
import { useCaseFeed } from './useCaseFeed.ts';

interface Filters {
  q?: string;
  state?: string[];
  unitId?: string;
  categoryId?: string;
  areaUnitId?: string;
  channel?: string;
  slaColor?: string;
  overdue?: boolean;
}

/** The filters live in the address (so a filtered list can be shared and survives a reload). */
function filtersOf(p: URLSearchParams): Filters {
  const state = p.get('state');
  return {
    q: p.get('q') ?? undefined,
    state: state ? state.split(',') : undefined,
    unitId: p.get('unitId') ?? undefined,
    categoryId: p.get('categoryId') ?? undefined,
    areaUnitId: p.get('areaUnitId') ?? undefined,
    channel: p.get('channel') ?? undefined,
    slaColor: p.get('slaColor') ?? undefined,
    overdue: p.get('overdue') === 'true' || undefined,
  };
}

function paramsOf(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.q?.trim()) out.q = f.q.trim();
  if (f.state?.length) out.state = f.state.join(',');
  for (const k of ['unitId', 'categoryId', 'areaUnitId', 'channel', 'slaColor'] as const) {
    const v = f[k];
    if (v) out[k] = v;
  }
  if (f.overdue) out.overdue = 'true';
  return out;
}

/** 诉求列表: every case in the caller's scope, filtered, newest first, loaded page by page. */
export function CaseListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersOf(params), [params]);
  const query = useMemo(() => paramsOf(filters), [filters]);
  const feed = useCaseFeed(query);
  const [form] = Form.useForm<Filters>();
  const [categories, setCategories] = useState<CaseCategory[]>([]);
  const units = useUnitTree(true);

  useEffect(() => {
    loadCategories()
      .then(setCategories)
      .catch(() => setCategories([]));
  }, []);
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filters);
  }, [form, filters]);

  const apply = (f: Filters) => setParams(paramsOf(f));

  const shared = caseColumns(
    t,
    (r) =>
      (r.hidden || (r.state === 'pending' && r.returnedByUnitName)) && (
        <Space size={4}>
          {r.hidden && (
            <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
              {t('caseConsole.hiddenTag')}
            </Tag>
          )}
          {r.state === 'pending' && r.returnedByUnitName && <ReturnedTag unitName={r.returnedByUnitName} />}
        </Space>
      ),
  );
  const columns: TableColumnsType<CaseRow> = [
    shared.sla,
    shared.no,
    shared.title,
    shared.category,
    {
      title: t('caseConsole.field.unit'),
      dataIndex: 'unitName',
      width: 130,
      ellipsis: true,
      render: (_, r) =>
        r.unitName ?? <Typography.Text type="secondary">{t('caseConsole.office')}</Typography.Text>,
    },
    {
      title: t('caseConsole.field.state'),
      dataIndex: 'state',
      width: 120,
      render: (_, r) => <CaseStateTag state={r.state} testId={`case-state-${r.id}`} />,
    },
    {
      title: t('caseConsole.field.due'),
      dataIndex: 'dueAt',
      width: 130,
      render: (_, r) => (r.dueAt && isOpen(r.state) ? formatDue(r.dueAt) : '—'),
    },
    shared.createdAt,
  ];

  const count = t(feed.hasMore ? 'caseConsole.list.loaded' : 'caseConsole.list.total', {
    count: feed.rows.length,
  });

  return (
    <PageContainer title={t('caseConsole.list.title')} content={t('caseConsole.list.subtitle')}>
      <Card style={{ marginBottom: 16 }} data-testid="case-filters">
        <Form<Filters> form={form} layout="vertical" onFinish={apply} initialValues={filters}>
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="q" label={t('caseConsole.filter.q')}>
                <Input
                  allowClear
                  placeholder={t('caseConsole.filter.qPlaceholder')}
                  prefix={<SearchOutlined />}
                  data-testid="case-filter-q"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="state" label={t('caseConsole.field.state')}>
                <Select
                  mode="multiple"
                  allowClear
                  maxTagCount="responsive"
                  placeholder={t('caseConsole.filter.any')}
                  options={CASE_STATES.map((s) => ({ value: s, label: t(`caseStates.${s}`) }))}
                  data-testid="case-filter-state"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="unitId" label={t('caseConsole.field.unit')}>
                <UnitTreeSelect
                  treeData={units}
                  allowClear
                  placeholder={t('caseConsole.filter.any')}
                  data-testid="case-filter-unit"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="categoryId" label={t('caseConsole.field.category')}>
                <Select
                  allowClear
                  placeholder={t('caseConsole.filter.any')}
                  options={categoryOptions(categories)}
                  data-testid="case-filter-category"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="areaUnitId" label={t('caseConsole.field.area')}>
                <UnitTreeSelect
                  treeData={units}
                  allowClear
                  placeholder={t('caseConsole.filter.any')}
                  data-testid="case-filter-area"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="channel" label={t('caseConsole.field.channel')}>
                <Select
                  allowClear
                  placeholder={t('caseConsole.filter.any')}
                  options={CASE_CHANNELS.map((c) => ({ value: c, label: t(`caseConsole.channel.${c}`) }))}
                  data-testid="case-filter-channel"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="slaColor" label={t('caseConsole.field.sla')}>
                <Select
                  allowClear
                  placeholder={t('caseConsole.filter.any')}
                  options={SLA_COLORS.map((c) => ({
                    value: c,
                    label: <Badge color={SLA_HEX[c]} text={t(`caseConsole.color.${c}`)} />,
                  }))}
                  data-testid="case-filter-color"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="overdue" label={t('caseConsole.filter.overdue')} valuePropName="checked">
                <Switch {...tid('case-filter-overdue')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={6} style={{ display: 'flex', alignItems: 'flex-end' }}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" data-testid="case-filter-submit">
                    {t('caseConsole.filter.search')}
                  </Button>
                  <Button onClick={() => apply({})} data-testid="case-filter-reset">
                    {t('caseConsole.filter.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card
        data-testid="case-table"
        title={<Typography.Text data-testid="case-count">{count}</Typography.Text>}
      >
        <CaseTable columns={columns} rows={feed.rows} feed={feed} />
      </Card>
    </PageContainer>
  );
}
