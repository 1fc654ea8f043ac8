import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.ts';
import { type FormLimits, hasForm, readForm } from '../../platform/http/multipart.ts';
import { actorOf, authOf, scopeOfRequest } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { planTextFromBytes } from './plan/source.ts';
import { PlanSourceError } from './plan/source-error.ts';
import * as campaigns from './service.ts';
import * as deployments from './tasks/deployments.ts';
import * as lifecycle from './tasks/lifecycle.ts';

/** A plan file or pasted text: at most 2 MB (a long plan is a few hundred KB). */
const PLAN_LIMIT = 2 * 1024 * 1024;
/** Pasted text in JSON: 2 MB of text, with room for JSON escapes. */
const JSON_LIMIT = 3 * PLAN_LIMIT;
/** Or the plan as one uploaded file. */
const PLAN_FORM: FormLimits = {
  files: 1,
  fileBytes: PLAN_LIMIT,
  refuse: (p) =>
    p.reason === 'fileTooLarge' || p.reason === 'tooLarge'
      ? new AppError(413, 'PAYLOAD_TOO_LARGE')
      : new AppError(400, 'IMPORT_FILE_INVALID'),
};
const PlanText = Type.String({ minLength: 1, maxLength: PLAN_LIMIT });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Fraction = Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 });
const Points = Type.Integer({ minimum: 1, maximum: 99 });
const ColorRulesBody = Type.Object(
  {
    preset: Type.Union((['default', 'yinchuan', 'shangqiu', 'custom'] as const).map((p) => Type.Literal(p))),
    yellowTimeLeft: Fraction,
    orangeTimeLeft: Nullable(Fraction),
    lagYellowPoints: Nullable(Points),
    lagRedPoints: Nullable(Points),
    returnedGraceWorkingDays: Type.Integer({ minimum: 0, maximum: 60 }),
  },
  { additionalProperties: false },
);

/** The plan's text from a JSON body ({text}) or an uploaded .txt/.docx (multipart field "file"). */
async function planTextOf(req: FastifyRequest): Promise<string> {
  if (!hasForm(req)) {
    const body = req.body as { text?: unknown } | null;
    if (typeof body?.text !== 'string' || !body.text.trim())
      throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'text', code: 'field.required' }]);
    if (body.text.length > PLAN_LIMIT)
      throw new AppError(400, 'VALIDATION_FAILED', {}, [
        { field: 'text', code: 'field.maxLength', params: { limit: PLAN_LIMIT } },
      ]);
    return body.text;
  }
  const bytes = readForm(req).files[0]?.bytes;
  if (!bytes?.length)
    throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'file', code: 'field.required' }]);
  try {
    return planTextFromBytes(bytes).text;
  } catch (e) {
    if (e instanceof PlanSourceError)
      throw new AppError(400, 'PLAN_FILE_UNSUPPORTED', {}, [
        { field: 'file', code: 'PLAN_FILE_UNSUPPORTED' },
      ]);
    throw e;
  }
}

export async function campaignRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['campaigns'];

  r.post(
    '/api/campaigns/import/preview',
    {
      config: { permission: 'campaign:write', form: PLAN_FORM },
      bodyLimit: JSON_LIMIT,
      schema: {
        tags,
        summary:
          'Parse a plan (JSON {text}, or multipart field "file": .txt or .docx, 2 MB at most) against the org tree: the parsed plan, the source lines and the unresolved unit names',
        consumes: ['application/json', 'multipart/form-data'],
      },
    },
    async (req) => campaigns.previewPlan(app.ctx, await planTextOf(req)),
  );

  r.post(
    '/api/campaigns/import/aliases',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: 'Save a plan’s names for units as org aliases (all or none are checked first)',
        body: Type.Object({
          mappings: Type.Array(
            Type.Object({ text: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), unitId: Id }),
            { minItems: 1, maxItems: 200 },
          ),
        }),
        response: { 200: Type.Object({ saved: Type.Integer() }) },
      },
    },
    async (req) => campaigns.saveAliases(app.ctx, actorOf(req), scopeOfRequest(req), req.body.mappings),
  );

  r.post(
    '/api/campaigns',
    {
      config: { permission: 'campaign:write' },
      bodyLimit: JSON_LIMIT,
      schema: {
        tags,
        summary: 'Parse the plan again and save it as a draft campaign; refused while a unit is unresolved',
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
          year: Type.Integer({ minimum: 2000, maximum: 2100 }),
          text: PlanText,
        }),
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await campaigns.createCampaign(app.ctx, actorOf(req), scopeOfRequest(req), req.body)),
  );

  r.get(
    '/api/campaigns',
    {
      config: { permission: 'campaign:read' },
      schema: { tags, querystring: Type.Object(PageQuery) },
    },
    async (req) => campaigns.listCampaigns(app.ctx, scopeOfRequest(req), req.query.page, req.query.pageSize),
  );

  r.get(
    '/api/campaigns/:id',
    { config: { permission: 'campaign:read' }, schema: { tags, params: IdParams } },
    async (req) => campaigns.getCampaign(app.ctx, scopeOfRequest(req), req.params.id),
  );

  r.delete(
    '/api/campaigns/:id',
    { config: { permission: 'campaign:write' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await campaigns.deleteCampaign(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.patch(
    '/api/campaigns/:id',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary:
          'Campaign settings: name, window, unit approval, colour rules (null = the default); new rules recolour the campaign',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
            startsOn: Type.Optional(LocalDate),
            endsOn: Type.Optional(LocalDate),
            requiresUnitApproval: Type.Optional(Type.Boolean()),
            colorRules: Type.Optional(Nullable(ColorRulesBody)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      await lifecycle.updateCampaign(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body);
      return campaigns.getCampaign(app.ctx, scopeOfRequest(req), req.params.id);
    },
  );

  r.post(
    '/api/campaigns/:id/activate',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary:
          'Activate a draft: a task per leaf activity, then one instance per task × unit × cycle; a second call → 409',
        params: IdParams,
      },
    },
    async (req) => {
      const made = await lifecycle.activateCampaign(
        app.ctx,
        actorOf(req),
        scopeOfRequest(req),
        req.params.id,
      );
      return { ...(await campaigns.getCampaign(app.ctx, scopeOfRequest(req), req.params.id)), created: made };
    },
  );

  r.post(
    '/api/campaigns/:id/close',
    {
      config: { permission: 'campaign:write' },
      schema: { tags, summary: 'Close an active campaign: no more reports', params: IdParams },
    },
    async (req) => {
      await lifecycle.closeCampaign(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id);
      return campaigns.getCampaign(app.ctx, scopeOfRequest(req), req.params.id);
    },
  );

  r.post(
    '/api/campaigns/:id/copy',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary: 'Copy a campaign to another year as a new draft, every date moved by whole years',
        params: IdParams,
        body: Type.Object(
          {
            year: Type.Integer({ minimum: 2000, maximum: 2100 }),
            name: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const id = await lifecycle.copyCampaign(
        app.ctx,
        actorOf(req),
        scopeOfRequest(req),
        req.params.id,
        req.body,
      );
      return reply.status(201).send(await campaigns.getCampaign(app.ctx, scopeOfRequest(req), id));
    },
  );

  r.get(
    '/api/campaigns/:id/deployments',
    {
      config: { permission: 'campaign:read' },
      schema: {
        tags,
        summary: 'Deployment notices of the campaign with acknowledgement counts (office view)',
        params: IdParams,
      },
    },
    async (req) => deployments.listDeployments(app.ctx, scopeOfRequest(req), req.params.id),
  );

  r.post(
    '/api/campaigns/:id/deployments',
    {
      config: { permission: 'campaign:write' },
      schema: {
        tags,
        summary:
          'Deploy: a notice with required acknowledgement (签收) to the campaign’s units (default: all of them)',
        params: IdParams,
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            body: Type.String({ minLength: 1, maxLength: 20000, pattern: '\\S' }),
            fileIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
            ackDueAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
            unitIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await deployments.sendDeployment(app.ctx, authOf(req).user, actorOf(req), req.params.id, req.body),
        ),
  );
}
