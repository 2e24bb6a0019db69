import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { CreateOrgSchema, ListOrgsQuerySchema, OrgSchema, UpdateOrgSchema } from './schemas.js';
import { createOrg, deleteOrg, getOrg, listOrgs, updateOrg } from './service.js';
import { OrgParamsSchema } from '../../http/params.js';

export const orgRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['organisations'];

  app.get(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: 'Organisations the caller can see, optionally of one workspace',
        querystring: ListOrgsQuerySchema,
        response: { 200: z.object({ items: z.array(OrgSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listOrgs({ tx, actor, workspaceId: request.query.workspaceId }),
      })),
  );

  app.post(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: 'Add an organisation (企业) to a workspace',
        body: CreateOrgSchema,
        response: { 201: OrgSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { workspaceId, ...input } = request.body;
      const org = await inTenant(db, request, ({ tx, actor, meta }) =>
        createOrg({ tx, actor, meta, workspaceId, input }),
      );
      return reply.status(201).send(org);
    },
  );

  app.get(
    '/api/orgs/:orgId',
    {
      schema: {
        tags,
        summary: "An organisation's profile",
        params: OrgParamsSchema,
        response: { 200: OrgSchema, ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, ({ tx, actor }) => getOrg({ tx, actor, orgId: request.params.orgId })),
  );

  app.patch(
    '/api/orgs/:orgId',
    {
      schema: {
        tags,
        summary: "Edit an organisation's profile",
        params: OrgParamsSchema,
        body: UpdateOrgSchema,
        response: { 200: OrgSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        updateOrg({ tx, actor, meta, orgId: request.params.orgId, input: request.body }),
      ),
  );

  app.delete(
    '/api/orgs/:orgId',
    {
      schema: {
        tags,
        summary: 'Delete an organisation',
        params: OrgParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) => deleteOrg({ tx, actor, meta, orgId: request.params.orgId }));
      return reply.status(204).send(null);
    },
  );
};
