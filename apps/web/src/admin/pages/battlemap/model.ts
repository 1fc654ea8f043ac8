/** Battle map API shapes as the console uses them (see apps/server/src/modules/campaigns/battlemap). */
import {
  type Color,
  type ColorReason,
  colorReasonText,
} from '../../../../../../packages/contracts/src/index.ts';
import { currentLanguage } from '../../../shared/i18n.ts';

export type ColorCounts = Record<Color, number>;

export interface Summary {
  color: Color | null;
  counts: ColorCounts;
  instances: number;
  progress: number;
}

export interface CampaignRef {
  id: string;
  name: string;
  year: number;
  status: string;
}

export interface MatrixCell extends Summary {
  activityId: string;
  unitId: string;
  color: Color;
  reason: ColorReason | null;
}

export interface BattleMap {
  campaign: CampaignRef;
  filters: {
    phases: { id: string; name: string; startsOn: string | null; endsOn: string | null }[];
    sections: { id: string; numeral: string; title: string }[];
    groups: { id: string; name: string }[];
  };
  activities: {
    id: string;
    parentId: string | null;
    numeral: string;
    name: string;
    sectionId: string;
    section: string;
    leadUnit: string | null;
    summary: Summary;
  }[];
  units: { id: string; name: string; shortName: string | null; summary: Summary }[];
  cells: MatrixCell[];
  totals: Summary & { cells: ColorCounts };
}

export interface RankedUnit {
  rank: number;
  unitId: string;
  name: string;
  counts: ColorCounts;
  instances: number;
  counted: number;
  done: number;
  completionRate: number | null;
  timeliness: number | null;
  late: number;
  avgLateWorkingDays: number;
  /** Citizen cases created in the campaign's window (issue #5): 首接, on-time answer rate, mean rating. */
  casesReceived: number;
  caseOnTimeRate: number | null;
  caseSatisfaction: number | null;
}

export interface Rankings {
  campaign: CampaignRef;
  asOf: string;
  groups: { id: string; name: string }[];
  casePeriod: { from: string; to: string };
  units: RankedUnit[];
}

export interface CellReport {
  id: string;
  state: string;
  summary: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  similarFlags: number;
  evidence: number;
}

export interface CellDetail {
  campaign: CampaignRef;
  activity: { id: string; numeral: string; name: string };
  unit: { id: string; name: string };
  instances: {
    id: string;
    taskId: string;
    task: string;
    role: string;
    cycle: string;
    startsOn: string;
    dueOn: string;
    color: Color;
    reason: ColorReason | null;
    progress: number;
    weight: number;
    acceptedReports: number;
    pendingReports: number;
    doneOn: string | null;
    reports: CellReport[];
    history: {
      at: string;
      previous: Color | null;
      color: Color;
      reason: ColorReason | null;
      cause: 'create' | 'review' | 'sweep' | 'edit';
    }[];
  }[];
}

export interface TownshipStatus extends Summary {
  unitId: string;
  name: string;
  onMap: boolean;
}

export interface TownshipMapData {
  campaign: CampaignRef;
  schematic: boolean;
  source: string;
  townships: TownshipStatus[];
  geojson: {
    type: 'FeatureCollection';
    features: { type: 'Feature'; properties: { name: string; color: Color | null }; geometry: unknown }[];
  };
}

export interface Cockpit {
  campaign: CampaignRef;
  totals: Summary;
  activities: number;
  units: number;
  supervision: Record<'reminder' | 'order' | 'interview' | 'circular', number>;
}

/** Worst first, as the legend lists them. */
export const LEGEND: Color[] = ['red', 'orange', 'yellow', 'blue', 'green'];

export const COLOR_HEX: Record<Color, string> = {
  green: '#52c41a',
  blue: '#1677ff',
  yellow: '#fadb14',
  orange: '#fa8c16',
  red: '#f5222d',
};

/** Text on a coloured cell: dark on the light yellow, white elsewhere. */
export const COLOR_INK: Record<Color, string> = {
  green: '#fff',
  blue: '#fff',
  yellow: '#614700',
  orange: '#fff',
  red: '#fff',
};

/** The grey of "no instances". */
export const NO_COLOR = '#f0f0f0';

/** The reason sentence in the reader's language (colorReasonText from the contracts). */
export function reasonSentence(color: Color, reason: ColorReason | null): string {
  if (!reason) return '';
  return colorReasonText(color, reason, currentLanguage() === 'en-US' ? 'en-US' : 'zh-CN');
}

/** The matrix narrowed to one unit's column. */
export const unitMatrixPath = (campaignId: string, unitId: string) =>
  `/battlemap?campaign=${campaignId}&scope=u:${unitId}`;

/** A unit's label in a narrow column: its short name when it has one. */
export function unitLabel(u: { name: string; shortName: string | null }): string {
  return u.shortName ?? u.name;
}
