import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { tid } from '../../../shared/testid.ts';

/** A POST outside the workflow that takes a reason or note (hide a case or photo, mark it valid). */
export interface ReasonRequest {
  title: string;
  path: string;
  /** The body's text field. */
  field: 'reason' | 'note';
  required: boolean;
  /** Sent along with the text. */
  extra?: Record<string, unknown>;
  danger?: boolean;
}

export function ReasonModal({
  request,
  onClose,
  onDone,
}: {
  request: ReasonRequest | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text?: string }>();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (!request) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api(request.path, {
        method: 'POST',
        body: { ...request.extra, [request.field]: v.text?.trim() ?? '' },
      });
      message.success(t('common.saved'));
      onDone();
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!request}
      title={request?.title}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okButtonProps={{ danger: request?.danger, loading: saving, ...tid('case-reason-ok') }}
      okText={request?.title}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="text"
          label={t(request?.field === 'reason' ? 'caseConsole.field.reason' : 'caseConsole.field.note')}
          rules={
            request?.required
              ? [{ required: true, whitespace: true, message: t('caseConsole.form.noteRequired') }]
              : []
          }
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 6 }}
            maxLength={500}
            showCount
            data-testid="case-reason-text"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
