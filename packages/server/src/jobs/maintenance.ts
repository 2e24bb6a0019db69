// Housekeeping the embedded database does not do by itself. PGlite runs PostgreSQL as a single
// user, without the autovacuum workers a server has: rows rewritten by every recompute stay as
// dead versions, and the planner has no statistics, so at a consultancy's size it joins a whole
// workspace where an index would read a page (measured: 650 ms → 10 ms for a list page after
// VACUUM ANALYZE). A table filled after start — a first import, a seeded consultancy — is as bad
// as one never analysed: the planner keeps the statistics it gathered when it was nearly empty.
// So this job does what autovacuum would, with autovacuum's default thresholds and its per-table
// counters (pg_stat_user_tables): every minute it analyses the tables changed by more than 10 %
// (plus 50 rows) since their last analysis, never analysed, or grown by a fifth since (the
// counters start again at each start). Analysing the largest table takes ~0.7 s; vacuuming it
// after churn longer, and requests wait meanwhile (one process), so the tables with more than
// 20 % dead rows or inserts since their last vacuum are vacuumed at night, at 04:00 China time
// (after the 02:30 backup). One table per statement, with the event loop given back between
// them, so requests wait for one table at most.
// A PostgreSQL server has its own autovacuum: nothing is scheduled there.
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { nextChinaMidnight, now } from '../clock.js';
import { queryRows, type Database } from '../db/client.js';
import { loggableError } from '../errors.js';

export interface Maintenance {
  stop(): Promise<void>;
}

const FIRST_CHECK_MS = 30_000;
const CHECK_EVERY_MS = 60_000;
const NIGHTLY_AT_MS = 4 * 3_600_000;

interface Due {
  name: string;
  vacuum: boolean;
  analyse: boolean;
}

/** The application's tables autovacuum would work on now, largest first. */
export async function dueTables(database: Database): Promise<Due[]> {
  // A backend reports its counters at most once a second: report them now.
  await database.db.execute(sql`select pg_stat_force_next_flush()`);
  await database.db.execute(sql`select pg_stat_clear_snapshot()`);
  return queryRows<Due>(
    database.db,
    sql`select name, needs_vacuum as vacuum, needs_analysis as analyse from (
          select c.relname as name, pg_total_relation_size(c.oid) as size,
            (s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
              or s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0)) as needs_vacuum,
            (s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
              or (c.reltuples > 0 and not exists (select 1 from pg_statistic p where p.starelid = c.oid))
              or pg_relation_size(c.oid) / current_setting('block_size')::int > 1.2 * c.relpages + 10) as needs_analysis
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          join pg_stat_user_tables s on s.relid = c.oid
          where n.nspname = 'public' and c.relkind = 'r') t
        where needs_vacuum or needs_analysis
        order by size desc`,
  );
}

/**
 * Analyses the tables that need it, one by one, and with `vacuum` also vacuums those that need
 * that; the number worked on.
 */
export async function maintainDueTables(
  database: Database,
  { vacuum: vacuuming, log }: { vacuum: boolean; log?: FastifyBaseLogger },
): Promise<number> {
  const due = (await dueTables(database))
    .map((d) => ({ ...d, vacuum: vacuuming && d.vacuum }))
    .filter((d) => d.analyse || d.vacuum);
  if (due.length === 0) return 0;
  const started = performance.now();
  for (const { name, vacuum } of due) {
    const ident = `"${name.replaceAll('"', '""')}"`;
    await database.db.execute(sql.raw(vacuum ? `vacuum (analyze) ${ident}` : `analyze ${ident}`));
    await new Promise((resolve) => setImmediate(resolve));
  }
  log?.info(
    {
      vacuumed: due.filter((d) => d.vacuum).length,
      analysed: due.length,
      ms: Math.round(performance.now() - started),
    },
    'embedded database maintained',
  );
  return due.length;
}

export function startMaintenance({ database, log }: { database: Database; log: FastifyBaseLogger }): Maintenance {
  if (database.kind !== 'pglite') return { stop: async () => {} };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const nightlyAt = () => {
    const at = now();
    const next = nextChinaMidnight(at) - 86_400_000 + NIGHTLY_AT_MS;
    return next <= at ? next + 86_400_000 : next;
  };
  let nextNight = nightlyAt();
  const check = () => {
    const vacuum = now() >= nextNight;
    if (vacuum) nextNight = nightlyAt();
    running = maintainDueTables(database, { vacuum, log })
      .catch((err: unknown) => log.error({ err: loggableError(err) }, 'embedded database maintenance failed'))
      .then(() => {
        if (stopped) return;
        timer = setTimeout(check, CHECK_EVERY_MS);
        timer.unref();
      });
  };
  timer = setTimeout(check, FIRST_CHECK_MS);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
