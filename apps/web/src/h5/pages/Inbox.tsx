import { List, NavBar, Tabs, Toast } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { type InboxItem, type InboxReply, markAllRead, markRead } from '../../shared/notifications.ts';
import { PagedList, usePagedList } from '../components/PagedList.tsx';

type Filter = 'all' | 'unread';

/** One filter's list, paged by scrolling; a new `key` starts it over. */
function InboxList({ filter, onUnread }: { filter: Filter; onUnread: (n: number) => void }) {
  const { t } = useTranslation();
  const list = usePagedList(
    useCallback(
      async (page: number, pageSize: number) => {
        const r = await api<InboxReply>('/notifications', {
          query: { unread: filter === 'unread' || undefined, page, pageSize },
        });
        onUnread(r.unread);
        return r;
      },
      [filter, onUnread],
    ),
  );

  const read = async (n: InboxItem) => {
    if (n.readAt) return;
    try {
      await markRead(n.id);
      const at = new Date().toISOString();
      list.setItems((old) => old.map((x) => (x.id === n.id ? { ...x, readAt: at } : x)));
      const r = await api<{ count: number }>('/notifications/unread-count');
      onUnread(r.count);
    } catch (e) {
      Toast.show({ content: errorMessage(e, t) });
    }
  };

  return (
    <PagedList
      list={list}
      empty={filter === 'unread' ? t('inbox.noUnread') : t('inbox.empty')}
      noMore={t('h5.inbox.noMore')}
    >
      <List data-testid="h5-inbox">
        {list.items.map((n) => (
          <List.Item
            key={n.id}
            onClick={() => void read(n)}
            data-testid={`h5-inbox-item-${n.id}`}
            data-read={n.readAt ? 'true' : 'false'}
            arrowIcon={false}
            prefix={
              <span
                aria-hidden
                style={{
                  display: 'inline-block',
                  width: 8,
                  height: 8,
                  borderRadius: 4,
                  background: n.readAt ? 'transparent' : 'var(--adm-color-danger)',
                }}
              />
            }
            description={
              <span>
                {n.body}
                <br />
                <span className="h5-muted">{formatTime(n.createdAt).slice(0, 16)}</span>
              </span>
            }
          >
            <span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>
          </List.Item>
        ))}
      </List>
    </PagedList>
  );
}

/** The caller's notifications on the phone: all or unread; tapping one marks it read. */
export function H5InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>('all');
  const [unread, setUnread] = useState(0);
  const [generation, setGeneration] = useState(0);

  const readAll = async () => {
    try {
      await markAllRead();
      setUnread(0);
      setGeneration((g) => g + 1);
    } catch (e) {
      Toast.show({ content: errorMessage(e, t) });
    }
  };

  return (
    <div className="h5-page">
      <NavBar
        onBack={() => navigate('/')}
        right={
          unread > 0 ? (
            <button
              type="button"
              onClick={() => void readAll()}
              data-testid="h5-inbox-read-all"
              style={{
                border: 0,
                background: 'none',
                padding: 0,
                font: 'inherit',
                color: 'var(--adm-color-primary)',
              }}
            >
              {t('inbox.readAll')}
            </button>
          ) : null
        }
      >
        {t('inbox.title')}
      </NavBar>
      <Tabs activeKey={filter} onChange={(k) => setFilter(k as Filter)}>
        <Tabs.Tab key="all" title={t('inbox.all')} />
        <Tabs.Tab key="unread" title={unread ? `${t('inbox.unread')} (${unread})` : t('inbox.unread')} />
      </Tabs>
      <InboxList key={`${filter}-${generation}`} filter={filter} onUnread={setUnread} />
    </div>
  );
}
