// Housekeeping the embedded database does not do by itself. PGlite runs PostgreSQL as a single
// user, without the autovacuum workers a server has: rows rewritten by every recompute stay as
// dead versions, and the planner has no statistics, so at a consultancy's size it joins a whole
// workspace where an index would read a page (measured: 650 ms → 10 ms for a list page after
// VACUUM ANALYZE). This job does what autovacuum would: the tables never analysed, shortly after
// start, and every table each night at 04:00 China time (after the 02:30 backup). One table per
// statement, with the event loop given back between them, so requests wait for one table at most.
// A PostgreSQL server has its own autovacuum: nothing is scheduled there.
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { nextChinaMidnight, now } from '../clock.js';
import { queryRows, type Database } from '../db/client.js';
import { loggableError } from '../errors.js';

export interface Maintenance {
  stop(): Promise<void>;
}

const AFTER_START_MS = 30_000;
const NIGHTLY_AT_MS = 4 * 3_600_000;

/**
 * The application's tables, largest first; `fresh` keeps only those with rows and no column
 * statistics (never analysed: a CREATE INDEX counts the rows but gathers no statistics).
 */
async function tables(database: Database, fresh: boolean): Promise<string[]> {
  const never = sql`and c.reltuples <> 0 and not exists (select 1 from pg_statistic s where s.starelid = c.oid)`;
  const rows = await queryRows<{ name: string }>(
    database.db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' ${fresh ? never : sql``}
        order by pg_total_relation_size(c.oid) desc`,
  );
  return rows.map((r) => r.name);
}

/** Vacuums (or only analyses) the given tables one by one. */
export async function maintainTables(
  database: Database,
  { analyzeOnly, fresh, log }: { analyzeOnly: boolean; fresh: boolean; log?: FastifyBaseLogger },
): Promise<number> {
  const names = await tables(database, fresh);
  const started = performance.now();
  for (const name of names) {
    const ident = `"${name.replaceAll('"', '""')}"`;
    await database.db.execute(sql.raw(analyzeOnly ? `analyze ${ident}` : `vacuum (analyze) ${ident}`));
    await new Promise((resolve) => setImmediate(resolve));
  }
  log?.info(
    { tables: names.length, ms: Math.round(performance.now() - started) },
    analyzeOnly ? 'embedded database analysed' : 'embedded database vacuumed',
  );
  return names.length;
}

export function startMaintenance({ database, log }: { database: Database; log: FastifyBaseLogger }): Maintenance {
  if (database.kind !== 'pglite') return { stop: async () => {} };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (analyzeOnly: boolean, fresh: boolean) => {
    running = maintainTables(database, { analyzeOnly, fresh, log }).catch((err: unknown) =>
      log.error({ err: loggableError(err) }, 'embedded database maintenance failed'),
    );
    return running;
  };
  const nightly = () => {
    if (stopped) return;
    const at = now();
    let next = nextChinaMidnight(at) - 86_400_000 + NIGHTLY_AT_MS;
    if (next <= at) next += 86_400_000;
    timer = setTimeout(() => void run(false, false).then(nightly), next - at);
    timer.unref();
  };
  timer = setTimeout(() => void run(true, true).then(nightly), AFTER_START_MS);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
