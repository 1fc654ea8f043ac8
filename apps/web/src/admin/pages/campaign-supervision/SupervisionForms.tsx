import { App, DatePicker, Form, Input, Radio, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { FormDrawer } from '../../components/FormDrawer.tsx';
import { COLOR_TAG, type InstanceOption, type SupervisionItem } from './model.ts';

export type FormKind = 'reminder' | 'order' | 'interview' | 'circular';

interface Props {
  campaignId: string;
  /** The campaign's responsible units. */
  units: { id: string; name: string }[];
  open: FormKind | null;
  onClose: () => void;
  onDone: (items: SupervisionItem[]) => void;
}

/** The tasks of some units, worst colour first (what a reminder, order or interview is about). */
function useInstances(campaignId: string, unitIds: string[]): InstanceOption[] {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [items, setItems] = useState<InstanceOption[]>([]);
  const key = unitIds.join(',');
  useEffect(() => {
    if (!key) {
      setItems([]);
      return;
    }
    const ids = key.split(',');
    Promise.all(
      ids.map((unitId) =>
        api<{ items: InstanceOption[] }>(`/campaigns/${campaignId}/instances`, {
          query: { unitId, pageSize: 500 },
        }),
      ),
    )
      .then((pages) => {
        const rank: Record<string, number> = { red: 0, orange: 1, yellow: 2, blue: 3, green: 4 };
        setItems(pages.flatMap((p) => p.items).sort((a, b) => rank[a.color] - rank[b.color]));
      })
      .catch((e) => message.error(errorMessage(e, t)));
  }, [campaignId, key, message, t]);
  return items;
}

function InstanceSelect({
  options,
  value,
  onChange,
  testId,
}: {
  options: InstanceOption[];
  value?: string[];
  onChange?: (v: string[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      mode="multiple"
      allowClear
      value={value}
      onChange={onChange}
      optionFilterProp="title"
      maxTagCount="responsive"
      placeholder={t('campaignSupervision.form.instancesHint')}
      data-testid={testId}
      options={options.map((i) => ({
        value: i.id,
        title: `${i.taskTitle} ${i.unitName}`,
        label: (
          <span>
            <Tag color={COLOR_TAG[i.color]}>{t(`campaignSupervision.color.${i.color}`)}</Tag>
            {i.taskTitle}
            {i.cycle !== 'once' ? ` · ${i.cycle}` : ''}
            {options.some((o) => o.unitId !== i.unitId) ? ` · ${i.unitName}` : ''}
          </span>
        ),
      }))}
    />
  );
}

function UnitSelect({
  units,
  multiple,
  value,
  onChange,
  testId,
}: {
  units: { id: string; name: string }[];
  multiple?: boolean;
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      mode={multiple ? 'multiple' : undefined}
      showSearch
      allowClear
      value={value}
      onChange={onChange}
      optionFilterProp="label"
      maxTagCount="responsive"
      placeholder={t('campaignSupervision.form.unitHint')}
      data-testid={testId}
      options={units.map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

const day = (d: Dayjs | undefined) => d?.format('YYYY-MM-DD');

interface ReminderValues {
  mode: 'units' | 'instances';
  unitIds?: string[];
  instanceIds?: string[];
  note: string;
}

function ReminderDrawer({ campaignId, units, open, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReminderValues>();
  const mode = Form.useWatch('mode', form) ?? 'units';
  const chosen = Form.useWatch('unitIds', form) ?? [];
  const instances = useInstances(campaignId, mode === 'instances' ? chosen : []);
  return (
    <FormDrawer<ReminderValues>
      open={open === 'reminder'}
      title={t('campaignSupervision.reminder.title')}
      width={560}
      form={form}
      forceRender
      fields={['unitIds', 'instanceIds', 'note']}
      submitText={t('campaignSupervision.reminder.submit')}
      submitTestId="supervision-reminder-submit"
      onClose={onClose}
      onSubmit={async (v) => {
        const body =
          v.mode === 'instances'
            ? { instanceIds: v.instanceIds, note: v.note }
            : { unitIds: v.unitIds, note: v.note };
        const r = await api<{ items: SupervisionItem[] }>(`/campaigns/${campaignId}/supervision/reminders`, {
          method: 'POST',
          body,
        });
        message.success(t('campaignSupervision.reminder.done', { count: r.items.length }));
        onDone(r.items);
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ mode: 'units' }} requiredMark={false}>
        <Form.Item name="mode" label={t('campaignSupervision.reminder.mode')}>
          <Radio.Group data-testid="supervision-reminder-mode">
            <Radio value="units">{t('campaignSupervision.reminder.byUnit')}</Radio>
            <Radio value="instances">{t('campaignSupervision.reminder.byTask')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="unitIds" label={t('campaignSupervision.field.units')} rules={[{ required: true }]}>
          <UnitSelect units={units} multiple testId="supervision-reminder-units" />
        </Form.Item>
        {mode === 'instances' && (
          <Form.Item
            name="instanceIds"
            label={t('campaignSupervision.field.instances')}
            rules={[{ required: true }]}
          >
            <InstanceSelect options={instances} testId="supervision-reminder-instances" />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t('campaignSupervision.field.note')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={4} maxLength={1000} showCount data-testid="supervision-reminder-note" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface OrderValues {
  unitId: string;
  instanceIds?: string[];
  deadline: Dayjs;
  body: string;
}

function OrderDrawer({ campaignId, units, open, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrderValues>();
  const unitId = Form.useWatch('unitId', form);
  const instances = useInstances(campaignId, unitId ? [unitId] : []);
  return (
    <FormDrawer<OrderValues>
      open={open === 'order'}
      title={t('campaignSupervision.order.title')}
      width={560}
      form={form}
      forceRender
      fields={['unitId', 'instanceIds', 'deadline', 'body']}
      submitText={t('campaignSupervision.order.submit')}
      submitTestId="supervision-order-submit"
      onClose={onClose}
      onSubmit={async (v) => {
        const item = await api<SupervisionItem>(`/campaigns/${campaignId}/supervision/orders`, {
          method: 'POST',
          body: {
            unitId: v.unitId,
            instanceIds: v.instanceIds?.length ? v.instanceIds : undefined,
            deadline: day(v.deadline),
            body: v.body,
          },
        });
        message.success(t('campaignSupervision.order.done', { number: item.number }));
        onDone([item]);
      }}
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="unitId" label={t('campaignSupervision.field.unit')} rules={[{ required: true }]}>
          <UnitSelect units={units} testId="supervision-order-unit" />
        </Form.Item>
        <Form.Item name="instanceIds" label={t('campaignSupervision.field.instances')}>
          <InstanceSelect options={instances} testId="supervision-order-instances" />
        </Form.Item>
        <Form.Item
          name="deadline"
          label={t('campaignSupervision.field.deadline')}
          rules={[{ required: true }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            format="YYYY-MM-DD"
            data-testid="supervision-order-deadline"
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('campaignSupervision.field.body')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={6} maxLength={4000} showCount data-testid="supervision-order-body" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface InterviewValues {
  unitId: string;
  instanceIds?: string[];
  interviewee: { name: string; post: string; phone?: string };
  at: Dayjs;
  place: string;
  attendees?: string[];
  topics: string;
  commitments?: string;
}

function InterviewDrawer({ campaignId, units, open, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<InterviewValues>();
  const unitId = Form.useWatch('unitId', form);
  const instances = useInstances(campaignId, unitId ? [unitId] : []);
  return (
    <FormDrawer<InterviewValues>
      open={open === 'interview'}
      title={t('campaignSupervision.interview.title')}
      width={600}
      form={form}
      forceRender
      fields={[
        'unitId',
        'instanceIds',
        'interviewee.name',
        'interviewee.post',
        'interviewee.phone',
        'at',
        'place',
        'attendees',
        'topics',
        'commitments',
      ]}
      submitText={t('campaignSupervision.interview.submit')}
      submitTestId="supervision-interview-submit"
      onClose={onClose}
      onSubmit={async (v) => {
        const item = await api<SupervisionItem>(`/campaigns/${campaignId}/supervision/interviews`, {
          method: 'POST',
          body: {
            unitId: v.unitId,
            instanceIds: v.instanceIds?.length ? v.instanceIds : undefined,
            interviewee: {
              name: v.interviewee.name,
              post: v.interviewee.post,
              phone: v.interviewee.phone || null,
            },
            at: v.at.toISOString(),
            place: v.place,
            attendees: v.attendees ?? [],
            topics: v.topics,
            commitments: v.commitments ?? '',
          },
        });
        message.success(t('campaignSupervision.interview.done'));
        onDone([item]);
      }}
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="unitId" label={t('campaignSupervision.field.unit')} rules={[{ required: true }]}>
          <UnitSelect units={units} testId="supervision-interview-unit" />
        </Form.Item>
        <Form.Item name="instanceIds" label={t('campaignSupervision.field.instances')}>
          <InstanceSelect options={instances} testId="supervision-interview-instances" />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 12 }}>
          <Form.Item
            name={['interviewee', 'name']}
            label={t('campaignSupervision.field.interviewee')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={50} data-testid="supervision-interview-name" />
          </Form.Item>
          <Form.Item
            name={['interviewee', 'post']}
            label={t('campaignSupervision.field.post')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={50} data-testid="supervision-interview-post" />
          </Form.Item>
          <Form.Item name={['interviewee', 'phone']} label={t('campaignSupervision.field.phone')}>
            <Input maxLength={20} data-testid="supervision-interview-phone" />
          </Form.Item>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
          <Form.Item name="at" label={t('campaignSupervision.field.at')} rules={[{ required: true }]}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              data-testid="supervision-interview-at"
            />
          </Form.Item>
          <Form.Item
            name="place"
            label={t('campaignSupervision.field.place')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={200} data-testid="supervision-interview-place" />
          </Form.Item>
        </div>
        <Form.Item name="attendees" label={t('campaignSupervision.field.attendees')}>
          <Select
            mode="tags"
            tokenSeparators={[',', '，', '、']}
            open={false}
            placeholder={t('campaignSupervision.form.attendeesHint')}
            data-testid="supervision-interview-attendees"
          />
        </Form.Item>
        <Form.Item
          name="topics"
          label={t('campaignSupervision.field.topics')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="supervision-interview-topics" />
        </Form.Item>
        <Form.Item name="commitments" label={t('campaignSupervision.field.commitments')}>
          <Input.TextArea
            rows={3}
            maxLength={4000}
            showCount
            data-testid="supervision-interview-commitments"
          />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface CircularValues {
  title?: string;
  asOf?: Dayjs;
}

function CircularDrawer({ campaignId, open, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CircularValues>();
  return (
    <FormDrawer<CircularValues>
      open={open === 'circular'}
      title={t('campaignSupervision.circular.title')}
      width={480}
      form={form}
      fields={['title', 'asOf']}
      submitText={t('campaignSupervision.circular.submit')}
      submitTestId="supervision-circular-submit"
      onClose={onClose}
      onSubmit={async (v) => {
        const item = await api<SupervisionItem>(`/campaigns/${campaignId}/circulars`, {
          method: 'POST',
          body: { title: v.title?.trim() || undefined, asOf: day(v.asOf) },
        });
        message.success(t('campaignSupervision.circular.done', { number: item.number }));
        onDone([item]);
      }}
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="title"
          label={t('campaignSupervision.field.title')}
          extra={t('campaignSupervision.circular.titleHint')}
        >
          <Input maxLength={200} data-testid="supervision-circular-title" />
        </Form.Item>
        <Form.Item
          name="asOf"
          label={t('campaignSupervision.field.asOf')}
          extra={t('campaignSupervision.circular.asOfHint')}
        >
          <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" data-testid="supervision-circular-asof" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/**
 * The four drawers of the supervision page; `open` says which one shows. The page mounts them afresh
 * at each opening (useDialog), so each opening starts from empty forms.
 */
export function SupervisionForms(props: Props) {
  return (
    <>
      <ReminderDrawer {...props} />
      <OrderDrawer {...props} />
      <InterviewDrawer {...props} />
      <CircularDrawer {...props} />
    </>
  );
}
