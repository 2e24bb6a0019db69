import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, UuidSchema } from '../../http/schemas.js';
import {
  ObligationBulkSchema,
  ObligationFilterSchema,
  ObligationParamsSchema,
  ObligationPatchSchema,
  ObligationSchema,
  WorkspaceObligationFilterSchema,
} from './schemas.js';
import { listObligations, listWorkspaceObligations, updateObligation, updateObligations } from './service.js';
import { OrgParamsSchema } from '../../http/params.js';

export const obligationRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['obligations'];
  const list = { 200: z.object({ items: z.array(ObligationSchema) }), ...errorResponses };

  app.get(
    '/api/orgs/:orgId/obligations',
    {
      schema: {
        tags,
        summary: "An organisation's obligations by due date (status=overdue for what is late)",
        params: OrgParamsSchema,
        querystring: ObligationFilterSchema,
        response: list,
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listObligations({ tx, actor, orgId: request.params.orgId, filter: request.query }),
      })),
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
        summary: "Obligations across the workspace's organisations",
        params: z.object({ id: UuidSchema }),
        querystring: WorkspaceObligationFilterSchema,
        response: list,
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listWorkspaceObligations({ tx, actor, workspaceId: request.params.id, filter: request.query }),
      })),
  );
};
