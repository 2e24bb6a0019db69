import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import {
  CertificateDetailSchema,
  CertificateSchema,
  CreateCertificateSchema,
  HistoryInputSchema,
  HistoryResultSchema,
  SuccessorInputSchema,
  TransitionInputSchema,
  TransitionSchema,
  UpdateCertificateSchema,
} from './schemas.js';
import {
  createCertificate,
  createSuccessor,
  getCertificate,
  listCertificates,
  recordTransition,
  updateCertificate,
} from './service.js';
import { recordHistory } from './history.js';
import { CertParamsSchema, OrgParamsSchema } from '../../http/params.js';

export const certificateRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['certificates'];

  app.get(
    '/api/orgs/:orgId/certificates',
    {
      schema: {
        tags,
        summary: "An organisation's certificates with today's state",
        params: OrgParamsSchema,
        response: { 200: z.object({ items: z.array(CertificateSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listCertificates({ tx, actor, orgId: request.params.orgId }),
      })),
  );

  app.post(
    '/api/orgs/:orgId/certificates',
    {
      schema: {
        tags,
        summary: 'Record a certificate from the paper one (expiry proposed as issue + 4 years − 1 day)',
        params: OrgParamsSchema,
        body: CreateCertificateSchema,
        response: { 201: CertificateSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cert = await inTenant(db, request, ({ tx, actor, meta }) =>
        createCertificate({ tx, actor, meta, orgId: request.params.orgId, input: request.body }),
      );
      return reply.status(201).send(cert);
    },
  );

  app.get(
    '/api/orgs/:orgId/certificates/:certId',
    {
      schema: {
        tags,
        summary: 'A certificate with its state history and timeline',
        params: CertParamsSchema,
        response: { 200: CertificateDetailSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getCertificate({ tx, actor, orgId: request.params.orgId, certId: request.params.certId }),
      ),
  );

  app.patch(
    '/api/orgs/:orgId/certificates/:certId',
    {
      schema: {
        tags,
        summary: "Correct a certificate's data, publish it, or attach its scan",
        params: CertParamsSchema,
        body: UpdateCertificateSchema,
        response: { 200: CertificateSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        updateCertificate({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/transitions',
    {
      schema: {
        tags,
        summary: 'Record a state change (suspension, revocation …) with its date and reason',
        params: CertParamsSchema,
        body: TransitionInputSchema,
        response: { 201: TransitionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const t = await inTenant(db, request, ({ tx, actor, meta }) =>
        recordTransition({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      );
      return reply.status(201).send(t);
    },
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/history',
    {
      schema: {
        tags,
        summary:
          'The history step: supervisions and self-checks done before the certificate was entered, and periodic duties kept (dryRun: say what would change)',
        params: CertParamsSchema,
        body: HistoryInputSchema,
        response: { 200: HistoryResultSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        recordHistory({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      ),
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/successor',
    {
      schema: {
        tags,
        summary: 'Renewal, upgrade or downgrade: a new certificate that continues the history',
        params: CertParamsSchema,
        body: SuccessorInputSchema,
        response: { 201: CertificateSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cert = await inTenant(db, request, ({ tx, actor, meta }) =>
        createSuccessor({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      );
      return reply.status(201).send(cert);
    },
  );
};
