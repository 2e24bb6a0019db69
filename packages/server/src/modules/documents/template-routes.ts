import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { CertParamsSchema, WorkspaceParamsSchema } from '../../http/params.js';
import type { Block, ReportDocument } from '../../reports/model.js';
import { buildSelfCheckReport } from '../../reports/self-check.js';
import { selfCheckData } from './service.js';
import {
  PreviewBodySchema,
  PreviewSchema,
  SelfCheckTemplateSchema,
  TemplateResponseSchema,
} from './template-schemas.js';
import { getSelfCheckTemplate, resetSelfCheckTemplate, saveSelfCheckTemplate } from './templates.js';

/** Rows of a table the preview shows; the file has them all. */
const PREVIEW_ROWS = 20;

/** The document with long tables cut to their first rows, so that a preview stays small at any size. */
function previewOf(doc: ReportDocument): ReportDocument {
  const blocks = doc.blocks.map((block): Block =>
    block.type === 'table' && block.rows.length > PREVIEW_ROWS
      ? { ...block, rows: block.rows.slice(0, PREVIEW_ROWS), more: block.rows.length - PREVIEW_ROWS }
      : block,
  );
  return { ...doc, blocks };
}

export const templateRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['documents'];
  const path = '/api/workspaces/:id/report-templates/self-check-report';

  app.get(
    path,
    {
      schema: {
        tags,
        summary: "The workspace's self-check report template: sections in order, on or off, headings and fixed text",
        description: 'The default until an admin saves one. Members of the workspace.',
        params: WorkspaceParamsSchema,
        response: { 200: TemplateResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) => getSelfCheckTemplate({ tx, actor, workspaceId: request.params.id })),
  );

  app.put(
    path,
    {
      schema: {
        tags,
        summary: "Save the workspace's self-check report template (admins)",
        description:
          'Every built-in section appears once, on or off; up to 10 sections of the company’s own. Drafts made ' +
          'afterwards follow it; versions already recorded stay as they were.',
        params: WorkspaceParamsSchema,
        body: SelfCheckTemplateSchema,
        response: { 200: TemplateResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveSelfCheckTemplate({ tx, actor, meta, workspaceId: request.params.id, template: request.body }),
      ),
  );

  app.delete(
    path,
    {
      schema: {
        tags,
        summary: 'Go back to the default self-check report template (admins)',
        params: WorkspaceParamsSchema,
        response: { 200: TemplateResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        resetSelfCheckTemplate({ tx, actor, meta, workspaceId: request.params.id }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/self-check-report/preview',
    {
      schema: {
        tags,
        summary:
          'The self-check report draft as the browser previews it, with a template being edited or the saved one',
        description:
          'The same document the .docx and .pdf drafts draw, as headings, paragraphs and tables; a table longer than ' +
          '20 rows shows its first 20 and says how many more the file has. Viewers and above.',
        params: CertParamsSchema,
        body: PreviewBodySchema,
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { orgId, certId } = request.params;
      const { year, template } = request.body;
      const data = await inTenant(db, request, ({ tx, actor }) => selfCheckData({ tx, actor, orgId, certId, year }));
      return { document: previewOf(buildSelfCheckReport(template ? { ...data, template } : data)) };
    },
  );
};
