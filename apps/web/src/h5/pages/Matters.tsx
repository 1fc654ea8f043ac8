import { List, NavBar, Tabs, Tag } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { Page } from '../../../../../packages/contracts/src/index.ts';
import { isOpen, type MatterListItem, type MatterState, SLA_HEX } from '../../admin/pages/matters/model.ts';
import { api } from '../../shared/api.ts';
import { formatDue } from '../../shared/format.ts';
import { PagedList, usePagedList } from '../components/PagedList.tsx';

const FILTERS = ['all', 'todo', 'in_progress', 'overdue'] as const;
type Filter = (typeof FILTERS)[number];

/** antd-mobile tag colors of the states. */
export const H5_STATE_COLOR: Record<MatterState, string> = {
  assigned: 'warning',
  in_progress: 'primary',
  resolved: '#722ed1',
  closed: 'success',
  returned: 'danger',
  cancelled: 'default',
};

const QUERY: Record<Filter, Record<string, string>> = {
  todo: { state: 'assigned' },
  in_progress: { state: 'in_progress' },
  overdue: { overdue: 'true' },
  all: {},
};

/** The deadline color as a small dot (nothing once the matter is over). */
export function ColorDot({ color, state }: { color: keyof typeof SLA_HEX; state: string }) {
  if (!isOpen(state)) return null;
  return (
    <span
      aria-hidden
      data-color={color}
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        borderRadius: 5,
        background: SLA_HEX[color],
        flex: 'none',
      }}
    />
  );
}

function MatterList({ filter }: { filter: Filter }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePagedList(
    useCallback(
      (page: number, pageSize: number) =>
        api<Page<MatterListItem>>('/matters', { query: { ...QUERY[filter], page, pageSize } }),
      [filter],
    ),
  );

  return (
    <PagedList list={list} empty={t('h5.matters.empty')} noMore={t('h5.matters.noMore')}>
      <List data-testid="h5-matters">
        {list.items.map((m) => (
          <List.Item
            key={m.id}
            onClick={() => navigate(`/matters/${m.id}`)}
            data-testid={`h5-matter-${m.id}`}
            prefix={<ColorDot color={m.slaColor} state={m.state} />}
            description={
              <span>
                {m.no}
                {m.dueAt && isOpen(m.state) && (
                  <>
                    {' · '}
                    <span style={{ color: m.slaColor === 'red' ? SLA_HEX.red : undefined }}>
                      {t('matters.dueBy', { due: formatDue(m.dueAt) })}
                    </span>
                  </>
                )}
              </span>
            }
            extra={
              <Tag color={H5_STATE_COLOR[m.state]} fill="outline">
                {t(`matters.state.${m.state}`)}
              </Tag>
            }
          >
            <span style={{ fontWeight: m.state === 'assigned' ? 600 : 400 }}>{m.title}</span>
          </List.Item>
        ))}
      </List>
    </PagedList>
  );
}

/** The unit's assigned matters on the phone: all, to acknowledge, in progress, overdue. */
export function H5MattersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requested = params.get('f') as Filter | null;
  const filter: Filter = requested && FILTERS.includes(requested) ? requested : 'all';
  return (
    <div className="h5-page">
      <NavBar onBack={() => navigate('/')}>{t('h5.matters.title')}</NavBar>
      <Tabs activeKey={filter} onChange={(k) => setParams({ f: k }, { replace: true })}>
        {FILTERS.map((f) => (
          <Tabs.Tab
            key={f}
            title={<span data-testid={`h5-matters-tab-${f}`}>{t(`h5.matters.tabs.${f}`)}</span>}
          />
        ))}
      </Tabs>
      <MatterList key={filter} filter={filter} />
    </div>
  );
}
