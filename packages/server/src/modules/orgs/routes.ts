import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { CreateOrgSchema, ListOrgsQuerySchema, OrgSchema, UpdateOrgSchema } from './schemas.js';
import { createOrg, getOrg, listOrgs, updateOrg } from './service.js';
import { OrgParamsSchema, WorkspaceParamsSchema } from '../../http/params.js';
import { UuidSchema } from '../../http/schemas.js';
import { deletionImpact, listRecycleBin, purgeOrg, RECYCLE_DAYS, recycleOrg, restoreOrg } from './recycle-bin.js';

const BinParamsSchema = z.object({ id: UuidSchema, orgId: UuidSchema });

const DeletionImpactSchema = z.object({
  name: z.string(),
  recycleDays: z.number(),
  counts: z.object({
    certificates: z.number(),
    events: z.number(),
    openObligations: z.number(),
    files: z.number(),
    projects: z.number(),
    staff: z.number(),
    ipAssets: z.number(),
    financialYears: z.number(),
    managementCertificates: z.number(),
  }),
});

const RecycledOrgSchema = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string(),
  deletedAt: z.string(),
  deletedBy: z.string().nullable(),
  purgeAt: z.string(),
});

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
        summary:
          'Move an organisation into the recycle bin with everything under it (admins); restorable for 30 days, then removed for good',
        params: OrgParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        recycleOrg({ tx, actor, meta, orgId: request.params.orgId }),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/orgs/:orgId/deletion-impact',
    {
      schema: {
        tags,
        summary: 'What would go into the recycle bin with the organisation, counted (admins)',
        params: OrgParamsSchema,
        response: { 200: DeletionImpactSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) => deletionImpact({ tx, actor, orgId: request.params.orgId })),
  );

  app.get(
    '/api/workspaces/:id/recycle-bin',
    {
      schema: {
        tags,
        summary: "The workspace's deleted organisations, restorable until purgeAt (admins)",
        params: WorkspaceParamsSchema,
        response: {
          200: z.object({ items: z.array(RecycledOrgSchema), recycleDays: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listRecycleBin({ tx, actor, workspaceId: request.params.id }),
        recycleDays: RECYCLE_DAYS,
      })),
  );

  app.post(
    '/api/workspaces/:id/recycle-bin/:orgId/restore',
    {
      schema: {
        tags,
        summary: 'Restore an organisation from the recycle bin with everything under it (admins)',
        params: BinParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        restoreOrg({ tx, actor, meta, workspaceId: request.params.id, orgId: request.params.orgId }),
      );
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/workspaces/:id/recycle-bin/:orgId',
    {
      schema: {
        tags,
        summary: 'Remove an organisation in the recycle bin for good, with everything under it (admins)',
        params: BinParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        purgeOrg({ tx, actor, meta, workspaceId: request.params.id, orgId: request.params.orgId }),
      );
      return reply.status(204).send(null);
    },
  );
};
