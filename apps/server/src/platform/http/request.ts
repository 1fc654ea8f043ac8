import type { FastifyRequest } from 'fastify';
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
