// Benchmark: import a generated 50,000-row projects workbook (dryRun false) into a fresh migrated
// PGlite through the service (not HTTP), next to exceljs's streaming reader alone over the same
// file in the same run. Targets: import under 30 s, peak RSS under 500 MB, reader alone / import
// at least 0.3. Each step runs in its own fresh process (workbook and database preparation, the
// reader alone before and after, the import), so no step's heap or PGlite's initdb counts towards
// another's memory. The import process opens and migrates PGlite as a server does at start, then
// imports twice into empty organisations: just after start (cold) and again (warm).
// Run: npx tsx bench/import.ts [rows]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { openPglite, openPostgres } from '../packages/server/src/db/client.js';
import { organisations, staff } from '../packages/server/src/db/schema.js';
import { withActor, withSystem } from '../packages/server/src/db/tenancy.js';
import { completeSetup } from '../packages/server/src/modules/auth/service.js';
import { importFile } from '../packages/server/src/modules/imports/service.js';
import { prng } from './prng.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';

const TARGET_MS = 30_000;
const TARGET_MB = 500;
const TARGET_RATIO = 0.3;
const READER_OPTIONS = {
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'ignore',
} as const;
const MANAGERS = 20;
const STATUSES = ['已签约', '实施中', '已验收', '已终止'];
const TECHNOLOGIES = ['云计算', '大数据', '人工智能', '信息安全', '物联网', '区块链'];

/** Child process: writes the workbook with the streaming writer and creates the database. */
async function prepare(dir: string, file: string, rows: number) {
  const rand = prng(7);
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = writer.addWorksheet('项目');
  sheet
    .addRow(['项目名称', '客户', '合同编号', '合同金额（元）', '签订日期', '验收日期', '状态', '项目经理', '技术领域'])
    .commit();
  for (let i = 0; i < rows; i++) {
    const signed = new Date(
      Date.UTC(2018 + Math.floor(rand() * 8), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)),
    );
    const accepted = rand() < 0.6 ? new Date(signed.getTime() + Math.floor(rand() * 400) * 86_400_000) : null;
    const row = sheet.addRow([
      `某市信息化建设项目 ${i + 1} 期`,
      `客户单位 ${Math.floor(rand() * 2000)}`,
      `HT-${2018 + (i % 8)}-${String(i + 1).padStart(6, '0')}`,
      Math.round(rand() * 5e9) / 100,
      signed,
      accepted,
      STATUSES[Math.floor(rand() * STATUSES.length)],
      `项目经理${(i % MANAGERS) + 1}`,
      TECHNOLOGIES.filter(() => rand() < 0.3).join('、'),
    ]);
    row.getCell(5).numFmt = 'yyyy-mm-dd';
    row.getCell(6).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  await writer.commit();

  // bench/responsive.ts may ask for a PostgreSQL database it made (BENCH_POSTGRES_URL there).
  const url = process.env.ZIZHI_BENCH_DATABASE_URL;
  const database = url ? openPostgres(url) : await openPglite(dir);
  try {
    await migrateDatabase(database);
    const { user, workspace } = await completeSetup({
      db: database.db,
      input: { email: 'bench@example.cn', name: '基准测试', password: 'bench-password-123', workspaceName: '基准' },
      ip: 'bench',
    });
    // Two empty organisations: the first import runs in a just-started process, the second warm.
    const orgIds: string[] = [];
    for (const creditCode of ['91440300708461136T', '91110000802100433B']) {
      orgIds.push(
        await withSystem(database.db, async (tx) => {
          const [org] = await tx
            .insert(organisations)
            .values({ workspaceId: workspace.id, name: `基准测试科技有限公司 ${creditCode}`, creditCode })
            .returning();
          await tx
            .insert(staff)
            .values(Array.from({ length: MANAGERS }, (_, i) => ({ orgId: org!.id, name: `项目经理${i + 1}` })));
          return org!.id;
        }),
      );
    }
    writeFileSync(path.join(dir, 'bench.json'), JSON.stringify({ orgIds, userId: user.id, email: user.email }));
  } finally {
    await database.close();
  }
}

/** Peak RSS of this process so far (MB): the kernel's high-water mark where readable, and samples. */
function peakMeter() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const read = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // not Linux: the samples alone
    }
    return peak / 1024 / 1024;
  };
  return {
    read,
    stop: () => {
      clearInterval(timer);
      return read();
    },
  };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

interface Measured {
  ms: number;
  /** CPU time of the process over the same span (all its threads): less sensitive to other load. */
  cpuMs: number;
  peakMb: number;
  rows: number;
  created?: number;
  phases?: string;
}

/** Child process: exceljs's streaming reader alone, with the options the import uses (styles say which numbers are dates). */
async function readAlone(file: string): Promise<Measured> {
  const meter = peakMeter();
  const start = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, READER_OPTIONS);
  for await (const sheet of reader) for await (const _row of sheet) rows++;
  const ms = performance.now() - start;
  return { ms, cpuMs: cpuMs(cpu), peakMb: meter.stop(), rows };
}

/**
 * Child process: the full import through the service as the user (row-level security on),
 * dryRun false, as a server does it: PGlite opened and migrations checked first. Imported twice,
 * each time into an empty organisation: just after start (cold: PGlite's WebAssembly not yet
 * optimised by V8) and again (warm, as in a server that has been running).
 */
async function importAll(dataDir: string, file: string): Promise<Measured[]> {
  const meter = peakMeter();
  const { orgIds, userId, email } = JSON.parse(readFileSync(path.join(dataDir, 'bench.json'), 'utf8')) as {
    orgIds: string[];
    userId: string;
    email: string;
  };
  const database = await openPglite(dataDir);
  try {
    await migrateDatabase(database);
    const results: Measured[] = [];
    for (const orgId of orgIds) {
      const phases: Array<[string, number, number]> = [];
      const start = performance.now();
      const cpu = process.cpuUsage();
      const outcome = await importFile({
        run: (fn) => withActor(database.db, userId, fn),
        actor: { userId, email, name: '基准测试', isAdmin: true, via: 'session' },
        orgId,
        kind: 'projects',
        file: { path: file, name: 'projects.xlsx' },
        dryRun: false,
        ip: 'bench',
        onProgress: (p) => {
          if (phases.at(-1)?.[0] !== p.phase) phases.push([p.phase, performance.now(), process.memoryUsage().rss]);
        },
      });
      const ms = performance.now() - start;
      const cpuTime = cpuMs(cpu);
      if (outcome.errorCount > 0) {
        throw new Error(`the import found errors: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
      }
      const split = phases
        .slice(0, -1)
        .map(
          ([phase, at, rss], i) =>
            `${phase} ${Math.round(phases[i + 1]![1] - at)} ms (RSS ${Math.round(rss / 2 ** 20)} MB)`,
        )
        .join(', ');
      // The process's peak so far: after the first import, that of a just-started server's import.
      results.push({
        ms,
        cpuMs: cpuTime,
        peakMb: meter.read(),
        rows: outcome.rows,
        created: outcome.created,
        phases: split,
      });
    }
    meter.stop();
    return results;
  } finally {
    await database.close();
  }
}

/** Runs this file in a fresh process for one measurement, so no phase inherits another's heap. */
function child<T = Measured>(args: string[]): T {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench step ${args[0]} failed (${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

async function main() {
  const rows = Number(process.argv[2] ?? 50_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-import-'));
  const dataDir = path.join(dir, 'data');
  const file = path.join(dir, 'projects.xlsx');
  try {
    const started = performance.now();
    const prepared = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--prepare', dataDir, file, String(rows)],
      { stdio: 'inherit' },
    );
    if (prepared.status !== 0) throw new Error(`preparing the workbook and database failed (${prepared.status})`);
    const size = (await stat(file)).size;
    console.log(
      `prepared ${rows} rows (${(size / 1024 / 1024).toFixed(1)} MB .xlsx) and a migrated PGlite in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    // The reader runs before and after the import, so a change in the machine's load shows.
    const before = child(['--read', file]);
    const [cold, warm] = child<Measured[]>(['--import', dataDir, file]);
    const after = child(['--read', file]);
    const readerMs = (before.ms + after.ms) / 2;
    const readerCpuMs = (before.cpuMs + after.cpuMs) / 2;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `exceljs WorkbookReader alone: ${before.rows} rows in ${Math.round(before.ms)} ms before the import and ` +
        `${Math.round(after.ms)} ms after (mean ${Math.round(readerMs)} ms; CPU ${Math.round(readerCpuMs)} ms), ` +
        `peak RSS ${before.peakMb.toFixed(0)} MB`,
    );
    for (const [label, run] of [
      ['import just after start', cold!],
      ['import, process warm', warm!],
    ] as const) {
      if (run.created !== rows) throw new Error(`the import created ${run.created} rows, not ${rows}`);
      const ratio = readerMs / run.ms;
      console.log(
        `${label}: ${run.rows} rows (${run.created} created) in ${Math.round(run.ms)} ms, ` +
          `${Math.round(run.rows / (run.ms / 1000))} rows/s; target ${TARGET_MS / 1000} s (${met(run.ms < TARGET_MS)}); ` +
          `ratio reader alone / import ${ratio.toFixed(2)}, target at least ${TARGET_RATIO} (${met(ratio >= TARGET_RATIO)})`,
      );
      console.log(
        `  phases: ${run.phases}; CPU ${Math.round(run.cpuMs)} ms, CPU ratio ${(readerCpuMs / run.cpuMs).toFixed(2)}`,
      );
    }
    console.log(
      `import peak RSS (the whole process, PGlite included): ${cold!.peakMb.toFixed(0)} MB up to the end of the ` +
        `first import, target ${TARGET_MB} MB (${met(cold!.peakMb < TARGET_MB)}); ${warm!.peakMb.toFixed(0)} MB ` +
        `over both (${met(warm!.peakMb < TARGET_MB)})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === '--prepare') await prepare(args[0]!, args[1]!, Number(args[2]));
else if (mode === '--read') console.log(JSON.stringify(await readAlone(args[0]!)));
else if (mode === '--import') console.log(JSON.stringify(await importAll(args[0]!, args[1]!)));
else await main();
