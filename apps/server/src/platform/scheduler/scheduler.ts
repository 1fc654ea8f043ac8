import { hostname } from 'node:os';
import { uuidv7 } from '../../db/ids.ts';
import type { AppContext } from '../context.ts';
import type { Logger } from '../log.ts';

/**
 * Jobs that run inside the server process: due deadlines, outgoing notifications, nightly
 * recomputations. Each job has one row in scheduler_jobs; a process runs a job only while it holds
 * the job's lease (a conditional UPDATE, so several processes on one PostgreSQL run each job once).
 * A job that was due while every server was stopped runs once at the next start, not once per missed
 * interval. Every run is logged in scheduler_runs.
 */

export type Schedule =
  /** Every n seconds after the previous run finished. */
  | { everySeconds: number }
  /** Once a day at HH:MM Asia/Shanghai. */
  | { dailyAt: string };

export interface JobDef {
  name: string;
  schedule: Schedule;
  /** Returns a small summary stored with the run (counts, not data). */
  run(ctx: AppContext): Promise<Record<string, unknown>>;
  /** The lease: longer than a run can take; a crashed holder's lease expires after it. */
  leaseSeconds?: number;
}

const SHANGHAI = 8 * 3600_000;

export function nextRunAt(schedule: Schedule, after: Date): Date {
  if ('everySeconds' in schedule) return new Date(after.getTime() + schedule.everySeconds * 1000);
  const [h, m] = schedule.dailyAt.split(':').map(Number);
  const local = new Date(after.getTime() + SHANGHAI);
  const candidate =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), h, m) - SHANGHAI;
  return new Date(candidate > after.getTime() ? candidate : candidate + 24 * 3600_000);
}

export interface RunOutcome {
  job: string;
  status: 'ok' | 'failed';
  details: Record<string, unknown>;
  error?: string;
}

export class Scheduler {
  /** Identifies this process in leases and run logs. */
  readonly owner = `${hostname()}:${process.pid}:${uuidv7().slice(-8)}`;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<RunOutcome[]> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly jobs: readonly JobDef[],
    private readonly log: Logger,
  ) {}

  /** Creates the job rows that do not exist yet, due now (so a new job runs at the first tick). */
  async register(): Promise<void> {
    const now = this.ctx.clock.now().toISOString();
    for (const job of this.jobs) {
      await this.ctx.database.db
        .insertInto('scheduler_jobs')
        .values({
          name: job.name,
          next_run_at: now,
          lease_owner: null,
          lease_until: null,
          last_started_at: null,
          last_finished_at: null,
          last_status: null,
          last_error: null,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
  }

  /** Starts ticking every `intervalMs`; the first tick runs at once (catching up after downtime). */
  async start(intervalMs = 5000): Promise<void> {
    await this.register();
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      await this.tick();
      if (!this.stopped) this.timer = setTimeout(loop, intervalMs).unref();
    };
    await loop();
  }

  /** Stops ticking and waits for a running tick to finish (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** Runs every job that is due and whose lease this process can take. */
  async tick(): Promise<RunOutcome[]> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      const out: RunOutcome[] = [];
      for (const job of this.jobs) {
        const r = await this.runIfDue(job);
        if (r) out.push(r);
      }
      return out;
    })();
    try {
      return await this.ticking;
    } finally {
      this.ticking = null;
    }
  }

  private async runIfDue(job: JobDef): Promise<RunOutcome | null> {
    const { db } = this.ctx.database;
    const started = this.ctx.clock.now();
    const startedIso = started.toISOString();
    const leaseUntil = new Date(started.getTime() + (job.leaseSeconds ?? 300) * 1000).toISOString();
    const taken = await db
      .updateTable('scheduler_jobs')
      .set({
        lease_owner: this.owner,
        lease_until: leaseUntil,
        last_started_at: startedIso,
        updated_at: startedIso,
      })
      .where('name', '=', job.name)
      .where('next_run_at', '<=', startedIso)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', startedIso)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return null;

    const runId = uuidv7();
    await db
      .insertInto('scheduler_runs')
      .values({
        id: runId,
        job: job.name,
        owner: this.owner,
        started_at: startedIso,
        finished_at: null,
        status: 'running',
        details: '{}',
        error: null,
      })
      .execute();
    let outcome: RunOutcome;
    try {
      outcome = { job: job.name, status: 'ok', details: await job.run(this.ctx) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error({ err, job: job.name }, 'scheduled job failed');
      outcome = { job: job.name, status: 'failed', details: {}, error: message.slice(0, 2000) };
    }
    const finished = this.ctx.clock.now();
    await db
      .updateTable('scheduler_runs')
      .set({
        finished_at: finished.toISOString(),
        status: outcome.status,
        details: JSON.stringify(outcome.details),
        error: outcome.error ?? null,
      })
      .where('id', '=', runId)
      .execute();
    await db
      .updateTable('scheduler_jobs')
      .set({
        // Missed intervals are not replayed: the next run is one interval after this one.
        next_run_at: nextRunAt(job.schedule, finished).toISOString(),
        lease_owner: null,
        lease_until: null,
        last_finished_at: finished.toISOString(),
        last_status: outcome.status,
        last_error: outcome.error ?? null,
        updated_at: finished.toISOString(),
      })
      .where('name', '=', job.name)
      .where('lease_owner', '=', this.owner)
      .execute();
    if (outcome.status === 'ok') this.log.debug({ job: job.name, ...outcome.details }, 'scheduled job ran');
    return outcome;
  }
}
