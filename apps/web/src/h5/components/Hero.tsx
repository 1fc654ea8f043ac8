import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { H5LangSwitch } from './H5LangSwitch.tsx';

/** The red header band shared by the H5 pages. */
export function Hero({ title, subtitle, right }: { title: string; subtitle?: string; right?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="h5-hero">
      <div className="h5-topbar">
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <span className="h5-logo" aria-hidden>
            文
          </span>
          <span style={{ fontSize: 14, opacity: 0.9 }}>{t('h5.brand')}</span>
        </span>
        <span style={{ display: 'flex', gap: 8 }}>
          {right}
          <H5LangSwitch />
        </span>
      </div>
      <h1>{title}</h1>
      {subtitle && <p>{subtitle}</p>}
    </div>
  );
}
