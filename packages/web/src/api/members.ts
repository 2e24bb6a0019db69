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

/**
 * Invites a member by e-mail: the answer carries the invitation link, shown this once (and
 * whether it was e-mailed). With `temporaryPassword`, the person logs in with it and must change it.
 */
export function useInviteMember(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MemberInput) =>
      call(api.POST('/api/workspaces/{id}/members', { params: { path: { id: workspaceId } }, body: input })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.invitations(workspaceId) }),
  });
}

/** The workspace's invitations (pending first, then recent others); owners and admins. */
export function useInvitations(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.invitations(workspaceId ?? ''),
    queryFn: () => call(api.GET('/api/workspaces/{id}/invitations', { params: { path: { id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
    select: (data) => data.items,
  });
}

/** A new link for a pending or expired invitation (shown once); the old link stops working. */
export function useRenewInvitation(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      call(
        api.POST('/api/workspaces/{id}/invitations/{invitationId}/renew', {
          params: { path: { id: workspaceId, invitationId } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.invitations(workspaceId) }),
  });
}

/** Withdraws a pending invitation: its link and temporary password stop working. */
export function useRevokeInvitation(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      call(
        api.DELETE('/api/workspaces/{id}/invitations/{invitationId}', {
          params: { path: { id: workspaceId, invitationId } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.invitations(workspaceId) }),
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
