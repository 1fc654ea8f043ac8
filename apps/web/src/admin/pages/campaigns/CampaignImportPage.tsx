import { UploadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Row,
  Space,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import type { Activity, CampaignDetail, PlanPreview, Roles } from './model.ts';

const HIGHLIGHT = '#e6f4ff';

/** One activity of the parsed tree: its units as tags (lead blue, co grey, unresolved red); nested items below. */
function ActivityItem({
  activity,
  path,
  selected,
  onSelect,
}: {
  activity: Activity;
  path: string;
  selected: string | null;
  onSelect: (path: string, lines: number[]) => void;
}) {
  const { t } = useTranslation();
  const key = (u: Activity['units'][number]) => `${u.line}|${u.role}|${u.text}`;
  const lead = new Set(activity.leadUnits.map(key));
  return (
    <div style={{ marginLeft: path.split('.').length > 2 ? 20 : 0 }}>
      <button
        type="button"
        onClick={() => onSelect(path, activity.sourceLines)}
        data-testid="parsed-activity"
        style={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          borderWidth: '0 0 1px',
          borderStyle: 'solid',
          borderColor: '#f0f0f0',
          font: 'inherit',
          cursor: 'pointer',
          padding: '6px 8px',
          borderRadius: 6,
          background: selected === path ? HIGHLIGHT : 'transparent',
        }}
      >
        <Typography.Text strong>
          {activity.numeral} {activity.name}
        </Typography.Text>
        {activity.deadline && (
          <Tag style={{ marginLeft: 8 }} color="gold">
            {activity.deadline.text}
          </Tag>
        )}
        {activity.cadence && (
          <Tag style={{ marginLeft: 8 }} color="cyan">
            {activity.cadence.text}
          </Tag>
        )}
        <div style={{ marginTop: 4 }}>
          {activity.units.map((u) => {
            const label = u.resolved && u.resolved.length > 1 ? `${u.text}（${u.resolved.length}）` : u.text;
            if (!u.resolved)
              return (
                <Tag key={`${u.line}-${u.text}`} color="red" data-testid="parsed-unit-unresolved">
                  {label}
                </Tag>
              );
            return (
              <Tooltip key={`${u.line}-${u.text}`} title={u.resolved.map((m) => m.name).join('、')}>
                <Tag color={lead.has(key(u)) ? 'blue' : undefined}>
                  {lead.has(key(u)) ? `${t('campaigns.role.lead')}·` : ''}
                  {label}
                </Tag>
              </Tooltip>
            );
          })}
        </div>
      </button>
      {activity.children.map((c, i) => (
        <ActivityItem
          key={c.sourceLines[0] ?? c.numeral}
          activity={c}
          path={`${path}.${i}`}
          selected={selected}
          onSelect={onSelect}
        />
      ))}
    </div>
  );
}

/** 导入实施方案: paste or upload a plan, check the parse side by side with the source, map unknown units, save. */
/** The attachment's leadership group and working groups: shown for checking, nothing is created from them. */
function RolesPreview({ roles }: { roles: Roles }) {
  const { t } = useTranslation();
  const groups = [...(roles.leadershipGroup ? [roles.leadershipGroup] : []), ...roles.workingGroups];
  if (groups.length === 0) return null;
  return (
    <div style={{ marginBottom: 12 }} data-testid="campaign-roles">
      <Typography.Title level={5}>{roles.title ?? t('campaigns.import.roles')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('campaigns.import.rolesNote')}
      </Typography.Paragraph>
      {groups.map((g) => (
        <div key={g.sourceLines[0] ?? g.name} style={{ marginBottom: 8 }} data-testid="campaign-role-group">
          <Typography.Text strong>
            {g.numeral ?? ''}
            {g.name}
          </Typography.Text>
          <Typography.Text type="secondary">
            {' '}
            · {t('campaigns.import.roleMembers', { count: g.members.length })}
          </Typography.Text>
          <div style={{ fontSize: 12 }}>
            {g.members.map((m) => (
              <div key={m.line}>
                {m.position}：{m.person}
                {m.title ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    （{m.title}）
                  </Typography.Text>
                ) : null}
              </div>
            ))}
          </div>
          {g.duties && (
            <Typography.Paragraph
              type="secondary"
              style={{ fontSize: 12, marginBottom: 0 }}
              ellipsis={{ rows: 2, expandable: true }}
            >
              {g.duties}
            </Typography.Paragraph>
          )}
        </div>
      ))}
    </div>
  );
}

export function CampaignImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<PlanPreview | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [selected, setSelected] = useState<{ path: string; lines: Set<number> } | null>(null);
  const [mappings, setMappings] = useState<Record<string, string>>({});
  const [form] = Form.useForm<{ name: string; year: number }>();
  const sourceRef = useRef<HTMLDivElement>(null);
  const treeData = useUnitTree(preview !== null && preview.unresolved.length > 0);

  /** Shows a preview; the name is the plan's title unless this is the same text parsed again. */
  const show = (p: PlanPreview, again: boolean) => {
    setPreview(p);
    setText(p.lines.join('\n'));
    setSelected(null);
    setMappings({});
    const year = Number((p.plan.date ?? '').slice(0, 4)) || new Date().getFullYear();
    if (!again) form.setFieldsValue({ name: p.plan.title ?? '', year });
  };

  const run = async (body: unknown, again = false) => {
    setLoading(true);
    try {
      show(await api<PlanPreview>('/campaigns/import/preview', { method: 'POST', body }), again);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  };

  const upload = (file: File) => {
    const data = new FormData();
    data.append('file', file);
    void run(data);
    return false;
  };

  const saveMappings = async () => {
    const list = Object.entries(mappings).map(([name, unitId]) => ({ text: name, unitId }));
    try {
      await api('/campaigns/import/aliases', { method: 'POST', body: { mappings: list } });
      message.success(t('campaigns.import.mappingsSaved', { count: list.length }));
      await run({ text }, true);
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const c = await api<CampaignDetail>('/campaigns', { method: 'POST', body: { ...values, text } });
      message.success(t('campaigns.import.savedAs', { name: c.name }));
      navigate(`/campaigns/${c.id}`);
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  const select = (path: string, lines: number[]) => setSelected({ path, lines: new Set(lines) });

  useEffect(() => {
    if (!selected || !sourceRef.current) return;
    // Scroll the source pane only (scrollIntoView would scroll the page too).
    const pane = sourceRef.current;
    const line = pane.querySelector<HTMLElement>(`[data-line="${Math.min(...selected.lines)}"]`);
    if (line) pane.scrollTop = line.offsetTop - pane.clientHeight / 3;
  }, [selected]);

  const stats = preview?.plan.stats;
  const warnings = useMemo(
    () => (preview ? preview.plan.warnings.filter((w) => w.code !== 'unknown_unit') : []),
    [preview],
  );
  const paneHeight = 'calc(100vh - 330px)';

  return (
    <PageContainer title={t('campaigns.import.title')} content={t('campaigns.import.subtitle')}>
      {!preview ? (
        <Card>
          <Input.TextArea
            rows={14}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('campaigns.import.pastePlaceholder')}
            data-testid="campaign-import-text"
          />
          <Space style={{ marginTop: 16 }}>
            <Button
              type="primary"
              loading={loading}
              disabled={!text.trim()}
              onClick={() => run({ text })}
              data-testid="campaign-import-preview"
            >
              {t('campaigns.import.preview')}
            </Button>
            <Upload accept=".txt,.docx" showUploadList={false} beforeUpload={upload} maxCount={1}>
              <Button icon={<UploadOutlined />} data-testid="campaign-import-upload">
                {t('campaigns.import.upload')}
              </Button>
            </Upload>
            <Typography.Text type="secondary">{t('campaigns.import.uploadHint')}</Typography.Text>
          </Space>
        </Card>
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Form form={form} layout="inline" style={{ rowGap: 8 }}>
              <Form.Item
                name="name"
                label={t('campaigns.field.name')}
                rules={[{ required: true, whitespace: true, message: t('campaigns.import.nameRequired') }]}
              >
                <Input style={{ width: 360 }} maxLength={200} data-testid="campaign-save-name" />
              </Form.Item>
              <Form.Item name="year" label={t('campaigns.field.year')} rules={[{ required: true }]}>
                <InputNumber min={2000} max={2100} data-testid="campaign-save-year" />
              </Form.Item>
              <Space>
                <Button
                  type="primary"
                  onClick={save}
                  loading={saving}
                  disabled={preview.unresolved.length > 0}
                  data-testid="campaign-save"
                >
                  {t('campaigns.import.save')}
                </Button>
                <Button onClick={() => setPreview(null)} data-testid="campaign-import-back">
                  {t('campaigns.import.edit')}
                </Button>
              </Space>
            </Form>
            <Space size={4} wrap style={{ marginTop: 8 }} data-testid="campaign-import-stats">
              <Tag>{t('campaigns.import.stat.sections', { count: stats?.sections })}</Tag>
              <Tag data-testid="campaign-import-activity-count">
                {t('campaigns.import.stat.activities', { count: stats?.activities })}
              </Tag>
              <Tag>{t('campaigns.import.stat.phases', { count: stats?.phases })}</Tag>
              <Tag color={preview.unresolved.length ? 'red' : 'green'}>
                {t('campaigns.import.stat.unresolved', { count: preview.unresolved.length })}
              </Tag>
              {preview.plan.documentNumber && <Tag>{preview.plan.documentNumber}</Tag>}
            </Space>
          </Card>
          {preview.unresolved.length > 0 && (
            <Alert
              type="error"
              style={{ marginBottom: 12 }}
              data-testid="campaign-unresolved"
              message={t('campaigns.import.unresolvedTitle')}
              description={
                <Space direction="vertical" style={{ width: '100%' }}>
                  {preview.unresolved.map((u, i) => (
                    <Space key={u.text} wrap>
                      <Typography.Text
                        type="danger"
                        strong
                        style={{ minWidth: 180, display: 'inline-block' }}
                      >
                        {u.text}
                      </Typography.Text>
                      <Typography.Text type="secondary">
                        {t('campaigns.import.lineNo', { line: u.line })}
                      </Typography.Text>
                      <UnitTreeSelect
                        style={{ width: 320 }}
                        treeData={treeData}
                        value={mappings[u.text]}
                        onChange={(v) => setMappings((m) => ({ ...m, [u.text]: v as string }))}
                        placeholder={t('campaigns.import.mapPlaceholder')}
                        data-testid={`campaign-map-${i}`}
                      />
                    </Space>
                  ))}
                  <Button
                    type="primary"
                    danger
                    disabled={Object.keys(mappings).length === 0}
                    onClick={saveMappings}
                    data-testid="campaign-map-save"
                  >
                    {t('campaigns.import.saveMappings')}
                  </Button>
                </Space>
              }
            />
          )}
          <Row gutter={12}>
            <Col span={12}>
              <Card size="small" title={t('campaigns.import.source')}>
                <div
                  ref={sourceRef}
                  data-testid="campaign-source"
                  style={{
                    position: 'relative',
                    height: paneHeight,
                    minHeight: 320,
                    overflow: 'auto',
                    fontSize: 13,
                  }}
                >
                  {preview.lines.map((line, i) => {
                    const no = i + 1;
                    const on = selected?.lines.has(no) ?? false;
                    return (
                      <div
                        key={no}
                        data-line={no}
                        data-testid={on ? 'source-line-selected' : undefined}
                        style={{ display: 'flex', gap: 8, background: on ? HIGHLIGHT : undefined }}
                      >
                        <span style={{ color: '#999', width: 32, textAlign: 'right', flex: 'none' }}>
                          {no}
                        </span>
                        <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{line}</span>
                      </div>
                    );
                  })}
                </div>
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title={t('campaigns.import.parsed')}>
                <div
                  style={{ height: paneHeight, minHeight: 320, overflow: 'auto' }}
                  data-testid="campaign-parsed"
                >
                  {preview.plan.phases.length > 0 && (
                    <div style={{ marginBottom: 12 }}>
                      <Typography.Title level={5} style={{ marginTop: 0 }}>
                        {t('campaigns.phases')}
                      </Typography.Title>
                      {preview.plan.phases.map((p) => (
                        <div key={p.numeral + p.name}>
                          {p.numeral} {p.name}{' '}
                          <Typography.Text type="secondary">
                            {p.from ?? '…'} — {p.to ?? '…'}
                          </Typography.Text>
                        </div>
                      ))}
                    </div>
                  )}
                  {preview.plan.sections.map((s, si) => (
                    <div key={s.sourceLines[0] ?? s.numeral} style={{ marginBottom: 12 }}>
                      <Typography.Title level={5}>
                        {s.numeral}
                        {s.title}
                      </Typography.Title>
                      {s.activities.map((a, ai) => (
                        <ActivityItem
                          key={a.sourceLines[0] ?? a.numeral}
                          activity={a}
                          path={`${si}.${ai}`}
                          selected={selected?.path ?? null}
                          onSelect={select}
                        />
                      ))}
                    </div>
                  ))}
                  {preview.plan.roles && <RolesPreview roles={preview.plan.roles} />}
                  {warnings.length > 0 && (
                    <List
                      size="small"
                      header={<Typography.Text strong>{t('campaigns.import.warnings')}</Typography.Text>}
                      data-testid="campaign-warnings"
                      dataSource={warnings}
                      renderItem={(w) => (
                        <List.Item>
                          <Typography.Text type="warning">
                            {t('campaigns.import.lineNo', { line: w.line })} ·{' '}
                            {t(`campaigns.warning.${w.code}`)}
                            {w.text ? `：${w.text}` : ''}
                          </Typography.Text>
                        </List.Item>
                      )}
                    />
                  )}
                  {preview.plan.sections.length === 0 && <Empty />}
                </div>
              </Card>
            </Col>
          </Row>
        </>
      )}
    </PageContainer>
  );
}
