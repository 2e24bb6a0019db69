import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { ErrorResponseSchema, errorResponses } from '../../http/schemas.js';
import { BlobCorruptError, BlobMissingError, createBlobStore } from '../../storage/index.js';
import { contentDisposition } from '../../http/content.js';
import { FileParamsSchema, FileSchema } from './schemas.js';
import { getFile, listFiles, recordFile, requireUploadAccess } from './service.js';
import { MB, receiveUpload } from './upload.js';
import { OrgParamsSchema } from '../../http/params.js';

export const fileRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const store = createBlobStore(config);
  const maxBytes = config.maxUploadMb * MB;
  const tags = ['files'];

  app.post(
    '/api/orgs/:orgId/files',
    {
      schema: {
        tags,
        summary: 'Upload a file (multipart/form-data)',
        description:
          'Fields: `file` (required; PDF, JPEG, PNG, GIF, WebP, TIFF, Office documents or zip, checked by content), ' +
          '`effectiveOn` and `validUntil` (YYYY-MM-DD; effectiveOn defaults to today), `replacesId` (the previous ' +
          'version). Send the fields before the file. Identical content is stored once.',
        consumes: ['multipart/form-data'],
        params: OrgParamsSchema,
        response: { 201: FileSchema, ...errorResponses, 413: ErrorResponseSchema, 415: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { orgId } = request.params;
      // Refuse before reading the body, so a caller without the right stores nothing.
      await inTenant(db, request, ({ tx, actor }) => requireUploadAccess({ tx, actor, orgId }));
      // The bytes stream to storage outside any transaction (PGlite has one connection).
      const upload = await receiveUpload(request, { store, maxBytes }).catch((err: unknown) => {
        // The rest of a refused body is never read: close the connection after the answer
        // instead of leaving the client sending into a paused socket.
        void reply.header('connection', 'close');
        throw err;
      });
      const file = await inTenant(db, request, ({ tx, actor, meta }) =>
        recordFile({ tx, actor, meta, orgId, ...upload }),
      );
      return reply.status(201).send(file);
    },
  );

  app.get(
    '/api/orgs/:orgId/files',
    {
      schema: {
        tags,
        summary: "An organisation's files, newest first",
        params: OrgParamsSchema,
        response: { 200: z.object({ items: z.array(FileSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listFiles({ tx, actor, orgId: request.params.orgId }),
      })),
  );

  app.get(
    '/api/orgs/:orgId/files/:id',
    {
      schema: {
        tags,
        summary: 'Download a file under its original name (bytes verified against their SHA-256 first)',
        params: FileParamsSchema,
        response: {
          200: {
            description: 'The file',
            content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
          },
          ...errorResponses,
          500: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { orgId, id } = request.params;
      const file = await inTenant(db, request, ({ tx, actor }) => getFile({ tx, actor, orgId, fileId: id }));
      let blob;
      try {
        blob = await store.get(file.sha256);
        if (blob.size !== file.size) {
          blob.stream.destroy();
          throw new BlobCorruptError(file.sha256);
        }
      } catch (err) {
        if (err instanceof BlobCorruptError || err instanceof BlobMissingError) {
          request.log.error({ fileId: id, orgId, sha256: file.sha256, problem: err.name }, 'stored file unusable');
        }
        throw err;
      }
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-length', blob.size)
          .header('content-disposition', contentDisposition(file.name))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          // A stream is sent as is (never serialized); the schema above only documents it.
          .send(blob.stream as unknown as string)
      );
    },
  );
};
