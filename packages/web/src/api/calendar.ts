import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { CalendarFeedInput, CalendarYearFile } from './types';

export function useCalendarYears() {
  return useQuery({
    queryKey: queryKeys.calendarYears,
    queryFn: () => call(api.GET('/api/calendar/years')),
    select: (data) => [...data.items].sort((a, b) => b.year - a.year),
  });
}

/**
 * Imports a holiday-cn year file (already parsed JSON; `replace` for a year already published);
 * everything depending on the calendar is refreshed.
 */
export function useImportCalendarYear() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, replace }: { file: CalendarYearFile; replace: boolean }) =>
      call(api.POST('/api/calendar/years', { body: file, params: { query: replace ? { replace: 'true' } : {} } })),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.calendarYears }),
        client.invalidateQueries({ queryKey: queryKeys.allObligations }),
        client.invalidateQueries({ queryKey: queryKeys.allDashboards }),
        client.invalidateQueries({ queryKey: queryKeys.allCertificates }),
      ]),
  });
}

/**
 * The background recompute a calendar import starts: polled every second while it runs; when
 * it ends, everything that shows dates is refreshed.
 */
export function useCalendarRecompute(enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: queryKeys.calendarRecompute,
    queryFn: async () => {
      const status = await call(api.GET('/api/calendar/recompute'));
      if (status.state !== 'running') {
        await Promise.all([
          client.invalidateQueries({ queryKey: queryKeys.allObligations }),
          client.invalidateQueries({ queryKey: queryKeys.allDashboards }),
          client.invalidateQueries({ queryKey: queryKeys.allCertificates }),
        ]);
      }
      return status;
    },
    enabled,
    refetchInterval: (query) => (query.state.data?.state === 'running' ? 1000 : false),
  });
}

export function useCalendarFeeds() {
  return useQuery({
    queryKey: queryKeys.calendarFeeds,
    queryFn: () => call(api.GET('/api/calendar/feeds')),
    select: (data) => data.items,
  });
}

export function useCreateCalendarFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CalendarFeedInput) => call(api.POST('/api/calendar/feeds', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.calendarFeeds }),
  });
}

export function useDeleteCalendarFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/calendar/feeds/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.calendarFeeds }),
  });
}
