import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { paths } from './schema';

type ListPath = paths['/api/workspaces/{id}/policy-updates'];
export type PolicyUpdate = ListPath['get']['responses'][200]['content']['application/json']['items'][number];
export type PolicyUpdateInput = ListPath['post']['requestBody']['content']['application/json'];
type ImpactPath = paths['/api/workspaces/{id}/policy-updates/{updateId}/orgs/{orgId}'];
export type PolicyImpact = ImpactPath['put']['responses'][200]['content']['application/json'];
export type ImpactInput = ImpactPath['put']['requestBody']['content']['application/json'];

/** The workspace's updates, newest first, 20 at a time. */
export function usePolicyUpdates(workspaceId: string | undefined) {
  return useInfiniteQuery({
    queryKey: queryKeys.policyUpdates(workspaceId ?? ''),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/workspaces/{id}/policy-updates', {
          params: { path: { id: workspaceId! }, query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    enabled: Boolean(workspaceId),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: (data) => data.pages.flatMap((p) => p.items),
  });
}

export function useCreatePolicyUpdate(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PolicyUpdateInput) =>
      call(api.POST('/api/workspaces/{id}/policy-updates', { params: { path: { id: workspaceId } }, body: input })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.policyUpdates(workspaceId) }),
  });
}

/** Each organisation's impact of one update, 50 at a time. */
export function usePolicyImpacts(workspaceId: string, updateId: string) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.policyUpdates(workspaceId), updateId],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/workspaces/{id}/policy-updates/{updateId}/orgs', {
          params: {
            path: { id: workspaceId, updateId },
            query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: (data) => data.pages.flatMap((p) => p.items),
  });
}

/** An organisation's assessment: affected opens (or keeps) its case, not affected withdraws it. */
export function useAssessImpact(workspaceId: string, updateId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, input }: { orgId: string; input: ImpactInput }) =>
      call(
        api.PUT('/api/workspaces/{id}/policy-updates/{updateId}/orgs/{orgId}', {
          params: { path: { id: workspaceId, updateId, orgId } },
          body: input,
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.policyUpdates(workspaceId) });
      await invalidateCertificateData(client);
    },
  });
}
