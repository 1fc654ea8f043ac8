import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { COLORS } from '../../../../../../packages/contracts/src/index.ts';
import { scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams, Nullable } from '../../../platform/http/schemas.ts';
import * as tasks from './service.ts';

const Target = Type.Object({ label: Type.String(), quantity: Type.Number(), measure: Type.String() });
const Instance = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  taskTitle: Type.String(),
  activityId: Type.String(),
  activityNumeral: Type.String(),
  activityName: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  role: Type.String(),
  cycle: Type.String(),
  startsOn: Type.String(),
  dueOn: Type.String(),
  color: Type.String(),
  reason: Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.Unknown()) }),
  colorAt: Type.String(),
  progress: Type.Integer(),
  targets: Type.Array(Target),
  amounts: Type.Array(Type.Number()),
  acceptedReports: Type.Integer(),
  pendingReports: Type.Integer(),
  returnedAt: Nullable(Type.String()),
  doneOn: Nullable(Type.String()),
  version: Type.Integer(),
});

export async function campaignTaskRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['campaigns'];

  r.get(
    '/api/campaigns/:id/instances',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary:
          'Task instances of a campaign in the caller’s scope (one per task × unit × cycle) with colour, reason and progress',
        params: IdParams,
        querystring: Type.Object({
          unitId: Type.Optional(Id),
          activityId: Type.Optional(Id),
          taskId: Type.Optional(Id),
          color: Type.Optional(Type.Union(COLORS.map((c) => Type.Literal(c)))),
          page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(Instance), total: Type.Integer() }) },
      },
    },
    async (req) => tasks.listInstances(app.ctx, scopeOfRequest(req), req.params.id, req.query),
  );
}
