import { BankOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { ProLayout } from '@ant-design/pro-components';
import { Button, Grid, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../shared/session.tsx';
import { LangSwitch } from './components/LangSwitch.tsx';
import { NotificationBell } from './components/NotificationBell.tsx';
import { menuRoutes, selectedNavPath } from './nav.tsx';

export function Logo() {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-grid',
        placeItems: 'center',
        width: 28,
        height: 28,
        borderRadius: 6,
        background: '#c8102e',
        color: '#fff',
        fontWeight: 700,
        fontSize: 16,
        fontFamily: 'serif',
        lineHeight: '28px',
        verticalAlign: 'middle',
        flex: 'none',
      }}
    >
      文
    </span>
  );
}

export function AdminLayout() {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const loc = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const compact = !screens.md;
  if (!user) return null;

  const routes = menuRoutes(user.permissions, t);
  const selected = selectedNavPath(loc.pathname);

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <ProLayout
      title={t('app.shortTitle')}
      logo={<Logo />}
      layout="mix"
      fixSiderbar
      fixedHeader
      siderWidth={208}
      location={{ pathname: loc.pathname }}
      selectedKeys={selected ? [selected] : []}
      route={{ path: '/', routes }}
      menu={{ locale: false }}
      token={{
        header: { colorBgHeader: '#fff' },
        pageContainer: { paddingInlinePageContainerContent: compact ? 12 : 40 },
      }}
      menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
      onMenuHeaderClick={() => navigate('/')}
      actionsRender={() => [
        !compact && user.unitName ? (
          <Space key="unit" size={4} data-testid="header-unit" style={{ lineHeight: '22px' }}>
            <BankOutlined />
            <Typography.Text ellipsis style={{ maxWidth: 220 }}>
              {user.unitName}
            </Typography.Text>
          </Space>
        ) : null,
        <Space key="user" size={4} data-testid="header-user" style={{ lineHeight: '22px' }}>
          <UserOutlined />
          <Typography.Text ellipsis style={{ maxWidth: compact ? 96 : 160 }}>
            {user.displayName}
          </Typography.Text>
        </Space>,
        <NotificationBell key="bell" />,
        <LangSwitch key="lang" />,
        <Tooltip key="logout" title={t('common.logout')}>
          <Button type="text" icon={<LogoutOutlined />} data-testid="logout" onClick={() => void onLogout()}>
            {compact ? null : t('common.logout')}
          </Button>
        </Tooltip>,
      ]}
    >
      <Outlet />
    </ProLayout>
  );
}
