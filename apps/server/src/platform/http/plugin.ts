import { timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { lookupSession, SESSION_COOKIE } from '../auth/session.ts';
import { type ReusableBody, reusableJsonOf } from '../cache/json.ts';
import { AppError, type FieldProblem } from './errors.ts';
import { type Lang, type MessageCode, message, pickLang } from './messages.ts';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

function fieldOf(issue: AjvIssue): string {
  let p = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (issue.keyword === 'required')
    p = p ? `${p}.${String(issue.params.missingProperty)}` : String(issue.params.missingProperty);
  return p || '(body)';
}

function problemOf(issue: AjvIssue): FieldProblem {
  const field = fieldOf(issue);
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return { field, code: 'field.required' };
    case 'type':
      return { field, code: 'field.type', params: { type: p.type } };
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'maxItems':
      return { field, code: `field.${issue.keyword}` as MessageCode, params: { limit: p.limit } };
    case 'pattern':
      return { field, code: 'field.pattern' };
    case 'format':
      return { field, code: 'field.format', params: { format: p.format } };
    case 'enum':
      return { field, code: 'field.enum', params: { values: (p.allowedValues as unknown[]).join(', ') } };
    case 'uniqueItems':
      return { field, code: 'field.uniqueItems' };
    default:
      return { field, code: 'field.invalid' };
  }
}

/** A schema validation's issues (Fastify's `err.validation`) as field problems, one message code each. */
export function validationProblems(issues: readonly unknown[]): FieldProblem[] {
  return (issues as AjvIssue[]).map(problemOf);
}

export function errorBody(
  lang: Lang,
  code: MessageCode,
  params: Record<string, unknown>,
  fields: FieldProblem[],
) {
  const body: { error: { code: string; message: string; fields?: { field: string; message: string }[] } } = {
    error: { code, message: message(code, lang, params) },
  };
  if (fields.length) {
    // One message per field: the first problem found is the one to fix first.
    const seen = new Set<string>();
    body.error.fields = [];
    for (const f of fields) {
      if (seen.has(f.field)) continue;
      seen.add(f.field);
      body.error.fields.push({ field: f.field, message: message(f.code, lang, f.params) });
    }
  }
  return body;
}

const FASTIFY_CODES: Record<string, [number, MessageCode]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_JSON'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether any string in the value contains a NUL character (no path bookkeeping: the common case). */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) if (hasNul(v)) return true;
  }
  return false;
}

/** The dotted path of the first string that contains a NUL character, if any. */
function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string')
    return value.includes('\u0000') ? path.replace(/^(body|query|params)\.?/, '') || path : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findNul(v, path ? `${path}.${k}` : k);
      if (found !== null) return found;
    }
  }
  return null;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The HTTP edge every route shares: the caller's language, the session, the route's declared
 * permission, CSRF for cookie-authenticated writes, and one error format for every failure.
 */
async function httpEdge(app: FastifyInstance): Promise<void> {
  app.decorateRequest('auth', null);
  app.decorateRequest('lang', 'zh-CN');
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('versions', null);
  app.decorate('apiRoutes', []);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    // The OpenAPI UI's own routes are public documentation.
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...(route.config ?? {}), permission: 'public' };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD') continue;
      app.apiRoutes.push({ method: m, url: route.url, permission: route.config?.permission });
    }
  });

  // Authentication and authorisation run in onRequest, before the body is even parsed or validated:
  // a caller without the right gets 401/403 whatever they send.
  app.addHook('onRequest', async (req) => {
    req.lang = pickLang(req.cookies?.lang, req.headers['accept-language']);
    if (!req.url.startsWith('/api')) return;
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) {
      const found = await lookupSession(app.ctx, token);
      if (found.status === 'ok') {
        req.auth = found.auth;
        req.versions = found.versions;
      } else if (found.status === 'expired') req.sessionExpired = true;
    }
    // Only API routes carry permissions (the static file wildcard may match an unknown /api path).
    if (req.is404 || !req.routeOptions.url?.startsWith('/api')) return;
    const permission = req.routeOptions.config?.permission;
    // A route that forgot to declare its permission is closed, never open (and the route test fails).
    if (permission === undefined) throw new AppError(403, 'FORBIDDEN');
    if (permission === 'public') return;
    const auth = req.auth;
    if (!auth) throw new AppError(401, req.sessionExpired ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, auth.csrfToken))
        throw new AppError(403, 'CSRF_INVALID');
    }
    if (auth.user.mustChangePassword && !req.routeOptions.config?.allowWhilePasswordChangeRequired) {
      throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED');
    }
    if (permission === 'authenticated') return;
    if (!auth.user.permissions.has(permission)) throw new AppError(403, 'FORBIDDEN');
  });

  // NUL cannot be stored by PostgreSQL and has no business in any field: refuse it the same way on both engines.
  app.addHook('preValidation', async (req) => {
    if (!hasNul(req.body) && !hasNul(req.query) && !hasNul(req.params)) return;
    const path = findNul({ body: req.body, query: req.query, params: req.params });
    if (path) throw new AppError(400, 'VALIDATION_FAILED', {}, [{ field: path, code: 'field.invalid' }]);
  });

  // A cached answer carries the body its route's serializer made for it the first time: the same text,
  // already encoded (on Node 20, measuring and encoding Chinese text as UTF-8 is a large part of such a
  // request). The app has no other preSerialization hook: one added after this would not change a reused
  // body (onSend hooks still can: the bytes replace the text only when the payload is still that text).
  const reusedBodies = new WeakMap<FastifyReply, ReusableBody>();
  app.addHook('preSerialization', (req, reply, payload, done) => {
    const bodies = reusableJsonOf(payload);
    if (!bodies) return done(null, payload);
    const key = `${req.method} ${req.routeOptions.url} ${reply.statusCode}`;
    let body = bodies.get(key);
    if (!body) {
      const text = reply.serialize(payload);
      // Response schemas serialise to text; anything else is left to Fastify.
      if (typeof text !== 'string') return done(null, payload);
      body = { text, bytes: Buffer.from(text) };
      bodies.set(key, body);
    }
    const { text } = body;
    reusedBodies.set(reply, body);
    reply.serializer(() => text);
    done(null, payload);
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    const body = reusedBodies.get(reply);
    done(null, body && payload === body.text ? body.bytes : payload);
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const lang = req.lang ?? 'zh-CN';
    if (err instanceof AppError) {
      if (err.status === 429 && typeof err.params.seconds === 'number')
        reply.header('retry-after', err.params.seconds);
      return reply.status(err.status).send(errorBody(lang, err.code, err.params, err.fields));
    }
    if (err.validation) {
      const fields = validationProblems(err.validation);
      return reply.status(400).send(errorBody(lang, 'VALIDATION_FAILED', {}, fields));
    }
    const dbCode = (err as { code?: unknown }).code;
    // Two writers raced past an application check: the database's unique constraint decided.
    if (
      dbCode === '23505' ||
      dbCode === 'SQLITE_CONSTRAINT_UNIQUE' ||
      dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    ) {
      return reply.status(409).send(errorBody(lang, 'CONFLICT', {}, []));
    }
    // PostgreSQL refuses text it cannot store (e.g. NUL) and numbers out of range.
    if (dbCode === '22021' || dbCode === '22P05' || dbCode === '22003') {
      return reply.status(400).send(errorBody(lang, 'VALIDATION_FAILED', {}, []));
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.status(known[0]).send(errorBody(lang, known[1], {}, []));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code: MessageCode =
        err.statusCode === 413
          ? 'PAYLOAD_TOO_LARGE'
          : err.statusCode === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED';
      return reply.status(err.statusCode).send(errorBody(lang, code, {}, []));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody(lang, 'INTERNAL', {}, []));
  });
}

export const httpEdgePlugin = fp(httpEdge, { name: 'wenming-http-edge' });
