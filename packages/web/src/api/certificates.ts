import { useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, call, request } from './client';
import { queryKeys } from './keys';
import type {
  CertificateInput,
  CertificatePatch,
  EventInput,
  EventPatch,
  HistoryInput,
  SuccessorInput,
  TransitionInput,
  UploadedFile,
} from './types';

/** After anything that changes a certificate: its lists, its detail, its obligations and the dashboards. */
export async function invalidateCertificateData(client: QueryClient, certId?: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.allCertificates }),
    ...(certId
      ? [
          client.invalidateQueries({ queryKey: queryKeys.certificate(certId) }),
          client.invalidateQueries({ queryKey: queryKeys.events(certId) }),
          // Previews compare against the stored events: after a change they must be asked again.
          client.invalidateQueries({ queryKey: ['event-preview', certId] }),
          client.invalidateQueries({ queryKey: ['history-preview', certId] }),
        ]
      : []),
    client.invalidateQueries({ queryKey: queryKeys.allObligations }),
    client.invalidateQueries({ queryKey: queryKeys.allDashboards }),
    client.invalidateQueries({ queryKey: queryKeys.allCases }),
  ]);
}

const listCertificates = (orgId: string) =>
  call(api.GET('/api/orgs/{orgId}/certificates', { params: { path: { orgId } } }));

export function useCertificates(orgId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.certificates(orgId ?? ''),
    queryFn: () => listCertificates(orgId!),
    enabled: Boolean(orgId),
    select: (data) => data.items,
  });
}

/** The certificates of several organisations (the workspace-wide list), one request per organisation. */
export function useCertificatesOf(orgIds: readonly string[]) {
  return useQueries({
    queries: orgIds.map((orgId) => ({
      queryKey: queryKeys.certificates(orgId),
      queryFn: () => listCertificates(orgId),
    })),
    combine: (results) => ({
      items: results.flatMap((r) => r.data?.items ?? []),
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
      refetch: () => Promise.all(results.map((r) => r.refetch())),
    }),
  });
}

export function useCertificate(orgId: string, certId: string) {
  return useQuery({
    queryKey: queryKeys.certificate(certId),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/certificates/{certId}', { params: { path: { orgId, certId } } })),
  });
}

export function useCreateCertificate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, input }: { orgId: string; input: CertificateInput }) =>
      call(api.POST('/api/orgs/{orgId}/certificates', { params: { path: { orgId } }, body: input })),
    onSuccess: () => invalidateCertificateData(client),
  });
}

export function useUpdateCertificate(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: CertificatePatch) =>
      call(api.PATCH('/api/orgs/{orgId}/certificates/{certId}', { params: { path: { orgId, certId } }, body: patch })),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

export function useTransition(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TransitionInput) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/transitions', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

export function useCreateSuccessor(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SuccessorInput) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/successor', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

/**
 * What the history step would record and close, without saving (`dryRun`); `body` null while
 * nothing is ticked yet.
 */
export function useHistoryPreview(orgId: string, certId: string, body: HistoryInput | null) {
  return useQuery({
    queryKey: queryKeys.historyPreview(certId, body ?? {}),
    queryFn: () =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/history', {
          params: { path: { orgId, certId } },
          body: { ...body!, dryRun: true },
        }),
      ),
    enabled: body !== null,
    staleTime: 30_000,
    retry: false,
    placeholderData: (previous) => previous,
  });
}

export function useRecordHistory(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: HistoryInput) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/history', {
          params: { path: { orgId, certId } },
          body: { ...input, dryRun: false },
        }),
      ),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

/** Uploads a file of the organisation (multipart field `file`; plain fetch, the body is not JSON). */
export function uploadOrgFile(orgId: string, file: File): Promise<UploadedFile> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<UploadedFile>('POST', `/api/orgs/${encodeURIComponent(orgId)}/files`, { body: form });
}

export const fileUrl = (orgId: string, fileId: string) =>
  `/api/orgs/${encodeURIComponent(orgId)}/files/${encodeURIComponent(fileId)}`;

/** Upload then attach: the certificate's scan. */
export function useAttachScan(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const uploaded = await uploadOrgFile(orgId, file);
      return call(
        api.PATCH('/api/orgs/{orgId}/certificates/{certId}', {
          params: { path: { orgId, certId } },
          body: { scanFileId: uploaded.id },
        }),
      );
    },
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

// Events ------------------------------------------------------------------------------------------

export function useEvents(orgId: string, certId: string) {
  return useQuery({
    queryKey: queryKeys.events(certId),
    queryFn: () =>
      call(api.GET('/api/orgs/{orgId}/certificates/{certId}/events', { params: { path: { orgId, certId } } })),
    select: (data) => data.items,
  });
}

/** What an event would create, before it is saved; `body` null while the form is incomplete. */
export function useEventPreview(orgId: string, certId: string, body: EventInput | null) {
  return useQuery({
    queryKey: queryKeys.eventPreview(certId, body ?? {}),
    queryFn: () =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/events/preview', {
          params: { path: { orgId, certId } },
          body: body!,
        }),
      ),
    enabled: body !== null,
    staleTime: 60_000,
    retry: false,
    placeholderData: (previous) => previous,
  });
}

export function useRecordEvent(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: EventInput) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/events', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

export function useCorrectEvent(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ eventId, patch }: { eventId: string; patch: EventPatch }) =>
      call(
        api.PATCH('/api/orgs/{orgId}/certificates/{certId}/events/{eventId}', {
          params: { path: { orgId, certId, eventId } },
          body: patch,
        }),
      ),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}

export function useWithdrawEvent(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ eventId, reason }: { eventId: string; reason: string }) =>
      call(
        api.DELETE('/api/orgs/{orgId}/certificates/{certId}/events/{eventId}', {
          params: { path: { orgId, certId, eventId }, query: { reason } },
        }),
      ),
    onSuccess: () => invalidateCertificateData(client, certId),
  });
}
