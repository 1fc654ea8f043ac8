import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { ROLE_PERMISSIONS, ROLES } from '../../../../../packages/contracts/src/index.ts';
import { VERSION } from '../../version.ts';

const Health = Type.Object({
  status: Type.String(),
  db: Type.String(),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});

export async function systemRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const started = Date.now();

  r.get(
    '/api/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['system'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const body = {
        status: 'ok',
        db: app.ctx.database.engine,
        version: VERSION,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      };
      try {
        await sql`select 1`.execute(app.ctx.database.db);
        return body;
      } catch {
        return reply.status(503).send({ ...body, status: 'db-unavailable' });
      }
    },
  );

  r.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  r.get(
    '/api/roles',
    {
      config: { permission: 'role:read' },
      schema: {
        tags: ['users'],
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ role: Type.String(), permissions: Type.Array(Type.String()) })),
          }),
        },
      },
    },
    async () => ({ items: ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] })) }),
  );
}
