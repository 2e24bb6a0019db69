import type { Level, RequirementSet } from '@zizhi/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';

/** Every level's requirement set as the workspace uses it: its own copy, else the advisory default. */
export function useRequirementSets(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.requirementSets(workspaceId ?? ''),
    queryFn: () => call(api.GET('/api/workspaces/{id}/requirement-sets', { params: { path: { id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
    select: (data) => data.items.map((item) => ({ ...item, set: item.set as unknown as RequirementSet })),
  });
}

function useInvalidateSets(workspaceId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.requirementSets(workspaceId) }),
      // Readiness is judged against the set.
      client.invalidateQueries({ queryKey: ['readiness'] }),
    ]);
}

/** Stores the workspace's edited copy of a level's set (the server validates it, naming each bad path). */
export function useSaveRequirementSet(workspaceId: string) {
  const invalidate = useInvalidateSets(workspaceId);
  return useMutation({
    mutationFn: ({ level, set }: { level: Level; set: RequirementSet }) =>
      call(
        api.PUT('/api/workspaces/{id}/requirement-sets/{level}', {
          params: { path: { id: workspaceId, level } },
          body: set,
        }),
      ),
    onSuccess: invalidate,
  });
}

/** Drops the workspace's copy: the level uses the advisory default again. */
export function useResetRequirementSet(workspaceId: string) {
  const invalidate = useInvalidateSets(workspaceId);
  return useMutation({
    mutationFn: (level: Level) =>
      call(
        api.DELETE('/api/workspaces/{id}/requirement-sets/{level}', {
          params: { path: { id: workspaceId, level } },
        }),
      ),
    onSuccess: invalidate,
  });
}
