import { contentDisposition } from '../../http/content.js';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { renderDocx } from '../../reports/docx.js';
import type { Format, ReportDocument } from '../../reports/model.js';
import { renderPdf, stopPdfWorker } from '../../reports/pdf.js';
import { buildSelfCheckReport } from '../../reports/self-check.js';
import { DocumentResponse, SelfCheckParamsSchema, SelfCheckQuerySchema } from './schemas.js';
import { selfCheckData } from './service.js';

const MIME: Record<Format, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** A document in the format asked for: Word in the request, PDF in the worker thread. */
async function render(doc: ReportDocument, format: Format): Promise<Buffer> {
  return format === 'docx' ? renderDocx(doc) : (await renderPdf(doc)).pdf;
}

export const documentRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  fastify.addHook('onClose', stopPdfWorker);

  app.get(
    '/api/orgs/:orgId/certificates/:certId/self-check-report.:format',
    {
      schema: {
        tags: ['documents'],
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
};
