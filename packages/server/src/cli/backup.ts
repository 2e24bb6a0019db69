// `zizhi backup`, `zizhi backup verify`, `zizhi backup list` and `zizhi restore`: the archive
// format and its checks live in modules/backup; this is the command line around them.
// Exit codes: 0 done (a verify that passed); 1 refused or failed, with the reason; 2 bad usage.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import {
  BackupError,
  isEncryptedArchive,
  parseIdentityFile,
  type Decryption,
  type Encryption,
} from '../modules/backup/archive.js';
import { writeBackup, type BackupProgress, type BackupSummary } from '../modules/backup/backup.js';
import {
  restoreArchive,
  verifyArchive,
  type OpenArchive,
  type RestoreProgress,
  type RestoreSummary,
  type VerifyResult,
} from '../modules/backup/restore.js';
import { parseBackupTarget } from '../config/backup.js';
import { archiveName, DirTarget, S3Target, type BackupTarget } from '../modules/backup/targets.js';
import { createBlobStore, type BlobStore } from '../storage/index.js';
import { configureCliCommand, processWriter, type CliWriter } from './calendar.js';
import { EXIT } from './run.js';
import { DataDirInUseError } from '../db/errors.js';

export interface BackupCommandDeps {
  config: () => Config;
  /** Opens the configured database (tests pass their own); the command closes it. */
  openDatabase?: (config: Config) => Promise<Database>;
  write?: CliWriter;
  /** Where progress bars draw (stderr by default); null draws none. */
  progressStream?: NodeJS.WriteStream | null;
  /** Asks for a passphrase without echoing it (tests answer directly). */
  askPassphrase?: (prompt: string) => Promise<string>;
}

// ── Targets and sources

/** The S3 server that archives live on: the backup targets' connection, else the files bucket's. */
function s3Connection(config: Config): NonNullable<Config['backupS3']> {
  if (config.backupS3) return config.backupS3;
  if (config.s3) {
    const { bucket: _bucket, prefix: _prefix, ...connection } = config.s3;
    return connection;
  }
  throw new BackupError(
    'unreadable',
    '未配置 S3 访问密钥：请设置 ZIZHI_S3_ACCESS_KEY_ID 和 ZIZHI_S3_SECRET_ACCESS_KEY（非 AWS 时还有 ZIZHI_S3_ENDPOINT），并在 ZIZHI_BACKUP_TARGETS 中列出该 s3:// 目标。',
    'No S3 keys are configured: set ZIZHI_S3_ACCESS_KEY_ID and ZIZHI_S3_SECRET_ACCESS_KEY (and ZIZHI_S3_ENDPOINT for a server other than AWS S3), and list the s3:// target in ZIZHI_BACKUP_TARGETS.',
  );
}

/** A folder path or s3://bucket/prefix as a target. */
export function resolveTarget(config: Config, value: string): BackupTarget {
  const spec = parseBackupTarget(value);
  if ('problem' in spec)
    throw new BackupError('unreadable', `备份目标无效：${spec.problem}`, `Invalid target: ${spec.problem}`);
  return spec.kind === 'dir' ? new DirTarget(spec.path) : new S3Target(spec, s3Connection(config));
}

/** An archive named by a path or an s3://bucket/prefix/name URL: how to open it, and its size. */
export async function resolveArchive(config: Config, value: string): Promise<{ open: OpenArchive; bytes?: number }> {
  if (/^s3:\/\//i.test(value)) {
    const slash = value.lastIndexOf('/');
    const name = value.slice(slash + 1);
    const target = resolveTarget(config, value.slice(0, slash + 1));
    const listed = (await target.list()).find((a) => a.name === name);
    if (!listed) {
      throw new BackupError(
        'unreadable',
        `在 ${target.display} 中找不到备份 ${name}（上传未完成的备份不会出现）。`,
        `No archive ${name} in ${target.display} (an upload that did not complete is not there).`,
      );
    }
    return { open: () => target.open(name), bytes: listed.bytes };
  }
  const file = path.resolve(value);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    throw new BackupError('unreadable', `找不到备份文件 ${file}。`, `The archive ${file} does not exist.`);
  }
  if (file.endsWith('.partial')) {
    throw new BackupError(
      'incomplete',
      `${file} 是未完成的备份（.partial：备份进程中途停止），不能恢复。`,
      `${file} is an unfinished backup (.partial: the backup stopped part way); it cannot be restored.`,
    );
  }
  return { open: () => createReadStream(file), bytes: info.size };
}

/**
 * Writes a backup into a target under its archive name. The target makes the name appear only
 * once every byte is stored (a folder writes `<name>.partial`, fsyncs and renames it; S3 completes
 * a multipart upload), so an interrupted backup never leaves an archive that looks whole.
 */
export async function backupToTarget(
  database: Database,
  blobs: BlobStore,
  config: Pick<Config, 'secretKey' | 'dataDir'>,
  target: BackupTarget,
  options: { encryption?: Encryption; onProgress?(p: BackupProgress): void; createdAt?: Date } = {},
): Promise<{ name: string; summary: BackupSummary }> {
  const createdAt = options.createdAt ?? new Date();
  const encrypted = options.encryption !== undefined;
  let name = archiveName(createdAt, { encrypted });
  // Names have second precision: a second backup within the same second gets a suffix.
  if ((await target.list()).some((a) => a.name === name)) {
    name = archiveName(createdAt, { encrypted, suffix: randomBytes(3).toString('hex') });
  }
  const pipe = new PassThrough();
  const saved = target.save(name, pipe).then(
    () => null,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  let summary: BackupSummary;
  try {
    summary = await writeBackup(database, blobs, config, pipe, { ...options, createdAt });
  } catch (err) {
    pipe.destroy(err as Error);
    const saveError = await saved;
    // When the target failed first, its error says why (a full disk); ours would say "closed".
    throw (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && saveError ? saveError : err;
  }
  const saveError = await saved;
  if (saveError) throw saveError;
  return { name, summary };
}

// ── Passphrases and keys

/** Reads a line from the terminal without echoing it. */
async function askHidden(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new BackupError(
      'encrypted',
      '需要口令，但没有终端可以询问：请用 ZIZHI_BACKUP_PASSPHRASE 或 --passphrase 提供。',
      'A passphrase is needed and there is no terminal to ask on: give it with ZIZHI_BACKUP_PASSPHRASE or --passphrase.',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput(s: string): void };
  process.stderr.write(prompt);
  muted._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

const configuredPassphrase = (config: Config) => {
  const enc = config.backup?.encryption;
  return enc && 'passphrase' in enc ? enc.passphrase.reveal() : undefined;
};

async function encryptionFor(
  config: Config,
  opts: { encrypt?: boolean; recipient?: string[] },
  ask: (prompt: string) => Promise<string>,
): Promise<Encryption | undefined> {
  if (opts.recipient?.length) return { recipients: opts.recipient };
  const configured = config.backup?.encryption;
  if (opts.encrypt) {
    const passphrase = configuredPassphrase(config) ?? (await askTwice(ask));
    return { passphrase };
  }
  if (!configured) return undefined;
  // The server's setting applies to every backup, so an archive made here is as protected.
  return 'passphrase' in configured
    ? { passphrase: configured.passphrase.reveal() }
    : { recipients: configured.recipients };
}

async function askTwice(ask: (prompt: string) => Promise<string>): Promise<string> {
  const first = await ask('备份口令 Passphrase (至少 12 个字符 at least 12 characters): ');
  if (first.length < 12) {
    throw new BackupError(
      'encrypted',
      '口令太短：至少 12 个字符。',
      'The passphrase is too short: at least 12 characters.',
    );
  }
  const again = await ask('再输入一次 Again: ');
  if (again !== first) throw new BackupError('encrypted', '两次输入的口令不同。', 'The passphrases differ.');
  return first;
}

async function decryptionFor(config: Config, opts: { passphrase?: string; identity?: string }): Promise<Decryption> {
  const decryption: Decryption = {};
  const passphrase = opts.passphrase ?? configuredPassphrase(config);
  if (passphrase) decryption.passphrase = passphrase;
  if (opts.identity) {
    const text = await readFile(opts.identity, 'utf8').catch((err: Error) => {
      throw new BackupError(
        'unreadable',
        `无法读取私钥文件 ${opts.identity}：${err.message}`,
        `Cannot read the identity file ${opts.identity}: ${err.message}`,
      );
    });
    decryption.identities = parseIdentityFile(text);
  }
  return decryption;
}

/**
 * The keys for an archive, asking for its passphrase on the terminal when it turns out to be
 * encrypted and none was given.
 */
async function keysFor(
  config: Config,
  opts: { passphrase?: string; identity?: string },
  open: OpenArchive,
  ask: (prompt: string) => Promise<string>,
): Promise<Decryption> {
  const decryption = await decryptionFor(config, opts);
  if (decryption.passphrase || decryption.identities?.length || !process.stdin.isTTY) return decryption;
  if (!(await isEncryptedArchive(open))) return decryption;
  return { passphrase: await ask('备份口令 Passphrase: ') };
}

// ── Output

const number = (n: number) => n.toLocaleString('en-US');

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatBackupSummary(where: string, s: BackupSummary): string {
  const enc = s.encrypted ? '，已加密' : '';
  return (
    `备份完成：${where}\n` +
    `  ${s.tables} 张表 ${number(s.rows)} 行，${number(s.files)} 个文件（${formatBytes(s.fileBytes)}）；备份文件 ${formatBytes(s.archiveBytes)}${enc}；数据库结构 ${s.schema.lastTag ?? '—'}\n` +
    `  SHA-256 ${s.sha256}\n` +
    `Backup written: ${where}\n` +
    `  ${s.tables} tables, ${number(s.rows)} rows, ${number(s.files)} files (${formatBytes(s.fileBytes)}); archive ${formatBytes(s.archiveBytes)}${s.encrypted ? ', encrypted' : ''}; schema ${s.schema.lastTag ?? '—'}\n`
  );
}

const KEY_ZH: Record<RestoreSummary['secretKey'], string> = {
  none: '备份中没有通知渠道密钥',
  matches: '与当前配置的密钥一致',
  installed: '已写入数据目录的 secret.key',
  saved: '已写入指定文件：启动服务前请把 ZIZHI_SECRET_KEY 设为该文件的内容',
  unused: '未恢复（备份中没有通知渠道，不需要）',
  skipped: '未处理',
};
const KEY_EN: Record<RestoreSummary['secretKey'], string> = {
  none: 'the archive holds no channel key',
  matches: 'the same as the configured key',
  installed: 'written to secret.key in the data folder',
  saved: 'written to the file given: set ZIZHI_SECRET_KEY to its content before starting the server',
  unused: 'not restored (the archive has no channels that need it)',
  skipped: 'left alone',
};

export function formatRestoreSummary(s: RestoreSummary): string {
  const from = `${s.archive.createdAt}（Zizhi ${s.archive.zizhiVersion}，${s.archive.database === 'pglite' ? '内置数据库' : 'PostgreSQL'}）`;
  const file = s.secretKeyFile ? ` ${s.secretKeyFile}` : '';
  const lines = [
    `恢复完成：${s.tables.length} 张表 ${number(s.rows)} 行，${number(s.files)} 个文件（${formatBytes(s.fileBytes)}），来自 ${from} 的备份。`,
    ...(s.upgradedWith.length > 0 ? [`  已升级数据库结构：${s.upgradedWith.join('、')}`] : []),
    `  通知渠道密钥：${KEY_ZH[s.secretKey]}${file}`,
    `Restored ${s.tables.length} tables, ${number(s.rows)} rows and ${number(s.files)} files (${formatBytes(s.fileBytes)}) from the backup of ${s.archive.createdAt} (Zizhi ${s.archive.zizhiVersion}, ${s.archive.database}).`,
    ...(s.upgradedWith.length > 0 ? [`  Schema upgraded with ${s.upgradedWith.join(', ')}`] : []),
    `  Channel key: ${KEY_EN[s.secretKey]}${file}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function formatVerifyResult(archive: string, r: VerifyResult): string {
  if (r.ok) {
    return (
      `校验通过：${archive} 可以完整恢复（${r.tables.length} 张表 ${number(r.rows)} 行一致，${number(r.files)} 个文件 ${formatBytes(r.fileBytes)} 校验无误${r.encrypted ? '，已加密' : ''}）。\n` +
      `OK: ${archive} restores completely (${r.tables.length} tables, ${number(r.rows)} rows identical; ${number(r.files)} files, ${formatBytes(r.fileBytes)}, verified${r.encrypted ? '; encrypted' : ''}).\n`
    );
  }
  return `校验失败 FAILED: ${archive}\n${r.problems.map((p) => `  ${p.replace(/\n/g, '\n  ')}`).join('\n')}\n`;
}

// ── Progress

const BACKUP_PHASE: Record<BackupProgress['phase'], string> = { tables: '读取数据表', files: '复制文件' };
const RESTORE_PHASE: Record<RestoreProgress['phase'], string> = {
  check: '校验备份',
  tables: '载入数据表',
  files: '恢复文件',
};

/** One bar per phase, rows or bytes; silent off a terminal. */
function progressBar(stream: NodeJS.WriteStream | null, labels: Record<string, string>) {
  if (!stream) return { update: (_p: { phase: string; done: number; total: number }) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: '{phase} [{bar}] {percentage}% | {detail}', hideCursor: true, clearOnComplete: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  return {
    update(p: { phase: string; done: number; total: number }) {
      const bytes = p.phase !== 'tables';
      const detail = bytes
        ? `${formatBytes(p.done)}${p.total > 0 ? ` / ${formatBytes(p.total)}` : ''}`
        : `${number(p.done)} / ${number(p.total)} 行 rows`;
      const total = Math.max(p.total, p.done, 1);
      const payload = { phase: labels[p.phase] ?? p.phase, detail };
      if (phase === null) bar.start(total, p.done, payload);
      else if (p.phase !== phase || total !== bar.getTotal()) bar.setTotal(total);
      phase = p.phase;
      bar.update(p.done, payload);
    },
    stop: () => phase !== null && bar.stop(),
  };
}

// ── Commands

interface BackupOptions {
  to?: string;
  encrypt?: boolean;
  recipient?: string[];
  json?: boolean;
}

interface ReadArchiveOptions {
  passphrase?: string;
  identity?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Turns a refusal into its message and exit code 1; anything else propagates. */
async function reporting(w: CliWriter, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    w.err(`${err.message}\n`);
    process.exitCode = EXIT.failure;
  }
}

async function openForBackup(deps: BackupCommandDeps, config: Config): Promise<Database> {
  // Opening a folder without a database would create an empty one and back that up.
  if (!config.databaseUrl && !(await stat(config.pgliteDir).catch(() => null))?.isDirectory()) {
    throw new BackupError(
      'unreadable',
      `${config.dataDir} 中没有 Zizhi 数据库：请用 ZIZHI_DATA_DIR（或 --data-dir）指定安装的数据目录，或用 DATABASE_URL 指定 PostgreSQL 数据库。`,
      `There is no Zizhi database in ${config.dataDir}: point ZIZHI_DATA_DIR (or --data-dir) at the installation's data folder, or DATABASE_URL at its PostgreSQL database.`,
    );
  }
  try {
    return await (deps.openDatabase ?? openDatabase)(config);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    throw new BackupError(
      'in-use',
      `数据目录 ${config.dataDir} 正被运行中的 Zizhi 服务使用，命令行无法同时打开它。请在管理页面使用“立即备份”（或等待定时备份），或先停止服务再执行 zizhi backup。`,
      `The data folder ${config.dataDir} is in use by a running Zizhi server, so the command line cannot open it. Use "Back up now" on the admin page (or the scheduled backup), or stop the server first and run zizhi backup again.`,
    );
  }
}

/** Adds `backup` (with `verify` and `list`) and `restore`. */
export function registerBackupCommands(program: Command, deps: BackupCommandDeps): void {
  const w = deps.write ?? processWriter;
  const ask = deps.askPassphrase ?? askHidden;
  const stream = () => (deps.progressStream === undefined ? process.stderr : deps.progressStream);

  const backup = configureCliCommand(
    program
      .command('backup')
      .description('back up the database, stored files and channel key into one archive (verify and list: see below)'),
    w,
  );
  backup
    .option('--to <target>', 'a folder or s3://bucket/prefix (default: the first of ZIZHI_BACKUP_TARGETS)')
    .option('--encrypt', 'encrypt with a passphrase (ZIZHI_BACKUP_PASSPHRASE, or asked)')
    .option('--recipient <age1…>', 'encrypt to this age public key (repeat for several)', collect)
    .option('--json', 'print the result as JSON')
    .action((opts: BackupOptions) =>
      reporting(w, async () => {
        const config = deps.config();
        const spec = opts.to ?? config.backup?.targets[0]?.display;
        if (!spec) {
          throw new BackupError(
            'unreadable',
            '没有备份目标：请用 --to 指定文件夹或 s3://bucket/prefix，或设置 ZIZHI_BACKUP_TARGETS。',
            'No backup target: give a folder or s3://bucket/prefix with --to, or set ZIZHI_BACKUP_TARGETS.',
          );
        }
        const target = resolveTarget(config, spec);
        const encryption = await encryptionFor(config, opts, ask);
        const database = await openForBackup(deps, config);
        const bar = progressBar(stream(), BACKUP_PHASE);
        let result;
        try {
          result = await backupToTarget(database, createBlobStore(config), config, target, {
            ...(encryption ? { encryption } : {}),
            onProgress: (p) => bar.update(p),
          });
        } finally {
          bar.stop();
          await database.close();
        }
        const where =
          target.kind === 'dir' ? path.join(target.display, result.name) : `${target.display}${result.name}`;
        w.out(
          opts.json
            ? `${JSON.stringify({ archive: where, ...result.summary }, null, 2)}\n`
            : formatBackupSummary(where, result.summary),
        );
      }),
    );

  backup
    .command('verify')
    .description(
      'the restore drill: restore the archive into a scratch database and compare every table; exit 1 if anything differs',
    )
    .argument('<archive>', 'an archive file, or s3://bucket/prefix/zizhi-backup-….tar.gz[.age]')
    .option('--passphrase <passphrase>', 'its passphrase (or ZIZHI_BACKUP_PASSPHRASE, or asked)')
    .option('--identity <file>', 'an age identity file (AGE-SECRET-KEY-1…) for an archive encrypted to recipients')
    .option('--json', 'print the result as JSON')
    // `--json` is also the parent's option, which commander hands to the parent: read both.
    .action((archive: string, _opts: ReadArchiveOptions, command: Command) =>
      reporting(w, async () => {
        const opts = command.optsWithGlobals<ReadArchiveOptions>();
        const config = deps.config();
        const { open, bytes } = await resolveArchive(config, archive);
        const bar = progressBar(stream(), RESTORE_PHASE);
        let result: VerifyResult;
        try {
          const decryption = await keysFor(config, opts, open, ask);
          // The data folder keeps the drill's blank scratch database when there is one (scratch.ts).
          const dataDir = await stat(config.dataDir).catch(() => null);
          result = await verifyArchive(open, {
            decryption,
            archiveBytes: bytes,
            onProgress: (p) => bar.update(p),
            ...(dataDir?.isDirectory() ? { templateDir: path.join(config.dataDir, 'tmp') } : {}),
          });
        } finally {
          bar.stop();
        }
        w.out(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerifyResult(archive, result));
        if (!result.ok) process.exitCode = EXIT.failure;
      }),
    );

  backup
    .command('list')
    .description('list the archives in a target, newest first (unfinished ones are left out)')
    .argument('[target]', 'a folder or s3://bucket/prefix (default: the first of ZIZHI_BACKUP_TARGETS)')
    .option('--json', 'print the list as JSON')
    .action((where: string | undefined, _opts: { json?: boolean }, command: Command) =>
      reporting(w, async () => {
        const opts = command.optsWithGlobals<{ json?: boolean }>();
        const config = deps.config();
        const spec = where ?? config.backup?.targets[0]?.display;
        if (!spec) {
          throw new BackupError(
            'unreadable',
            '没有备份目标：请指定文件夹或 s3://bucket/prefix。',
            'No target: give a folder or s3://bucket/prefix.',
          );
        }
        const archives = await resolveTarget(config, spec).list();
        if (opts.json) {
          w.out(`${JSON.stringify(archives, null, 2)}\n`);
          return;
        }
        if (archives.length === 0) w.out(`${spec} 中没有备份。\nNo archives in ${spec}.\n`);
        for (const a of archives) w.out(`${a.name}  ${formatBytes(a.bytes)}\n`);
      }),
    );

  configureCliCommand(
    program
      .command('restore')
      .description(
        'restore an archive into the configured database (DATABASE_URL or the data folder), which must be empty',
      ),
    w,
  )
    .argument('<archive>', 'an archive file, or s3://bucket/prefix/zizhi-backup-….tar.gz[.age]')
    .option('--passphrase <passphrase>', 'its passphrase (or ZIZHI_BACKUP_PASSPHRASE, or asked)')
    .option('--identity <file>', 'an age identity file (AGE-SECRET-KEY-1…) for an archive encrypted to recipients')
    .option(
      '--secret-key-file <file>',
      'where to write the channel key when ZIZHI_SECRET_KEY must hold it (PostgreSQL, or a different key set); a new file, mode 0600',
    )
    .option('--json', 'print the result as JSON')
    .action((archive: string, opts: ReadArchiveOptions & { secretKeyFile?: string }) =>
      reporting(w, async () => {
        const config = deps.config();
        const { open, bytes } = await resolveArchive(config, archive);
        const database = await (deps.openDatabase ?? openDatabase)(config);
        const bar = progressBar(stream(), RESTORE_PHASE);
        let summary: RestoreSummary;
        try {
          summary = await restoreArchive(database, createBlobStore(config), config, open, {
            decryption: await keysFor(config, opts, open, ask),
            archiveBytes: bytes,
            onProgress: (p) => bar.update(p),
            ...(opts.secretKeyFile ? { secretKeyFile: opts.secretKeyFile } : {}),
          });
        } finally {
          bar.stop();
          await database.close();
        }
        w.out(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRestoreSummary(summary));
      }),
    );
}
