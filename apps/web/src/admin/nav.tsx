import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FlagOutlined,
  FormOutlined,
  HeatMapOutlined,
  HomeOutlined,
  NotificationOutlined,
  PaperClipOutlined,
  ReconciliationOutlined,
  RobotOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SettingOutlined,
  SnippetsOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  path: string;
  /** i18n key of the menu label. */
  label: string;
  icon: ReactNode;
  /** Permission needed to see the entry; none = every signed-in staff user. */
  permission?: string;
}

export const NAV: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { path: '/inbox', label: 'nav.inbox', icon: <BellOutlined /> },
  { path: '/notices', label: 'nav.notices', icon: <NotificationOutlined /> },
  { path: '/campaigns', label: 'nav.campaigns', icon: <FlagOutlined />, permission: 'campaign:read' },
  { path: '/battlemap', label: 'nav.battlemap', icon: <HeatMapOutlined />, permission: 'campaign:read' },
  { path: '/cockpit', label: 'nav.cockpit', icon: <DashboardOutlined />, permission: 'campaign:read' },
  { path: '/half-year', label: 'nav.halfYear', icon: <SnippetsOutlined />, permission: 'campaign:read' },
  { path: '/ledger', label: 'nav.ledger', icon: <FormOutlined />, permission: 'campaign:read' },
  {
    path: '/campaign-supervision',
    label: 'nav.campaignSupervision',
    icon: <ReconciliationOutlined />,
    permission: 'campaign:read',
  },
  { path: '/matters', label: 'nav.matters', icon: <FileDoneOutlined />, permission: 'matter:read' },
  { path: '/supervision', label: 'nav.supervision', icon: <AlertOutlined />, permission: 'deadline:read' },
  { path: '/org', label: 'nav.org', icon: <ApartmentOutlined />, permission: 'org:read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user:read' },
  { path: '/roles', label: 'nav.roles', icon: <SafetyCertificateOutlined />, permission: 'role:read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit:read' },
  { path: '/calendar', label: 'nav.calendar', icon: <CalendarOutlined /> },
  { path: '/files', label: 'nav.files', icon: <PaperClipOutlined /> },
  { path: '/scheduler', label: 'nav.scheduler', icon: <FieldTimeOutlined />, permission: 'scheduler:read' },
  { path: '/settings/webhooks', label: 'nav.webhooks', icon: <RobotOutlined />, permission: 'webhook:write' },
  { path: '/settings/notifications', label: 'nav.notificationSettings', icon: <SettingOutlined /> },
  { path: '/security', label: 'nav.security', icon: <SafetyOutlined /> },
];

export function visibleNav(permissions: readonly string[]): NavItem[] {
  return NAV.filter((n) => !n.permission || permissions.includes(n.permission));
}
