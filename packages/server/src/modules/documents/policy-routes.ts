import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { WorkspaceParamsSchema } from '../../http/params.js';
import { errorResponses } from '../../http/schemas.js';
import {
  ImpactInputSchema,
  PolicyImpactListSchema,
  PolicyImpactSchema,
  PolicyListQuerySchema,
  PolicyOrgParamsSchema,
  PolicyParamsSchema,
  PolicyUpdateInputSchema,
  PolicyUpdateListSchema,
  PolicyUpdateSchema,
} from './policy-schemas.js';
import { assessPolicyImpact, createPolicyUpdate, listPolicyImpacts, listPolicyUpdates } from './policy-updates.js';

/** Policy and standard updates of a workspace and each organisation's assessment of their impact. */
export const policyRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['policy updates'];
  const base = '/api/workspaces/:id/policy-updates';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Policy and standard updates, newest published first, a page at a time',
        params: WorkspaceParamsSchema,
        querystring: PolicyListQuerySchema,
        response: { 200: PolicyUpdateListSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        listPolicyUpdates({ tx, actor, workspaceId: request.params.id, query: request.query }),
      ),
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Record a policy or standard update and what it touches (managers and above)',
        params: WorkspaceParamsSchema,
        body: PolicyUpdateInputSchema,
        response: { 201: PolicyUpdateSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await inTenant(db, request, ({ tx, actor, meta }) =>
        createPolicyUpdate({ tx, actor, meta, workspaceId: request.params.id, input: request.body }),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    `${base}/:updateId/orgs`,
    {
      schema: {
        tags,
        summary: "Each organisation's impact: its certificates, whether the update names their level, its assessment",
        params: PolicyParamsSchema,
        querystring: PolicyListQuerySchema,
        response: { 200: PolicyImpactListSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        listPolicyImpacts({
          tx,
          actor,
          workspaceId: request.params.id,
          updateId: request.params.updateId,
          query: request.query,
        }),
      ),
  );

  app.put(
    `${base}/:updateId/orgs/:orgId`,
    {
      schema: {
        tags,
        summary: "An organisation's assessment (managers and above of it)",
        description:
          'Affected: records the policy.update event on the chosen certificate, which opens its case with the ' +
          'review deadline. Not affected (with the reason): withdraws that event if there was one.',
        params: PolicyOrgParamsSchema,
        body: ImpactInputSchema,
        response: { 200: PolicyImpactSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        assessPolicyImpact({
          tx,
          actor,
          meta,
          workspaceId: request.params.id,
          updateId: request.params.updateId,
          orgId: request.params.orgId,
          input: request.body,
        }),
      ),
  );
};
