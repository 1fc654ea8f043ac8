import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { usePagedList } from '../../components/PagedList.tsx';
import { CaseList } from './components/CaseList.tsx';
import { publicCases } from './model.ts';
import './cases.css';

/** 公开诉求: what others reported (no personal data); a row opens the case, where it can be followed. */
export function H5PublicCasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePagedList(publicCases);
  return (
    <div className="h5-page">
      <NavBar onBack={() => navigate(-1)}>{t('cases.public.title')}</NavBar>
      <p className="h5-muted" style={{ margin: '10px 16px' }}>
        {t('cases.public.hint')}
      </p>
      <CaseList list={list} testId="cases-public" publicView />
    </div>
  );
}
