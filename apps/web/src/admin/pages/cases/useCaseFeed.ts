import { App } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/errors.ts';
import { type CaseRow, loadCases } from './model.ts';

export const CASE_PAGE_SIZE = 50;

export interface CaseFeed {
  rows: CaseRow[];
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * `GET /api/cases` with keyset paging: the first page for `query`, then "load more" with the cursor the
 * server returned. A new query (or reload) starts again from the first page.
 */
export function useCaseFeed(query: Record<string, string | number | undefined>): CaseFeed {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState<CaseRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  const key = JSON.stringify(query);
  // the request that answers last must be the one for the current query
  const seq = useRef(0);

  const fetchPage = useCallback(
    async (after: string | null) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const page = await loadCases({
          ...(JSON.parse(key) as Record<string, string | number | undefined>),
          pageSize: CASE_PAGE_SIZE,
          cursor: after ?? undefined,
        });
        if (mine !== seq.current) return;
        setRows((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        if (mine === seq.current) message.error(errorMessage(e, t));
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [key, message, t],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` restarts the feed on reload
  useEffect(() => {
    setRows([]);
    setCursor(null);
    void fetchPage(null);
  }, [fetchPage, round]);

  return {
    rows,
    loading,
    hasMore: !!cursor,
    loadMore: () => {
      if (cursor && !loading) void fetchPage(cursor);
    },
    reload: () => setRound((r) => r + 1),
  };
}
