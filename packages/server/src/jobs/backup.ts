// Runs the scheduled backup in the server process, on a pg-boss cron schedule in China time
// (ZIZHI_BACKUP_SCHEDULE, daily at 02:30 by default). As with the reminder sweep, the schedule is
// stored in the database, so on PostgreSQL with several server processes one job is created per
// tick and one process works it; the backup's own claim (modules/backup/repository.ts) keeps a
// manual backup and a scheduled one from running at once. A missed tick is not made up: the next
// one backs up, and the admin page shows when the last backup succeeded.
import PgBoss from 'pg-boss';
import type { Config } from '../config/index.js';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { AppError, loggableError } from '../errors.js';
import { BackupService, type BackupLog, type BackupServiceOptions } from '../modules/backup/api.js';
import { pgliteAdapter } from './reminders/schedule.js';

export const BACKUP_QUEUE = 'backup-scheduled';

export interface BackupJobs {
  stop(): Promise<void>;
}

/**
 * Starts the scheduled backup; `stop()` waits for a backup in progress. Nothing is scheduled when
 * the schedule is off or no target is configured. Runs left "running" by a stopped server are
 * marked interrupted first.
 */
export async function startBackupJobs({
  database,
  config,
  log,
  service: overrides = {},
  boss: bossOptions = {},
}: {
  database: Database;
  config: Config;
  log: BackupLog;
  /** Tests: targets, clock or drill of their own. */
  service?: Partial<Omit<BackupServiceOptions, 'database' | 'config' | 'log'>>;
  /** Tests: pg-boss's cron intervals, so a schedule fires within seconds. */
  boss?: Pick<PgBoss.ConstructorOptions, 'cronMonitorIntervalSeconds' | 'cronWorkerIntervalSeconds'>;
}): Promise<BackupJobs> {
  const service = new BackupService({ database, config, log, ...overrides });
  await service.expireAbandoned();
  const { schedule, timezone, targets, verify } = config.backup;
  if (schedule === null || targets.length === 0) {
    await unschedule(database);
    return { stop: () => service.close() };
  }

  if (database.kind === 'postgres' && !config.databaseUrl) throw new Error('DATABASE_URL is needed for pg-boss');
  const boss = new PgBoss({
    ...(database.kind === 'postgres'
      ? { connectionString: config.databaseUrl, max: 2 }
      : { db: pgliteAdapter(database) }),
    schema: 'pgboss',
    ...bossOptions,
  });
  boss.on('error', (err: unknown) => log.error({ err: loggableError(err) }, 'pg-boss error'));
  await boss.start();
  // A backup may take hours on a large installation; pg-boss must not hand it to another worker
  // meanwhile, and a failed one is not retried: it is recorded, and the next tick tries again.
  await boss.createQueue(BACKUP_QUEUE, { name: BACKUP_QUEUE, expireInHours: 23, retryLimit: 0 });
  await boss.schedule(BACKUP_QUEUE, schedule, {}, { tz: timezone });
  await boss.work(BACKUP_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    let started;
    try {
      started = await service.start({ trigger: 'scheduled', verify });
    } catch (err) {
      // A manual backup is running (or just started): that one is this tick's backup.
      if (err instanceof AppError && err.code === 'CONFLICT') {
        log.info({ reason: err.en ?? err.message }, 'scheduled backup skipped');
        return;
      }
      throw err;
    }
    const runs = await started.finished;
    const failed = runs.filter((r) => r.status !== 'ok');
    if (failed.length > 0) {
      log.error({ failed: failed.map((r) => ({ target: r.target, error: r.error?.en })) }, 'scheduled backup failed');
    }
  });
  return {
    stop: async () => {
      await boss.stop({ graceful: true, wait: true });
      await service.close();
    },
  };
}

/**
 * Backups turned off: the schedule an earlier start stored must go too, or the reminder jobs'
 * pg-boss (same schema) would keep creating backup jobs that nobody works.
 */
async function unschedule(database: Database): Promise<void> {
  const exists = await queryRows<{ t: string | null }>(database.db, sql`select to_regclass('pgboss.schedule') as t`);
  if (exists[0]?.t) await database.db.execute(sql`delete from pgboss.schedule where name = ${BACKUP_QUEUE}`);
}
