import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { CalendarDateSchema, errorResponses, UuidSchema } from '../../http/schemas.js';
import { listAudit } from './service.js';

const AuditQuerySchema = z.object({
  workspaceId: UuidSchema,
  action: z.string().max(100).optional(),
  actorId: UuidSchema.optional(),
  orgId: UuidSchema.optional(),
  from: CalendarDateSchema.optional(),
  to: CalendarDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const AuditRowSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** The target by name as it is now (certificate number, organisation or person's name …), when it still exists. */
  targetName: z.string().nullable(),
  orgId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});

export const auditRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  app.get(
    '/api/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: "A workspace's audit log, newest first (admins and owners)",
        querystring: AuditQuerySchema,
        response: { 200: z.object({ items: z.array(AuditRowSchema), total: z.number() }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(database.db, request, ({ tx, actor }) => listAudit({ tx, actor, query: request.query })),
  );
};
