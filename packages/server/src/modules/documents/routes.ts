import { createHash } from 'node:crypto';
import { z } from 'zod';
import { contentDisposition } from '../../http/content.js';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { CertParamsSchema } from '../../http/params.js';
import { createBlobStore } from '../../storage/index.js';
import { renderDocx } from '../../reports/docx.js';
import type { Format, ReportDocument } from '../../reports/model.js';
import { renderPdf, stopPdfWorker } from '../../reports/pdf.js';
import { buildSelfCheckReport } from '../../reports/self-check.js';
import {
  DocumentResponse,
  DocumentVersionSchema,
  SelfCheckListQuerySchema,
  SelfCheckParamsSchema,
  SelfCheckQuerySchema,
  SubmitSelfCheckSchema,
} from './schemas.js';
import {
  keepAuditReport,
  keepMinutes,
  listSelfCheckVersions,
  requireSubmitAccess,
  selfCheckData,
  submitSelfCheck,
} from './service.js';
import {
  AuditInputSchema,
  AuditItemParamsSchema,
  AuditListQuerySchema,
  AuditParamsSchema,
  AuditReportParamsSchema,
  AuditSchema,
  ChecklistItemSchema,
  CloseAuditSchema,
  ItemPatchSchema,
} from './audit-schemas.js';
import {
  auditReportData,
  closeAudit,
  createAudit,
  getAudit,
  getChecklist,
  listAudits,
  requireClosable,
  updateItem,
} from './audits.js';
import { OrgParamsSchema } from '../../http/params.js';
import { buildAuditReport } from '../../reports/audit-report.js';
import { buildMinutes, quarterZh } from '../../reports/meeting-minutes.js';
import {
  ActionItemInputSchema,
  MeetingInputSchema,
  MeetingListQuerySchema,
  MeetingParamsSchema,
  MeetingSchema,
  MinutesParamsSchema,
  MinutesPatchSchema,
} from './meeting-schemas.js';
import {
  addActionItem,
  closeMeeting,
  createMeeting,
  getMeeting,
  listMeetings,
  minutesData,
  requireClosableMeeting,
  updateMinutes,
} from './meetings.js';

const MIME: Record<Format, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** A document in the format asked for: Word in the request, PDF in the worker thread. */
async function render(doc: ReportDocument, format: Format): Promise<Buffer> {
  return format === 'docx' ? renderDocx(doc) : (await renderPdf(doc)).pdf;
}

export const documentRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const store = createBlobStore(config);
  const tags = ['documents'];
  fastify.addHook('onClose', stopPdfWorker);

  app.get(
    '/api/orgs/:orgId/certificates/:certId/self-check-report.:format',
    {
      schema: {
        tags,
        summary: "A draft of the certificate's annual self-check report (年度自查报告) as .docx or .pdf",
        description:
          'Built from the data as it is now: the company and its changes in the year, the four capability domains ' +
          'with their figures, readiness for the level at the end of the year, problems and rectification, and the ' +
          'attachment list. Viewers and above.',
        params: SelfCheckParamsSchema,
        querystring: SelfCheckQuerySchema,
        response: { 200: DocumentResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, certId, format } = request.params;
      const { year } = request.query;
      // One snapshot: read in one transaction, written after it.
      const data = await inTenant(db, request, ({ tx, actor }) => selfCheckData({ tx, actor, orgId, certId, year }));
      const file = await render(buildSelfCheckReport(data), format);
      return reply
        .header('content-type', MIME[format])
        .header('content-disposition', contentDisposition(`${data.organisation.name}-${year}年度自查报告.${format}`))
        .header('cache-control', 'private, no-store')
        .send(file as unknown as string);
    },
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/self-check-reports',
    {
      schema: {
        tags,
        summary: 'Record a submitted self-check report as the next version of its year (CS1/CS2; managers and above)',
        description:
          'Keeps the file the company submitted (`fileId`, uploaded first), or else the draft as it is now as a PDF, ' +
          'with the submission day and receipt number. Earlier versions stay as they were. Records the event ' +
          '`self-check.submitted`, which completes the year’s self-check duty.',
        params: CertParamsSchema,
        body: SubmitSelfCheckSchema,
        response: { 201: DocumentVersionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, certId } = request.params;
      const body = request.body;
      await inTenant(db, request, ({ tx, actor }) => requireSubmitAccess({ tx, actor, orgId, certId, body }));
      let generated = null;
      if (!body.fileId) {
        const data = await inTenant(db, request, ({ tx, actor }) =>
          selfCheckData({ tx, actor, orgId, certId, year: body.year }),
        );
        const { pdf } = await renderPdf(buildSelfCheckReport(data));
        generated = {
          blob: await store.put(pdf),
          name: `${data.organisation.name}-${body.year}年度自查报告.pdf`,
          dataSha256: createHash('sha256').update(JSON.stringify(data)).digest('hex'),
        };
      }
      const version = await inTenant(db, request, ({ tx, actor, meta }) =>
        submitSelfCheck({ tx, actor, meta, orgId, certId, body, generated }),
      );
      return reply.status(201).send(version);
    },
  );

  app.get(
    '/api/orgs/:orgId/certificates/:certId/self-check-reports',
    {
      schema: {
        tags,
        summary: "The certificate's recorded self-check report versions, newest first (viewers and above)",
        params: CertParamsSchema,
        querystring: SelfCheckListQuerySchema,
        response: { 200: z.object({ versions: z.array(DocumentVersionSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { orgId, certId } = request.params;
      const versions = await inTenant(db, request, ({ tx, actor }) =>
        listSelfCheckVersions({ tx, actor, orgId, certId, year: request.query.year }),
      );
      return { versions };
    },
  );

  // ── Internal audits
  const auditTags = ['audits'];

  app.post(
    '/api/orgs/:orgId/audits',
    {
      schema: {
        tags: auditTags,
        summary:
          'Plan an internal audit; its checklist is generated from the requirements and the evidence (managers and above)',
        params: OrgParamsSchema,
        body: AuditInputSchema,
        response: { 201: AuditSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const audit = await inTenant(db, request, ({ tx, actor, meta }) =>
        createAudit({ tx, actor, meta, orgId: request.params.orgId, input: request.body }),
      );
      return reply.status(201).send(audit);
    },
  );

  app.get(
    '/api/orgs/:orgId/audits',
    {
      schema: {
        tags: auditTags,
        summary: "The organisation's internal audits, newest period first (viewers and above)",
        params: OrgParamsSchema,
        querystring: AuditListQuerySchema,
        response: { 200: z.object({ items: z.array(AuditSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await inTenant(db, request, ({ tx, actor }) =>
        listAudits({ tx, actor, orgId: request.params.orgId, certificateId: request.query.certificateId }),
      ),
    }),
  );

  app.get(
    '/api/orgs/:orgId/audits/:id',
    {
      schema: {
        tags: auditTags,
        summary: 'One internal audit with its counts (viewers and above)',
        params: AuditParamsSchema,
        response: { 200: AuditSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getAudit({ tx, actor, orgId: request.params.orgId, auditId: request.params.id }),
      ),
  );

  app.get(
    '/api/orgs/:orgId/audits/:id/checklist',
    {
      schema: {
        tags: auditTags,
        summary: "An internal audit's checklist with each result and corrective action (viewers and above)",
        params: AuditParamsSchema,
        response: { 200: z.object({ items: z.array(ChecklistItemSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await inTenant(db, request, ({ tx, actor }) =>
        getChecklist({ tx, actor, orgId: request.params.orgId, auditId: request.params.id }),
      ),
    }),
  );

  app.patch(
    '/api/orgs/:orgId/audits/:id/checklist/:itemId',
    {
      schema: {
        tags: auditTags,
        summary: 'Record a checklist line’s result; a nonconformity gets a corrective action (managers and above)',
        description:
          'A nonconformity becomes an obligation (rule audit.corrective) with an owner and a due date, reminded like ' +
          'any other; its id is returned as obligationId. A line no longer nonconforming waives its open action.',
        params: AuditItemParamsSchema,
        body: ItemPatchSchema,
        response: {
          200: z.object({ item: ChecklistItemSchema, obligationId: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { orgId, id, itemId } = request.params;
      return inTenant(db, request, ({ tx, actor, meta }) =>
        updateItem({ tx, actor, meta, orgId, auditId: id, itemId, input: request.body }),
      );
    },
  );

  app.post(
    '/api/orgs/:orgId/audits/:id/close',
    {
      schema: {
        tags: auditTags,
        summary: 'Close an internal audit with its conclusion: its report is kept and the period’s audit duty done',
        params: AuditParamsSchema,
        body: CloseAuditSchema,
        response: { 200: AuditSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { orgId, id } = request.params;
      const body = request.body;
      await inTenant(db, request, ({ tx, actor }) => requireClosable({ tx, actor, orgId, auditId: id, input: body }));
      const data = await inTenant(db, request, ({ tx, actor }) => auditReportData({ tx, actor, orgId, auditId: id }));
      // The report as it will read once closed.
      const closing = { ...data, audit: { ...data.audit, status: 'closed' as const, ...body } };
      const { pdf } = await renderPdf(buildAuditReport(closing));
      const blob = await store.put(pdf);
      return inTenant(db, request, async ({ tx, actor, meta }) => {
        const audit = await closeAudit({ tx, actor, meta, orgId, auditId: id, input: body });
        await keepAuditReport({
          tx,
          actor,
          meta,
          orgId,
          audit,
          blob,
          name: `${data.organisation.name}-内部合规检查报告-${audit.periodStart}至${audit.periodEnd}.pdf`,
          dataSha256: createHash('sha256').update(JSON.stringify(closing)).digest('hex'),
        });
        return audit;
      });
    },
  );

  app.get(
    '/api/orgs/:orgId/audits/:id/report.:format',
    {
      schema: {
        tags: auditTags,
        summary: 'The internal audit report as .docx or .pdf, from the audit as it is now (viewers and above)',
        params: AuditReportParamsSchema,
        response: { 200: DocumentResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, id, format } = request.params;
      const data = await inTenant(db, request, ({ tx, actor }) => auditReportData({ tx, actor, orgId, auditId: id }));
      const file = await render(buildAuditReport(data), format);
      return reply
        .header('content-type', MIME[format])
        .header(
          'content-disposition',
          contentDisposition(
            `${data.organisation.name}-内部合规检查报告-${data.audit.periodStart}至${data.audit.periodEnd}.${format}`,
          ),
        )
        .header('cache-control', 'private, no-store')
        .send(file as unknown as string);
    },
  );

  // ── Quarterly qualification meetings
  const meetingTags = ['meetings'];

  app.post(
    '/api/orgs/:orgId/meetings',
    {
      schema: {
        tags: meetingTags,
        summary:
          "Plan a quarter's qualification meeting with its agenda generated from the quarter (managers and above)",
        params: OrgParamsSchema,
        body: MeetingInputSchema,
        response: { 201: MeetingSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const meeting = await inTenant(db, request, ({ tx, actor, meta }) =>
        createMeeting({ tx, actor, meta, orgId: request.params.orgId, input: request.body }),
      );
      return reply.status(201).send(meeting);
    },
  );

  app.get(
    '/api/orgs/:orgId/meetings',
    {
      schema: {
        tags: meetingTags,
        summary: "The organisation's quarterly meetings, newest quarter first (viewers and above)",
        params: OrgParamsSchema,
        querystring: MeetingListQuerySchema,
        response: { 200: z.object({ items: z.array(MeetingSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await inTenant(db, request, ({ tx, actor }) =>
        listMeetings({ tx, actor, orgId: request.params.orgId, certificateId: request.query.certificateId }),
      ),
    }),
  );

  app.get(
    '/api/orgs/:orgId/meetings/:id',
    {
      schema: {
        tags: meetingTags,
        summary: 'One quarterly meeting: agenda, minutes and action items (viewers and above)',
        params: MeetingParamsSchema,
        response: { 200: MeetingSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getMeeting({ tx, actor, orgId: request.params.orgId, id: request.params.id }),
      ),
  );

  app.patch(
    '/api/orgs/:orgId/meetings/:id',
    {
      schema: {
        tags: meetingTags,
        summary: 'Record the minutes: day, place, chair, attendees, decisions (managers and above, until final)',
        params: MeetingParamsSchema,
        body: MinutesPatchSchema,
        response: { 200: MeetingSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        updateMinutes({ tx, actor, meta, orgId: request.params.orgId, id: request.params.id, input: request.body }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/meetings/:id/actions',
    {
      schema: {
        tags: meetingTags,
        summary: 'Add an action item: an obligation (rule meeting.action) with an owner and a due date',
        params: MeetingParamsSchema,
        body: ActionItemInputSchema,
        response: { 201: MeetingSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const meeting = await inTenant(db, request, ({ tx, actor, meta }) =>
        addActionItem({ tx, actor, meta, orgId: request.params.orgId, id: request.params.id, input: request.body }),
      );
      return reply.status(201).send(meeting);
    },
  );

  app.post(
    '/api/orgs/:orgId/meetings/:id/close',
    {
      schema: {
        tags: meetingTags,
        summary: "Finalise the minutes: they are kept and the quarter's meeting duty is done",
        params: MeetingParamsSchema,
        response: { 200: MeetingSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { orgId, id } = request.params;
      await inTenant(db, request, ({ tx, actor }) => requireClosableMeeting({ tx, actor, orgId, id }));
      const data = await inTenant(db, request, ({ tx, actor }) => minutesData({ tx, actor, orgId, id }));
      const { pdf } = await renderPdf(buildMinutes(data));
      const blob = await store.put(pdf);
      return inTenant(db, request, async ({ tx, actor, meta }) => {
        const meeting = await closeMeeting({ tx, actor, meta, orgId, id });
        await keepMinutes({
          tx,
          actor,
          meta,
          orgId,
          meeting: data.meetingRow,
          blob,
          name: `${data.organisation.name}-${quarterZh(meeting.quarter)}资质维护会议纪要.pdf`,
          dataSha256: createHash('sha256').update(JSON.stringify(data)).digest('hex'),
        });
        return meeting;
      });
    },
  );

  app.get(
    '/api/orgs/:orgId/meetings/:id/minutes.:format',
    {
      schema: {
        tags: meetingTags,
        summary: 'The minutes as .docx or .pdf, from the meeting as it is now (viewers and above)',
        params: MinutesParamsSchema,
        response: { 200: DocumentResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, id, format } = request.params;
      const data = await inTenant(db, request, ({ tx, actor }) => minutesData({ tx, actor, orgId, id }));
      const file = await render(buildMinutes(data), format);
      return reply
        .header('content-type', MIME[format])
        .header(
          'content-disposition',
          contentDisposition(`${data.organisation.name}-${quarterZh(data.meeting.quarter)}资质维护会议纪要.${format}`),
        )
        .header('cache-control', 'private, no-store')
        .send(file as unknown as string);
    },
  );
};
