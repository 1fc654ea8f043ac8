import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import type { Kysely, Selectable } from 'kysely';
import { uuidv7 } from '../../db/ids.ts';
import { int } from '../../db/normalize.ts';
import type { DB, FileTable } from '../../db/schema.ts';
import type { Actor } from '../audit/audit.ts';
import type { AppContext } from '../context.ts';
import { AppError, invalidField, notFound } from '../http/errors.ts';
import { Nullable } from '../http/schemas.ts';
import type { AuthUser } from '../rbac/types.ts';
import { type Tx, writeTx } from '../tx.ts';
import { kickAnalysis } from './analyser.ts';
import { analyseImage, hamming, publicCopy, publicMimeOf } from './images.ts';
import { extensionOf, type FileKind, fileError, sniff } from './sniff.ts';
import { type BlobStore, LocalBlobStore, sha256Async } from './store.ts';

/** A stored file as other modules and the API show it. */
export const FileMetaSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mime: Type.String(),
  kind: Type.Union([
    Type.Literal('image'),
    Type.Literal('video'),
    Type.Literal('pdf'),
    Type.Literal('office'),
  ]),
  size: Type.Integer(),
  sha256: Type.String(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  takenAt: Nullable(
    Type.String({ description: 'EXIF capture time as the camera recorded it (no zone unless it gave one)' }),
  ),
  gps: Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number() })),
  hasThumb: Type.Boolean(),
  analysis: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('failed')], {
    description:
      'Pictures: pending until the thumbnail, dHash and EXIF facts are computed; failed when the picture cannot be decoded (it is then not shown as a picture). Other kinds: done',
  }),
  uploadedAt: Type.String(),
  uploadedBy: Nullable(Type.String()),
});
export type FileMeta = Static<typeof FileMetaSchema>;
export type FileAnalysis = FileMeta['analysis'];

type FileRow = Selectable<FileTable>;

export function toFileMeta(r: FileRow): FileMeta {
  return {
    id: r.id,
    name: r.original_name,
    mime: r.mime,
    kind: r.kind as FileKind,
    size: int(r.size),
    sha256: r.sha256,
    width: r.width === null ? null : int(r.width),
    height: r.height === null ? null : int(r.height),
    takenAt: r.taken_at,
    gps: r.gps_lat === null || r.gps_lng === null ? null : { lat: Number(r.gps_lat), lng: Number(r.gps_lng) },
    hasThumb: r.thumb_sha256 !== null,
    analysis: r.analysis as FileAnalysis,
    uploadedAt: r.uploaded_at,
    uploadedBy: r.uploaded_by,
  };
}

// ---- the blob store of a context --------------------------------------------------------------

const stores = new WeakMap<AppContext, BlobStore>();

/** The context's blob store: `<dataDir>/files` on local disk unless another one was installed. */
export function blobStore(ctx: AppContext): BlobStore {
  let s = stores.get(ctx);
  if (!s) {
    s = new LocalBlobStore(path.join(ctx.config.dataDir, 'files'));
    stores.set(ctx, s);
  }
  return s;
}

/** Installs another BlobStore implementation (an object-store adapter) for this context. */
export function useBlobStore(ctx: AppContext, store: BlobStore): void {
  stores.set(ctx, store);
}

// ---- upload -----------------------------------------------------------------------------------

export const UPLOADS_PER_HOUR = 120;
const HOUR = 3600_000;
const MAX_NAME = 200;

/** The name to keep: no directories, no control characters, NFC, at most 200 characters (extension kept). */
export function cleanName(raw: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? '').normalize('NFC');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const chars = Array.from(name);
  if (chars.length <= MAX_NAME) return name;
  const ext = extensionOf(name);
  const keep = ext ? MAX_NAME - ext.length - 1 : MAX_NAME;
  return chars.slice(0, keep).join('') + (ext ? `.${ext}` : '');
}

/** Refuses with 429 (and how long to wait) when the user stored UPLOADS_PER_HOUR files in the past hour. */
export async function checkUploadRate(ctx: AppContext, userId: string): Promise<void> {
  const now = ctx.clock.now().getTime();
  const recent = await ctx.database.db
    .selectFrom('files')
    .select('uploaded_at')
    .where('uploaded_by', '=', userId)
    .where('uploaded_at', '>', new Date(now - HOUR).toISOString())
    .orderBy('uploaded_at', 'desc')
    .limit(UPLOADS_PER_HOUR)
    .execute();
  if (recent.length < UPLOADS_PER_HOUR) return;
  const oldest = Date.parse(recent[recent.length - 1].uploaded_at);
  throw new AppError(429, 'RATE_LIMITED', { seconds: Math.max(1, Math.ceil((oldest + HOUR - now) / 1000)) });
}

/** When a picture's thumbnail, dHash and EXIF facts are computed (see analyser.ts). */
export type AnalyseWhen = 'now' | 'later';

type Derived = Pick<
  FileRow,
  'width' | 'height' | 'taken_at' | 'gps_lat' | 'gps_lng' | 'dhash' | 'thumb_sha256' | 'public_sha256'
>;

const NO_FACTS: Derived = {
  width: null,
  height: null,
  taken_at: null,
  gps_lat: null,
  gps_lng: null,
  dhash: null,
  thumb_sha256: null,
  public_sha256: null,
};

/**
 * Stores an upload: its type is decided from the content and must fit the name's extension and the
 * kind's size limit; images get their thumbnail, EXIF capture time and position, and dHash. Blobs are
 * written before (and outside) the transaction that inserts the row and its audit record, so a refused
 * upload stores nothing and an accepted one is never half-recorded.
 *
 * With `analyse: 'later'` a picture's analysis is left to the analyser processes (analyser.ts): the row is
 * inserted with `analysis = 'pending'` and the request does no image decoding at all; a picture that
 * turns out undecodable becomes 'failed' instead of being refused. The type and size checks still run
 * here, and the same bytes analysed before still reuse their facts at once.
 */
export async function saveUpload(
  ctx: AppContext,
  actor: Actor,
  input: { filename: string; bytes: Buffer },
  opts: { analyse?: AnalyseWhen } = {},
): Promise<FileMeta> {
  const row = await storeBlob(ctx, actor.id, input, opts.analyse ?? 'now');
  await writeTx(ctx, actor, async (tx) => {
    await tx.db.insertInto('files').values(row).execute();
    await tx.audit({ action: 'file.upload', entity: 'file', entityId: row.id, after: uploadFacts(row) });
  });
  if (row.analysis === 'pending') kickAnalysis(ctx);
  return toFileMeta(row);
}

/** A stored file, not recorded yet: the caller inserts it in its own transaction (insertStoredFiles). */
export type StoredFile = FileRow;

/**
 * Stores a picture for a record that is created in the same request (a case's photos): checked and
 * written like saveUpload's `analyse: 'later'`, but the row is returned instead of inserted, so that the
 * caller's one transaction inserts it (insertStoredFiles) beside its record and the caller's own audit
 * row names it (uploadFacts) — one transaction and one audit row per request instead of one more each.
 */
export function storeBlobForLater(
  ctx: AppContext,
  uploadedBy: string,
  input: { filename: string; bytes: Buffer },
): Promise<StoredFile> {
  return storeBlob(ctx, uploadedBy, input, 'later');
}

/**
 * Inserts stored files inside the caller's transaction. The caller audits them (uploadFacts) and,
 * after the commit, calls `kickAnalysis(ctx)` when one of them is `pending`.
 */
export async function insertStoredFiles(tx: Tx, rows: StoredFile[]): Promise<void> {
  if (rows.length) await tx.db.insertInto('files').values(rows).execute();
}

/** What the audit records of an upload. */
export function uploadFacts(row: StoredFile) {
  return { name: row.original_name, mime: row.mime, size: row.size, sha256: row.sha256 };
}

/** The checks, the analysis (now, or reused, or left pending) and the blob of an upload: its row. */
async function storeBlob(
  ctx: AppContext,
  uploadedBy: string | null,
  input: { filename: string; bytes: Buffer },
  when: AnalyseWhen,
): Promise<FileRow> {
  const name = cleanName(input.filename);
  const type = sniff(input.bytes, name);
  const store = blobStore(ctx);
  // Analysed later: nothing below can refuse the bytes, so they are stored now (hashed on the way, off the
  // event loop). Analysed now: stored only once the analysis has accepted them.
  const stored = when === 'later' ? await store.put(input.bytes) : null;
  const sha = stored ?? (await sha256Async(input.bytes));

  let derived = NO_FACTS;
  let analysis: FileAnalysis = 'done';
  // The same bytes were analysed before: reuse what they gave.
  const twin = await ctx.database.db
    .selectFrom('files')
    .select([
      'width',
      'height',
      'taken_at',
      'gps_lat',
      'gps_lng',
      'dhash',
      'thumb_sha256',
      'public_sha256',
      'analysis',
    ])
    .where('sha256', '=', sha)
    .where('analysis', '<>', 'pending')
    .limit(1)
    .executeTakeFirst();
  if (twin && (twin.analysis === 'done' || when === 'later')) {
    const { analysis: twinAnalysis, ...facts } = twin;
    derived = facts;
    analysis = twinAnalysis as FileAnalysis;
  } else if (type.kind === 'image' && when === 'later') {
    analysis = 'pending';
  } else if (type.kind === 'image') {
    const optional = type.mime === 'image/heic' || type.mime === 'image/heif';
    const facts = await analyseImage(input.bytes, optional).catch(() => {
      throw fileError(415, 'FILE_UNREADABLE', { type: type.label });
    });
    derived = {
      width: facts.width,
      height: facts.height,
      taken_at: facts.takenAt,
      gps_lat: facts.gps?.lat ?? null,
      gps_lng: facts.gps?.lng ?? null,
      dhash: facts.dhash,
      thumb_sha256: facts.thumb ? await store.put(facts.thumb) : null,
      public_sha256: null,
    };
  }
  if (!stored) await store.put(input.bytes, sha);

  const row: FileRow = {
    id: uuidv7(),
    sha256: sha,
    size: input.bytes.length,
    mime: type.mime,
    kind: type.kind,
    original_name: name,
    uploaded_by: uploadedBy,
    uploaded_at: ctx.clock.now().toISOString(),
    analysis,
    ...derived,
  };
  return row;
}

// ---- links to records ---------------------------------------------------------------------------

/**
 * Attaches files to a record inside the caller's transaction. Every id must be a file the user
 * uploaded; otherwise nothing is linked and the field `attachments` is refused.
 */
export async function linkFiles(
  tx: Tx,
  fileIds: string[],
  record: { type: string; id: string },
  userId: string,
): Promise<void> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return;
  const mine = await tx.db
    .selectFrom('files')
    .select('id')
    .where('id', 'in', ids)
    .where('uploaded_by', '=', userId)
    .execute();
  if (mine.length !== ids.length) throw invalidField('attachments', 'field.unknownFile');
  const linkedAt = tx.clock.now().toISOString();
  await tx.db
    .insertInto('file_links')
    .values(
      ids.map((id) => ({
        file_id: id,
        record_type: record.type,
        record_id: record.id,
        linked_by: userId,
        linked_at: linkedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['file_id', 'record_type', 'record_id']).doNothing())
    .execute();
  await tx.audit({
    action: 'file.link',
    entity: record.type,
    entityId: record.id,
    after: { files: ids },
  });
}

/** The files attached to a record, in the order they were attached. */
export async function filesOf(db: Kysely<DB>, recordType: string, recordId: string): Promise<FileMeta[]> {
  const rows = await db
    .selectFrom('file_links as l')
    .innerJoin('files as f', 'f.id', 'l.file_id')
    .selectAll('f')
    .where('l.record_type', '=', recordType)
    .where('l.record_id', '=', recordId)
    .orderBy('l.linked_at')
    .orderBy('f.id')
    .execute();
  return rows.map(toFileMeta);
}

// ---- who may read a file ----------------------------------------------------------------------------

export interface RecordAccess {
  /** May this user read the record? (Its module's own rule: data scope, role, participation…) */
  canRead(ctx: AppContext, user: AuthUser, recordId: string): Promise<boolean>;
  /**
   * Is this file of the record shown to the public (a citizens' board)? It is then served, EXIF-stripped,
   * to anyone. The file is named so that a module can keep one file of a public record private (a photo a
   * moderator hid).
   */
  isPublic?(ctx: AppContext, recordId: string, fileId: string): Promise<boolean>;
}

const access = new Map<string, RecordAccess>();

/** A module declares how to check access to its records; files linked to a record of an unregistered type stay with their uploader. */
export function registerRecordAccess(recordType: string, rule: RecordAccess): void {
  access.set(recordType, rule);
}

async function linksOf(ctx: AppContext, fileId: string) {
  return ctx.database.db
    .selectFrom('file_links')
    .select(['record_type', 'record_id'])
    .where('file_id', '=', fileId)
    .execute();
}

/** The uploader may read their file; anyone else only if they may read a record it is attached to. */
export async function canReadFile(ctx: AppContext, user: AuthUser, fileId: string): Promise<boolean> {
  const file = await ctx.database.db
    .selectFrom('files')
    .select('uploaded_by')
    .where('id', '=', fileId)
    .executeTakeFirst();
  if (!file) return false;
  if (file.uploaded_by === user.id) return true;
  for (const link of await linksOf(ctx, fileId)) {
    const rule = access.get(link.record_type);
    if (rule && (await rule.canRead(ctx, user, link.record_id))) return true;
  }
  return false;
}

/** Whether some record the file is attached to is public. */
export async function isPublicFile(ctx: AppContext, fileId: string): Promise<boolean> {
  for (const link of await linksOf(ctx, fileId)) {
    const rule = access.get(link.record_type);
    if (rule?.isPublic && (await rule.isPublic(ctx, link.record_id, fileId))) return true;
  }
  return false;
}

async function fileRow(ctx: AppContext, fileId: string): Promise<FileRow | undefined> {
  return ctx.database.db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirst();
}

/** The file, if this user may read it; otherwise 404 (whether it exists is not revealed). */
export async function readableFile(ctx: AppContext, user: AuthUser, fileId: string): Promise<FileRow> {
  const row = await fileRow(ctx, fileId);
  if (!row || !(await canReadFile(ctx, user, fileId))) throw notFound();
  return row;
}

export async function listMine(
  ctx: AppContext,
  userId: string,
  page: number,
  pageSize: number,
): Promise<{ items: FileMeta[]; total: number }> {
  const { db } = ctx.database;
  const [rows, count] = await Promise.all([
    db
      .selectFrom('files')
      .selectAll()
      .where('uploaded_by', '=', userId)
      .orderBy('uploaded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('files')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('uploaded_by', '=', userId)
      .executeTakeFirst(),
  ]);
  return { items: rows.map(toFileMeta), total: int(count?.n) };
}

// ---- public copies ---------------------------------------------------------------------------------

/** Kinds a public board may show: pictures (re-encoded without metadata) and PDF documents. */
const PUBLIC_KINDS = new Set<string>(['image', 'pdf']);

/**
 * What to serve for a file on a public board: for an image, its EXIF-stripped copy (made on first use
 * and remembered); for a PDF, the document. 404 unless a record it is attached to is public, and for
 * kinds whose metadata we cannot strip (video, Office) or images we cannot decode (analysis 'failed').
 * A picture still pending analysis is served: its public copy does not depend on the analysis.
 */
export async function publicVersion(
  ctx: AppContext,
  actor: Actor,
  fileId: string,
): Promise<{ sha256: string; mime: string; size: number }> {
  const row = await fileRow(ctx, fileId);
  if (!row || !PUBLIC_KINDS.has(row.kind) || row.analysis === 'failed' || !(await isPublicFile(ctx, fileId)))
    throw notFound();
  const store = blobStore(ctx);
  if (row.kind === 'pdf') return { sha256: row.sha256, mime: row.mime, size: int(row.size) };
  let sha = row.public_sha256;
  if (!sha) {
    const original = await readAll(store, row.sha256);
    const copy = await publicCopy(original, row.mime).catch(() => null);
    if (!copy) throw notFound();
    sha = await store.put(copy);
    const made = sha;
    await writeTx(ctx, actor, async (tx) => {
      await tx.db
        .updateTable('files')
        .set({ public_sha256: made })
        .where('sha256', '=', row.sha256)
        .where('public_sha256', 'is', null)
        .execute();
      await tx.audit({
        action: 'file.public_copy',
        entity: 'file',
        entityId: row.id,
        after: { sha256: made },
      });
    });
  }
  return { sha256: sha, mime: publicMimeOf(row.mime), size: await store.size(sha) };
}

async function readAll(store: BlobStore, sha: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of store.open(sha)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// ---- near duplicates ---------------------------------------------------------------------------------

/**
 * Images whose dHash is within `maxDistance` bits of this file's (itself excluded; the same picture
 * uploaded again has distance 0), nearest first; a picture pending analysis has no dHash yet and neither
 * finds nor is found. A linear scan over every hashed image: fine for tens of
 * thousands; beyond that, index the hash in bands (docs/operations.md).
 */
export async function findSimilarImages(
  ctx: AppContext,
  fileId: string,
  maxDistance = 10,
): Promise<{ file: FileMeta; distance: number }[]> {
  const { db } = ctx.database;
  const self = await db.selectFrom('files').select('dhash').where('id', '=', fileId).executeTakeFirst();
  if (!self?.dhash) return [];
  const target = self.dhash;
  const candidates = await db
    .selectFrom('files')
    .select(['id', 'dhash'])
    .where('dhash', 'is not', null)
    .where('id', '<>', fileId)
    .execute();
  const near = new Map<string, number>();
  for (const c of candidates) {
    const d = hamming(target, c.dhash as string);
    if (d <= maxDistance) near.set(c.id, d);
  }
  if (near.size === 0) return [];
  const rows = await db
    .selectFrom('files')
    .selectAll()
    .where('id', 'in', [...near.keys()])
    .execute();
  return rows
    .map((r) => ({ file: toFileMeta(r), distance: near.get(r.id) as number }))
    .sort((a, b) => a.distance - b.distance || a.file.id.localeCompare(b.file.id));
}
