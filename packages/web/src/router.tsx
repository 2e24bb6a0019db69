import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { RequireAuth, SetupGate } from './components/guards';
import { RouteError } from './components/page-loading';

const SetupPage = lazy(() => import('./pages/setup/setup-page'));
const LoginPage = lazy(() => import('./pages/login/login-page'));
const ForgotPasswordPage = lazy(() => import('./pages/password/forgot-password-page'));
const ResetPasswordPage = lazy(() => import('./pages/password/reset-password-page'));
const SetPasswordPage = lazy(() => import('./pages/password/set-password-page'));
const InvitePage = lazy(() => import('./pages/invite/invite-page'));
const DashboardPage = lazy(() => import('./pages/dashboard/dashboard-page'));
const OrgListPage = lazy(() => import('./pages/orgs/org-list-page'));
const OrgProfilePage = lazy(() => import('./pages/orgs/org-profile-page'));
const MembersPage = lazy(() => import('./pages/members/members-page'));
const AuditPage = lazy(() => import('./pages/audit/audit-page'));
const TokensPage = lazy(() => import('./pages/tokens/tokens-page'));
const CertificateListPage = lazy(() => import('./pages/certificates/certificate-list-page'));
const CertificateDetailPage = lazy(() => import('./pages/certificates/certificate-detail-page'));
const ObligationsPage = lazy(() => import('./pages/obligations/obligations-page'));
const ObligationsPrintPage = lazy(() => import('./pages/obligations/obligations-print-page'));
const EvidenceHomePage = lazy(() => import('./pages/evidence/evidence-home-page'));
const EvidencePage = lazy(() => import('./pages/evidence/evidence-page'));
const CalendarYearsPage = lazy(() => import('./pages/settings/calendar-years-page'));
const CalendarFeedsPage = lazy(() => import('./pages/settings/calendar-feeds-page'));
const BackupsPage = lazy(() => import('./pages/backups/backups-page'));
const NotificationSettingsPage = lazy(() => import('./pages/notifications/notification-settings-page'));
const MyNotificationsPage = lazy(() => import('./pages/notifications/my-notifications-page'));
const RequirementSetsPage = lazy(() => import('./pages/requirements/requirement-sets-page'));
const CapabilityCataloguePage = lazy(() => import('./pages/catalogue/capability-catalogue-page'));
const WorkspaceImportPage = lazy(() => import('./pages/settings/workspace-import-page'));
const InternalAuditPage = lazy(() => import('./pages/audits/audit-page'));
const MeetingPage = lazy(() => import('./pages/meetings/meeting-page'));
const PolicyUpdatesPage = lazy(() => import('./pages/policy/policy-updates-page'));
const RecycleBinPage = lazy(() => import('./pages/orgs/recycle-bin-page'));
const NotFoundPage = lazy(() => import('./pages/not-found/not-found-page'));

export const router = createBrowserRouter([
  {
    element: <SetupGate />,
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/login', element: <LoginPage /> },
      // Links from e-mails and admins carry their token in the fragment (#…), never sent to the server.
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/invite', element: <InvitePage /> },
      // An account on a temporary password chooses its own before anything else.
      { path: '/set-password', element: <SetPasswordPage /> },
      {
        element: <RequireAuth />,
        errorElement: <RouteError />,
        children: [
          {
            // A page that fails shows its error inside the menu and header, which still work.
            errorElement: <RouteError />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: '/orgs', element: <OrgListPage /> },
              { path: '/orgs/:orgId', element: <OrgProfilePage /> },
              { path: '/orgs/:orgId/certificates/:certId', element: <CertificateDetailPage /> },
              { path: '/orgs/:orgId/audits/:auditId', element: <InternalAuditPage /> },
              { path: '/orgs/:orgId/meetings/:meetingId', element: <MeetingPage /> },
              { path: '/orgs/:orgId/evidence', element: <EvidencePage /> },
              { path: '/orgs/:orgId/evidence/:section', element: <EvidencePage /> },
              { path: '/evidence', element: <EvidenceHomePage /> },
              { path: '/certificates', element: <CertificateListPage /> },
              { path: '/obligations', element: <ObligationsPage /> },
              { path: '/obligations/print', element: <ObligationsPrintPage /> },
              { path: '/policy-updates', element: <PolicyUpdatesPage /> },
              { path: '/calendar-feeds', element: <CalendarFeedsPage /> },
              { path: '/settings/calendar', element: <CalendarYearsPage /> },
              { path: '/settings/backups', element: <BackupsPage /> },
              { path: '/settings/notifications', element: <NotificationSettingsPage /> },
              { path: '/settings/my-notifications', element: <MyNotificationsPage /> },
              { path: '/settings/requirements', element: <RequirementSetsPage /> },
              { path: '/settings/capability-catalogue', element: <CapabilityCataloguePage /> },
              { path: '/settings/workspace-import', element: <WorkspaceImportPage /> },
              { path: '/settings/recycle-bin', element: <RecycleBinPage /> },
              { path: '/members', element: <MembersPage /> },
              { path: '/audit', element: <AuditPage /> },
              { path: '/tokens', element: <TokensPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
