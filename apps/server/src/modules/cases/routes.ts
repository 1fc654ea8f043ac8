import { type Static, Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CASE_ACTIONS,
  CASE_CHANNELS,
  CASE_KINDS,
  CASE_LEVELS,
  CASE_MAX_PHOTOS,
  CASE_SLA_CLASSES,
  CASE_STATES,
  type CaseKind,
  type CaseLevel,
} from '../../../../../packages/contracts/src/index.ts';
import { UUID_PATTERN } from '../../db/ids.ts';
import { type StoredFile, storeBlobForLater } from '../../platform/files/service.ts';
import { detectType, extensionOf } from '../../platform/files/sniff.ts';
import { AppError, type FieldProblem } from '../../platform/http/errors.ts';
import {
  type FormFile,
  type FormLimits,
  formError,
  hasForm,
  readForm,
} from '../../platform/http/multipart.ts';
import { actorOf, authOf } from '../../platform/http/request.ts';
import { Id, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { checkIntake } from './abuse.ts';
import { createCategory, listCategories, updateCategory } from './categories.ts';
import {
  ADDRESS_MAX,
  type CaseIntake,
  type CaseOrigin,
  checkIntakeFields,
  checkPhotos,
  DESCRIPTION_MAX,
  TITLE_MAX,
  writeCase,
} from './intake.ts';
import { listCases, listMine, listPublic } from './repo.ts';
import * as cases from './service.ts';

const MB = 1024 * 1024;
/** One photo at most (SPEC §2.6). */
const PHOTO_MAX_BYTES = 10 * MB;

const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Day = Type.String({ format: 'date' });

function callerOf(req: FastifyRequest) {
  return cases.caseCaller(authOf(req).user, req.ip);
}

const IntakeJson = Type.Object({
  kind: Literals(CASE_KINDS),
  categoryId: Id,
  title: Type.Optional(Nullable(Type.String({ maxLength: TITLE_MAX }))),
  description: Type.String({ minLength: 1, maxLength: DESCRIPTION_MAX }),
  level: Type.Optional(Nullable(Literals(CASE_LEVELS))),
  areaUnitId: Type.Optional(Nullable(Id)),
  address: Type.Optional(Type.String({ maxLength: ADDRESS_MAX })),
  lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
  lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  anonymous: Type.Optional(Type.Boolean()),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  website: Type.Optional(Type.String({ maxLength: 200 })),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: CASE_MAX_PHOTOS, uniqueItems: true })),
});
type IntakeJsonBody = Static<typeof IntakeJson>;

const tooManyPhotos = () =>
  new AppError(400, 'VALIDATION_FAILED', {}, [
    { field: 'photos', code: 'case.tooManyPhotos', params: { limit: CASE_MAX_PHOTOS } },
  ]);

/** The H5 form: text fields and up to CASE_MAX_PHOTOS images in `photos`. */
const INTAKE_FORM: FormLimits = {
  files: CASE_MAX_PHOTOS,
  fileBytes: PHOTO_MAX_BYTES,
  fields: 30,
  fieldBytes: 16 * 1024,
  refuse: (p) => {
    if (p.reason === 'tooManyFiles') return tooManyPhotos();
    if (p.reason === 'fileTooLarge' || p.reason === 'tooLarge') {
      const limit = PHOTO_MAX_BYTES / MB;
      return new AppError(413, 'CASE_PHOTO_TOO_LARGE', { limit }, [
        { field: 'photos', code: 'CASE_PHOTO_TOO_LARGE', params: { limit } },
      ]);
    }
    return formError(p);
  },
};

/** The multipart form's text fields, and its files sent as `photos` (others are ignored). */
function readIntakeForm(req: FastifyRequest): { fields: Record<string, string>; photos: FormFile[] } {
  const form = readForm(req);
  return { fields: form.fields, photos: form.files.filter((f) => f.field === 'photos') };
}

const UUID = new RegExp(UUID_PATTERN);

/** The form's text fields as an intake (400 with every field at fault). */
function intakeOfForm(f: Record<string, string>): { input: Omit<CaseIntake, 'photoIds'>; honeypot: string } {
  const problems: FieldProblem[] = [];
  const text = (k: string) => (f[k] ?? '').trim();
  const kind = text('kind');
  if (!CASE_KINDS.includes(kind as CaseKind))
    problems.push({ field: 'kind', code: 'field.enum', params: { values: CASE_KINDS.join(', ') } });
  const categoryId = text('categoryId');
  if (!categoryId) problems.push({ field: 'categoryId', code: 'field.required' });
  else if (!UUID.test(categoryId)) problems.push({ field: 'categoryId', code: 'field.pattern' });
  const description = text('description');
  if (!description) problems.push({ field: 'description', code: 'field.required' });
  const level = text('level');
  if (level && !CASE_LEVELS.includes(level as CaseLevel))
    problems.push({ field: 'level', code: 'field.enum', params: { values: CASE_LEVELS.join(', ') } });
  const areaUnitId = text('areaUnitId');
  if (areaUnitId && !UUID.test(areaUnitId)) problems.push({ field: 'areaUnitId', code: 'case.unknownArea' });
  const num = (k: string) => {
    const v = text(k);
    if (!v) return null;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      problems.push({ field: k, code: 'field.type', params: { type: 'number' } });
      return null;
    }
    return n;
  };
  const lat = num('lat');
  const lng = num('lng');
  const anonymous = text('anonymous');
  if (anonymous && !['true', 'false', '1', '0'].includes(anonymous))
    problems.push({ field: 'anonymous', code: 'field.type', params: { type: 'boolean' } });
  const max = (k: string, limit: number) => {
    if (Array.from(text(k)).length > limit)
      problems.push({ field: k, code: 'field.maxLength', params: { limit } });
  };
  max('title', TITLE_MAX);
  max('address', ADDRESS_MAX);
  max('contactName', 50);
  max('contactPhone', 20);
  if (problems.length) throw new AppError(400, 'VALIDATION_FAILED', {}, problems);
  return {
    input: {
      kind: kind as CaseKind,
      categoryId,
      title: text('title') || null,
      description,
      level: (level || null) as CaseLevel | null,
      areaUnitId: areaUnitId || null,
      address: text('address'),
      lat,
      lng,
      anonymous: anonymous === 'true' || anonymous === '1',
      contactName: text('contactName') || null,
      contactPhone: text('contactPhone') || null,
    },
    honeypot: f.website ?? '',
  };
}

/** Each photo is an image by its content (its name is only fitted to it). */
function photoNames(photos: FormFile[]): string[] {
  return photos.map((p, i) => {
    const ext = extensionOf(p.filename);
    const type = p.bytes.length ? detectType(p.bytes, ext) : null;
    if (type?.kind !== 'image') {
      throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'photos', code: 'case.notImage' }]);
    }
    return type.extensions.includes(ext) ? p.filename : `photo-${i + 1}.${type.extensions[0]}`;
  });
}

/**
 * Intake: fields checked → abuse checks (bans, rate limits, honeypot, jurisdiction) → photos stored
 * (analysed later by the worker pool) → one transaction for the case.
 */
async function fileCase(app: FastifyInstance, req: FastifyRequest) {
  const caller = callerOf(req);
  const origin: CaseOrigin = {
    caller,
    channel: caller.user.kind === 'citizen' ? 'h5' : 'console',
    ip: req.ip,
  };
  let input: Omit<CaseIntake, 'photoIds'>;
  let honeypot: string;
  let photos: FormFile[] = [];
  let photoIds: string[] = [];
  if (hasForm(req)) {
    const form = readIntakeForm(req);
    ({ input, honeypot } = intakeOfForm(form.fields));
    photos = form.photos;
  } else {
    const body = req.body as IntakeJsonBody;
    input = {
      ...body,
      address: body.address ?? '',
      anonymous: body.anonymous ?? false,
    };
    honeypot = body.website ?? '';
    photoIds = body.photoIds ?? [];
  }
  const names = photoNames(photos);
  const count = photos.length + photoIds.length;
  const checked = await checkIntakeFields(app.ctx, { ...input, photoIds }, origin, count);
  await checkIntake(app.ctx, {
    phoneHash: checked.phone?.hash ?? null,
    ip: req.ip,
    honeypot,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    userId: caller.user.id,
    office: caller.user.permissions.has('case:dispatch'),
  });
  if (photoIds.length) await checkPhotos(app.ctx.database.db, photoIds, caller.user.id);
  // Blobs written now, outside the transaction, one after the other (the photos keep their order);
  // their rows go into the case's transaction.
  const stored: StoredFile[] = [];
  for (const [i, p] of photos.entries()) {
    stored.push(await storeBlobForLater(app.ctx, caller.user.id, { filename: names[i], bytes: p.bytes }));
  }
  return writeCase(app.ctx, checked, [...photoIds, ...stored.map((f) => f.id)], origin, stored);
}

const CaseFilterQuery = Type.Object({
  state: Type.Optional(Type.Array(Literals(CASE_STATES), { maxItems: CASE_STATES.length })),
  unitId: Type.Optional(Id),
  categoryId: Type.Optional(Id),
  areaUnitId: Type.Optional(Id),
  channel: Type.Optional(Literals(CASE_CHANNELS)),
  slaColor: Type.Optional(Literals(['green', 'yellow', 'red'] as const)),
  overdue: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  hidden: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

const CategoryBody = {
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$' }),
  nameZh: Text(30),
  nameEn: Text(60),
  description: Type.String({ maxLength: 500 }),
  slaClass: Literals(CASE_SLA_CLASSES),
  photoRequired: Type.Boolean(),
  answerReview: Type.Boolean(),
  public: Type.Boolean(),
  active: Type.Boolean(),
  sort: Type.Integer({ minimum: 0, maximum: 100000 }),
};

const RuleBody = {
  categoryId: Nullable(Id),
  areaUnitId: Nullable(Id),
  unitId: Id,
  note: Type.Optional(Type.String({ maxLength: 200 })),
};

/** Citizen cases (文明随手拍 / 群众说事): intake, the office list, the workflow, categories, routing, the public view. */
export async function caseRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];

  r.post(
    '/api/cases',
    {
      config: { permission: 'case:report', form: INTAKE_FORM },
      schema: {
        tags,
        summary:
          'File a case: multipart/form-data (text fields and up to 9 images in "photos") or JSON with photoIds ' +
          '(files uploaded by the caller); routed to a unit by the routing rules, else waits for dispatch',
        consumes: ['multipart/form-data', 'application/json'],
        body: { content: { 'application/json': { schema: IntakeJson } } },
        response: {
          201: Type.Object({
            id: Type.String(),
            no: Type.String(),
            state: Type.String(),
            unitId: Nullable(Type.String()),
            unitName: Nullable(Type.String()),
          }),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await fileCase(app, req)),
  );

  r.get(
    '/api/cases/mine',
    {
      config: { permission: 'case:report' },
      schema: { tags, summary: 'The caller’s own cases, newest first', querystring: Type.Object(PageQuery) },
    },
    async (req) =>
      listMine(app.ctx.database.db, authOf(req).user.id, req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  r.get(
    '/api/cases',
    {
      config: { permission: 'case:read' },
      schema: {
        tags,
        summary: 'Cases in the caller’s scope, newest first; keyset paging (pass nextCursor back as cursor)',
        querystring: CaseFilterQuery,
      },
    },
    async (req) =>
      listCases(
        app.ctx.database.db,
        app.ctx.database.engine,
        callerOf(req).scope,
        req.query,
        app.ctx.clock.now(),
      ),
  );

  r.get(
    '/api/cases/:id',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'A case: staff in scope or its reporter (others: the public view)',
        params: IdParams,
      },
    },
    async (req) => cases.getCaseDetail(app.ctx, callerOf(req), req.params.id),
  );

  r.post(
    '/api/cases/:id/transitions',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary:
          'Take an action (the detail lists allowedActions) with the version you saw. dispatch/reassign: ' +
          'payload.unitId; request_extension: payload.dueAt; rate: payload.score 1–5 and comment; merge: payload.originalId',
        params: IdParams,
        body: Type.Object({
          action: Literals(CASE_ACTIONS),
          version: Type.Integer({ minimum: 1 }),
          note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          attachments: Type.Optional(Type.Array(Id, { maxItems: CASE_MAX_PHOTOS, uniqueItems: true })),
          payload: Type.Optional(
            Type.Object({
              unitId: Type.Optional(Id),
              dueAt: Type.Optional(Type.String({ format: 'date-time' })),
              score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
              comment: Type.Optional(Type.String({ maxLength: 500 })),
              originalId: Type.Optional(Id),
            }),
          ),
        }),
      },
    },
    async (req) => cases.actOnCase(app.ctx, callerOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/cases/:id/validity',
    {
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        summary: 'The office’s verdict on a report; a valid citizen report records the points event once',
        params: IdParams,
        body: Type.Object({
          valid: Type.Boolean(),
          note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
        }),
      },
    },
    async (req) => cases.setValidity(app.ctx, callerOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/cases/:id/contact',
    {
      config: { permission: 'pii:read' },
      schema: { tags, summary: 'The full contact of a case (audited)', params: IdParams },
    },
    async (req) => cases.revealContact(app.ctx, callerOf(req), req.params.id),
  );

  r.post(
    '/api/cases/:id/follow',
    {
      config: { permission: 'case:report' },
      schema: { tags, summary: 'Follow a public case: hear of its progress', params: IdParams },
    },
    async (req) => cases.follow(app.ctx, callerOf(req), req.params.id, true),
  );

  r.delete(
    '/api/cases/:id/follow',
    {
      config: { permission: 'case:report' },
      schema: { tags, summary: 'Stop following a case', params: IdParams },
    },
    async (req) => cases.follow(app.ctx, callerOf(req), req.params.id, false),
  );

  r.get(
    '/api/case-categories',
    {
      config: { permission: 'public' },
      schema: { tags, summary: 'Case categories in order (inactive ones only for case:admin)' },
    },
    async (req) => {
      const all = await listCategories(app.ctx.database.db);
      return req.auth?.user.permissions.has('case:admin') ? all : all.filter((c) => c.active);
    },
  );

  r.post(
    '/api/case-categories',
    {
      config: { permission: 'case:admin' },
      schema: { tags, body: Type.Object(CategoryBody) },
    },
    async (req, reply) => reply.status(201).send(await createCategory(app.ctx, actorOf(req), req.body)),
  );

  r.patch(
    '/api/case-categories/:id',
    {
      config: { permission: 'case:admin' },
      schema: { tags, params: IdParams, body: Type.Partial(Type.Object(CategoryBody), { minProperties: 1 }) },
    },
    async (req) => updateCategory(app.ctx, actorOf(req), req.params.id, req.body),
  );

  r.get(
    '/api/case-routing-rules',
    {
      config: { permission: 'case:admin' },
      schema: { tags, summary: 'Routing rules (category + area → unit)' },
    },
    async () => cases.listRules(app.ctx.database.db),
  );

  r.get(
    '/api/case-routing-rules/resolve',
    {
      // Whoever dispatches sees where the rules would send a case (working groups dispatch too).
      config: { permission: 'case:dispatch' },
      schema: {
        tags,
        summary: 'Which unit a case of this category and area would go to, and why',
        querystring: Type.Object({
          categoryId: Id,
          areaUnitId: Type.Optional(Id),
          kind: Type.Optional(Literals(CASE_KINDS)),
          level: Type.Optional(Literals(CASE_LEVELS)),
        }),
      },
    },
    async (req) => cases.resolveRoute(app.ctx, req.query),
  );

  r.post(
    '/api/case-routing-rules',
    { config: { permission: 'case:admin' }, schema: { tags, body: Type.Object(RuleBody) } },
    async (req, reply) => reply.status(201).send(await cases.createRule(app.ctx, actorOf(req), req.body)),
  );

  r.patch(
    '/api/case-routing-rules/:id',
    {
      config: { permission: 'case:admin' },
      schema: { tags, params: IdParams, body: Type.Partial(Type.Object(RuleBody), { minProperties: 1 }) },
    },
    async (req) => cases.updateRule(app.ctx, actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/case-routing-rules/:id',
    { config: { permission: 'case:admin' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await cases.deleteRule(app.ctx, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/case-areas',
    { config: { permission: 'public' }, schema: { tags, summary: 'Townships with their villages' } },
    async () => cases.caseAreas(app.ctx.database.db),
  );

  r.get(
    '/api/public/cases',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Public cases without personal data, newest first',
        querystring: Type.Object({
          categoryId: Type.Optional(Id),
          areaUnitId: Type.Optional(Id),
          state: Type.Optional(Type.Array(Literals(CASE_STATES), { maxItems: CASE_STATES.length })),
          ...PageQuery,
        }),
      },
    },
    async (req) => {
      const page = await listPublic(app.ctx.database.db, req.query);
      return { ...page, items: page.items.map(cases.publicListItem) };
    },
  );

  r.get(
    '/api/public/cases/:id',
    {
      config: { permission: 'public' },
      schema: { tags, summary: 'The public view of a case (merged: mergedInto)', params: IdParams },
    },
    async (req) => cases.publicCase(app.ctx, req.auth?.user ?? null, req.params.id),
  );
}
