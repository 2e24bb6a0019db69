import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { Org, OrgInput, OrgOverviewQuery, OrgPatch } from './types';

export function useOrgs(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.orgs(workspaceId ?? ''),
    queryFn: () => call(api.GET('/api/orgs', { params: { query: { workspaceId: workspaceId! } } })),
    enabled: Boolean(workspaceId),
    select: (data) => data.items,
  });
}

export function useOrg(orgId: string) {
  return useQuery({
    queryKey: queryKeys.org(orgId),
    queryFn: () => call(api.GET('/api/orgs/{orgId}', { params: { path: { orgId } } })),
  });
}

export function useCreateOrg() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: OrgInput) => call(api.POST('/api/orgs', { body: input })),
    onSuccess: (org) => client.invalidateQueries({ queryKey: queryKeys.orgs(org.workspaceId) }),
  });
}

export function useUpdateOrg(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: OrgPatch) => call(api.PATCH('/api/orgs/{orgId}', { params: { path: { orgId } }, body: patch })),
    onSuccess: (org: Org) => {
      client.setQueryData(queryKeys.org(orgId), org);
      return client.invalidateQueries({ queryKey: queryKeys.orgs(org.workspaceId) });
    },
  });
}

/** Moves an organisation into the recycle bin: everything shown anywhere may change. */
export function useDeleteOrg(org: Pick<Org, 'id' | 'workspaceId'>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/orgs/{orgId}', { params: { path: { orgId: org.id } } })),
    onSuccess: () => {
      client.removeQueries({ queryKey: queryKeys.org(org.id) });
      return client.invalidateQueries();
    },
  });
}

/** What would go into the recycle bin with an organisation (asked when the confirmation opens). */
export function useDeletionImpact(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.deletionImpact(orgId),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/deletion-impact', { params: { path: { orgId } } })),
    enabled,
    staleTime: 0,
  });
}

export function useRecycleBin(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.recycleBin(workspaceId ?? ''),
    queryFn: () => call(api.GET('/api/workspaces/{id}/recycle-bin', { params: { path: { id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
  });
}

/** Takes an organisation out of the recycle bin; it reappears everywhere. */
export function useRestoreOrg(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) =>
      call(
        api.POST('/api/workspaces/{id}/recycle-bin/{orgId}/restore', { params: { path: { id: workspaceId, orgId } } }),
      ),
    onSuccess: () => client.invalidateQueries(),
  });
}

/** Removes an organisation in the recycle bin for good. */
export function usePurgeOrg(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) =>
      call(api.DELETE('/api/workspaces/{id}/recycle-bin/{orgId}', { params: { path: { id: workspaceId, orgId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.recycleBin(workspaceId) }),
  });
}

/**
 * The organisations list with each one's certificate, next deadline, late work and readiness, 50
 * at a time. Certificates, obligations and evidence all move it: it is read afresh on each visit.
 */
export function useOrgOverview(workspaceId: string | undefined, query: OrgOverviewQuery) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.orgs(workspaceId ?? ''), 'overview', query],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/workspaces/{id}/org-overview', {
          params: { path: { id: workspaceId! }, query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(workspaceId),
    staleTime: 0,
    select: (data) => ({ items: data.pages.flatMap((p) => p.items), total: data.pages[0] ? data.pages[0].total : 0 }),
    placeholderData: (previous) => previous,
  });
}
