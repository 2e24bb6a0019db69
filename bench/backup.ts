// Benchmark: `writeBackup`, `restoreArchive` and the restore drill (`verifyArchive`) on an embedded
// data folder with one workspace of many projects and some large files, at two sizes that differ
// only in rows, so the ratio of their peak RSS shows memory staying flat as tables grow (files
// are streamed, never held whole, whatever their size). Each step runs in its own process so no
// step's heap counts towards another's peak.
//
// Run: npx tsx bench/backup.ts
// Scale: ZIZHI_BENCH_PROJECTS (default 10000; the small size is a tenth), ZIZHI_BENCH_FILE_MB
// (default 32, in files of 8 MB). The target scenario is ZIZHI_BENCH_PROJECTS=50000
// ZIZHI_BENCH_FILE_MB=1024: expect minutes, and as much free temporary disk as twice the data.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openPglite, queryRows } from '../packages/server/src/db/client.js';
import { withSystem } from '../packages/server/src/db/tenancy.js';
import { completeSetup } from '../packages/server/src/modules/auth/service.js';
import { writeBackup } from '../packages/server/src/modules/backup/backup.js';
import { restoreArchive, verifyArchive } from '../packages/server/src/modules/backup/restore.js';
import { openScratchDatabase } from '../packages/server/src/modules/backup/scratch.js';
import { LocalBlobStore } from '../packages/server/src/storage/index.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';

const FILE_MB = 8;

/** Peak RSS of this process so far (MB): the kernel's high-water mark where readable, and samples. */
function peakMeter() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // not Linux: the samples alone
    }
    return peak / 1024 / 1024;
  };
}

interface Measured {
  ms: number;
  peakMb: number;
  rows?: number;
  bytes?: number;
}

/** Child: a data folder with `projects` projects (and as many audit rows) and `fileMb` of files. */
async function prepare(dir: string, projects: number, fileMb: number) {
  const database = await openPglite(dir);
  try {
    await migrateDatabase(database);
    const { user, workspace } = await completeSetup({
      db: database.db,
      input: { email: 'bench@example.cn', name: '基准测试', password: 'bench-password-123', workspaceName: '基准' },
      ip: 'bench',
    });
    const blobs = new LocalBlobStore(path.join(dir, 'files'));
    await withSystem(database.db, async (tx) => {
      const [org] = await queryRows<{ id: string }>(
        tx,
        sql`insert into organisations (workspace_id, name, credit_code) values (${workspace.id}, '基准测试科技有限公司', '91440300708461136T') returning id`,
      );
      await tx.execute(sql`
        insert into projects (org_id, name, client, contract_number, amount, signed_on, accepted_on, status, technologies, notes)
        select ${org!.id}, '某市信息化建设项目 ' || g || ' 期', '客户单位 ' || (g % 2000), 'HT-' || lpad(g::text, 7, '0'),
          (g * 1234.56)::numeric(18, 2), date '2018-01-01' + (g % 2500), date '2018-03-01' + (g % 2500),
          'accepted', array['云计算', '信息安全'], '备注：' || repeat('验收资料齐全。', 3)
        from generate_series(1, ${projects}) g`);
      await tx.execute(sql`
        insert into audit_log (workspace_id, actor_id, action, target_type, target_id, summary, ip)
        select ${workspace.id}, ${user.id}, 'project.created', 'project', gen_random_uuid(), jsonb_build_object('n', g), 'bench'
        from generate_series(1, ${projects}) g`);
      for (let i = 0; i < Math.ceil(fileMb / FILE_MB); i++) {
        // Random bytes in 1 MB chunks: incompressible, like scans, and never held whole.
        const stored = await blobs.put(
          Readable.from(
            (function* () {
              for (let mb = 0; mb < FILE_MB; mb++) yield randomBytes(1024 * 1024);
            })(),
          ),
        );
        await tx.execute(
          sql`insert into files (org_id, sha256, size, name, content_type) values (${org!.id}, ${stored.sha256}, ${stored.size}, ${`扫描件-${i}.pdf`}, 'application/pdf')`,
        );
      }
    });
  } finally {
    await database.close();
  }
}

async function backUp(dir: string, file: string): Promise<Measured> {
  const database = await openPglite(dir);
  try {
    const peak = peakMeter();
    const start = performance.now();
    const summary = await writeBackup(
      database,
      new LocalBlobStore(path.join(dir, 'files')),
      { dataDir: dir },
      createWriteStream(file),
    );
    return { ms: performance.now() - start, peakMb: peak(), rows: summary.rows, bytes: summary.archiveBytes };
  } finally {
    await database.close();
  }
}

async function restore(dir: string, file: string): Promise<Measured> {
  const database = await openPglite(dir);
  try {
    const peak = peakMeter();
    const start = performance.now();
    const summary = await restoreArchive(database, new LocalBlobStore(path.join(dir, 'files')), { dataDir: dir }, () =>
      createReadStream(file),
    );
    return { ms: performance.now() - start, peakMb: peak(), rows: summary.rows };
  } finally {
    await database.close();
  }
}

async function verify(file: string, templateDir: string): Promise<Measured> {
  const peak = peakMeter();
  const start = performance.now();
  const result = await verifyArchive(() => createReadStream(file), { templateDir });
  if (!result.ok) throw new Error(`the drill failed: ${result.problems.join('; ')}`);
  return { ms: performance.now() - start, peakMb: peak(), rows: result.rows };
}

/** Runs this file in a fresh process for one step. */
function child<T = Measured>(args: string[]): T {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench step ${args[0]} failed (${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const projects = Number(process.env.ZIZHI_BENCH_PROJECTS ?? 10_000);
  const fileMb = Number(process.env.ZIZHI_BENCH_FILE_MB ?? 32);
  const sizes = [Math.max(1, Math.round(projects / 10)), projects];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-backup-'));
  const peaks: Record<string, number[]> = { backup: [], restore: [], verify: [] };
  const templates = path.join(dir, 'templates');
  try {
    // The drill's blank scratch database, as a server keeps it after its first drill: without it
    // every drill pays PGlite's initdb (~800 MB peak), which would hide the drill's own memory.
    child<unknown>(['--template', templates]);
    for (const n of sizes) {
      const source = path.join(dir, `source-${n}`);
      const archive = path.join(dir, `archive-${n}.tar.gz`);
      const started = performance.now();
      child<unknown>(['--prepare', source, String(n), String(fileMb)]);
      console.log(
        `prepared ${n} projects, ${n} audit rows and ${fileMb} MB of files in ${seconds(performance.now() - started)}`,
      );
      const b = child(['--backup', source, archive]);
      // The empty target is created first in its own process: PGlite's initdb alone peaks near
      // 800 MB, which would hide the restore's own memory.
      child<unknown>(['--init', path.join(dir, `restored-${n}`)]);
      const r = child(['--restore', path.join(dir, `restored-${n}`), archive]);
      const v = child(['--verify', archive, templates]);
      console.log(
        `  backup  ${seconds(b.ms)}, peak RSS ${b.peakMb.toFixed(0)} MB: ${b.rows} rows, archive ${mb(b.bytes!)}` +
          ` (${mb((await stat(archive)).size)} on disk)`,
      );
      console.log(`  restore ${seconds(r.ms)}, peak RSS ${r.peakMb.toFixed(0)} MB`);
      console.log(
        `  verify  ${seconds(v.ms)}, peak RSS ${v.peakMb.toFixed(0)} MB (restore drill into a scratch database)`,
      );
      peaks.backup!.push(b.peakMb);
      peaks.restore!.push(r.peakMb);
      peaks.verify!.push(v.peakMb);
      await rm(path.join(dir, `restored-${n}`), { recursive: true, force: true });
    }
    for (const [step, [small, large]] of Object.entries(peaks)) {
      console.log(
        `${step}: peak RSS ${large!.toFixed(0)} MB at ${sizes[1]} projects / ${small!.toFixed(0)} MB at ${sizes[0]}: ` +
          `ratio ${(large! / small!).toFixed(2)} for ${sizes[1]! / sizes[0]!}× the rows (flat is about 1)`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
const print = (value: unknown) => console.log(JSON.stringify(value));
if (mode === '--prepare') await prepare(args[0]!, Number(args[1]), Number(args[2])).then(() => print({}));
else if (mode === '--init')
  await openPglite(args[0]!)
    .then((d) => d.close())
    .then(() => print({}));
else if (mode === '--backup') print(await backUp(args[0]!, args[1]!));
else if (mode === '--restore') print(await restore(args[0]!, args[1]!));
else if (mode === '--verify') print(await verify(args[0]!, args[1]!));
else if (mode === '--template') {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-scratch-'));
  await (await openScratchDatabase(scratch, args[0])).close();
  await rm(scratch, { recursive: true, force: true });
  print({});
} else await main();
