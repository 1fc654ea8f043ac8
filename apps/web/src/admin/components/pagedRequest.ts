import type { Page } from '../../../../../packages/contracts/src/index.ts';
import { api } from '../../shared/api.ts';

/** What ProTable's `request` expects back. */
export interface TablePage<T> {
  data: T[];
  total: number;
  success: boolean;
}

/**
 * Loads one page of a paged API list for a ProTable (`current`/`pageSize` → `page`/`pageSize`); on failure
 * reports the error through `onError` and shows an empty table instead of throwing.
 */
export async function pagedRequest<T>(
  path: string,
  params: { current?: number; pageSize?: number },
  query: Record<string, string | number | undefined>,
  onError: (e: unknown) => void,
): Promise<TablePage<T>> {
  try {
    const page = await api<Page<T>>(path, {
      query: { ...query, page: params.current, pageSize: params.pageSize },
    });
    return { data: page.items, total: page.total, success: true };
  } catch (e) {
    onError(e);
    return { data: [], total: 0, success: false };
  }
}
