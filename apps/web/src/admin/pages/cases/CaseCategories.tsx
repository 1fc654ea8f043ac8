import { DeleteOutlined, EditOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, fieldPath } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { buildUnitTree } from '../../../shared/orgTree.ts';
import { tid } from '../../../shared/testid.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useDialog } from '../../components/useDialog.ts';
import {
  CASE_SLA_CLASSES,
  type CaseCategory,
  type CaseSlaClass,
  categoryName,
  categoryOptions,
  itemsOf,
  loadCategories,
  type RoutingResolution,
  type RoutingRule,
} from './model.ts';

const FLAGS = ['photoRequired', 'answerReview', 'public', 'active'] as const;

interface CategoryValues {
  code?: string;
  nameZh: string;
  nameEn: string;
  slaClass: CaseSlaClass;
  sort: number;
  photoRequired: boolean;
  answerReview: boolean;
  public: boolean;
  active: boolean;
}

/** An empty category or area means "any" (null on the wire). */
interface RuleValues {
  categoryId?: string;
  areaUnitId?: string;
  unitId: string;
  note?: string;
}

/** The server's field errors by form field, or null when the error is not about fields. */
function fieldErrors(e: unknown): { name: string; errors: string[] }[] | null {
  if (!(e instanceof ApiClientError) || !e.fields.length) return null;
  return e.fields.map((f) => ({ name: String(fieldPath(f.field)[0] ?? ''), errors: [f.message] }));
}

function CategoryModal({
  editing,
  onClose,
  onSaved,
}: {
  editing: CaseCategory | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CategoryValues>();
  const [saving, setSaving] = useState(false);
  const isNew = editing === 'new';

  // The dialog is mounted afresh each time it opens (the page keys it), with these values (no effect
  // that could overwrite what the user changed in the first instants).
  const initial: Partial<CategoryValues> =
    editing && editing !== 'new'
      ? {
          nameZh: editing.nameZh,
          nameEn: editing.nameEn,
          slaClass: editing.slaClass,
          sort: editing.sort,
          ...Object.fromEntries(FLAGS.map((f) => [f, editing[f]])),
        }
      : {
          slaClass: 'ordinary',
          sort: 100,
          photoRequired: false,
          answerReview: false,
          public: true,
          active: true,
        };

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    const body = {
      ...(isNew ? { code: v.code?.trim(), description: '' } : {}),
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      slaClass: v.slaClass,
      sort: v.sort,
      ...Object.fromEntries(FLAGS.map((f) => [f, v[f] === true])),
    };
    try {
      if (isNew) await api('/case-categories', { method: 'POST', body });
      else if (editing) await api(`/case-categories/${editing.id}`, { method: 'PATCH', body });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      const fields = fieldErrors(e);
      if (fields) form.setFields(fields.map((f) => ({ ...f, name: f.name as keyof CategoryValues })));
      else message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!editing}
      title={t(isNew ? 'caseConsole.categories.add' : 'caseConsole.categories.edit')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, ...tid('category-save') }}
      destroyOnHidden
    >
      <Form<CategoryValues> form={form} layout="vertical" preserve={false} initialValues={initial}>
        {isNew && (
          <Form.Item
            name="code"
            label={t('caseConsole.categories.code')}
            extra={t('caseConsole.categories.codeHint')}
            rules={[
              {
                required: true,
                pattern: /^[a-z][a-z0-9_]{1,31}$/,
                message: t('caseConsole.categories.codeRule'),
              },
            ]}
          >
            <Input data-testid="category-code" />
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="nameZh"
              label={t('caseConsole.categories.nameZh')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={40} data-testid="category-name-zh" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="nameEn"
              label={t('caseConsole.categories.nameEn')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={80} data-testid="category-name-en" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="slaClass" label={t('caseConsole.field.slaClass')} rules={[{ required: true }]}>
              <Select
                options={CASE_SLA_CLASSES.map((s) => ({ value: s, label: t(`caseConsole.slaClass.${s}`) }))}
                data-testid="category-sla"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="sort" label={t('caseConsole.categories.sort')} rules={[{ required: true }]}>
              <InputNumber min={0} max={10000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {/* One boolean field per option (not a Checkbox.Group: a group ignores a click on an option
            whose registration effect has not run yet, i.e. right after the dialog opens). */}
        <Form.Item label={t('caseConsole.categories.flags')} data-testid="category-flags">
          <Space wrap size="large">
            {FLAGS.map((f) => (
              <Form.Item key={f} name={f} valuePropName="checked" noStyle>
                <Checkbox>{t(`caseConsole.categories.${f}`)}</Checkbox>
              </Form.Item>
            ))}
          </Space>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RuleModal({
  editing,
  categories,
  units,
  onClose,
  onSaved,
}: {
  editing: RoutingRule | 'new' | null;
  categories: CaseCategory[];
  units: OrgUnit[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleValues>();
  const [saving, setSaving] = useState(false);
  const isNew = editing === 'new';
  const areaTree = useMemo(() => areaTreeOf(units), [units]);
  const unitTree = useMemo(() => buildUnitTree(units), [units]);

  const initial: Partial<RuleValues> =
    editing && editing !== 'new'
      ? {
          categoryId: editing.categoryId ?? undefined,
          areaUnitId: editing.areaUnitId ?? undefined,
          unitId: editing.unitId,
          note: editing.note,
        }
      : {};

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    const body = {
      categoryId: v.categoryId || null,
      areaUnitId: v.areaUnitId || null,
      unitId: v.unitId,
      note: v.note?.trim() ?? '',
    };
    try {
      if (isNew) await api('/case-routing-rules', { method: 'POST', body });
      else if (editing) await api(`/case-routing-rules/${editing.id}`, { method: 'PATCH', body });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      const fields = fieldErrors(e);
      if (fields) form.setFields(fields.map((f) => ({ ...f, name: f.name as keyof RuleValues })));
      else message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!editing}
      title={t(isNew ? 'caseConsole.rules.add' : 'caseConsole.rules.edit')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, ...tid('rule-save') }}
      destroyOnHidden
    >
      <Form<RuleValues> form={form} layout="vertical" name="rule" preserve={false} initialValues={initial}>
        <Form.Item name="categoryId" label={t('caseConsole.field.category')}>
          <Select
            allowClear
            placeholder={t('caseConsole.rules.anyCategory')}
            options={categoryOptions(categories)}
            data-testid="rule-category"
          />
        </Form.Item>
        <Form.Item
          name="areaUnitId"
          label={t('caseConsole.field.area')}
          extra={t('caseConsole.rules.areaHint')}
        >
          <UnitTreeSelect
            treeData={areaTree}
            allowClear
            placeholder={t('caseConsole.rules.anyArea')}
            data-testid="rule-area"
          />
        </Form.Item>
        <Form.Item
          name="unitId"
          label={t('caseConsole.rules.unit')}
          rules={[{ required: true, message: t('caseConsole.form.unitRequired') }]}
        >
          <UnitTreeSelect
            treeData={unitTree}
            placeholder={t('caseConsole.form.unitPlaceholder')}
            data-testid="rule-unit"
          />
        </Form.Item>
        <Form.Item name="note" label={t('caseConsole.field.note')}>
          <Input maxLength={200} data-testid="rule-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Townships with their villages: the areas a case (and a rule) may name. */
function areaTreeOf(units: OrgUnit[]) {
  return buildUnitTree(units.filter((u) => u.type === 'township' || u.type === 'village'));
}

/** "试一试": where a case of this category from this area would go, and why. */
function TryBox({ categories, units }: { categories: CaseCategory[]; units: OrgUnit[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [categoryId, setCategoryId] = useState<string>();
  const [areaUnitId, setAreaUnitId] = useState<string>();
  const [result, setResult] = useState<RoutingResolution | null>(null);
  const [loading, setLoading] = useState(false);
  const areaTree = useMemo(() => areaTreeOf(units), [units]);

  const run = async () => {
    if (!categoryId) return;
    setLoading(true);
    try {
      setResult(
        await api<RoutingResolution>('/case-routing-rules/resolve', { query: { categoryId, areaUnitId } }),
      );
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Card title={t('caseConsole.try.title')} data-testid="rule-try">
      <Space wrap align="start" style={{ width: '100%' }}>
        <Select
          style={{ width: 200 }}
          placeholder={t('caseConsole.field.category')}
          value={categoryId}
          onChange={setCategoryId}
          options={categoryOptions(categories)}
          data-testid="rule-try-category"
        />
        <UnitTreeSelect
          style={{ width: 260 }}
          allowClear
          placeholder={t('caseConsole.field.area')}
          treeData={areaTree}
          value={areaUnitId}
          onChange={(v) => setAreaUnitId(typeof v === 'string' ? v : undefined)}
          id="rule-try-area"
          data-testid="rule-try-area"
        />
        <Button
          type="primary"
          icon={<ThunderboltOutlined />}
          disabled={!categoryId}
          loading={loading}
          onClick={() => void run()}
          data-testid="rule-try-run"
        >
          {t('caseConsole.try.run')}
        </Button>
      </Space>
      {result && (
        <Alert
          style={{ marginTop: 16 }}
          type={result.unitId ? 'success' : 'warning'}
          showIcon
          data-testid="rule-try-result"
          message={
            result.unitId
              ? t('caseConsole.try.goesTo', { unit: result.unitName ?? '' })
              : t('caseConsole.try.queue')
          }
          description={
            result.reason
              ? t(`caseConsole.reason.${result.reason}`, { defaultValue: result.reason })
              : undefined
          }
        />
      )}
    </Card>
  );
}

/** 类别与分拨规则: the case categories (names, SLA class, flags) and the rules that route new cases to units. */
export function CaseCategoriesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [categories, setCategories] = useState<CaseCategory[]>([]);
  const [rules, setRules] = useState<RoutingRule[]>([]);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [loading, setLoading] = useState(true);
  const categoryDialog = useDialog<CaseCategory | 'new'>();
  const ruleDialog = useDialog<RoutingRule | 'new'>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [c, r, u] = await Promise.all([
        loadCategories(),
        api<{ items: RoutingRule[] } | RoutingRule[]>('/case-routing-rules'),
        api<{ items: OrgUnit[] }>('/org/units'),
      ]);
      setCategories(c);
      setRules(itemsOf(r));
      setUnits(u.items);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const catName = useMemo(() => new Map(categories.map((c) => [c.id, categoryName(c)])), [categories]);

  const remove = async (r: RoutingRule) => {
    try {
      await api(`/case-routing-rules/${r.id}`, { method: 'DELETE' });
      message.success(t('common.deleted'));
      void load();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const yes = (v: boolean, testId: string) =>
    v ? (
      <Tag color="success" bordered={false} data-testid={testId}>
        {t('caseConsole.yes')}
      </Tag>
    ) : (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('caseConsole.no')}
      </Typography.Text>
    );

  const categoryColumns: TableColumnsType<CaseCategory> = [
    { title: t('caseConsole.categories.code'), dataIndex: 'code', width: 110 },
    { title: t('caseConsole.categories.nameZh'), dataIndex: 'nameZh', width: 120 },
    { title: t('caseConsole.categories.nameEn'), dataIndex: 'nameEn', ellipsis: true },
    {
      title: t('caseConsole.field.slaClass'),
      dataIndex: 'slaClass',
      width: 110,
      render: (_, c) => (
        <Tag color={c.slaClass === 'emergency' ? 'red' : c.slaClass === 'complex' ? 'blue' : 'default'}>
          {t(`caseConsole.slaClassShort.${c.slaClass}`)}
        </Tag>
      ),
    },
    ...FLAGS.map((f) => ({
      title: t(`caseConsole.categories.${f}`),
      dataIndex: f,
      width: 96,
      render: (_: unknown, c: CaseCategory) => yes(c[f], `category-${f}-${c.code}`),
    })),
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, c) => (
        <Typography.Link onClick={() => categoryDialog.open(c)} data-testid={`category-edit-${c.code}`}>
          <EditOutlined /> {t('common.edit')}
        </Typography.Link>
      ),
    },
  ];

  const ruleColumns: TableColumnsType<RoutingRule> = [
    {
      title: t('caseConsole.field.category'),
      dataIndex: 'categoryId',
      render: (_, r) =>
        r.categoryId ? (
          (catName.get(r.categoryId) ?? r.categoryName ?? '—')
        ) : (
          <Typography.Text type="secondary">{t('caseConsole.rules.anyCategory')}</Typography.Text>
        ),
    },
    {
      title: t('caseConsole.field.area'),
      dataIndex: 'areaUnitId',
      render: (_, r) =>
        r.areaUnitId ? (
          (r.areaName ?? unitName.get(r.areaUnitId) ?? '—')
        ) : (
          <Typography.Text type="secondary">{t('caseConsole.rules.anyArea')}</Typography.Text>
        ),
    },
    {
      title: t('caseConsole.rules.unit'),
      dataIndex: 'unitId',
      render: (_, r) => (
        <span data-testid={`rule-unit-${r.id}`}>{r.unitName ?? unitName.get(r.unitId) ?? '—'}</span>
      ),
    },
    { title: t('caseConsole.field.note'), dataIndex: 'note', ellipsis: true },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, r) => (
        <Space>
          <Typography.Link onClick={() => ruleDialog.open(r)} data-testid={`rule-edit-${r.id}`}>
            <EditOutlined /> {t('common.edit')}
          </Typography.Link>
          <Popconfirm
            title={t('caseConsole.rules.deleteConfirm')}
            onConfirm={() => void remove(r)}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, ...tid('rule-delete-ok') }}
          >
            <Typography.Link type="danger" data-testid={`rule-delete-${r.id}`}>
              <DeleteOutlined /> {t('common.delete')}
            </Typography.Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      breadcrumbRender={false}
      title={t('caseConsole.categories.title')}
      content={t('caseConsole.categories.subtitle')}
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card
          title={t('caseConsole.categories.tableTitle')}
          data-testid="category-table"
          extra={
            <Button
              icon={<PlusOutlined />}
              onClick={() => categoryDialog.open('new')}
              data-testid="category-add"
            >
              {t('caseConsole.categories.add')}
            </Button>
          }
        >
          <Table<CaseCategory>
            rowKey="id"
            size="small"
            loading={loading}
            columns={categoryColumns}
            dataSource={categories}
            pagination={false}
            scroll={{ x: 1000 }}
          />
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} xxl={16}>
            <Card
              title={t('caseConsole.rules.title')}
              data-testid="rule-table"
              extra={
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => ruleDialog.open('new')}
                  data-testid="rule-add"
                >
                  {t('caseConsole.rules.add')}
                </Button>
              }
            >
              <Typography.Paragraph type="secondary">{t('caseConsole.rules.explain')}</Typography.Paragraph>
              <Table<RoutingRule>
                rowKey="id"
                size="small"
                loading={loading}
                columns={ruleColumns}
                dataSource={rules}
                pagination={false}
                locale={{ emptyText: t('caseConsole.rules.empty') }}
                onRow={(r) => ({ 'data-testid': `rule-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
              />
            </Card>
          </Col>
          <Col xs={24} xxl={8}>
            <TryBox categories={categories} units={units} />
          </Col>
        </Row>
      </Space>
      <CategoryModal
        key={categoryDialog.key}
        editing={categoryDialog.subject}
        onClose={categoryDialog.close}
        onSaved={() => {
          categoryDialog.close();
          void load();
        }}
      />
      <RuleModal
        key={ruleDialog.key}
        editing={ruleDialog.subject}
        categories={categories}
        units={units}
        onClose={ruleDialog.close}
        onSaved={() => {
          ruleDialog.close();
          void load();
        }}
      />
    </PageContainer>
  );
}
