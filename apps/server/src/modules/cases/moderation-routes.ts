import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf, scopeOfRequest } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import {
  createBan,
  hideCase,
  hideCaseFile,
  liftBan,
  listBans,
  unhideCase,
  unhideCaseFile,
} from './moderation.ts';

const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });
const CaseVisibility = Type.Object({
  id: Type.String(),
  hidden: Type.Boolean(),
  hiddenReason: Nullable(Type.String()),
});
const FileVisibility = Type.Object({
  caseId: Type.String(),
  fileId: Type.String(),
  hidden: Type.Boolean(),
  reason: Nullable(Type.String()),
});
const FileParams = Type.Object({ id: Id, fileId: Id });
const CaseBan = Type.Object({
  id: Type.String(),
  phoneMasked: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  reason: Type.String(),
  until: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  liftedAt: Nullable(Type.String()),
  active: Type.Boolean(),
});

/** Moderation of citizen cases: hiding cases and photos from the public, and the ban list (issue #5). */
export async function caseModerationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];
  const moderate = { permission: 'case:moderate' } as const;

  r.post(
    '/api/cases/:id/hide',
    {
      config: moderate,
      schema: {
        tags,
        summary: 'Take a case off the public list, board and detail (staff still see it, marked hidden)',
        params: IdParams,
        body: Type.Object({ reason: Reason }),
        response: { 200: CaseVisibility },
      },
    },
    async (req) => hideCase(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.body.reason),
  );

  r.post(
    '/api/cases/:id/unhide',
    {
      config: moderate,
      schema: {
        tags,
        summary: 'Show a hidden case to the public again',
        params: IdParams,
        response: { 200: CaseVisibility },
      },
    },
    async (req) => unhideCase(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id),
  );

  r.post(
    '/api/cases/:id/photos/:fileId/hide',
    {
      config: moderate,
      schema: {
        tags,
        summary: 'Take one photo of a case off the public view (the file is kept; staff see it marked)',
        params: FileParams,
        body: Type.Object({ reason: Reason }),
        response: { 200: FileVisibility },
      },
    },
    async (req) =>
      hideCaseFile(
        app.ctx,
        actorOf(req),
        scopeOfRequest(req),
        req.params.id,
        req.params.fileId,
        req.body.reason,
      ),
  );

  r.post(
    '/api/cases/:id/photos/:fileId/unhide',
    {
      config: moderate,
      schema: {
        tags,
        summary: 'Show a photo a moderator hid again',
        params: FileParams,
        response: { 200: FileVisibility },
      },
    },
    async (req) =>
      unhideCaseFile(app.ctx, actorOf(req), scopeOfRequest(req), req.params.id, req.params.fileId),
  );

  r.get(
    '/api/case-bans',
    {
      config: moderate,
      schema: {
        tags,
        summary: 'The ban list, newest first (phones masked); active=true keeps the bans in force now',
        querystring: Type.Object({ ...PageQuery, active: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(CaseBan), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { page = 1, pageSize = 20, active } = req.query;
      return listBans(app.ctx, { page, pageSize, active });
    },
  );

  r.post(
    '/api/case-bans',
    {
      config: moderate,
      schema: {
        tags,
        summary:
          'Ban a phone number (stored only as a hash and a masked form) or an IP address from filing cases; until: when it ends (none: until lifted)',
        body: Type.Object({
          phone: Type.Optional(Type.String({ maxLength: 20 })),
          ip: Type.Optional(Type.String({ maxLength: 45 })),
          reason: Reason,
          until: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
        }),
        response: { 201: CaseBan },
      },
    },
    async (req, reply) => reply.status(201).send(await createBan(app.ctx, actorOf(req), req.body)),
  );

  r.post(
    '/api/case-bans/:id/lift',
    {
      config: moderate,
      schema: { tags, summary: 'End a ban now', params: IdParams, response: { 200: CaseBan } },
    },
    async (req) => liftBan(app.ctx, actorOf(req), req.params.id),
  );
}
