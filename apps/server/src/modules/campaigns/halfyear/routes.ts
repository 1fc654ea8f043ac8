import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COLORS } from '../../../../../../packages/contracts/src/index.ts';
import { auditDownload } from '../../../platform/audit/downloads.ts';
import { DOCX_MIME } from '../../../platform/docx/docx.ts';
import { authOf, scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams, Nullable } from '../../../platform/http/schemas.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';
import { contentDisposition } from '../../files/routes.ts';
import { compileHalfYear } from './compile.ts';
import { HALF_YEAR_ACTIONS } from './machine.ts';
import { PERIOD_PATTERN } from './period.ts';
import * as halfYear from './service.ts';
import { SECTION_MAX } from './stats.ts';

const Period = Type.String({ pattern: PERIOD_PATTERN, description: "'2026-H1' or '2026-H2'" });
const Section = Type.String({ maxLength: SECTION_MAX });
const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const ByColor = Type.Object(Object.fromEntries(COLORS.map((c) => [c, Type.Integer()])));
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

const Stats = Type.Object({
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  asOf: Type.String(),
  instances: Type.Integer(),
  done: Type.Integer(),
  byColor: ByColor,
  reports: Type.Object({ accepted: Type.Integer(), pending: Type.Integer(), returned: Type.Integer() }),
  evidence: Type.Integer(),
  overdue: Type.Array(
    Type.Object({
      instanceId: Type.String(),
      activity: Type.String(),
      task: Type.String(),
      cycle: Type.String(),
      due: Type.String(),
      color: Type.String(),
      reason: Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.Unknown()) }),
    }),
  ),
  tasks: Type.Array(
    Type.Object({
      taskId: Type.String(),
      activity: Type.String(),
      title: Type.String(),
      instances: Type.Integer(),
      done: Type.Integer(),
      targets: Type.Array(
        Type.Object({
          label: Type.String(),
          measure: Type.String(),
          target: Type.Number(),
          amount: Type.Number(),
        }),
      ),
    }),
  ),
});

const Report = Type.Object({
  id: Type.String(),
  campaign: Type.Object({ id: Type.String(), name: Type.String(), status: Type.String() }),
  unit: Ref,
  period: Type.String(),
  state: Type.String(),
  version: Type.Integer(),
  progressText: Type.String(),
  practices: Type.String(),
  problems: Type.String(),
  plans: Type.String(),
  stats: Stats,
  submittedAt: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  returnReason: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  allowedActions: Type.Array(Type.String()),
  editable: Type.Boolean(),
});

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  actorUnitId: Nullable(Type.String()),
  from: Nullable(Type.String()),
  action: Type.String(),
  to: Type.String(),
  note: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
});

function callerOf(req: FastifyRequest): Caller {
  return { user: authOf(req).user, scope: scopeOfRequest(req), ip: req.ip };
}

/** 每半年报告: units write, the office reviews and compiles (issue #4 item 8). */
export async function halfYearRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['half-year reports'];

  r.get(
    '/api/campaigns/:id/half-year',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'The periods reports may be written on, and for one period (default: the newest) each responsible unit in the caller’s scope with its colours, done/total and report',
        params: IdParams,
        querystring: Type.Object({ period: Type.Optional(Period) }),
        response: {
          200: Type.Object({
            campaign: Type.Object({ id: Type.String(), name: Type.String(), status: Type.String() }),
            period: Nullable(Type.String()),
            periods: Type.Array(Type.String()),
            canOpen: Type.Boolean(),
            canCompile: Type.Boolean(),
            units: Type.Array(
              Type.Object({
                unit: Ref,
                instances: Type.Integer(),
                done: Type.Integer(),
                byColor: ByColor,
                report: Nullable(
                  Type.Object({
                    id: Type.String(),
                    state: Type.String(),
                    version: Type.Integer(),
                    submittedAt: Nullable(Type.String()),
                    reviewedAt: Nullable(Type.String()),
                    updatedAt: Type.String(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => halfYear.listHalfYear(app.ctx, callerOf(req), req.params.id, req.query.period),
  );

  r.post(
    '/api/campaigns/:id/half-year',
    {
      config: { permission: 'ledger:report' },
      schema: {
        tags,
        summary:
          'Open a unit’s report for a period (the unit defaults to the caller’s), pre-filled with its ledger statistics and a drafted 进展成效; one per unit and period',
        params: IdParams,
        body: Type.Object({ period: Period, unitId: Type.Optional(Id) }),
        response: { 201: Report },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await halfYear.openHalfYearReport(app.ctx, callerOf(req), req.params.id, req.body)),
  );

  r.get(
    '/api/campaigns/:id/half-year/:period/compilation.docx',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary:
          'The compiled Word document: a summary table of every unit, then each accepted report’s four sections (submitted ones marked as not yet reviewed)',
        params: Type.Object({ id: Id, period: Period }),
      },
    },
    async (req, reply) => {
      const { name, bytes } = await compileHalfYear(app.ctx, callerOf(req), req.params.id, req.params.period);
      await auditDownload(app.ctx, req, {
        action: 'half_year.compilation_export',
        entity: 'campaign',
        entityId: req.params.id,
        after: { period: req.params.period, file: name },
      });
      return reply
        .type(DOCX_MIME)
        .header('content-disposition', contentDisposition('attachment', name))
        .header('cache-control', 'no-store')
        .send(bytes);
    },
  );

  r.get(
    '/api/half-year-reports/:id',
    {
      config: { permission: 'campaign:read' },
      schema: { tags, params: IdParams, response: { 200: Report } },
    },
    async (req) => halfYear.getHalfYearReport(app.ctx, callerOf(req), req.params.id),
  );

  r.put(
    '/api/half-year-reports/:id',
    {
      config: { permission: 'ledger:report' },
      schema: {
        tags,
        summary: 'Save the sections of a draft or returned report (send the version you saw)',
        params: IdParams,
        body: Type.Object({
          version: Type.Integer({ minimum: 1 }),
          progressText: Type.Optional(Section),
          practices: Type.Optional(Section),
          problems: Type.Optional(Section),
          plans: Type.Optional(Section),
        }),
        response: { 200: Report },
      },
    },
    async (req) => halfYear.editHalfYearReport(app.ctx, callerOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/half-year-reports/:id/timeline',
    {
      config: { permission: 'campaign:read' },
      schema: { tags, params: IdParams, response: { 200: Type.Array(Entry) } },
    },
    async (req) => halfYear.halfYearTimeline(app.ctx, callerOf(req), req.params.id),
  );

  r.post(
    '/api/half-year-reports/:id/transitions',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'submit (every section written), accept, or return (a note is the reason, required). Send the version you saw.',
        params: IdParams,
        body: Type.Object({
          action: Literals(HALF_YEAR_ACTIONS),
          version: Type.Integer({ minimum: 1 }),
          note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
        }),
        response: { 200: Report },
      },
    },
    async (req) => halfYear.actOnHalfYearReport(app.ctx, callerOf(req), req.params.id, req.body),
  );
}
