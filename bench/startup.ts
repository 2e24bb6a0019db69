// Start-up on an existing data folder to the first 200 from /api/health (target < 3 s) and
// the idle server's memory (target < 250 MB RSS), each against a bare Node HTTP server
// started the same way in the same run as the baseline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'packages/server/dist/cli/index.js');
const RUNS = Number(process.env.RUNS ?? 3);

async function waitForOk(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function measure(args: string[], env: NodeJS.ProcessEnv, port: number, idleMs = 0) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    await waitForOk(`http://127.0.0.1:${port}/api/health`, child);
    const ms = performance.now() - started;
    if (idleMs) await sleep(idleMs);
    return { ms, rss: await rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const bare = ['-e', "require('http').createServer((q,s)=>{s.end('{}')}).listen(process.env.PORT)"];
const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-'));
try {
  const first = await measure([cli, 'serve'], { ZIZHI_DATA_DIR: dir, LOG_LEVEL: 'warn' }, 18181);
  console.log(`first start (creates and migrates the database): ${first.ms.toFixed(0)} ms`);
  const zizhi: number[] = [];
  const baseline: number[] = [];
  let idle = { ms: 0, rss: 0 };
  let bareIdle = { ms: 0, rss: 0 };
  for (let i = 0; i < RUNS; i++) {
    const b = await measure(bare, {}, 18182, i === 0 ? 5000 : 0);
    baseline.push(b.ms);
    if (i === 0) bareIdle = b;
    const z = await measure([cli, 'serve'], { ZIZHI_DATA_DIR: dir, LOG_LEVEL: 'warn' }, 18181, i === 0 ? 5000 : 0);
    zizhi.push(z.ms);
    if (i === 0) idle = z;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const z = median(zizhi);
  const b = median(baseline);
  console.log(
    `startup: zizhi ${z.toFixed(0)} ms, bare node ${b.toFixed(0)} ms, ratio ${(z / b).toFixed(1)}x; target 3000 ms (${z < 3000 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `idle memory after 5 s: zizhi ${idle.rss.toFixed(0)} MB RSS, bare node ${bareIdle.rss.toFixed(0)} MB, ratio ${(idle.rss / bareIdle.rss).toFixed(1)}x; target 250 MB (${idle.rss < 250 ? 'met' : 'NOT met'})`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
