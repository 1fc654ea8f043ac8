/** Campaign API shapes as the console uses them (see apps/server/src/modules/campaigns). */
import type { ColorRules, TaskCadence, TaskTarget } from '../../../../../../packages/contracts/src/index.ts';
import type {
  Activity,
  ParsedPlan,
  Roles,
  WarningCode,
} from '../../../../../server/src/modules/campaigns/plan/types.ts';

export type { Activity, ColorRules, ParsedPlan, Roles, TaskCadence, TaskTarget, WarningCode };

export interface UnresolvedName {
  text: string;
  line: number;
  code: WarningCode;
}

export interface PlanPreview {
  plan: ParsedPlan;
  lines: string[];
  unresolved: UnresolvedName[];
}

export type CampaignStatus = 'draft' | 'active' | 'closed';

export interface CampaignListItem {
  id: string;
  name: string;
  year: number;
  docNo: string | null;
  issuedOn: string | null;
  status: CampaignStatus;
  startsOn: string | null;
  endsOn: string | null;
  activities: number;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignActivity {
  id: string;
  parentId: string | null;
  seq: number;
  numeral: string;
  name: string;
  description: string;
  cadence: string | null;
  deadlineText: string | null;
  deadlineOn: string | null;
  weight: number;
  sourceLines: number[];
  units: { unitId: string; name: string; role: 'lead' | 'co' }[];
}

export interface CampaignDetail extends Omit<CampaignListItem, 'activities'> {
  requiresUnitApproval: boolean;
  /** null: the default rules. */
  colorRules: ColorRules | null;
  copiedFrom: string | null;
  activatedAt: string | null;
  closedAt: string | null;
  version: number;
  phases: { id: string; seq: number; name: string; startsOn: string | null; endsOn: string | null }[];
  sections: { id: string; seq: number; numeral: string; title: string; activities: CampaignActivity[] }[];
}

export const STATUS_COLOR: Record<CampaignStatus, string> = {
  draft: 'default',
  active: 'processing',
  closed: 'success',
};

export type { DeploymentView } from '../../../../../server/src/modules/campaigns/tasks/deployments.ts';
export type { InstanceView, TaskView } from '../../../../../server/src/modules/campaigns/tasks/service.ts';
