import type { Config } from '../config/index.js';
import { buildApp } from '../app.js';
import { openDatabase } from '../db/client.js';
import { loggableError } from '../errors.js';
import { mirrorImportedYears, syncCalendar } from '../db/calendar.js';
import { recomputeStale } from '../modules/obligations/recompute.js';
import { migrateDatabase } from '../db/migrate.js';
import { withSystem } from '../db/tenancy.js';
import { undoUnfinishedImports } from '../modules/imports/service.js';
import { leanRuntimeForEmbedded } from './lean-runtime.js';

/** Opens and migrates the database, then serves until SIGINT/SIGTERM, closing cleanly. */
export async function startServer(config: Config): Promise<void> {
  if (!config.databaseUrl) leanRuntimeForEmbedded();
  const database = await openDatabase(config);
  let undone = 0;
  try {
    await migrateDatabase(database);
    await syncCalendar(database.db);
    await mirrorImportedYears(database, config.dataDir);
    // Before anyone can see them: the rows of an import this server was stopped in the middle of.
    undone = await undoUnfinishedImports((fn) => withSystem(database.db, fn));
  } catch (err) {
    await database.close();
    throw err;
  }
  const app = await buildApp({ database, config });
  if (undone > 0) app.log.warn(`Undid ${undone} import(s) left unfinished when the server stopped`);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Zizhi is running at http://localhost:${config.port} (database: ${database.kind})`);
  // After listening: start-up time stays short, and requests are served meanwhile.
  recomputeStale(database.db).then(
    (n) =>
      n > 0 && app.log.info(`Recomputed ${n} certificates whose provisional dates are now on the published calendar`),
    (err: unknown) => app.log.error({ err: loggableError(err) }, 'recomputing provisional dates failed'),
  );
}
