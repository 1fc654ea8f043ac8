import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/**
 * multipart/form-data (RFC 7578), read whole and split in place. A route that takes forms declares
 * its limits in its config (`config.form`); the body is read up to what those limits allow (a larger
 * Content-Length is refused before anything is read) and kept as one Buffer; `readForm` splits it:
 * each file is a view into that Buffer, not a copy. Routes without `config.form` refuse multipart
 * bodies with 415.
 *
 * Why not a streaming parser: every route that takes files keeps them whole in memory anyway (their
 * type is read from the content, their hash covers all of it), and finding the boundary with
 * `Buffer#indexOf` over the whole body costs a fraction of what a streaming parser's per-chunk search
 * and stream plumbing do (docs/decisions/0011-multipart-forms-in-house.md).
 */

export interface FormFile {
  /** The form field's name (e.g. `photos`). */
  field: string;
  /** The name the client gave, '' when it sent none. */
  filename: string;
  bytes: Buffer;
}

export interface Form {
  /** Text fields; a name sent twice keeps its last value. */
  fields: Record<string, string>;
  /** Files in the order they were sent. */
  files: FormFile[];
}

/** Why a form was refused, and where. */
export type FormProblem =
  | { reason: 'malformed' }
  | { reason: 'tooLarge'; limit: number }
  | { reason: 'fileTooLarge'; field: string; limit: number }
  | { reason: 'tooManyFiles'; field: string; limit: number }
  | { reason: 'tooManyFields'; field: string; limit: number }
  | { reason: 'fieldTooLarge'; field: string; limit: number };

export interface FormLimits {
  /** How many files at most. */
  files: number;
  /** Bytes per file at most. */
  fileBytes: number;
  /** How many text fields at most (default 20). */
  fields?: number;
  /** Bytes per text field at most (default 16 KiB). */
  fieldBytes?: number;
  /** The route's own answer to a problem (default: `formError`). */
  refuse?: (problem: FormProblem) => AppError;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes multipart/form-data within these limits (read with `readForm`). */
    form?: FormLimits;
  }
}

export class FormRefused extends Error {
  constructor(readonly problem: FormProblem) {
    super(`multipart form refused: ${problem.reason}`);
  }
}

const MB = 1024 * 1024;
const DEFAULT_FIELDS = 20;
const DEFAULT_FIELD_BYTES = 16 * 1024;
/** A part's header block at most (name, file name, type: a few hundred bytes in practice). */
const HEADER_BYTES = 8 * 1024;

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** The default answers: 400 for a broken form, 413 for one over a limit, with the field at fault. */
export function formError(p: FormProblem): AppError {
  if (p.reason === 'malformed')
    return new AppError(400, 'VALIDATION_FAILED', {}, [{ field: '(body)', code: 'form.malformed' }]);
  if (p.reason === 'tooLarge') return new AppError(413, 'PAYLOAD_TOO_LARGE');
  // A file's limit is shown in MB, the others as they are.
  const limit = p.reason === 'fileTooLarge' ? mb(p.limit) : p.limit;
  return new AppError(413, 'PAYLOAD_TOO_LARGE', {}, [
    { field: p.field, code: `form.${p.reason}`, params: { limit } },
  ]);
}

/** An import's upload (org units, 12345 orders): one spreadsheet of 10 MB at most. */
export const IMPORT_FORM: FormLimits = {
  files: 1,
  fileBytes: 10 * MB,
  fields: 10,
  refuse: (p) =>
    p.reason === 'malformed' || p.reason === 'tooManyFiles'
      ? new AppError(400, 'IMPORT_FILE_INVALID')
      : formError(p),
};

/** The largest body the limits allow: every file and field at its largest, with room for part headers. */
export function formBodyLimit(limits: FormLimits): number {
  const fields = limits.fields ?? DEFAULT_FIELDS;
  const fieldBytes = limits.fieldBytes ?? DEFAULT_FIELD_BYTES;
  return limits.files * limits.fileBytes + fields * fieldBytes + (limits.files + fields + 1) * 1024;
}

/** The boundary of a multipart/form-data Content-Type, or null (none, or not 1–70 characters). */
export function boundaryOf(contentType: string | undefined): string | null {
  const m = /;\s*boundary=(?:"([^"]*)"|([^\s;]*))/i.exec(contentType ?? '');
  const b = m ? (m[1] ?? m[2]) : '';
  return b.length >= 1 && b.length <= 70 ? b : null;
}

const CR = 13;
const LF = 10;
const DASH = 45;

/** The value of a Content-Disposition parameter: token or quoted string (`\"` and `\\` escaped). */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  let i = value.indexOf(';');
  while (i >= 0 && i < value.length) {
    i++;
    while (value[i] === ' ' || value[i] === '\t') i++;
    const eq = value.indexOf('=', i);
    if (eq < 0) break;
    const name = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (value[i] === ' ' || value[i] === '\t') i++;
    let v = '';
    if (value[i] === '"') {
      i++;
      while (i < value.length && value[i] !== '"') {
        // Browsers percent-encode a quote in a name and leave backslashes alone (a Windows path);
        // other clients escape the quote with a backslash.
        if (value[i] === '\\' && (value[i + 1] === '"' || value[i + 1] === '\\')) i++;
        v += value[i++];
      }
      i = value.indexOf(';', i);
    } else {
      const end = value.indexOf(';', i);
      v = value.slice(i, end < 0 ? value.length : end).trim();
      i = end;
    }
    params.set(name, v);
    if (i < 0) break;
  }
  return params;
}

/** RFC 5987 `filename*=UTF-8''%E4%BE%8B.jpg`, or null when it is not UTF-8 or not well-formed. */
function extendedValue(v: string): string | null {
  const m = /^utf-8'[^']*'(.*)$/i.exec(v);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** Browsers send `"`, CR and LF in a file name as %22, %0D and %0A (HTML's form encoding): undone here. */
function browserName(v: string): string {
  return v.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

interface PartHead {
  name: string;
  filename: string | undefined;
}

function partHead(text: string): PartHead | null {
  let disposition: string | null = null;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
  }
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) return null;
  const params = dispositionParams(disposition);
  const name = params.get('name');
  if (name === undefined) return null;
  const star = params.get('filename*');
  // A file name in another charset, or badly encoded, still makes the part a file (with no usable name).
  const plain = params.get('filename');
  const filename =
    (star !== undefined ? extendedValue(star) : null) ??
    (plain === undefined ? undefined : browserName(plain)) ??
    (star !== undefined ? '' : undefined);
  return { name, filename };
}

/**
 * Splits a whole multipart/form-data body. Throws FormRefused: `malformed` for anything that is not
 * a complete form (no opening or closing delimiter, a part without a form-data name, a header block
 * without its blank line), or the limit a part went over.
 */
export function parseForm(body: Buffer, boundary: string, limits: FormLimits): Form {
  const maxFields = limits.fields ?? DEFAULT_FIELDS;
  const maxFieldBytes = limits.fieldBytes ?? DEFAULT_FIELD_BYTES;
  const malformed = () => new FormRefused({ reason: 'malformed' });
  const open = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const form: Form = { fields: Object.create(null) as Record<string, string>, files: [] };
  let fieldCount = 0;

  // The first delimiter opens the body or follows a preamble's line break.
  let pos = body.indexOf(open);
  if (pos < 0 || (pos > 0 && !(pos >= 2 && body[pos - 2] === CR && body[pos - 1] === LF))) throw malformed();
  pos += open.length;
  for (;;) {
    // After a delimiter: `--` closes the form; otherwise optional padding, then the line break.
    if (body[pos] === DASH && body[pos + 1] === DASH) return form;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== CR || body[pos + 1] !== LF) throw malformed();
    pos += 2;
    // Searched within the header block's limit only: a body of line breaks is not scanned to its end.
    const found = body.subarray(pos, pos + HEADER_BYTES + 4).indexOf('\r\n\r\n');
    if (found < 0) throw malformed();
    const headEnd = pos + found;
    const head = partHead(body.toString('utf8', pos, headEnd));
    if (!head) throw malformed();
    const start = headEnd + 4;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw malformed();
    if (head.name === '') {
      // FormData.append('', value): a part no route can ask for.
    } else if (head.filename !== undefined) {
      if (form.files.length >= limits.files)
        throw new FormRefused({ reason: 'tooManyFiles', field: head.name, limit: limits.files });
      if (end - start > limits.fileBytes)
        throw new FormRefused({ reason: 'fileTooLarge', field: head.name, limit: limits.fileBytes });
      form.files.push({
        field: head.name,
        filename: head.filename,
        bytes: body.subarray(start, end),
      });
    } else {
      if (++fieldCount > maxFields)
        throw new FormRefused({ reason: 'tooManyFields', field: head.name, limit: maxFields });
      if (end - start > maxFieldBytes)
        throw new FormRefused({ reason: 'fieldTooLarge', field: head.name, limit: maxFieldBytes });
      form.fields[head.name] = body.toString('utf8', start, end);
    }
    pos = end + delimiter.length;
  }
}

// ---- Fastify ---------------------------------------------------------------------------------

const bodies = new WeakMap<FastifyRequest, Buffer>();

function refusal(limits: FormLimits | undefined, problem: FormProblem): AppError {
  return (limits?.refuse ?? formError)(problem);
}

/** Whether the request carried a multipart form (its route declares `config.form`). */
export function hasForm(req: FastifyRequest): boolean {
  return bodies.has(req);
}

/** The request's form, split within its route's limits; 415 when the request sent no form. */
export function readForm(req: FastifyRequest): Form {
  const body = bodies.get(req);
  const limits = req.routeOptions.config.form;
  if (!body || !limits) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw refusal(limits, { reason: 'malformed' });
  try {
    return parseForm(body, boundary, limits);
  } catch (e) {
    if (e instanceof FormRefused) throw refusal(limits, e.problem);
    throw e;
  }
}

/** Reads multipart/form-data bodies for the routes that declare `config.form` (see above). */
export async function multipartForms(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    const limits = req.routeOptions.config.form;
    if (!limits) return done(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE'), undefined);
    const limit = formBodyLimit(limits);
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return done(refusal(limits, { reason: 'tooLarge', limit }), undefined);
    // With a declared length the body is copied once into its own buffer; otherwise gathered and joined.
    const whole = Number.isNaN(declared) ? null : Buffer.allocUnsafe(declared);
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error: Error | null) => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onEnd);
      if (error) return done(error, undefined);
      // The body ended early, or carried more than it declared.
      if (!Number.isNaN(declared) && received !== declared)
        return done(refusal(limits, { reason: 'malformed' }), undefined);
      bodies.set(req, whole ?? Buffer.concat(chunks, received));
      done(null, undefined);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return finish(refusal(limits, { reason: 'tooLarge', limit }));
      if (!whole) chunks.push(chunk);
      else if (received <= whole.length) chunk.copy(whole, received - chunk.length);
    };
    // A stream error here is the client going away mid-body.
    const onEnd = (err?: Error) => finish(err ? refusal(limits, { reason: 'malformed' }) : null);
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
  });
}
