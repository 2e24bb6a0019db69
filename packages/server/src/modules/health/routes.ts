import { z } from 'zod';
import { loggableError } from '../../errors.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { checkHealth } from './service.js';

const CheckSchema = z.object({
  ok: z.boolean(),
  message: z.string().optional().describe('What is wrong and how to fix it (Chinese); only when ok is false'),
});

const HealthFields = {
  database: z.enum(['pglite', 'postgres']),
  version: z.string(),
  checks: z.object({
    database: CheckSchema.describe('The database answers'),
    role: CheckSchema.describe('The role zizhi_app exists and the connection can switch to it'),
    dataDir: CheckSchema.describe('The data folder (embedded database, local files) takes a new file'),
  }),
};

export const healthRoutes: RouteModule = (fastify, { database, config, version }) => {
  const app = zodApp(fastify);
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Whether the server can serve requests, and the database in use',
        description:
          '200 only when the database answers, its role zizhi_app is usable and the data folder is writable; ' +
          'otherwise 503 with the failed checks.',
        response: {
          200: z.object({ status: z.literal('ok'), ...HealthFields }),
          503: z.object({ status: z.literal('error'), ...HealthFields }),
        },
      },
    },
    async (request, reply) => {
      const report = await checkHealth({ database, dataDir: config.dataDir });
      for (const err of report.errors) request.log.warn({ err: loggableError(err) }, 'health check failed');
      void reply.header('cache-control', 'no-store');
      const body = { database: database.kind, version, checks: report.checks };
      if (!report.ok) return reply.status(503).send({ status: 'error' as const, ...body });
      return { status: 'ok' as const, ...body };
    },
  );
};
