import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import * as calendar from '../../platform/calendar/service.ts';
import { actorOf } from '../../platform/http/request.ts';
import { Nullable } from '../../platform/http/schemas.ts';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const Kind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')]);
const SpecialDay = Type.Object({
  date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD (Asia/Shanghai)' }),
  kind: Kind,
  name: Type.String({ minLength: 1, maxLength: 30, pattern: '\\S' }),
});
const YearSummary = Type.Object({
  year: Type.Integer(),
  source: Nullable(Type.String()),
  updatedAt: Type.String(),
  holidays: Type.Integer(),
  workdays: Type.Integer(),
  shipped: Type.Boolean(),
});
const YearDetail = Type.Object({
  year: Type.Integer(),
  source: Nullable(Type.String()),
  updatedAt: Type.String(),
  shipped: Type.Boolean(),
  days: Type.Array(SpecialDay),
});

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['calendar'];

  r.get(
    '/api/calendar/years',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Years whose holiday arrangement is entered, with their source and counts',
        response: { 200: Type.Object({ items: Type.Array(YearSummary) }) },
      },
    },
    async () => ({ items: await calendar.listYears(app.ctx) }),
  );

  r.get(
    '/api/calendar/years/:year',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'One year’s special days: weekday holidays and weekend working days (调休)',
        params: YearParams,
        response: { 200: YearDetail },
      },
    },
    async (req) => calendar.getYear(app.ctx, req.params.year),
  );

  r.put(
    '/api/calendar/years/:year',
    {
      config: { permission: 'calendar:write' },
      schema: {
        tags,
        summary: 'Replace a year’s arrangement (its source and all its special days)',
        params: YearParams,
        body: Type.Object({
          source: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }),
          days: Type.Array(SpecialDay, { maxItems: 120 }),
        }),
        response: { 200: YearDetail },
      },
    },
    async (req) => calendar.replaceYear(app.ctx, actorOf(req), req.params.year, req.body),
  );

  r.delete(
    '/api/calendar/years/:year',
    {
      config: { permission: 'calendar:write' },
      schema: {
        tags,
        summary: 'Delete a year the office added (a shipped year can only be edited)',
        params: YearParams,
      },
    },
    async (req, reply) => {
      await calendar.deleteYear(app.ctx, actorOf(req), req.params.year);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/calendar/compute',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Deadline calculator: the due instant of a duration from an instant',
        body: Type.Object({
          from: Type.String({ format: 'date-time', maxLength: 40 }),
          duration: Type.Object({
            workingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660 })),
            hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 87600 })),
            months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
          }),
        }),
        response: {
          200: Type.Object({
            due: Type.String(),
            dueLocal: Type.String(),
            lastDay: Type.String(),
            warnings: Type.Array(Type.Object({ year: Type.Integer(), message: Type.String() })),
          }),
        },
      },
    },
    async (req) => calendar.compute(app.ctx, req.lang, req.body),
  );
}
