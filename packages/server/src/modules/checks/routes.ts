import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { FLAG_CODES } from '@zizhi/core';
import { listFlags } from './service.js';
import { OrgParamsSchema } from '../../http/params.js';

export const FlagSchema = z.object({
  code: z.enum(FLAG_CODES),
  severity: z.enum(['error', 'warning']),
  recordType: z.enum(['project', 'staff']),
  recordId: z.string(),
  recordLabel: z.string(),
  message: z.string(),
  messageEn: z.string(),
  link: z.string(),
});

export const checkRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;

  app.get(
    '/api/orgs/:orgId/checks',
    {
      schema: {
        tags: ['evidence'],
        summary:
          'Authenticity flags: acceptance before signing, invoices above the contract, a manager without social ' +
          'insurance, an expired qualification, a repeated contract number, an accepted project without its report',
        params: OrgParamsSchema,
        response: { 200: z.object({ items: z.array(FlagSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listFlags({ tx, actor, orgId: request.params.orgId }),
      })),
  );
};
