import type { Color, ColorReason } from '../../../../../../packages/contracts/src/index.ts';

export type HalfYearState = 'draft' | 'submitted' | 'accepted' | 'returned';
export const SECTIONS = ['progressText', 'practices', 'problems', 'plans'] as const;
export type SectionName = (typeof SECTIONS)[number];
/** The server's limit per section. */
export const SECTION_MAX = 5000;

export const STATE_COLOR: Record<HalfYearState, string> = {
  draft: 'default',
  submitted: 'processing',
  accepted: 'success',
  returned: 'error',
};

/** antd Tag colours of the four (five) ledger colours. */
export const COLOR_TAG: Record<Color, string> = {
  green: 'success',
  blue: 'processing',
  yellow: 'gold',
  orange: 'orange',
  red: 'error',
};

export interface HalfYearStats {
  period: string;
  from: string;
  to: string;
  asOf: string;
  instances: number;
  done: number;
  byColor: Record<Color, number>;
  reports: { accepted: number; pending: number; returned: number };
  evidence: number;
  overdue: {
    instanceId: string;
    activity: string;
    task: string;
    cycle: string;
    due: string;
    color: Color;
    reason: ColorReason;
  }[];
  tasks: {
    taskId: string;
    activity: string;
    title: string;
    instances: number;
    done: number;
    targets: { label: string; measure: string; target: number; amount: number }[];
  }[];
}

export interface HalfYearReport {
  id: string;
  campaign: { id: string; name: string; status: string };
  unit: { id: string; name: string };
  period: string;
  state: HalfYearState;
  version: number;
  progressText: string;
  practices: string;
  problems: string;
  plans: string;
  stats: HalfYearStats;
  submittedAt: string | null;
  reviewedAt: string | null;
  returnReason: string | null;
  createdAt: string;
  updatedAt: string;
  allowedActions: string[];
  editable: boolean;
}

export interface HalfYearUnitRow {
  unit: { id: string; name: string };
  instances: number;
  done: number;
  byColor: Record<Color, number>;
  report: {
    id: string;
    state: HalfYearState;
    version: number;
    submittedAt: string | null;
    reviewedAt: string | null;
    updatedAt: string;
  } | null;
}

export interface HalfYearList {
  campaign: { id: string; name: string; status: string };
  period: string | null;
  periods: string[];
  canOpen: boolean;
  canCompile: boolean;
  units: HalfYearUnitRow[];
}

export interface TimelineEntry {
  seq: number;
  at: string;
  actorName: string | null;
  from: string | null;
  action: string;
  to: string;
  note: string | null;
}
