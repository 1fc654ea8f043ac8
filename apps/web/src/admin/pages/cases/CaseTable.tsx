import { Button, Table, type TableColumnType } from 'antd';
import type { TFunction } from 'i18next';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatTime } from '../../../shared/format.ts';
import { SlaDot } from './CaseTags.tsx';
import { type CaseRow, caseCategoryName } from './model.ts';
import type { CaseFeed } from './useCaseFeed.ts';

type CaseColumn = TableColumnType<CaseRow>;

/**
 * The columns the case list and the dispatch queue share; `tags` renders what stands under the title
 * (hidden, returned by …), so the title keeps its one line.
 */
export function caseColumns(
  t: TFunction,
  tags: (r: CaseRow) => ReactNode,
): Record<'sla' | 'no' | 'title' | 'category' | 'createdAt', CaseColumn> {
  return {
    sla: {
      title: t('caseConsole.field.sla'),
      dataIndex: 'slaColor',
      width: 90,
      render: (_, r) => (
        <SlaDot color={r.slaColor} state={r.state} dueAt={r.dueAt} testId={`case-sla-${r.id}`} />
      ),
    },
    no: { title: t('caseConsole.field.no'), dataIndex: 'no', width: 140 },
    title: {
      title: t('caseConsole.field.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (_, r) => (
        <>
          <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            <Link to={`/cases/${r.id}`} data-testid={`case-link-${r.id}`}>
              {r.title}
            </Link>
          </div>
          {tags(r)}
        </>
      ),
    },
    category: {
      title: t('caseConsole.field.category'),
      dataIndex: 'categoryName',
      width: 100,
      ellipsis: true,
      render: (_, r) => caseCategoryName(r),
    },
    createdAt: {
      title: t('caseConsole.field.createdAt'),
      dataIndex: 'createdAt',
      width: 130,
      render: (_, r) => formatTime(r.createdAt).slice(0, 16),
    },
  };
}

/** A table of cases fed page by page, with a 加载更多 button while the server has more. */
export function CaseTable({
  columns,
  rows,
  feed,
  emptyText,
}: {
  columns: CaseColumn[];
  rows: CaseRow[];
  feed: CaseFeed;
  emptyText?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Table<CaseRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={feed.loading}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={emptyText === undefined ? undefined : { emptyText }}
        onRow={(r) => ({ 'data-testid': `case-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
      />
      {feed.hasMore && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={feed.loadMore} loading={feed.loading} data-testid="case-load-more">
            {t('caseConsole.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
