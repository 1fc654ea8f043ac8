import { Button, Form, NavBar, NoticeBar, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiClientError, api, fieldPath } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { isStrongPassword } from '../../shared/password.ts';
import { useSession } from '../../shared/session.tsx';
import { MobileInput } from '../components/MobileInput.tsx';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/** Forced password change for staff who signed in on the phone. */
export function H5ChangePasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { refresh, logout } = useSession();
  const navigate = useNavigate();
  const [saving, setSaving] = useState(false);

  const onFinish = async (v: Values) => {
    setSaving(true);
    try {
      await api('/auth/password', {
        method: 'POST',
        body: { oldPassword: v.oldPassword, newPassword: v.newPassword },
      });
      Toast.show({ icon: 'success', content: t('password.changed') });
      const u = await refresh().catch(() => null);
      navigate(u ? '/' : '/login', { replace: true });
    } catch (e) {
      if (e instanceof ApiClientError && e.fields.length) {
        form.setFields(e.fields.map((f) => ({ name: String(fieldPath(f.field)[0]), errors: [f.message] })));
      }
      Toast.show({ icon: 'fail', content: errorMessage(e, t) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="h5-page">
      <NavBar
        onBack={() => void logout().then(() => navigate('/login', { replace: true }))}
        backIcon
        back={t('common.logout')}
      >
        {t('password.title')}
      </NavBar>
      <NoticeBar content={t('password.mustChange')} color="alert" wrap />
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        footer={
          <Button block type="submit" color="primary" size="large" loading={saving} data-testid="pw-submit">
            {t('password.submit')}
          </Button>
        }
      >
        <Form.Header>{t('password.rule')}</Form.Header>
        <Form.Item
          name="oldPassword"
          label={t('password.old')}
          rules={[{ required: true, message: t('password.oldRequired') }]}
        >
          <MobileInput testId="pw-old" type="password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[
            { required: true, message: t('password.newRequired') },
            {
              validator: (_, value: string | undefined) =>
                !value || isStrongPassword(value)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.rule'))),
            },
          ]}
        >
          <MobileInput testId="pw-new" type="password" autoComplete="new-password" />
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
          <MobileInput testId="pw-confirm" type="password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </div>
  );
}
