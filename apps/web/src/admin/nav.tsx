import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BranchesOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  CommentOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FlagOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  HeatMapOutlined,
  HomeOutlined,
  InboxOutlined,
  KeyOutlined,
  NotificationOutlined,
  PaperClipOutlined,
  ReconciliationOutlined,
  RobotOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SettingOutlined,
  SnippetsOutlined,
  StopOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  path: string;
  /** i18n key of the menu label. */
  label: string;
  icon: ReactNode;
  /** Permission needed to see the entry; none = every signed-in staff user. */
  permission?: string;
  /** A submenu (key of NAV_GROUPS) the entry sits in; none = the top level. */
  group?: keyof typeof NAV_GROUPS;
}

/** Submenus: label (i18n key) and icon; shown where the first visible entry of the group would be. */
export const NAV_GROUPS = {
  cases: { label: 'nav.groups.cases', icon: <CommentOutlined /> },
} satisfies Record<string, { label: string; icon: ReactNode }>;

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
  {
    path: '/cases/queue',
    label: 'nav.caseQueue',
    icon: <InboxOutlined />,
    permission: 'case:dispatch',
    group: 'cases',
  },
  {
    path: '/cases',
    label: 'nav.caseList',
    icon: <UnorderedListOutlined />,
    permission: 'case:read',
    group: 'cases',
  },
  {
    path: '/cases/categories',
    label: 'nav.caseCategories',
    icon: <BranchesOutlined />,
    permission: 'case:admin',
    group: 'cases',
  },
  {
    path: '/case-bans',
    label: 'nav.caseBans',
    icon: <StopOutlined />,
    permission: 'case:moderate',
    group: 'cases',
  },
  {
    path: '/cases/stats',
    label: 'nav.caseStats',
    icon: <BarChartOutlined />,
    permission: 'case:read',
    group: 'cases',
  },
  {
    path: '/cases/board',
    label: 'nav.caseBoard',
    icon: <FundProjectionScreenOutlined />,
    permission: 'case:read',
    group: 'cases',
  },
  {
    path: '/cases/hotline-import',
    label: 'nav.hotlineImport',
    icon: <CloudUploadOutlined />,
    permission: 'case:dispatch',
    group: 'cases',
  },
  {
    path: '/cases/api-keys',
    label: 'nav.apiKeys',
    icon: <KeyOutlined />,
    permission: 'case:admin',
    group: 'cases',
  },
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

export interface MenuRoute {
  path: string;
  name: string;
  icon: ReactNode;
  children?: MenuRoute[];
}

/**
 * The menu of ProLayout: the visible entries, those of a group gathered into its submenu (placed where the
 * group's first visible entry is; a group with no visible entry is left out).
 */
export function menuRoutes(permissions: readonly string[], t: (key: string) => string): MenuRoute[] {
  const out: MenuRoute[] = [];
  const groups = new Map<string, MenuRoute>();
  for (const n of visibleNav(permissions)) {
    const item: MenuRoute = { path: n.path, name: t(n.label), icon: n.icon };
    if (!n.group) {
      out.push(item);
      continue;
    }
    let group = groups.get(n.group);
    if (!group) {
      const g = NAV_GROUPS[n.group];
      group = { path: `/group/${n.group}`, name: t(g.label), icon: g.icon, children: [] };
      groups.set(n.group, group);
      out.push(group);
    }
    group.children?.push(item);
  }
  return out;
}

/**
 * The one menu entry to highlight: the longest entry path that is the location or a parent of it (ProLayout
 * would highlight every entry whose path is a prefix, e.g. both /cases and /cases/queue).
 */
export function selectedNavPath(pathname: string): string | undefined {
  let best: string | undefined;
  for (const n of NAV) {
    const hit = n.path === '/' ? pathname === '/' : pathname === n.path || pathname.startsWith(`${n.path}/`);
    if (hit && (!best || n.path.length > best.length)) best = n.path;
  }
  return best;
}
