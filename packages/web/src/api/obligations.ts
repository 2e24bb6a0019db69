import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { Obligation, ObligationBulk, ObligationPatch, ObligationQuery } from './types';

/**
 * Obligations across the workspace's organisations (or one, with `orgId`), a page at a time:
 * the server answers 100 rows and the counts over all of them; `fetchNextPage` adds the next.
 */
export function useWorkspaceObligations(workspaceId: string | undefined, query: ObligationQuery) {
  return useInfiniteQuery({
    queryKey: queryKeys.obligations({ workspaceId, ...query }),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/workspaces/{id}/obligations', {
          params: { path: { id: workspaceId! }, query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(workspaceId),
    select: (data) => ({
      items: data.pages.flatMap((p) => p.items),
      total: data.pages[0]?.total ?? 0,
      overdue: data.pages[0]?.overdue ?? 0,
    }),
    placeholderData: (previous) => previous,
  });
}

/**
 * One organisation's obligations, for a certificate's pages (with `certificateId`): one page of
 * up to 500, more than a certificate's four years hold.
 */
export function useOrgObligations(orgId: string, query: Omit<ObligationQuery, 'orgId'>) {
  return useQuery({
    queryKey: queryKeys.obligations({ orgId, ...query }),
    queryFn: () =>
      call(api.GET('/api/orgs/{orgId}/obligations', { params: { path: { orgId }, query: { limit: 500, ...query } } })),
    select: (data) => data.items,
  });
}

export function useUpdateObligation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ obligation, patch }: { obligation: Pick<Obligation, 'id' | 'orgId'>; patch: ObligationPatch }) =>
      call(
        api.PATCH('/api/orgs/{orgId}/obligations/{id}', {
          params: { path: { orgId: obligation.orgId, id: obligation.id } },
          body: patch,
        }),
      ),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.allObligations }),
        client.invalidateQueries({ queryKey: queryKeys.allDashboards }),
      ]),
  });
}

/**
 * One update for many obligations. The server applies each organisation's batch all or none;
 * a workspace-wide selection is sent one organisation at a time.
 */
export function useBulkUpdateObligations() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      obligations,
      update,
    }: {
      obligations: Pick<Obligation, 'id' | 'orgId'>[];
      update: Omit<ObligationBulk, 'ids'>;
    }) => {
      const byOrg = new Map<string, string[]>();
      for (const o of obligations) byOrg.set(o.orgId, [...(byOrg.get(o.orgId) ?? []), o.id]);
      let updated = 0;
      for (const [orgId, ids] of byOrg) {
        const result = await call(
          api.POST('/api/orgs/{orgId}/obligations/bulk', { params: { path: { orgId } }, body: { ...update, ids } }),
        );
        updated += result.items.length;
      }
      return updated;
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.allObligations }),
        client.invalidateQueries({ queryKey: queryKeys.allDashboards }),
      ]),
  });
}

export function useDashboard(workspaceId: string | undefined, orgId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.dashboard(workspaceId ?? '', orgId),
    queryFn: () =>
      call(
        api.GET('/api/workspaces/{id}/dashboard', {
          params: { path: { id: workspaceId! }, query: orgId ? { orgId } : {} },
        }),
      ),
    enabled: Boolean(workspaceId),
    placeholderData: (previous) => previous,
  });
}

/** The certificates' timelines for the dashboard, 20 at a time. */
export function useTimelines(workspaceId: string | undefined, orgId: string | undefined) {
  return useInfiniteQuery({
    queryKey: queryKeys.timelines(workspaceId ?? '', orgId),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/workspaces/{id}/dashboard/timelines', {
          params: {
            path: { id: workspaceId! },
            query: { ...(orgId ? { orgId } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(workspaceId),
    select: (data) => ({ items: data.pages.flatMap((p) => p.items), total: data.pages[0]?.total ?? 0 }),
    placeholderData: (previous) => previous,
  });
}

/**
 * Every obligation the filters match, 500 per request, for an export or a print: refuses (with
 * the total) when more than `max` match, before fetching them all.
 */
export async function fetchAllObligations(
  workspaceId: string,
  query: Omit<ObligationQuery, 'cursor' | 'limit'>,
  max: number,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<{ items: Obligation[]; total: number }> {
  const items: Obligation[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const page: Awaited<ReturnType<typeof fetchPage>> = await fetchPage(cursor);
    total = page.total;
    if (total > max) return { items: [], total };
    items.push(...page.items);
    onProgress(items.length, total);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, total };

  function fetchPage(after: string | null) {
    return call(
      api.GET('/api/workspaces/{id}/obligations', {
        params: { path: { id: workspaceId }, query: { ...query, limit: 500, ...(after ? { cursor: after } : {}) } },
      }),
    );
  }
}

/** The first steps a workspace has taken (the dashboard's checklist): read afresh on each visit. */
export function useOnboarding(workspaceId: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.allDashboards, workspaceId ?? '', 'onboarding'],
    queryFn: () => call(api.GET('/api/workspaces/{id}/onboarding', { params: { path: { id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
    staleTime: 0,
  });
}
