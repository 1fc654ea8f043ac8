import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { verifyAuditChain } from '../../platform/audit/audit.ts';
import { scopeOfRequest } from '../../platform/http/request.ts';
import { Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { listAudit } from './repo.ts';

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  hash: Type.String(),
});

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['audit'];

  r.get(
    '/api/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        querystring: Type.Object({
          actor: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 64 })),
          entity: Type.Optional(Type.String({ maxLength: 64 })),
          entityId: Type.Optional(Type.String({ maxLength: 64 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(Entry), total: Type.Integer() }) },
      },
    },
    async (req) =>
      listAudit(app.ctx.database.db, scopeOfRequest(req), {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  r.get(
    '/api/audit/verify',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'Recompute the hash chain and report the first tampered row',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            firstBadSeq: Nullable(Type.Integer()),
            reason: Nullable(Type.String()),
          }),
        },
      },
    },
    async () => verifyAuditChain(app.ctx.database.db),
  );
}
