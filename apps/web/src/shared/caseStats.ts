/**
 * Case statistics and the public board (issue #5) as the console and the H5 read them: the shapes of
 * `/api/cases/stats/*`, `/api/cases/circulars` and `/api/public/case-board`.
 */
import { api } from './api.ts';

export interface CaseFigures {
  received: number;
  transferred: number;
  held: number;
  answered: number;
  closed: number;
  reopened: number;
  onTime: number;
  late: number;
  overdue: number;
  onTimeRate: number | null;
  resolutionRate: number | null;
  avgAnswerHours: number | null;
  avgResolveHours: number | null;
  ratings: number;
  avgScore: number | null;
  satisfiedRate: number | null;
}

export interface UnitStat extends CaseFigures {
  unitId: string;
  unitName: string;
  unitType: string;
}

export interface CategoryStat extends CaseFigures {
  categoryId: string;
  code: string;
  name: string;
}

export interface StatsPage<T> {
  period: { from: string; to: string };
  totals: CaseFigures;
  items: T[];
}

export interface StatsFilter {
  from: string;
  to: string;
  categoryId?: string;
  kind?: string;
}

export function loadUnitStats(f: StatsFilter): Promise<StatsPage<UnitStat>> {
  return api('/cases/stats/units', { query: { ...f } });
}

export function loadCategoryStats(f: StatsFilter): Promise<StatsPage<CategoryStat>> {
  return api('/cases/stats/categories', { query: { ...f } });
}

export interface CaseCircular {
  id: string;
  number: string;
  fileId: string;
  name: string;
  size: number;
  createdAt: string;
  createdBy: string | null;
}

export function createCircular(f: { from: string; to: string }): Promise<CaseCircular> {
  return api('/cases/circulars', { method: 'POST', body: f });
}

export const circularUrl = (id: string) => `/api/cases/circulars/${id}/document`;

export interface BoardFigures {
  received: number;
  resolved: number;
  resolutionRate: number | null;
  avgResolveHours: number | null;
  ratings: number;
  avgScore: number | null;
  satisfiedRate: number | null;
}

export interface BoardPhoto {
  id: string;
  url: string;
  width: number | null;
  height: number | null;
}

export interface BoardCase {
  id: string;
  no: string;
  title: string;
  category: string;
  unitName: string | null;
  areaName: string | null;
  address: string;
  answer: string | null;
  rating: number | null;
  createdAt: string;
  closedAt: string;
  before: BoardPhoto[];
  after: BoardPhoto[];
}

export interface CaseBoard {
  period: { from: string; to: string };
  totals: BoardFigures;
  units: (BoardFigures & { unitId: string; unitName: string })[];
  categories: (BoardFigures & { categoryId: string; name: string })[];
  recent: BoardCase[];
  generatedAt: string;
}

export function loadCaseBoard(q: { categoryId?: string; unitId?: string } = {}): Promise<CaseBoard> {
  return api('/public/case-board', { query: { ...q } });
}

export const pctText = (v: number | null) => (v === null ? '—' : `${v}%`);
export const scoreText = (v: number | null) => (v === null ? '—' : v.toFixed(2));

/** Hours as hours up to two days, then as days (one decimal), with the unit's i18n key. */
export function durationParts(hours: number | null): { value: string; unit: 'hours' | 'days' } | null {
  if (hours === null) return null;
  return hours < 48
    ? { value: hours.toFixed(1), unit: 'hours' }
    : { value: (hours / 24).toFixed(1), unit: 'days' };
}
