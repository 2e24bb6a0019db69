import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { ChannelInput, ChannelPatch, DeliveryQuery, NotificationPreferences } from './types';

/** How often the header asks for the unread count (the inbox is filled by the reminder sweep). */
export const INBOX_POLL_MS = 60_000;
/** Deliveries per page of the log. */
export const DELIVERY_PAGE_SIZE = 50;

export function useChannels(workspaceId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.channels(workspaceId ?? ''),
    queryFn: () => call(api.GET('/api/workspaces/{id}/channels', { params: { path: { id: workspaceId! } } })),
    enabled: enabled && Boolean(workspaceId),
    select: (data) => data.items,
  });
}

export function useCreateChannel(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput) =>
      call(api.POST('/api/workspaces/{id}/channels', { params: { path: { id: workspaceId } }, body: input })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.channels(workspaceId) }),
  });
}

export function useUpdateChannel(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ channelId, patch }: { channelId: string; patch: ChannelPatch }) =>
      call(
        api.PATCH('/api/workspaces/{id}/channels/{channelId}', {
          params: { path: { id: workspaceId, channelId } },
          body: patch,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.channels(workspaceId) }),
  });
}

export function useDeleteChannel(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (channelId: string) =>
      call(
        api.DELETE('/api/workspaces/{id}/channels/{channelId}', { params: { path: { id: workspaceId, channelId } } }),
      ),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.channels(workspaceId) }),
        client.invalidateQueries({ queryKey: queryKeys.allDeliveries(workspaceId) }),
      ]),
  });
}

/** Sends a test message through a channel now; resolves with its delivery (sent, or failed with the error). */
export function useTestChannel(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (channelId: string) =>
      call(
        api.POST('/api/workspaces/{id}/channels/{channelId}/test', {
          params: { path: { id: workspaceId, channelId } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.allDeliveries(workspaceId) }),
  });
}

/** The delivery log, newest first, a page at a time (the next page starts before the last item shown). */
export function useDeliveries(
  workspaceId: string | undefined,
  filter: Pick<DeliveryQuery, 'status' | 'channelId'>,
  enabled = true,
) {
  return useInfiniteQuery({
    queryKey: queryKeys.deliveries(workspaceId ?? '', filter),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/workspaces/{id}/deliveries', {
          params: {
            path: { id: workspaceId! },
            query: { ...filter, limit: DELIVERY_PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) =>
      last.items.length < DELIVERY_PAGE_SIZE ? undefined : last.items[last.items.length - 1]?.createdAt,
    enabled: enabled && Boolean(workspaceId),
  });
}

export function useNotificationPreferences(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.notificationPreferences(workspaceId ?? ''),
    queryFn: () =>
      call(api.GET('/api/workspaces/{id}/notification-preferences', { params: { path: { id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
  });
}

export function useSaveNotificationPreferences(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NotificationPreferences) =>
      call(
        api.PUT('/api/workspaces/{id}/notification-preferences', {
          params: { path: { id: workspaceId } },
          body: input,
        }),
      ),
    onSuccess: (saved) => client.setQueryData(queryKeys.notificationPreferences(workspaceId), saved),
  });
}

/** The header badge: the number of unread in-app messages, asked again every minute. */
export function useUnreadCount() {
  return useQuery({
    queryKey: queryKeys.inboxUnread,
    queryFn: () => call(api.GET('/api/me/inbox/unread-count')),
    select: (data) => data.count,
    refetchInterval: INBOX_POLL_MS,
  });
}

/** The most recent in-app messages (loaded while the inbox is open). */
export function useInbox(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.inboxList,
    queryFn: () => call(api.GET('/api/me/inbox', { params: { query: { limit: 30 } } })),
    enabled,
    // Opened to see what is new: always ask again.
    staleTime: 0,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/me/inbox/{id}/read', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.inbox }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/me/inbox/read-all')),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.inbox }),
  });
}
