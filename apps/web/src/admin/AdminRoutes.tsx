import { Result, Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useSession } from '../shared/session.tsx';
import { AdminLayout } from './AdminLayout.tsx';
import { ChangePasswordPage } from './pages/ChangePassword.tsx';
import { LoginPage } from './pages/Login.tsx';

const HomePage = lazy(() => import('./pages/Home.tsx').then((m) => ({ default: m.HomePage })));
const OrgPage = lazy(() => import('./pages/Org.tsx').then((m) => ({ default: m.OrgPage })));
const UsersPage = lazy(() => import('./pages/Users.tsx').then((m) => ({ default: m.UsersPage })));
const RolesPage = lazy(() => import('./pages/Roles.tsx').then((m) => ({ default: m.RolesPage })));
const AuditPage = lazy(() => import('./pages/Audit.tsx').then((m) => ({ default: m.AuditPage })));
const SecurityPage = lazy(() => import('./pages/Security.tsx').then((m) => ({ default: m.SecurityPage })));
const InboxPage = lazy(() => import('./pages/Inbox.tsx').then((m) => ({ default: m.InboxPage })));
const WebhooksPage = lazy(() => import('./pages/Webhooks.tsx').then((m) => ({ default: m.WebhooksPage })));
const NotificationSettingsPage = lazy(() =>
  import('./pages/NotificationSettings.tsx').then((m) => ({ default: m.NotificationSettingsPage })),
);
const CalendarPage = lazy(() => import('./pages/Calendar.tsx').then((m) => ({ default: m.CalendarPage })));
const FilesPage = lazy(() => import('./pages/Files.tsx').then((m) => ({ default: m.FilesPage })));
const NoticesPage = lazy(() => import('./pages/Notices.tsx').then((m) => ({ default: m.NoticesPage })));
const NoticeDetailPage = lazy(() =>
  import('./pages/notices/NoticeDetailPage.tsx').then((m) => ({ default: m.NoticeDetailPage })),
);
const MattersPage = lazy(() => import('./pages/Matters.tsx').then((m) => ({ default: m.MattersPage })));
const MatterDetailPage = lazy(() =>
  import('./pages/matters/MatterDetailPage.tsx').then((m) => ({ default: m.MatterDetailPage })),
);
const SupervisionPage = lazy(() =>
  import('./pages/Supervision.tsx').then((m) => ({ default: m.SupervisionPage })),
);
const CampaignsPage = lazy(() => import('./pages/Campaigns.tsx').then((m) => ({ default: m.CampaignsPage })));
const CampaignImportPage = lazy(() =>
  import('./pages/campaigns/CampaignImportPage.tsx').then((m) => ({ default: m.CampaignImportPage })),
);
const CampaignDetailPage = lazy(() =>
  import('./pages/campaigns/CampaignDetailPage.tsx').then((m) => ({ default: m.CampaignDetailPage })),
);
const LedgerReviewPage = lazy(() =>
  import('./pages/ledger/LedgerReviewPage.tsx').then((m) => ({ default: m.LedgerReviewPage })),
);
const LedgerReportPage = lazy(() =>
  import('./pages/ledger/LedgerReportPage.tsx').then((m) => ({ default: m.LedgerReportPage })),
);
const HalfYearPage = lazy(() =>
  import('./pages/halfyear/HalfYearPage.tsx').then((m) => ({ default: m.HalfYearPage })),
);
const HalfYearReportPage = lazy(() =>
  import('./pages/halfyear/HalfYearReportPage.tsx').then((m) => ({ default: m.HalfYearReportPage })),
);
const BattleMapPage = lazy(() =>
  import('./pages/battlemap/BattleMapPage.tsx').then((m) => ({ default: m.BattleMapPage })),
);
const CockpitPage = lazy(() =>
  import('./pages/battlemap/CockpitPage.tsx').then((m) => ({ default: m.CockpitPage })),
);
const CampaignSupervisionPage = lazy(() =>
  import('./pages/campaign-supervision/CampaignSupervisionPage.tsx').then((m) => ({
    default: m.CampaignSupervisionPage,
  })),
);
const DispatchQueuePage = lazy(() =>
  import('./pages/cases/DispatchQueue.tsx').then((m) => ({ default: m.DispatchQueuePage })),
);
const CaseListPage = lazy(() =>
  import('./pages/cases/CaseList.tsx').then((m) => ({ default: m.CaseListPage })),
);
const CaseDetailPage = lazy(() =>
  import('./pages/cases/CaseDetail.tsx').then((m) => ({ default: m.CaseDetailPage })),
);
const CaseCategoriesPage = lazy(() =>
  import('./pages/cases/CaseCategories.tsx').then((m) => ({ default: m.CaseCategoriesPage })),
);
const CaseBansPage = lazy(() =>
  import('./pages/cases/CaseBans.tsx').then((m) => ({ default: m.CaseBansPage })),
);
const CaseStatsPage = lazy(() =>
  import('./pages/cases/CaseStats.tsx').then((m) => ({ default: m.CaseStatsPage })),
);
const CaseBoardPage = lazy(() =>
  import('./pages/cases/CaseBoard.tsx').then((m) => ({ default: m.CaseBoardPage })),
);
const HotlineImportPage = lazy(() =>
  import('./pages/cases/HotlineImport.tsx').then((m) => ({ default: m.HotlineImportPage })),
);
const ApiKeysPage = lazy(() => import('./pages/cases/ApiKeys.tsx').then((m) => ({ default: m.ApiKeysPage })));
const SchedulerPage = lazy(() => import('./pages/Scheduler.tsx').then((m) => ({ default: m.SchedulerPage })));

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Signed in, and (unless this is the change-password page) not blocked by a forced password change. */
function RequireAuth({
  children,
  allowMustChange = false,
}: {
  children: ReactNode;
  allowMustChange?: boolean;
}) {
  const { status, user } = useSession();
  const loc = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (user.mustChangePassword && !allowMustChange) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession();
  const { t } = useTranslation();
  if (!can(permission)) {
    return (
      <div data-testid="forbidden">
        <Result status="403" title="403" subTitle={t('common.forbidden')} />
      </div>
    );
  }
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}

export function AdminRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/change-password"
        element={
          <RequireAuth allowMustChange>
            <ChangePasswordPage />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AdminLayout />
          </RequireAuth>
        }
      >
        <Route
          index
          element={
            <Suspense fallback={<FullPageSpin />}>
              <HomePage />
            </Suspense>
          }
        />
        <Route
          path="org"
          element={
            <RequirePermission permission="org:read">
              <OrgPage />
            </RequirePermission>
          }
        />
        <Route
          path="users"
          element={
            <RequirePermission permission="user:read">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="roles"
          element={
            <RequirePermission permission="role:read">
              <RolesPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission="audit:read">
              <AuditPage />
            </RequirePermission>
          }
        />
        <Route
          path="files"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <FilesPage />
            </Suspense>
          }
        />
        <Route
          path="calendar"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <CalendarPage />
            </Suspense>
          }
        />
        <Route
          path="notices"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <NoticesPage />
            </Suspense>
          }
        />
        <Route
          path="notices/:id"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <NoticeDetailPage />
            </Suspense>
          }
        />
        <Route
          path="campaigns"
          element={
            <RequirePermission permission="campaign:read">
              <CampaignsPage />
            </RequirePermission>
          }
        />
        <Route
          path="campaigns/import"
          element={
            <RequirePermission permission="campaign:write">
              <CampaignImportPage />
            </RequirePermission>
          }
        />
        <Route
          path="campaigns/:id"
          element={
            <RequirePermission permission="campaign:read">
              <CampaignDetailPage />
            </RequirePermission>
          }
        />
        <Route
          path="campaign-supervision"
          element={
            <RequirePermission permission="campaign:read">
              <CampaignSupervisionPage />
            </RequirePermission>
          }
        />
        <Route
          path="ledger"
          element={
            <RequirePermission permission="campaign:read">
              <LedgerReviewPage />
            </RequirePermission>
          }
        />
        <Route
          path="ledger/:id"
          element={
            <RequirePermission permission="campaign:read">
              <LedgerReportPage />
            </RequirePermission>
          }
        />
        <Route
          path="half-year"
          element={
            <RequirePermission permission="campaign:read">
              <HalfYearPage />
            </RequirePermission>
          }
        />
        <Route
          path="half-year-reports/:id"
          element={
            <RequirePermission permission="campaign:read">
              <HalfYearReportPage />
            </RequirePermission>
          }
        />
        <Route
          path="battlemap"
          element={
            <RequirePermission permission="campaign:read">
              <BattleMapPage />
            </RequirePermission>
          }
        />
        <Route
          path="battlemap/rankings"
          element={
            <RequirePermission permission="campaign:read">
              <BattleMapPage />
            </RequirePermission>
          }
        />
        <Route
          path="battlemap/map"
          element={
            <RequirePermission permission="campaign:read">
              <BattleMapPage />
            </RequirePermission>
          }
        />
        <Route
          path="cockpit"
          element={
            <RequirePermission permission="campaign:read">
              <CockpitPage />
            </RequirePermission>
          }
        />
        <Route
          path="matters"
          element={
            <RequirePermission permission="matter:read">
              <MattersPage />
            </RequirePermission>
          }
        />
        <Route
          path="matters/:id"
          element={
            <RequirePermission permission="matter:read">
              <MatterDetailPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/queue"
          element={
            <RequirePermission permission="case:dispatch">
              <DispatchQueuePage />
            </RequirePermission>
          }
        />
        <Route
          path="cases"
          element={
            <RequirePermission permission="case:read">
              <CaseListPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/categories"
          element={
            <RequirePermission permission="case:admin">
              <CaseCategoriesPage />
            </RequirePermission>
          }
        />
        <Route
          path="case-bans"
          element={
            <RequirePermission permission="case:moderate">
              <CaseBansPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/stats"
          element={
            <RequirePermission permission="case:read">
              <CaseStatsPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/board"
          element={
            <RequirePermission permission="case:read">
              <CaseBoardPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/hotline-import"
          element={
            <RequirePermission permission="case:dispatch">
              <HotlineImportPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/api-keys"
          element={
            <RequirePermission permission="case:admin">
              <ApiKeysPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/:id"
          element={
            <RequirePermission permission="case:read">
              <CaseDetailPage />
            </RequirePermission>
          }
        />
        <Route
          path="supervision"
          element={
            <RequirePermission permission="deadline:read">
              <SupervisionPage />
            </RequirePermission>
          }
        />
        <Route
          path="scheduler"
          element={
            <RequirePermission permission="scheduler:read">
              <SchedulerPage />
            </RequirePermission>
          }
        />
        <Route
          path="inbox"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <InboxPage />
            </Suspense>
          }
        />
        <Route
          path="settings/notifications"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <NotificationSettingsPage />
            </Suspense>
          }
        />
        <Route
          path="settings/webhooks"
          element={
            <RequirePermission permission="webhook:write">
              <WebhooksPage />
            </RequirePermission>
          }
        />
        <Route
          path="security"
          element={
            <Suspense fallback={<FullPageSpin />}>
              <SecurityPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
