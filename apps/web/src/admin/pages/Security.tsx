import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Input,
  QRCode,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { useSession } from '../../shared/session.tsx';
import { ChangePasswordForm } from '../components/ChangePasswordForm.tsx';

interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

/** Own account: password and the TOTP second factor. */
export function SecurityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user, refresh } = useSession();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [codeError, setCodeError] = useState<string | null>(null);
  if (!user) return null;

  const validCode = /^\d{6}$/.test(code);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setCodeError(null);
    try {
      await fn();
    } catch (e) {
      setCodeError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const startSetup = () =>
    run(async () => {
      setSetup(await api<TotpSetup>('/auth/totp/setup', { method: 'POST' }));
      setCode('');
    });

  const enable = () =>
    run(async () => {
      await api('/auth/totp/enable', { method: 'POST', body: { code } });
      message.success(t('security.totpEnabled'));
      setSetup(null);
      setCode('');
      await refresh();
    });

  const disable = () =>
    run(async () => {
      await api('/auth/totp/disable', { method: 'POST', body: { code } });
      message.success(t('security.totpDisabled'));
      setCode('');
      await refresh();
    });

  const codeInput = (testId: string, onEnter: () => void) => (
    <Input
      value={code}
      onChange={(e) => {
        setCode(e.target.value.replace(/\D/g, '').slice(0, 6));
        setCodeError(null);
      }}
      onPressEnter={() => validCode && onEnter()}
      inputMode="numeric"
      autoComplete="one-time-code"
      placeholder="123456"
      maxLength={6}
      status={codeError ? 'error' : undefined}
      style={{ width: 160 }}
      data-testid={testId}
    />
  );

  return (
    <PageContainer title={t('security.title')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('security.account')} style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('users.username')}>{user.username ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('users.displayName')}>{user.displayName}</Descriptions.Item>
              <Descriptions.Item label={t('users.unit')}>{user.unitName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('users.phone')}>{user.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('users.roles')}>
                <Space size={[4, 4]} wrap>
                  {user.roles.map((r) => (
                    <Tag key={r}>{t(`roles.${r}`)}</Tag>
                  ))}
                </Space>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('security.changePassword')}>
            <ChangePasswordForm onDone={() => undefined} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={t('security.totp')}
            extra={
              user.totpEnabled ? (
                <Tag color="green" data-testid="security-totp-status">
                  {t('security.totpOn')}
                </Tag>
              ) : (
                <Tag data-testid="security-totp-status">{t('security.totpOff')}</Tag>
              )
            }
          >
            <Typography.Paragraph type="secondary">{t('security.totpIntro')}</Typography.Paragraph>
            {codeError && (
              <Alert
                type="error"
                showIcon
                message={codeError}
                style={{ marginBottom: 12 }}
                data-testid="security-totp-error"
              />
            )}
            {!user.totpEnabled && !setup && (
              <Button
                type="primary"
                loading={busy}
                onClick={() => void startSetup()}
                data-testid="security-totp-setup"
              >
                {t('security.totpSetup')}
              </Button>
            )}
            {!user.totpEnabled && setup && (
              <Flex vertical gap={12}>
                <Typography.Text>{t('security.totpStep1')}</Typography.Text>
                <Flex gap={16} wrap align="flex-start">
                  <QRCode value={setup.otpauthUrl} size={168} bordered data-testid="security-totp-qr" />
                  <Flex vertical gap={6} style={{ minWidth: 0, flex: 1 }}>
                    <Typography.Text type="secondary">{t('security.totpSecret')}</Typography.Text>
                    <Typography.Text code copyable strong data-testid="security-totp-secret">
                      {setup.secret}
                    </Typography.Text>
                    <Typography.Text type="secondary">{t('security.totpUrl')}</Typography.Text>
                    <Typography.Paragraph
                      copyable
                      style={{ wordBreak: 'break-all', fontSize: 12, marginBottom: 0 }}
                      data-testid="security-totp-url"
                    >
                      {setup.otpauthUrl}
                    </Typography.Paragraph>
                  </Flex>
                </Flex>
                <Typography.Text>{t('security.totpStep2')}</Typography.Text>
                <Space wrap>
                  {codeInput('security-totp-code', () => void enable())}
                  <Button
                    type="primary"
                    disabled={!validCode}
                    loading={busy}
                    onClick={() => void enable()}
                    data-testid="security-totp-enable"
                  >
                    {t('security.totpEnable')}
                  </Button>
                  <Button
                    onClick={() => {
                      setSetup(null);
                      setCode('');
                      setCodeError(null);
                    }}
                  >
                    {t('common.cancel')}
                  </Button>
                </Space>
              </Flex>
            )}
            {user.totpEnabled && (
              <Flex vertical gap={12}>
                <Typography.Text>{t('security.totpDisableHint')}</Typography.Text>
                <Space wrap>
                  {codeInput('security-totp-disable-code', () => void disable())}
                  <Button
                    danger
                    disabled={!validCode}
                    loading={busy}
                    onClick={() => void disable()}
                    data-testid="security-totp-disable"
                  >
                    {t('security.totpDisable')}
                  </Button>
                </Space>
              </Flex>
            )}
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
