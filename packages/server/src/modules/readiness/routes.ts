import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { listRequirementSets, resetRequirementSet, saveRequirementSet } from './requirement-sets.js';
import {
  LevelParamsSchema,
  OrgOverviewQuerySchema,
  OrgOverviewSchema,
  ReadinessQuerySchema,
  ReadinessSchema,
  RequirementSetItemSchema,
} from './schemas.js';
import { orgOverview } from './org-overview.js';
import { orgReadiness } from './service.js';
import { OrgParamsSchema, WorkspaceParamsSchema } from '../../http/params.js';

export const readinessRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['readiness'];

  app.get(
    '/api/orgs/:orgId/readiness',
    {
      schema: {
        tags,
        summary:
          "Whether the organisation meets a level's requirements on a day (default: its certificate's level, today), " +
          'by how much, on which evidence, until when; and on its next supervision or renewal date',
        params: OrgParamsSchema,
        querystring: ReadinessQuerySchema,
        response: { 200: ReadinessSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        orgReadiness({ tx, actor, orgId: request.params.orgId, level: request.query.level, at: request.query.at }),
      ),
  );

  app.get(
    '/api/workspaces/:id/org-overview',
    {
      schema: {
        tags,
        summary:
          "The workspace's organisations a page at a time, with their certificate, next deadline, overdue count " +
          'and readiness; searched, filtered and sorted',
        params: WorkspaceParamsSchema,
        querystring: OrgOverviewQuerySchema,
        response: { 200: OrgOverviewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return inTenant(db, request, ({ tx, actor }) =>
        orgOverview({ tx, actor, workspaceId: request.params.id, filter, page: { limit, cursor } }),
      );
    },
  );

  app.get(
    '/api/workspaces/:id/requirement-sets',
    {
      schema: {
        tags,
        summary: "Each level's requirement set as the workspace uses it (its edited copy, else the advisory default)",
        params: WorkspaceParamsSchema,
        response: { 200: z.object({ items: z.array(RequirementSetItemSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listRequirementSets({ tx, actor, workspaceId: request.params.id }),
      })),
  );

  app.put(
    '/api/workspaces/:id/requirement-sets/:level',
    {
      schema: {
        tags,
        summary: "Store the workspace's edited copy of a level's requirement set (admins)",
        params: LevelParamsSchema,
        body: z.record(z.string(), z.unknown()),
        response: { 200: RequirementSetItemSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveRequirementSet({
          tx,
          actor,
          meta,
          workspaceId: request.params.id,
          level: request.params.level,
          input: request.body,
        }),
      ),
  );

  app.delete(
    '/api/workspaces/:id/requirement-sets/:level',
    {
      schema: {
        tags,
        summary: 'Go back to the advisory default set for a level (admins)',
        params: LevelParamsSchema,
        response: { 200: RequirementSetItemSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        resetRequirementSet({ tx, actor, meta, workspaceId: request.params.id, level: request.params.level }),
      ),
  );
};
