// `zizhi reminders run [--at <instant>]`: one reminder sweep as of an instant, for operations (run it
// from cron with ZIZHI_REMINDER_SWEEP_MINUTES=0) and tests. Safe next to a running server on
// PostgreSQL: the sweep claims with SKIP LOCKED and unique delivery keys, so nothing goes out twice.
import type { Command } from 'commander';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { AppError } from '../errors.js';
import { now } from '../clock.js';
import { syncCalendar } from '../db/calendar.js';
import { runSweep, type SweepReport } from '../jobs/reminders/sweep.js';
import { processWriter, type CliWriter } from './calendar.js';
import { migrateDatabase } from '../db/migrate.js';

export interface RemindersCommandDeps {
  config: () => Config;
  /** Opens the database (tests pass their own); the command closes it when done. */
  openDatabase?: (config: Config) => Promise<Database>;
  write?: CliWriter;
}

/** Parses `--at`: an ISO instant with an offset (e.g. 2026-09-21T09:00:00+08:00). */
export function parseInstant(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new AppError(
      'INVALID_INPUT',
      `--at: give an instant with its offset, e.g. 2026-09-21T09:00:00+08:00 (got ${value})`,
    );
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new AppError('INVALID_INPUT', `--at: not a valid instant: ${value}`);
  return t;
}

/** The report as people read it: totals, then one line per message. */
export function formatSweepReport(r: SweepReport): string {
  const lines = [
    `Reminder sweep as of ${r.at}: ${r.claimed} reminders due, ${r.created} messages queued, ${r.digests} digests` +
      `${r.stale > 0 ? `, ${r.stale} too old to send` : ''}; ` +
      `${r.sent.length} sent, ${r.retrying.length} to retry, ${r.failed.length} failed, ${r.cancelled} cancelled.`,
  ];
  const line = (mark: string, i: SweepReport['sent'][number]) =>
    `${mark} ${i.channelType.padEnd(8)} ${i.target} · ${i.step ?? i.kind} · ${i.title}${i.error ? ` — ${i.error}` : ''}`;
  for (const i of r.sent) lines.push(line('sent ', i));
  for (const i of r.retrying) lines.push(line('retry', i));
  for (const i of r.failed) lines.push(line('FAIL ', i));
  return `${lines.join('\n')}\n`;
}

export function registerRemindersCommand(program: Command, deps: RemindersCommandDeps): void {
  const reminders = program.command('reminders').description('reminder sweep: send due reminders and digests');
  reminders
    .command('run')
    .description('run one sweep as of an instant (default now) and print what it sent')
    .option('--at <instant>', 'ISO instant with offset, e.g. 2026-09-21T09:00:00+08:00')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { at?: string; json?: boolean }) => {
      const w = deps.write ?? processWriter;
      const at = opts.at ? parseInstant(opts.at) : now();
      const config = deps.config();
      const database = await (deps.openDatabase ?? openDatabase)(config);
      try {
        await migrateDatabase(database);
        await syncCalendar(database.db);
        const report = await runSweep({ db: database.db, config, kind: database.kind, at });
        w.out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatSweepReport(report));
        if (report.failed.length > 0) process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
}
