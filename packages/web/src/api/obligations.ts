import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { Obligation, ObligationBulk, ObligationPatch, ObligationQuery } from './types';

/** Obligations across the workspace's organisations (or one, with `orgId`). */
export function useWorkspaceObligations(workspaceId: string | undefined, query: ObligationQuery) {
  return useQuery({
    queryKey: queryKeys.obligations({ workspaceId, ...query }),
    queryFn: () => call(api.GET('/api/workspaces/{id}/obligations', { params: { path: { id: workspaceId! }, query } })),
    enabled: Boolean(workspaceId),
    select: (data) => data.items,
    placeholderData: (previous) => previous,
  });
}

/** One organisation's obligations (a certificate's, with `certificateId`). */
export function useOrgObligations(orgId: string, query: Omit<ObligationQuery, 'orgId'>) {
  return useQuery({
    queryKey: queryKeys.obligations({ orgId, ...query }),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/obligations', { params: { path: { orgId }, query } })),
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
