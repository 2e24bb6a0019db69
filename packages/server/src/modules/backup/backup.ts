// Writing a backup: one consistent snapshot of every table, the files they reference, and the
// channel key, as one archive streamed to any Writable (a file, an S3 upload). Memory stays flat:
// tables are read through a cursor and spooled to a temporary folder (a tar entry needs its size
// before its bytes), files are streamed from the blob store.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/index.js';
import { queryRows, type Database, type Queryable } from '../../db/client.js';
import { readMigrations } from '../../db/migrate.js';
import { BlobCorruptError, BlobMissingError, type BlobStore } from '../../storage/index.js';
import {
  ArchiveWriter,
  BackupError,
  FORMAT_VERSION,
  HEADER_ENTRY,
  MANIFEST_ENTRY,
  ARCHIVE_FORMAT,
  SETTINGS_ENTRY,
  fileEntry,
  serializeManifest,
  tableEntry,
  type Encryption,
  type Header,
  type ManifestBody,
  type Settings,
} from './archive.js';
import {
  dumpTable,
  ident,
  listForeignKeys,
  listTables,
  loadOrder,
  setCanonicalOutput,
  type TableInfo,
} from './catalog.js';
import { ZIZHI_VERSION } from './version.js';

/** Where a backup is: `tables` counts rows, `files` counts bytes. */
export interface BackupProgress {
  phase: 'tables' | 'files';
  done: number;
  total: number;
}

export interface BackupOptions {
  encryption?: Encryption;
  onProgress?(p: BackupProgress): void;
  /** Where tables are spooled while the archive is written (default: the system's temp folder). */
  tempDir?: string;
  /** The archive's time (default now); lets a caller name the file before writing it. */
  createdAt?: Date;
}

/** What a finished backup holds. */
export interface BackupSummary {
  createdAt: string;
  formatVersion: number;
  schema: { applied: number; lastTag: string | null };
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
  /** Size and SHA-256 of the bytes written to the sink (after compression and encryption). */
  archiveBytes: number;
  sha256: string;
  encrypted: boolean;
}

/** Rows fetched per round trip; also the granularity of progress. */
const FETCH_ROWS = 1000;

/**
 * The migrations the database records, matched to this release's by their journal timestamp. A
 * database migrated by a newer release is refused: this release cannot describe its schema.
 */
async function recordedSchema(tx: Queryable): Promise<Header['schema']> {
  const exists = await queryRows<{ t: string | null }>(
    tx,
    sql`select to_regclass('drizzle.__drizzle_migrations') as t`,
  );
  if (!exists[0]?.t) return { applied: 0, lastTag: null, migrations: [] };
  const recorded = await queryRows<{ hash: string; created_at: string }>(
    tx,
    sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at`,
  );
  const release = readMigrations();
  let lastTag: string | null = null;
  for (const row of recorded) {
    const migration = release.find((m) => m.when === Number(row.created_at));
    if (!migration) {
      throw new BackupError(
        'schema-newer',
        '数据库的结构比当前 Zizhi 版本新（由更新的版本迁移），无法用此版本备份。请用与数据库相同或更新的 Zizhi 版本备份。',
        'The database was migrated by a newer Zizhi release; back it up with that release (or a newer one).',
      );
    }
    lastTag = migration.tag;
  }
  return { applied: recorded.length, lastTag, migrations: recorded.map((r) => r.hash) };
}

/**
 * The channel key as the running configuration has it: ZIZHI_SECRET_KEY, else in embedded mode
 * the generated `<dataDir>/secret.key` if there is one. Read, never created: a backup changes
 * nothing.
 */
export function currentSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>, kind: Database['kind']): string | null {
  if (config.secretKey) return config.secretKey.reveal();
  if (kind !== 'pglite') return null;
  try {
    const text = readFileSync(path.join(config.dataDir, 'secret.key'), 'utf8').trim();
    return /^[A-Za-z0-9+/]{43}=$/.test(text) ? text : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

interface SpooledTable {
  table: TableInfo;
  file: string;
  rows: number;
  size: number;
  sha256: string;
}

interface Snapshot {
  schema: Header['schema'];
  tables: SpooledTable[];
  /** `<sha256>\n` per distinct blob, sorted. */
  filesList: string;
  files: number;
  /** Sum of the files table's sizes: the progress total, checked against the blobs' real sizes. */
  fileBytes: number;
}

/** Writes lines to a file, hashing and counting them, with backpressure. */
export async function spoolLines(file: string, fill: (write: (lines: string[]) => Promise<void>) => Promise<void>) {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const hash = createHash('sha256');
  let rows = 0;
  let size = 0;
  const closed = once(out, 'close');
  try {
    await fill(async (lines) => {
      const bytes = Buffer.from(`${lines.join('\n')}\n`);
      hash.update(bytes);
      rows += lines.length;
      size += bytes.length;
      if (!out.write(bytes)) await once(out, 'drain');
    });
    out.end();
    await closed;
  } catch (err) {
    out.destroy();
    throw err;
  }
  return { rows, size, sha256: hash.digest('hex') };
}

/**
 * Every table (and the list of referenced blobs) as of one instant: one REPEATABLE READ, READ
 * ONLY transaction. On PGlite this transaction holds other callers out until it ends: requests
 * wait, none fail; the spool keeps it short (no compression, encryption or upload inside).
 */
async function takeSnapshot(
  database: Database,
  spoolDir: string,
  onProgress: BackupOptions['onProgress'],
): Promise<Snapshot> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    await setCanonicalOutput(tx);
    const schema = await recordedSchema(tx);
    const tables = loadOrder(await listTables(tx), await listForeignKeys(tx));
    // One at a time: a transaction is one connection, which runs one query at once.
    const counts: number[] = [];
    for (const t of tables) {
      const [row] = await queryRows<{ n: string }>(
        tx,
        sql.raw(`select count(*)::text as n from public.${ident(t.name)}`),
      );
      counts.push(Number(row!.n));
    }
    const total = counts.reduce((a, b) => a + b, 0);
    let done = 0;
    onProgress?.({ phase: 'tables', done, total });
    const spooled: SpooledTable[] = [];
    for (const [i, table] of tables.entries()) {
      const file = path.join(spoolDir, `${i}.ndjson`);
      const result = await spoolLines(file, (write) =>
        dumpTable(
          tx,
          table,
          async (rows) => {
            await write(rows);
            done += rows.length;
            onProgress?.({ phase: 'tables', done, total });
          },
          FETCH_ROWS,
        ),
      );
      if (result.rows !== counts[i]) throw new Error(`${table.name}: ${result.rows} rows read, ${counts[i]} counted`);
      spooled.push({ table, file, ...result });
    }
    const filesList = path.join(spoolDir, 'files.list');
    let files = 0;
    let fileBytes = 0;
    const hasFiles = tables.some((t) => t.name === 'files');
    await spoolLines(filesList, async (write) => {
      if (!hasFiles) return;
      await tx.execute(
        sql.raw(
          'declare zizhi_blobs no scroll cursor for select sha256, max(size)::text as size from public.files group by sha256 order by sha256 collate "C"',
        ),
      );
      for (;;) {
        const rows = await queryRows<{ sha256: string; size: string }>(
          tx,
          sql.raw(`fetch forward ${FETCH_ROWS} from zizhi_blobs`),
        );
        if (rows.length > 0) await write(rows.map((r) => r.sha256));
        files += rows.length;
        for (const r of rows) fileBytes += Number(r.size);
        if (rows.length < FETCH_ROWS) break;
      }
      await tx.execute(sql.raw('close zizhi_blobs'));
    });
    return { schema, tables: spooled, filesList, files, fileBytes };
  });
}

/** The non-empty lines of a spooled file, streamed. */
export async function* linesOf(file: string): AsyncGenerator<string> {
  const input = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line !== '') yield line;
  } finally {
    input.destroy();
  }
}

/** A blob the backup cannot include, named with the files that use it. */
async function unreadableBlob(database: Database, sha256: string, err: unknown): Promise<BackupError> {
  const names = await queryRows<{ name: string }>(
    database.db,
    sql`select name from files where sha256 = ${sha256} order by created_at limit 3`,
  ).catch(() => []);
  const which = names.map((n) => n.name).join('、') || sha256;
  const missing = err instanceof BlobMissingError;
  const corrupt = err instanceof BlobCorruptError;
  if (!missing && !corrupt) throw err;
  return new BackupError(
    'damaged',
    `无法备份文件 ${which}（${sha256.slice(0, 12)}…）：${missing ? '存储中找不到' : '存储中的内容已损坏'}。请重新上传该文件（或从旧备份恢复）后再备份；不完整的备份不会生成。`,
    `Cannot back up the file ${which} (${sha256.slice(0, 12)}…): it is ${missing ? 'missing from' : 'damaged in'} the file storage. Upload it again (or restore it from an older backup) and back up again; no incomplete archive is written.`,
  );
}

/**
 * Writes a complete backup of `database` and the blobs its files table references to `sink`, as
 * archive format 1 (archive.ts), optionally encrypted. Resolves once the sink has finished;
 * on failure the sink is destroyed with the error, so a caller never mistakes a half archive for
 * a whole one. Another caller's writes during the backup are not in it (one snapshot).
 */
export async function writeBackup(
  database: Database,
  blobs: BlobStore,
  config: Pick<Config, 'secretKey' | 'dataDir'>,
  sink: Writable,
  options: BackupOptions = {},
): Promise<BackupSummary> {
  const createdAt = options.createdAt ?? new Date();
  const spoolDir = await mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'zizhi-backup-'));
  let writer: ArchiveWriter | null = null;
  try {
    const secretKey = currentSecretKey(config, database.kind);
    const snapshot = await takeSnapshot(database, spoolDir, (p) => options.onProgress?.(p));
    writer = await ArchiveWriter.open(sink, createdAt, options.encryption);
    const entries: ManifestBody['entries'] = [];
    const add = async (name: string, size: number, content: Buffer | AsyncIterable<Buffer>, expected?: string) => {
      const sha256 = await writer!.add(name, size, content);
      // What went into the archive must be what was read: a spool file or blob changed under us
      // would otherwise be vouched for by the manifest.
      if (expected !== undefined && sha256 !== expected) throw new Error(`${name} changed while it was archived`);
      entries.push({ name, size, sha256 });
    };
    const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

    const header: Header = {
      format: ARCHIVE_FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: createdAt.toISOString(),
      zizhiVersion: ZIZHI_VERSION,
      database: database.kind,
      schema: snapshot.schema,
    };
    const headerBytes = json(header);
    await add(HEADER_ENTRY, headerBytes.length, headerBytes);
    for (const t of snapshot.tables) {
      await add(tableEntry(t.table.name), t.size, createReadStream(t.file) as AsyncIterable<Buffer>, t.sha256);
    }
    let fileCount = 0;
    let fileBytes = 0;
    options.onProgress?.({ phase: 'files', done: 0, total: snapshot.fileBytes });
    for await (const sha256 of linesOf(snapshot.filesList)) {
      let blob;
      try {
        blob = await blobs.get(sha256);
      } catch (err) {
        throw await unreadableBlob(database, sha256, err);
      }
      const stream = blob.stream;
      const counted = (async function* () {
        for await (const chunk of stream) {
          fileBytes += (chunk as Buffer).length;
          options.onProgress?.({ phase: 'files', done: fileBytes, total: Math.max(snapshot.fileBytes, fileBytes) });
          yield chunk as Buffer;
        }
      })();
      try {
        await add(fileEntry(sha256), blob.size, counted, sha256);
      } finally {
        stream.destroy();
      }
      fileCount++;
    }
    const settings: Settings = { secretKey };
    const settingsBytes = json(settings);
    await add(SETTINGS_ENTRY, settingsBytes.length, settingsBytes);
    const manifest = serializeManifest({
      format: ARCHIVE_FORMAT,
      formatVersion: FORMAT_VERSION,
      entries,
      tables: snapshot.tables.map((t) => ({ name: t.table.name, rows: t.rows })),
      files: { count: fileCount, bytes: fileBytes },
    });
    await writer.add(MANIFEST_ENTRY, manifest.length, manifest);
    const archive = await writer.finish();
    return {
      createdAt: header.createdAt,
      formatVersion: FORMAT_VERSION,
      schema: { applied: snapshot.schema.applied, lastTag: snapshot.schema.lastTag },
      tables: snapshot.tables.length,
      rows: snapshot.tables.reduce((n, t) => n + t.rows, 0),
      files: fileCount,
      fileBytes,
      archiveBytes: archive.bytes,
      sha256: archive.sha256,
      encrypted: options.encryption !== undefined,
    };
  } catch (err) {
    if (writer) {
      writer.abort(err);
      await writer.settled();
    } else {
      sink.destroy(err as Error);
    }
    throw err;
  } finally {
    await rm(spoolDir, { recursive: true, force: true });
  }
}
