// Runs the reminder sweep in the server process, scheduled by pg-boss 10: a cron schedule every
// minute (or every N minutes), stored in the database. On a PostgreSQL server several server
// processes share the schedule, so one job is created per tick and one process works it; a process
// that was down loses nothing, and one more sweep at start catches up at once. The sweep itself is
// safe when two processes run it at the same time (SKIP LOCKED claims, unique delivery keys:
// sweep.ts), which also covers pg-boss running a job more than once.
// On the embedded database pg-boss runs over the same PGlite instance through a small adapter
// (PGlite serialises queries and holds other callers out of an open transaction).
import type { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/client.js';
import { loggableError } from '../../errors.js';
import { now } from '../../clock.js';
import { syncCalendar } from '../../db/calendar.js';
import { purgeExpiredOrgs } from '../../modules/orgs/api.js';
import { runSweep, type SweepReport } from './sweep.js';

export const SWEEP_QUEUE = 'reminders-sweep';

export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ReminderJobs {
  stop(): Promise<void>;
}

function summarise(r: SweepReport) {
  return {
    claimed: r.claimed,
    sent: r.sent.length,
    retrying: r.retrying.length,
    failed: r.failed.length,
    digests: r.digests,
  };
}

/** Starts the periodic sweep; `stop()` waits for a sweep in progress. Nothing when the interval is 0. */
export async function startReminderJobs({
  database,
  config,
  log,
}: {
  database: Database;
  config: Config;
  log: JobLog;
}): Promise<ReminderJobs> {
  const minutes = config.reminderSweepMinutes;
  if (minutes === 0) return { stop: async () => {} };
  const sweep = async () => {
    // Reminder days and digest days are working days: count them on the calendar as stored now.
    await syncCalendar(database.db);
    const report = await runSweep({ db: database.db, config, kind: database.kind, at: now() });
    // The recycle bin empties itself here: the sweep is the one job every server runs.
    const purged = await purgeExpiredOrgs(database.db, now());
    if (purged > 0) log.info({ purged }, 'recycle bin: organisations removed after 30 days');
    if (report.claimed + report.sent.length + report.failed.length + report.retrying.length > 0) {
      log.info(summarise(report), 'reminder sweep');
    }
  };

  if (database.kind === 'postgres' && !config.databaseUrl) throw new Error('DATABASE_URL is needed for pg-boss');
  const boss = new PgBoss({
    ...(database.kind === 'postgres'
      ? { connectionString: config.databaseUrl, max: 2 }
      : { db: pgliteAdapter(database) }),
    schema: 'pgboss',
  });
  boss.on('error', (err: unknown) => log.error({ err: loggableError(err) }, 'pg-boss error'));
  await boss.start();
  await boss.createQueue(SWEEP_QUEUE);
  await boss.schedule(SWEEP_QUEUE, minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`);
  await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
    await sweep();
  });
  // A first sweep at start catches up at once instead of at the next tick.
  await boss.send(SWEEP_QUEUE, {});
  return { stop: () => boss.stop({ graceful: true, wait: true }) };
}

/**
 * pg-boss's database interface over the embedded PGlite: statements without parameters may hold
 * several commands (its migrations), so they go through `exec`; the others through `query`.
 */
export function pgliteAdapter(database: Database): PgBoss.Db {
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      if (values.length === 0) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      return client.query(text, values);
    },
  };
}
