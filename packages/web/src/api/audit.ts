import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { AuditQuery } from './types';

/** One page of the audit log of a workspace, filtered. */
export function useAuditLog(query: AuditQuery | undefined) {
  return useQuery({
    queryKey: queryKeys.audit(query ?? {}),
    queryFn: () => call(api.GET('/api/audit-log', { params: { query: query! } })),
    enabled: Boolean(query?.workspaceId),
    placeholderData: keepPreviousData,
  });
}
