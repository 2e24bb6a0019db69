import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { MemberInput, MemberPatch } from './types';

export function useMembers(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.members(workspaceId ?? ''),
    queryFn: () => call(api.GET('/api/workspaces/{id}/members', { params: { path: { id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
    select: (data) => data.items,
  });
}

export function useAddMember(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MemberInput) =>
      call(api.POST('/api/workspaces/{id}/members', { params: { path: { id: workspaceId } }, body: input })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.members(workspaceId) }),
  });
}

export function useUpdateMember(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, patch }: { userId: string; patch: MemberPatch }) =>
      call(
        api.PATCH('/api/workspaces/{id}/members/{userId}', {
          params: { path: { id: workspaceId, userId } },
          body: patch,
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.members(workspaceId) });
      await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useRemoveMember(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      call(api.DELETE('/api/workspaces/{id}/members/{userId}', { params: { path: { id: workspaceId, userId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.members(workspaceId) }),
  });
}
