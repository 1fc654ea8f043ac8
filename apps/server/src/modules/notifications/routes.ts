import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { UUID_PATTERN } from '../../db/ids.ts';
import { actorOf, authOf, scopeOfRequest } from '../../platform/http/request.ts';
import { IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { deliveryIdle } from '../../platform/notify/service.ts';
import * as inbox from './service.ts';
import * as robots from './webhooks.ts';

/**
 * Nullable inputs as one type list: with type coercion on, a union would turn null into false or ''
 * (or false into null); a type list leaves values of either type as they are.
 */
const BoolOrNull = Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] });
const IdOrNull = Type.Unsafe<string | null>({ type: ['string', 'null'], pattern: UUID_PATTERN });
const SecretOrNull = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  minLength: 1,
  maxLength: 200,
  pattern: '^\\S+$',
});

const InboxItem = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  record: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});

const Prefs = Type.Object({
  smsAvailable: Type.Boolean(),
  all: Nullable(Type.Boolean()),
  groups: Type.Array(
    Type.Object({
      group: Type.String(),
      label: Type.String(),
      rule: Nullable(Type.Boolean()),
      kinds: Type.Array(
        Type.Object({
          kind: Type.String(),
          label: Type.String(),
          sms: Type.Boolean(),
          default: Type.Boolean(),
          rule: Nullable(Type.Boolean()),
        }),
      ),
    }),
  ),
});

const WebhookChannel = Type.Union([Type.Literal('wecom'), Type.Literal('dingtalk')]);
const Webhook = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel: Type.String(),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  url: Type.String({ description: 'masked: the key is never returned' }),
  hasSecret: Type.Boolean(),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const WebhookName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const WebhookUrl = Type.String({ minLength: 1, maxLength: 1000 });

const Delivery = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  target: Type.String(),
  text: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String()),
});

export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];
  // messages queued by requests are still being sent: let them finish before the database closes
  app.addHook('onClose', () => deliveryIdle(app.ctx));

  r.get(
    '/api/notifications',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'The caller’s own notifications, newest first, in the caller’s language',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...PageQuery }),
        response: {
          200: Type.Object({ items: Type.Array(InboxItem), total: Type.Integer(), unread: Type.Integer() }),
        },
      },
    },
    async (req) =>
      inbox.listInbox(app.ctx, authOf(req).user.id, req.lang, {
        unread: req.query.unread,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  r.get(
    '/api/notifications/unread-count',
    {
      config: { permission: 'authenticated' },
      schema: { tags, response: { 200: Type.Object({ count: Type.Integer() }) } },
    },
    async (req) => inbox.countUnread(app.ctx, authOf(req).user.id),
  );

  r.post(
    '/api/notifications/:id/read',
    { config: { permission: 'authenticated' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await inbox.markRead(app.ctx, actorOf(req), authOf(req).user.id, req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/notifications/read-all',
    {
      config: { permission: 'authenticated' },
      schema: { tags, response: { 200: Type.Object({ count: Type.Integer() }) } },
    },
    async (req) => inbox.markAllRead(app.ctx, actorOf(req), authOf(req).user.id),
  );

  r.get(
    '/api/notifications/prefs',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'SMS per kind group and kind, with the defaults (the inbox is always on)',
        response: { 200: Prefs },
      },
    },
    async (req) => inbox.getPrefs(app.ctx, authOf(req).user, req.lang),
  );

  r.put(
    '/api/notifications/prefs',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Set or clear (enabled: null) rules for all kinds (*), a group (deadline.*) or a kind',
        body: Type.Object({
          items: Type.Array(
            Type.Object({
              kind: Type.String({ minLength: 1, maxLength: 100 }),
              channel: Type.Literal('sms'),
              enabled: BoolOrNull,
            }),
            { minItems: 1, maxItems: 200 },
          ),
        }),
        response: { 200: Prefs },
      },
    },
    async (req) => inbox.savePrefs(app.ctx, actorOf(req), authOf(req).user, req.lang, req.body.items),
  );

  r.get(
    '/api/notify/webhooks',
    {
      config: { permission: 'webhook:write' },
      schema: { tags, response: { 200: Type.Object({ items: Type.Array(Webhook) }) } },
    },
    async (req) => ({ items: await robots.listWebhooks(app.ctx, scopeOfRequest(req)) }),
  );

  r.post(
    '/api/notify/webhooks',
    {
      config: { permission: 'webhook:write' },
      schema: {
        tags,
        body: Type.Object({
          name: WebhookName,
          channel: WebhookChannel,
          unitId: IdOrNull,
          url: WebhookUrl,
          secret: Type.Optional(SecretOrNull),
          enabled: Type.Optional(Type.Boolean()),
        }),
        response: { 201: Webhook },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await robots.createWebhook(app.ctx, actorOf(req), scopeOfRequest(req), req.body)),
  );

  r.patch(
    '/api/notify/webhooks/:id',
    {
      config: { permission: 'webhook:write' },
      schema: {
        tags,
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(WebhookName),
            channel: Type.Optional(WebhookChannel),
            unitId: Type.Optional(IdOrNull),
            url: Type.Optional(WebhookUrl),
            secret: Type.Optional(SecretOrNull),
            enabled: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: Webhook },
      },
    },
    async (req) => robots.updateWebhook(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body),
  );

  r.delete(
    '/api/notify/webhooks/:id',
    { config: { permission: 'webhook:write' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await robots.deleteWebhook(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/notify/webhooks/:id/test',
    {
      config: { permission: 'webhook:write' },
      schema: {
        tags,
        summary: 'Queue a test message to the robot and send it at once',
        params: IdParams,
        response: { 202: Type.Object({ deliveryId: Type.String() }) },
      },
    },
    async (req, reply) =>
      reply
        .status(202)
        .send(await robots.testWebhook(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id)),
  );

  r.get(
    '/api/notify/deliveries',
    {
      config: { permission: 'scheduler:read' },
      schema: {
        tags,
        summary: 'The outbox of SMS and group-robot messages, newest first',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(['pending', 'sending', 'sent', 'failed'].map((s) => Type.Literal(s))),
          ),
          channel: Type.Optional(Type.Union(['sms', 'wecom', 'dingtalk'].map((c) => Type.Literal(c)))),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Delivery), total: Type.Integer() }) },
      },
    },
    async (req) =>
      robots.listDeliveries(app.ctx, scopeOfRequest(req), {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );
}
