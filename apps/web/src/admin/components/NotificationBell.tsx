import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { useUnreadCount } from '../../shared/notifications.ts';

/** The header bell: the unread count (re-read on every navigation and every minute), opening the inbox. */
export function NotificationBell() {
  const { t } = useTranslation();
  const loc = useLocation();
  const navigate = useNavigate();
  const count = useUnreadCount(loc.pathname);
  return (
    <Tooltip title={t('inbox.title')}>
      <Button
        type="text"
        aria-label={t('inbox.title')}
        onClick={() => navigate('/inbox')}
        data-testid="notification-bell"
        data-unread={count ?? ''}
        icon={
          <Badge count={count ?? 0} size="small" overflowCount={99} offset={[4, -2]}>
            <BellOutlined style={{ fontSize: 16 }} />
          </Badge>
        }
      />
    </Tooltip>
  );
}
