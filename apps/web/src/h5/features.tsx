import {
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CameraOutlined,
  CheckSquareOutlined,
  ClockCircleOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FormOutlined,
  GiftOutlined,
  NotificationOutlined,
  ProfileOutlined,
  ScanOutlined,
  SolutionOutlined,
  SoundOutlined,
  StarOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from '../../../../packages/contracts/src/index.ts';

export interface Feature {
  key: string;
  icon: ReactNode;
  color: string;
  /** The page behind the entry, once its module has shipped (else the coming-soon page). */
  to?: string;
}

/** H5 entry points per role; the pages behind them arrive in later releases. */
export const FEATURES: Record<string, Feature> = {
  report: { key: 'report', icon: <CameraOutlined />, color: '#c8102e', to: '/cases/new' },
  myCases: { key: 'myCases', icon: <ProfileOutlined />, color: '#1677ff', to: '/cases' },
  publicCases: { key: 'publicCases', icon: <EyeOutlined />, color: '#13c2c2', to: '/public-cases' },
  points: { key: 'points', icon: <GiftOutlined />, color: '#fa8c16' },
  notices: { key: 'notices', icon: <SoundOutlined />, color: '#fa8c16', to: '/notices' },
  matters: { key: 'matters', icon: <SolutionOutlined />, color: '#c8102e', to: '/matters' },
  deployments: { key: 'deployments', icon: <NotificationOutlined />, color: '#c8102e' },
  tasks: { key: 'tasks', icon: <FormOutlined />, color: '#1677ff', to: '/ledger' },
  activities: { key: 'activities', icon: <CalendarOutlined />, color: '#52c41a' },
  hours: { key: 'hours', icon: <ClockCircleOutlined />, color: '#13c2c2' },
  inspections: { key: 'inspections', icon: <CheckSquareOutlined />, color: '#722ed1' },
  reviews: { key: 'reviews', icon: <StarOutlined />, color: '#faad14' },
  redeem: { key: 'redeem', icon: <ScanOutlined />, color: '#fa541c' },
  approvals: { key: 'approvals', icon: <FileDoneOutlined />, color: '#2f54eb' },
  cockpit: { key: 'cockpit', icon: <BarChartOutlined />, color: '#eb2f96' },
  supervision: { key: 'supervision', icon: <AuditOutlined />, color: '#595959' },
};

const BY_ROLE: Record<Role, string[]> = {
  citizen: ['report', 'myCases', 'publicCases', 'points'],
  liaison: ['matters', 'notices', 'deployments', 'tasks'],
  volunteer: ['activities', 'hours'],
  inspector: ['inspections'],
  expert: ['reviews'],
  merchant: ['redeem'],
  unit_head: ['matters', 'notices', 'tasks', 'approvals'],
  leader: ['cockpit'],
  working_group: ['supervision'],
  office_admin: ['supervision', 'cockpit'],
  system_admin: [],
};

/** The union of the roles' entry points, in role order, without duplicates. */
export function featuresFor(roles: readonly Role[]): Feature[] {
  const keys = [...new Set(roles.flatMap((r) => BY_ROLE[r] ?? []))];
  return keys.map((k) => FEATURES[k]).filter((f): f is Feature => !!f);
}
