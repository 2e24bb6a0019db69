import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { ActionItemInput, MeetingInput, MinutesPatch } from './types';

/** The minutes in Word or PDF, from the meeting as it is now. */
export const minutesUrl = (orgId: string, meetingId: string, format: 'docx' | 'pdf') =>
  `/api/orgs/${encodeURIComponent(orgId)}/meetings/${encodeURIComponent(meetingId)}/minutes.${format}`;

export function useMeetings(orgId: string, certificateId?: string) {
  return useQuery({
    queryKey: [...queryKeys.meetings(orgId), certificateId ?? ''],
    queryFn: () =>
      call(
        api.GET('/api/orgs/{orgId}/meetings', {
          params: { path: { orgId }, query: certificateId ? { certificateId } : {} },
        }),
      ),
    select: (data) => data.items,
  });
}

export function useMeeting(orgId: string, meetingId: string) {
  return useQuery({
    queryKey: queryKeys.meeting(meetingId),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/meetings/{id}', { params: { path: { orgId, id: meetingId } } })),
  });
}

export function usePlanMeeting(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MeetingInput) =>
      call(api.POST('/api/orgs/{orgId}/meetings', { params: { path: { orgId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.meetings(orgId) }),
  });
}

/** After a change to a meeting: it, the lists, and the duties it set or completed. */
function useInvalidateMeeting(orgId: string, meetingId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.meeting(meetingId) }),
      client.invalidateQueries({ queryKey: queryKeys.meetings(orgId) }),
      invalidateCertificateData(client),
    ]);
}

export function useUpdateMinutes(orgId: string, meetingId: string) {
  const invalidate = useInvalidateMeeting(orgId, meetingId);
  return useMutation({
    mutationFn: (body: MinutesPatch) =>
      call(api.PATCH('/api/orgs/{orgId}/meetings/{id}', { params: { path: { orgId, id: meetingId } }, body })),
    onSuccess: invalidate,
  });
}

export function useAddActionItem(orgId: string, meetingId: string) {
  const invalidate = useInvalidateMeeting(orgId, meetingId);
  return useMutation({
    mutationFn: (body: ActionItemInput) =>
      call(api.POST('/api/orgs/{orgId}/meetings/{id}/actions', { params: { path: { orgId, id: meetingId } }, body })),
    onSuccess: invalidate,
  });
}

export function useCloseMeeting(orgId: string, meetingId: string) {
  const invalidate = useInvalidateMeeting(orgId, meetingId);
  return useMutation({
    mutationFn: () =>
      call(api.POST('/api/orgs/{orgId}/meetings/{id}/close', { params: { path: { orgId, id: meetingId } } })),
    onSuccess: invalidate,
  });
}
