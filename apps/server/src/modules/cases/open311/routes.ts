import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/http/errors.ts';
import { message } from '../../../platform/http/messages.ts';
import { validationProblems } from '../../../platform/http/plugin.ts';
import { Nullable } from '../../../platform/http/schemas.ts';
import { getRequest, listRequests, listServices, postRequest, serviceDefinition } from './service.ts';

const BASE = '/api/open311/v2';
const Format = Type.String({ description: 'Only "json"; "xml" is answered 400' });
const Common = {
  jurisdiction_id: Type.Optional(Type.String({ maxLength: 100, description: 'Accepted and ignored' })),
};

const Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Type.String(),
  keywords: Type.String(),
  group: Type.String(),
});
const ServiceRequest = Type.Object({
  service_request_id: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String(),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: Nullable(Type.String()),
  updated_datetime: Nullable(Type.String()),
  expected_datetime: Nullable(Type.String()),
  address: Type.String(),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String()),
});
const GeoReportError = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }));
const errors = { 400: GeoReportError, 403: GeoReportError, 404: GeoReportError };

/** A comma-separated list parameter, e.g. status=open,closed. */
const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean) ?? [];

function requireJson(format: string): void {
  if (format !== 'json') throw new AppError(400, 'OPEN311_FORMAT', { format });
}

function dateParam(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) {
    throw new AppError(400, 'VALIDATION_FAILED', {}, [
      { field, code: 'field.format', params: { format: 'date-time' } },
    ]);
  }
  return new Date(t);
}

/** Errors as GeoReport wants them: [{code, description}] with the HTTP status as the code. */
function geoReportErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const lang = req.lang ?? 'zh-CN';
  const reply400 = (description: string) => reply.status(400).send([{ code: 400, description }]);
  if (err instanceof AppError) {
    const text = message(err.code, lang, err.params);
    const details = err.fields.map((f) => `${f.field}: ${message(f.code, lang, f.params)}`);
    const description = details.length ? details.join('; ') : text;
    return reply.status(err.status).send([{ code: err.status, description }]);
  }
  if (err.validation) {
    return reply400(
      validationProblems(err.validation)
        .map((f) => `${f.field}: ${message(f.code, lang, f.params)}`)
        .join('; '),
    );
  }
  // A malformed, oversized or foreign body (Fastify's own 4xx errors).
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_JSON';
    return reply.status(status).send([{ code: status, description: message(code, lang) }]);
  }
  // A server fault goes to the application's handler (logged, 500).
  throw err;
}

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the categories as services, public
 * cases as service requests, and filing a case with an API key. See docs/open311.md.
 */
export async function open311Routes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(geoReportErrors);
  // GeoReport clients POST form-encoded bodies.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(String(body))) out[k] = v;
      done(null, out);
    },
  );
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['open311'];

  r.get(
    `${BASE}/services.:format`,
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'GeoReport v2 service list: the active case categories',
        params: Type.Object({ format: Format }),
        querystring: Type.Object(Common),
        response: { 200: Type.Array(Service), ...errors },
      },
    },
    async (req) => {
      requireJson(req.params.format);
      return listServices(app.ctx.database.db, req.lang);
    },
  );

  r.get(
    `${BASE}/services/:code.:format`,
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'GeoReport v2 service definition (no extra attributes)',
        params: Type.Object({ code: Type.String({ maxLength: 50 }), format: Format }),
        querystring: Type.Object(Common),
        response: {
          200: Type.Object({ service_code: Type.String(), attributes: Type.Array(Type.Never()) }),
          ...errors,
        },
      },
    },
    async (req) => {
      requireJson(req.params.format);
      return serviceDefinition(app.ctx.database.db, req.params.code);
    },
  );

  r.get(
    `${BASE}/requests.:format`,
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          'GeoReport v2 service requests: public cases, newest first, at most 1000; without dates the last 90 days',
        params: Type.Object({ format: Format }),
        querystring: Type.Object({
          ...Common,
          service_request_id: Type.Optional(Type.String({ maxLength: 2000, description: 'Comma-separated' })),
          service_code: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated' })),
          start_date: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
          end_date: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
          status: Type.Optional(Type.String({ maxLength: 20, description: 'open, closed or open,closed' })),
        }),
        response: { 200: Type.Array(ServiceRequest), ...errors },
      },
    },
    async (req) => {
      requireJson(req.params.format);
      const q = req.query;
      const statuses = list(q.status);
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) {
        throw new AppError(400, 'VALIDATION_FAILED', {}, [
          { field: 'status', code: 'field.enum', params: { values: 'open, closed' } },
        ]);
      }
      return listRequests(app.ctx, req.lang, {
        ids: list(q.service_request_id).slice(0, 200),
        codes: list(q.service_code).slice(0, 50),
        statuses: statuses as ('open' | 'closed')[],
        start: dateParam('start_date', q.start_date),
        end: dateParam('end_date', q.end_date),
      });
    },
  );

  r.post(
    `${BASE}/requests.:format`,
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          'GeoReport v2: file a case (needs api_key; lat/long or address_string; the phone is stored encrypted)',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        params: Type.Object({ format: Format }),
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 100,
              pattern: '^[!-~]+$',
              description:
                'Optional, printable ASCII without spaces (e.g. a UUID): a retry with the same key and the same fields files nothing new and gets the first answer (header Idempotent-Replayed: true); with other fields, 422',
            }),
          ),
        }),
        body: Type.Object({
          ...Common,
          api_key: Type.Optional(Type.String({ maxLength: 200 })),
          service_code: Type.Optional(Type.String({ maxLength: 50 })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          address_string: Type.Optional(Type.String({ maxLength: 200 })),
          address_id: Type.Optional(Type.String({ maxLength: 100, description: 'Accepted and ignored' })),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          media_url: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://\\S+$' })),
          email: Type.Optional(Type.String({ maxLength: 200, description: 'Accepted, not stored' })),
          device_id: Type.Optional(Type.String({ maxLength: 200, description: 'Accepted and ignored' })),
          account_id: Type.Optional(Type.String({ maxLength: 200, description: 'Accepted and ignored' })),
          first_name: Type.Optional(Type.String({ maxLength: 25 })),
          last_name: Type.Optional(Type.String({ maxLength: 25 })),
          phone: Type.Optional(Type.String({ maxLength: 30 })),
        }),
        response: {
          201: Type.Array(
            Type.Object({
              service_request_id: Type.String(),
              service_notice: Type.String(),
              account_id: Nullable(Type.String()),
            }),
          ),
          ...errors,
          422: GeoReportError,
        },
      },
    },
    async (req, reply) => {
      requireJson(req.params.format);
      const created = await postRequest(app.ctx, req.lang, req.body, req.ip, req.headers['idempotency-key']);
      if (created.replayed) reply.header('idempotent-replayed', 'true');
      const notice = created.unitName
        ? message('open311.noticeDispatched', req.lang, { no: created.no, unit: created.unitName })
        : message('open311.noticeReceived', req.lang, { no: created.no });
      return reply
        .status(201)
        .send([{ service_request_id: created.no, service_notice: notice, account_id: null }]);
    },
  );

  r.get(
    `${BASE}/requests/:id.:format`,
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'GeoReport v2: one service request by its number (e.g. OP-2026-000001)',
        params: Type.Object({ id: Type.String({ maxLength: 40 }), format: Format }),
        querystring: Type.Object(Common),
        response: { 200: Type.Array(ServiceRequest), ...errors },
      },
    },
    async (req) => {
      requireJson(req.params.format);
      return getRequest(app.ctx, req.lang, req.params.id);
    },
  );
}
