/**
 * The battle map's arithmetic, pure: the worst colour of a group of instances, a group's counts and weighted
 * progress, and the ranking of units by completion rate and timeliness.
 */
import { COLOR_SEVERITY, COLORS, type Color } from '../../../../../../packages/contracts/src/index.ts';

export type ColorCounts = Record<Color, number>;

export const emptyCounts = (): ColorCounts => ({ green: 0, blue: 0, yellow: 0, orange: 0, red: 0 });

export function isColor(v: string): v is Color {
  return (COLORS as readonly string[]).includes(v);
}

/** The worst colour present in the counts (COLOR_SEVERITY), null when there is none. */
export function worstColor(counts: ColorCounts): Color | null {
  let worst: Color | null = null;
  for (const c of COLORS)
    if (counts[c] > 0 && (worst === null || COLOR_SEVERITY[c] > COLOR_SEVERITY[worst])) worst = c;
  return worst;
}

/** Instances of one colour in a group: their count and the sums for the weighted mean of progress. */
export interface ColorPart {
  color: Color;
  instances: number;
  /** Σ progress × task weight. */
  progressWeighted: number;
  /** Σ task weight. */
  weight: number;
}

export interface Summary {
  /** The worst colour of the group; null when it has no instances. */
  color: Color | null;
  counts: ColorCounts;
  instances: number;
  /** Weighted mean progress (task weights), whole percent. */
  progress: number;
}

/** Adds parts up into running totals (mutable, for one pass over the aggregate rows). */
export class Tally {
  readonly counts = emptyCounts();
  instances = 0;
  #pw = 0;
  #w = 0;

  add(p: ColorPart): void {
    this.counts[p.color] += p.instances;
    this.instances += p.instances;
    this.#pw += p.progressWeighted;
    this.#w += p.weight;
  }

  summary(): Summary {
    return {
      color: worstColor(this.counts),
      counts: { ...this.counts },
      instances: this.instances,
      progress: this.#w > 0 ? Math.round(this.#pw / this.#w) : 0,
    };
  }
}

/** One unit's figures for the ranking, summed over its instances. */
export interface UnitFigures {
  unitId: string;
  name: string;
  counts: ColorCounts;
  instances: number;
  /** Instances that count so far: due by today, or already done. */
  counted: number;
  /** Σ weight of the counted instances, and of the done ones among them. */
  countedWeight: number;
  doneWeight: number;
  done: number;
  /** Done on or before their due date. */
  onTime: number;
  /** Done after their due date, or past due and not done. */
  late: number;
  /** Σ working days late over the late instances. */
  lateWorkingDays: number;
}

export interface RankedUnit {
  rank: number;
  unitId: string;
  name: string;
  counts: ColorCounts;
  instances: number;
  counted: number;
  done: number;
  /** Σ weight done / Σ weight counted, percent with one decimal; null when nothing counts yet. */
  completionRate: number | null;
  /** On-time instances / counted instances, percent with one decimal; null when nothing counts yet. */
  timeliness: number | null;
  late: number;
  /** Mean working days late over the late instances, one decimal; 0 when none is late. */
  avgLateWorkingDays: number;
}

const pct = (num: number, den: number): number | null =>
  den > 0 ? Math.round((1000 * num) / den) / 10 : null;

const byName = new Intl.Collator('zh-CN');

/**
 * Ranks units by completion rate, then timeliness (both descending), then name; units with nothing due
 * or done yet come last. Equal rate and timeliness share a rank (1, 2, 2, 4).
 */
export function rankUnits(units: readonly UnitFigures[]): RankedUnit[] {
  const rows = units.map((u) => ({
    unitId: u.unitId,
    name: u.name,
    counts: u.counts,
    instances: u.instances,
    counted: u.counted,
    done: u.done,
    completionRate: pct(u.doneWeight, u.countedWeight),
    timeliness: pct(u.onTime, u.counted),
    late: u.late,
    avgLateWorkingDays: u.late > 0 ? Math.round((10 * u.lateWorkingDays) / u.late) / 10 : 0,
  }));
  const key = (v: number | null) => (v === null ? -1 : v);
  rows.sort(
    (a, b) =>
      key(b.completionRate) - key(a.completionRate) ||
      key(b.timeliness) - key(a.timeliness) ||
      byName.compare(a.name, b.name),
  );
  const ranked: RankedUnit[] = [];
  rows.forEach((r, i) => {
    const prev = ranked[i - 1];
    const tie = prev && prev.completionRate === r.completionRate && prev.timeliness === r.timeliness;
    ranked.push({ rank: tie ? prev.rank : i + 1, ...r });
  });
  return ranked;
}
