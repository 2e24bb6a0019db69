import fs from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { markDatabaseError } from '../errors.js';
import * as schema from './schema.js';
import { dropCalendarMirror } from './calendar-mirror.js';
import { DataDirInUseError } from './errors.js';

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

/** Rows of a raw query: the two drivers type execute() differently, both return `{ rows }`. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/**
 * Awaits queries one after another, typed like Promise.all. A transaction is one connection, which
 * runs one statement at a time: given to Promise.all, the driver queued the overlapping queries
 * itself, which node-postgres deprecates. Drizzle's queries start when awaited, so none starts early.
 */
export async function inTurn<T extends readonly unknown[] | []>(
  queries: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query);
  return results as { -readonly [K in keyof T]: Awaited<T[K]> };
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

// PGlite's defaults (less -F, which turns fsync off) plus a smaller buffer pool: its 128 MB
// default, touched inside the WASM heap, made the idle server take ~350 MB. One-process
// workloads fit well in 32 MB.
const PGLITE_START_PARAMS = [
  ...['--single', '-O', '-j'],
  ...['-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
  ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
  ...['-c', 'io_method=sync', '-c', 'max_parallel_maintenance_workers=0'],
  ...['-c', 'shared_buffers=32MB'],
  // fdatasync is a no-op in PGlite's file layer; fsync reaches the disk through DurableNodeFS.
  ...['-c', 'wal_sync_method=fsync'],
];

/** The part of Emscripten's Node file system this relies on (PGlite does not type it). */
interface EmscriptenNodeFs {
  stream_ops: { fsync?: (stream: { nfd: number }) => void };
  tryFSOperation<T>(fn: () => T): T;
}

/**
 * PGlite's data folder with fsync that reaches the disk. Emscripten's Node file system has no
 * fsync of its own, so PostgreSQL's fsync of the WAL at each commit, and of the data files at
 * each checkpoint, did nothing: an OS crash or power cut could lose committed transactions.
 */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, opts);
    const durable = (mod: { NODEFS: unknown }) => {
      const nodefs = mod.NODEFS as EmscriptenNodeFs;
      // Through tryFSOperation a failed fsync reaches PostgreSQL as an I/O error, which it
      // handles (by stopping rather than trusting the data), instead of crashing the process.
      nodefs.stream_ops.fsync = (stream) => nodefs.tryFSOperation(() => fs.fsyncSync(stream.nfd));
    };
    const preRun = [durable, ...(result.emscriptenOpts.preRun ?? [])] as typeof result.emscriptenOpts.preRun;
    return { ...result, emscriptenOpts: { ...result.emscriptenOpts, preRun } };
  }
}

/** Who holds a data folder: written beside the lock, so a restart can tell a crashed holder from a live one. */
interface LockHolder {
  pid: number;
  host: string;
}

function holderPath(dataDir: string) {
  return path.join(dataDir, 'zizhi.lock.pid');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the lock was left by a process of this machine that is no longer running (killed,
 * or the machine restarted): the lock's age alone would keep a restart waiting until it goes stale.
 */
async function isLeftByDeadProcess(dataDir: string): Promise<boolean> {
  let holder: LockHolder;
  try {
    holder = JSON.parse(await readFile(holderPath(dataDir), 'utf8')) as LockHolder;
  } catch {
    return false;
  }
  return holder.host === os.hostname() && holder.pid !== process.pid && !isRunning(holder.pid);
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockfilePath = path.join(dataDir, 'zizhi.lock');
  const lock = () =>
    lockfile.lock(dataDir, {
      lockfilePath,
      stale: 10_000,
      update: 2_000,
      retries: 0,
      onCompromised: (err) => {
        // Another process may now open the folder; two writers would corrupt the database.
        console.error(`Lost the lock on ${dataDir} (${err.message}); stopping to protect the database.`);
        process.exit(1);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await lock();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    if (!(await isLeftByDeadProcess(dataDir))) throw new DataDirInUseError(dataDir);
    await rm(lockfilePath, { recursive: true, force: true });
    try {
      release = await lock();
    } catch (again) {
      // Another process restarting at the same moment took it first.
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirInUseError(dataDir);
      throw again;
    }
  }
  const holder: LockHolder = { pid: process.pid, host: os.hostname() };
  await writeFile(holderPath(dataDir), JSON.stringify(holder));
  return release;
}

/**
 * Opens the embedded database in `dataDir`, holding a lock so a second process on the same
 * folder refuses to start (PGlite is single-process: two writers would corrupt it).
 * `fsync: false` trades durability for speed: only for data that can be thrown away.
 */
export async function openPglite(dataDir: string, options: { fsync?: boolean } = {}): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const release = await lockDataDir(dataDir);
  try {
    dropCalendarMirror(dataDir);
    const pgdata = path.join(dataDir, 'pgdata');
    const client =
      options.fsync === false
        ? await PGlite.create({ fs: new NodeFS(pgdata), startParams: [...PGLITE_START_PARAMS, '-F'] })
        : await PGlite.create({ fs: new DurableNodeFS(pgdata), startParams: PGLITE_START_PARAMS });
    return wrapPglite(client, release);
  } catch (err) {
    await release();
    throw err;
  }
}

/** Opens the configured database: a server when a URL is given, else the embedded one. */
export function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  pgliteFsync?: 'on' | 'off';
}): Promise<Database> {
  return options.databaseUrl
    ? Promise.resolve(openPostgres(options.databaseUrl))
    : openPglite(options.dataDir, { fsync: options.pgliteFsync !== 'off' });
}
