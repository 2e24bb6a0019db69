import { inTenant, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { CertParamsSchema } from '../../http/params.js';
import { CatalogueSchema, PlanInputSchema, PlanSchema } from './schemas.js';
import { capabilityCatalogue, getSupervisionPlan, saveSupervisionPlan } from './service.js';

export const supervisionRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['supervision'];

  app.get(
    '/api/capability-catalogue',
    {
      schema: {
        tags,
        summary: 'The capability catalogue: 4 domains, 17 sub-domains and 46 capability items of T/CITIF 001-2019',
        description:
          'Each item with how sure its row is (the official list is not published) and its source; a revised ' +
          'standard is added as another version. Signed-in users.',
        response: { 200: CatalogueSchema, ...errorResponses },
      },
    },
    (request) => {
      requireActor(request);
      return Promise.resolve(capabilityCatalogue());
    },
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
};
