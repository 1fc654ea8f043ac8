import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ORG_UNIT_TYPES } from '../../../../../packages/contracts/src/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { hasForm, IMPORT_FORM, readForm } from '../../platform/http/multipart.ts';
import { errorBody } from '../../platform/http/plugin.ts';
import { actorOf, scopeOfRequest } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { importUnits, readTable } from './import.ts';
import * as org from './service.ts';

const UnitType = Type.Union(ORG_UNIT_TYPES.map((t) => Type.Literal(t)));
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const RegionCode = Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})?$' });
const OrgUnit = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  name: Type.String(),
  shortName: Nullable(Type.String()),
  type: Type.String(),
  regionCode: Nullable(Type.String()),
  sort: Type.Integer(),
  aliases: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const OrgGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  aliases: Type.Array(Type.String()),
  memberIds: Type.Array(Type.String()),
});
const GroupBody = Type.Object({
  name: Name,
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
  memberIds: Type.Array(Id, { maxItems: 5000 }),
});

export async function orgRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['organisation'];

  r.get(
    '/api/org/units',
    {
      config: { permission: 'org:read' },
      schema: {
        tags,
        summary:
          'Units in the caller’s scope, flat (build the tree from parentId); paged when pageSize is given',
        querystring: Type.Object({
          rootId: Type.Optional(Id),
          keyword: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(OrgUnit), total: Type.Integer() }) },
      },
    },
    async (req) => org.listUnits(app.ctx, scopeOfRequest(req), req.query),
  );

  r.get(
    '/api/org/units/:id',
    { config: { permission: 'org:read' }, schema: { tags, params: IdParams, response: { 200: OrgUnit } } },
    async (req) => org.getUnit(app.ctx, scopeOfRequest(req), req.params.id),
  );

  r.post(
    '/api/org/units',
    {
      config: { permission: 'org:write' },
      schema: {
        tags,
        body: Type.Object({
          parentId: Id,
          name: Name,
          shortName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
          type: UnitType,
          regionCode: Type.Optional(Nullable(RegionCode)),
          sort: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
        }),
        response: { 201: OrgUnit },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await org.createUnit(app.ctx, actorOf(req), scopeOfRequest(req), req.body)),
  );

  r.patch(
    '/api/org/units/:id',
    {
      config: { permission: 'org:write' },
      schema: {
        tags,
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            shortName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
            type: Type.Optional(UnitType),
            regionCode: Type.Optional(Nullable(RegionCode)),
            sort: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
          },
          { minProperties: 1 },
        ),
        response: { 200: OrgUnit },
      },
    },
    async (req) => org.updateUnit(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body),
  );

  r.post(
    '/api/org/units/:id/move',
    {
      config: { permission: 'org:write' },
      schema: { tags, params: IdParams, body: Type.Object({ parentId: Id }), response: { 200: OrgUnit } },
    },
    async (req) => org.moveUnit(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body.parentId),
  );

  r.delete(
    '/api/org/units/:id',
    { config: { permission: 'org:write' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await org.deleteUnit(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/org/units/:id/aliases',
    {
      config: { permission: 'org:write' },
      schema: { tags, params: IdParams, body: Type.Object({ alias: Name }), response: { 200: OrgUnit } },
    },
    async (req) => org.addAlias(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body.alias),
  );

  r.delete(
    '/api/org/units/:id/aliases/:alias',
    {
      config: { permission: 'org:write' },
      schema: {
        tags,
        params: Type.Object({ id: Id, alias: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: OrgUnit },
      },
    },
    async (req) =>
      org.removeAlias(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.params.alias),
  );

  r.post(
    '/api/org/units/import',
    {
      config: { permission: 'org:write', form: IMPORT_FORM },
      schema: {
        tags,
        summary: 'Bulk import from .xlsx or .csv (multipart field "file"); all rows or none',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      if (!hasForm(req)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
      const file = readForm(req).files[0];
      if (!file)
        throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'file', code: 'field.required' }]);
      const table = await readTable(file.bytes, file.filename);
      const result = await importUnits(app.ctx, actorOf(req), scopeOfRequest(req), req.lang, table);
      if (result.created === 0) {
        const errors = result.rows.filter((x) => x.status === 'error').length;
        return reply
          .status(422)
          .send({ ...errorBody(req.lang, 'IMPORT_FAILED', { count: errors }, []), ...result });
      }
      return result;
    },
  );

  r.get(
    '/api/org/groups',
    {
      config: { permission: 'org:read' },
      schema: { tags, response: { 200: Type.Object({ items: Type.Array(OrgGroup) }) } },
    },
    async (req) => ({ items: await org.listGroups(app.ctx, scopeOfRequest(req)) }),
  );

  r.post(
    '/api/org/groups',
    { config: { permission: 'org:write' }, schema: { tags, body: GroupBody, response: { 201: OrgGroup } } },
    async (req, reply) =>
      reply.status(201).send(await org.saveGroup(app.ctx, actorOf(req), scopeOfRequest(req), null, req.body)),
  );

  r.put(
    '/api/org/groups/:id',
    {
      config: { permission: 'org:write' },
      schema: { tags, params: IdParams, body: GroupBody, response: { 200: OrgGroup } },
    },
    async (req) => org.saveGroup(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body),
  );

  r.delete(
    '/api/org/groups/:id',
    { config: { permission: 'org:write' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await org.deleteGroup(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
