import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { paths } from './schema';

type UsagesPath = paths['/api/orgs/{orgId}/certificates/{certId}/usages'];
export type UsageInput = UsagesPath['post']['requestBody']['content']['application/json'];
export type Usage = UsagesPath['post']['responses'][201]['content']['application/json'];

/** A certificate's uses, newest first, 20 at a time; `fetchNextPage` adds the next page. */
export function useCertificateUsages(orgId: string, certId: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.usages(certId),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/orgs/{orgId}/usages', {
          params: {
            path: { orgId },
            query: { certificateId: certId, limit: 20, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: (data) => data.pages.flatMap((p) => p.items),
  });
}

export function useRegisterUsage(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UsageInput) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/usages', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.usages(certId) }),
  });
}

export function useVoidUsage(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ usageId, reason }: { usageId: string; reason: string }) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/usages/{usageId}/void', {
          params: { path: { orgId, certId, usageId } },
          body: { reason },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.usages(certId) }),
  });
}

/** The use's stamped copy (PDF). */
export const usageCopyUrl = (orgId: string, certId: string, usageId: string) =>
  `/api/orgs/${encodeURIComponent(orgId)}/certificates/${encodeURIComponent(certId)}/usages/${encodeURIComponent(usageId)}/copy.pdf`;

/** The organisation's whole register as a workbook. */
export const usageRegisterUrl = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}/usages.xlsx`;
