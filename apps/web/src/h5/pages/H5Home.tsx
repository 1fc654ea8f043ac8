import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Dialog, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { STAFF_ROLES } from '../../../../../packages/contracts/src/index.ts';
import { useUnreadCount } from '../../shared/notifications.ts';
import { useSession } from '../../shared/session.tsx';
import { Hero } from '../components/Hero.tsx';
import { featuresFor } from '../features.tsx';

export function H5HomePage() {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const unread = useUnreadCount();
  if (!user) return null;
  const features = featuresFor(user.roles);
  const isStaff = user.roles.some((r) => STAFF_ROLES.includes(r));

  const onLogout = async () => {
    const ok = await Dialog.confirm({
      content: t('h5.home.logoutConfirm'),
      confirmText: t('common.logout'),
      cancelText: t('common.cancel'),
    });
    if (!ok) return;
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <div className="h5-page">
      <Hero
        title={t('h5.home.hello', { name: user.displayName })}
        subtitle={t('h5.home.subtitle')}
        right={
          <Link
            to="/inbox"
            className="h5-link-button"
            aria-label={t('inbox.title')}
            data-testid="h5-inbox-link"
          >
            <Badge content={unread ? String(unread) : null} data-testid="h5-inbox-badge">
              <BellOutlined style={{ fontSize: 16 }} />
            </Badge>
          </Link>
        }
      />
      <div className="h5-card" data-testid="h5-user-card">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
          <div style={{ minWidth: 0 }}>
            <div style={{ fontSize: 17, fontWeight: 600 }} data-testid="h5-user-name">
              {user.displayName}
            </div>
            <div className="h5-muted" data-testid="h5-user-unit" style={{ marginTop: 4 }}>
              {user.unitName ?? (user.phone ? user.phone : t('h5.home.noUnit'))}
            </div>
          </div>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, justifyContent: 'flex-end' }}>
            {user.roles.map((r) => (
              <Tag key={r} color="primary" fill="outline">
                {t(`roles.${r}`)}
              </Tag>
            ))}
          </div>
        </div>
      </div>

      <div className="h5-section-title">{t('h5.home.services')}</div>
      {features.length ? (
        <div className="h5-grid" data-testid="h5-features">
          {features.map((f) => (
            <Link
              key={f.key}
              to={f.to ?? `/feature/${f.key}`}
              className="h5-tile"
              data-testid={`h5-feature-${f.key}`}
            >
              <span className="h5-tile-icon" style={{ color: f.color }}>
                {f.icon}
              </span>
              <span className="h5-tile-title">{t(`h5.features.${f.key}.title`)}</span>
              <span className="h5-tile-desc">{t(`h5.features.${f.key}.desc`)}</span>
            </Link>
          ))}
        </div>
      ) : (
        <p className="h5-muted" style={{ margin: '0 16px' }}>
          {t('h5.home.noFeatures')}
        </p>
      )}

      {isStaff && (
        <p className="h5-center" style={{ margin: '20px 16px 0' }}>
          <a href="/" data-testid="h5-admin-link">
            {t('h5.home.adminConsole')}
          </a>
        </p>
      )}

      <div className="h5-form-footer">
        <Button block fill="outline" onClick={() => void onLogout()} data-testid="logout">
          {t('common.logout')}
        </Button>
      </div>
    </div>
  );
}
