// Reading an archive back: checking it entry by entry, restoring it into an empty database and
// blob store, and the restore drill (`verifyArchive`) that proves an archive restores.
//
// A restore reads the archive twice. The first pass changes nothing: every entry's SHA-256 and
// size, every table's row count and the manifest itself are checked, so a damaged archive, a
// wrong passphrase or a newer schema is refused while the target is untouched. The second pass
// loads the tables in one transaction and stores the files; it checks every entry against the
// manifest again, so bytes that change between the passes roll the load back.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/index.js';
import { queryRows, type Database, type Queryable } from '../../db/client.js';
import { isRecordedAs, migrateDatabase, readMigrations, schemaVersion } from '../../db/migrate.js';
import { LocalBlobStore, type BlobStore } from '../../storage/index.js';
import { openScratchDatabase } from './scratch.js';
import {
  BackupError,
  HEADER_ENTRY,
  MANIFEST_ENTRY,
  SETTINGS_ENTRY,
  SettingsSchema,
  damaged,
  fileEntry,
  fileOfEntry,
  openArchiveLayers,
  parseHeader,
  parseJsonEntry,
  parseManifest,
  part,
  readSmallEntry,
  tableEntry,
  tableOfEntry,
  tarEntries,
  type Decryption,
  type Header,
  type Manifest,
  type Settings,
} from './archive.js';
import { dumpTable, ident, listForeignKeys, listTables, setCanonicalOutput, type TableInfo } from './catalog.js';

/** Opens the archive's bytes from the start; called once per pass. */
export type OpenArchive = () => Readable | Promise<Readable>;

/** Where a check or restore is: `check` and `files` count bytes, `tables` rows. */
export interface RestoreProgress {
  phase: 'check' | 'tables' | 'files';
  done: number;
  /** 0 when unknown (the archive's size was not given). */
  total: number;
}

export interface ReadOptions {
  decryption?: Decryption;
  onProgress?(p: RestoreProgress): void;
  /** The archive's stored size, for the check phase's progress. */
  archiveBytes?: number;
}

/** An archive that passed the first pass: everything in it is as the manifest says. */
export interface CheckedArchive {
  header: Header;
  manifest: Manifest;
  settings: Settings;
  encrypted: boolean;
}

/** Rows of one batch are sent to the database together: ~1000, fewer when rows are large. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

interface WalkHooks {
  /** The manifest of the first pass: every entry is compared with it as soon as it ends. */
  expected?: Manifest;
  onRows?: (table: string, lines: string[]) => Promise<void>;
  onFile?: (sha256: string, size: number, content: Readable) => Promise<void>;
  onSourceBytes?: (bytes: number) => void;
}

interface WalkResult extends CheckedArchive {
  tableRows: Map<string, number>;
}

const sameEntry = (a: { name: string; size: number; sha256: string } | undefined, b: typeof a) =>
  a !== undefined && b !== undefined && a.name === b.name && a.size === b.size && a.sha256 === b.sha256;

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of chunks);
}

/** A stream that counts the bytes going through it (the archive as stored, for progress). */
function counting(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/**
 * Reads an archive from start to end, checking its structure, every entry's hash and size, the
 * tables' row counts and the manifest, handing rows and files to the hooks on the way.
 */
async function walkArchive(
  open: OpenArchive,
  decryption: Decryption | undefined,
  hooks: WalkHooks,
): Promise<WalkResult> {
  const source = await open();
  const onBytes = hooks.onSourceBytes;
  const counted = onBytes ? source.pipe(counting((n) => onBytes(n))) : source;
  if (counted !== source) source.on('error', (err) => counted.destroy(err));
  const { tar, encrypted } = await openArchiveLayers(counted, decryption);
  let header: Header | null = null;
  let settings: Settings | null = null;
  let manifest: Manifest | null = null;
  const seen: Manifest['entries'] = [];
  const tableRows = new Map<string, number>();
  let files = 0;
  let fileBytes = 0;
  let stage: 'header' | 'tables' | 'files' | 'settings' | 'manifest' | 'end' = 'header';
  const out = (name: string, why: string | readonly [string, string]) => damaged(part.entry(name), why);

  for await (const entry of tarEntries(tar)) {
    const { name } = entry;
    if (stage === 'end') throw out(name, `found after ${MANIFEST_ENTRY}`);
    if (seen.some((e) => e.name === name)) throw out(name, ['出现两次', 'appears twice']);
    if (stage === 'header' && name !== HEADER_ENTRY) {
      throw new BackupError(
        'not-an-archive',
        `这不是 Zizhi 备份文件（第一个条目是 ${name}，应为 ${HEADER_ENTRY}）。`,
        `This is not a Zizhi backup archive (its first entry is ${name}, not ${HEADER_ENTRY}).`,
      );
    }
    if (name === MANIFEST_ENTRY) {
      manifest = parseManifest(await readSmallEntry(entry));
      stage = 'end';
      continue;
    }
    const hash = createHash('sha256');
    let size = 0;
    const hashed = async function* () {
      for await (const chunk of entry.stream) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    };
    const table = tableOfEntry(name);
    const file = fileOfEntry(name);
    if (name === HEADER_ENTRY) {
      header = parseHeader(await collect(hashed()));
      stage = 'tables';
    } else if (table !== null) {
      if (stage !== 'tables') throw out(name, 'tables must come before files and settings');
      tableRows.set(table, await readTable(table, hashed(), hooks));
    } else if (file !== null) {
      if (stage !== 'tables' && stage !== 'files') throw out(name, 'files must come before settings');
      stage = 'files';
      if (hooks.onFile) {
        await hooks.onFile(file, entry.size, Readable.from(hashed()));
      } else {
        await drain(hashed());
      }
      files++;
      fileBytes += size;
    } else if (name === SETTINGS_ENTRY) {
      settings = parseJsonEntry(name, await collect(hashed()), SettingsSchema);
      stage = 'manifest';
    } else {
      throw out(name, 'not part of the format');
    }
    const sha256 = hash.digest('hex');
    if (file !== null && sha256 !== file)
      throw out(name, ['内容与其 SHA-256 名称不符', 'its content does not match its SHA-256 name']);
    const record = { name, size, sha256 };
    if (hooks.expected) {
      const wanted = hooks.expected.entries[seen.length];
      if (!sameEntry(record, wanted))
        throw out(name, ['与清单不符（校验后被改动？）', 'differs from the manifest (changed since it was checked?)']);
    }
    seen.push(record);
  }

  if (!header) throw new BackupError('incomplete', '备份文件是空的。', 'The archive is empty.');
  if (!manifest) {
    throw new BackupError(
      'incomplete',
      `备份文件不完整：在 ${seen.at(-1)?.name ?? HEADER_ENTRY} 之后就结束了，没有清单 ${MANIFEST_ENTRY}（备份被中断或文件被截断）。`,
      `The archive is incomplete: it ends after ${seen.at(-1)?.name ?? HEADER_ENTRY} without its ${MANIFEST_ENTRY} (an interrupted backup or a truncated file).`,
    );
  }
  if (!settings) throw damaged(part.entry(SETTINGS_ENTRY), ['缺失', 'missing']);
  if (manifest.entries.length !== seen.length) {
    throw damaged(part.manifest, `lists ${manifest.entries.length} entries, the archive has ${seen.length}`);
  }
  for (const [i, entry] of seen.entries()) {
    if (!sameEntry(entry, manifest.entries[i])) {
      const listed = manifest.entries[i]!;
      const what = entry.name === listed.name ? entry.name : `${entry.name} / ${listed.name}`;
      throw damaged(part.entry(what), ['SHA-256 或大小与清单不符', 'its SHA-256 or size does not match the manifest']);
    }
  }
  const listedTables = manifest.tables.map((t) => `${t.name}:${t.rows}`).join(',');
  const foundTables = [...tableRows].map(([t, rows]) => `${t}:${rows}`).join(',');
  if (listedTables !== foundTables)
    throw damaged(part.manifest, ['表或行数与条目不符', 'its tables or row counts do not match the entries']);
  if (manifest.files.count !== files || manifest.files.bytes !== fileBytes) {
    throw damaged(part.manifest, ['文件数或大小与条目不符', 'its file count or size does not match the entries']);
  }
  return { header, manifest, settings, encrypted, tableRows };
}

/** Counts a table entry's rows (lines), handing them to `onRows` in batches when loading. */
async function readTable(table: string, content: AsyncIterable<Buffer>, hooks: WalkHooks): Promise<number> {
  let rows = 0;
  let partial: Buffer[] = [];
  let batch: string[] = [];
  let batchBytes = 0;
  for await (const chunk of content) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      rows++;
      if (hooks.onRows) {
        const line = Buffer.concat([...partial, chunk.subarray(start, nl)]).toString('utf8');
        batch.push(line);
        batchBytes += line.length;
        if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) {
          await hooks.onRows(table, batch);
          batch = [];
          batchBytes = 0;
        }
      }
      partial = [];
      start = nl + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
  }
  if (partial.length > 0) throw damaged(part.entry(tableEntry(table)), ['最后一行不完整', 'its last row is cut off']);
  if (batch.length > 0) await hooks.onRows!(table, batch);
  return rows;
}

/**
 * Reads a whole archive and checks it (the first pass of a restore; changes nothing). Throws a
 * BackupError naming what is wrong: damage, truncation, a wrong passphrase, an unknown format.
 */
export async function checkArchive(open: OpenArchive, options: ReadOptions = {}): Promise<CheckedArchive> {
  let done = 0;
  const total = options.archiveBytes ?? 0;
  const { tableRows: _, ...checked } = await walkArchive(open, options.decryption, {
    onSourceBytes: options.onProgress
      ? (n) => {
          done += n;
          options.onProgress!({ phase: 'check', done, total });
        }
      : undefined,
  });
  return checked;
}

/** The archive's header, read from its first entry (an encrypted archive needs its key). */
export async function readArchiveHeader(
  open: OpenArchive,
  options: { decryption?: Decryption } = {},
): Promise<Header & { encrypted: boolean }> {
  const source = await open();
  const { tar, encrypted } = await openArchiveLayers(source, options.decryption);
  try {
    for await (const entry of tarEntries(tar)) {
      if (entry.name !== HEADER_ENTRY) break;
      return { ...parseHeader(await readSmallEntry(entry)), encrypted };
    }
  } finally {
    source.destroy();
  }
  throw new BackupError('not-an-archive', '这不是 Zizhi 备份文件。', 'This is not a Zizhi backup archive.');
}

// ── Schema compatibility

/**
 * Refuses an archive this release cannot load: one from a newer release (more migrations, or a
 * last one this release does not have), or one whose migrations differ from this release's.
 */
export function checkArchiveSchema(header: Header): void {
  const release = readMigrations();
  const { applied, lastTag, migrations } = header.schema;
  const known = lastTag === null || release.some((m) => m.tag === lastTag);
  if (applied > release.length || !known) {
    throw new BackupError(
      'schema-newer',
      `备份来自更新的 Zizhi 版本（${header.zizhiVersion}，数据库结构 ${lastTag ?? '—'}，${applied} 个迁移；当前版本只有 ${release.length} 个）。请先升级 Zizhi，再恢复这个备份。`,
      `The archive comes from a newer Zizhi release (${header.zizhiVersion}, schema ${lastTag ?? '—'}, ${applied} migrations; this release has ${release.length}). Upgrade Zizhi, then restore it.`,
    );
  }
  const differs = release.slice(0, applied).findIndex((m, i) => !isRecordedAs(m, migrations[i]));
  if (migrations.length !== applied || differs !== -1 || (applied > 0 && release[applied - 1]!.tag !== lastTag)) {
    const which = differs === -1 ? lastTag : release[differs]!.tag;
    throw new BackupError(
      'schema-mismatch',
      `备份的数据库迁移与当前 Zizhi 版本不一致（${which}），无法安全恢复。请用创建该备份的 Zizhi 版本恢复。`,
      `The archive's database migrations differ from this release's (${which}); it cannot be restored safely. Restore it with the Zizhi release that made it.`,
    );
  }
}

// ── The target

/** True when the target holds no account and no workspace (an unmigrated database counts). */
async function isEmptyTarget(db: Queryable): Promise<boolean> {
  const [tables] = await queryRows<{ users: string | null; workspaces: string | null }>(
    db,
    sql`select to_regclass('public.users')::text as users, to_regclass('public.workspaces')::text as workspaces`,
  );
  for (const table of [tables?.users, tables?.workspaces]) {
    if (!table) continue;
    const [row] = await queryRows<{ any: boolean }>(db, sql.raw(`select exists (select 1 from ${table}) as any`));
    if (row?.any) return false;
  }
  return true;
}

const notEmpty = () =>
  new BackupError(
    'target-not-empty',
    '目标数据库不是空的（已有账号或工作空间），恢复已停止，未做任何改动。请恢复到新的空数据库：PostgreSQL 上新建一个数据库并设置 DATABASE_URL，内置数据库则用 ZIZHI_DATA_DIR 指定一个空目录。',
    'The target database is not empty (it has accounts or workspaces); nothing was changed. Restore into a new, empty database: create one on PostgreSQL and point DATABASE_URL at it, or give the embedded database an empty folder with ZIZHI_DATA_DIR.',
  );

// ── The channel key

/** What happened to the archive's channel key. */
export type SecretKeyOutcome =
  /** The archive holds none (no key was configured where it was made). */
  | 'none'
  /** The target already uses the same key. */
  | 'matches'
  /** Written to `<dataDir>/secret.key` (embedded target without ZIZHI_SECRET_KEY). */
  | 'installed'
  /** Written to the file named by `secretKeyFile`; ZIZHI_SECRET_KEY must be set to it. */
  | 'saved'
  /** Not needed: the target uses another key, but the archive has no channel sealed with it. */
  | 'unused'
  /** Left alone on request (the restore drill). */
  | 'skipped';

interface KeyPlan {
  outcome: SecretKeyOutcome;
  apply(): Promise<void>;
}

async function readKeyFile(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Decides, before anything changes, where the archive's channel key goes. Embedded without
 * ZIZHI_SECRET_KEY: the key file in the data folder, as the server would have generated it.
 * Otherwise the key lives in the environment, which a restore cannot set: it is written to a file
 * the operator names (`--secret-key-file`), never printed; without one, a restore of an archive
 * with channels is refused up front rather than leaving channels nobody can read.
 */
async function planSecretKey(
  archived: string | null,
  target: { kind: Database['kind']; config: Pick<Config, 'secretKey' | 'dataDir'> },
  channels: number,
  options: { secretKey?: 'install' | 'skip'; secretKeyFile?: string },
): Promise<KeyPlan> {
  const nothing = async () => {};
  if (options.secretKey === 'skip') return { outcome: 'skipped', apply: nothing };
  if (archived === null) return { outcome: 'none', apply: nothing };
  const configured = target.config.secretKey?.reveal();
  if (configured === archived) return { outcome: 'matches', apply: nothing };
  if (configured === undefined && target.kind === 'pglite') {
    const file = path.join(target.config.dataDir, 'secret.key');
    if ((await readKeyFile(file)) === archived) return { outcome: 'matches', apply: nothing };
    return {
      outcome: 'installed',
      apply: async () => {
        // The target had no workspace, so no channel was sealed with a key it may have had.
        await mkdir(target.config.dataDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, `${archived}\n`, { mode: 0o600, flag: 'w' });
        await rename(tmp, file);
      },
    };
  }
  if (options.secretKeyFile) {
    const file = path.resolve(options.secretKeyFile);
    if ((await readKeyFile(file)) !== null) {
      throw new BackupError(
        'secret-key',
        `密钥文件 ${file} 已存在，为免覆盖已停止（未做任何改动）。请指定一个新文件。`,
        `The key file ${file} exists already; nothing was changed. Name a new file.`,
      );
    }
    return {
      outcome: 'saved',
      apply: () => writeFile(file, `${archived}\n`, { mode: 0o600, flag: 'wx' }),
    };
  }
  if (channels === 0) return { outcome: 'unused', apply: nothing };
  throw new BackupError(
    'secret-key',
    '备份中的通知渠道用另一个密钥加密，而这里的 ZIZHI_SECRET_KEY 未设置或与之不同。为免恢复后渠道无法解密，恢复已停止（未做任何改动）。' +
      '请加 --secret-key-file 文件名 重新执行，恢复会把密钥写入该文件（权限 0600），再把 ZIZHI_SECRET_KEY 设为文件内容。',
    'The archive’s notification channels are sealed with a key that ZIZHI_SECRET_KEY here does not hold (unset or different); ' +
      'nothing was changed. Run the restore again with --secret-key-file FILE: the key is written to that file (mode 0600); then set ZIZHI_SECRET_KEY to its content.',
  );
}

// ── Loading

/** Per table of the archive: how its rows are inserted, and which columns wait for a second pass. */
interface TableLoad {
  info: TableInfo;
  /** The INSERT up to its one parameter, the batch of rows as a JSON array. */
  insertPrefix: string;
  /** Columns referencing a table not loaded yet (itself, or a cycle): null at first, set after. */
  deferred: string[];
  /** The temporary table that keeps the deferred columns' values until every table is loaded. */
  stage: string | null;
}

function planLoads(
  archiveOrder: string[],
  tables: TableInfo[],
  foreignKeys: Awaited<ReturnType<typeof listForeignKeys>>,
) {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const extra = tables.filter((t) => !archiveOrder.includes(t.name)).map((t) => t.name);
  const missing = archiveOrder.filter((t) => !byName.has(t));
  if (extra.length > 0 || missing.length > 0) {
    const which = `missing: ${missing.join(', ') || '—'}; extra: ${extra.join(', ') || '—'}`;
    throw new BackupError(
      'schema-mismatch',
      `目标数据库的表与备份在同一结构版本下不一致（${which}），恢复已撤销。请恢复到一个新建的空数据库。`,
      `The target's tables differ from the archive's at the same schema (${which}); the restore was rolled back. Restore into a new, empty database.`,
    );
  }
  const position = new Map(archiveOrder.map((t, i) => [t, i]));
  return archiveOrder.map((name, i): TableLoad => {
    const info = byName.get(name)!;
    const deferred = [
      ...new Set(
        foreignKeys.filter((fk) => fk.table === name && position.get(fk.references)! >= i).flatMap((fk) => fk.columns),
      ),
    ];
    if (deferred.length > 0 && info.primaryKey.length === 0) {
      throw new Error(`${name} references a table loaded after it but has no primary key to fix the rows by`);
    }
    const cols = info.columns.map(ident).join(', ');
    const select = info.columns.map((c) => (deferred.includes(c) ? 'null' : ident(c))).join(', ');
    return {
      info,
      deferred,
      stage: deferred.length > 0 ? `zizhi_restore_fix_${i}` : null,
      insertPrefix:
        `insert into public.${ident(name)} (${cols}) ${info.hasIdentity ? 'overriding system value ' : ''}` +
        `select ${select} from json_populate_recordset(null::public.${ident(name)}, `,
    };
  });
}

/** Sets every sequence owned by a column of `public` past the largest value loaded. */
async function resetSequences(tx: Queryable): Promise<void> {
  const owned = await queryRows<{ seq: string; table: string; column: string }>(
    tx,
    sql`
    select s.seq, c.relname as "table", a.attname as "column"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    cross join lateral (select pg_get_serial_sequence(format('public.%I', c.relname), a.attname) as seq) s
    where n.nspname = 'public' and c.relkind = 'r' and s.seq is not null`,
  );
  for (const { seq, table, column } of owned) {
    await tx.execute(
      sql.raw(
        `select setval('${seq.replace(/'/g, "''")}'::regclass, coalesce((select max(${ident(column)}) from public.${ident(table)}), 0) + 1, false)`,
      ),
    );
  }
}

export interface RestoreOptions extends ReadOptions {
  /** After loading, apply this release's later migrations (default true; the drill keeps the archive's schema). */
  upgrade?: boolean;
  /** Where the channel key goes when the environment must hold it (see planSecretKey). */
  secretKeyFile?: string;
  /** `skip` leaves the key alone (the restore drill). */
  secretKey?: 'install' | 'skip';
}

export interface RestoreSummary {
  archive: { createdAt: string; zizhiVersion: string; database: Header['database']; encrypted: boolean };
  /** The archive's schema, which the data was loaded at. */
  schema: { applied: number; lastTag: string | null };
  /** Migrations applied after loading (an archive of an older release upgrades). */
  upgradedWith: string[];
  tables: { name: string; rows: number }[];
  rows: number;
  files: number;
  fileBytes: number;
  secretKey: SecretKeyOutcome;
  secretKeyFile?: string;
}

/**
 * Restores an archive into an empty database and its blob store. Checks the whole archive first
 * and refuses (changing nothing) when anything is wrong; then migrates the target to the
 * archive's schema, loads every table in one transaction in foreign-key order, stores every file
 * (hash verified), compares row counts, puts the channel key where it belongs and applies the
 * migrations this release has beyond the archive's.
 */
export async function restoreArchive(
  database: Database,
  blobs: BlobStore,
  config: Pick<Config, 'secretKey' | 'dataDir'>,
  open: OpenArchive,
  options: RestoreOptions = {},
): Promise<RestoreSummary> {
  return (await restoreChecked(database, blobs, config, open, options)).summary;
}

async function restoreChecked(
  database: Database,
  blobs: BlobStore,
  config: Pick<Config, 'secretKey' | 'dataDir'>,
  open: OpenArchive,
  options: RestoreOptions,
): Promise<{ summary: RestoreSummary; checked: CheckedArchive }> {
  if (!(await isEmptyTarget(database.db))) throw notEmpty();
  const checked = await checkArchive(open, options);
  const { header, manifest, settings } = checked;
  checkArchiveSchema(header);
  const target = await schemaVersion(database.db);
  if (target.applied > header.schema.applied) {
    throw new BackupError(
      'target-ahead',
      `目标数据库已迁移到比备份新的结构（${target.lastTag}，备份为 ${header.schema.lastTag ?? '—'}），无法在其上加载旧结构的数据；未做任何改动。请恢复到一个未迁移的新数据库（PostgreSQL：新建数据库；内置数据库：空的数据目录），恢复完成后会自动升级。`,
      `The target database is migrated past the archive's schema (${target.lastTag}; the archive has ${header.schema.lastTag ?? '—'}), so the archive's data cannot be loaded into it; nothing was changed. Restore into a new, unmigrated database (PostgreSQL: create one; embedded: an empty data folder); the restore upgrades it afterwards.`,
    );
  }
  const channels = manifest.tables.find((t) => t.name === 'channels')?.rows ?? 0;
  const keyPlan = await planSecretKey(settings.secretKey, { kind: database.kind, config }, channels, options);

  if (header.schema.lastTag !== null) await migrateDatabase(database, { upTo: header.schema.lastTag });
  const order = manifest.tables.map((t) => t.name);
  const totalRows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  let rowsDone = 0;
  let bytesDone = 0;
  await database.db.transaction(async (tx) => {
    // Emptiness again, inside the transaction that loads: another process may have set up
    // the target since the check.
    if (!(await isEmptyTarget(tx))) throw notEmpty();
    await setCanonicalOutput(tx);
    // The archive's workspace counters come back as they were: the write triggers stand aside.
    await tx.execute(sql`select set_config('app.restoring', 'on', true)`);
    const loads = planLoads(order, await listTables(tx), await listForeignKeys(tx));
    const byName = new Map(loads.map((l) => [l.info.name, l]));
    // Only system rows can be there (calendar years, log-in failures…): the archive's replace them.
    if (loads.length > 0)
      await tx.execute(sql.raw(`truncate table ${loads.map((l) => `public.${ident(l.info.name)}`).join(', ')}`));
    for (const load of loads.filter((l) => l.stage)) {
      const keep = [...load.info.primaryKey.map((k) => k.column), ...load.deferred].map(ident).join(', ');
      await tx.execute(
        sql.raw(
          `create temp table ${load.stage} on commit drop as select ${keep} from public.${ident(load.info.name)} with no data`,
        ),
      );
    }
    options.onProgress?.({ phase: 'tables', done: 0, total: totalRows });
    await walkArchive(open, options.decryption, {
      expected: manifest,
      onRows: async (table, lines) => {
        const load = byName.get(table)!;
        const json = `[${lines.join(',')}]`;
        await tx.execute(sql`${sql.raw(load.insertPrefix)}${json}${sql.raw('::json)')}`);
        if (load.stage) {
          const keep = [...load.info.primaryKey.map((k) => k.column), ...load.deferred].map(ident).join(', ');
          const anySet = load.deferred.map((c) => `${ident(c)} is not null`).join(' or ');
          await tx.execute(
            sql`${sql.raw(`insert into ${load.stage} select ${keep} from json_populate_recordset(null::public.${ident(table)}, `)}${json}${sql.raw(`::json) where ${anySet}`)}`,
          );
        }
        rowsDone += lines.length;
        options.onProgress?.({ phase: 'tables', done: rowsDone, total: totalRows });
      },
      onFile: async (sha256, _size, content) => {
        const counter = counting((n) => {
          bytesDone += n;
          options.onProgress?.({ phase: 'files', done: bytesDone, total: manifest.files.bytes });
        });
        // pipe() does not pass errors on: without this a damaged entry would leave put() waiting.
        content.on('error', (err) => counter.destroy(err));
        let stored;
        try {
          stored = await blobs.put(content.pipe(counter));
        } finally {
          content.destroy();
        }
        if (stored.sha256 !== sha256)
          throw damaged(part.entry(fileEntry(sha256)), [
            '内容与其 SHA-256 名称不符',
            'its content does not match its name',
          ]);
      },
    });
    for (const load of loads.filter((l) => l.stage)) {
      const on = load.info.primaryKey.map((k) => `t.${ident(k.column)} = f.${ident(k.column)}`).join(' and ');
      const set = load.deferred.map((c) => `${ident(c)} = f.${ident(c)}`).join(', ');
      await tx.execute(sql.raw(`update public.${ident(load.info.name)} t set ${set} from ${load.stage} f where ${on}`));
    }
    await resetSequences(tx);
    for (const { name, rows } of manifest.tables) {
      const [count] = await queryRows<{ n: string }>(
        tx,
        sql.raw(`select count(*)::text as n from public.${ident(name)}`),
      );
      if (Number(count!.n) !== rows) throw new Error(`${name}: ${count!.n} rows loaded, the archive has ${rows}`);
    }
  });
  await keyPlan.apply();
  const upgradedWith = options.upgrade === false ? [] : await migrateDatabase(database);
  return {
    checked,
    summary: {
      archive: {
        createdAt: header.createdAt,
        zizhiVersion: header.zizhiVersion,
        database: header.database,
        encrypted: checked.encrypted,
      },
      schema: { applied: header.schema.applied, lastTag: header.schema.lastTag },
      upgradedWith,
      tables: manifest.tables,
      rows: totalRows,
      files: manifest.files.count,
      fileBytes: manifest.files.bytes,
      secretKey: keyPlan.outcome,
      ...(keyPlan.outcome === 'saved' ? { secretKeyFile: path.resolve(options.secretKeyFile!) } : {}),
    },
  };
}

// ── Canonical hashes and the restore drill

/**
 * SHA-256 and row count of every table of `public` as canonical text: its archive entry's bytes,
 * one row_to_json(t)::text line per row in primary key order, in UTC. Two databases with the same
 * rows give the same hashes, whichever server they are on.
 */
export async function tableHashes(database: Database): Promise<Map<string, { rows: number; sha256: string }>> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    await setCanonicalOutput(tx);
    const result = new Map<string, { rows: number; sha256: string }>();
    for (const table of await listTables(tx)) {
      const hash = createHash('sha256');
      let rows = 0;
      await dumpTable(tx, table, (lines) => {
        for (const line of lines) hash.update(`${line}\n`);
        rows += lines.length;
      });
      result.set(table.name, { rows, sha256: hash.digest('hex') });
    }
    return result;
  });
}

export interface VerifyResult {
  ok: boolean;
  /** What is wrong, one sentence each (Chinese, then English); empty when ok. */
  problems: string[];
  header: Header | null;
  encrypted: boolean;
  tables: { name: string; rows: number; ok: boolean }[];
  rows: number;
  files: number;
  fileBytes: number;
}

export interface VerifyOptions extends ReadOptions {
  /** Where the scratch database and files go (default: the system's temp folder). */
  tempDir?: string;
  /**
   * A private folder (e.g. `<data dir>/tmp`) to keep a blank scratch database in: later drills
   * start from it instead of PGlite's initdb, which halves their peak memory (scratch.ts).
   */
  templateDir?: string;
}

/**
 * The restore drill: restores the archive into a scratch embedded database and blob folder,
 * then compares every table's canonical hash with the archive's entry. `ok` only when the archive
 * restores and every table comes back identical. A damaged or unreadable archive is a failed
 * drill (`ok: false` with the reason), not an exception; other errors (a full temp disk) throw.
 *
 * The scratch database is on disk in a temporary folder rather than in memory, so the drill of a
 * large archive does not hold a second copy of the data in RAM. Creating it costs PGlite's initdb
 * (seconds, ~800 MB at peak) unless `templateDir` keeps a blank one from an earlier drill.
 */
export async function verifyArchive(open: OpenArchive, options: VerifyOptions = {}): Promise<VerifyResult> {
  const dir = await mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'zizhi-verify-'));
  const result: VerifyResult = {
    ok: false,
    problems: [],
    header: null,
    encrypted: false,
    tables: [],
    rows: 0,
    files: 0,
    fileBytes: 0,
  };
  let database: Database | null = null;
  try {
    database = await openScratchDatabase(path.join(dir, 'db'), options.templateDir);
    const blobs = new LocalBlobStore(path.join(dir, 'files'));
    let restored;
    try {
      restored = await restoreChecked(database, blobs, { dataDir: dir }, open, {
        ...options,
        upgrade: false,
        secretKey: 'skip',
      });
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      result.problems.push(err.message);
      return result;
    }
    const { header, manifest, encrypted } = restored.checked;
    Object.assign(result, {
      header,
      encrypted,
      rows: restored.summary.rows,
      files: restored.summary.files,
      fileBytes: restored.summary.fileBytes,
    });
    const actual = await tableHashes(database);
    for (const { name, rows } of manifest.tables) {
      const entry = manifest.entries.find((e) => e.name === tableEntry(name));
      const got = actual.get(name);
      const ok = got !== undefined && got.rows === rows && got.sha256 === entry?.sha256;
      result.tables.push({ name, rows, ok });
      if (!ok) {
        result.problems.push(
          `表 ${name} 恢复后与备份不一致（备份 ${rows} 行，恢复后 ${got?.rows ?? 0} 行）。\n` +
            `Table ${name} differs after the restore (${rows} rows archived, ${got?.rows ?? 0} restored).`,
        );
      }
      actual.delete(name);
    }
    for (const name of actual.keys()) {
      result.problems.push(`表 ${name} 不在备份中。\nTable ${name} is not in the archive.`);
    }
    result.ok = result.problems.length === 0;
    return result;
  } finally {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
