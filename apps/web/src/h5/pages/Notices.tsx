import { ErrorBlock, InfiniteScroll, List, NavBar, PullToRefresh, Tag } from 'antd-mobile';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Page } from '../../../../../packages/contracts/src/index.ts';
import type { NoticeSummary } from '../../admin/pages/notices/types.ts';
import { unitState } from '../../admin/pages/notices/types.ts';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { H5_STATE_COLOR } from './NoticesDetail.tsx';

const PAGE = 20;

/** The notices addressed to the liaison's unit, newest first, with the unit's state (to sign first). */
export function H5NoticesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [items, setItems] = useState<NoticeSummary[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const page = useRef(0);

  const loadMore = useCallback(async () => {
    try {
      const next = page.current + 1;
      const r = await api<Page<NoticeSummary>>('/notices', {
        query: { box: 'received', page: next, pageSize: PAGE },
      });
      page.current = next;
      setItems((old) => (next === 1 ? r.items : [...old, ...r.items]));
      setHasMore(next * PAGE < r.total);
      setError(null);
    } catch (e) {
      setError(errorMessage(e, t));
      setHasMore(false);
      throw e;
    }
  }, [t]);

  const refresh = async () => {
    page.current = 0;
    setHasMore(true);
    await loadMore().catch(() => undefined);
  };

  return (
    <div className="h5-page">
      <NavBar onBack={() => navigate('/')}>{t('h5.notices.title')}</NavBar>
      <PullToRefresh onRefresh={refresh}>
        {error && <ErrorBlock status="default" title={error} description="" />}
        <List data-testid="h5-notices">
          {items.map((n) => {
            const s = unitState(n, n);
            return (
              <List.Item
                key={n.id}
                onClick={() => navigate(`/notices/${n.id}`)}
                data-testid={`h5-notice-${n.id}`}
                description={
                  <span>
                    {n.senderUnitName ?? ''} · {formatTime(n.createdAt).slice(0, 16)}
                    {n.requireAck && n.ackDueAt && !n.ackedAt && (
                      <>
                        <br />
                        {t('notices.dueAt', { time: formatTime(n.ackDueAt).slice(0, 16) })}
                      </>
                    )}
                  </span>
                }
                extra={
                  <Tag color={H5_STATE_COLOR[s]} fill={s === 'unread' ? 'outline' : 'solid'}>
                    {t(`notices.state.${s}`)}
                  </Tag>
                }
              >
                <span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>
              </List.Item>
            );
          })}
        </List>
        {!error && !hasMore && items.length === 0 && (
          <ErrorBlock status="empty" title={t('h5.notices.empty')} description="" />
        )}
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {hasMore ? undefined : items.length ? (
            <span className="h5-muted">{t('h5.notices.noMore')}</span>
          ) : null}
        </InfiniteScroll>
      </PullToRefresh>
    </div>
  );
}
