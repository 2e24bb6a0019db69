import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { contentDisposition } from '../../http/content.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { OrgParamsSchema, WorkspaceParamsSchema } from '../../http/params.js';
import { errorResponses } from '../../http/schemas.js';
import { buildCaseDocument, CASE_DOCUMENT_TITLES } from '../../reports/case-documents.js';
import { renderDocx } from '../../reports/docx.js';
import {
  CaseCloseInputSchema,
  CaseDocumentParamsSchema,
  CaseListQuerySchema,
  CaseListSchema,
  CaseMaterialParamsSchema,
  CaseParamsSchema,
  CasePatchSchema,
  CaseSchema,
  CaseStepInputSchema,
  CaseStepParamsSchema,
  MaterialInputSchema,
  WorkspaceCaseListQuerySchema,
} from './case-schemas.js';
import { CaseActionInputSchema } from './policy-schemas.js';
import {
  addCaseAction,
  caseDocumentData,
  closeCase,
  completeStep,
  getCase,
  listCases,
  listWorkspaceCases,
  setMaterial,
  updateCase,
} from './cases.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Guided cases: the procedure each change, loss, failed supervision or policy update starts. */
export const caseRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['cases'];
  const base = '/api/orgs/:orgId/cases/:caseId';

  app.get(
    '/api/orgs/:orgId/cases',
    {
      schema: {
        tags,
        summary: "The organisation's cases (变更, 重大变更, 遗失补办, 整改, 政策更新), newest first, a page at a time",
        description:
          'Recording an event of a case kind opens its case; withdrawing the event removes it. Each case has its steps ' +
          '(deadline and basis from the engine), its material checklist and its documents. Viewers and above.',
        params: OrgParamsSchema,
        querystring: CaseListQuerySchema,
        response: { 200: CaseListSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        listCases({ tx, actor, orgId: request.params.orgId, query: request.query }),
      ),
  );

  app.get(
    '/api/workspaces/:id/cases',
    {
      schema: {
        tags,
        summary: "Cases of the workspace's organisations the member may see, newest first, a page at a time",
        description: 'The dashboard shows the open ones with their progress. Members of the workspace.',
        params: WorkspaceParamsSchema,
        querystring: WorkspaceCaseListQuerySchema,
        response: { 200: CaseListSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        listWorkspaceCases({ tx, actor, workspaceId: request.params.id, query: request.query }),
      ),
  );

  app.get(
    base,
    {
      schema: { tags, summary: 'A case', params: CaseParamsSchema, response: { 200: CaseSchema, ...errorResponses } },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getCase({ tx, actor, orgId: request.params.orgId, caseId: request.params.caseId }),
      ),
  );

  app.patch(
    base,
    {
      schema: {
        tags,
        summary: "Set the case's owner (managers and above)",
        params: CaseParamsSchema,
        body: CasePatchSchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        updateCase({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          caseId: request.params.caseId,
          input: request.body,
        }),
      ),
  );

  app.post(
    `${base}/steps/:stepKey`,
    {
      schema: {
        tags,
        summary: 'Mark a step done (managers and above)',
        description:
          'Records the step’s event (the change or re-issue application), completes its duty, or notes a step ' +
          'without either. 409 for the suspension (recorded as the certificate’s state) and for the last step ' +
          '(recorded by closing the case).',
        params: CaseStepParamsSchema,
        body: CaseStepInputSchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        completeStep({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          caseId: request.params.caseId,
          stepKey: request.params.stepKey,
          input: request.body,
        }),
      ),
  );

  app.put(
    `${base}/checklist/:materialId`,
    {
      schema: {
        tags,
        summary: 'Mark a material provided (with its file, uploaded first) or not applicable (with the reason)',
        params: CaseMaterialParamsSchema,
        body: MaterialInputSchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        setMaterial({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          caseId: request.params.caseId,
          itemId: request.params.materialId,
          input: request.body,
        }),
      ),
  );

  app.delete(
    `${base}/checklist/:materialId`,
    {
      schema: {
        tags,
        summary: 'Clear a material back to not yet handled',
        params: CaseMaterialParamsSchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        setMaterial({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          caseId: request.params.caseId,
          itemId: request.params.materialId,
          input: null,
        }),
      ),
  );

  app.post(
    `${base}/actions`,
    {
      schema: {
        tags,
        summary: 'Add an action to a policy case: a duty (rule policy.action) with an owner and a due date',
        params: CaseParamsSchema,
        body: CaseActionInputSchema,
        response: { 201: CaseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const c = await inTenant(db, request, ({ tx, actor, meta }) =>
        addCaseAction({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          caseId: request.params.caseId,
          input: request.body,
        }),
      );
      return reply.status(201).send(c);
    },
  );

  app.post(
    `${base}/close`,
    {
      schema: {
        tags,
        summary: 'Close the case, recording its outcome as an event (managers and above)',
        description:
          'Every step before the last done and every material provided or not applicable. A change or loss case ' +
          'records the re-issued certificate (with its new number when one was printed); a rectification records ' +
          'the passed re-assessment, which ends the suspension.',
        params: CaseParamsSchema,
        body: CaseCloseInputSchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        closeCase({ tx, actor, meta, orgId: request.params.orgId, caseId: request.params.caseId, input: request.body }),
      ),
  );

  app.get(
    `${base}/documents/:document`,
    {
      schema: {
        tags,
        summary: 'A document the case asks the company to write, drafted as .docx (viewers and above)',
        description:
          'change-statement 变更申请说明, loss-notice 遗失声明, rectification-plan 整改计划, rectification-report 整改报告 ' +
          '(the findings pre-filled). 404 for a document the case does not have.',
        params: CaseDocumentParamsSchema,
        response: {
          200: {
            description: 'The Word document',
            content: { [DOCX]: { schema: z.string().meta({ format: 'binary' }) } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { orgId, caseId, document } = request.params;
      const data = await inTenant(db, request, ({ tx, actor }) =>
        caseDocumentData({ tx, actor, orgId, caseId, document }),
      );
      const file = await renderDocx(buildCaseDocument(document, data));
      return reply
        .header('content-type', DOCX)
        .header(
          'content-disposition',
          contentDisposition(`${data.organisation.name}-${CASE_DOCUMENT_TITLES[document]}.docx`),
        )
        .header('cache-control', 'private, no-store')
        .send(file as unknown as string);
    },
  );
};
