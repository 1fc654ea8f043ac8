import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Logo } from '../AdminLayout.tsx';
import { LangSwitch } from './LangSwitch.tsx';

/** Centered card for the pages shown outside the layout (login, forced password change). */
export function AuthShell({
  title,
  children,
  extra,
}: {
  title: string;
  children: ReactNode;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: 'linear-gradient(160deg, #fff5f5 0%, #f5f5f5 45%, #eef3fb 100%)',
      }}
    >
      <Flex justify="space-between" align="center" style={{ padding: '12px 20px' }}>
        <Flex align="center" gap={8}>
          <Logo />
          <Typography.Text strong>{t('app.shortTitle')}</Typography.Text>
        </Flex>
        <Flex gap={4}>
          {extra}
          <LangSwitch />
        </Flex>
      </Flex>
      <Flex flex={1} align="center" justify="center" style={{ padding: 16 }}>
        <Card style={{ width: '100%', maxWidth: 420 }} styles={{ body: { padding: 28 } }}>
          <Typography.Title level={3} style={{ marginTop: 0, textAlign: 'center' }}>
            {title}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            {t('app.subtitle')}
          </Typography.Paragraph>
          {children}
        </Card>
      </Flex>
      <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 16, fontSize: 12 }}>
        {t('app.footer')}
      </Typography.Text>
    </div>
  );
}
