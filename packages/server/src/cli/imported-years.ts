// Calendar years imported into the installation, for the rule commands (calendar, obligations).
// Kept apart from the server's commands so that these answer at once: the embedded database's
// years come from the file written beside it (db/calendar-mirror.ts), and the database itself is
// opened only when there is no such file yet.
import { existsSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { readCalendarMirror } from '../db/calendar-mirror.js';
import { DataDirInUseError } from '../db/errors.js';
import { toAppError } from '../errors.js';

/**
 * No database yet means none imported; a data folder held by a running server has its file (the
 * server writes it at start), and without one says so and goes on with the built-in years.
 */
export async function loadImportedYearsForCli(config: Config): Promise<unknown[]> {
  if (!config.databaseUrl) {
    if (!existsSync(config.pgliteDir)) return [];
    const mirrored = readCalendarMirror(config.dataDir);
    if (mirrored) return mirrored;
  }
  const { openDatabase } = await import('../db/client.js');
  const { loadImportedYears, mirrorImportedYears } = await import('../db/calendar.js');
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(config);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    console.error(
      `Note: ${config.dataDir} is in use by a running server; calendar years imported there are not used here.`,
    );
    return [];
  }
  try {
    // A read must not change the database (with DATABASE_URL that may be production): no
    // migration here, and a database from before calendar imports simply has none.
    const years = await loadImportedYears(database.db);
    await mirrorImportedYears(database, config.dataDir);
    return years;
  } catch (err) {
    if (toAppError(err) || (err as { cause?: { code?: string } }).cause?.code === '42P01') return [];
    throw err;
  } finally {
    await database.close();
  }
}
