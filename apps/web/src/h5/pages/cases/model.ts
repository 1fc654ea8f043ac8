import type {
  CaseAction,
  CaseCategory,
  CaseKind,
  CaseLevel,
  CaseListItem,
  CaseState,
  Page,
} from '../../../../../../packages/contracts/src/index.ts';
import { api } from '../../../shared/api.ts';

export type { CaseCategory };

import { contentUrl, type FileMeta, thumbUrl } from '../../../shared/files.ts';

/** `GET /api/case-areas`: the townships with their villages, for the location picker. */
export interface CaseArea {
  id: string;
  name: string;
  villages: { id: string; name: string }[];
}

/** A photo on a public case: an EXIF-stripped copy, addressed by its own URLs. */
export interface PublicPhoto {
  id: string;
  url: string;
  thumbUrl: string;
}

/** One history row of a case (the engine's timeline, with names resolved). */
export interface CaseTimelineEntry {
  seq: number;
  at: string;
  action: string;
  from: string | null;
  to: string;
  note: string | null;
  actorName: string | null;
  actorUnitName: string | null;
  attachments: (FileMeta | PublicPhoto)[];
}

export interface CaseRating {
  round: number;
  score: number;
  comment: string;
  createdAt: string;
}

/** `GET /api/cases/:id` for the reporter, or `GET /api/public/cases/:id` (no personal data). */
export interface CaseDetail {
  id: string;
  no: string;
  kind: CaseKind;
  level: CaseLevel;
  state: CaseState;
  categoryId: string;
  categoryName: string;
  categoryNameEn: string;
  title: string;
  description: string;
  address: string;
  areaName: string | null;
  unitName: string | null;
  anonymous?: boolean;
  contactPhone?: string | null;
  answer: string | null;
  rating: number | null;
  ratingComment?: string | null;
  reopenCount?: number;
  closedAt?: string | null;
  createdAt: string;
  version?: number;
  photos: (FileMeta | PublicPhoto)[];
  /** The reporter's view: the photos the units attached (the answer's after photos among them). */
  afterPhotos?: FileMeta[];
  timeline: CaseTimelineEntry[];
  ratings?: CaseRating[];
  allowedActions?: CaseAction[];
  followed?: boolean;
  followerCount?: number;
  public?: boolean;
  /** The public view of a merged case: the original, where the reader is sent. */
  mergedInto?: { id: string; no: string } | null;
  /** The reporter's view of a merged case: the original it duplicates. */
  duplicateOf?: { id: string; no: string } | null;
}

/** A list row (`/api/cases/mine`, `/api/public/cases`). */
export interface CaseRow extends CaseListItem {
  categoryNameEn: string;
}

export interface IntakeReply {
  id: string;
  no: string;
  state: CaseState;
  unitName: string | null;
}

/**
 * Where a photo's thumbnail and full image are: on a public case the EXIF-stripped copy
 * (`/api/public/files/:id`), on the reader's own case the stored file and its thumbnail once analysed.
 */
export function photoUrls(p: FileMeta | PublicPhoto, publicView: boolean): { full: string; thumb: string } {
  if ('url' in p) return { full: p.url, thumb: p.thumbUrl };
  if (publicView) return { full: `/api/public/files/${p.id}`, thumb: `/api/public/files/${p.id}` };
  return { full: contentUrl(p.id), thumb: p.hasThumb ? thumbUrl(p.id) : contentUrl(p.id) };
}

/** antd-mobile tag colours of the states: waiting amber, with a unit blue, to rate purple, done green. */
export const CASE_STATE_COLOR: Record<CaseState, string> = {
  pending: 'warning',
  dispatched: 'primary',
  signed: 'primary',
  processing: 'primary',
  answered: '#722ed1',
  rating: '#722ed1',
  unsatisfied: 'danger',
  closed: 'success',
  merged: 'default',
  rejected: 'default',
};

export const categoryName = (c: CaseCategory, lang: string) => (lang === 'en-US' ? c.nameEn : c.nameZh);
/** A case's category in the reader's language. */
export const caseCategoryName = (c: { categoryName: string; categoryNameEn?: string }, lang: string) =>
  lang === 'en-US' && c.categoryNameEn ? c.categoryNameEn : c.categoryName;

export const listCategories = () => api<CaseCategory[]>('/case-categories');
export const listAreas = () => api<CaseArea[]>('/case-areas');
export const submitCase = (form: FormData) => api<IntakeReply>('/cases', { method: 'POST', body: form });
export const myCases = (page: number, pageSize: number) =>
  api<Page<CaseRow>>('/cases/mine', { query: { page, pageSize } });
export const publicCases = (page: number, pageSize: number) =>
  api<Page<CaseRow>>('/public/cases', { query: { page, pageSize } });
export const getCase = (id: string) => api<CaseDetail>(`/cases/${id}`);
export const getPublicCase = (id: string) => api<CaseDetail>(`/public/cases/${id}`);
export const followCase = (id: string, on: boolean) =>
  api(`/cases/${id}/follow`, { method: on ? 'POST' : 'DELETE' });
export const actOnCase = (
  id: string,
  body: { action: CaseAction; version: number; note?: string; payload?: Record<string, unknown> },
) => api<CaseDetail>(`/cases/${id}/transitions`, { method: 'POST', body });
