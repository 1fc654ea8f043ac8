import { List, NavBar, Tag } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Page } from '../../../../../packages/contracts/src/index.ts';
import type { NoticeSummary } from '../../admin/pages/notices/types.ts';
import { unitState } from '../../admin/pages/notices/types.ts';
import { api } from '../../shared/api.ts';
import { formatTime } from '../../shared/format.ts';
import { PagedList, usePagedList } from '../components/PagedList.tsx';
import { H5_STATE_COLOR } from './NoticesDetail.tsx';

/** The notices addressed to the liaison's unit, newest first, with the unit's state (to sign first). */
export function H5NoticesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePagedList(
    useCallback(
      (page: number, pageSize: number) =>
        api<Page<NoticeSummary>>('/notices', { query: { box: 'received', page, pageSize } }),
      [],
    ),
  );

  return (
    <div className="h5-page">
      <NavBar onBack={() => navigate('/')}>{t('h5.notices.title')}</NavBar>
      <PagedList list={list} empty={t('h5.notices.empty')} noMore={t('h5.notices.noMore')}>
        <List data-testid="h5-notices">
          {list.items.map((n) => {
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
      </PagedList>
    </div>
  );
}
