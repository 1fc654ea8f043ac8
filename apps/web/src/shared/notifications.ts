import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';

/** One notification of the caller's inbox, rendered by the server in the caller's language. */
export interface InboxItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  record: { type: string; id: string } | null;
  createdAt: string;
  readAt: string | null;
}

export interface InboxReply {
  items: InboxItem[];
  total: number;
  unread: number;
}

const CHANGED = 'wenming:unread-changed';
const POLL_MS = 60_000;

/** Tell every unread counter on the page to re-read (after marking notifications read). */
export function announceUnreadChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/**
 * The caller's unread count: read at once, every 60 s, whenever `refreshKey` changes (e.g. the route)
 * and when the inbox announces a change. Null until the first answer; a failed read keeps the last count.
 */
export function useUnreadCount(refreshKey?: unknown): number | null {
  const [count, setCount] = useState<number | null>(null);
  const load = useCallback(() => {
    api<{ count: number }>('/notifications/unread-count', { noAuthRedirect: true })
      .then((r) => setCount(r.count))
      .catch(() => undefined);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the reason to re-read
  useEffect(load, [load, refreshKey]);
  useEffect(() => {
    const timer = window.setInterval(load, POLL_MS);
    window.addEventListener(CHANGED, load);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(CHANGED, load);
    };
  }, [load]);
  return count;
}

export async function markRead(id: string): Promise<void> {
  await api(`/notifications/${id}/read`, { method: 'POST' });
  announceUnreadChanged();
}

export async function markAllRead(): Promise<number> {
  const r = await api<{ count: number }>('/notifications/read-all', { method: 'POST' });
  announceUnreadChanged();
  return r.count;
}
