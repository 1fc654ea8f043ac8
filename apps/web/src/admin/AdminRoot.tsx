import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router-dom';
import { SessionProvider } from '../shared/session.tsx';
import { AdminRoutes } from './AdminRoutes.tsx';

const THEME_TOKEN = { colorPrimary: '#c8102e', borderRadius: 6 };

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/** Whether the user asked the system for less motion (followed live; antd then draws no animations). */
function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(REDUCED_MOTION);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(REDUCED_MOTION).matches,
  );
}

export function AdminRoot() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en-US' ? enUS : zhCN;
  const reducedMotion = usePrefersReducedMotion();
  const theme = useMemo(() => ({ token: { ...THEME_TOKEN, motion: !reducedMotion } }), [reducedMotion]);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <ConfigProvider locale={locale} theme={theme}>
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
