import { Button, NavBar, Result } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { FEATURES } from '../features.tsx';

/** Placeholder behind every H5 entry point until its module ships. */
export function FeaturePage() {
  const { t } = useTranslation();
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const feature = FEATURES[key];
  if (!feature) return <Navigate to="/" replace />;
  return (
    <div className="h5-page" style={{ background: '#fff' }}>
      <NavBar onBack={() => navigate('/')}>{t(`h5.features.${key}.title`)}</NavBar>
      <Result
        status="waiting"
        title={t('h5.comingSoon.title')}
        description={t('h5.comingSoon.description', { feature: t(`h5.features.${key}.title`) })}
        data-testid="h5-coming-soon"
      />
      <div className="h5-form-footer">
        <Button block color="primary" onClick={() => navigate('/')} data-testid="h5-back-home">
          {t('h5.comingSoon.back')}
        </Button>
      </div>
    </div>
  );
}
