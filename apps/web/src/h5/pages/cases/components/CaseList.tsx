import { List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatTime } from '../../../../shared/format.ts';
import { PagedList, type PagedListState } from '../../../components/PagedList.tsx';
import { type CaseRow, caseCategoryName } from '../model.ts';
import { CaseStateTag } from './CaseParts.tsx';

/** Cases as rows: title, number, category, place and day; the state on the right. */
export function CaseList({
  list,
  testId,
  publicView = false,
}: {
  list: PagedListState<CaseRow>;
  testId: string;
  /** Rows open the public view of the case (someone else's case). */
  publicView?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  return (
    <PagedList list={list} empty={t('cases.list.empty')} noMore={t('cases.list.noMore')}>
      <List data-testid={testId}>
        {list.items.map((c) => (
          <List.Item
            key={c.id}
            onClick={() => navigate(`/cases/${c.id}${publicView ? '?view=public' : ''}`)}
            data-testid={`case-row-${c.no}`}
            description={
              <span>
                <span data-testid="case-row-no">{c.no}</span>
                {' · '}
                {caseCategoryName(c, i18n.language)}
                {c.areaName ? ` · ${c.areaName}` : ''}
                {' · '}
                {formatTime(c.createdAt).slice(5, 10)}
              </span>
            }
            extra={<CaseStateTag state={c.state} testId="case-row-state" />}
          >
            <span className="case-row-title">{c.title}</span>
          </List.Item>
        ))}
      </List>
    </PagedList>
  );
}
