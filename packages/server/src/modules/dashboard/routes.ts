import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, UuidSchema, StateSchema } from '../../http/schemas.js';
import { getDashboard } from './service.js';

const DashboardSchema = z.object({
  asOf: z.string(),
  certificates: z.object({
    total: z.number(),
    byState: z.record(z.string(), z.number()),
    byLevel: z.record(z.string(), z.number()),
  }),
  due: z.object({ d7: z.number(), d30: z.number(), d90: z.number() }),
  overdue: z.number(),
  redLines: z.array(
    z.object({
      kind: z.enum(['incident-report', 'suspended', 'needs-record']),
      orgId: z.string(),
      orgName: z.string(),
      certificateId: z.string(),
      certificateNumber: z.string(),
      obligationId: z.string().optional(),
      title: z.string(),
      titleEn: z.string(),
      dueDate: z.string().optional(),
      dueAt: z.string().optional(),
    }),
  ),
  /** Years whose holiday notice is not published but where open deadlines fall (dates provisional). */
  unpublishedYears: z.array(z.number()),
  timelines: z.array(
    z.object({
      certificateId: z.string(),
      orgId: z.string(),
      orgName: z.string(),
      number: z.string(),
      level: z.string(),
      issuedOn: z.string(),
      expiresOn: z.string(),
      state: StateSchema,
      segments: z.array(z.object({ state: StateSchema, from: z.string(), to: z.string().optional() })),
      milestones: z.array(
        z.object({
          rule: z.string(),
          titleZh: z.string(),
          titleEn: z.string(),
          dueDate: z.string(),
          windowStart: z.string().optional(),
          status: z.string(),
          overdue: z.boolean(),
        }),
      ),
    }),
  ),
});

export const dashboardRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  app.get(
    '/api/workspaces/:id/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Certificates by state and level, what is due, overdue, red lines and timelines',
        params: z.object({ id: UuidSchema }),
        querystring: z.object({ orgId: UuidSchema.optional() }),
        response: { 200: DashboardSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(database.db, request, ({ tx, actor }) =>
        getDashboard({ tx, actor, workspaceId: request.params.id, orgId: request.query.orgId }),
      ),
  );
};
