import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { COLORS } from '../../../../../../packages/contracts/src/index.ts';
import { scopeOfRequest } from '../../../platform/http/request.ts';
import { Id, IdParams } from '../../../platform/http/schemas.ts';
import { battleMap, cellDetail, cockpit, rankings, townshipMap } from './service.ts';

const ColorParam = Type.Union(
  COLORS.map((c) => Type.Literal(c)),
  { description: 'only the cells whose (worst) colour is this' },
);

/** 挂图作战: read-only views of a campaign's colours, within the caller's data scope (campaign:read). */
export async function battleMapRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['battle map'];
  const config = { permission: 'campaign:read' } as const;

  r.get(
    '/api/campaigns/:id/battlemap',
    {
      config,
      schema: {
        tags,
        summary:
          'The activities × units matrix: each cell coloured by its worst instance, with counts per colour, weighted progress and the reason; totals per row, column and overall',
        params: IdParams,
        querystring: Type.Object({
          phaseId: Type.Optional(Id),
          sectionId: Type.Optional(Id),
          unitId: Type.Optional(Id),
          groupId: Type.Optional(Id),
          color: Type.Optional(ColorParam),
        }),
      },
    },
    async (req) => battleMap(app.ctx, scopeOfRequest(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/rankings',
    {
      config,
      schema: {
        tags,
        summary:
          'Units ranked by completion rate (weighted done / due so far or done), then timeliness (done on time / due so far or done), then name',
        params: IdParams,
        querystring: Type.Object({ phaseId: Type.Optional(Id), groupId: Type.Optional(Id) }),
      },
    },
    async (req) => rankings(app.ctx, scopeOfRequest(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/cells',
    {
      config,
      schema: {
        tags,
        summary: 'One cell of the matrix: its instances with their colour, reason and non-draft reports',
        params: IdParams,
        querystring: Type.Object({ activityId: Id, unitId: Id }),
      },
    },
    async (req) =>
      cellDetail(app.ctx, scopeOfRequest(req), req.params.id, req.query.activityId, req.query.unitId),
  );

  r.get(
    '/api/campaigns/:id/township-map',
    {
      config,
      schema: {
        tags,
        summary: 'Each township’s worst colour and counts, with the (schematic) township map as GeoJSON',
        params: IdParams,
        querystring: Type.Object({ phaseId: Type.Optional(Id) }),
      },
    },
    async (req) => townshipMap(app.ctx, scopeOfRequest(req), req.params.id, req.query),
  );

  r.get(
    '/api/campaigns/:id/cockpit',
    {
      config,
      schema: {
        tags,
        summary: 'The leaders’ cockpit: colour distribution, sizes and supervision record counts',
        params: IdParams,
      },
    },
    async (req) => cockpit(app.ctx, scopeOfRequest(req), req.params.id),
  );
}
