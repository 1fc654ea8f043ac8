// Prepares a benchmark database, in its own process (bench/run.ts starts it before the server):
//
//   1. migrate and seed the Bazhou demo exactly as the server's first start does (main.ts);
//   2. add 1,000 units under the township of the demo account `liaison_town` (data scope: that
//      township's subtree), through the server's own service function createUnit, so `path`,
//      `depth`, the sibling-name check and the audit rows are the real ones:
//
//        <township of liaison_town>
//          └─ 基准测试实践所                      1 unit    ← the rootId the benchmark lists
//               ├─ 基准测试实践站 1 … 9           9 units
//               │    └─ 基准测试点 n-1 … n-110    990 units
//
// Reads the same environment as the server (WENMING_DATA_DIR, DATABASE_URL). Prints one line
// `BENCH_PREP {json}` (a PrepResult, bench/shared.ts).

import { loadConfig } from '../apps/server/src/config.ts';
import { createUnit } from '../apps/server/src/modules/org/service.ts';
import { SYSTEM_ACTOR } from '../apps/server/src/platform/audit/audit.ts';
import { createContext } from '../apps/server/src/platform/bootstrap.ts';
import { createLogger } from '../apps/server/src/platform/log.ts';
import { isEmpty, seedDemo } from '../apps/server/src/seed/demo.ts';
import type { OrgUnitType } from '../packages/contracts/src/index.ts';
import {
  BENCH_POINTS_PER_STATION,
  BENCH_ROOT_NAME,
  BENCH_SCOPED_USER,
  BENCH_STATIONS,
  type PrepResult,
} from './shared.ts';

async function prepare(): Promise<PrepResult> {
  const started = performance.now();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const ctx = await createContext(config, createLogger('warn'));
  try {
    const { db } = ctx.database;
    let seeded = false;
    if (await isEmpty(ctx)) {
      await seedDemo(ctx);
      seeded = true;
    }
    const township = await db
      .selectFrom('users as u')
      .innerJoin('org_units as o', 'o.id', 'u.unit_id')
      .select(['o.id', 'o.name', 'o.path'])
      .where('u.username', '=', BENCH_SCOPED_USER)
      .executeTakeFirstOrThrow();
    const all = { kind: 'all' } as const;
    let created = 0;
    const add = async (parentId: string, name: string, type: OrgUnitType, sort: number) => {
      const existing = await db
        .selectFrom('org_units')
        .select('id')
        .where('parent_id', '=', parentId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) return existing.id;
      created++;
      return (await createUnit(ctx, SYSTEM_ACTOR, all, { parentId, name, type, sort })).id;
    };
    const rootId = await add(township.id, BENCH_ROOT_NAME, 'practice_center', 0);
    for (let s = 1; s <= BENCH_STATIONS; s++) {
      const stationId = await add(rootId, `基准测试实践站 ${s}`, 'practice_station', s);
      for (let p = 1; p <= BENCH_POINTS_PER_STATION; p++) {
        await add(stationId, `基准测试点 ${s}-${p}`, 'other', p);
      }
    }
    const count = async (pathPrefix?: string) => {
      let q = db.selectFrom('org_units').select((eb) => eb.fn.countAll().as('n'));
      if (pathPrefix) q = q.where('path', 'like', `${pathPrefix}%`);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const root = await db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', rootId)
      .executeTakeFirstOrThrow();
    return {
      rootId,
      townshipId: township.id,
      townshipName: township.name,
      subtreeUnits: await count(root.path),
      totalUnits: await count(),
      seeded,
      created,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await ctx.database.close();
  }
}

prepare().then(
  (r) => {
    console.log(`BENCH_PREP ${JSON.stringify(r)}`);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
