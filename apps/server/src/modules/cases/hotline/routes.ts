import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HOTLINE_FIELDS } from '../../../../../../packages/contracts/src/index.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { hasForm, IMPORT_FORM, readForm } from '../../../platform/http/multipart.ts';
import { errorBody } from '../../../platform/http/plugin.ts';
import { actorOf, authOf, scopeOfRequest } from '../../../platform/http/request.ts';
import { ErrorReply, IdParams, Nullable, PageQuery } from '../../../platform/http/schemas.ts';
import type { Caller } from '../../../platform/workflow/machine.ts';
import { getImport, getMapping, HeaderError, importHotline, listImports, saveMapping } from './service.ts';

const Header = Type.String({ maxLength: 100 });
const Columns = Type.Object(
  Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, Nullable(Header)])) as Record<
    (typeof HOTLINE_FIELDS)[number],
    ReturnType<typeof Nullable<typeof Header>>
  >,
  { additionalProperties: false },
);
const MappingBody = Type.Object({
  columns: Columns,
  categoryValues: Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.String({ maxLength: 50 }), {
    maxProperties: 500,
  }),
  defaultCategory: Nullable(Type.String({ maxLength: 50 })),
  unknownTownship: Type.Union([Type.Literal('reject'), Type.Literal('unrouted')]),
});
const Mapping = Type.Composite([
  MappingBody,
  Type.Object({ updatedAt: Nullable(Type.String()), updatedBy: Nullable(Type.String()) }),
]);
const Counts = {
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
};
const ReportRow = Type.Object({
  row: Type.Integer({ description: 'The row number in the file (the header is row 1)' }),
  orderNo: Type.String(),
  outcome: Type.Union(['created', 'updated', 'unchanged', 'rejected'].map((o) => Type.Literal(o))),
  caseId: Nullable(Type.String()),
  caseNo: Nullable(Type.String()),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
});
const Report = Type.Object({
  id: Nullable(Type.String({ description: 'null for a dry run (nothing recorded)' })),
  dryRun: Type.Boolean(),
  filename: Type.String(),
  headers: Type.Array(Type.String()),
  total: Type.Integer(),
  ...Counts,
  rows: Type.Array(ReportRow),
  createdAt: Type.String(),
});
const Summary = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  ...Counts,
  importedBy: Nullable(Type.String()),
  importedByName: Nullable(Type.String()),
  createdAt: Type.String(),
});

function callerOf(req: FastifyRequest): Caller {
  return { user: authOf(req).user, scope: scopeOfRequest(req), ip: req.ip };
}

/** The 12345 hotline import (GET/PUT the column mapping; upload an export; the imports and their reports). */
export async function hotlineRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases: 12345 import'];

  r.get(
    '/api/case-imports/mapping',
    { config: { permission: 'case:dispatch' }, schema: { tags, response: { 200: Mapping } } },
    async () => getMapping(app.ctx.database.db),
  );

  r.put(
    '/api/case-imports/mapping',
    {
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        summary: 'Which column holds each field, the category value table, and what an unknown township does',
        body: MappingBody,
        response: { 200: Mapping },
      },
    },
    async (req) => saveMapping(app.ctx, actorOf(req), req.body),
  );

  r.post(
    '/api/case-imports',
    {
      config: { permission: 'case:dispatch', form: IMPORT_FORM },
      schema: {
        tags,
        summary:
          'Imports a 12345 export (.xlsx or .csv in UTF-8 or GBK, multipart field "file", ≤ 10 MB, ≤ 20,000 rows); ' +
          'dryRun=true reports per row without writing',
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
        response: {
          200: Report,
          201: Report,
          400: Type.Composite([
            ErrorReply,
            Type.Object({
              headers: Type.Optional(
                Type.Array(Type.String(), { description: 'The header row found in the file' }),
              ),
              missing: Type.Optional(
                Type.Array(Type.String(), { description: 'Mapped headers the file lacks' }),
              ),
            }),
          ]),
        },
      },
    },
    async (req, reply) => {
      if (!hasForm(req)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
      const form = readForm(req);
      const file = form.files[0];
      if (!file)
        throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'file', code: 'field.required' }]);
      const fieldValue = form.fields.dryRun ?? null;
      const dryRun = req.query.dryRun ?? fieldValue === 'true';
      try {
        const report = await importHotline(app.ctx, callerOf(req), req.lang, {
          filename: (file.filename || 'upload').slice(0, 200),
          bytes: file.bytes,
          dryRun,
        });
        return reply.status(dryRun ? 200 : 201).send(report);
      } catch (err) {
        if (!(err instanceof HeaderError)) throw err;
        return reply.status(400).send({
          ...errorBody(req.lang, err.code, err.params, err.fields),
          headers: err.headers,
          missing: err.missing,
        });
      }
    },
  );

  r.get(
    '/api/case-imports',
    {
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        querystring: Type.Object(PageQuery),
        response: { 200: Type.Object({ items: Type.Array(Summary), total: Type.Integer() }) },
      },
    },
    async (req) => listImports(app.ctx.database.db, req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  r.get(
    '/api/case-imports/:id',
    {
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        params: IdParams,
        response: { 200: Type.Composite([Type.Omit(Report, ['id']), Summary]) },
      },
    },
    async (req) => getImport(app.ctx.database.db, req.lang, req.params.id),
  );
}
