import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { LoginReply, SessionUser } from '../../../../packages/contracts/src/index.ts';
import { ApiClientError, api, setCsrfToken } from './api.ts';

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated';

export interface Session {
  status: SessionStatus;
  user: SessionUser | null;
  /** Store a LoginReply (after login, SMS login or /me). */
  accept: (reply: LoginReply) => void;
  /** Re-read `GET /api/auth/me`; resolves with the user or null. */
  refresh: () => Promise<SessionUser | null>;
  logout: () => Promise<void>;
  can: (permission: string) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<SessionUser | null>(null);

  const accept = useCallback((reply: LoginReply) => {
    setCsrfToken(reply.csrfToken);
    setUser(reply.user);
    setStatus('authenticated');
  }, []);

  const refresh = useCallback(async () => {
    try {
      const reply = await api<LoginReply>('/auth/me', { noAuthRedirect: true });
      accept(reply);
      return reply.user;
    } catch (e) {
      if (e instanceof ApiClientError && (e.status === 401 || e.status === 403)) {
        setCsrfToken(null);
        setUser(null);
        setStatus('anonymous');
        return null;
      }
      // server unreachable: treat as signed out but keep the error visible to the caller
      setUser(null);
      setStatus('anonymous');
      throw e;
    }
  }, [accept]);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', noAuthRedirect: true });
    } catch {
      // the session may already be gone; signing out locally is what matters
    }
    setCsrfToken(null);
    setUser(null);
    setStatus('anonymous');
  }, []);

  useEffect(() => {
    refresh().catch(() => undefined);
  }, [refresh]);

  const value = useMemo<Session>(
    () => ({
      status,
      user,
      accept,
      refresh,
      logout,
      can: (p: string) => !!user?.permissions.includes(p),
    }),
    [status, user, accept, refresh, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
