// Start-up of the rule tools: whole-process wall time of `zizhi calendar add-workdays 2026-09-30 5`
// against a bare `node -e 0` started the same way in the same run (target: at most 2.5 times it),
// and for reference the same for an `obligations` and a `readiness` run, which load the engines
// and zod. The data folder is a fresh one shaped like an installation whose server has started:
// an embedded database folder with the calendar-years.json the server writes beside it, so the
// commands read the imported years from that file as they would on a real installation.
//
// Run: npx tsx bench/cli-start.ts (needs the built server: `node scripts/build.mjs --server-only`,
// or pass --build to run it first). RUNS (default 7) sets the runs of each.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'packages/server/dist/cli/index.js');
const RUNS = Number(process.env.RUNS ?? 7);
const TARGET_RATIO = 2.5;

if (process.argv.includes('--build')) {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--server-only'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(cli)) {
  console.error(
    `${path.relative(root, cli)} is missing: run \`node scripts/build.mjs --server-only\` first (or pass --build).`,
  );
  process.exit(2);
}

// Settings from the caller's shell would change what the commands do (a DATABASE_URL opens a
// server, any other setting is validated in full), so the runs see only the data folder.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(ZIZHI_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(k)),
);

function wallMs(args: string[], runEnv: NodeJS.ProcessEnv, ok: (stdout: string) => boolean): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: runEnv, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 || !ok(r.stdout))
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-cli-start-'));
try {
  const data = path.join(dir, 'data');
  await mkdir(path.join(data, 'pgdata'), { recursive: true });
  await writeFile(path.join(data, 'calendar-years.json'), `${JSON.stringify({ years: [] })}\n`);
  const evidence = path.join(dir, 'evidence.json');
  await writeFile(
    evidence,
    JSON.stringify({
      organisation: { name: '示例科技有限公司', businessSince: '2015-06-01' },
      projects: [{ id: 'p1', name: '项目', amount: '15000000.00', signedOn: '2024-01-10', status: 'accepted' }],
      staff: [{ id: 's1', name: '张伟', isRnd: true, socialInsuranceFrom: '2020-01' }],
      financialYears: [{ year: 2025, systemIntegrationRevenue: '90000000.00' }],
    }),
  );
  const zizhiEnv = { ...env, ZIZHI_DATA_DIR: data };
  const commands = [
    {
      name: 'zizhi calendar add-workdays 2026-09-30 5',
      args: [cli, 'calendar', 'add-workdays', '2026-09-30', '5'],
      ok: (out: string) => out === '2026-10-13\n',
    },
    {
      name: 'zizhi obligations --level CS3 --issued 2024-03-15 --as-of 2026-06-30',
      args: [cli, 'obligations', '--level', 'CS3', '--issued', '2024-03-15', '--as-of', '2026-06-30', '--provisional'],
      ok: (out: string) => out.startsWith('证书 CS3'),
    },
    {
      name: 'zizhi readiness --level CS3 --at 2026-06-30',
      args: [cli, 'readiness', '--level', 'CS3', '--data', evidence, '--at', '2026-06-30'],
      ok: (out: string) => out.startsWith('CS3'),
    },
  ];
  const bareArgs = ['-e', '0'];
  // One untimed run of each fills the file system cache.
  wallMs(bareArgs, env, () => true);
  for (const c of commands) wallMs(c.args, zizhiEnv, c.ok);
  const bare: number[] = [];
  const times = commands.map(() => [] as number[]);
  // Interleaved, so a burst of load from elsewhere on the machine hits all alike.
  for (let i = 0; i < RUNS; i++) {
    bare.push(wallMs(bareArgs, env, () => true));
    commands.forEach((c, k) => times[k]!.push(wallMs(c.args, zizhiEnv, c.ok)));
  }
  const b = median(bare);
  const ratio = (k: number) => median(times[k]!) / b;
  const width = Math.max(...commands.map((c) => c.name.length));
  console.log(`${'node -e 0'.padEnd(width)}  median ${b.toFixed(0).padStart(4)} ms of ${RUNS}`);
  commands.forEach((c, k) => {
    const z = median(times[k]!);
    console.log(`${c.name.padEnd(width)}  median ${z.toFixed(0).padStart(4)} ms, ${ratio(k).toFixed(2)}x node -e 0`);
  });
  console.log(
    `calendar: ${ratio(0).toFixed(2)}x; target ≤ ${TARGET_RATIO}x (${ratio(0) <= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
