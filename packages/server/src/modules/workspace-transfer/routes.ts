import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden } from '../../errors.js';
import { inTenant, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { ErrorResponseSchema, errorResponses } from '../../http/schemas.js';
import { createBlobStore } from '../../storage/index.js';
import type { Actor } from '../../access/actor.js';
import { contentDisposition } from '../../http/content.js';
import { ProgressBoard } from '../../http/progress.js';
import { requireMembership } from '../../access/membership.js';
import { prepareWorkspaceExport, writeWorkspaceArchive } from './export.js';
import { importWorkspace } from './import.js';
import {
  ArchiveResponse,
  EncryptedExportSchema,
  ExportParamsSchema,
  ImportProgressSchema,
  WorkspaceImportProgressParamsSchema,
  WorkspaceImportQuerySchema,
  WorkspaceImportReportSchema,
} from './schemas.js';
import { receiveArchive } from './upload.js';

/** Progress entries of workspace imports: per user, apart from the organisations' imports. */
const BOARD_SCOPE = 'workspace-import';

/** A workspace is a customer of this installation: its administrators import them, as they create them. */
function requireAdmin(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (!actor.isAdmin) {
    throw forbidden({
      zh: '只有系统管理员可以导入工作空间',
      en: 'Only instance administrators may import workspaces',
    });
  }
  return actor;
}

export const workspaceTransferRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const blobs = createBlobStore(config);
  const board = new ProgressBoard();
  const maxBytes = config.maxUploadMb * 1024 * 1024;
  const tags = ['workspaces'];

  /** Checks the caller owns the workspace, snapshots it and streams the archive as a download. */
  async function sendExport(request: FastifyRequest, reply: FastifyReply, workspaceId: string, passphrase?: string) {
    const actor = requireActor(request);
    await inTenant(db, request, ({ tx }) => requireMembership(tx, actor, workspaceId, 'owner'));
    const encrypted = passphrase !== undefined;
    const prepared = await prepareWorkspaceExport(database, blobs, {
      workspaceId,
      actorId: actor.userId,
      ip: request.ip,
      encrypted,
    });
    const body = new PassThrough();
    writeWorkspaceArchive(prepared, blobs, body, encrypted ? { encryption: { passphrase } } : {})
      .catch((err: unknown) => {
        // The headers are gone: the download breaks off, which the browser shows as failed.
        request.log.error({ err, workspaceId }, 'workspace export failed while streaming');
      })
      .finally(() => void prepared.discard());
    return reply
      .header('content-type', 'application/gzip')
      .header('content-disposition', contentDisposition(prepared.fileName(encrypted)))
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  }

  app.get(
    '/api/workspaces/:id/export',
    {
      schema: {
        tags,
        summary: 'Download the whole workspace as one archive (owners)',
        description:
          'Organisations, certificates, events, obligations, evidence with its files, members (name, e-mail, role; ' +
          'never passwords or tokens), the audit log and the other workspace data, as a gzip-compressed tar ' +
          '(docs/workspace-transfer.md). Notification channels are exported without their URLs and secrets. ' +
          'POST the same path with a passphrase for an encrypted archive.',
        params: ExportParamsSchema,
        response: { 200: ArchiveResponse, ...errorResponses },
      },
    },
    (request, reply) => sendExport(request, reply, request.params.id),
  );

  app.post(
    '/api/workspaces/:id/export',
    {
      schema: {
        tags,
        summary: 'Download the workspace as one archive encrypted with a passphrase (owners)',
        params: ExportParamsSchema,
        body: EncryptedExportSchema,
        response: { 200: ArchiveResponse, ...errorResponses },
      },
    },
    (request, reply) => sendExport(request, reply, request.params.id, request.body.passphrase),
  );

  app.post(
    '/api/workspaces/import',
    {
      schema: {
        tags,
        summary:
          'Import a workspace archive (multipart/form-data: `file`, optional `passphrase`; instance administrators)',
        description:
          '`dryRun=true` (default) checks the whole archive and reports what would be imported: counts per kind, ' +
          'members linked to existing accounts or created without a password, and conflicts (ids that exist here). ' +
          '`dryRun=false` imports it in one transaction, only when there are no conflicts (409 otherwise); the ' +
          'importing administrator becomes an owner. Archives of another schema version are refused (400).',
        consumes: ['multipart/form-data'],
        querystring: WorkspaceImportQuerySchema,
        response: {
          200: WorkspaceImportReportSchema,
          ...errorResponses,
          413: ErrorResponseSchema,
          415: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const actor = requireAdmin(request);
      const { dryRun, progressId } = request.query;
      const report = board.track({ userId: actor.userId, orgId: BOARD_SCOPE }, progressId);
      const announced = Number(request.headers['content-length']) || undefined;
      report({ phase: 'upload', rows: 0, bytes: 0, totalBytes: announced });
      const upload = await receiveArchive(request, {
        maxBytes,
        onBytes: (bytes) => report({ phase: 'upload', rows: 0, bytes, totalBytes: announced }),
      }).catch((err: unknown) => {
        report({ phase: 'done', rows: 0 });
        void reply.header('connection', 'close');
        throw err;
      });
      try {
        return await importWorkspace(database, blobs, () => createReadStream(upload.path), {
          importerId: actor.userId,
          dryRun,
          ...(upload.passphrase ? { decryption: { passphrase: upload.passphrase } } : {}),
          ip: request.ip,
          archiveBytes: upload.size,
          onProgress: report,
        });
      } catch (err) {
        report({ phase: 'done', rows: 0 });
        throw err;
      } finally {
        await upload.discard();
      }
    },
  );

  app.get(
    '/api/workspaces/import/progress/:progressId',
    {
      schema: {
        tags,
        summary: "A running workspace import's progress (the administrator's own, kept 10 minutes)",
        params: WorkspaceImportProgressParamsSchema,
        response: { 200: ImportProgressSchema, ...errorResponses },
      },
    },
    (request) => {
      const actor = requireAdmin(request);
      const progress = board.read({ userId: actor.userId, orgId: BOARD_SCOPE }, request.params.progressId);
      if (!progress) {
        throw new AppError('NOT_FOUND', {
          zh: '导入进度不存在或已过期；请在开始导入时传入 progressId',
          en: 'No such import progress (or it expired): pass progressId when starting the import',
        });
      }
      return progress;
    },
  );
};
