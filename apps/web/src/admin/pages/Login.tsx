import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import type { LoginReply } from '../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, applyFieldErrors } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { useSession } from '../../shared/session.tsx';
import { AuthShell } from '../components/AuthShell.tsx';

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const { status, user, accept } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [needTotp, setNeedTotp] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = safeNext(params.get('next'));

  if (status === 'authenticated' && user && !submitting) {
    return <Navigate to={user.mustChangePassword ? '/change-password' : next} replace />;
  }

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const reply = await api<LoginReply>('/auth/login', {
        method: 'POST',
        noAuthRedirect: true,
        body: {
          username: values.username.trim(),
          password: values.password,
          ...(needTotp && values.totpCode ? { totpCode: values.totpCode.trim() } : {}),
        },
      });
      accept(reply);
      navigate(reply.user.mustChangePassword ? '/change-password' : next, { replace: true });
    } catch (e) {
      if (e instanceof ApiClientError && e.code === 'TOTP_REQUIRED') {
        setNeedTotp(true);
        setError(null);
        setTimeout(() => form.getFieldInstance('totpCode')?.focus?.(), 50);
      } else if (e instanceof ApiClientError && e.code === 'TOTP_INVALID') {
        setNeedTotp(true);
        form.setFields([{ name: 'totpCode', errors: [errorMessage(e, t)] }]);
      } else {
        if (!applyFieldErrors(form, e, ['username', 'password', 'totpCode'])) setError(errorMessage(e, t));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthShell title={t('login.title')}>
      {error && (
        <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />
      )}
      {params.get('reason') === 'expired' && !error && !needTotp && (
        <Alert
          type="warning"
          showIcon
          message={t('login.expired')}
          style={{ marginBottom: 16 }}
          data-testid="login-expired"
        />
      )}
      {needTotp && !error && (
        <Alert type="info" showIcon message={t('login.totpHint')} style={{ marginBottom: 16 }} />
      )}
      <Form<LoginForm>
        form={form}
        name="login"
        layout="vertical"
        size="large"
        onFinish={onFinish}
        requiredMark={false}
      >
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
        >
          <Input
            prefix={<UserOutlined />}
            autoComplete="username"
            autoFocus
            data-testid="login-username"
            placeholder={t('login.username')}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password
            prefix={<LockOutlined />}
            autoComplete="current-password"
            data-testid="login-password"
            placeholder={t('login.password')}
          />
        </Form.Item>
        {needTotp && (
          <Form.Item
            name="totpCode"
            label={t('login.totpCode')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpCodeRule') }]}
          >
            <Input
              prefix={<SafetyOutlined />}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              data-testid="login-totp"
              placeholder="123456"
            />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <a href="/h5/login" data-testid="login-h5-link">
          {t('login.toH5')}
        </a>
      </div>
    </AuthShell>
  );
}
