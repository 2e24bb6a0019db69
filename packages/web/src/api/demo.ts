import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';

/** Makes a workspace of example data (instance administrators); the account then lists it. */
export function useCreateDemo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/workspaces/demo')),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.me }),
  });
}

/** Removes a demo workspace with everything in it (its owners). */
export function useRemoveDemo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (workspaceId: string) =>
      call(api.DELETE('/api/workspaces/{id}', { params: { path: { id: workspaceId } } })),
    onSuccess: () => client.invalidateQueries(),
  });
}
