// Constants and types shared by bench/run.ts and bench/prepare.ts (kept free of server imports, so
// the load-generating process does not load the server's modules).

/** The demo account whose data scope is the subtree of the first township. */
export const BENCH_SCOPED_USER = 'liaison_town';
/** The demo password of every demo account (apps/server/src/seed/demo.ts). */
export const DEMO_PASSWORD = 'Wenming@2026';

export const BENCH_ROOT_NAME = '基准测试实践所';
export const BENCH_STATIONS = 9;
export const BENCH_POINTS_PER_STATION = 110;
/** 1 + 9 + 9 × 110 = 1,000 units in the listed subtree. */
export const BENCH_SUBTREE_UNITS = 1 + BENCH_STATIONS + BENCH_STATIONS * BENCH_POINTS_PER_STATION;

export interface PrepResult {
  rootId: string;
  townshipId: string;
  townshipName: string;
  /** Units in the listed subtree (rootId and everything under it). */
  subtreeUnits: number;
  /** All units in the database. */
  totalUnits: number;
  seeded: boolean;
  created: number;
  seconds: number;
}
