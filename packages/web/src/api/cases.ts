import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { paths } from './schema';

type ListPath = paths['/api/orgs/{orgId}/cases'];
export type CaseQuery = NonNullable<ListPath['get']['parameters']['query']>;
export type Case = ListPath['get']['responses'][200]['content']['application/json']['items'][number];
export type CaseStep = Case['steps'][number];
export type CaseMaterial = Case['checklist'][number];
export type CaseCloseInput =
  paths['/api/orgs/{orgId}/cases/{caseId}/close']['post']['requestBody']['content']['application/json'];
export type MaterialInput =
  paths['/api/orgs/{orgId}/cases/{caseId}/checklist/{materialId}']['put']['requestBody']['content']['application/json'];

/** The first page of an organisation's cases (open ones of a certificate fit on it). */
export function useCases(orgId: string | undefined, query: Omit<CaseQuery, 'cursor'>) {
  return useQuery({
    queryKey: queryKeys.cases(orgId ?? '', query),
    queryFn: () => call(api.GET('/api/orgs/{orgId}/cases', { params: { path: { orgId: orgId! }, query } })),
    enabled: Boolean(orgId),
  });
}

/** Every change to a case can record an event or complete a duty: the certificate's data follows. */
function useCaseMutation<T>(orgId: string, certId: string, fn: (input: T) => Promise<Case>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateCertificateData(client, certId) });
}

export function useCaseStep(orgId: string, certId: string) {
  return useCaseMutation(
    orgId,
    certId,
    ({ caseId, stepKey, date }: { caseId: string; stepKey: string; date: string }) =>
      call(
        api.POST('/api/orgs/{orgId}/cases/{caseId}/steps/{stepKey}', {
          params: { path: { orgId, caseId, stepKey } },
          body: { date },
        }),
      ),
  );
}

export function useCaseMaterial(orgId: string, certId: string) {
  return useCaseMutation(
    orgId,
    certId,
    ({ caseId, materialId, input }: { caseId: string; materialId: string; input: MaterialInput | null }) =>
      input === null
        ? call(
            api.DELETE('/api/orgs/{orgId}/cases/{caseId}/checklist/{materialId}', {
              params: { path: { orgId, caseId, materialId } },
            }),
          )
        : call(
            api.PUT('/api/orgs/{orgId}/cases/{caseId}/checklist/{materialId}', {
              params: { path: { orgId, caseId, materialId } },
              body: input,
            }),
          ),
  );
}

export function useCaseOwner(orgId: string, certId: string) {
  return useCaseMutation(orgId, certId, ({ caseId, ownerId }: { caseId: string; ownerId: string | null }) =>
    call(api.PATCH('/api/orgs/{orgId}/cases/{caseId}', { params: { path: { orgId, caseId } }, body: { ownerId } })),
  );
}

export function useCloseCase(orgId: string, certId: string) {
  return useCaseMutation(orgId, certId, ({ caseId, input }: { caseId: string; input: CaseCloseInput }) =>
    call(api.POST('/api/orgs/{orgId}/cases/{caseId}/close', { params: { path: { orgId, caseId } }, body: input })),
  );
}

/** A document the case drafts (.docx). */
export const caseDocumentUrl = (orgId: string, caseId: string, document: string) =>
  `/api/orgs/${encodeURIComponent(orgId)}/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(document)}`;

/** The open cases across the workspace's organisations (or one), for the dashboard. */
export function useWorkspaceCases(workspaceId: string, orgId: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.allCases, 'workspace', workspaceId, orgId ?? ''],
    queryFn: () =>
      call(
        api.GET('/api/workspaces/{id}/cases', {
          params: { path: { id: workspaceId }, query: { state: 'open', limit: 10, ...(orgId ? { orgId } : {}) } },
        }),
      ),
  });
}

export type CaseActionInput =
  paths['/api/orgs/{orgId}/cases/{caseId}/actions']['post']['requestBody']['content']['application/json'];

/** Adds an action to a policy case: a duty with an owner and a due date. */
export function useAddCaseAction(orgId: string, certId: string) {
  return useCaseMutation(orgId, certId, ({ caseId, input }: { caseId: string; input: CaseActionInput }) =>
    call(api.POST('/api/orgs/{orgId}/cases/{caseId}/actions', { params: { path: { orgId, caseId } }, body: input })),
  );
}
