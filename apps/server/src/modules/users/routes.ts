import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { DATA_SCOPES, ROLES } from '../../../../../packages/contracts/src/index.ts';
import { actorOf, authOf, scopeOfRequest } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import * as users from './service.ts';

const RoleT = Type.Union(ROLES.map((r) => Type.Literal(r)));
const ScopeT = Type.Union(DATA_SCOPES.map((s) => Type.Literal(s)));
const Roles = Type.Array(RoleT, { maxItems: ROLES.length, uniqueItems: true });
const DisplayName = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' });
const Phone = Type.String({ maxLength: 20 });
const IdCard = Type.String({ maxLength: 20 });

export const UserViewSchema = Type.Object({
  id: Type.String(),
  username: Nullable(Type.String()),
  displayName: Type.String(),
  title: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  dataScope: Type.String(),
  phone: Nullable(Type.String()),
  idCard: Nullable(Type.String()),
  status: Type.String(),
  lockedUntil: Nullable(Type.String()),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];

  r.get(
    '/api/users',
    {
      config: { permission: 'user:read' },
      schema: {
        tags,
        querystring: Type.Object({
          keyword: Type.Optional(Type.String({ maxLength: 50 })),
          unitId: Type.Optional(Id),
          role: Type.Optional(RoleT),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(UserViewSchema), total: Type.Integer() }) },
      },
    },
    async (req) =>
      users.listUsers(app.ctx, scopeOfRequest(req), {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  r.get(
    '/api/users/:id',
    {
      config: { permission: 'user:read' },
      schema: { tags, params: IdParams, response: { 200: UserViewSchema } },
    },
    async (req) => users.getUser(app.ctx, scopeOfRequest(req), req.params.id),
  );

  r.post(
    '/api/users',
    {
      config: { permission: 'user:write' },
      schema: {
        tags,
        body: Type.Object({
          username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }),
          displayName: DisplayName,
          title: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
          unitId: Id,
          roles: Roles,
          dataScope: ScopeT,
          phone: Type.Optional(Nullable(Phone)),
          idCard: Type.Optional(Nullable(IdCard)),
          password: Type.String({ minLength: 1, maxLength: 128 }),
        }),
        response: { 201: UserViewSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await users.createUser(app.ctx, actorOf(req), authOf(req).user, req.body)),
  );

  r.patch(
    '/api/users/:id',
    {
      config: { permission: 'user:write' },
      schema: {
        tags,
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(DisplayName),
            title: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
            unitId: Type.Optional(Id),
            roles: Type.Optional(Roles),
            dataScope: Type.Optional(ScopeT),
            phone: Type.Optional(Nullable(Phone)),
            idCard: Type.Optional(Nullable(IdCard)),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
          },
          { minProperties: 1 },
        ),
        response: { 200: UserViewSchema },
      },
    },
    async (req) => users.updateUser(app.ctx, actorOf(req), authOf(req).user, req.params.id, req.body),
  );

  r.post(
    '/api/users/:id/reset-password',
    {
      config: { permission: 'user:write' },
      schema: {
        tags,
        params: IdParams,
        response: { 200: Type.Object({ temporaryPassword: Type.String() }) },
      },
    },
    async (req) => users.resetPassword(app.ctx, actorOf(req), authOf(req).user, req.params.id),
  );

  r.post(
    '/api/users/:id/unlock',
    {
      config: { permission: 'user:write' },
      schema: { tags, params: IdParams, response: { 200: UserViewSchema } },
    },
    async (req) => users.unlockUser(app.ctx, actorOf(req), authOf(req).user, req.params.id),
  );

  r.get(
    '/api/users/:id/pii',
    {
      config: { permission: 'pii:read' },
      schema: {
        tags,
        summary: 'Unmasked phone and ID number (each read is audited)',
        params: IdParams,
        response: { 200: Type.Object({ phone: Nullable(Type.String()), idCard: Nullable(Type.String()) }) },
      },
    },
    async (req) => users.readPii(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id),
  );
}
