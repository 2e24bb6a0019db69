import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { markDatabaseError } from '../errors.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that runs queries: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// Same relative path from src/db (tests, tsx) and dist/db (the built server).
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/db/migrations');

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `数据目录 ${dataDir} 正被另一个 Zizhi 进程使用。请先停止那个进程，或用 ZIZHI_DATA_DIR 指定其他目录。\n` +
        `The data folder ${dataDir} is in use by another Zizhi process. Stop that process first, or set ZIZHI_DATA_DIR to another folder. ` +
        `(Several processes can share one database only on a PostgreSQL server: set DATABASE_URL.)`,
    );
  }
}

type PoolConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/** Opens a PostgreSQL server database. */
export function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover, a terminated backend) must not
  // take the process down; the pool replaces it on the next query.
  pool.on('error', (err) => {
    console.error(`PostgreSQL connection lost: ${err.message}`);
  });
  // Transactions take their connection with pool.connect(), which fails with a bare network
  // error (ECONNREFUSED…) that looks like any other service's: mark it as the database's, so
  // the error mapper answers 503 "database unavailable" instead of 500.
  const connect = pool.connect.bind(pool) as (callback?: PoolConnectCallback) => Promise<pg.PoolClient> | void;
  pool.connect = ((callback?: PoolConnectCallback) =>
    callback
      ? connect((err, client, done) => callback(err && markDatabaseError(err), client, done))
      : (connect() as Promise<pg.PoolClient>).catch((err: unknown) => {
          throw markDatabaseError(err);
        })) as pg.Pool['connect'];
  return {
    db: drizzlePg({ client: pool, schema }),
    kind: 'postgres',
    close: () => pool.end(),
  };
}

/** Wraps an open PGlite instance; closing the database closes it. */
export function wrapPglite(client: PGlite, onClose?: () => Promise<void>): Database {
  return {
    db: drizzlePglite({ client, schema }),
    kind: 'pglite',
    close: async () => {
      await client.close();
      await onClose?.();
    },
  };
}

// PGlite's defaults plus a smaller buffer pool: its 128 MB default, touched inside the WASM
// heap, made the idle server take ~350 MB. One-process workloads fit well in 32 MB.
const PGLITE_START_PARAMS = [
  ...['--single', '-F', '-O', '-j'],
  ...['-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
  ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
  ...['-c', 'io_method=sync', '-c', 'max_parallel_maintenance_workers=0'],
  ...['-c', 'shared_buffers=32MB'],
];

/**
 * Opens the embedded database in `dataDir`, holding a lock so a second process on the same
 * folder refuses to start (PGlite is single-process: two writers would corrupt it).
 */
export async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, 'zizhi.lock'),
      stale: 10_000,
      update: 2_000,
      retries: 0,
      onCompromised: (err) => {
        // Another process may now open the folder; two writers would corrupt the database.
        console.error(`Lost the lock on ${dataDir} (${err.message}); stopping to protect the database.`);
        process.exit(1);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirInUseError(dataDir);
    throw err;
  }
  try {
    const client = await PGlite.create(path.join(dataDir, 'pgdata'), { startParams: PGLITE_START_PARAMS });
    return wrapPglite(client, release);
  } catch (err) {
    await release();
    throw err;
  }
}

/** Opens the configured database: a server when a URL is given, else the embedded one. */
export function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? Promise.resolve(openPostgres(options.databaseUrl)) : openPglite(options.dataDir);
}

/** Applies pending migrations; safe to call on every start. */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, config);
  } else {
    await migratePg(database.db as never, config);
  }
}
