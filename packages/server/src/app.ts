import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config/index.js';
import { AppError } from './errors.js';
import { now } from './clock.js';
import type { Database } from './db/client.js';
import { registerAuth } from './http/auth.js';
import type { AppDeps, RouteModule } from './http/deps.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerNulGuard } from './http/nul-guard.js';
import { validatorCompiler } from './http/validation.js';
import { auditRoutes } from './modules/audit/routes.js';
import { checkRoutes } from './modules/checks/routes.js';
import { channelRoutes } from './modules/channels/routes.js';
import { inboxRoutes } from './modules/inbox/routes.js';
import { startBackupJobs, type BackupJobs } from './jobs/backup.js';
import { startReminderJobs, type ReminderJobs } from './jobs/reminders/schedule.js';
import { startMaintenance, type Maintenance } from './jobs/maintenance.js';
import { deliverNow } from './jobs/reminders/send.js';
import { backupRoutes } from './modules/backup/routes.js';
import { certificateRoutes } from './modules/certificates/routes.js';
import { usageRoutes } from './modules/certificates/usage-routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { eventRoutes } from './modules/events/routes.js';
import { obligationRoutes } from './modules/obligations/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { actorFromSession, actorFromToken } from './modules/auth/service.js';
import { calendarRoutes, registerCalendarSync } from './modules/calendar/routes.js';
import { feedRoutes } from './modules/feeds/routes.js';
import { serializeRequestForLog } from './modules/feeds/redact.js';
import { fileRoutes } from './modules/files/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { importRoutes } from './modules/imports/routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { caseRoutes } from './modules/documents/case-routes.js';
import { policyRoutes } from './modules/documents/policy-routes.js';
import { templateRoutes } from './modules/documents/template-routes.js';
import { supervisionRoutes } from './modules/supervision/routes.js';
import { demoRoutes } from './modules/demo/routes.js';
import { orgRoutes } from './modules/orgs/routes.js';
import { publicRoutes } from './modules/public/routes.js';
import { readinessRoutes } from './modules/readiness/routes.js';
import { registryRoutes } from './modules/registry/routes.js';
import { tokenRoutes } from './modules/tokens/routes.js';
import { invitationRoutes } from './modules/invitations/routes.js';
import { workspaceRoutes } from './modules/workspaces/routes.js';
import { workspaceTransferRoutes } from './modules/workspace-transfer/routes.js';

// Requests are worded in the asker's language by http/validation.ts; what else zod checks (the
// command line's input) speaks Chinese like the rest of the product.
z.config(z.locales.zhCN());

const here = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = path.resolve(here, '..');
export const VERSION = (
  JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

const ROUTES: RouteModule[] = [
  healthRoutes,
  authRoutes,
  workspaceRoutes,
  demoRoutes,
  invitationRoutes,
  orgRoutes,
  tokenRoutes,
  auditRoutes,
  certificateRoutes,
  usageRoutes,
  eventRoutes,
  obligationRoutes,
  dashboardRoutes,
  fileRoutes,
  calendarRoutes,
  feedRoutes,
  publicRoutes,
  registryRoutes,
  importRoutes,
  documentRoutes,
  caseRoutes,
  policyRoutes,
  templateRoutes,
  supervisionRoutes,
  checkRoutes,
  readinessRoutes,
  channelRoutes,
  inboxRoutes,
  backupRoutes,
  workspaceTransferRoutes,
];

export interface BuildAppOptions {
  database: Database;
  config: Config;
  /** Fastify logger; tests pass false. */
  logger?: boolean;
  /** Where log lines go (default standard output). */
  logStream?: NodeJS.WritableStream;
}

/** Builds the HTTP app: used by `zizhi serve` and by tests through `inject()`. */
/** Headers that helmet sets for every response but that only a document (the page) obeys. */
const DOCUMENT_ONLY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
] as const;

export async function buildApp({
  database,
  config,
  logger = true,
  logStream,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          // A calendar feed's URL holds its token: log it masked.
          serializers: { req: serializeRequestForLog },
          ...(logStream ? { stream: logStream } : {}),
        }
      : false,
    trustProxy: config.trustProxy === 'true',
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        // antd injects styles at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        'script-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: config.publicUrl?.startsWith('https://') ? undefined : false,
  });
  // Lists, dashboards and feeds are text that shrinks ~10× (br first, then gzip); what is already
  // compressed (xlsx, zip, images, archives) is left alone by its type. Request bodies are never
  // inflated: an upload arrives as sent, so its size limits hold.
  await app.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    globalDecompression: false,
  });
  await app.register(fastifyCookie);
  // Uploads stream part by part (nothing buffered whole); routes pass their own limits too.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.maxUploadMb * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  });
  // The limit is for work: the API and the public pages. The web app's own files (~45 per page
  // load) must not count, or a few quick page loads would leave the app unable to load its code.
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (request) => !/^\/(api|verify|badge|qr)\//.test(request.url),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Zizhi API',
        description:
          'Keeps CS qualifications valid. Authenticate with a session cookie (+ X-CSRF-Token on writes) or `Authorization: Bearer <token>`.',
        version: VERSION,
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  // swagger-ui's page starts itself with an inline script: allow that there and nowhere else.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/docs')) {
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') {
        void reply.header(
          'content-security-policy',
          csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
        );
      }
    }
  });

  registerNulGuard(app);
  registerAuth(app, database.db, { fromSession: actorFromSession, fromToken: actorFromToken });
  registerCalendarSync(app, database.db);
  // The API's documentation is a map of every route: for logged-in users unless configured.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/api/docs') || config.apiDocs === 'public') return done();
    if (config.apiDocs === 'off') return done(new AppError('NOT_FOUND', '本系统未开放 API 文档'));
    if (!request.actor) return done(new AppError('UNAUTHENTICATED', '请先登录后再查看 API 文档'));
    done();
  });
  const deps: AppDeps = {
    database,
    config,
    version: VERSION,
    deliverNow: async (deliveryId) => {
      await deliverNow({ db: database.db, config, kind: database.kind, at: now() }, deliveryId);
    },
  };
  for (const routes of ROUTES) routes(app, deps);

  // The reminder sweep runs in a serving process only: onListen fires for `listen()` (serve), not
  // for `inject()` (tests), which run sweeps themselves with a fixed instant.
  let jobs: ReminderJobs | null = null;
  let backups: BackupJobs | null = null;
  let maintenance: Maintenance | null = null;
  app.addHook('onListen', async () => {
    jobs = await startReminderJobs({ database, config, log: app.log });
    backups = await startBackupJobs({ database, config, log: app.log });
    maintenance = startMaintenance({ database, log: app.log });
  });
  app.addHook('onClose', async () => {
    await maintenance?.stop();
    await jobs?.stop();
    await backups?.stop();
  });

  const webDir = config.webDir ? path.resolve(config.webDir) : path.resolve(PACKAGE_ROOT, '../web/dist');
  const hasWeb = existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    // The build writes .br and .gz beside each file (packages/web/vite.config.ts). Files under
    // assets/ are named by their content, so a browser keeps them for a year without asking
    // again; the page itself (index.html) is checked on every load so that a new release shows.
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        const hashed = path.relative(webDir, filePath).startsWith(`assets${path.sep}`);
        void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        // A script or style sheet is not a document: the page's policies (CSP, framing, opener…)
        // do nothing on it, and ~50 files a load would carry them for nothing. nosniff and
        // Cross-Origin-Resource-Policy do apply to such files and stay.
        if (hashed) for (const name of DOCUMENT_ONLY_HEADERS) void reply.removeHeader(name);
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the single-page app get its shell; unknown API paths a JSON 404.
    // A missing file under assets/ (a chunk of an older release) is a 404, not the page: a
    // browser must not take HTML for a script it asked for.
    if (hasWeb && request.method === 'GET' && !/^\/(api|assets)\//.test(request.url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `没有这个地址：${request.method} ${request.url.split('?')[0]}` } });
  });
  return app;
}
