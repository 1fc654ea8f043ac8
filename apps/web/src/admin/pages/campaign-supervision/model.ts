/** Supervision API shapes as the console uses them (see apps/server/src/modules/campaigns/supervision). */
import type { Color, SupervisionKind } from '../../../../../../packages/contracts/src/index.ts';

export interface SupervisionItem {
  id: string;
  campaignId: string;
  kind: SupervisionKind;
  number: string | null;
  unit: { id: string; name: string } | null;
  instance: { id: string; title: string; cycle: string; color: string } | null;
  body: string;
  automatic: boolean;
  color: Color | null;
  reason: string | null;
  suggestInterview: boolean;
  deadline: string | null;
  instanceIds: string[];
  interview: {
    interviewee: { name: string; post: string; phone: string | null };
    at: string;
    place: string;
    attendees: string[];
    topics: string;
    commitments: string;
  } | null;
  circular: { title: string; asOf: string; units: number; counts: Record<Color, number> } | null;
  fileId: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

/** A task instance as GET /api/campaigns/:id/instances lists it (the fields the forms use). */
export interface InstanceOption {
  id: string;
  taskTitle: string;
  unitId: string;
  unitName: string;
  cycle: string;
  color: Color;
  dueOn: string;
}

export const KIND_COLOR: Record<SupervisionKind, string> = {
  reminder: 'gold',
  order: 'red',
  interview: 'volcano',
  circular: 'purple',
};

export const COLOR_TAG: Record<Color, string> = {
  green: 'green',
  blue: 'blue',
  yellow: 'gold',
  orange: 'orange',
  red: 'red',
};

export const documentUrl = (campaignId: string, recordId: string) =>
  `/api/campaigns/${campaignId}/circulars/${recordId}/document`;
