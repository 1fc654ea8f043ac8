import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router-dom';
import { SessionProvider } from '../shared/session.tsx';
import { AdminRoutes } from './AdminRoutes.tsx';

export const THEME = {
  token: { colorPrimary: '#c8102e', borderRadius: 6 },
};

export function AdminRoot() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en-US' ? enUS : zhCN;
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <ConfigProvider locale={locale} theme={THEME}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <AdminRoutes />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
