import { Alert, App, DatePicker, Form, Input, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgGroup } from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { EvidenceUpload } from '../../components/EvidenceUpload.tsx';
import { FormDrawer } from '../../components/FormDrawer.tsx';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import type { NoticeDetail } from './types.ts';

interface Values {
  title: string;
  body: string;
  unitIds?: string[];
  groupIds?: string[];
  requireAck: boolean;
  ackDueAt?: Dayjs | null;
  attachments?: string[];
}

/** The picked wall-clock time read in Asia/Shanghai, as times are shown (whatever the browser's zone). */
const shanghaiInstant = (d: Dayjs) => new Date(`${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`).toISOString();

const FIELDS = ['title', 'body', 'unitIds', 'groupIds', 'requireAck', 'ackDueAt', 'attachments'];

/** "发通知": title, text, recipient units and groups (in the sender's scope), acknowledgement and its due time. */
export function NoticeDrawer({
  open,
  onClose,
  onSent,
}: {
  open: boolean;
  onClose: () => void;
  onSent: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const treeData = useUnitTree(open);
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  const unitIds = Form.useWatch('unitIds', form);
  const groupIds = Form.useWatch('groupIds', form);
  const requireAck = Form.useWatch('requireAck', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ requireAck: true, unitIds: [], groupIds: [] });
    api<{ items: OrgGroup[] }>('/org/groups')
      .then((g) => setGroups(g.items))
      .catch((e) => message.error(errorMessage(e, t)));
  }, [open, form, message, t]);

  // The server expands groups to their members in the sender's scope; the list shows those members.
  const recipients = useMemo(() => {
    const set = new Set(unitIds ?? []);
    for (const g of groups) if (groupIds?.includes(g.id)) for (const m of g.memberIds) set.add(m);
    return set.size;
  }, [unitIds, groupIds, groups]);

  const submit = async (v: Values) => {
    const n = await api<NoticeDetail>('/notices', {
      method: 'POST',
      body: {
        title: v.title.trim(),
        body: v.body.trim(),
        unitIds: v.unitIds ?? [],
        groupIds: v.groupIds ?? [],
        requireAck: v.requireAck,
        attachments: v.attachments ?? [],
        ...(v.requireAck && v.ackDueAt ? { ackDueAt: shanghaiInstant(v.ackDueAt) } : {}),
      },
    });
    message.success(t('notices.sent', { count: n.counts?.total ?? recipients }));
    onSent(n.id);
  };

  return (
    <FormDrawer
      open={open}
      title={t('notices.new')}
      width={560}
      form={form}
      fields={FIELDS}
      submitText={t('notices.send')}
      submitTestId="notice-form-submit"
      onClose={onClose}
      onSubmit={submit}
      forceRender
    >
      <Form<Values> form={form} name="notice" layout="vertical" autoComplete="off">
        <Form.Item
          name="title"
          label={t('notices.title')}
          rules={[{ required: true, whitespace: true, message: t('notices.titleRequired') }, { max: 100 }]}
        >
          <Input data-testid="notice-form-title" maxLength={100} showCount />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('notices.body')}
          rules={[{ required: true, whitespace: true, message: t('notices.bodyRequired') }, { max: 20000 }]}
        >
          <Input.TextArea
            data-testid="notice-form-body"
            autoSize={{ minRows: 6, maxRows: 16 }}
            maxLength={20000}
          />
        </Form.Item>
        <Form.Item name="unitIds" label={t('notices.recipientUnits')}>
          <UnitTreeSelect
            data-testid="notice-form-units"
            treeData={treeData}
            multiple
            placeholder={t('notices.recipientUnitsPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="groupIds" label={t('notices.recipientGroups')} extra={t('notices.groupsHint')}>
          <Select
            data-testid="notice-form-groups"
            mode="multiple"
            optionFilterProp="label"
            placeholder={t('notices.recipientGroupsPlaceholder')}
            options={groups.map((g) => ({
              value: g.id,
              label: `${g.name}（${g.memberIds.length}）`,
            }))}
          />
        </Form.Item>
        <Alert
          type={recipients ? 'info' : 'warning'}
          showIcon
          style={{ marginBottom: 24 }}
          message={t('notices.recipientCount', { count: recipients })}
          data-testid="notice-form-count"
        />
        <Form.Item name="requireAck" label={t('notices.requireAck')} valuePropName="checked">
          <Switch data-testid="notice-form-require-ack" />
        </Form.Item>
        {requireAck && (
          <Form.Item name="ackDueAt" label={t('notices.ackDue')} extra={t('notices.ackDueHint')}>
            <DatePicker
              data-testid="notice-form-due"
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              showNow={false}
              style={{ width: '100%' }}
            />
          </Form.Item>
        )}
        <Form.Item name="attachments" label={t('notices.attachments')}>
          <EvidenceUpload maxCount={20} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
