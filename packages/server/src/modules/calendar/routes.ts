import { publishedYears } from '@zizhi/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { requestMeta, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { forbidden } from '../../errors.js';
import { errorResponses } from '../../http/schemas.js';
import { mirrorImportedYears, syncCalendar } from '../../db/calendar.js';
import { CalendarRecompute } from './recompute-job.js';
import { storeCalendarYear } from './service.js';

// The API computes deadlines, previews, forecasts and lists the published years; the health check
// and the API documentation read no calendar.
const READS_CALENDAR = /^\/api\/(?!health(?:[/?]|$)|docs(?:[/?]|$))/;

/**
 * Before each API request, brings this process's calendar in line with the stored years (one
 * small query), so a year imported through another server process or the command line counts
 * from the next request here, without a restart.
 */
export function registerCalendarSync(app: FastifyInstance, db: Db): void {
  app.addHook('preHandler', async (request) => {
    if (READS_CALENDAR.test(request.url)) await syncCalendar(db);
  });
}

const CalendarYearSchema = z.object({
  year: z.number(),
  papers: z.array(z.string()),
  source: z.enum(['builtin', 'imported']),
});

const RecomputeStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  year: z.number().nullable(),
  /** Certificates to recompute, and how many are done. */
  total: z.number().int(),
  done: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

// The holiday-cn yearly file as published; checked by core's validator, which lists every problem.
const CalendarYearFileSchema = z
  .looseObject({
    year: z.unknown().describe('e.g. 2027'),
    papers: z.unknown().describe('URLs of the State Council notice'),
    days: z.unknown().describe('[{ name, date: "YYYY-MM-DD", isOffDay }]'),
  })
  .describe('A holiday-cn yearly file, e.g. https://github.com/NateScarlet/holiday-cn/blob/master/2027.json');

export const calendarRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['calendar'];
  const recompute = new CalendarRecompute(db, fastify.log);
  fastify.addHook('onClose', () => recompute.stop());

  app.get(
    '/api/calendar/years',
    {
      schema: {
        tags,
        summary: 'Years whose holiday notice the working-day calendar knows, built in or imported',
        response: { 200: z.object({ items: z.array(CalendarYearSchema) }), ...errorResponses },
      },
    },
    (request) => {
      requireActor(request);
      return { items: publishedYears() };
    },
  );

  app.post(
    '/api/calendar/years',
    {
      schema: {
        tags,
        summary:
          'Import a year of the holiday calendar (instance administrators); every certificate is then recomputed ' +
          'in the background (GET /api/calendar/recompute for progress). Replacing a built-in year needs ?replace=true',
        querystring: z.object({ replace: z.enum(['true', 'false']).optional() }),
        body: CalendarYearFileSchema,
        response: { 201: CalendarYearSchema.extend({ recompute: RecomputeStatusSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.isAdmin) throw forbidden('只有系统管理员可以导入日历年度');
      const { year, papers, source } = await storeCalendarYear({
        db,
        file: request.body,
        actorId: actor.userId,
        ip: requestMeta(request).ip,
        replace: request.query.replace === 'true',
      });
      await mirrorImportedYears(database, config.dataDir);
      await recompute.start(year);
      return reply.status(201).send({ year, papers, source, recompute: recompute.current() });
    },
  );

  app.get(
    '/api/calendar/recompute',
    {
      schema: {
        tags,
        summary: 'Progress of the recompute that the last calendar import started (instance administrators)',
        response: { 200: RecomputeStatusSchema, ...errorResponses },
      },
    },
    (request) => {
      const actor = requireActor(request);
      if (!actor.isAdmin) throw forbidden('只有系统管理员可以查看重新计算进度');
      return recompute.current();
    },
  );
};
