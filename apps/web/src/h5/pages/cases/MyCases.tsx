import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { usePagedList } from '../../components/PagedList.tsx';
import { CaseList } from './components/CaseList.tsx';
import { myCases } from './model.ts';
import './cases.css';

/** 我的诉求: the citizen's own cases, newest first, with their states; a shortcut to report another. */
export function H5MyCasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePagedList(myCases);
  return (
    <div className="h5-page" style={{ paddingBottom: 84 }}>
      <NavBar
        onBack={() => navigate('/')}
        right={
          <button
            type="button"
            className="h5-lang-plain"
            onClick={() => navigate('/public-cases')}
            data-testid="cases-public-link"
          >
            {t('cases.public.short')}
          </button>
        }
      >
        {t('cases.mine.title')}
      </NavBar>
      <CaseList list={list} testId="cases-mine" />
      <div className="h5-action-bar">
        <Button
          block
          color="primary"
          size="large"
          onClick={() => navigate('/cases/new')}
          data-testid="cases-new"
        >
          {t('cases.mine.report')}
        </Button>
      </div>
    </div>
  );
}
