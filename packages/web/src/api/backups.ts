import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { paths } from './schema';

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
export type BackupOverview = Json<paths['/api/admin/backups']['get']['responses'][200]>;
export type BackupRun = BackupOverview['runs'][number];
export type BackupTarget = BackupOverview['targets'][number];
export type BackupProgress = NonNullable<BackupRun['progress']>;
export type KeepRule = BackupOverview['keep'];

/** While a backup or a drill runs the page follows it; otherwise it reads once. */
const POLL_MS = 1500;
const isBusy = (o: BackupOverview | undefined) =>
  Boolean(o && (o.running || o.runs.some((r) => r.verifyStatus === 'running')));

export function useBackups() {
  return useQuery({
    queryKey: queryKeys.backups,
    queryFn: () => call(api.GET('/api/admin/backups')),
    refetchInterval: (query) => (isBusy(query.state.data) ? POLL_MS : false),
  });
}

/** Starts a backup to every target (202); the list then shows it running. */
export function useStartBackup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/admin/backups')),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.backups }),
  });
}

/** Starts the restore drill on one run's archive (202). */
export function useVerifyBackup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/admin/backups/{id}/verify', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.backups }),
  });
}
