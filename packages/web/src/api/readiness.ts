import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { ReadinessQuery } from './types';

/** The organisation's readiness for a level on a day, with the forecast and the next assessment. */
export function useReadiness(orgId: string, query: ReadinessQuery) {
  return useQuery({
    queryKey: queryKeys.readinessAt(orgId, query),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/readiness', { params: { path: { orgId }, query } })),
    // Keep the last answer on screen while another level or day is computed.
    placeholderData: (previous) => previous,
  });
}
