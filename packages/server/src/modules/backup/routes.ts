import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../errors.js';
import { requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { requestLanguage, type Language } from '../../http/language.js';
import { errorResponses } from '../../http/schemas.js';
import type { Actor } from '../../access/actor.js';
import { BackupIdParamsSchema, BackupOverviewSchema, StartedBackupSchema, StartedDrillSchema } from './schemas.js';
import { BackupService, type BackupOverview } from './service.js';
import { archiveCreatedAt } from './targets.js';

/** Backups are the installation's: its administrators only, whatever their workspace roles. */
function requireAdmin(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (!actor.isAdmin) {
    throw forbidden({
      zh: '只有系统管理员可以查看和管理备份',
      en: 'Only instance administrators may see and manage backups.',
    });
  }
  return actor;
}

const ARCHIVES_SHOWN = 100;

export const backupRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const service = new BackupService({ database, config, log: fastify.log });
  // Backups and drills started here finish (and are recorded) before the database closes.
  fastify.addHook('onClose', () => service.close());
  const tags = ['backups'];

  app.get(
    '/api/admin/backups',
    {
      schema: {
        tags,
        summary: 'Backup settings, the archives at each target and the latest runs (instance administrators)',
        response: { 200: BackupOverviewSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireAdmin(request);
      return present(await service.overview(), service, requestLanguage(request.headers['accept-language']));
    },
  );

  app.post(
    '/api/admin/backups',
    {
      schema: {
        tags,
        summary: 'Back up now to every configured target (instance administrators)',
        description:
          'Answers 202 at once with one run per target; the backup goes on in the background and ' +
          'GET /api/admin/backups shows its progress and outcome. 409 while another backup runs or when no target is configured.',
        response: { 202: StartedBackupSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireAdmin(request);
      const started = await service.start({ trigger: 'manual', requestedBy: actor.userId });
      // The outcome is recorded on the runs; nobody awaits it here.
      started.finished.catch((err: unknown) => request.log.error({ err }, 'backup failed'));
      return reply.status(202).send({ runs: started.runs });
    },
  );

  app.post(
    '/api/admin/backups/:id/verify',
    {
      schema: {
        tags,
        summary:
          "Run the restore drill on a run's archive: restore it into a scratch database (instance administrators)",
        description:
          'Answers 202 at once; the drill goes on in the background and its result is recorded on the run ' +
          '(verifyStatus, verifiedAt, verifyError in GET /api/admin/backups).',
        params: BackupIdParamsSchema,
        response: { 202: StartedDrillSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const started = await service.verify(request.params.id);
      started.finished.catch((err: unknown) => request.log.error({ err }, 'restore drill failed'));
      return reply.status(202).send({ id: started.id });
    },
  );
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function present(overview: BackupOverview, service: BackupService, language: Language) {
  const { config } = service;
  const words = (m: { zh: string; en: string } | null) => (m ? (language === 'en' ? m.en : m.zh) : null);
  const runIdOf = new Map(overview.runs.map((r) => [`${r.target}\n${r.archiveName}`, r.id]));
  const kindOf = new Map(service.targets.map((t) => [t.display, t.kind]));
  const present = new Map(
    overview.targets.map((t) => [t.target.display, t.archives ? new Set(t.archives.map((a) => a.name)) : null]),
  );
  const encryption = config.backup.encryption;
  return {
    database: service.databaseKind,
    schedule: config.backup.schedule,
    timezone: config.backup.timezone,
    keep: config.backup.keep,
    verifyAfterBackup: config.backup.verify,
    encryption: !encryption
      ? ('none' as const)
      : 'passphrase' in encryption
        ? ('passphrase' as const)
        : ('recipients' as const),
    running: overview.runs.some((r) => r.status === 'running'),
    lastBackupAt: iso(overview.backedUpAt),
    lastVerifiedAt: iso(overview.verifiedAt),
    targets: overview.targets.map((t) => ({
      target: t.target.display,
      kind: t.target.kind,
      archives:
        t.archives?.slice(0, ARCHIVES_SHOWN).map((a) => ({
          name: a.name,
          bytes: a.bytes,
          createdAt: archiveCreatedAt(a).toISOString(),
          runId: runIdOf.get(`${t.target.display}\n${a.name}`) ?? null,
        })) ?? null,
      archiveCount: t.archives?.length ?? null,
      error: words(t.error),
    })),
    runs: overview.runs.map((r) => {
      const listed = present.get(r.target);
      const kind = kindOf.get(r.target);
      return {
        id: r.id,
        startedAt: r.startedAt.toISOString(),
        finishedAt: iso(r.finishedAt),
        status: r.status,
        trigger: r.trigger,
        target: r.target,
        // A target no longer configured is told apart by its form.
        targetKind: kind ?? (r.target.startsWith('s3://') ? ('s3' as const) : ('dir' as const)),
        archiveName: r.archiveName,
        bytes: r.bytes,
        rows: r.rows,
        files: r.files,
        sha256: r.sha256,
        encrypted: r.encrypted,
        error: words(r.error),
        verifyStatus: r.verifyStatus,
        verifiedAt: iso(r.verifiedAt),
        verifyError: words(r.verifyError),
        deletedAt: iso(r.deletedAt),
        canVerify:
          r.status === 'ok' &&
          !r.deletedAt &&
          kind !== undefined &&
          (listed === null || listed === undefined || listed.has(r.archiveName)) &&
          service.canOpen(r.encrypted),
        progress: r.progress,
      };
    }),
  };
}
