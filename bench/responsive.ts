// Benchmark: does the embedded server keep answering while a large import runs? The real app on
// a fresh PGlite in a temp folder, listening on a port; a generated projects workbook (bench/import.ts's
// generator, default 50,000 rows) is uploaded through the HTTP import route with a progress id:
// a dry run, then twice into one organisation (every row new, then every row an update). Meanwhile a poller in
// its own thread (its clock does not stall when the server's event loop does) sends, one at a
// time each, every 50 ms: GET /api/health, the import's progress and a cheap authenticated read
// (GET /api/orgs/:orgId). Each one's p99 and max during each import are printed beside the same
// requests' when idle (3 s before the imports, after 1 s of warm-up, same run), with each
// import's total time and its phases as the server reported them, each with the slowest request
// sent during it and the longest stall of the server's event loop.
// Target: max < 200 ms during the import.
// Run: npx tsx bench/responsive.ts [rows]
// On PostgreSQL instead of the embedded database: BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test
// (a database is made beside that one for the run and dropped after it).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config/index.js';
import pg from 'pg';
import { openPglite, openPostgres } from '../packages/server/src/db/client.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';
import { ProgressBoard } from '../packages/server/src/http/progress.js';

const TARGET_MS = 200;
const INTERVAL_MS = 50;
const IDLE_MS = 3000;
/** Polled but not counted: the first requests compile their code paths. */
const WARM_UP_MS = 1000;
const PROGRESS_ID = 'bench-responsive-1';

interface Sample {
  endpoint: string;
  /** performance.timeOrigin + performance.now() when sent: one clock for both threads. */
  sentAt: number;
  ms: number;
  status: number;
  phase?: string;
}

const now = () => performance.timeOrigin + performance.now();

interface Run {
  label: 'dry run' | 'new rows' | 'updates';
  from: number;
  to: number;
  /** When the server's event loop stalled, and for how long. */
  stalls: Array<{ at: number; ms: number }>;
  /** Each phase the import reported and when it began. */
  phases: Array<[string, number]>;
}

/** The phases the server's imports report, with the time each began: the bench's own hook on the board. */
const phaseLog: Array<[string, number]> = [];
const { track } = Object.getOwnPropertyDescriptors(ProgressBoard.prototype);
ProgressBoard.prototype.track = function (scope, progressId) {
  const report = (track.value as ProgressBoard['track']).call(this, scope, progressId);
  return (p) => {
    if (phaseLog.at(-1)?.[0] !== p.phase) phaseLog.push([p.phase, now()]);
    report(p);
  };
};

// Plain JavaScript, so the worker needs no loader; it only sends requests and times them.
const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, cookie, orgId, progressId, interval } = workerData;
const now = () => performance.timeOrigin + performance.now();
const samples = [];
let stopping = false;
const endpoints = [
  ['health', base + '/api/health', {}],
  ['progress', base + '/api/orgs/' + orgId + '/imports/progress/' + progressId, { cookie }],
  ['read', base + '/api/orgs/' + orgId, { cookie }],
];
// One request at a time per endpoint, as a UI polls: a stalled server shows as one slow answer
// instead of a pile of queued requests that would overload it by themselves.
async function poll([endpoint, url, headers]) {
  let next = now();
  while (!stopping) {
    const sentAt = now();
    try {
      const res = await fetch(url, { headers });
      const body = await res.text();
      const sample = { endpoint, sentAt, ms: now() - sentAt, status: res.status };
      if (endpoint === 'progress' && res.status === 200) sample.phase = JSON.parse(body).phase;
      samples.push(sample);
    } catch (err) {
      samples.push({ endpoint, sentAt, ms: now() - sentAt, status: 0, error: String(err) });
    }
    while (next <= now()) next += interval;
    await new Promise((r) => setTimeout(r, next - now()));
  }
}
const running = Promise.all(endpoints.map(poll));
parentPort.on('message', () => {
  stopping = true;
  running.then(() => parentPort.postMessage(samples));
});
`;

/**
 * The server thread's event-loop stalls: a 5 ms timer that fires late by more than 20 ms marks a
 * stall that began when it should have fired.
 */
function stallMeter() {
  const stalls: Array<{ at: number; ms: number }> = [];
  let last = now();
  const timer = setInterval(() => {
    const at = now();
    if (at - last > 25) stalls.push({ at: last, ms: at - last });
    last = at;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return stalls;
    },
  };
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : `${Math.round(ms)} ms`);

async function main() {
  const rows = Number(process.argv[2] ?? 50_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-responsive-'));
  const dataDir = path.join(dir, 'data');
  const file = path.join(dir, 'projects.xlsx');
  const admin = process.env.BENCH_POSTGRES_URL;
  const dbName = `zizhi_bench_${randomBytes(6).toString('hex')}`;
  const onAdmin = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  let dbUrl: string | undefined;
  if (admin) {
    await onAdmin(`create database ${dbName}`);
    const url = new URL(admin);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    mkdirSync(dataDir, { recursive: true });
  }
  try {
    // bench/import.ts writes the workbook and a migrated database with a user, two organisations
    // and their 20 project managers, in a process of its own.
    const importBench = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import.ts');
    const prepared = spawnSync(
      process.execPath,
      [...process.execArgv, importBench, '--prepare', dataDir, file, String(rows)],
      { stdio: 'inherit', env: { ...process.env, ...(dbUrl ? { ZIZHI_BENCH_DATABASE_URL: dbUrl } : {}) } },
    );
    if (prepared.status !== 0) throw new Error(`preparing the workbook and database failed (${prepared.status})`);
    const { orgIds, email } = JSON.parse(readFileSync(path.join(dataDir, 'bench.json'), 'utf8')) as {
      orgIds: string[];
      email: string;
    };
    const orgId = orgIds[0]!;

    const database = dbUrl ? openPostgres(dbUrl) : await openPglite(dataDir);
    await migrateDatabase(database);
    const config = loadConfig({}, { dataDir, logLevel: 'silent', rateLimitPerMinute: 1_000_000_000 });
    const app = await buildApp({ database, config, logger: false });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'bench-password-123' }),
      });
      if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const { csrfToken } = (await login.json()) as { csrfToken: string };

      const poller = new Worker(POLLER, {
        eval: true,
        workerData: { base, cookie, orgId, progressId: PROGRESS_ID, interval: INTERVAL_MS },
      });
      await new Promise((r) => setTimeout(r, WARM_UP_MS));
      const idleFrom = now();
      await new Promise((r) => setTimeout(r, IDLE_MS));
      const idleTo = now();

      const size = (await stat(file)).size;
      const body = await readFile(file);
      const runs: Run[] = [];
      // A dry run, then the file twice into one organisation: every row new, then every row an update.
      for (const label of ['dry run', 'new rows', 'updates'] as const) {
        phaseLog.length = 0;
        const form = new FormData();
        form.append('file', new Blob([body]), 'projects.xlsx');
        const stalls = stallMeter();
        const from = now();
        const dryRun = label === 'dry run';
        const res = await fetch(
          `${base}/api/orgs/${orgId}/imports/projects?dryRun=${dryRun}&progressId=${PROGRESS_ID}`,
          {
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrfToken },
            body: form,
          },
        );
        const to = now();
        const gaps = stalls.stop();
        const outcome = (await res.json()) as { created?: number; updated?: number };
        const expected = label === 'updates' ? outcome.updated : outcome.created;
        if (res.status !== 200 || expected !== rows) {
          throw new Error(`the import answered ${res.status}: ${JSON.stringify(outcome).slice(0, 300)}`);
        }
        runs.push({ label, from, to, stalls: gaps, phases: [...phaseLog] });
        await new Promise((r) => setTimeout(r, 1000));
      }
      const samples = await new Promise<Sample[]>((resolve) => {
        poller.once('message', resolve);
        poller.postMessage('stop');
      });
      await poller.terminate();

      const idle = samples.filter((s) => s.sentAt >= idleFrom && s.sentAt < idleTo);
      console.log(
        `\n${rows} rows (${(size / 1024 / 1024).toFixed(1)} MB .xlsx) imported through HTTP twice into one ` +
          `organisation on ${dbUrl ? 'PostgreSQL' : 'the embedded database'}; polled every ${INTERVAL_MS} ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
      );
      console.log(
        `\n| Import | Request | Idle p99 | Idle max | During import p99 | During import max | Sent | Target |`,
      );
      console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
      let worst = 0;
      for (const run of runs) {
        const during = samples.filter((s) => s.sentAt >= run.from && s.sentAt < run.to);
        for (const endpoint of ['health', 'progress', 'read']) {
          const a = idle.filter((s) => s.endpoint === endpoint).map((s) => s.ms);
          const b = during.filter((s) => s.endpoint === endpoint);
          const ms = b.map((s) => s.ms);
          const failed = b.filter((s) => s.status !== 200).length;
          const max = Math.max(...ms);
          worst = Math.max(worst, max);
          console.log(
            `| ${run.label} | ${endpoint} | ${fmt(quantile(a, 0.99))} | ${fmt(Math.max(...a))} | ` +
              `${fmt(quantile(ms, 0.99))} | ${fmt(max)} | ${b.length}${failed ? ` (${failed} not 200)` : ''} | ` +
              `max < ${TARGET_MS} ms (${max < TARGET_MS ? 'met' : 'NOT met'}) |`,
          );
        }
      }
      for (const run of runs) {
        // Each phase as the server reported it, with the slowest request sent while it ran.
        const during = samples.filter((s) => s.sentAt >= run.from && s.sentAt < run.to);
        const spans = run.phases.map(([phase, at], i) => ({ phase, at, end: run.phases[i + 1]?.[1] ?? run.to }));
        const parts = spans
          .filter((p) => p.phase !== 'done')
          .map((p) => {
            const sent = during.filter((s) => s.sentAt >= p.at && s.sentAt < p.end);
            const slowest = Math.max(0, ...sent.map((s) => s.ms));
            const stall = Math.max(0, ...run.stalls.filter((g) => g.at >= p.at && g.at < p.end).map((g) => g.ms));
            return `${p.phase} ${fmt(p.end - p.at)} (slowest request ${fmt(slowest)}, longest stall ${fmt(stall)})`;
          });
        console.log(`\n${run.label}: ${((run.to - run.from) / 1000).toFixed(1)} s in all; ${parts.join(', ')}`);
      }
      console.log(
        `\nall requests answered within ${TARGET_MS} ms during the imports: ${worst < TARGET_MS ? 'yes' : 'NO'}`,
      );
    } finally {
      await app.close();
      await database.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (admin) await onAdmin(`drop database if exists ${dbName} with (force)`);
  }
}

await main();
