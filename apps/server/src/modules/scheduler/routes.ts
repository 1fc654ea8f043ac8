import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { int, json } from '../../db/normalize.ts';
import { Nullable, PageQuery } from '../../platform/http/schemas.ts';

const Job = Type.Object({
  name: Type.String(),
  nextRunAt: Type.String(),
  leaseOwner: Nullable(Type.String()),
  leaseUntil: Nullable(Type.String()),
  lastStartedAt: Nullable(Type.String()),
  lastFinishedAt: Nullable(Type.String()),
  lastStatus: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
});
const Run = Type.Object({
  id: Type.String(),
  job: Type.String(),
  owner: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  status: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  error: Nullable(Type.String()),
});

/** Operators' view of the in-process scheduler: its jobs and the log of their runs. */
export async function schedulerRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['operations'];

  r.get(
    '/api/scheduler/jobs',
    { config: { permission: 'scheduler:read' }, schema: { tags, response: { 200: Type.Array(Job) } } },
    async () => {
      const rows = await app.ctx.database.db
        .selectFrom('scheduler_jobs')
        .selectAll()
        .orderBy('name')
        .execute();
      return rows.map((j) => ({
        name: j.name,
        nextRunAt: j.next_run_at,
        leaseOwner: j.lease_owner,
        leaseUntil: j.lease_until,
        lastStartedAt: j.last_started_at,
        lastFinishedAt: j.last_finished_at,
        lastStatus: j.last_status,
        lastError: j.last_error,
      }));
    },
  );

  r.get(
    '/api/scheduler/runs',
    {
      config: { permission: 'scheduler:read' },
      schema: {
        tags,
        querystring: Type.Object({
          job: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          status: Type.Optional(
            Type.Union([Type.Literal('running'), Type.Literal('ok'), Type.Literal('failed')]),
          ),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Run), total: Type.Integer() }) },
      },
    },
    async (req) => {
      let q = app.ctx.database.db.selectFrom('scheduler_runs');
      if (req.query.job) q = q.where('job', '=', req.query.job);
      if (req.query.status) q = q.where('status', '=', req.query.status);
      const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      const pageSize = req.query.pageSize ?? 20;
      const rows = await q
        .selectAll()
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset(((req.query.page ?? 1) - 1) * pageSize)
        .execute();
      return {
        total: int(total?.n),
        items: rows.map((x) => ({
          id: x.id,
          job: x.job,
          owner: x.owner,
          startedAt: x.started_at,
          finishedAt: x.finished_at,
          status: x.status,
          details: json<Record<string, unknown>>(x.details) ?? {},
          error: x.error,
        })),
      };
    },
  );
}
