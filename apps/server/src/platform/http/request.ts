import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit.ts';
import { type AuthContext, type Scope, scopeOf } from '../rbac/types.ts';
import { AppError } from './errors.ts';

/** The signed-in caller of a non-public route (the edge has already refused anonymous callers). */
export function authOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new AppError(401, 'UNAUTHENTICATED');
  return req.auth;
}

export function actorOf(req: FastifyRequest): Actor {
  const u = req.auth?.user;
  return { id: u?.id ?? null, name: u?.displayName ?? null, ip: req.ip };
}

export function scopeOfRequest(req: FastifyRequest): Scope {
  return scopeOf(authOf(req).user);
}

/**
 * Whether the caller asked for a minimal answer to a write (`Prefer: return=minimal`, RFC 7240): the
 * record's id, state and version rather than the whole record read back (a phone that moves on after
 * saving has no use for the rest).
 */
export function prefersMinimal(req: FastifyRequest): boolean {
  const prefer = req.headers.prefer;
  const values = Array.isArray(prefer) ? prefer : prefer ? [prefer] : [];
  return values.some((v) => v.split(',').some((p) => p.trim().toLowerCase() === 'return=minimal'));
}

/**
 * Sends the minimal answer of a write the caller preferred (see `prefersMinimal`), outside the route's
 * full response schema, and says so in `Preference-Applied`.
 */
export function sendMinimal(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply
    .status(status)
    .header('preference-applied', 'return=minimal')
    .serializer(JSON.stringify)
    .send(body);
}
