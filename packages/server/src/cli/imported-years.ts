// Calendar years imported into the installation, for the rule commands (calendar, obligations).
// Kept apart from the server's commands so that these answer at once: the embedded database's
// years come from the file written beside it (db/calendar-mirror.ts), and the database itself is
// opened only when there is no such file yet.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { readCalendarMirror, writeCalendarMirror } from '../db/calendar-mirror.js';
import { DataDirInUseError } from '../db/errors.js';

/** `--data-dir` and `--database-url` (commander fills them from ZIZHI_DATA_DIR and DATABASE_URL). */
export interface DataFolderOptions {
  dataDir?: string;
  databaseUrl?: string;
}

/**
 * Variables loadConfig reads (config/index.ts SETTINGS; a test keeps the two in step). When one is
 * set, reading the settings may fail, and a rule tool must fail the same way: then they are read
 * in full, zod and all.
 */
export const SETTING_VARIABLES = /^(PORT|HOST|LOG_LEVEL|DATABASE_URL|ZIZHI_[A-Z0-9_]+)$/;

/**
 * The imported years when they can be had without reading the settings, which costs zod (a third
 * of a rule tool's start): embedded database, no setting but the data folder given, and either no
 * database yet or its file beside it. Null when the settings and perhaps the database are needed:
 * then use loadImportedYearsForCli. Mirrors loadConfig's reading of the two options.
 */
export function mirroredYearsForCli(opts: DataFolderOptions, env: NodeJS.ProcessEnv = process.env): unknown[] | null {
  const given = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  if (given(opts.databaseUrl ?? env.DATABASE_URL) !== undefined) return null;
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '' && name !== 'ZIZHI_DATA_DIR' && SETTING_VARIABLES.test(name)) return null;
  }
  const dataDir = path.resolve(given(opts.dataDir ?? env.ZIZHI_DATA_DIR) ?? './data');
  if (!existsSync(path.join(dataDir, 'pgdata'))) return [];
  return readCalendarMirror(dataDir);
}

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
    if ((err as { cause?: { code?: string } }).cause?.code === '42P01') {
      // Without the file, every later command would open the database again (a second or so)
      // to find the same nothing; whoever migrates it opens it, which drops the file.
      if (database.kind === 'pglite') writeCalendarMirror(config.dataDir, []);
      return [];
    }
    const { toAppError } = await import('../errors.js');
    if (toAppError(err)) return [];
    throw err;
  } finally {
    await database.close();
  }
}
