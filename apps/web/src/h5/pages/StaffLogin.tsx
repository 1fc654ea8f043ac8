import { Button, Form, NavBar, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import type { LoginReply } from '../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { useSession } from '../../shared/session.tsx';
import { H5LangSwitch } from '../components/H5LangSwitch.tsx';
import { MobileInput } from '../components/MobileInput.tsx';

interface Values {
  username: string;
  password: string;
  totpCode?: string;
}

/** Username/password for liaisons and other staff who have accounts. */
export function StaffLoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { status, user, accept } = useSession();
  const navigate = useNavigate();
  const [needTotp, setNeedTotp] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  if (status === 'authenticated' && user && !submitting) return <Navigate to="/" replace />;

  const onFinish = async (v: Values) => {
    setSubmitting(true);
    try {
      const reply = await api<LoginReply>('/auth/login', {
        method: 'POST',
        noAuthRedirect: true,
        body: {
          username: v.username.trim(),
          password: v.password,
          ...(needTotp && v.totpCode ? { totpCode: v.totpCode.trim() } : {}),
        },
      });
      accept(reply);
      navigate(reply.user.mustChangePassword ? '/change-password' : '/', { replace: true });
    } catch (e) {
      if (e instanceof ApiClientError && e.code === 'TOTP_REQUIRED') {
        setNeedTotp(true);
        Toast.show({ content: t('login.totpHint') });
      } else {
        if (e instanceof ApiClientError && e.code === 'TOTP_INVALID') setNeedTotp(true);
        Toast.show({ icon: 'fail', content: errorMessage(e, t) });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="h5-page">
      <NavBar onBack={() => navigate('/login')} right={<H5LangSwitch className="h5-lang-plain" />} backIcon>
        {t('h5.staff.title')}
      </NavBar>
      <div style={{ padding: '8px 16px' }} className="h5-muted">
        {t('h5.staff.subtitle')}
      </div>
      <Form
        form={form}
        layout="horizontal"
        onFinish={onFinish}
        requiredMarkStyle="none"
        footer={
          <Button
            block
            type="submit"
            color="primary"
            size="large"
            loading={submitting}
            data-testid="h5-staff-login"
          >
            {t('login.submit')}
          </Button>
        }
      >
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('login.usernameRequired') }]}
        >
          <MobileInput testId="h5-staff-username" autoComplete="username" placeholder={t('login.username')} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <MobileInput
            testId="h5-staff-password"
            type="password"
            autoComplete="current-password"
            placeholder={t('login.password')}
          />
        </Form.Item>
        {needTotp && (
          <Form.Item
            name="totpCode"
            label={t('login.totpCode')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpCodeRule') }]}
          >
            <MobileInput
              testId="h5-staff-totp"
              inputMode="numeric"
              maxLength={6}
              autoComplete="one-time-code"
            />
          </Form.Item>
        )}
      </Form>
      <p className="h5-center">
        <Link to="/login" data-testid="h5-phone-link">
          {t('h5.staff.phoneLink')}
        </Link>
      </p>
    </div>
  );
}
