// `zizhi workspace export` and `zizhi workspace import`: moving one workspace to another
// installation, with the same functions as the web routes (modules/workspace-transfer); and
// `zizhi demo`, a workspace of example data.
// Exit codes: 0 done (or a clean dry run); 1 refused or failed, with the reason; 2 bad usage.
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { sql } from 'drizzle-orm';
import type { Config } from '../config/index.js';
import { queryRows, type Database } from '../db/client.js';
import { AppError, toAppError } from '../errors.js';
import { exportWorkspace, type ExportSummary } from '../modules/workspace-transfer/export.js';
import { importWorkspace, type WorkspaceImportReport } from '../modules/workspace-transfer/import.js';
import type { TransferKind } from '../modules/workspace-transfer/tables.js';
import { createBlobStore, type BlobStore } from '../storage/index.js';
import { formatBytes } from './backup.js';
import { configureCliCommand, processWriter, type CliWriter } from './calendar.js';
import { openDatabaseForImport } from './import.js';
import { EXIT } from './run.js';
import { DataDirInUseError } from '../db/errors.js';
import { makeDemoFromCli } from './demo.js';

export interface WorkspaceCommandDeps {
  config: () => Config;
  /** Opens the configured database, migrated (tests pass their own); the command closes it. */
  openDatabase?: (config: Config) => Promise<Database>;
  /** The blob store (tests pass their own); the configured one otherwise. */
  blobs?: (config: Config) => BlobStore;
  write?: CliWriter;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KIND_ZH: Record<TransferKind, string> = {
  organisations: '企业',
  certificates: '证书',
  events: '事件',
  obligations: '义务',
  evidence: '证据记录',
  files: '文件',
  members: '成员',
  auditEntries: '审计日志',
  channels: '通知渠道',
  other: '其他',
};
const ROLE_ZH: Record<string, string> = {
  owner: '所有者',
  admin: '管理员',
  manager: '资质专员',
  contributor: '协作者',
  viewer: '只读成员',
};

/** Refusals (AppErrors that say what to fix) in both languages, exit 1; anything else propagates. */
async function reporting(w: CliWriter, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const known = err instanceof DataDirInUseError ? null : toAppError(err);
    if (err instanceof DataDirInUseError) {
      w.err(
        `数据目录正被运行中的 Zizhi 服务使用，命令行无法同时打开它：请在网页上导出或导入工作空间，或先停止服务。\n` +
          `The data folder is in use by a running Zizhi server: export or import the workspace in the web app, or stop the server first.\n`,
      );
    } else if (known && known.status < 500) {
      w.err(`${known.message}\n${known.en && known.en !== known.message ? `${known.en}\n` : ''}`);
    } else {
      throw err;
    }
    process.exitCode = EXIT.failure;
  }
}

/** The workspace named by id or by its exact name; several of the same name must be told apart by id. */
async function resolveWorkspace(database: Database, given: string): Promise<{ id: string; name: string }> {
  const rows = UUID.test(given)
    ? await queryRows<{ id: string; name: string }>(
        database.db,
        sql`select id, name from workspaces where id = ${given}`,
      )
    : await queryRows<{ id: string; name: string }>(
        database.db,
        sql`select id, name from workspaces where name = ${given} order by created_at`,
      );
  if (rows.length === 1) return rows[0]!;
  if (rows.length === 0) {
    throw new AppError('NOT_FOUND', {
      zh: `找不到工作空间“${given}”：请给出它的 ID 或完整名称。`,
      en: `No workspace "${given}": give its id or its exact name.`,
    });
  }
  const list = rows.map((r) => r.id).join(', ');
  throw new AppError('INVALID_INPUT', {
    zh: `有 ${rows.length} 个名为“${given}”的工作空间，请用 ID 指定其中一个：${list}`,
    en: `${rows.length} workspaces are named "${given}": give the id of one of them: ${list}`,
  });
}

export function formatExportSummary(file: string, s: ExportSummary): string {
  const enc = s.encrypted ? '，已加密' : '';
  return (
    `已导出工作空间“${s.workspace.name}”：${file}\n` +
    `  ${s.tables.length} 张表 ${s.rows} 行，${s.people} 位人员，${s.files} 个文件（${formatBytes(s.fileBytes)}）；导出文件 ${formatBytes(s.archiveBytes)}${enc}\n` +
    `  SHA-256 ${s.sha256}\n` +
    `  不含密码、登录会话和令牌；通知渠道的地址和密钥需要在导入后重新填写。\n` +
    `Exported workspace "${s.workspace.name}" to ${file}: ${s.rows} rows, ${s.people} people, ${s.files} files${s.encrypted ? ', encrypted' : ''}.\n`
  );
}

export function formatImportReport(r: WorkspaceImportReport): string {
  const out: string[] = [];
  const title = r.imported ? '已导入工作空间' : '试导入（未做任何改动）：工作空间';
  out.push(`${title}“${r.workspace.name}”，导出于 ${r.archive.createdAt}（Zizhi ${r.archive.zizhiVersion}）`);
  out.push(`  ${r.kinds.map((k) => `${KIND_ZH[k.kind]} ${k.rows}`).join('，')}；文件 ${formatBytes(r.files.bytes)}`);
  for (const p of r.people.filter((x) => x.role !== null)) {
    const account = p.account === 'existing' ? '关联已有账号' : '新建账号，需通过“忘记密码”设置密码';
    out.push(
      `  成员 ${p.name} <${p.email}>：${ROLE_ZH[p.role!] ?? p.role}${p.limited ? '（部分企业）' : ''}，${account}`,
    );
  }
  const former = r.people.filter((p) => p.role === null).length;
  if (former > 0) out.push(`  另有 ${former} 位以前的成员只出现在历史记录中（不是成员，没有可用密码）`);
  if (r.conflicts.length > 0) {
    out.push('  冲突：本系统中已有以下数据，不能导入：');
    for (const c of r.conflicts)
      out.push(`    ${KIND_ZH[c.kind]}（${c.table}）${c.rows} 条${c.names.length ? `：${c.names.join('、')}` : ''}`);
  }
  if (r.imported && r.mustSetPassword.length > 0) {
    out.push(`  请通知以下成员用“忘记密码”设置密码：${r.mustSetPassword.join('、')}`);
  }
  out.push(
    r.imported
      ? `Imported workspace "${r.workspace.name}" (${r.people.length} people; ${r.mustSetPassword.length} must set a password).`
      : `Dry run: nothing was changed${r.conflicts.length > 0 ? '; conflicts found, the import would be refused' : ''}.`,
  );
  return `${out.join('\n')}\n`;
}

/** Adds `workspace export` and `workspace import`. */
export function registerWorkspaceCommands(program: Command, deps: WorkspaceCommandDeps): void {
  const w = deps.write ?? processWriter;
  const open = (config: Config) => (deps.openDatabase ?? openDatabaseForImport)(config);
  const blobsOf = (config: Config) => (deps.blobs ?? createBlobStore)(config);
  const workspace = configureCliCommand(
    program.command('workspace').description('move one workspace to another Zizhi instance: export and import'),
    w,
  );
  const passphrase = () =>
    new Option('--passphrase <passphrase>', 'encrypt (export) or decrypt (import) with this passphrase').env(
      'ZIZHI_WORKSPACE_PASSPHRASE',
    );

  configureCliCommand(
    workspace
      .command('export')
      .description(
        'export a workspace (organisations, certificates, evidence with files, members, audit log …) into one archive',
      ),
    w,
  )
    .argument('<workspace>', 'the workspace: its id, or its exact name')
    .requiredOption('--to <file>', 'the archive to write (a new file), or a folder to write it into')
    .addOption(passphrase())
    .option('--json', 'print the result as JSON')
    .action((given: string, opts: { to: string; passphrase?: string; json?: boolean }) =>
      reporting(w, async () => {
        if (opts.passphrase !== undefined && opts.passphrase.length < 12) {
          throw new AppError('INVALID_INPUT', {
            zh: '口令至少 12 个字符。',
            en: 'The passphrase needs at least 12 characters.',
          });
        }
        const config = deps.config();
        const database = await open(config);
        try {
          const ws = await resolveWorkspace(database, given);
          const folder = await stat(opts.to).then(
            (s) => (s.isDirectory() ? opts.to : null),
            () => null,
          );
          if (
            !folder &&
            (await stat(opts.to).then(
              () => true,
              () => false,
            ))
          ) {
            throw new AppError('CONFLICT', {
              zh: `文件 ${path.resolve(opts.to)} 已存在，为免覆盖已停止。请指定一个新文件名。`,
              en: `The file ${path.resolve(opts.to)} exists already; nothing was overwritten. Give a new file name.`,
            });
          }
          const encryption = opts.passphrase ? { passphrase: opts.passphrase } : undefined;
          // The name appears only once every byte is written: an interrupted export leaves a .partial.
          const partial = path.join(folder ?? path.dirname(opts.to), `.zizhi-workspace-${process.pid}.partial`);
          let summary;
          try {
            summary = await exportWorkspace(
              database,
              blobsOf(config),
              createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
              {
                workspaceId: ws.id,
                actorId: null,
                ...(encryption ? { encryption } : {}),
              },
            );
          } catch (err) {
            await rm(partial, { force: true });
            throw err;
          }
          const file = path.resolve(folder ? path.join(folder, summary.fileName) : opts.to);
          if (
            await stat(file).then(
              () => true,
              () => false,
            )
          ) {
            await rm(partial, { force: true });
            throw new AppError('CONFLICT', {
              zh: `文件 ${file} 已存在，为免覆盖已停止。请指定一个新文件名。`,
              en: `The file ${file} exists already; nothing was overwritten. Give a new file name.`,
            });
          }
          await rename(partial, file);
          w.out(
            opts.json
              ? `${JSON.stringify({ archive: file, ...summary }, null, 2)}\n`
              : formatExportSummary(file, summary),
          );
        } finally {
          await database.close();
        }
      }),
    );

  configureCliCommand(
    workspace
      .command('import')
      .description(
        'import a workspace archive into this instance (all or nothing); --dry-run reports without changing anything',
      ),
    w,
  )
    .argument('<file>', 'the archive (.tar.gz, or .tar.gz.age when encrypted)')
    .requiredOption('--owner <email>', 'the account of this instance that imports it and becomes its owner')
    .option('--dry-run', 'check the archive and report what would be imported; change nothing')
    .addOption(passphrase())
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { owner: string; dryRun?: boolean; passphrase?: string; json?: boolean }) =>
      reporting(w, async () => {
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) {
          throw new AppError('INVALID_INPUT', { zh: `找不到文件 ${file}。`, en: `The file ${file} does not exist.` });
        }
        const config = deps.config();
        const database = await open(config);
        try {
          const [owner] = await queryRows<{ id: string }>(
            database.db,
            sql`select id from users where lower(email) = ${opts.owner.trim().toLowerCase()}`,
          );
          if (!owner) {
            throw new AppError('NOT_FOUND', {
              zh: `本系统没有邮箱为 ${opts.owner} 的账户：请用已有账户（例如 zizhi create-admin 创建的管理员）作为 --owner。`,
              en: `No account of this instance has the address ${opts.owner}: give an existing account (such as an administrator made with zizhi create-admin) as --owner.`,
            });
          }
          const report = await importWorkspace(database, blobsOf(config), () => createReadStream(file), {
            importerId: owner.id,
            dryRun: opts.dryRun === true,
            ...(opts.passphrase ? { decryption: { passphrase: opts.passphrase } } : {}),
            archiveBytes: info.size,
          });
          w.out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatImportReport(report));
          if (report.conflicts.length > 0) process.exitCode = EXIT.failure;
        } finally {
          await database.close();
        }
      }),
    );

  configureCliCommand(
    program
      .command('demo')
      .description('make a demo workspace of example data to try everything on (owned by an instance administrator)'),
    w,
  )
    .requiredOption('--owner <email>', 'the instance administrator who owns it (and can remove it in one click)')
    .option('--json', 'print the result as JSON')
    .action((opts: { owner: string; json?: boolean }) =>
      reporting(w, async () => {
        const config = deps.config();
        const database = await open(config);
        try {
          const made = await makeDemoFromCli(database, config, opts.owner);
          w.out(
            opts.json
              ? `${JSON.stringify(made, null, 2)}\n`
              : `已创建演示工作区「${made.workspace.name}」：${made.orgs} 家示例企业。登录网页后在左上角切换到它；用完在页面顶部一键删除。\n` +
                  `Demo workspace “${made.workspace.name}” created with ${made.orgs} example organisations: switch to it in the web app, and remove it there in one click.\n`,
          );
        } finally {
          await database.close();
        }
      }),
    );
}
