import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ORG_UNIT_TYPES,
  type OrgUnit,
  type OrgUnitType,
} from '../../../../../../packages/contracts/src/index.ts';
import { api, applyFieldErrors } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { tid } from '../../../shared/testid.ts';

interface Values {
  name: string;
  shortName?: string;
  type: OrgUnitType;
  regionCode?: string;
  sort?: number;
}

export type UnitFormMode = { kind: 'create'; parent: OrgUnit | null } | { kind: 'edit'; unit: OrgUnit };

/** Create a child unit or edit a unit's fields. */
export function UnitFormModal({
  mode,
  onClose,
  onSaved,
}: {
  mode: UnitFormMode | null;
  onClose: () => void;
  onSaved: (unit: OrgUnit) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      const u = mode.unit;
      form.setFieldsValue({
        name: u.name,
        shortName: u.shortName ?? undefined,
        type: u.type,
        regionCode: u.regionCode ?? undefined,
        sort: u.sort,
      });
    } else {
      form.setFieldsValue({ type: defaultChildType(mode.parent?.type), sort: 0 });
    }
  }, [mode, form]);

  const onOk = async () => {
    if (!mode) return;
    const v = await form.validateFields();
    const name = v.name.trim();
    const shortName = v.shortName?.trim() || null;
    const regionCode = v.regionCode?.trim() || null;
    const sort = v.sort ?? 0;
    setSaving(true);
    try {
      let unit: OrgUnit;
      if (mode.kind === 'edit') {
        // send only what changed; a cleared optional field is sent as null
        const u = mode.unit;
        const patch: Record<string, string | number | null> = {};
        if (name !== u.name) patch.name = name;
        if (shortName !== u.shortName) patch.shortName = shortName;
        if (v.type !== u.type) patch.type = v.type;
        if (regionCode !== u.regionCode) patch.regionCode = regionCode;
        if (sort !== u.sort) patch.sort = sort;
        unit = Object.keys(patch).length
          ? await api<OrgUnit>(`/org/units/${u.id}`, { method: 'PATCH', body: patch })
          : u;
      } else {
        unit = await api<OrgUnit>('/org/units', {
          method: 'POST',
          body: {
            parentId: mode.parent?.id ?? null,
            name,
            type: v.type,
            sort,
            ...(shortName ? { shortName } : {}),
            ...(regionCode ? { regionCode } : {}),
          },
        });
      }
      message.success(t('common.saved'));
      onSaved(unit);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name', 'shortName', 'type', 'regionCode', 'sort'])) {
        message.error(errorMessage(e, t));
      }
    } finally {
      setSaving(false);
    }
  };

  const title = !mode
    ? ''
    : mode.kind === 'edit'
      ? t('org.editTitle', { name: mode.unit.name })
      : mode.parent
        ? t('org.addChildTitle', { name: mode.parent.name })
        : t('org.addRootTitle');

  return (
    <Modal
      open={!!mode}
      title={title}
      onCancel={onClose}
      onOk={() => void onOk().catch(() => undefined)}
      confirmLoading={saving}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={tid('org-form-submit')}
      destroyOnHidden
      forceRender
    >
      <Form<Values> form={form} name="unit" layout="vertical">
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }, { max: 100 }]}
        >
          <Input data-testid="org-form-name" />
        </Form.Item>
        <Form.Item name="shortName" label={t('org.shortName')} rules={[{ max: 50 }]}>
          <Input data-testid="org-form-short-name" />
        </Form.Item>
        <Form.Item
          name="type"
          label={t('org.type')}
          rules={[{ required: true, message: t('org.typeRequired') }]}
        >
          <Select
            data-testid="org-form-type"
            options={ORG_UNIT_TYPES.map((ty) => ({ value: ty, label: t(`orgTypes.${ty}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('org.regionCode')}
          tooltip={t('org.regionCodeHint')}
          rules={[{ pattern: /^\d{6,12}$/, message: t('org.regionCodeRule') }]}
        >
          <Input inputMode="numeric" maxLength={12} data-testid="org-form-region-code" />
        </Form.Item>
        <Form.Item name="sort" label={t('org.sort')}>
          <InputNumber
            min={0}
            max={99999}
            precision={0}
            style={{ width: '100%' }}
            data-testid="org-form-sort"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function defaultChildType(parent: OrgUnitType | undefined): OrgUnitType {
  switch (parent) {
    case undefined:
      return 'region';
    case 'region':
      return 'township';
    case 'committee':
      return 'member_unit';
    case 'township':
      return 'village';
    case 'practice_center':
      return 'practice_station';
    case 'office':
      return 'working_group';
    default:
      return 'other';
  }
}
