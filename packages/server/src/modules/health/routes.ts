import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { zodApp, type RouteModule } from '../../http/deps.js';

export const healthRoutes: RouteModule = (fastify, { database, version }) => {
  const app = zodApp(fastify);
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and the database in use',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() }),
        },
      },
    },
    async () => {
      await database.db.execute(sql`select 1`);
      return { status: 'ok' as const, database: database.kind, version };
    },
  );
};
