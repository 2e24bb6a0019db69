import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { isValidDate } from '@zizhi/core';
import { cursorSchema, limitSchema } from '../../http/paging.js';
import { errorResponses, UuidSchema, StateSchema } from '../../http/schemas.js';
import { getDashboard, getTimelines } from './service.js';
import { onboarding } from './onboarding.js';

const DashboardSchema = z.object({
  asOf: z.string(),
  certificates: z.object({
    total: z.number(),
    byState: z.record(z.string(), z.number()),
    byLevel: z.record(z.string(), z.number()),
  }),
  due: z.object({ d7: z.number(), d30: z.number(), d90: z.number() }),
  overdue: z.number(),
  correctiveActions: z
    .object({ open: z.number(), overdue: z.number() })
    .describe('Corrective actions of internal audits not yet done, and how many are late'),
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
  /** How many red lines there are; `redLines` lists the first 50. */
  redLinesTotal: z.number().int(),
  /** Years whose holiday notice is not published but where open deadlines fall (dates provisional). */
  unpublishedYears: z.array(z.number()),
  /** The nearest open deadlines not yet passed (the obligations list has the rest). */
  nearest: z.array(
    z.object({
      obligationId: z.string(),
      orgId: z.string(),
      orgName: z.string(),
      certificateId: z.string(),
      certificateNumber: z.string(),
      rule: z.string(),
      titleZh: z.string(),
      titleEn: z.string(),
      dueDate: z.string(),
      dueAt: z.string().nullable(),
      provisional: z.boolean(),
      status: z.string(),
    }),
  ),
});

const TimelineSchema = z.object({
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
});

const TimelinesQuerySchema = z.object({
  orgId: UuidSchema.optional(),
  limit: limitSchema(20, 100),
  // The sort key of the last certificate shown: organisation name, issue date, id.
  cursor: cursorSchema([
    (name) => name !== null,
    (date) => date !== null && isValidDate(date),
    (id) => id !== null && UuidSchema.safeParse(id).success,
  ]).optional(),
});

export const dashboardRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  app.get(
    '/api/workspaces/:id/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Certificates by state and level, what is due, overdue, red lines and the nearest deadlines',
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

  app.get(
    '/api/workspaces/:id/onboarding',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'The first steps a new workspace has taken: an organisation, a certificate, its history, evidence, a channel',
        params: z.object({ id: UuidSchema }),
        response: {
          200: z.object({
            steps: z.object({
              org: z.boolean(),
              certificate: z.boolean(),
              history: z.boolean(),
              evidence: z.boolean(),
              channel: z.boolean(),
            }),
            firstOrgId: z.string().nullable(),
            firstCertificate: z.object({ id: z.string(), orgId: z.string() }).nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inTenant(database.db, request, ({ tx, actor }) => onboarding({ tx, actor, workspaceId: request.params.id })),
  );

  app.get(
    '/api/workspaces/:id/dashboard/timelines',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'A page of the certificates’ four-year timelines with their milestones, by organisation and issue date',
        params: z.object({ id: UuidSchema }),
        querystring: TimelinesQuerySchema,
        response: {
          200: z.object({ items: z.array(TimelineSchema), total: z.number().int(), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { orgId, limit, cursor } = request.query;
      return inTenant(database.db, request, ({ tx, actor }) =>
        getTimelines({
          tx,
          actor,
          workspaceId: request.params.id,
          ...(orgId ? { orgId } : {}),
          page: { limit, cursor },
        }),
      );
    },
  );
};
