import { inTenant, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { CertParamsSchema } from '../../http/params.js';
import {
  CatalogueQuerySchema,
  CatalogueSchema,
  ContactInputSchema,
  CorrectionInputSchema,
  CorrectionParamsSchema,
  ContactSchema,
  DossierQuerySchema,
  FindingInputSchema,
  PlanInputSchema,
  PlanSchema,
  ResultsInputSchema,
} from './schemas.js';
import { UuidSchema } from '../../http/schemas.js';
import { getSupervisionPlan, saveSupervisionPlan } from './service.js';
import { capabilityCatalogue, resetCorrection, saveCorrection, shippedCatalogue } from './catalogue.js';
import { addFinding, recordVisitResults } from './results.js';
import { getContact, saveContact } from './contacts.js';
import { dossierData, planDocumentData, supervisionPackData } from './exports.js';
import { PackAborted, dossierPack, supervisionPack, writePack } from './pack.js';
import archiver from 'archiver';
import { z } from 'zod';
import { contentDisposition } from '../../http/content.js';
import { createBlobStore } from '../../storage/index.js';
import { renderDocx } from '../../reports/docx.js';
import { renderPdf } from '../../reports/pdf.js';
import { buildPlanDocument } from '../../reports/supervision-plan.js';
import { planWorkbook } from './plan-export.js';

const PLAN_MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

const PlanFileResponse = {
  description: 'The plan as a workbook, Word document or PDF',
  content: Object.fromEntries(
    Object.values(PLAN_MIME).map((mime) => [mime, { schema: z.string().meta({ format: 'binary' }) }]),
  ),
};

const ZipResponse = {
  description: 'The pack as a zip file',
  content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } },
};

export const supervisionRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const store = createBlobStore(config);
  const tags = ['supervision'];

  app.get(
    '/api/capability-catalogue',
    {
      schema: {
        tags,
        summary: 'The capability catalogue: 4 domains, 17 sub-domains and 46 capability items of T/CITIF 001-2019',
        description:
          'Each item with how sure its row is (the official list is not published), its source and the kinds ' +
          'of evidence that speak to it; a revised standard is added as another version. With `workspaceId`, ' +
          "the workspace's corrections are applied (its members). Signed-in users.",
        querystring: CatalogueQuerySchema,
        response: { 200: CatalogueSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = request.query;
      if (workspaceId === undefined) {
        requireActor(request);
        return shippedCatalogue();
      }
      return inTenant(db, request, ({ tx, actor }) => capabilityCatalogue({ tx, actor, workspaceId }));
    },
  );

  app.put(
    '/api/workspaces/:id/capability-catalogue/items/:capabilityId',
    {
      schema: {
        tags,
        summary: "Correct a capability item's name, sub-domain or kinds of evidence for the workspace (admins)",
        description:
          'The planner, the plan’s exports and the packs use the correction; saved plans keep the item. ' +
          'Gives the corrected catalogue.',
        params: CorrectionParamsSchema,
        body: CorrectionInputSchema,
        response: { 200: CatalogueSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveCorrection({
          tx,
          actor,
          meta,
          workspaceId: request.params.id,
          itemId: request.params.capabilityId,
          input: request.body,
        }),
      ),
  );

  app.delete(
    '/api/workspaces/:id/capability-catalogue/items/:capabilityId',
    {
      schema: {
        tags,
        summary: 'Undo the workspace’s correction of a capability item: it is as shipped again (admins)',
        params: CorrectionParamsSchema,
        response: { 200: CatalogueSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        resetCorrection({ tx, actor, meta, workspaceId: request.params.id, itemId: request.params.capabilityId }),
      ),
  );

  const path = '/api/orgs/:orgId/certificates/:certId/supervision-plan';
  app.get(
    path,
    {
      schema: {
        tags,
        summary: "A CS3+ certificate's supervision plan: visits, the items each covers, coverage and problems",
        description:
          'Before a plan is saved: the supervisions the deadline engine expects, to plan from. Viewers and above.',
        params: CertParamsSchema,
        response: { 200: PlanSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getSupervisionPlan({ tx, actor, orgId: request.params.orgId, certId: request.params.certId }),
      ),
  );

  app.put(
    path,
    {
      schema: {
        tags,
        summary: 'Save the supervision plan; visits without items get them proposed (managers and above)',
        description:
          'The planner shares the capability items between the visits in proportion to their person-days so that ' +
          'together they cover every item; items a person placed stay. Problems: fewer than two visits, a visit under ' +
          'half the initial person-days, items no visit reaches, a visit given more items than its days reach.',
        params: CertParamsSchema,
        body: PlanInputSchema,
        response: { 200: PlanSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveSupervisionPlan({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      ),
  );

  app.get(
    '/api/orgs/:orgId/certificates/:certId/packs/supervision.zip',
    {
      schema: {
        tags,
        summary:
          'The supervision preparation pack: evidence files by kind, a .docx cover and 目录.xlsx (viewers and above)',
        description:
          'One folder per kind of evidence with the current version of each file; 目录.xlsx lists every file once with ' +
          'its SHA-256, folder, record and the capability items it speaks to, the item-by-item map with the plan’s ' +
          'visits, and what is missing or expired (never silently skipped). Streamed: memory stays flat in the number ' +
          'of files.',
        params: CertParamsSchema,
        response: { 200: ZipResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, certId } = request.params;
      // One snapshot of what the pack holds; the bytes stream after the transaction has ended.
      const data = await inTenant(db, request, ({ tx, actor }) => supervisionPackData({ tx, actor, orgId, certId }));
      const archive = archiver('zip', { zlib: { level: 6 } });
      writePack(supervisionPack(data), store, archive).catch((err: unknown) => {
        if (err instanceof PackAborted) return request.log.info('the supervision pack download ended before the pack');
        request.log.error({ err }, 'the supervision pack could not be completed');
        archive.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply
        .header('content-type', 'application/zip')
        .header(
          'content-disposition',
          contentDisposition(`${data.organisation.name}-监督评估准备材料-${data.today}.zip`),
        )
        .header('cache-control', 'private, no-store')
        .send(archive as unknown as string);
    },
  );

  app.get(
    '/api/orgs/:orgId/certificates/:certId/packs/renewal.zip',
    {
      schema: {
        tags,
        summary:
          'The renewal (再评估) or upgrade dossier: material checklist, evidence by subject, readiness (viewers and above)',
        description:
          'Folders 01 营业执照与信用 … 07 过程证据 with the current version of each file; the cover lists each material ' +
          'with its status and readiness against the target level with the day it is expected to be met; 目录.xlsx ' +
          'lists each file with its SHA-256 and what is missing or expired. `targetLevel`: the next level for an ' +
          'upgrade (one level at a time); the certificate’s own level by default.',
        params: CertParamsSchema,
        querystring: DossierQuerySchema,
        response: { 200: ZipResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, certId } = request.params;
      const data = await inTenant(db, request, ({ tx, actor }) =>
        dossierData({ tx, actor, orgId, certId, targetLevel: request.query.targetLevel }),
      );
      const archive = archiver('zip', { zlib: { level: 6 } });
      writePack(dossierPack(data), store, archive).catch((err: unknown) => {
        if (err instanceof PackAborted) return request.log.info('the dossier download ended before the pack');
        request.log.error({ err }, 'the dossier could not be completed');
        archive.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', contentDisposition(`${data.organisation.name}-${data.title}-${data.today}.zip`))
        .header('cache-control', 'private, no-store')
        .send(archive as unknown as string);
    },
  );

  app.put(
    '/api/orgs/:orgId/certificates/:certId/supervision-plan/results',
    {
      schema: {
        tags,
        summary: 'Record what a held supervision found for each item assessed (managers and above)',
        description: 'A later call for the same visit replaces its item results; its findings stay.',
        params: CertParamsSchema,
        body: ResultsInputSchema,
        response: { 200: PlanSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        recordVisitResults({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/supervision-plan/findings',
    {
      schema: {
        tags,
        summary: 'Record a finding of a held supervision; it becomes a rectification duty (managers and above)',
        description:
          'The duty (rule supervision.finding) has an owner and a due date and is reminded like any other; it is closed ' +
          'with the evidence of the rectification.',
        params: CertParamsSchema,
        body: FindingInputSchema,
        response: { 201: z.object({ obligationId: UuidSchema, plan: PlanSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await inTenant(db, request, ({ tx, actor, meta }) =>
        addFinding({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/orgs/:orgId/certificates/:certId/supervision-plan.:format',
    {
      schema: {
        tags,
        summary: 'The supervision plan and the evidence checklist as .xlsx, .docx or .pdf (viewers and above)',
        description:
          'The visits, the rules the plan breaks, each capability item with its visit, coverage, result, kinds of ' +
          'evidence, file count and gap, and the findings with their due dates.',
        params: CertParamsSchema.extend({ format: z.enum(['xlsx', 'docx', 'pdf']) }),
        response: { 200: PlanFileResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, certId, format } = request.params;
      const data = await inTenant(db, request, ({ tx, actor }) => planDocumentData({ tx, actor, orgId, certId }));
      const file =
        format === 'xlsx'
          ? await planWorkbook(data)
          : format === 'docx'
            ? await renderDocx(buildPlanDocument(data))
            : (await renderPdf(buildPlanDocument(data))).pdf;
      return reply
        .header('content-type', PLAN_MIME[format])
        .header('content-disposition', contentDisposition(`${data.organisation.name}-监督评估计划及证据清单.${format}`))
        .header('cache-control', 'private, no-store')
        .send(file as unknown as string);
    },
  );

  const contactPath = '/api/orgs/:orgId/certificates/:certId/assessment-contact';
  app.get(
    contactPath,
    {
      schema: {
        tags,
        summary: "The assessment body's contact for the certificate (viewers and above)",
        params: CertParamsSchema,
        response: { 200: ContactSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getContact({ tx, actor, orgId: request.params.orgId, certId: request.params.certId }),
      ),
  );
  app.put(
    contactPath,
    {
      schema: {
        tags,
        summary: "Save the assessment body's contact for the certificate (managers and above)",
        params: CertParamsSchema,
        body: ContactInputSchema,
        response: { 200: ContactSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveContact({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      ),
  );
};
