import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CASE_KINDS } from '../../../../../../packages/contracts/src/index.ts';
import { blobStore } from '../../../platform/files/service.ts';
import { actorOf, scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams, Nullable } from '../../../platform/http/schemas.ts';
import { contentDisposition } from '../../files/routes.ts';
import * as stats from './service.ts';

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date YYYY-MM-DD' });
const Rate = Nullable(Type.Number());

const Figures = {
  received: Type.Integer(),
  transferred: Type.Integer(),
  held: Type.Integer(),
  answered: Type.Integer(),
  closed: Type.Integer(),
  reopened: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  overdue: Type.Integer(),
  onTimeRate: Rate,
  resolutionRate: Rate,
  avgAnswerHours: Rate,
  avgResolveHours: Rate,
  ratings: Type.Integer(),
  avgScore: Rate,
  satisfiedRate: Rate,
};
const Period = Type.Object({ from: Type.String(), to: Type.String() });
const StatsQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    categoryId: Type.Optional(Id),
    kind: Type.Optional(Type.Union(CASE_KINDS.map((k) => Type.Literal(k)))),
  },
  { additionalProperties: false },
);

const BoardFigures = {
  received: Type.Integer(),
  resolved: Type.Integer(),
  resolutionRate: Rate,
  avgResolveHours: Rate,
  ratings: Type.Integer(),
  avgScore: Rate,
  satisfiedRate: Rate,
};
const Photo = Type.Object({
  id: Type.String(),
  url: Type.String(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
});
const Board = Type.Object({
  period: Period,
  totals: Type.Object(BoardFigures),
  units: Type.Array(Type.Object({ unitId: Type.String(), unitName: Type.String(), ...BoardFigures })),
  categories: Type.Array(Type.Object({ categoryId: Type.String(), name: Type.String(), ...BoardFigures })),
  recent: Type.Array(
    Type.Object({
      id: Type.String(),
      no: Type.String(),
      title: Type.String(),
      category: Type.String(),
      unitName: Nullable(Type.String()),
      areaName: Nullable(Type.String()),
      address: Type.String(),
      answer: Nullable(Type.String()),
      rating: Nullable(Type.Integer()),
      createdAt: Type.String(),
      closedAt: Type.String(),
      before: Type.Array(Photo),
      after: Type.Array(Photo),
    }),
  ),
  generatedAt: Type.String(),
});

const Circular = Type.Object({
  id: Type.String(),
  number: Type.String(),
  fileId: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String()),
});
const Percent = Type.Number({ minimum: 0, maximum: 100 });
const CircularBody = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    thresholds: Type.Optional(
      Type.Object(
        {
          lateWorkingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
          onTimeRate: Type.Optional(Percent),
          avgScore: Type.Optional(Type.Number({ minimum: 1, maximum: 5 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

function callerOf(req: FastifyRequest): stats.StatsCaller {
  return { actor: actorOf(req), scope: scopeOfRequest(req), lang: req.lang };
}

const list = <T extends TSchema>(item: T) =>
  Type.Object({ period: Period, totals: Type.Object(Figures), items: Type.Array(item) });

/** 诉求统计, 通报 and the public board (issue #5). */
export async function caseStatsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];

  r.get(
    '/api/cases/stats/units',
    {
      config: { permission: 'case:read' },
      schema: {
        tags,
        summary:
          'Per unit, for the cases created in a period (default: this year): received (首接), transferred, held, answered, closed, on time, overdue, resolution rate, mean answer time (calendar hours), satisfaction, reopened; within the data scope',
        querystring: StatsQuery,
        response: {
          200: list(
            Type.Object({
              unitId: Type.String(),
              unitName: Type.String(),
              unitType: Type.String(),
              ...Figures,
            }),
          ),
        },
      },
    },
    async (req) => {
      const s = await stats.unitStats(app.ctx, scopeOfRequest(req), req.query);
      return { period: s.period, totals: s.totals, items: s.units };
    },
  );

  r.get(
    '/api/cases/stats/categories',
    {
      config: { permission: 'case:read' },
      schema: {
        tags,
        summary: 'The same figures per case category (cases held by units in the data scope)',
        querystring: StatsQuery,
        response: {
          200: list(
            Type.Object({ categoryId: Type.String(), code: Type.String(), name: Type.String(), ...Figures }),
          ),
        },
      },
    },
    async (req) => {
      const s = await stats.categoryStats(app.ctx, scopeOfRequest(req), req.query, req.lang);
      return { period: s.period, totals: s.totals, items: s.categories };
    },
  );

  r.get(
    '/api/cases/circulars',
    {
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        summary: 'The circulars (通报) of case handling issued so far, newest first',
        response: { 200: Type.Object({ items: Type.Array(Circular) }) },
      },
    },
    async () => ({ items: await stats.listCaseCirculars(app.ctx) }),
  );

  r.post(
    '/api/cases/circulars',
    {
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        summary:
          '通报 (SQTB-YYYY-NNNN, .docx): units with answers 5+ working days late, low on-time rate, low satisfaction',
        body: CircularBody,
        response: { 201: Circular },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await stats.createCaseCircular(app.ctx, callerOf(req), req.body)),
  );

  r.get(
    '/api/cases/circulars/:id/document',
    {
      config: { permission: 'case:dispatch' },
      schema: { tags, summary: 'The circular’s .docx', params: IdParams },
    },
    async (req, reply) => {
      const file = await stats.caseCircularFile(app.ctx, req.params.id);
      return reply
        .type(file.mime)
        .header('content-length', Number(file.size))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', contentDisposition('attachment', file.original_name))
        .send(blobStore(app.ctx).open(file.sha256));
    },
  );

  r.get(
    '/api/public/case-board',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: `The public board: public cases of the last 365 days (totals, by unit, by category) and the latest resolved ones with before/after photos; no personal data; cached ${stats.BOARD_CACHE_MS / 1000} s per query`,
        querystring: Type.Object(
          { categoryId: Type.Optional(Id), unitId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: Board },
      },
    },
    async (req) => stats.caseBoard(app.ctx, req.query, req.lang),
  );
}
