import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey } from './service.ts';

const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  scopes: Type.Array(Type.String()),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  userId: Type.String({ description: 'The service account the key acts as' }),
  createdBy: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

/** Keys for other systems (Open311 writers): listed, created (shown once) and revoked by the office. */
export async function apiKeyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['api-keys'];

  r.get(
    '/api/api-keys',
    {
      config: { permission: 'case:admin' },
      schema: { tags, response: { 200: Type.Object({ items: Type.Array(ApiKey) }) } },
    },
    async () => ({ items: await listApiKeys(app.ctx) }),
  );

  r.post(
    '/api/api-keys',
    {
      config: { permission: 'case:admin' },
      schema: {
        tags,
        summary: 'Creates a key and its service account; the reply carries the key, shown this once only',
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
          unitId: Type.Optional(Nullable(Id)),
          scopes: Type.Optional(
            Type.Array(Type.Union(API_KEY_SCOPES.map((s) => Type.Literal(s))), { minItems: 1, maxItems: 10 }),
          ),
        }),
        response: { 201: Type.Composite([ApiKey, Type.Object({ key: Type.String() })]) },
      },
    },
    async (req, reply) => reply.status(201).send(await createApiKey(app.ctx, actorOf(req), req.body)),
  );

  r.post(
    '/api/api-keys/:id/revoke',
    {
      config: { permission: 'case:admin' },
      schema: { tags, params: IdParams, response: { 200: ApiKey } },
    },
    async (req) => revokeApiKey(app.ctx, actorOf(req), req.params.id),
  );
}
