import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, call, request } from './client';
import { queryKeys } from './keys';
import type { EvidenceKind, EvidenceRecords, LegalEntityInput } from './types';

// The registry kinds share their routes' shape, so one set of hooks serves them all; the record
// types still come from the generated OpenAPI types through `EvidenceRecords`.

export const EVIDENCE_KINDS = [
  'projects',
  'staff',
  'financial-years',
  'ip',
  'management-certificates',
  'standards',
  'adverse-records',
] as const satisfies readonly EvidenceKind[];

export function isEvidenceKind(value: string | undefined): value is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(value ?? '');
}

const recordsUrl = (orgId: string, kind: EvidenceKind) => `/api/orgs/${encodeURIComponent(orgId)}/${kind}`;
const recordUrl = (orgId: string, kind: EvidenceKind, id: string) =>
  `${recordsUrl(orgId, kind)}/${encodeURIComponent(id)}`;

/** Where a record's editor opens (the link authenticity flags carry). */
export const evidencePath = (orgId: string, section: string, id?: string) =>
  `/orgs/${orgId}/evidence/${section}${id ? `?id=${encodeURIComponent(id)}` : ''}`;

/** After evidence changes: every list of the organisation, its flags and its readiness. */
export function invalidateEvidence(client: QueryClient, orgId: string): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.evidence(orgId) }),
    client.invalidateQueries({ queryKey: queryKeys.checks(orgId) }),
    client.invalidateQueries({ queryKey: queryKeys.readiness(orgId) }),
  ]);
}

export function useEvidenceList<K extends EvidenceKind>(orgId: string, kind: K) {
  return useQuery({
    queryKey: queryKeys.evidenceList(orgId, kind),
    queryFn: () => request<{ items: EvidenceRecords[K]['item'][] }>('GET', recordsUrl(orgId, kind)),
    select: (data) => data.items,
  });
}

/**
 * One record in full, for its editor. A staff member's ID number comes masked like everywhere
 * (`110101********002X`); managers and above see it whole with `useRevealIdNumber`.
 */
export function useEvidenceRecord<K extends EvidenceKind>(orgId: string, kind: K, id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.evidenceRecord(orgId, kind, id ?? ''),
    queryFn: () => request<EvidenceRecords[K]['item']>('GET', recordUrl(orgId, kind, id!)),
    enabled: Boolean(id),
    // The editor must start from what is stored now, not from a list seen a minute ago.
    staleTime: 0,
  });
}

/** Creates a record, or with `id` changes it (only the fields sent; lists sent replace the old). */
export function useSaveEvidence<K extends EvidenceKind>(orgId: string, kind: K) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Partial<EvidenceRecords[K]['input']> }) =>
      id
        ? request<EvidenceRecords[K]['item']>('PATCH', recordUrl(orgId, kind, id), { body })
        : request<EvidenceRecords[K]['item']>('POST', recordsUrl(orgId, kind), { body }),
    onSuccess: () => invalidateEvidence(client, orgId),
  });
}

export function useDeleteEvidence(orgId: string, kind: EvidenceKind) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<null>('DELETE', recordUrl(orgId, kind, id)),
    onSuccess: () => invalidateEvidence(client, orgId),
  });
}

/** Whether the organisation is an independent legal entity, as confirmed (null until someone does). */
export function useLegalEntity(orgId: string) {
  return useQuery({
    queryKey: queryKeys.evidenceList(orgId, 'legal-entity'),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/legal-entity', { params: { path: { orgId } } })),
  });
}

/** Confirms (again) whether the organisation is an independent legal entity, with its files. */
export function useSaveLegalEntity(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LegalEntityInput) =>
      call(api.PUT('/api/orgs/{orgId}/legal-entity', { params: { path: { orgId } }, body })),
    onSuccess: () => invalidateEvidence(client, orgId),
  });
}

/** The organisation's authenticity flags (acceptance before signing, invoices above the contract …). */
export function useChecks(orgId: string) {
  return useQuery({
    queryKey: queryKeys.checks(orgId),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/checks', { params: { path: { orgId } } })),
    select: (data) => data.items,
  });
}

/**
 * A staff member's full ID number (managers and above); the server records every reveal in the
 * audit log. Not cached: it is shown where it was asked for and nowhere else.
 */
export function useRevealIdNumber(orgId: string, staffId: string) {
  return useMutation({
    mutationFn: () =>
      call(api.POST('/api/orgs/{orgId}/staff/{id}/id-number', { params: { path: { orgId, id: staffId } } })),
  });
}
