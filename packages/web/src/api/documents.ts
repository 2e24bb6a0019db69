import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData, uploadOrgFile } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { paths } from './schema';

/** The formats a document downloads in. */
export type DocumentFormat = 'docx' | 'pdf';

/** The draft of a certificate's self-check report for a year, built from the data as it is now. */
export const selfCheckReportUrl = (orgId: string, certId: string, year: number, format: DocumentFormat) =>
  `/api/orgs/${encodeURIComponent(orgId)}/certificates/${encodeURIComponent(certId)}/self-check-report.${format}?year=${year}`;

/**
 * The years a certificate's self-check report can be written for: from its issue year to its
 * expiry year, not after this one. Newest first.
 */
export function selfCheckYears(issuedOn: string, expiresOn: string, today: string): number[] {
  const first = Number(issuedOn.slice(0, 4));
  const last = Math.min(Number(expiresOn.slice(0, 4)), Number(today.slice(0, 4)));
  const years: number[] = [];
  for (let y = last; y >= first; y--) years.push(y);
  return years;
}

export function useSelfCheckVersions(orgId: string, certId: string) {
  return useQuery({
    queryKey: queryKeys.selfCheckVersions(certId),
    queryFn: () =>
      call(
        api.GET('/api/orgs/{orgId}/certificates/{certId}/self-check-reports', { params: { path: { orgId, certId } } }),
      ),
    select: (data) => data.versions,
  });
}

export interface SubmissionInput {
  year: number;
  submittedOn: string;
  receiptNumber?: string;
  result: 'normal' | 'abnormal';
  /** The sealed scan the company filed; without it the draft as it is now is kept. */
  file?: File;
}

/** Records the year's submitted report: the file is uploaded first, then named in the record. */
export function useSubmitSelfCheck(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, ...rest }: SubmissionInput) => {
      const fileId = file ? (await uploadOrgFile(orgId, file)).id : undefined;
      return call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/self-check-reports', {
          params: { path: { orgId, certId } },
          body: { ...rest, ...(fileId ? { fileId } : {}) },
        }),
      );
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.selfCheckVersions(certId) });
      // The submission is an event that completes the year's duty.
      await invalidateCertificateData(client, certId);
    },
  });
}

type TemplatePath = paths['/api/workspaces/{id}/report-templates/self-check-report'];
/** The workspace's self-check report template: sections in order, on or off, headings and fixed text. */
export type SelfCheckTemplate = TemplatePath['put']['requestBody']['content']['application/json'];
export type TemplateSection = SelfCheckTemplate['sections'][number];
/** The draft as the preview draws it: cover, then headings, paragraphs, tables, signatures. */
export type PreviewDocument =
  paths['/api/orgs/{orgId}/certificates/{certId}/self-check-report/preview']['post']['responses'][200]['content']['application/json']['document'];
export type PreviewBlock = PreviewDocument['blocks'][number];

export function useSelfCheckTemplate(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.selfCheckTemplate(workspaceId ?? ''),
    queryFn: () =>
      call(
        api.GET('/api/workspaces/{id}/report-templates/self-check-report', {
          params: { path: { id: workspaceId! } },
        }),
      ),
    enabled: Boolean(workspaceId),
  });
}

/** Saves the workspace's template (admins); the next drafts follow it. */
export function useSaveSelfCheckTemplate(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (template: SelfCheckTemplate) =>
      call(
        api.PUT('/api/workspaces/{id}/report-templates/self-check-report', {
          params: { path: { id: workspaceId } },
          body: template,
        }),
      ),
    onSuccess: (data) => client.setQueryData(queryKeys.selfCheckTemplate(workspaceId), data),
  });
}

/** Goes back to the default template (admins). */
export function useResetSelfCheckTemplate(workspaceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call(
        api.DELETE('/api/workspaces/{id}/report-templates/self-check-report', {
          params: { path: { id: workspaceId } },
        }),
      ),
    onSuccess: (data) => client.setQueryData(queryKeys.selfCheckTemplate(workspaceId), data),
  });
}

/**
 * The year's draft as the preview draws it, with `template` (being edited, not saved); the last
 * preview stays on screen while the next one is made.
 */
export function useSelfCheckPreview(
  orgId: string,
  certId: string,
  year: number,
  template: SelfCheckTemplate | undefined,
) {
  return useQuery({
    queryKey: queryKeys.selfCheckPreview(certId, year, template),
    queryFn: () =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/self-check-report/preview', {
          params: { path: { orgId, certId } },
          body: { year, template },
        }),
      ),
    enabled: template !== undefined,
    placeholderData: keepPreviousData,
    select: (data) => data.document,
    retry: false,
  });
}
