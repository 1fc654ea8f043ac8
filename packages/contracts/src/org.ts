/** Organisation unit types (SPEC §1: committee → office → working groups, member units, townships, villages, practice centres). */
export const ORG_UNIT_TYPES = [
  'region',
  'committee',
  'office',
  'working_group',
  'member_unit',
  'township',
  'village',
  'practice_center',
  'practice_station',
  'other',
] as const;
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number];

export interface OrgUnit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  type: OrgUnitType;
  regionCode: string | null;
  sort: number;
  aliases: string[];
  createdAt: string;
  updatedAt: string;
}

export interface OrgGroup {
  id: string;
  name: string;
  description: string | null;
  /** Other spellings used in plans, e.g. 各乡镇(区、办) for 各乡镇（区、办）. */
  aliases: string[];
  memberIds: string[];
}
