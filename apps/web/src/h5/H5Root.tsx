import { ConfigProvider, DotLoading } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { SessionProvider, useSession } from '../shared/session.tsx';
import { H5BoardPage } from './pages/cases/Board.tsx';
import { H5CaseDetailPage } from './pages/cases/CaseDetail.tsx';
import { H5MyCasesPage } from './pages/cases/MyCases.tsx';
import { H5PublicCasesPage } from './pages/cases/PublicCases.tsx';
import { H5CaseReportPage } from './pages/cases/Report.tsx';
import { FeaturePage } from './pages/Feature.tsx';
import { H5ChangePasswordPage } from './pages/H5ChangePassword.tsx';
import { H5HomePage } from './pages/H5Home.tsx';
import { H5InboxPage } from './pages/Inbox.tsx';
import { H5LedgerPage } from './pages/ledger/LedgerPage.tsx';
import { H5ReportFormPage } from './pages/ledger/ReportForm.tsx';
import { H5MattersPage } from './pages/Matters.tsx';
import { H5MatterDetailPage } from './pages/MattersDetail.tsx';
import { H5NoticesPage } from './pages/Notices.tsx';
import { H5NoticeDetailPage } from './pages/NoticesDetail.tsx';
import { PhoneLoginPage } from './pages/PhoneLogin.tsx';
import { StaffLoginPage } from './pages/StaffLogin.tsx';
import './h5.css';

function Loading() {
  return (
    <div
      style={{ minHeight: '60vh', display: 'grid', placeItems: 'center', color: 'var(--adm-color-primary)' }}
    >
      <DotLoading color="currentColor" />
    </div>
  );
}

function RequireAuth({
  children,
  allowMustChange = false,
}: {
  children: ReactNode;
  allowMustChange?: boolean;
}) {
  const { status, user } = useSession();
  if (status === 'loading') return <Loading />;
  if (!user) return <Navigate to="/login" replace />;
  if (user.mustChangePassword && !allowMustChange) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

export function H5Root() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('h5.title');
  }, [t]);
  return (
    <ConfigProvider locale={i18n.language === 'en-US' ? enUS : zhCN}>
      <SessionProvider>
        <BrowserRouter basename="/h5">
          <Routes>
            <Route path="/login" element={<PhoneLoginPage />} />
            <Route path="/staff-login" element={<StaffLoginPage />} />
            <Route
              path="/change-password"
              element={
                <RequireAuth allowMustChange>
                  <H5ChangePasswordPage />
                </RequireAuth>
              }
            />
            <Route
              path="/"
              element={
                <RequireAuth>
                  <H5HomePage />
                </RequireAuth>
              }
            />
            <Route
              path="/inbox"
              element={
                <RequireAuth>
                  <H5InboxPage />
                </RequireAuth>
              }
            />
            <Route
              path="/notices"
              element={
                <RequireAuth>
                  <H5NoticesPage />
                </RequireAuth>
              }
            />
            <Route
              path="/notices/:id"
              element={
                <RequireAuth>
                  <H5NoticeDetailPage />
                </RequireAuth>
              }
            />
            <Route
              path="/matters"
              element={
                <RequireAuth>
                  <H5MattersPage />
                </RequireAuth>
              }
            />
            <Route
              path="/matters/:id"
              element={
                <RequireAuth>
                  <H5MatterDetailPage />
                </RequireAuth>
              }
            />
            <Route
              path="/ledger"
              element={
                <RequireAuth>
                  <H5LedgerPage />
                </RequireAuth>
              }
            />
            <Route
              path="/ledger/new"
              element={
                <RequireAuth>
                  <H5ReportFormPage />
                </RequireAuth>
              }
            />
            <Route
              path="/ledger/reports/:id"
              element={
                <RequireAuth>
                  <H5ReportFormPage />
                </RequireAuth>
              }
            />
            <Route
              path="/cases"
              element={
                <RequireAuth>
                  <H5MyCasesPage />
                </RequireAuth>
              }
            />
            <Route
              path="/cases/new"
              element={
                <RequireAuth>
                  <H5CaseReportPage />
                </RequireAuth>
              }
            />
            <Route
              path="/cases/:id"
              element={
                <RequireAuth>
                  <H5CaseDetailPage />
                </RequireAuth>
              }
            />
            <Route
              path="/public-cases"
              element={
                <RequireAuth>
                  <H5PublicCasesPage />
                </RequireAuth>
              }
            />
            <Route path="/board" element={<H5BoardPage />} />
            <Route
              path="/feature/:key"
              element={
                <RequireAuth>
                  <FeaturePage />
                </RequireAuth>
              }
            />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </ConfigProvider>
  );
}
