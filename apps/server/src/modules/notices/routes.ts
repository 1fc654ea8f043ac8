import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { RECEIPT_STATUSES } from '../../../../../packages/contracts/src/index.ts';
import { FileMetaSchema } from '../../platform/files/service.ts';
import { actorOf, authOf } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import * as notices from './service.ts';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const Ref = Type.Object({ type: Type.String(), id: Type.String() });
const Counts = Type.Object({
  total: Type.Integer(),
  read: Type.Integer(),
  acked: Type.Integer(),
  overdue: Type.Integer(),
});
const NoticeFields = {
  id: Type.String(),
  title: Type.String(),
  senderId: Nullable(Type.String()),
  senderName: Nullable(Type.String()),
  senderUnitId: Nullable(Type.String()),
  senderUnitName: Nullable(Type.String()),
  requireAck: Type.Boolean(),
  ackDueAt: Nullable(Type.String()),
  record: Nullable(Ref),
  createdAt: Type.String(),
  counts: Nullable(Counts),
};
const Summary = Type.Object({
  ...NoticeFields,
  readAt: Nullable(Type.String()),
  ackedAt: Nullable(Type.String()),
  ackedBy: Nullable(Type.String()),
  overdue: Type.Boolean(),
});
const MyReceipt = Type.Object({
  unitId: Type.String(),
  unitName: Type.String(),
  readAt: Nullable(Type.String()),
  ackedAt: Nullable(Type.String()),
  ackedBy: Nullable(Type.String()),
  ackNote: Nullable(Type.String()),
  overdue: Type.Boolean(),
  canAck: Type.Boolean(),
});
const Detail = Type.Object({
  ...NoticeFields,
  body: Type.String(),
  attachments: Type.Array(FileMetaSchema),
  receipt: Nullable(MyReceipt),
});
const Receipt = Type.Object({
  unitId: Type.String(),
  unitName: Type.String(),
  readAt: Nullable(Type.String()),
  readBy: Nullable(Type.String()),
  ackedAt: Nullable(Type.String()),
  ackedBy: Nullable(Type.String()),
  ackNote: Nullable(Type.String()),
  overdue: Type.Boolean(),
  late: Type.Boolean(),
});
const Overdue = Type.Object({
  noticeId: Type.String(),
  title: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  ackDueAt: Type.String(),
  readAt: Nullable(Type.String()),
  createdAt: Type.String(),
  record: Nullable(Ref),
});

export async function noticeRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notices'];

  r.post(
    '/api/notices',
    {
      config: { permission: 'notice:send' },
      schema: {
        tags,
        summary: 'Send a notice to units (and the members of groups) inside the caller’s scope',
        body: Type.Object({
          title: Text(100),
          body: Text(20000),
          unitIds: Type.Optional(Type.Array(Id, { maxItems: 5000 })),
          groupIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
          requireAck: Type.Boolean(),
          ackDueAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
          attachments: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
        }),
        response: { 201: Detail },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await notices.createNotice(app.ctx, authOf(req).user, actorOf(req), req.body)),
  );

  r.get(
    '/api/notices',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Sent notices (notice:send, sending unit in scope) or those addressed to the caller’s unit',
        querystring: Type.Object({
          box: Type.Optional(Type.Union([Type.Literal('sent'), Type.Literal('received')])),
          keyword: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Summary), total: Type.Integer() }) },
      },
    },
    async (req) =>
      notices.listNotices(app.ctx, authOf(req).user, {
        box: req.query.box ?? 'received',
        keyword: req.query.keyword?.trim() || undefined,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  r.get(
    '/api/notices/overdue-acks',
    {
      config: { permission: 'notice:send' },
      schema: {
        tags,
        summary: 'Unacknowledged recipients past their due time, of notices sent inside the caller’s scope',
        querystring: Type.Object({ ...PageQuery }),
        response: { 200: Type.Object({ items: Type.Array(Overdue), total: Type.Integer() }) },
      },
    },
    async (req) =>
      notices.overdueAcks(app.ctx, authOf(req).user, {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  r.get(
    '/api/notices/:id',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'One notice; a recipient unit’s first view is recorded as read',
        params: IdParams,
        response: { 200: Detail },
      },
    },
    async (req) => notices.getNotice(app.ctx, authOf(req).user, actorOf(req), req.params.id),
  );

  r.post(
    '/api/notices/:id/ack',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Acknowledge (签收) for the caller’s unit: its liaison or unit head',
        params: IdParams,
        body: Type.Object({ note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }),
        response: { 200: MyReceipt },
      },
    },
    async (req) =>
      notices.ackNotice(app.ctx, authOf(req).user, actorOf(req), req.params.id, req.body.note ?? null),
  );

  r.get(
    '/api/notices/:id/receipts',
    {
      config: { permission: 'notice:send' },
      schema: {
        tags,
        summary: 'Per recipient unit: read and acknowledged by whom and when (sender side only)',
        params: IdParams,
        querystring: Type.Object({
          status: Type.Optional(Type.Union(RECEIPT_STATUSES.map((s) => Type.Literal(s)))),
        }),
        response: { 200: Type.Object({ items: Type.Array(Receipt), counts: Counts }) },
      },
    },
    async (req) =>
      notices.noticeReceipts(app.ctx, authOf(req).user, req.params.id, req.query.status ?? 'all'),
  );

  r.post(
    '/api/notices/:id/remind',
    {
      config: { permission: 'notice:send' },
      schema: {
        tags,
        summary: 'Remind (催签收) the units that have not acknowledged (sender side only)',
        params: IdParams,
        response: { 200: Type.Object({ reminded: Type.Integer() }) },
      },
    },
    async (req) => notices.remindNotice(app.ctx, authOf(req).user, actorOf(req), req.params.id),
  );
}
