import { DeleteOutlined, InboxOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { type ActionType, PageContainer, type ProColumns, ProTable } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Input,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  HOTLINE_FIELDS,
  HOTLINE_REQUIRED_FIELDS,
  type HotlineField,
} from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { formatTime } from '../../../shared/format.ts';
import { currentLanguage } from '../../../shared/i18n.ts';
import { tid } from '../../../shared/testid.ts';
import { pagedRequest } from '../../components/pagedRequest.ts';
import { useDialog } from '../../components/useDialog.ts';

interface Mapping {
  columns: Record<HotlineField, string | null>;
  categoryValues: Record<string, string>;
  defaultCategory: string | null;
  unknownTownship: 'reject' | 'unrouted';
  updatedAt?: string | null;
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

interface ReportRow {
  row: number;
  orderNo: string;
  outcome: Outcome;
  caseId: string | null;
  caseNo: string | null;
  errors: { field: string; message: string }[];
}

interface Report {
  id: string | null;
  dryRun: boolean;
  filename: string;
  headers: string[];
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rows: ReportRow[];
  createdAt: string;
}

interface ImportSummary {
  id: string;
  filename: string;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  importedByName: string | null;
  createdAt: string;
}

interface Category {
  code: string;
  nameZh: string;
  nameEn: string;
}

const OUTCOME_COLOR: Record<Outcome, string> = {
  created: 'green',
  updated: 'blue',
  unchanged: 'default',
  rejected: 'red',
};

/** The form's shape: the value table as rows, "no column" and "reject" as sentinels Select can hold. */
interface MappingForm {
  columns: Record<HotlineField, string>;
  values: { value: string; code: string }[];
  defaultCategory: string;
  unknownTownship: 'reject' | 'unrouted';
}
const NONE = '';

function toForm(m: Mapping): MappingForm {
  return {
    columns: Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, m.columns[f] ?? NONE])) as Record<
      HotlineField,
      string
    >,
    values: Object.entries(m.categoryValues).map(([value, code]) => ({ value, code })),
    defaultCategory: m.defaultCategory ?? NONE,
    unknownTownship: m.unknownTownship,
  };
}

function fromForm(v: MappingForm): Mapping {
  return {
    columns: Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, v.columns[f] || null])) as Record<
      HotlineField,
      string | null
    >,
    categoryValues: Object.fromEntries(
      (v.values ?? []).filter((x) => x?.value?.trim()).map((x) => [x.value.trim(), x.code]),
    ),
    defaultCategory: v.defaultCategory || null,
    unknownTownship: v.unknownTownship,
  };
}

function MappingDrawer({
  mapping,
  headers,
  categories,
  onClose,
  onSaved,
}: {
  /** The saved mapping to edit; null: closed. */
  mapping: Mapping | null;
  headers: string[];
  categories: Category[];
  onClose: () => void;
  onSaved: (m: Mapping) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<MappingForm>();
  const [saving, setSaving] = useState(false);
  const zh = currentLanguage() === 'zh-CN';
  const categoryOptions = categories.map((c) => ({ value: c.code, label: zh ? c.nameZh : c.nameEn }));

  const headerOptions = (field: HotlineField) => {
    const current = mapping?.columns[field];
    const all = [...new Set([...headers, ...(current ? [current] : [])])];
    const options = all.map((h) => ({
      value: h,
      label: headers.length && !headers.includes(h) ? `${h}（${t('hotline.notInFile')}）` : h,
    }));
    return HOTLINE_REQUIRED_FIELDS.includes(field)
      ? options
      : [{ value: NONE, label: t('hotline.noColumn') }, ...options];
  };

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const saved = await api<Mapping>('/case-imports/mapping', { method: 'PUT', body: fromForm(v) });
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={!!mapping}
      onClose={onClose}
      width={640}
      title={t('hotline.mapping')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void save()}
            {...tid('hotline-mapping-save')}
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {headers.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('hotline.headersFound', { headers: headers.filter(Boolean).join('、') })}
        />
      )}
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 7 }}
        wrapperCol={{ span: 17 }}
        initialValues={mapping ? toForm(mapping) : undefined}
      >
        <Typography.Title level={5}>{t('hotline.columnsTitle')}</Typography.Title>
        {HOTLINE_FIELDS.map((f) => (
          <Form.Item
            key={f}
            name={['columns', f]}
            label={t(`hotline.fields.${f}`)}
            rules={
              HOTLINE_REQUIRED_FIELDS.includes(f)
                ? [{ required: true, message: t('hotline.columnRequired') }]
                : []
            }
          >
            <Select
              showSearch
              options={headerOptions(f)}
              data-testid={`hotline-column-${f}`}
              placeholder={t('hotline.pickColumn')}
            />
          </Form.Item>
        ))}
        <Typography.Title level={5}>{t('hotline.valuesTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('hotline.valuesHint')}</Typography.Paragraph>
        <Form.List name="values">
          {(items, { add, remove }) => (
            <>
              {items.map(({ key, name }) => (
                <Space key={key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item
                    name={[name, 'value']}
                    rules={[{ required: true, whitespace: true, max: 100 }]}
                    noStyle
                  >
                    <Input placeholder={t('hotline.hotlineValue')} style={{ width: 240 }} />
                  </Form.Item>
                  <span>→</span>
                  <Form.Item name={[name, 'code']} rules={[{ required: true }]} noStyle>
                    <Select
                      options={categoryOptions}
                      style={{ width: 220 }}
                      placeholder={t('hotline.ourCategory')}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    onClick={() => remove(name)}
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ value: '', code: undefined })}
              >
                {t('hotline.addValue')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="defaultCategory" label={t('hotline.defaultCategory')} style={{ marginTop: 16 }}>
          <Select options={[{ value: NONE, label: t('hotline.rejectRow') }, ...categoryOptions]} />
        </Form.Item>
        <Form.Item name="unknownTownship" label={t('hotline.unknownTownship')}>
          <Radio.Group>
            <Radio value="reject">{t('hotline.townshipReject')}</Radio>
            <Radio value="unrouted">{t('hotline.townshipUnrouted')}</Radio>
          </Radio.Group>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function ReportView({ report }: { report: Report }) {
  const { t } = useTranslation();
  const [show, setShow] = useState<'all' | Outcome>(report.rejected ? 'rejected' : 'all');
  const rows = show === 'all' ? report.rows : report.rows.filter((r) => r.outcome === show);
  const outcomes: Outcome[] = ['created', 'updated', 'unchanged', 'rejected'];
  return (
    <Card
      data-testid="hotline-report"
      title={
        <Space>
          {report.dryRun ? t('hotline.dryRunReport') : t('hotline.importReport')}
          <Typography.Text type="secondary">{report.filename}</Typography.Text>
        </Space>
      }
    >
      {report.dryRun && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('hotline.dryRunNote')} />
      )}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={4}>
          <Statistic title={t('hotline.total')} value={report.total} />
        </Col>
        {outcomes.map((o) => (
          <Col span={5} key={o}>
            <Statistic
              title={t(`hotline.outcomes.${o}`)}
              value={report[o]}
              valueStyle={o === 'rejected' && report[o] ? { color: '#cf1322' } : undefined}
              data-testid={`hotline-count-${o}`}
            />
          </Col>
        ))}
      </Row>
      <Segmented
        value={show}
        onChange={(v) => setShow(v as typeof show)}
        options={[
          { value: 'all', label: t('hotline.all') },
          ...outcomes.map((o) => ({ value: o, label: `${t(`hotline.outcomes.${o}`)} ${report[o]}` })),
        ]}
        style={{ marginBottom: 12 }}
      />
      <Table<ReportRow>
        size="small"
        rowKey="row"
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          { title: t('hotline.row'), dataIndex: 'row', width: 70 },
          { title: t('hotline.fields.orderNo'), dataIndex: 'orderNo', width: 170, render: (v) => v || '—' },
          {
            title: t('hotline.outcome'),
            dataIndex: 'outcome',
            width: 110,
            render: (o: Outcome) => <Tag color={OUTCOME_COLOR[o]}>{t(`hotline.outcomes.${o}`)}</Tag>,
          },
          {
            title: t('hotline.case'),
            key: 'case',
            width: 170,
            render: (_, r) =>
              r.caseId && r.caseNo ? <Link to={`/cases/${r.caseId}`}>{r.caseNo}</Link> : '—',
          },
          {
            title: t('hotline.problems'),
            key: 'errors',
            render: (_, r) =>
              r.errors.length ? (
                <Space direction="vertical" size={0}>
                  {r.errors.map((e) => (
                    <Typography.Text key={`${e.field}:${e.message}`} type="danger">
                      {e.field && HOTLINE_FIELDS.includes(e.field as HotlineField)
                        ? `${t(`hotline.fields.${e.field}`)}：`
                        : ''}
                      {e.message}
                    </Typography.Text>
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}

/** 12345 导入: upload an export, check its columns against the mapping, dry-run, import; past imports. */
export function HotlineImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const history = useRef<ActionType>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [headers, setHeaders] = useState<string[]>([]);
  const [missing, setMissing] = useState<string[]>([]);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState<'dry' | 'import' | null>(null);
  const mappingDialog = useDialog<Mapping>();

  const loadMapping = useCallback(() => {
    api<Mapping>('/case-imports/mapping')
      .then(setMapping)
      .catch((e) => message.error(errorMessage(e, t)));
  }, [message, t]);

  useEffect(() => {
    loadMapping();
    api<Category[]>('/case-categories')
      .then(setCategories)
      .catch((e) => message.error(errorMessage(e, t)));
  }, [loadMapping, message, t]);

  const run = async (dryRun: boolean, chosen: File | null = file) => {
    if (!chosen) return;
    setBusy(dryRun ? 'dry' : 'import');
    setMissing([]);
    const body = new FormData();
    body.append('file', chosen);
    try {
      const r = await api<Report>('/case-imports', { method: 'POST', body, query: { dryRun } });
      setReport(r);
      setHeaders(r.headers);
      if (!dryRun) {
        message.success(t('hotline.imported', { created: r.created, updated: r.updated }));
        history.current?.reload();
      }
    } catch (e) {
      setReport(null);
      const detail =
        e instanceof ApiClientError ? (e.body as { headers?: string[]; missing?: string[] }) : null;
      if (e instanceof ApiClientError && e.code === 'CASE_IMPORT_HEADERS_MISSING' && detail?.headers) {
        setHeaders(detail.headers);
        setMissing(detail.missing ?? []);
      } else message.error(errorMessage(e, t));
    } finally {
      setBusy(null);
    }
  };

  const showReport = async (id: string) => {
    try {
      setReport(await api<Report>(`/case-imports/${id}`));
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const columns: ProColumns<ImportSummary>[] = [
    {
      title: t('hotline.importedAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (_, r) => formatTime(r.createdAt),
    },
    { title: t('hotline.file'), dataIndex: 'filename', ellipsis: true },
    { title: t('hotline.outcomes.created'), dataIndex: 'created', width: 90 },
    { title: t('hotline.outcomes.updated'), dataIndex: 'updated', width: 90 },
    { title: t('hotline.outcomes.unchanged'), dataIndex: 'unchanged', width: 90 },
    {
      title: t('hotline.outcomes.rejected'),
      dataIndex: 'rejected',
      width: 90,
      render: (_, r) => (r.rejected ? <Typography.Text type="danger">{r.rejected}</Typography.Text> : 0),
    },
    { title: t('hotline.importedBy'), dataIndex: 'importedByName', width: 120 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => void showReport(r.id)}>
          {t('hotline.viewReport')}
        </Button>
      ),
    },
  ];

  const canImport = !!file && !!report?.dryRun && report.filename === file.name;
  // The mapping opens once it has loaded: values arriving in an open drawer would undo the first choices.
  const editMapping = () => {
    if (mapping) mappingDialog.open(mapping);
  };

  return (
    <PageContainer title={t('hotline.title')} content={t('hotline.intro')}>
      <Card
        title={t('hotline.upload')}
        extra={
          <Button
            icon={<SettingOutlined />}
            onClick={editMapping}
            disabled={!mapping}
            data-testid="hotline-edit-mapping"
          >
            {t('hotline.mapping')}
          </Button>
        }
        style={{ marginBottom: 16 }}
      >
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          multiple={false}
          showUploadList={false}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            void run(true, f);
            return false;
          }}
          data-testid="hotline-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? file.name : t('hotline.dropHere')}</p>
          <p className="ant-upload-hint">{t('hotline.uploadHint')}</p>
        </Upload.Dragger>
        {missing.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            data-testid="hotline-missing"
            message={t('hotline.missingHeaders', { headers: missing.join('、') })}
            description={t('hotline.missingHint')}
            action={
              <Button size="small" type="primary" onClick={editMapping} disabled={!mapping}>
                {t('hotline.fixMapping')}
              </Button>
            }
          />
        )}
        <Space style={{ marginTop: 16 }}>
          <Button
            onClick={() => void run(true)}
            disabled={!file}
            loading={busy === 'dry'}
            data-testid="hotline-dry-run"
          >
            {t('hotline.dryRun')}
          </Button>
          <Button
            type="primary"
            onClick={() => void run(false)}
            disabled={!canImport}
            loading={busy === 'import'}
            data-testid="hotline-import"
          >
            {t('hotline.import')}
          </Button>
          {file && !canImport && !busy && (
            <Typography.Text type="secondary">{t('hotline.dryRunFirst')}</Typography.Text>
          )}
        </Space>
      </Card>

      {report && <ReportView key={`${report.id}:${report.createdAt}`} report={report} />}

      <ProTable<ImportSummary>
        style={{ marginTop: 16 }}
        headerTitle={t('hotline.history')}
        actionRef={history}
        rowKey="id"
        search={false}
        options={{ reload: true, density: false, setting: false }}
        columns={columns}
        pagination={{ pageSize: 10 }}
        request={(params) =>
          pagedRequest<ImportSummary>('/case-imports', params, {}, (e) => message.error(errorMessage(e, t)))
        }
      />

      <MappingDrawer
        key={mappingDialog.key}
        mapping={mappingDialog.subject}
        headers={headers}
        categories={categories}
        onClose={mappingDialog.close}
        onSaved={(m) => {
          setMapping(m);
          mappingDialog.close();
          if (file) void run(true);
        }}
      />
    </PageContainer>
  );
}
