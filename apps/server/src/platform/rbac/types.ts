import type { DataScope, Permission, Role } from '../../../../../packages/contracts/src/index.ts';

/** What a route requires: a permission, any signed-in user, or nobody (public). */
export type RoutePermission = Permission | 'authenticated' | 'public';

export interface AuthUser {
  id: string;
  username: string | null;
  displayName: string;
  /** 'service': an API key's account (modules/apikeys); it has no credentials and never signs in. */
  kind: 'staff' | 'citizen' | 'service';
  unitId: string | null;
  unitName: string | null;
  /** The materialised path of the user's unit, for subtree scoping. */
  unitPath: string | null;
  roles: Role[];
  permissions: Set<Permission>;
  dataScope: DataScope;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  phoneEnc: string | null;
}

export interface AuthContext {
  sessionId: string;
  csrfToken: string;
  user: AuthUser;
}

/** The rows a caller may see, derived from the user's unit and data scope. */
export type Scope =
  | { kind: 'all' }
  | { kind: 'subtree'; path: string }
  | { kind: 'own'; unitId: string }
  | { kind: 'none' };

/** A scope as a string, one per scope: for keys of what is kept per scope. */
export function scopeKey(scope: Scope): string {
  switch (scope.kind) {
    case 'subtree':
      return `subtree:${scope.path}`;
    case 'own':
      return `own:${scope.unitId}`;
    default:
      return scope.kind;
  }
}

export function scopeOf(user: AuthUser): Scope {
  if (user.dataScope === 'all') return { kind: 'all' };
  if (!user.unitId || !user.unitPath) return { kind: 'none' };
  if (user.dataScope === 'subtree') return { kind: 'subtree', path: user.unitPath };
  return { kind: 'own', unitId: user.unitId };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
    /** Reachable while the user still has to change an admin-set password (me, password, logout). */
    allowWhilePasswordChangeRequired?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    lang: import('../http/messages.ts').Lang;
    /** Set when a session cookie was sent but had expired, to answer SESSION_EXPIRED. */
    sessionExpired: boolean;
    /** The cache versions the edge read to resolve the session (null without one, or when unknown). */
    versions: import('../cache/versions.ts').Versions | null;
  }
}
