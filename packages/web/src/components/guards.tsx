import { Suspense } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe, useSetupStatus } from '../api/auth';
import { WorkspaceProvider } from '../state/workspace';
import { AppLayout } from './app-layout';
import { PageError, PageLoading } from './page-loading';

/** Sends every page to /setup while the first administrator is missing, and /setup away afterwards. */
export function SetupGate() {
  const setup = useSetupStatus();
  const { pathname } = useLocation();
  if (setup.isPending) return <PageLoading />;
  if (setup.isError) return <PageError error={setup.error} onRetry={() => void setup.refetch()} />;
  if (setup.data.needed && pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (!setup.data.needed && pathname === '/setup') return <Navigate to="/" replace />;
  return (
    <Suspense fallback={<PageLoading />}>
      <Outlet />
    </Suspense>
  );
}

/**
 * Pages behind a session: sends anonymous visitors to /login, and an account still on its
 * temporary password to /set-password (the server refuses everything else until it is changed);
 * both come back here afterwards.
 */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <PageError error={me.error} onRetry={() => void me.refetch()} />;
  const next = location.pathname + location.search;
  if (!me.data) {
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  if (me.data.user.mustChangePassword) return <Navigate to={setPasswordPath(next)} replace />;
  return (
    <WorkspaceProvider me={me.data}>
      <AppLayout>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppLayout>
    </WorkspaceProvider>
  );
}

/** Where to go after logging in: `?next=` when it is a local path, else the dashboard. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The forced password change of an account with a temporary password, returning to `next` after it. */
export function setPasswordPath(next: string): string {
  return next === '/' ? '/set-password' : `/set-password?next=${encodeURIComponent(next)}`;
}
