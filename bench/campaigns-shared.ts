// Sizes, clocks and result types shared by bench/campaigns.ts (the runner) and its child processes
// (bench/campaigns-data.ts, bench/campaigns-recolor.ts). Free of server imports, like bench/shared.ts.

export interface CampaignScale {
  name: 'full' | 'small';
  /** Generated org units (each gets one liaison account and takes part in the campaigns). */
  units: number;
  /** Of them, the grouping units directly under the demo region; the rest are spread below them. */
  cities: number;
  campaigns: number;
  /** Task instances in all; every campaign gets the same share. */
  instances: number;
  /** Ledger reports in all, one ledger_report_items row each, spread over the started instances. */
  reports: number;
}

export const CAMPAIGN_SCALES: Record<CampaignScale['name'], CampaignScale> = {
  full: { name: 'full', units: 1000, cities: 10, campaigns: 20, instances: 50_000, reports: 1_000_000 },
  small: { name: 'small', units: 100, cities: 10, campaigns: 4, instances: 2_000, reports: 20_000 },
};

export function campaignScale(raw: string | undefined): CampaignScale {
  if (raw === undefined || raw === '' || raw === 'full') return CAMPAIGN_SCALES.full;
  if (raw === 'small') return CAMPAIGN_SCALES.small;
  throw new Error(`BENCH_CAMPAIGN_SCALE must be "full" or "small" (got "${raw}")`);
}

/** Activities per campaign (one task each): four of each cadence. */
export const ACTIVITIES_PER_CAMPAIGN = 20;

/** The reports are dated up to this moment; the first sweep colours the generated instances then. */
export const GENERATED_AT = '2026-09-15T02:00:00.000Z';
/** The clock of the measured sweep: five weeks later, at the daily job's 00:05 (Asia/Shanghai). */
export const MOVED_AT = '2026-10-19T16:05:00.000Z';

/** What bench/campaigns-data.ts prints (one line `BENCH_CAMPAIGN_DATA {json}`). */
export interface GenerationResult {
  engine: string;
  scale: CampaignScale['name'];
  units: number;
  liaisons: number;
  campaigns: number;
  tasks: number;
  instances: number;
  reports: number;
  reportsByState: Record<string, number>;
  /** Seconds: migrations and the demo seed; units, accounts and campaign structure; instances and reports. */
  seconds: { seed: number; structure: number; bulk: number; analyze: number; total: number };
  /** Instances whose stored aggregates were re-derived from their reports by recolorInstances and matched. */
  verified: { sampled: number; mismatched: number };
  /** File next to the database listing the liaisons and one open instance each (for the HTTP cases). */
  fixtureFile: string;
  /** The campaign the battle map is read for, and its size. */
  mapCampaign: { id: string; instances: number; units: number; activities: number };
  /** SQLite: size of the database file in bytes; PostgreSQL: pg_database_size. */
  databaseBytes: number;
}

export interface LiaisonFixture {
  username: string;
  unitId: string;
  campaignId: string;
  instanceId: string;
  /** Number of targets of the instance's task: the report's amounts array has this length. */
  targets: number;
}

export interface CampaignFixtures {
  password: string;
  liaisons: LiaisonFixture[];
}

export interface RecolorCase {
  case: string;
  at: string;
  /** Wall time of the whole job: the sweep's transaction, then the hooks'. */
  ms: number;
  /** The sweep's transaction: every colour recomputed, the changed rows and history committed (judged). */
  colorsMs: number;
  /** This process's CPU during the sweep's transaction (with SQLite, the database's work is in it). */
  colorsCpuMs: number;
  /** The hooks' transaction after it (supervision records and notifications). */
  hooksMs: number;
  cpuMs: number;
  instances: number;
  /** Colour changes (history rows and hook calls). */
  changed: number;
  /** Rows the sweep rewrote (colour, reason or progress changed). */
  updated: number;
  supervision: number;
  notifications: number;
  colors: Record<string, number>;
  baselineMs: number;
}

/** What bench/campaigns-recolor.ts prints (one line `BENCH_CAMPAIGN_RECOLOR {json}`). */
export interface RecolorResult {
  engine: string;
  cases: RecolorCase[];
}
