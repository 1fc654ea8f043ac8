import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { THUMB_MIME } from '../../platform/files/images.ts';
import {
  blobStore,
  checkUploadRate,
  FileMetaSchema,
  listMine,
  publicVersion,
  readableFile,
  saveUpload,
  toFileMeta,
} from '../../platform/files/service.ts';
import { fileError, MAX_UPLOAD_BYTES } from '../../platform/files/sniff.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { type FormLimits, hasForm, readForm } from '../../platform/http/multipart.ts';
import { actorOf, authOf } from '../../platform/http/request.ts';
import { IdParams, PageQuery } from '../../platform/http/schemas.ts';

const MB = 1024 * 1024;

/** One file, as large as the largest kind allows (each kind's own limit is checked on its content). */
const UPLOAD_FORM: FormLimits = {
  files: 1,
  fileBytes: MAX_UPLOAD_BYTES,
  refuse: (p) =>
    p.reason === 'fileTooLarge' || p.reason === 'tooLarge'
      ? fileError(413, 'UPLOAD_TOO_LARGE', { limit: MAX_UPLOAD_BYTES / MB })
      : new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'file', code: 'field.invalid' }]),
};
const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** `filename*` (RFC 5987/6266) carries any name; the plain `filename` is an ASCII stand-in for old clients. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function sameEtag(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

/** Sends a blob with its type, caching validators and the headers that keep a browser from reinterpreting it. */
async function sendBlob(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  blob: { sha256: string; mime: string; size: number; disposition: string; cache: string },
) {
  const etag = `"${blob.sha256}"`;
  reply
    .header('etag', etag)
    .header('cache-control', blob.cache)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', blob.disposition);
  if (sameEtag(req, etag)) return reply.status(304).send();
  return reply.type(blob.mime).header('content-length', blob.size).send(blobStore(app.ctx).open(blob.sha256));
}

export async function fileRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['files'];

  r.post(
    '/api/files',
    {
      config: { permission: 'authenticated', form: UPLOAD_FORM },
      // Before the body is read: a user over the hourly limit does not get to send 100 MB first.
      preParsing: async (req, _reply, payload) => {
        await checkUploadRate(app.ctx, authOf(req).user.id);
        return payload;
      },
      schema: {
        tags,
        summary:
          'Upload one file (multipart field "file"): photo, video, PDF or Office document; its type is read from the content',
        consumes: ['multipart/form-data'],
        response: { 201: FileMetaSchema },
      },
    },
    async (req, reply) => {
      if (!hasForm(req)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
      const file = readForm(req).files[0];
      if (!file)
        throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: 'file', code: 'field.required' }]);
      const meta = await saveUpload(app.ctx, actorOf(req), { filename: file.filename, bytes: file.bytes });
      return reply.status(201).send(meta);
    },
  );

  r.get(
    '/api/files/mine',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'The caller’s uploads, newest first',
        querystring: Type.Object(PageQuery),
        response: { 200: Type.Object({ items: Type.Array(FileMetaSchema), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { page = 1, pageSize = 20 } = req.query;
      return listMine(app.ctx, authOf(req).user.id, page, pageSize);
    },
  );

  r.get(
    '/api/files/:id',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary:
          'A file’s metadata (404 unless the caller uploaded it or may read a record it is attached to)',
        params: IdParams,
        response: { 200: FileMetaSchema },
      },
    },
    async (req) => toFileMeta(await readableFile(app.ctx, authOf(req).user, req.params.id)),
  );

  r.get(
    '/api/files/:id/content',
    {
      config: { permission: 'authenticated' },
      schema: { tags, summary: 'The original bytes (ETag = SHA-256)', params: IdParams },
    },
    async (req, reply) => {
      const row = await readableFile(app.ctx, authOf(req).user, req.params.id);
      // A picture that cannot be decoded is handed over as a download, never shown as a picture.
      const picture = row.kind === 'image' && row.analysis !== 'failed';
      return sendBlob(app, req, reply, {
        sha256: row.sha256,
        mime: picture || row.kind !== 'image' ? row.mime : 'application/octet-stream',
        size: Number(row.size),
        disposition: contentDisposition(picture ? 'inline' : 'attachment', row.original_name),
        cache: 'private, no-cache',
      });
    },
  );

  r.get(
    '/api/files/:id/thumb',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary:
          'A JPEG thumbnail (images only; 409 FILE_NOT_READY with Retry-After while the picture is being analysed, 404 when there is none)',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const row = await readableFile(app.ctx, authOf(req).user, req.params.id);
      if (row.analysis === 'pending') {
        reply.header('retry-after', '2');
        throw new AppError(409, 'FILE_NOT_READY');
      }
      if (!row.thumb_sha256) throw notFound();
      const sha = row.thumb_sha256;
      return sendBlob(app, req, reply, {
        sha256: sha,
        mime: THUMB_MIME,
        size: await blobStore(app.ctx).size(sha),
        disposition: contentDisposition('inline', `thumb-${row.original_name.replace(/\.[^.]*$/, '')}.jpg`),
        cache: 'private, no-cache',
      });
    },
  );

  r.get(
    '/api/public/files/:id',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          'A file attached to a public record (citizens’ boards): images without any metadata, or the PDF',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const v = await publicVersion(app.ctx, actorOf(req), req.params.id);
      return sendBlob(app, req, reply, {
        sha256: v.sha256,
        mime: v.mime,
        size: v.size,
        // Named by id: the uploader's file name may say more than the board should.
        disposition: contentDisposition(
          v.mime === 'application/pdf' ? 'attachment' : 'inline',
          `${req.params.id}.${EXTENSION[v.mime] ?? 'bin'}`,
        ),
        cache: 'public, max-age=300',
      });
    },
  );
}
