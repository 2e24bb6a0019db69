import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { invalidateEvidence } from './evidence';
import { queryKeys } from './keys';
import type { ExportKind, ImportKind, ImportMapping, ImportProgress, ImportResult } from './types';
import { postForm } from './upload';

export const IMPORT_KINDS = ['projects', 'staff', 'qualifications'] as const satisfies readonly ImportKind[];
export type { ImportKind };

const importsUrl = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}/imports`;

/** The Chinese workbook to fill in for a kind. */
export const templateUrl = (orgId: string, kind: ImportKind) => `${importsUrl(orgId)}/${kind}/template.xlsx`;

/** The lists that download as workbooks. */
export const EXPORT_KINDS = [
  'projects',
  'staff',
  'qualifications',
  'financial-years',
  'ip',
  'management-certificates',
] as const satisfies readonly ExportKind[];

export const isExportKind = (kind: string): kind is ExportKind => (EXPORT_KINDS as readonly string[]).includes(kind);

/** Every record of a kind as a workbook. */
export const exportUrl = (orgId: string, kind: ExportKind) =>
  `/api/orgs/${encodeURIComponent(orgId)}/exports/${kind}.xlsx`;

/** A random id for one import, so the page can ask how far the server has got with it. */
export function newProgressId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Sends a workbook or CSV: a dry run checks every row and saves nothing; otherwise the rows are
 * saved all or none. `onUpload` reports the upload, the progress route the processing.
 */
export function runImport({
  orgId,
  kind,
  file,
  dryRun,
  progressId,
  onUpload,
  signal,
}: {
  orgId: string;
  kind: ImportKind;
  file: File;
  dryRun: boolean;
  progressId: string;
  onUpload?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<ImportResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  const query = new URLSearchParams({ dryRun: String(dryRun), progressId });
  return postForm<ImportResult>(`${importsUrl(orgId)}/${kind}?${query.toString()}`, form, {
    onProgress: onUpload,
    signal,
  });
}

/** How far the server is with an import, polled while it runs. */
export function useImportProgress(orgId: string, progressId: string | null) {
  return useQuery({
    queryKey: ['import-progress', orgId, progressId],
    queryFn: () => request<ImportProgress>('GET', `${importsUrl(orgId)}/progress/${encodeURIComponent(progressId!)}`),
    enabled: progressId !== null,
    refetchInterval: 400,
    // Before the server has read the upload it does not know the id yet: keep asking.
    retry: true,
    retryDelay: 400,
    staleTime: 0,
    gcTime: 0,
  });
}

/** The saved column mapping of a kind (which file column holds which field). */
export function useImportMapping(orgId: string, kind: ImportKind) {
  return useQuery({
    queryKey: queryKeys.importMapping(orgId, kind),
    queryFn: () => request<ImportMapping>('GET', `${importsUrl(orgId)}/${kind}/mapping`),
  });
}

export function useSaveImportMapping(orgId: string, kind: ImportKind) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mapping: ImportMapping['mapping']) =>
      request<ImportMapping>('PUT', `${importsUrl(orgId)}/${kind}/mapping`, { body: { mapping } }),
    onSuccess: (saved) => client.setQueryData(queryKeys.importMapping(orgId, kind), saved),
  });
}

/** After a real import: the lists, flags and readiness of the organisation. */
export function useAfterImport(orgId: string) {
  const client = useQueryClient();
  return () => invalidateEvidence(client, orgId);
}
