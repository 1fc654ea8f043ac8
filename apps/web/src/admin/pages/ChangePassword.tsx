import { LogoutOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../../shared/session.tsx';
import { AuthShell } from '../components/AuthShell.tsx';
import { ChangePasswordForm } from '../components/ChangePasswordForm.tsx';

/** Standalone page; the only one reachable while `mustChangePassword` is set. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { user, refresh, logout } = useSession();
  const navigate = useNavigate();
  const onDone = async () => {
    const u = await refresh().catch(() => null);
    navigate(u ? '/' : '/login', { replace: true });
  };
  return (
    <AuthShell
      title={t('password.title')}
      extra={
        <Button
          type="text"
          icon={<LogoutOutlined />}
          data-testid="logout"
          onClick={() => void logout().then(() => navigate('/login', { replace: true }))}
        >
          {t('common.logout')}
        </Button>
      }
    >
      {user?.mustChangePassword && (
        <Alert type="warning" showIcon message={t('password.mustChange')} style={{ marginBottom: 16 }} />
      )}
      <ChangePasswordForm onDone={onDone} />
    </AuthShell>
  );
}
