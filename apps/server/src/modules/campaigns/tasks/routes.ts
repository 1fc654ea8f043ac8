import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { CADENCES, COLORS } from '../../../../../../packages/contracts/src/index.ts';
import { actorOf, scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams, Nullable } from '../../../platform/http/schemas.ts';
import * as tasks from './service.ts';

const Target = Type.Object({ label: Type.String(), quantity: Type.Number(), measure: Type.String() });
const TargetBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    quantity: Type.Number({ maximum: 1e9 }),
    measure: Type.String({ minLength: 1, maxLength: 10, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const TaskFields = {
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  description: Type.String({ maxLength: 5000 }),
  cadence: Type.Union(CADENCES.map((c) => Type.Literal(c))),
  startsOn: LocalDate,
  dueOn: LocalDate,
  weight: Type.Integer({ minimum: 1, maximum: 100 }),
  targets: Type.Array(TargetBody, { maxItems: 20 }),
};
const TaskParams = Type.Object({ id: Id, taskId: Id });
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

  r.get(
    '/api/campaigns/:id/tasks',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary: 'Tasks of a campaign with their activity, responsible units and instance counts',
        params: IdParams,
      },
    },
    async (req) => tasks.listTasks(app.ctx, scopeOfRequest(req), req.params.id),
  );

  r.post(
    '/api/campaigns/:id/tasks',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary:
          'Add a task under an activity (window defaults to the campaign’s); instances follow when active',
        params: IdParams,
        body: Type.Object(
          {
            activityId: Id,
            title: TaskFields.title,
            description: Type.Optional(TaskFields.description),
            cadence: Type.Optional(TaskFields.cadence),
            startsOn: Type.Optional(TaskFields.startsOn),
            dueOn: Type.Optional(TaskFields.dueOn),
            weight: Type.Optional(TaskFields.weight),
            targets: Type.Optional(TaskFields.targets),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await tasks.createTask(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body)),
  );

  r.patch(
    '/api/campaigns/:id/tasks/:taskId',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary:
          'Edit a task (version: optimistic lock); a new window or cadence regenerates its instances, never removing one with reports',
        params: TaskParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            title: Type.Optional(TaskFields.title),
            description: Type.Optional(TaskFields.description),
            cadence: Type.Optional(TaskFields.cadence),
            startsOn: Type.Optional(TaskFields.startsOn),
            dueOn: Type.Optional(TaskFields.dueOn),
            weight: Type.Optional(TaskFields.weight),
            targets: Type.Optional(TaskFields.targets),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) =>
      tasks.updateTask(
        app.ctx,
        actorOf(req),
        scopeOfRequest(req),
        req.params.id,
        req.params.taskId,
        req.body,
      ),
  );

  r.delete(
    '/api/campaigns/:id/tasks/:taskId',
    {
      config: { permission: 'campaign:write' },
      schema: { tags, summary: 'Delete a task whose instances have no reports', params: TaskParams },
    },
    async (req, reply) => {
      await tasks.deleteTask(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.params.taskId);
      return reply.status(204).send();
    },
  );

  r.put(
    '/api/campaigns/:id/activities/:activityId/units',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: 'Replace an activity’s lead and co units; the instances of its tasks follow when active',
        params: Type.Object({ id: Id, activityId: Id }),
        body: Type.Object(
          {
            lead: Type.Array(Id, { maxItems: 2000, uniqueItems: true }),
            co: Type.Array(Id, { maxItems: 5000, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) =>
      tasks.setActivityUnits(
        app.ctx,
        actorOf(req),
        scopeOfRequest(req),
        req.params.id,
        req.params.activityId,
        req.body,
      ),
  );
}
