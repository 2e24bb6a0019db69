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

/** Pages behind a session: sends anonymous visitors to /login (and back after they log in). */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <PageError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const next = location.pathname + location.search;
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
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
