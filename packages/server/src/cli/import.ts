// `zizhi import <kind> <file> --org <id>`: the web import from the command line, as the system.
// Exit codes: 0 imported (or a clean dry run); 2 row errors or bad input (nothing saved); 1 failure.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { withSystem } from '../db/tenancy.js';
import { AppError } from '../errors.js';
import { IMPORT_KIND_LABELS, IMPORT_KINDS, type ImportKind } from '../modules/imports/columns.js';
import type { ImportProgress } from '../http/progress.js';
import { importFile, type ImportOutcome } from '../modules/imports/service.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../modules/imports/xlsx.js';
import { configureCliCommand, processWriter, runCliAction, type CliWriter } from './calendar.js';
import { EXIT } from './run.js';
import { migrateDatabase } from '../db/migrate.js';

export interface ImportCommandDeps {
  /** Opens the configured database, migrated; closed when the command ends. */
  openDatabase: () => Promise<Database>;
  write?: CliWriter;
  /** Where the progress bar draws (stderr by default); null draws none. */
  progressStream?: NodeJS.WriteStream | null;
  /** The configured workbook limits (ZIZHI_IMPORT_MAX_CELLS, ZIZHI_IMPORT_MAX_INFLATED_MB). */
  limits?: () => ImportLimits;
}

interface ImportOptions {
  org: string;
  dryRun?: boolean;
  json?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PHASE_ZH: Record<ImportProgress['phase'], string> = {
  upload: '上传',
  read: '读取',
  validate: '核对',
  save: '保存',
  done: '完成',
};

/** The installation's database, migrated like every writing command does. */
export async function openDatabaseForImport(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** A bar over bytes while reading, then over rows while checking and saving; silent off a terminal. */
function progressBar(stream: NodeJS.WriteStream | null) {
  if (!stream) return { update: (_p: ImportProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{phase} [{bar}] {percentage}% | {rows} 行',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase: ImportProgress['phase'] | null = null;
  return {
    update(p: ImportProgress) {
      const total = p.phase === 'read' ? (p.totalBytes ?? 1) : (p.totalRows ?? p.rows);
      const value = p.phase === 'read' ? (p.bytes ?? 0) : p.rows;
      const payload = { phase: PHASE_ZH[p.phase], rows: p.rows };
      if (!started) {
        bar.start(Math.max(total, 1), value, payload);
        started = true;
      } else if (p.phase !== phase) {
        bar.setTotal(Math.max(total, 1));
      }
      phase = p.phase;
      bar.update(value, payload);
    },
    stop: () => started && bar.stop(),
  };
}

/** The readable result: every row error, then one summary line. */
export function formatImportOutcome(kind: ImportKind, r: ImportOutcome): string {
  const lines = r.errors.map((e) => e.message);
  if (r.errorCount > r.errors.length) lines.push(`……另有 ${r.errorCount - r.errors.length} 个错误未列出`);
  const what = IMPORT_KIND_LABELS[kind];
  if (r.errorCount > 0) {
    lines.push(`${r.rows} 行${what}数据，${r.errorCount} 个错误；未保存任何数据。请修正后重新导入。`);
  } else if (r.dryRun) {
    lines.push(`试导入通过：${r.rows} 行${what}数据，将新增 ${r.created} 条、更新 ${r.updated} 条（未保存）。`);
  } else {
    lines.push(`已导入 ${r.rows} 行${what}数据：新增 ${r.created} 条，更新 ${r.updated} 条。`);
  }
  return `${lines.join('\n')}\n`;
}

/** Adds `import <kind> <file> --org <id> [--dry-run] [--json]`. */
export function registerImportCommand(program: Command, deps: ImportCommandDeps): Command {
  const w = deps.write ?? processWriter;
  const cmd = configureCliCommand(
    program
      .command('import')
      .description(
        'import projects, staff or qualifications from .xlsx or .csv (UTF-8 or GBK) into an organisation; ' +
          'all rows or none, existing records updated by contract number or ID number',
      ),
    w,
  );
  cmd
    .argument('<kind>', `what the file holds: ${IMPORT_KINDS.join(', ')}`)
    .argument('<file>', 'the .xlsx or .csv file (first worksheet; header in row 1)')
    .requiredOption('--org <orgId>', 'the organisation (its id, as in the web address /orgs/<id>)')
    .option('--dry-run', 'check every row and list the errors, save nothing')
    .option('--json', 'print the result as JSON')
    .action((kind: string, file: string, opts: ImportOptions) =>
      runCliAction(w, async () => {
        if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
          throw new AppError('INVALID_INPUT', `<kind> must be one of ${IMPORT_KINDS.join(', ')}, got "${kind}"`);
        }
        if (!UUID.test(opts.org))
          throw new AppError('INVALID_INPUT', `--org must be an organisation id (UUID), got "${opts.org}"`);
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) throw new AppError('INVALID_INPUT', `cannot read the file ${file}`);
        const database = await deps.openDatabase();
        const bar = progressBar(deps.progressStream === undefined ? process.stderr : deps.progressStream);
        let outcome: ImportOutcome;
        try {
          outcome = await importFile({
            run: (fn) => withSystem(database.db, fn),
            actor: null,
            orgId: opts.org,
            kind: kind as ImportKind,
            file: { path: file, name: path.basename(file) },
            dryRun: opts.dryRun === true,
            ip: 'cli',
            limits: deps.limits?.() ?? DEFAULT_IMPORT_LIMITS,
            onProgress: (p) => bar.update(p),
          });
        } finally {
          bar.stop();
          await database.close();
        }
        w.out(opts.json ? `${JSON.stringify(outcome, null, 2)}\n` : formatImportOutcome(kind as ImportKind, outcome));
        if (outcome.errorCount > 0) process.exitCode = EXIT.badInput;
      }),
    );
  return cmd;
}
