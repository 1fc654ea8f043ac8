import { App, Form, Input, Radio } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.ts';
import { EvidenceUpload } from '../../components/EvidenceUpload.tsx';
import { FormDrawer } from '../../components/FormDrawer.tsx';
import { UnitTreeSelect, useUnitTree } from '../../components/UnitTreeSelect.tsx';
import type { MatterDetail } from './model.ts';

interface Values {
  title: string;
  content: string;
  level: 'ordinary' | 'major';
  source?: string;
  assigneeUnitId: string;
  attachments?: string[];
}

const FIELDS = ['title', 'content', 'level', 'source', 'assigneeUnitId', 'attachments'];

/** "交办": a matter for one unit, with its level (which sets the resolution deadline) and attachments. */
export function AssignDrawer({
  open,
  onClose,
  onAssigned,
}: {
  open: boolean;
  onClose: () => void;
  onAssigned: (m: MatterDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const treeData = useUnitTree(open);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (v: Values) => {
    const m = await api<MatterDetail>('/matters', {
      method: 'POST',
      body: {
        title: v.title.trim(),
        content: v.content.trim(),
        level: v.level,
        source: v.source?.trim() || null,
        assigneeUnitId: v.assigneeUnitId,
        attachments: v.attachments ?? [],
      },
    });
    message.success(t('matters.assigned', { no: m.no, unit: m.assignee.name }));
    onAssigned(m);
  };

  return (
    <FormDrawer
      open={open}
      title={t('matters.assign')}
      width={600}
      form={form}
      fields={FIELDS}
      submitText={t('matters.assignSubmit')}
      submitTestId="matter-form-submit"
      onClose={onClose}
      onSubmit={submit}
    >
      <Form<Values>
        form={form}
        name="matter"
        layout="vertical"
        autoComplete="off"
        initialValues={{ level: 'ordinary' }}
      >
        <Form.Item
          name="title"
          label={t('matters.field.title')}
          rules={[{ required: true, whitespace: true, message: t('matters.form.titleRequired') }]}
        >
          <Input maxLength={100} showCount data-testid="matter-form-title" />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('matters.field.content')}
          rules={[{ required: true, whitespace: true, message: t('matters.form.contentRequired') }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 5, maxRows: 14 }}
            maxLength={5000}
            showCount
            placeholder={t('matters.form.contentPlaceholder')}
            data-testid="matter-form-content"
          />
        </Form.Item>
        <Form.Item
          name="assigneeUnitId"
          label={t('matters.field.assignee')}
          rules={[{ required: true, message: t('matters.form.unitRequired') }]}
        >
          <UnitTreeSelect
            data-testid="matter-form-unit"
            treeData={treeData}
            placeholder={t('matters.form.unitPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="level" label={t('matters.field.level')} extra={t('matters.form.levelHint')}>
          <Radio.Group data-testid="matter-form-level">
            <Radio value="ordinary">{t('matters.level.ordinary')}</Radio>
            <Radio value="major">{t('matters.level.major')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="source" label={t('matters.field.source')}>
          <Input
            maxLength={100}
            placeholder={t('matters.form.sourcePlaceholder')}
            data-testid="matter-form-source"
          />
        </Form.Item>
        <Form.Item name="attachments" label={t('matters.field.attachments')}>
          <EvidenceUpload maxCount={20} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
