import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../../shared/i18n.ts';

/** Toggles between 中文 and English; the label names the language you switch to. */
export function LangSwitch({ type = 'text' }: { type?: 'text' | 'default' | 'link' }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const next = lang === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <Button
      type={type}
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      data-lang={lang}
      title={t('common.switchLanguage')}
      onClick={() => void changeLanguage(next)}
    >
      {next === 'en-US' ? 'English' : '中文'}
    </Button>
  );
}
