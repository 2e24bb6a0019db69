import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invalidateCertificateData } from './certificates';
import { api, call } from './client';
import { queryKeys } from './keys';
import type { paths } from './schema';

type PlanPath = paths['/api/orgs/{orgId}/certificates/{certId}/supervision-plan'];
export type SupervisionPlan = PlanPath['get']['responses'][200]['content']['application/json'];
export type PlanInput = PlanPath['put']['requestBody']['content']['application/json'];
export type CatalogueItem =
  paths['/api/capability-catalogue']['get']['responses'][200]['content']['application/json']['versions'][number]['items'][number];

export type Catalogue = paths['/api/capability-catalogue']['get']['responses'][200]['content']['application/json'];
export type CorrectionInput =
  paths['/api/workspaces/{id}/capability-catalogue/items/{capabilityId}']['put']['requestBody']['content']['application/json'];

/**
 * The capability catalogue as the workspace corrected it. It changes only with a release or a
 * correction made here (which updates this cache), so it is read once.
 */
export function useCapabilityCatalogue(workspaceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.capabilityCatalogue(workspaceId),
    queryFn: () => call(api.GET('/api/capability-catalogue', { params: { query: { workspaceId: workspaceId! } } })),
    enabled: workspaceId !== undefined,
    staleTime: Infinity,
  });
}

/** After a correction: the catalogue as answered, and every plan's gaps read again. */
function useCatalogueChanged(workspaceId: string) {
  const client = useQueryClient();
  return (data: Catalogue) => {
    client.setQueryData(queryKeys.capabilityCatalogue(workspaceId), data);
    void client.invalidateQueries({ queryKey: queryKeys.supervisionPlans });
  };
}

export function useCorrectCapabilityItem(workspaceId: string) {
  const onSuccess = useCatalogueChanged(workspaceId);
  return useMutation({
    mutationFn: ({ itemId, input }: { itemId: string; input: CorrectionInput }) =>
      call(
        api.PUT('/api/workspaces/{id}/capability-catalogue/items/{capabilityId}', {
          params: { path: { id: workspaceId, capabilityId: itemId } },
          body: input,
        }),
      ),
    onSuccess,
  });
}

export function useResetCapabilityItem(workspaceId: string) {
  const onSuccess = useCatalogueChanged(workspaceId);
  return useMutation({
    mutationFn: (itemId: string) =>
      call(
        api.DELETE('/api/workspaces/{id}/capability-catalogue/items/{capabilityId}', {
          params: { path: { id: workspaceId, capabilityId: itemId } },
        }),
      ),
    onSuccess,
  });
}

/** The supervision preparation pack: evidence files by kind, a cover and an index, as a zip. */
export const supervisionPackUrl = (orgId: string, certId: string) =>
  `/api/orgs/${encodeURIComponent(orgId)}/certificates/${encodeURIComponent(certId)}/packs/supervision.zip`;

/** The plan and the evidence checklist as a workbook, Word document or PDF. */
export const supervisionPlanFileUrl = (orgId: string, certId: string, format: 'xlsx' | 'docx' | 'pdf') =>
  `/api/orgs/${encodeURIComponent(orgId)}/certificates/${encodeURIComponent(certId)}/supervision-plan.${format}`;

/** The renewal dossier, or the upgrade dossier when `targetLevel` is the next level. */
export const renewalPackUrl = (orgId: string, certId: string, targetLevel?: string) =>
  `/api/orgs/${encodeURIComponent(orgId)}/certificates/${encodeURIComponent(certId)}/packs/renewal.zip` +
  (targetLevel ? `?targetLevel=${encodeURIComponent(targetLevel)}` : '');

export function useSupervisionPlan(orgId: string, certId: string) {
  return useQuery({
    queryKey: queryKeys.supervisionPlan(certId),
    queryFn: () =>
      call(
        api.GET('/api/orgs/{orgId}/certificates/{certId}/supervision-plan', { params: { path: { orgId, certId } } }),
      ),
  });
}

/** Saves the plan; visits sent without items get them proposed by the planner. */
export function useSaveSupervisionPlan(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PlanInput) =>
      call(
        api.PUT('/api/orgs/{orgId}/certificates/{certId}/supervision-plan', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: (data) => client.setQueryData(queryKeys.supervisionPlan(certId), data),
  });
}

export type ResultsInput =
  paths['/api/orgs/{orgId}/certificates/{certId}/supervision-plan/results']['put']['requestBody']['content']['application/json'];
export type FindingInput =
  paths['/api/orgs/{orgId}/certificates/{certId}/supervision-plan/findings']['post']['requestBody']['content']['application/json'];

/** Records what a held visit found for each item; the plan comes back with the results. */
export function useRecordVisitResults(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ResultsInput) =>
      call(
        api.PUT('/api/orgs/{orgId}/certificates/{certId}/supervision-plan/results', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: (data) => client.setQueryData(queryKeys.supervisionPlan(certId), data),
  });
}

/** Records a finding of a held visit: a rectification duty, so the obligations lists change too. */
export function useAddFinding(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: FindingInput) =>
      call(
        api.POST('/api/orgs/{orgId}/certificates/{certId}/supervision-plan/findings', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: async (data) => {
      client.setQueryData(queryKeys.supervisionPlan(certId), data.plan);
      await invalidateCertificateData(client, certId);
    },
  });
}

type ContactPath = paths['/api/orgs/{orgId}/certificates/{certId}/assessment-contact'];
export type AssessmentContact = ContactPath['get']['responses'][200]['content']['application/json'];
export type ContactInput = ContactPath['put']['requestBody']['content']['application/json'];

export function useAssessmentContact(orgId: string, certId: string) {
  return useQuery({
    queryKey: queryKeys.assessmentContact(certId),
    queryFn: () =>
      call(
        api.GET('/api/orgs/{orgId}/certificates/{certId}/assessment-contact', { params: { path: { orgId, certId } } }),
      ),
  });
}

export function useSaveAssessmentContact(orgId: string, certId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ContactInput) =>
      call(
        api.PUT('/api/orgs/{orgId}/certificates/{certId}/assessment-contact', {
          params: { path: { orgId, certId } },
          body: input,
        }),
      ),
    onSuccess: (data) => client.setQueryData(queryKeys.assessmentContact(certId), data),
  });
}
