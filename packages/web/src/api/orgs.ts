import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { Org, OrgInput, OrgPatch } from './types';

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

export function useDeleteOrg(org: Pick<Org, 'id' | 'workspaceId'>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/orgs/{orgId}', { params: { path: { orgId: org.id } } })),
    onSuccess: () => {
      client.removeQueries({ queryKey: queryKeys.org(org.id) });
      return client.invalidateQueries({ queryKey: queryKeys.orgs(org.workspaceId) });
    },
  });
}
