import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, UuidSchema } from '../../http/schemas.js';
import {
  ObligationBulkSchema,
  ObligationListQuerySchema,
  ObligationPageSchema,
  ObligationParamsSchema,
  ObligationPatchSchema,
  ObligationSchema,
  WorkspaceObligationListQuerySchema,
} from './schemas.js';
import { listObligations, listWorkspaceObligations, updateObligation, updateObligations } from './service.js';
import { OrgParamsSchema } from '../../http/params.js';

export const obligationRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['obligations'];
  const list = { 200: z.object({ items: z.array(ObligationSchema) }), ...errorResponses };
  const page = { 200: ObligationPageSchema, ...errorResponses };

  app.get(
    '/api/orgs/:orgId/obligations',
    {
      schema: {
        tags,
        summary:
          "A page of an organisation's obligations by due date (status=overdue for what is late), with the counts over all pages",
        params: OrgParamsSchema,
        querystring: ObligationListQuerySchema,
        response: page,
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return inTenant(db, request, ({ tx, actor }) =>
        listObligations({ tx, actor, orgId: request.params.orgId, filter, page: { limit, cursor } }),
      );
    },
  );

  app.patch(
    '/api/orgs/:orgId/obligations/:id',
    {
      schema: {
        tags,
        summary: 'Assign, progress, complete (with date) or waive (with reason) an obligation',
        params: ObligationParamsSchema,
        body: ObligationPatchSchema,
        response: { 200: ObligationSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        updateObligation({ tx, actor, meta, orgId: request.params.orgId, id: request.params.id, input: request.body }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/obligations/bulk',
    {
      schema: {
        tags,
        summary: 'Apply one update (e.g. done on a date, or waived with a reason) to several obligations, all or none',
        params: OrgParamsSchema,
        body: ObligationBulkSchema,
        response: list,
      },
    },
    async (request) => {
      const { ids, ...input } = request.body;
      return inTenant(db, request, async ({ tx, actor, meta }) => ({
        items: await updateObligations({ tx, actor, meta, orgId: request.params.orgId, ids, input }),
      }));
    },
  );

  app.get(
    '/api/workspaces/:id/obligations',
    {
      schema: {
        tags,
        summary: "A page of the obligations across the workspace's organisations, with the counts over all pages",
        params: z.object({ id: UuidSchema }),
        querystring: WorkspaceObligationListQuerySchema,
        response: page,
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return inTenant(db, request, ({ tx, actor }) =>
        listWorkspaceObligations({ tx, actor, workspaceId: request.params.id, filter, page: { limit, cursor } }),
      );
    },
  );
};
