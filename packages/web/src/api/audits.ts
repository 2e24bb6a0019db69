import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { AuditInput, CloseAuditInput, ItemPatch } from './types';

/** The audit report in Word or PDF, from the audit as it is now. */
export const auditReportUrl = (orgId: string, auditId: string, format: 'docx' | 'pdf') =>
  `/api/orgs/${encodeURIComponent(orgId)}/audits/${encodeURIComponent(auditId)}/report.${format}`;

export function useAudits(orgId: string, certificateId?: string) {
  return useQuery({
    queryKey: [...queryKeys.internalAudits(orgId), certificateId ?? ''],
    queryFn: () =>
      call(
        api.GET('/api/orgs/{orgId}/audits', {
          params: { path: { orgId }, query: certificateId ? { certificateId } : {} },
        }),
      ),
    select: (data) => data.items,
  });
}

export function useAudit(orgId: string, auditId: string) {
  return useQuery({
    queryKey: queryKeys.internalAudit(auditId),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/audits/{id}', { params: { path: { orgId, id: auditId } } })),
  });
}

export function useChecklist(orgId: string, auditId: string) {
  return useQuery({
    queryKey: queryKeys.checklist(auditId),
    queryFn: () =>
      call(api.GET('/api/orgs/{orgId}/audits/{id}/checklist', { params: { path: { orgId, id: auditId } } })),
    select: (data) => data.items,
  });
}

export function usePlanAudit(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AuditInput) => call(api.POST('/api/orgs/{orgId}/audits', { params: { path: { orgId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.internalAudits(orgId) }),
  });
}

/** After a result or a closing: the audit, its checklist, the lists and the duties it touched. */
async function invalidateAudit(client: ReturnType<typeof useQueryClient>, orgId: string, auditId: string) {
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.internalAudit(auditId) }),
    client.invalidateQueries({ queryKey: queryKeys.internalAudits(orgId) }),
    invalidateCertificateData(client),
  ]);
}

export function useUpdateItem(orgId: string, auditId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, body }: { itemId: string; body: ItemPatch }) =>
      call(
        api.PATCH('/api/orgs/{orgId}/audits/{id}/checklist/{itemId}', {
          params: { path: { orgId, id: auditId, itemId } },
          body,
        }),
      ),
    onSuccess: () => invalidateAudit(client, orgId, auditId),
  });
}

export function useCloseAudit(orgId: string, auditId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CloseAuditInput) =>
      call(api.POST('/api/orgs/{orgId}/audits/{id}/close', { params: { path: { orgId, id: auditId } }, body })),
    onSuccess: () => invalidateAudit(client, orgId, auditId),
  });
}
