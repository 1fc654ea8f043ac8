import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COLORS, SUPERVISION_KINDS } from '../../../../../../packages/contracts/src/index.ts';
import { blobStore } from '../../../platform/files/service.ts';
import { actorOf, scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../../platform/http/schemas.ts';
import { contentDisposition } from '../../files/routes.ts';
import './auto.ts';
import * as supervision from './service.ts';

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date YYYY-MM-DD' });
const Counts = Type.Object(
  Object.fromEntries(COLORS.map((c) => [c, Type.Integer()])) as Record<
    (typeof COLORS)[number],
    ReturnType<typeof Type.Integer>
  >,
);

const Item = Type.Object({
  id: Type.String(),
  campaignId: Type.String(),
  kind: Type.Union(SUPERVISION_KINDS.map((k) => Type.Literal(k))),
  number: Nullable(Type.String()),
  unit: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  instance: Nullable(
    Type.Object({ id: Type.String(), title: Type.String(), cycle: Type.String(), color: Type.String() }),
  ),
  body: Type.String(),
  automatic: Type.Boolean(),
  color: Nullable(Type.String()),
  reason: Nullable(Type.String({ description: 'the reason sentence of the triggering colour' })),
  suggestInterview: Type.Boolean(),
  deadline: Nullable(Type.String()),
  instanceIds: Type.Array(Type.String()),
  interview: Nullable(
    Type.Object({
      interviewee: Type.Object({
        name: Type.String(),
        post: Type.String(),
        phone: Nullable(Type.String({ description: 'masked' })),
      }),
      at: Type.String(),
      place: Type.String(),
      attendees: Type.Array(Type.String()),
      topics: Type.String(),
      commitments: Type.String(),
    }),
  ),
  circular: Nullable(
    Type.Object({ title: Type.String(), asOf: Type.String(), units: Type.Integer(), counts: Counts }),
  ),
  fileId: Nullable(Type.String()),
  createdBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  createdAt: Type.String(),
});

const RecordParams = Type.Object({ id: Id, recordId: Id });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Ids = (max: number) => Type.Array(Id, { minItems: 1, maxItems: max, uniqueItems: true });

function callerOf(req: FastifyRequest): supervision.Caller {
  return { actor: actorOf(req), scope: scopeOfRequest(req), lang: req.lang };
}

/** 催办 / 督办单 / 约谈 / 通报 of a campaign (issue #4 item 6). */
export async function supervisionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['campaigns'];

  r.get(
    '/api/campaigns/:id/supervision',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary: 'Supervision records of a campaign, newest first (a unit sees its own; circulars: everyone)',
        params: IdParams,
        querystring: Type.Object({
          kind: Type.Optional(Type.Union(SUPERVISION_KINDS.map((k) => Type.Literal(k)))),
          unitId: Type.Optional(Id),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Item), total: Type.Integer() }) },
      },
    },
    async (req) => supervision.listRecords(app.ctx, callerOf(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/supervision/:recordId',
    {
      config: { permission: 'campaign:read' },
      schema: { tags, summary: 'One supervision record', params: RecordParams, response: { 200: Item } },
    },
    async (req) => supervision.getRecord(app.ctx, callerOf(req), req.params.id, req.params.recordId),
  );

  r.post(
    '/api/campaigns/:id/supervision/reminders',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: '催办 now: one record per task, or per unit (listing its yellow/orange/red tasks)',
        params: IdParams,
        body: Type.Object(
          {
            instanceIds: Type.Optional(Ids(500)),
            unitIds: Type.Optional(Ids(200)),
            note: Text(1000),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ items: Type.Array(Item) }) },
      },
    },
    async (req, reply) => {
      const items = await supervision.createReminders(app.ctx, callerOf(req), req.params.id, req.body);
      return reply.status(201).send({ items });
    },
  );

  r.post(
    '/api/campaigns/:id/supervision/orders',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: '督办单 to a unit (numbered DB-YYYY-NNNN), about some of its tasks, with a deadline',
        params: IdParams,
        body: Type.Object(
          { unitId: Id, instanceIds: Type.Optional(Ids(200)), deadline: LocalDate, body: Text(4000) },
          { additionalProperties: false },
        ),
        response: { 201: Item },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await supervision.createOrder(app.ctx, callerOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/campaigns/:id/supervision/interviews',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: '约谈 record: who was interviewed, when, where, by whom, about what, what was promised',
        params: IdParams,
        body: Type.Object(
          {
            unitId: Id,
            instanceIds: Type.Optional(Ids(200)),
            interviewee: Type.Object(
              {
                name: Text(50),
                post: Text(50),
                phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
              },
              { additionalProperties: false },
            ),
            at: Type.String({ format: 'date-time' }),
            place: Text(200),
            attendees: Type.Array(Text(50), { maxItems: 50 }),
            topics: Text(4000),
            commitments: Type.String({ maxLength: 4000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Item },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await supervision.createInterview(app.ctx, callerOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/campaigns/:id/circulars',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: '通报: a Word document (TB-YYYY-NNNN) listing units by result, with counts and reasons',
        params: IdParams,
        body: Type.Object(
          { title: Type.Optional(Text(200)), asOf: Type.Optional(LocalDate) },
          { additionalProperties: false },
        ),
        response: { 201: Item },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await supervision.createCircular(app.ctx, callerOf(req), req.params.id, req.body)),
  );

  r.get(
    '/api/campaigns/:id/circulars/:recordId/document',
    {
      config: { permission: 'campaign:read' },
      schema: { tags, summary: 'The circular’s .docx', params: RecordParams },
    },
    async (req, reply) => {
      const file = await supervision.circularFile(app.ctx, callerOf(req), req.params.id, req.params.recordId);
      return reply
        .type(file.mime)
        .header('content-length', Number(file.size))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', contentDisposition('attachment', file.original_name))
        .send(blobStore(app.ctx).open(file.sha256));
    },
  );
}
