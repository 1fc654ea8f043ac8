/**
 * Case statistics and the public board (issue #5): the figures `/api/cases/stats/*` and
 * `/api/public/case-board` answer with, as the server builds them and the console and the H5 read them.
 */

export interface CaseFigures {
  received: number;
  transferred: number;
  held: number;
  answered: number;
  closed: number;
  reopened: number;
  onTime: number;
  late: number;
  /** Answer/redo deadlines open and past due now. */
  overdue: number;
  /** onTime / (onTime + late + overdue), percent. */
  onTimeRate: number | null;
  /** closed / held, percent. */
  resolutionRate: number | null;
  /** Mean calendar hours from (the last) dispatch to the answer. */
  avgAnswerHours: number | null;
  /** Mean calendar hours from intake to closure. */
  avgResolveHours: number | null;
  ratings: number;
  avgScore: number | null;
  /** Ratings of 3 or more / ratings, percent. */
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

export interface BoardFigures {
  received: number;
  resolved: number;
  resolutionRate: number | null;
  avgResolveHours: number | null;
  ratings: number;
  avgScore: number | null;
  satisfiedRate: number | null;
}

export interface CaseBoard {
  period: { from: string; to: string };
  totals: BoardFigures;
  units: (BoardFigures & { unitId: string; unitName: string })[];
  categories: (BoardFigures & { categoryId: string; name: string })[];
  recent: BoardCase[];
  generatedAt: string;
}

/** A case circular (通报) issued for a period: its number and the Word document it was stored as. */
export interface CaseCircular {
  id: string;
  number: string;
  fileId: string;
  name: string;
  size: number;
  createdAt: string;
  createdBy: string | null;
}
