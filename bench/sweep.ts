// Deadline sweep benchmark (issue #3): 10,000 open deadlines, one scheduler sweep.
//
//   node --import tsx bench/sweep.ts            SQLite in a temp dir
//   DATABASE_URL=postgres://… node --import tsx bench/sweep.ts   (in a fresh database it creates and drops)
//
// Prints one JSON line: for each case the sweep's wall time, the deadlines advanced and the stage
// events fired, and the ratio to a baseline measured in the same run: the same rows selected and
// updated by one plain UPDATE in one transaction (the floor any sweep must pay).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../apps/server/src/config.ts';
import { uuidv7 } from '../apps/server/src/db/ids.ts';
import { createContext } from '../apps/server/src/platform/bootstrap.ts';
import { getCalendar } from '../apps/server/src/platform/calendar/service.ts';
import type { Clock } from '../apps/server/src/platform/context.ts';
import { createLogger } from '../apps/server/src/platform/log.ts';
import { sweepDeadlines } from '../apps/server/src/platform/workflow/deadlines.ts';
import { nextStage } from '../apps/server/src/platform/workflow/sla.ts';
import '../apps/server/src/modules/matters/machine.ts';
import { POLICY_13710 } from '../apps/server/src/modules/matters/sla.ts';
import { seedDemo } from '../apps/server/src/seed/demo.ts';

const N = Number(process.env.BENCH_DEADLINES ?? 10_000);

class BenchClock implements Clock {
  constructor(public at: Date) {}
  now() {
    return new Date(this.at);
  }
}

/** Monday 2 March 2026, 10:00 Shanghai: when the matters are assigned. */
const T0 = new Date('2026-03-02T02:00:00.000Z');

/** On PostgreSQL: a fresh database beside the given one, so the sweep starts from an empty schema. */
async function freshDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `wenming_sweep_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name}`);
      await c.end();
    },
  };
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wenming-sweep-'));
  const clock = new BenchClock(T0);
  const fresh = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
  const config = loadConfig({
    ...process.env,
    ...(fresh ? { DATABASE_URL: fresh.url } : {}),
    WENMING_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const ctx = await createContext(config, createLogger('silent'), { clock });
  const db = ctx.database.db;
  try {
    await seedDemo(ctx);
    const units = (
      await db.selectFrom('org_units').select('id').where('type', '=', 'member_unit').execute()
    ).map((u) => u.id);
    const office = await db
      .selectFrom('org_units')
      .select('id')
      .where('type', '=', 'office')
      .executeTakeFirstOrThrow();
    const cal = await getCalendar(ctx);
    const def = POLICY_13710.deadlines.resolve;
    const due = cal.addDuration(T0, { workingDays: 7 });
    const first = nextStage(cal, def, 0, T0, due, T0);

    // N matters, each with its open 7-working-day resolution deadline, spread over the member units.
    const iso = T0.toISOString();
    for (let i = 0; i < N; i += 500) {
      const matters = [];
      const deadlines = [];
      for (let j = i; j < Math.min(N, i + 500); j++) {
        const id = uuidv7();
        const unit = units[j % units.length];
        matters.push({
          id,
          no: `JB-2026-${String(j + 1).padStart(5, '0')}`,
          title: `基准事项 ${j + 1}`,
          content: '基准测试',
          level: 'ordinary',
          source: null,
          assignee_unit_id: unit,
          assigner_unit_id: office.id,
          created_by: null,
          state: 'in_progress',
          version: 2,
          sla_color: 'green',
          due_at: due.toISOString(),
          acknowledged_at: iso,
          first_feedback_at: iso,
          resolved_at: null,
          closed_at: null,
          created_at: iso,
          updated_at: iso,
        });
        deadlines.push({
          id: uuidv7(),
          record_type: 'matter',
          record_id: id,
          policy: POLICY_13710.name,
          kind: 'resolve',
          unit_id: unit,
          status: 'open',
          starts_at: iso,
          due_at: due.toISOString(),
          original_due_at: due.toISOString(),
          round: 0,
          stage: first?.stage ?? 0,
          next_fire_at: first?.at.toISOString() ?? null,
          met_at: null,
          created_at: iso,
          updated_at: iso,
        });
      }
      await db.insertInto('matters').values(matters).execute();
      await db.insertInto('deadlines').values(deadlines).execute();
    }

    const cases: Record<string, unknown>[] = [];
    const run = async (name: string, at: Date) => {
      clock.at = at;
      // Baseline: the due rows read and touched by one plain UPDATE in one transaction.
      const b0 = performance.now();
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('deadlines')
          .select('id')
          .where('status', '=', 'open')
          .where('next_fire_at', '<=', at.toISOString())
          .execute();
        await sql`update deadlines set updated_at = updated_at where status = 'open' and next_fire_at <= ${at.toISOString()}`.execute(
          trx,
        );
        return rows.length;
      });
      const baselineMs = performance.now() - b0;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = await sweepDeadlines(ctx);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const notifications = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      cases.push({
        case: name,
        ms: Math.round(ms),
        // CPU time of this process (user + system): less sensitive than wall time to a busy machine.
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        deadlines: res.deadlines,
        events: res.fired,
        batches: res.batches,
        notificationsTotal: Number(notifications?.n ?? 0),
        baselineMs: Math.round(baselineMs * 10) / 10,
        ratio: Math.round((ms / Math.max(baselineMs, 0.1)) * 10) / 10,
      });
    };
    // Nothing due yet (the common sweep every 30 s).
    await run('none due', new Date(T0.getTime() + 3600_000));
    // Every deadline's reminder comes due at once (one stage each).
    await run('all reminders due', first?.at ?? due);
    // The server was down for two weeks: each deadline fires overdue, escalation, supervision, circular.
    await run('all overdue after downtime', new Date(due.getTime() + 14 * 24 * 3600_000));
    console.log(JSON.stringify({ engine: ctx.database.engine, deadlines: N, cases }));
  } finally {
    await ctx.database.close();
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
