import { Button, Form, NoticeBar, Toast } from 'antd-mobile';
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import type { LoginReply } from '../../../../../packages/contracts/src/index.ts';
import { ApiClientError, api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { useSession } from '../../shared/session.tsx';
import { Hero } from '../components/Hero.tsx';
import { MobileInput } from '../components/MobileInput.tsx';

const PHONE_RE = /^1[3-9]\d{9}$/;
const DEFAULT_WAIT = 60;

/** How long to wait after a 429: the Retry-After header, else the number in the message, else 60 s. */
function waitOf(e: ApiClientError): number {
  const fromMessage = Number(/\d+/.exec(e.message)?.[0]);
  const s = e.retryAfter ?? (Number.isFinite(fromMessage) && fromMessage > 0 ? fromMessage : DEFAULT_WAIT);
  return Math.min(Math.max(Math.ceil(s), 1), 3600);
}

interface Values {
  phone: string;
  code: string;
}

export function PhoneLoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { status, user, accept } = useSession();
  const navigate = useNavigate();
  const [left, setLeft] = useState(0);
  const [sending, setSending] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const timer = useRef<number | null>(null);
  const expired = useSearchParams()[0].get('reason') === 'expired';

  useEffect(
    () => () => {
      if (timer.current) window.clearInterval(timer.current);
    },
    [],
  );

  if (status === 'authenticated' && user && !submitting) return <Navigate to="/" replace />;

  const startCountdown = (seconds: number) => {
    setLeft(seconds);
    if (timer.current) window.clearInterval(timer.current);
    timer.current = window.setInterval(() => {
      setLeft((s) => {
        if (s <= 1 && timer.current) {
          window.clearInterval(timer.current);
          timer.current = null;
        }
        return Math.max(0, s - 1);
      });
    }, 1000);
  };

  const sendCode = async () => {
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    const phone = String(form.getFieldValue('phone') ?? '').trim();
    setSending(true);
    try {
      const r = await api<{ sent: boolean; retryAfterSeconds?: number }>('/auth/sms/send', {
        method: 'POST',
        noAuthRedirect: true,
        body: { phone },
      });
      Toast.show({ icon: 'success', content: t('h5.login.codeSent') });
      startCountdown(r.retryAfterSeconds && r.retryAfterSeconds > 0 ? r.retryAfterSeconds : DEFAULT_WAIT);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e, t) });
      if (e instanceof ApiClientError && e.code === 'RATE_LIMITED') startCountdown(waitOf(e));
    } finally {
      setSending(false);
    }
  };

  const onFinish = async (v: Values) => {
    setSubmitting(true);
    try {
      const reply = await api<LoginReply>('/auth/sms/login', {
        method: 'POST',
        noAuthRedirect: true,
        body: { phone: v.phone.trim(), code: v.code.trim() },
      });
      accept(reply);
      navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ApiClientError && e.fields.length) {
        form.setFields(
          e.fields
            .filter((f) => f.field.endsWith('phone') || f.field.endsWith('code'))
            .map((f) => ({ name: f.field.endsWith('phone') ? 'phone' : 'code', errors: [f.message] })),
        );
      }
      Toast.show({ icon: 'fail', content: errorMessage(e, t) });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="h5-page">
      <Hero title={t('h5.login.title')} subtitle={t('h5.login.subtitle')} />
      {expired && <NoticeBar content={t('login.expired')} color="alert" wrap data-testid="login-expired" />}
      <div className="h5-card" style={{ padding: 0, overflow: 'hidden' }}>
        <Form
          form={form}
          layout="horizontal"
          onFinish={onFinish}
          requiredMarkStyle="none"
          style={{ '--prefix-width': '4.5em' } as CSSProperties}
          footer={
            <Button
              block
              type="submit"
              color="primary"
              size="large"
              loading={submitting}
              data-testid="h5-login"
            >
              {t('h5.login.submit')}
            </Button>
          }
        >
          <Form.Item
            name="phone"
            label={t('h5.login.phone')}
            rules={[
              { required: true, message: t('h5.login.phoneRequired') },
              { pattern: PHONE_RE, message: t('h5.login.phoneRule') },
            ]}
          >
            <MobileInput
              testId="h5-phone"
              type="tel"
              inputMode="numeric"
              maxLength={11}
              autoComplete="tel"
              placeholder={t('h5.login.phonePlaceholder')}
            />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('h5.login.code')}
            rules={[
              { required: true, message: t('h5.login.codeRequired') },
              { pattern: /^\d{6}$/, message: t('h5.login.codeRule') },
            ]}
            extra={
              <Button
                size="small"
                color="primary"
                fill="none"
                disabled={left > 0 || sending}
                loading={sending}
                onClick={() => void sendCode()}
                data-testid="h5-send-code"
                style={{ whiteSpace: 'nowrap' }}
              >
                {left > 0 ? t('h5.login.resendIn', { seconds: left }) : t('h5.login.sendCode')}
              </Button>
            }
          >
            <MobileInput
              testId="h5-code"
              inputMode="numeric"
              maxLength={6}
              autoComplete="one-time-code"
              placeholder={t('h5.login.codePlaceholder')}
            />
          </Form.Item>
        </Form>
      </div>
      <p className="h5-muted h5-center" style={{ padding: '0 24px' }}>
        {t('h5.login.agreement')}
      </p>
      <p className="h5-center">
        <Link to="/staff-login" data-testid="h5-staff-link">
          {t('h5.login.staffLink')}
        </Link>
      </p>
    </div>
  );
}
