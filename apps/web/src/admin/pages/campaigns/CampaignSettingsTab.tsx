import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLOR_PRESETS, DEFAULT_COLOR_RULES } from '../../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import type { CampaignDetail, ColorRules } from './model.ts';

type Preset = ColorRules['preset'];

interface SettingsForm {
  name: string;
  window: [Dayjs, Dayjs];
  requiresUnitApproval: boolean;
  preset: Preset;
  /** Percent of the window left (the API takes fractions). */
  yellowPct: number;
  orangeOn: boolean;
  orangePct: number | null;
  lagOn: boolean;
  lagYellowPoints: number | null;
  lagRedPoints: number | null;
  returnedGraceWorkingDays: number;
}

const toForm = (c: CampaignDetail): SettingsForm => {
  const r = c.colorRules ?? DEFAULT_COLOR_RULES;
  return {
    name: c.name,
    window: [dayjs(c.startsOn ?? `${c.year}-01-01`), dayjs(c.endsOn ?? `${c.year}-12-31`)],
    requiresUnitApproval: c.requiresUnitApproval,
    preset: r.preset,
    yellowPct: Math.round(r.yellowTimeLeft * 100),
    orangeOn: r.orangeTimeLeft !== null,
    orangePct: r.orangeTimeLeft === null ? null : Math.round(r.orangeTimeLeft * 100),
    lagOn: r.lagYellowPoints !== null || r.lagRedPoints !== null,
    lagYellowPoints: r.lagYellowPoints,
    lagRedPoints: r.lagRedPoints,
    returnedGraceWorkingDays: r.returnedGraceWorkingDays,
  };
};

const rulesOf = (v: SettingsForm): ColorRules => ({
  preset: v.preset,
  yellowTimeLeft: v.yellowPct / 100,
  orangeTimeLeft: v.orangeOn && v.orangePct !== null ? v.orangePct / 100 : null,
  lagYellowPoints: v.lagOn ? v.lagYellowPoints : null,
  lagRedPoints: v.lagOn ? v.lagRedPoints : null,
  returnedGraceWorkingDays: v.returnedGraceWorkingDays,
});

/** The server names rule fields colorRules.x; the form shows them on its own fields. */
const RULE_FIELD: Record<string, string> = {
  'colorRules.yellowTimeLeft': 'yellowPct',
  'colorRules.orangeTimeLeft': 'orangePct',
  'colorRules.lagYellowPoints': 'lagYellowPoints',
  'colorRules.lagRedPoints': 'lagRedPoints',
  'colorRules.returnedGraceWorkingDays': 'returnedGraceWorkingDays',
  startsOn: 'window',
  endsOn: 'window',
};

/** 设置: name, window, unit approval and the colour rules (a preset or the office's own). */
export function CampaignSettingsTab({
  campaign,
  canWrite,
  onSaved,
}: {
  campaign: CampaignDetail;
  canWrite: boolean;
  onSaved: (c: CampaignDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const [saving, setSaving] = useState(false);
  const orangeOn = Form.useWatch('orangeOn', form);
  const lagOn = Form.useWatch('lagOn', form);
  const disabled = !canWrite || campaign.status === 'closed';

  useEffect(() => form.setFieldsValue(toForm(campaign)), [campaign, form]);

  const pickPreset = (p: Preset) => {
    if (p === 'custom') return;
    const { name, window, requiresUnitApproval, ...rules } = toForm({
      ...campaign,
      colorRules: COLOR_PRESETS[p],
    });
    form.setFieldsValue(rules);
  };

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const c = await api<CampaignDetail>(`/campaigns/${campaign.id}`, {
        method: 'PATCH',
        body: {
          version: campaign.version,
          name: v.name,
          startsOn: v.window[0].format('YYYY-MM-DD'),
          endsOn: v.window[1].format('YYYY-MM-DD'),
          requiresUnitApproval: v.requiresUnitApproval,
          colorRules: rulesOf(v),
        },
      });
      message.success(t('common.saved'));
      onSaved(c);
    } catch (e) {
      const shown =
        e instanceof ApiClientError &&
        applyFieldErrors(
          form,
          new ApiClientError(
            e.status,
            e.code,
            e.message,
            e.fields.map((f) => ({ ...f, field: RULE_FIELD[f.field] ?? f.field })),
          ),
        );
      if (!shown) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  const onValuesChange = (changed: Partial<SettingsForm>) => {
    const ruleKeys: (keyof SettingsForm)[] = [
      'yellowPct',
      'orangeOn',
      'orangePct',
      'lagOn',
      'lagYellowPoints',
      'lagRedPoints',
      'returnedGraceWorkingDays',
    ];
    if (ruleKeys.some((k) => k in changed)) form.setFieldValue('preset', 'custom');
  };

  return (
    <Form
      form={form}
      layout="horizontal"
      labelCol={{ flex: '200px' }}
      disabled={disabled}
      onValuesChange={onValuesChange}
      data-testid="campaign-settings"
      style={{ maxWidth: 860 }}
    >
      <Card size="small" title={t('campaigns.settings.general')} style={{ marginBottom: 12 }}>
        <Form.Item
          name="name"
          label={t('campaigns.field.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="window" label={t('campaigns.settings.window')} rules={[{ required: true }]}>
          <DatePicker.RangePicker allowClear={false} />
        </Form.Item>
        <Form.Item
          name="requiresUnitApproval"
          label={t('campaigns.settings.unitApproval')}
          valuePropName="checked"
          extra={t('campaigns.settings.unitApprovalHint')}
        >
          <Switch data-testid="settings-unit-approval" />
        </Form.Item>
      </Card>
      <Card size="small" title={t('campaigns.settings.rules')} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary">{t('campaigns.settings.rulesHint')}</Typography.Paragraph>
        <Form.Item name="preset" label={t('campaigns.settings.preset')}>
          <Select
            style={{ width: 320 }}
            onChange={pickPreset}
            data-testid="settings-preset"
            options={(['default', 'yinchuan', 'shangqiu', 'custom'] as const).map((p) => ({
              value: p,
              label: t(`campaigns.settings.presets.${p}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="yellowPct"
          label={t('campaigns.settings.yellowTimeLeft')}
          extra={t('campaigns.settings.yellowTimeLeftHint')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={99} precision={0} addonAfter="%" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label={t('campaigns.settings.orange')} extra={t('campaigns.settings.orangeHint')}>
          <Space>
            <Form.Item name="orangeOn" valuePropName="checked" noStyle>
              <Switch />
            </Form.Item>
            <Form.Item name="orangePct" noStyle>
              <InputNumber
                min={1}
                max={99}
                precision={0}
                addonAfter="%"
                style={{ width: 140 }}
                disabled={disabled || !orangeOn}
              />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item label={t('campaigns.settings.lag')} extra={t('campaigns.settings.lagHint')}>
          <Space wrap>
            <Form.Item name="lagOn" valuePropName="checked" noStyle>
              <Switch />
            </Form.Item>
            <Form.Item name="lagYellowPoints" noStyle>
              <InputNumber
                min={1}
                max={99}
                precision={0}
                addonBefore={t('campaigns.settings.lagYellow')}
                style={{ width: 170 }}
                disabled={disabled || !lagOn}
              />
            </Form.Item>
            <Form.Item name="lagRedPoints" noStyle>
              <InputNumber
                min={1}
                max={99}
                precision={0}
                addonBefore={t('campaigns.settings.lagRed')}
                style={{ width: 170 }}
                disabled={disabled || !lagOn}
              />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item label={t('campaigns.settings.returnedGrace')} required>
          <Space>
            <Form.Item name="returnedGraceWorkingDays" noStyle rules={[{ required: true }]}>
              <InputNumber
                min={0}
                max={60}
                precision={0}
                style={{ width: 90 }}
                data-testid="settings-grace"
              />
            </Form.Item>
            <Typography.Text>{t('campaigns.settings.workingDays')}</Typography.Text>
          </Space>
        </Form.Item>
      </Card>
      {!disabled && (
        <Button
          type="primary"
          loading={saving}
          onClick={() => void save().catch(() => undefined)}
          data-testid="settings-save"
        >
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}
