import { useQuery } from '@tanstack/react-query';
import { request } from './client';
import { downloadFile } from './download';
import type { ImportProgress, WorkspaceImportReport } from './types';
import { postForm } from './upload';

/** The plain (unencrypted) archive of a workspace: a GET the browser downloads itself. */
export const workspaceExportUrl = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}/export`;

/** Starts the browser's own download of the plain archive (streams, however large). */
export function downloadWorkspaceExport(workspaceId: string): void {
  const a = document.createElement('a');
  a.href = workspaceExportUrl(workspaceId);
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * The archive encrypted with a passphrase: a POST (the passphrase stays out of the address), read
 * whole into the page and saved. Rejects with the server's ApiError.
 */
export function downloadEncryptedWorkspaceExport(workspaceId: string, passphrase: string): Promise<void> {
  return downloadFile(
    workspaceExportUrl(workspaceId),
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ passphrase }),
    },
    'workspace.tar.gz.age',
  );
}

/**
 * Sends a workspace archive: a dry run reports what would be imported and changes nothing; the
 * import proper brings it all or nothing. `onUpload` reports the upload, the progress route the rest.
 */
export function runWorkspaceImport({
  file,
  passphrase,
  dryRun,
  progressId,
  onUpload,
  signal,
}: {
  file: File;
  passphrase?: string;
  dryRun: boolean;
  progressId: string;
  onUpload?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<WorkspaceImportReport> {
  const form = new FormData();
  if (passphrase) form.append('passphrase', passphrase);
  form.append('file', file, file.name);
  const query = new URLSearchParams({ dryRun: String(dryRun), progressId });
  return postForm<WorkspaceImportReport>(`/api/workspaces/import?${query.toString()}`, form, {
    onProgress: onUpload,
    signal,
  });
}

/** How far the server is with a workspace import, polled while it runs. */
export function useWorkspaceImportProgress(progressId: string | null) {
  return useQuery({
    queryKey: ['workspace-import-progress', progressId],
    queryFn: () => request<ImportProgress>('GET', `/api/workspaces/import/progress/${encodeURIComponent(progressId!)}`),
    enabled: progressId !== null,
    refetchInterval: 400,
    retry: true,
    retryDelay: 400,
    staleTime: 0,
    gcTime: 0,
  });
}
