import { z } from 'zod';
import { requestMeta, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { WorkspaceParamsSchema } from '../../http/params.js';
import { createDemo, removeDemo } from './service.js';

export const demoRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['workspaces'];

  app.post(
    '/api/workspaces/demo',
    {
      schema: {
        tags,
        summary:
          'Create a workspace of example data to try everything on (instance administrators), owned by the caller; ' +
          'removable in one call',
        response: {
          201: z.object({
            workspace: z.object({
              id: z.string(),
              name: z.string(),
              kind: z.enum(['company', 'consultancy']),
              demo: z.boolean(),
              role: z.literal('owner'),
              createdAt: z.string(),
            }),
            orgs: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { cookie, authorization } = request.headers;
      const csrf = request.headers['x-csrf-token'];
      const made = await createDemo({
        app: fastify,
        db,
        actor,
        caller: {
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(authorization ? { authorization } : {}),
            ...(typeof csrf === 'string' ? { 'x-csrf-token': csrf } : {}),
          },
          ip: request.ip,
        },
      });
      return reply.status(201).send(made);
    },
  );

  app.delete(
    '/api/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'Remove a demo workspace with everything in it (its owners); a workspace of real data is refused',
        params: WorkspaceParamsSchema,
        response: { 200: z.object({ removed: z.literal(true), name: z.string() }), ...errorResponses },
      },
    },
    async (request) =>
      removeDemo({ db, actor: requireActor(request), workspaceId: request.params.id, meta: requestMeta(request) }),
  );
};
