import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { contentDisposition } from '../../http/content.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { CertParamsSchema, OrgParamsSchema } from '../../http/params.js';
import { errorResponses } from '../../http/schemas.js';
import { createBlobStore } from '../../storage/index.js';
import { UsageInputSchema, UsageListQuerySchema, UsageParamsSchema, UsageSchema, VoidUsageSchema } from './schemas.js';
import { listUsages, registerUsage, renderCopy, stampedCopyData, usageWorkbook, voidUsage } from './usages.js';

const binary = (description: string, mime: string) => ({
  description,
  content: { [mime]: { schema: z.string().meta({ format: 'binary' }) } },
});

/** 证书使用登记: uses of a certificate, their stamped copies and the register as a workbook. */
export const usageRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const store = createBlobStore(config);
  const tags = ['certificate usages'];

  app.post(
    '/api/orgs/:orgId/certificates/:certId/usages',
    {
      schema: {
        tags,
        summary: 'Register a use of the certificate (a tender, a supplier registration, a website …)',
        description:
          'Managers and above. 201 with the registration number the stamped copy carries; 409 with the reason ' +
          'when the certificate may not be used on that day (suspended for rectification, expired, revoked …).',
        params: CertParamsSchema,
        body: UsageInputSchema,
        response: { 201: UsageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const usage = await inTenant(db, request, ({ tx, actor, meta }) =>
        registerUsage({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          input: request.body,
        }),
      );
      return reply.status(201).send(usage);
    },
  );

  app.get(
    '/api/orgs/:orgId/usages',
    {
      schema: {
        tags,
        summary: "The organisation's certificate usage register, newest first, a page at a time",
        params: OrgParamsSchema,
        querystring: UsageListQuerySchema,
        response: {
          200: z.object({ items: z.array(UsageSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        listUsages({ tx, actor, orgId: request.params.orgId, query: request.query }),
      ),
  );

  app.get(
    '/api/orgs/:orgId/usages.xlsx',
    {
      schema: {
        tags,
        summary: 'The whole certificate usage register as a workbook (viewers and above)',
        params: OrgParamsSchema,
        response: {
          200: binary('The register', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { buffer, filename } = await inTenant(db, request, ({ tx, actor }) =>
        usageWorkbook({ tx, actor, orgId: request.params.orgId }),
      );
      return (
        reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', contentDisposition(filename))
          .header('cache-control', 'private, no-store')
          // Bytes are sent as they are (never serialized); the schema above only documents them.
          .send(buffer as unknown as string)
      );
    },
  );

  app.post(
    '/api/orgs/:orgId/certificates/:certId/usages/:usageId/void',
    {
      schema: {
        tags,
        summary: 'Void a use registered by mistake; it stays in the register with the reason (managers)',
        params: UsageParamsSchema,
        body: VoidUsageSchema,
        response: { 200: UsageSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        voidUsage({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          certId: request.params.certId,
          usageId: request.params.usageId,
          reason: request.body.reason,
        }),
      ),
  );

  app.get(
    '/api/orgs/:orgId/certificates/:certId/usages/:usageId/copy.pdf',
    {
      schema: {
        tags,
        summary: "The use's stamped copy: the certificate scan with its purpose, registration number and QR code",
        description:
          'Managers and above. 409 when the certificate has no scan (PDF, PNG or JPG), the use is void, or the ' +
          'certificate may not be used today.',
        params: UsageParamsSchema,
        response: { 200: binary('The stamped copy', 'application/pdf'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const data = await inTenant(db, request, ({ tx, actor }) =>
        stampedCopyData({
          tx,
          actor,
          orgId: request.params.orgId,
          certId: request.params.certId,
          usageId: request.params.usageId,
        }),
      );
      const pdf = await renderCopy(data, store, publicBaseUrl(config, request));
      return reply
        .type('application/pdf')
        .header('content-disposition', contentDisposition(data.filename))
        .header('cache-control', 'private, no-store')
        .send(pdf as unknown as string);
    },
  );
};
