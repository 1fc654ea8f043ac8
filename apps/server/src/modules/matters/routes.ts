import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SLA_COLORS } from '../../../../../packages/contracts/src/index.ts';
import { authOf, scopeOfRequest } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import type { Caller } from '../../platform/workflow/machine.ts';
import { MATTER_ACTIONS, MATTER_STATES } from './machine.ts';
import * as matters from './service.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const UnitRef = Type.Object({ id: Type.String(), name: Type.String() });
const FileMeta = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mime: Type.String(),
  kind: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  takenAt: Nullable(Type.String()),
  gps: Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number() })),
  hasThumb: Type.Boolean(),
  uploadedAt: Type.String(),
  uploadedBy: Nullable(Type.String()),
});
const ListItem = {
  id: Type.String(),
  no: Type.String(),
  title: Type.String(),
  level: Type.String(),
  state: Type.String(),
  version: Type.Integer(),
  slaColor: Type.String(),
  dueAt: Nullable(Type.String()),
  assignee: UnitRef,
  assigner: Nullable(UnitRef),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};
const Matter = Type.Object({
  ...ListItem,
  content: Type.String(),
  source: Nullable(Type.String()),
  createdBy: Nullable(UnitRef),
  acknowledgedAt: Nullable(Type.String()),
  firstFeedbackAt: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  allowedActions: Type.Array(Type.String()),
  deadlines: Type.Array(
    Type.Object({
      kind: Type.String(),
      status: Type.String(),
      startsAt: Type.String(),
      dueAt: Type.String(),
      originalDueAt: Type.String(),
      metAt: Nullable(Type.String()),
      color: Nullable(Type.String()),
      late: Type.Boolean(),
    }),
  ),
  pendingExtension: Nullable(
    Type.Object({
      requestedDueAt: Type.String(),
      oldDueAt: Type.String(),
      reason: Type.String(),
      requestedAt: Type.String(),
      requestedBy: Nullable(Type.String()),
    }),
  ),
  attachments: Type.Array(FileMeta),
});
const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  actorUnitId: Nullable(Type.String()),
  actorUnitName: Nullable(Type.String()),
  from: Nullable(Type.String()),
  action: Type.String(),
  to: Type.String(),
  note: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(FileMeta),
});
const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

function callerOf(req: FastifyRequest): Caller {
  return { user: authOf(req).user, scope: scopeOfRequest(req), ip: req.ip };
}

/** Assigned matters (交办事项) on the 13710 rule: the reference workflow of the platform. */
export async function matterRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['matters'];

  r.get(
    '/api/matters',
    {
      config: { permission: 'matter:read' },
      schema: {
        tags,
        summary: 'Matters assigned to or by units in the caller’s scope, newest first',
        querystring: Type.Object({
          state: Type.Optional(Literals(MATTER_STATES)),
          color: Type.Optional(Literals(SLA_COLORS)),
          assigneeUnitId: Type.Optional(Id),
          keyword: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          overdue: Type.Optional(Type.Boolean()),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object(ListItem)), total: Type.Integer() }) },
      },
    },
    async (req) => matters.listMatters(app.ctx, callerOf(req), req.query),
  );

  r.get(
    '/api/matters/stats',
    {
      config: { permission: 'matter:read' },
      schema: {
        tags,
        summary: 'Counts by state, and open matters by SLA color',
        response: {
          200: Type.Object({
            byState: Type.Record(Type.String(), Type.Integer()),
            byColor: Type.Record(Type.String(), Type.Integer()),
          }),
        },
      },
    },
    async (req) => matters.statsOfMatters(app.ctx, callerOf(req)),
  );

  r.post(
    '/api/matters',
    {
      config: { permission: 'matter:assign' },
      schema: {
        tags,
        summary: 'Assign a matter to a unit; opens the 13710 deadlines and notifies the unit',
        body: Type.Object({
          title: Text(100),
          content: Text(5000),
          level: Literals(['ordinary', 'major'] as const),
          source: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          assigneeUnitId: Id,
          attachments: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
        }),
        response: { 201: Matter },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await matters.createMatter(app.ctx, callerOf(req), req.body)),
  );

  r.get(
    '/api/matters/:id',
    {
      config: { permission: 'matter:read' },
      schema: { tags, params: IdParams, response: { 200: Matter } },
    },
    async (req) => matters.getMatter(app.ctx, callerOf(req), req.params.id),
  );

  r.get(
    '/api/matters/:id/timeline',
    {
      config: { permission: 'matter:read' },
      schema: {
        tags,
        summary: 'Every step of the matter, oldest first',
        params: IdParams,
        response: { 200: Type.Array(Entry) },
      },
    },
    async (req) => matters.matterTimeline(app.ctx, callerOf(req), req.params.id),
  );

  r.post(
    '/api/matters/:id/transitions',
    {
      config: { permission: 'matter:read' },
      schema: {
        tags,
        summary:
          'Take an action (the detail lists allowedActions). Send the version you saw: a stale one gets 409. ' +
          'reassign needs payload.unitId; request_extension needs payload.dueAt and a note (the reason).',
        params: IdParams,
        body: Type.Object({
          action: Literals(MATTER_ACTIONS),
          version: Type.Integer({ minimum: 1 }),
          note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          attachments: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
          payload: Type.Optional(
            Type.Object({
              unitId: Type.Optional(Id),
              dueAt: Type.Optional(Type.String({ format: 'date-time' })),
            }),
          ),
        }),
        response: { 200: Matter },
      },
    },
    async (req) => matters.actOnMatter(app.ctx, callerOf(req), req.params.id, req.body),
  );
}
