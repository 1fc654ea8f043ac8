/**
 * Case statistics and the public board (issue #5) as the console and the H5 read them: the shapes of
 * `/api/cases/stats/*`, `/api/cases/circulars` and `/api/public/case-board`.
 */
import type {
  BoardFigures,
  BoardPhoto,
  CaseBoard,
  CaseCircular,
  CaseFigures,
  CategoryStat,
  UnitStat,
} from '../../../../packages/contracts/src/index.ts';
import { api } from './api.ts';

export type { BoardFigures, BoardPhoto, CaseBoard, CaseCircular, CaseFigures, CategoryStat, UnitStat };

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

export function createCircular(f: { from: string; to: string }): Promise<CaseCircular> {
  return api('/cases/circulars', { method: 'POST', body: f });
}

export const circularUrl = (id: string) => `/api/cases/circulars/${id}/document`;

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
