import { PassThrough } from 'node:stream';
import { withSystem } from '../../db/tenancy.js';
import { AppError, loggableError } from '../../errors.js';
import { inTenant, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { ErrorResponseSchema, errorResponses } from '../../http/schemas.js';
import { contentDisposition } from '../../http/content.js';
import { IMPORT_KIND_LABELS } from './columns.js';
import { exportList } from './export.js';
import { ProgressBoard, ImportProgressSchema } from '../../http/progress.js';
import {
  ExportParamsSchema,
  ImportParamsSchema,
  ImportQuerySchema,
  ImportResultSchema,
  MappingSchema,
  ProgressParamsSchema,
  SaveMappingSchema,
  XlsxResponse,
} from './schemas.js';
import {
  getMapping,
  importFile,
  requireImportAccess,
  requireTemplateAccess,
  saveMapping,
  type SaveParts,
} from './service.js';
import { receiveImportFile } from './upload.js';
import { buildTemplate, writeExport } from './workbooks.js';
import { importLimits } from './xlsx.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const importRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const maxBytes = config.maxUploadMb * 1024 * 1024;
  const limits = importLimits(config);
  const board = new ProgressBoard();
  const tags = ['imports'];
  /**
   * The embedded database has one connection, which a transaction holds until it ends: a large
   * import is saved in parts of this many rows, so health, progress and reads answer in between
   * (a part holds it for up to about 80 ms). PostgreSQL serves them on other connections meanwhile.
   */
  const partRows = database.kind === 'pglite' ? 500 : null;

  app.post(
    '/api/orgs/:orgId/imports/:kind',
    {
      schema: {
        tags,
        summary: 'Import projects, staff or qualifications from .xlsx or .csv (multipart/form-data, field `file`)',
        description:
          'Reads the first worksheet (or a UTF-8/GBK CSV), maps columns by the saved mapping, the template headers ' +
          'or their aliases, and lists every row error. `dryRun=true` (default) saves nothing; `dryRun=false` saves ' +
          'all rows or none, only when there are no errors (on the embedded database a large file is saved in parts ' +
          'and undone if a part fails; 409 while another import of the kind is being saved), updating existing records by natural key ' +
          '(contract number; ID number; holder + kind + certificate number). Contributors and above.',
        consumes: ['multipart/form-data'],
        params: ImportParamsSchema,
        querystring: ImportQuerySchema,
        response: {
          200: ImportResultSchema,
          ...errorResponses,
          413: ErrorResponseSchema,
          415: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { orgId, kind } = request.params;
      const { dryRun, progressId } = request.query;
      const actor = requireActor(request);
      // Refuse before reading the body, so a caller without the right uploads nothing.
      await inTenant(db, request, ({ tx }) => requireImportAccess({ tx, actor, orgId }));
      const report = board.track({ userId: actor.userId, orgId }, progressId);
      const announced = Number(request.headers['content-length']) || undefined;
      report({ phase: 'upload', rows: 0, bytes: 0, totalBytes: announced });
      const file = await receiveImportFile(request, {
        maxBytes,
        onBytes: (bytes) => report({ phase: 'upload', rows: 0, bytes, totalBytes: announced }),
      }).catch((err: unknown) => {
        report({ phase: 'done', rows: 0 });
        // The rest of a refused body is never read: close the connection after the answer.
        void reply.header('connection', 'close');
        throw err;
      });
      try {
        return await importFile({
          run: (fn) => inTenant(db, request, ({ tx }) => fn(tx)),
          actor,
          orgId,
          kind,
          file,
          dryRun,
          ip: request.ip,
          limits,
          parts: partRows
            ? ({
                rows: partRows,
                system: (fn) => withSystem(db, fn),
                log: (err, message) => request.log.error({ err: loggableError(err), orgId, kind }, message),
              } satisfies SaveParts)
            : undefined,
          onProgress: report,
        });
      } catch (err) {
        report({ phase: 'done', rows: 0 });
        throw err;
      } finally {
        await file.discard();
      }
    },
  );

  app.get(
    '/api/orgs/:orgId/imports/progress/:progressId',
    {
      schema: {
        tags,
        summary: "A running import's progress (the user's own, kept 10 minutes after its last change)",
        params: ProgressParamsSchema,
        response: { 200: ImportProgressSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { orgId, progressId } = request.params;
      const actor = requireActor(request);
      await inTenant(db, request, ({ tx }) => requireImportAccess({ tx, actor, orgId }));
      const progress = board.read({ userId: actor.userId, orgId }, progressId);
      if (!progress) throw new AppError('NOT_FOUND', '导入进度不存在或已过期；请在开始导入时传入 progressId');
      return progress;
    },
  );

  app.get(
    '/api/orgs/:orgId/imports/:kind/mapping',
    {
      schema: {
        tags,
        summary: "The organisation's saved column mapping for an import kind, with the kind's fields",
        params: ImportParamsSchema,
        response: { 200: MappingSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        getMapping({ tx, actor, orgId: request.params.orgId, kind: request.params.kind }),
      ),
  );

  app.put(
    '/api/orgs/:orgId/imports/:kind/mapping',
    {
      schema: {
        tags,
        summary: 'Save which source column each field comes from (a Jira or 禅道 export mapped once)',
        params: ImportParamsSchema,
        body: SaveMappingSchema,
        response: { 200: MappingSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        saveMapping({
          tx,
          actor,
          meta,
          orgId: request.params.orgId,
          kind: request.params.kind,
          mapping: request.body.mapping,
        }),
      ),
  );

  app.get(
    '/api/orgs/:orgId/imports/:kind/template.xlsx',
    {
      schema: {
        tags,
        summary: 'The import template: Chinese headers, an example row and a 说明 sheet of formats and values',
        params: ImportParamsSchema,
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, kind } = request.params;
      await inTenant(db, request, ({ tx, actor }) => requireTemplateAccess({ tx, actor, orgId }));
      const buffer = await buildTemplate(kind);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', contentDisposition(`${IMPORT_KIND_LABELS[kind]}导入模板.xlsx`))
        .header('cache-control', 'private, no-store')
        .send(buffer as unknown as string);
    },
  );

  app.get(
    '/api/orgs/:orgId/exports/:kind.xlsx',
    {
      schema: {
        tags,
        summary: "Export one of the organisation's lists to .xlsx (ID numbers masked)",
        params: ExportParamsSchema,
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, kind } = request.params;
      // Rows are read in the transaction; the workbook is written after it, as it streams out.
      const { fileName, sheet } = await inTenant(db, request, ({ tx, actor }) =>
        exportList({ tx, actor, orgId, kind }),
      );
      const body = new PassThrough();
      writeExport(body, sheet).catch((err: unknown) => {
        request.log.error({ err, orgId, kind }, 'export failed while streaming');
        body.destroy(err as Error);
      });
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', contentDisposition(fileName))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body as unknown as string);
    },
  );
};
