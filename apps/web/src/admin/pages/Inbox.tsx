import { CheckOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { App, Badge, Button, Card, Empty, List, Segmented, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../shared/api.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatTime } from '../../shared/format.ts';
import { type InboxItem, type InboxReply, markAllRead, markRead } from '../../shared/notifications.ts';

/**
 * Where a notification's record opens in the console, by record type. A module whose records have a
 * console page adds its type here.
 */
export const RECORD_ROUTES: Record<string, (id: string) => string> = {
  matter: (id) => `/matters/${id}`,
  notice: (id) => `/notices/${id}`,
  campaign_supervision: (id) => `/campaign-supervision?campaign=${id}`,
  half_year_report: (id) => `/half-year-reports/${id}`,
  ledger_report: (id) => `/ledger/${id}`,
};

const PAGE_SIZE = 20;

/** The caller's notifications: all or unread, newest first; opening one marks it read. */
export function InboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<InboxReply | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(
        await api<InboxReply>('/notifications', {
          query: { unread: filter === 'unread' || undefined, page, pageSize: PAGE_SIZE },
        }),
      );
    } catch (e) {
      message.error(errorMessage(e, t));
    } finally {
      setLoading(false);
    }
  }, [filter, page, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const read = async (n: InboxItem) => {
    if (n.readAt) return;
    try {
      await markRead(n.id);
      await load();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const readAll = async () => {
    try {
      const count = await markAllRead();
      message.success(t('inbox.allReadDone', { count }));
      setPage(1);
      await load();
    } catch (e) {
      message.error(errorMessage(e, t));
    }
  };

  const open = async (n: InboxItem) => {
    const route = n.record ? RECORD_ROUTES[n.record.type] : undefined;
    await read(n);
    if (route && n.record) navigate(route(n.record.id));
  };

  return (
    <PageContainer title={t('inbox.title')} content={t('inbox.subtitle')}>
      <Card
        title={
          <Segmented
            value={filter}
            onChange={(v) => {
              setFilter(v as 'all' | 'unread');
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('inbox.all') },
              {
                value: 'unread',
                label: (
                  <span data-testid="inbox-filter-unread">
                    {t('inbox.unread')}
                    {data?.unread ? ` (${data.unread})` : ''}
                  </span>
                ),
              },
            ]}
          />
        }
        extra={
          <Button
            icon={<CheckOutlined />}
            disabled={!data?.unread}
            onClick={() => void readAll()}
            data-testid="inbox-read-all"
          >
            {t('inbox.readAll')}
          </Button>
        }
      >
        <List<InboxItem>
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="inbox-list"
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={filter === 'unread' ? t('inbox.noUnread') : t('inbox.empty')}
              />
            ),
          }}
          pagination={
            (data?.total ?? 0) > PAGE_SIZE
              ? { current: page, pageSize: PAGE_SIZE, total: data?.total, onChange: setPage }
              : false
          }
          renderItem={(n) => {
            const linked = !!(n.record && RECORD_ROUTES[n.record.type]);
            return (
              <List.Item
                key={n.id}
                data-testid={`inbox-item-${n.id}`}
                data-read={n.readAt ? 'true' : 'false'}
                actions={[
                  linked ? (
                    <Button key="open" type="link" size="small" onClick={() => void open(n)}>
                      {t('inbox.open')}
                    </Button>
                  ) : null,
                  n.readAt ? null : (
                    <Button
                      key="read"
                      type="link"
                      size="small"
                      onClick={() => void read(n)}
                      data-testid={`inbox-read-${n.id}`}
                    >
                      {t('inbox.markRead')}
                    </Button>
                  ),
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
                  title={
                    <Space size={8} wrap>
                      <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
                        {formatTime(n.createdAt)}
                      </Typography.Text>
                    </Space>
                  }
                  description={
                    <Typography.Text type={n.readAt ? 'secondary' : undefined}>{n.body}</Typography.Text>
                  }
                />
              </List.Item>
            );
          }}
        />
      </Card>
    </PageContainer>
  );
}
