import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { CalendarDateSchema, errorResponses, IdParamsSchema, NameSchema } from '../../http/schemas.js';
import { createToken, listTokens, revokeToken } from './service.js';

const TokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});

export const tokenRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['tokens'];

  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: "The caller's active personal API tokens",
        response: { 200: z.object({ items: z.array(TokenSchema) }), ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, async ({ tx, actor }) => ({ items: await listTokens({ tx, actor }) })),
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Create a personal API token; the token is returned only in this response',
        body: z.object({ name: NameSchema, expiresOn: CalendarDateSchema.optional() }),
        response: { 201: TokenSchema.extend({ token: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await inTenant(db, request, ({ tx, actor, meta }) =>
        createToken({ tx, actor, meta, input: request.body }),
      );
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a personal API token',
        params: IdParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) => revokeToken({ tx, actor, meta, id: request.params.id }));
      return reply.status(204).send(null);
    },
  );
};
