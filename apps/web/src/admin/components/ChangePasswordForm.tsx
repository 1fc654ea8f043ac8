import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, applyFieldErrors } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { isStrongPassword } from '../../shared/password.ts';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/** Old / new / confirm, with the rule shown and checked before the server checks it again. */
export function ChangePasswordForm({ onDone }: { onDone: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const onFinish = async (v: Values) => {
    setSaving(true);
    try {
      await api('/auth/password', {
        method: 'POST',
        body: { oldPassword: v.oldPassword, newPassword: v.newPassword },
      });
      message.success(t('password.changed'));
      form.resetFields();
      await onDone();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['oldPassword', 'newPassword'])) message.error(errorMessage(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<Values> form={form} name="password" layout="vertical" onFinish={onFinish} style={{ maxWidth: 420 }}>
      <Alert
        type="info"
        showIcon
        message={t('password.rule')}
        style={{ marginBottom: 16 }}
        data-testid="pw-rule"
      />
      <Form.Item
        name="oldPassword"
        label={t('password.old')}
        rules={[{ required: true, message: t('password.oldRequired') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="pw-old" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        dependencies={['oldPassword']}
        rules={[
          { required: true, message: t('password.newRequired') },
          {
            validator: (_, value: string | undefined) =>
              !value || isStrongPassword(value)
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.rule'))),
          },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value !== getFieldValue('oldPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.sameAsOld'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="pw-submit">
        {t('password.submit')}
      </Button>
    </Form>
  );
}
