import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { EngineAlertSchema, EngineMessageSchema, ObligationSchema } from '../obligations/api.js';
import {
  EventBodySchema,
  EventParamsSchema,
  EventPatchSchema,
  EventSchema,
  PreviewObligationSchema,
  WithdrawQuerySchema,
} from './schemas.js';
import { correctEvent, getEvent, listEvents, previewEvent, recordEvent, withdrawEvent } from './service.js';
import { CertParamsSchema } from '../../http/params.js';

export const eventRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['events'];
  const base = '/api/orgs/:orgId/certificates/:certId/events';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: "A certificate's events, withdrawn ones included",
        params: CertParamsSchema,
        response: { 200: z.object({ items: z.array(EventSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({ items: await listEvents({ tx, actor, ...request.params }) })),
  );

  app.post(
    `${base}/preview`,
    {
      schema: {
        tags,
        summary: 'The deadlines an event would create, with their basis, without saving it',
        params: CertParamsSchema,
        body: EventBodySchema,
        response: {
          200: z.object({
            obligations: z.array(PreviewObligationSchema),
            warnings: z.array(EngineMessageSchema),
            alerts: z.array(EngineAlertSchema),
            /** Alerts the event would settle (a missed supervision it records …). */
            resolvedAlerts: z.array(EngineAlertSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) => previewEvent({ tx, actor, ...request.params, body: request.body })),
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Record what happened (complaint, incident, change …); obligations are recomputed',
        params: CertParamsSchema,
        body: EventBodySchema,
        response: {
          201: z.object({
            event: EventSchema,
            obligations: z.array(ObligationSchema),
            warnings: z.array(EngineMessageSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await inTenant(db, request, ({ tx, actor, meta }) =>
        recordEvent({ tx, actor, meta, ...request.params, body: request.body }),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    `${base}/:eventId`,
    {
      schema: {
        tags,
        summary: 'One event',
        params: EventParamsSchema,
        response: { 200: EventSchema, ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, ({ tx, actor }) => getEvent({ tx, actor, ...request.params })),
  );

  app.patch(
    `${base}/:eventId`,
    {
      schema: {
        tags,
        summary: "Correct an event's fields (its type stays); obligations follow",
        params: EventParamsSchema,
        body: EventPatchSchema,
        response: { 200: EventSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        correctEvent({ tx, actor, meta, ...request.params, patch: request.body }),
      ),
  );

  app.delete(
    `${base}/:eventId`,
    {
      schema: {
        tags,
        summary: 'Withdraw an event recorded in error (kept in the history); its obligations go',
        params: EventParamsSchema,
        querystring: WithdrawQuerySchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        withdrawEvent({ tx, actor, meta, ...request.params, reason: request.query.reason }),
      );
      return reply.status(204).send(null);
    },
  );
};
