import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData, uploadOrgFile } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';

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
