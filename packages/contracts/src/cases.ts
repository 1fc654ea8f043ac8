/**
 * Citizen cases (文明随手拍 / 群众说事 / 12345 / Open311): states, actions, SLA classes and default
 * categories. Shared by the server (the machine, routing, SLA) and the web (labels, buttons, forms).
 */

/**
 * 待受理 → 已派单 → 已签收 → 处理中 → 已答复 → 待评价 → 已办结, plus 不满意 (rated 1–2: the office
 * decides redo or close; the citizen may ask for a redo), 已合并 (duplicate) and 不予受理 (invalid).
 * A closed case may be reopened by its reporter within CASE_REOPEN_DAYS, so only merged and rejected
 * are final.
 */
export const CASE_STATES = [
  'pending',
  'dispatched',
  'signed',
  'processing',
  'answered',
  'rating',
  'unsatisfied',
  'closed',
  'merged',
  'rejected',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which a unit or the office still owes the citizen something. */
export const CASE_OPEN_STATES: readonly CaseState[] = [
  'pending',
  'dispatched',
  'signed',
  'processing',
  'answered',
  'unsatisfied',
];

/** Every action, in the order the web shows its buttons (the main one of each side first). */
export const CASE_ACTIONS = [
  'dispatch',
  'sign',
  'start',
  'answer',
  'approve_answer',
  'rate',
  'reopen',
  'progress',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'return',
  'reassign',
  'escalate',
  'return_answer',
  'redo',
  'close',
  'merge',
  'reject',
  'urge',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** SLA classes: how long the responsible unit has to answer, counted from dispatch. */
export const CASE_SLA_CLASSES = ['emergency', 'ordinary', 'complex'] as const;
export type CaseSlaClass = (typeof CASE_SLA_CLASSES)[number];

export const CASE_SLA_DURATIONS: Record<CaseSlaClass, { hours: number } | { workingDays: number }> = {
  emergency: { hours: 2 },
  ordinary: { workingDays: 7 },
  complex: { workingDays: 15 },
};

/** 随手拍 (a snapshot of a problem) or 说事 (a matter raised with the village, township or county). */
export const CASE_KINDS = ['snapshot', 'talk'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_LEVELS = ['village', 'township', 'county'] as const;
export type CaseLevel = (typeof CASE_LEVELS)[number];

export const CASE_CHANNELS = ['h5', 'console', 'hotline', 'open311'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

/** A rating of 1–2 is unsatisfied; 3–5 closes the case. */
export const CASE_SATISFIED_MIN = 3;
/** A closed case may be reopened by its reporter this many days after it was closed. */
export const CASE_REOPEN_DAYS = 7;
export const CASE_MAX_PHOTOS = 9;
/** A case may be sent for a redo (重办) at most this many times. */
export const CASE_MAX_REOPENS = 3;

export interface CaseCategoryDefault {
  code: string;
  zh: string;
  en: string;
  slaClass: CaseSlaClass;
  photoRequired: boolean;
  /** Shown on the public board and followable (网络谣言 reports are not). */
  public: boolean;
}

/** The default categories (SPEC §2.6), created by the first migration run's seed. */
export const CASE_CATEGORY_DEFAULTS: readonly CaseCategoryDefault[] = [
  {
    code: 'traffic',
    zh: '交通秩序',
    en: 'Traffic order',
    slaClass: 'ordinary',
    photoRequired: true,
    public: true,
  },
  {
    code: 'environment',
    zh: '市容环境',
    en: 'City appearance and environment',
    slaClass: 'ordinary',
    photoRequired: true,
    public: true,
  },
  {
    code: 'order',
    zh: '公共秩序',
    en: 'Public order',
    slaClass: 'ordinary',
    photoRequired: false,
    public: true,
  },
  {
    code: 'behaviour',
    zh: '不文明行为',
    en: 'Uncivil behaviour',
    slaClass: 'ordinary',
    photoRequired: true,
    public: true,
  },
  {
    code: 'integrity',
    zh: '诚信缺失',
    en: 'Breach of trust',
    slaClass: 'complex',
    photoRequired: false,
    public: true,
  },
  {
    code: 'rumour',
    zh: '网络谣言',
    en: 'Online rumour',
    slaClass: 'emergency',
    photoRequired: false,
    public: false,
  },
  {
    code: 'volunteer',
    zh: '志愿需求',
    en: 'Volunteer request',
    slaClass: 'ordinary',
    photoRequired: false,
    public: true,
  },
  { code: 'other', zh: '其他', en: 'Other', slaClass: 'ordinary', photoRequired: false, public: true },
];

/** The H5 and console list item of a case (what `GET /api/cases` returns per row). */
export interface CaseListItem {
  id: string;
  no: string;
  kind: CaseKind;
  channel: CaseChannel;
  level: CaseLevel;
  categoryId: string;
  categoryName: string;
  title: string;
  address: string;
  areaUnitId: string | null;
  areaName: string | null;
  unitId: string | null;
  unitName: string | null;
  state: CaseState;
  slaColor: 'green' | 'yellow' | 'red';
  dueAt: string | null;
  rating: number | null;
  hidden: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A case category (随手拍 / 说事 kind of problem) as `/api/case-categories` returns it. */
export interface CaseCategory {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
  slaClass: CaseSlaClass;
  photoRequired: boolean;
  answerReview: boolean;
  public: boolean;
  active: boolean;
  sort: number;
}

/** An entry of the case ban list (`/api/case-bans`): a phone (masked) or an IP address. */
export interface CaseBan {
  id: string;
  phoneMasked: string | null;
  ip: string | null;
  reason: string;
  until: string | null;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  liftedAt: string | null;
  active: boolean;
}

/** The fields a 12345 hotline import maps to columns of the sheet; the required ones must be mapped. */
export const HOTLINE_FIELDS = [
  'orderNo',
  'createdAt',
  'category',
  'description',
  'address',
  'township',
  'contactName',
  'contactPhone',
] as const;
export type HotlineField = (typeof HOTLINE_FIELDS)[number];
export const HOTLINE_REQUIRED_FIELDS: readonly HotlineField[] = ['orderNo', 'description'];
