import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../../shared/i18n.ts';

export function H5LangSwitch({ className = 'h5-link-button' }: { className?: string }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const next = lang === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <button
      type="button"
      className={className}
      data-testid="lang-switch"
      data-lang={lang}
      aria-label={t('common.switchLanguage')}
      onClick={() => void changeLanguage(next)}
    >
      {next === 'en-US' ? 'English' : '中文'}
    </button>
  );
}
