import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { Obligation, ObligationPatch, ObligationQuery } from './types';

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
