import { ErrorBlock, InfiniteScroll, PullToRefresh } from 'antd-mobile';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors.ts';

const PAGE_SIZE = 20;

export interface PagedListState<T> {
  items: T[];
  setItems: (update: (old: T[]) => T[]) => void;
  hasMore: boolean;
  error: string | null;
  /** Loads the next page (InfiniteScroll calls it); throws when the request fails. */
  loadMore: () => Promise<void>;
  /** Starts over from the first page. */
  refresh: () => Promise<void>;
}

/**
 * A list paged by scrolling: `fetchPage` (keep it stable with useCallback) asks for one page, 1-based.
 * A failed request stops the paging and shows its message; pulling down starts over.
 */
export function usePagedList<T>(
  fetchPage: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
): PagedListState<T> {
  const { t } = useTranslation();
  const [items, setItems] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const page = useRef(0);

  const loadMore = useCallback(async () => {
    try {
      const next = page.current + 1;
      const r = await fetchPage(next, PAGE_SIZE);
      page.current = next;
      setItems((old) => (next === 1 ? r.items : [...old, ...r.items]));
      setHasMore(next * PAGE_SIZE < r.total);
      setError(null);
    } catch (e) {
      setError(errorMessage(e, t));
      setHasMore(false);
      throw e;
    }
  }, [fetchPage, t]);

  const refresh = async () => {
    page.current = 0;
    setHasMore(true);
    await loadMore().catch(() => undefined);
  };

  return { items, setItems, hasMore, error, loadMore, refresh };
}

/** The frame of a paged list: pull to refresh, the error, the rows (`children`), "empty" and "no more". */
export function PagedList<T>({
  list,
  empty,
  noMore,
  children,
}: {
  list: PagedListState<T>;
  empty: string;
  noMore: string;
  children: ReactNode;
}) {
  return (
    <PullToRefresh onRefresh={list.refresh}>
      {list.error && <ErrorBlock status="default" title={list.error} description="" />}
      {children}
      {!list.error && !list.hasMore && list.items.length === 0 && (
        <ErrorBlock status="empty" title={empty} description="" />
      )}
      <InfiniteScroll loadMore={list.loadMore} hasMore={list.hasMore}>
        {list.hasMore ? undefined : list.items.length ? <span className="h5-muted">{noMore}</span> : null}
      </InfiniteScroll>
    </PullToRefresh>
  );
}
