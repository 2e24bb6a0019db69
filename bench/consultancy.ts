// A consultancy at scale: one workspace, ORGS organisations (default 200) and CERTS certificates
// (default 2,000, CS1–CS4 issued over the last four years) with the events of their lives, seeded
// from a fixed PRNG (organisations through the API; certificates and events through the services'
// own write and recompute). Each request is measured under autocannon beside a bare Fastify route
// serving the same bytes in the same run; also one recompute, the CLI's start against a bare
// `node`, and the embedded server's idle memory. Prints a table and writes tmp/bench/consultancy.json.
//
//   npx tsx bench/consultancy.ts            (or npm run bench -- consultancy)
//   CERTS=200 ORGS=20 DURATION=5 npx tsx bench/consultancy.ts   a quick run
//   SKIP_ICS=1 …                             leave out the calendar feeds
//   BENCH_DATA=/tmp/consultancy …            seed that folder once and reuse it in later runs
//
// Targets (issue "Fast at consultancy scale"): dashboard p50 < 100 ms, p99 < 300 ms at 10
// connections; list pages p99 < 150 ms; ratio to the bare route ≥ 0.3; the full ICS feed < 1 s and
// ≤ 10 MB; recompute < 20 ms; `zizhi calendar` ≤ 2.5× bare node; idle RSS ≤ 250 MB.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { addCalendarDays } from '../packages/core/src/index.js';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config/index.js';
import { openPglite, queryRows } from '../packages/server/src/db/client.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';
import { certificateEvents } from '../packages/server/src/db/schema.js';
import { withSystem } from '../packages/server/src/db/tenancy.js';
import { maintainDueTables } from '../packages/server/src/jobs/maintenance.js';
import { recomputeCertificate } from '../packages/server/src/modules/obligations/recompute.js';
import { leanRuntimeForEmbedded, SEMI_SPACE_FLAG } from '../packages/server/src/cli/lean-runtime.js';
import { creditCode, seedCertificates } from '../packages/server/src/test/consultancy-seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ORGS = Number(process.env.ORGS ?? 200);
const CERTS = Number(process.env.CERTS ?? 2000);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Auth {
  cookie: string;
  csrf: string;
}

async function seed(base: string, dbOf: Parameters<typeof withSystem>[0]) {
  const setup = await fetch(`${base}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...CREDENTIALS, name: '压测顾问' }),
  });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const cookie = setup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken, workspace } = (await setup.json()) as { csrfToken: string; workspace: { id: string } };
  const auth: Auth = { cookie, csrf: csrfToken };
  const orgIds: string[] = [];
  for (let n = 0; n < ORGS; n++) {
    const res = await fetch(`${base}/api/orgs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        workspaceId: workspace.id,
        name: `客户企业 ${n + 1} 有限公司`,
        creditCode: creditCode(n + 1),
      }),
    });
    if (res.status !== 201) throw new Error(`org ${n}: ${res.status} ${await res.text()}`);
    orgIds.push(((await res.json()) as { id: string }).id);
  }
  const { certIds, events } = await seedCertificates(dbOf, orgIds, CERTS);
  return { auth, workspaceId: workspace.id, orgIds, certIds, events };
}

const CREDENTIALS = { email: 'bench@example.cn', password: 'bench-password-123' };

type Seeded = Awaited<ReturnType<typeof seed>>;

/** A reused folder's seeded consultancy, with a new session. */
async function reuse(base: string, saved: Omit<Seeded, 'auth'>): Promise<Seeded> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CREDENTIALS),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { ...saved, auth: { cookie, csrf: csrfToken } };
}

/**
 * A GET on a connection of its own. The seeding kept this process's event loop busy for
 * minutes; fetch's pooled keep-alive sockets from before it may have been closed by the server
 * meanwhile and are reset when reused.
 */
function getOnce(url: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

interface Load {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers, timeout: 30 });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.timeouts + r.non2xx };
}

interface Row {
  what: string;
  bytes?: number;
  value: string;
  baseline: string;
  ratio: number;
  target: string;
}

async function main() {
  const kept = process.env.BENCH_DATA;
  const dir = kept ? path.resolve(kept) : await mkdtemp(path.join(os.tmpdir(), 'zizhi-consultancy-'));
  const dataDir = path.join(dir, 'data');
  const seededFile = path.join(dir, 'seeded.json');
  const reused = kept && existsSync(seededFile) ? (JSON.parse(readFileSync(seededFile, 'utf8')) as Seeded) : null;
  if (!reused) mkdirSync(dataDir, { recursive: true });
  // The requests below are answered as the embedded server answers them.
  leanRuntimeForEmbedded();
  const database = await openPglite(dataDir);
  await migrateDatabase(database);
  const config = loadConfig({}, { dataDir, logLevel: 'silent', rateLimitPerMinute: 1_000_000_000 });
  const app = await buildApp({ database, config, logger: false });
  const rows: Row[] = [];
  let seeded: Seeded | undefined;
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const started = performance.now();
    const s = reused ? await reuse(base, reused) : await seed(base, database.db);
    seeded = s;
    if (kept && !reused) writeFileSync(seededFile, JSON.stringify({ ...s, auth: undefined }));
    // What the embedded server's maintenance does within a minute of so many writes.
    await maintainDueTables(database, { vacuum: false });
    const [counted] = await queryRows<{ count: string }>(
      database.db,
      sql`select count(*)::text as count from obligations`,
    );
    const count = counted?.count ?? '?';
    console.log(
      `${reused ? 'reused' : 'seeded'}: ${s.orgIds.length} organisations, ${s.certIds.length} certificates, ${s.events} events, ${count} obligations in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    const headers = { cookie: s.auth.cookie };
    // The same bytes from a bare Fastify route: what serving them costs without Zizhi's work.
    const bare = Fastify({ logger: false });
    const bodies: Buffer[] = [];
    const urls = [
      [
        'workspace dashboard',
        `${base}/api/workspaces/${s.workspaceId}/dashboard`,
        'p50 < 100 ms, p99 < 300 ms, ratio ≥ 0.3',
      ],
      [
        'dashboard timelines, first page (20)',
        `${base}/api/workspaces/${s.workspaceId}/dashboard/timelines`,
        'p99 < 150 ms, ratio ≥ 0.3',
      ],
      [
        'workspace obligations list, first page (100)',
        `${base}/api/workspaces/${s.workspaceId}/obligations`,
        'p99 < 150 ms, ratio ≥ 0.3',
      ],
      [
        "one organisation's obligations, first page (100)",
        `${base}/api/orgs/${s.orgIds[0]}/obligations`,
        'p99 < 150 ms, ratio ≥ 0.3',
      ],
    ] as const;
    // A response too large to serve at all (the whole workspace's list) is reported, not fatal.
    const failures: (string | null)[] = [];
    for (const [, url] of urls) {
      const t0 = performance.now();
      try {
        const res = await getOnce(url, headers);
        if (res.status !== 200) throw new Error(`${res.status} ${res.body.toString().slice(0, 200)}`);
        bodies.push(res.body);
        failures.push(null);
      } catch (err) {
        bodies.push(Buffer.alloc(0));
        failures.push(
          `failed after ${((performance.now() - t0) / 1000).toFixed(0)} s: ${(err as Error).message}${(err as Error).cause ? ` (${String((err as Error).cause)})` : ''}`,
        );
      }
    }
    bodies.forEach((b, i) => bare.get(`/bare/${i}`, (_request, reply) => reply.type('application/json').send(b)));
    const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });
    for (const [i, [what, url, target]] of urls.entries()) {
      const failure = failures[i];
      if (failure) {
        rows.push({ what, value: failure, baseline: '—', ratio: Number.NaN, target });
        continue;
      }
      const zizhi = await load(url, headers);
      const baseline = await load(`${bareBase}/bare/${i}`);
      rows.push({
        what,
        bytes: bodies[i]!.length,
        value: `p50 ${zizhi.p50} ms, p99 ${zizhi.p99} ms, ${zizhi.rps.toFixed(0)} req/s${zizhi.errors ? `, ${zizhi.errors} errors` : ''}`,
        baseline: `p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, ${baseline.rps.toFixed(0)} req/s`,
        ratio: zizhi.rps / baseline.rps,
        target,
      });
    }
    await bare.close();

    // The loads above are answered from the kept answers; the first request after a write
    // computes again. A write (an organisation renamed) before each of a few timed requests.
    const renameAndTime = async (url: string, n = 5) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const renamed = await fetch(`${base}/api/orgs/${s.orgIds[1]}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', cookie: s.auth.cookie, 'x-csrf-token': s.auth.csrf },
          body: JSON.stringify({ name: `客户企业 2 有限公司（${i}）` }),
        });
        if (renamed.status !== 200) throw new Error(`rename: ${renamed.status} ${await renamed.text()}`);
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        ms.push(performance.now() - t0);
      }
      return `median ${median(ms).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms`;
    };
    for (const [what, url] of [
      ['workspace dashboard, first request after a write', urls[0][1]],
      ['workspace obligations list, first page after a write', urls[2][1]],
    ] as const) {
      rows.push({ what, value: await renameAndTime(url), baseline: '—', ratio: Number.NaN, target: 'reported' });
    }

    if (!process.env.SKIP_ICS) {
      const feedTime = async (what: string, options: object, target: string) => {
        const made = await fetch(`${base}/api/calendar/feeds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: s.auth.cookie, 'x-csrf-token': s.auth.csrf },
          body: JSON.stringify({ workspaceId: s.workspaceId, ...options }),
        });
        if (made.status !== 201) throw new Error(`feed: ${made.status} ${await made.text()}`);
        const { url } = (await made.json()) as { url: string };
        const icsUrl = url.replace(/^https?:\/\/[^/]+/, base);
        const t0 = performance.now();
        const first = await fetch(icsUrl);
        const ics = Buffer.from(await first.arrayBuffer());
        const ms = performance.now() - t0;
        const t1 = performance.now();
        const again = await fetch(icsUrl, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
        const notModifiedMs = performance.now() - t1;
        rows.push({
          what,
          bytes: ics.length,
          value: `${ms.toFixed(0)} ms; unchanged: ${again.status} in ${notModifiedMs.toFixed(0)} ms`,
          baseline: '—',
          ratio: Number.NaN,
          target,
        });
      };
      await feedTime('ICS feed, member who sees everything, default window', {}, '< 1 s and ≤ 10 MB');
      await feedTime('ICS feed, one organisation', { orgIds: [s.orgIds[0]] }, '< 300 ms');
    }

    const times: number[] = [];
    const certId = s.certIds[0]!;
    for (let i = 0; i < 20; i++) {
      await withSystem(database.db, (tx) =>
        tx.insert(certificateEvents).values({
          orgId: s.orgIds[0]!,
          certificateId: certId,
          type: 'complaint',
          date: addCalendarDays('2025-01-06', i * 7),
        }),
      );
      const t0 = performance.now();
      await withSystem(database.db, (tx) => recomputeCertificate(tx, certId));
      times.push(performance.now() - t0);
    }
    rows.push({
      what: 'recompute one certificate after an event',
      value: `median ${median(times).toFixed(1)} ms`,
      baseline: '—',
      ratio: Number.NaN,
      target: '< 20 ms',
    });
  } finally {
    await app.close();
    await database.close();
  }

  // The command line, as a whole process, against a bare node start.
  const cli = path.join(root, 'packages/server/dist/cli/index.js');
  const wall = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { env: { ...process.env, ZIZHI_DATA_DIR: dataDir }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return performance.now() - t0;
  };
  const cliMs = median([1, 2, 3, 4, 5].map(() => wall([cli, 'calendar', 'add-workdays', '2026-09-30', '5'])));
  const nodeMs = median([1, 2, 3, 4, 5].map(() => wall(['-e', '0'])));
  rows.push({
    what: '`zizhi calendar add-workdays`, whole process',
    value: `median ${cliMs.toFixed(0)} ms`,
    baseline: `bare node ${nodeMs.toFixed(0)} ms`,
    ratio: nodeMs / cliMs,
    target: '< 250 ms, ≤ 2.5× bare node',
  });

  // The embedded server on the seeded folder, idle after start.
  // Started as `npm start` starts it.
  const server = spawn(process.execPath, [SEMI_SPACE_FLAG, cli, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      ZIZHI_DATA_DIR: dataDir,
      ZIZHI_LOG_LEVEL: 'info',
      ZIZHI_BACKUP_SCHEDULE: 'off',
      // The mixed load below comes from one address, far above a person's rate.
      ZIZHI_RATE_LIMIT: '1000000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const serverBase = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 120 s')), 120_000);
    server.stdout.on('data', (d: Buffer) => {
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(d.toString());
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  await new Promise((r) => setTimeout(r, 5000));
  const idleMb = rss();
  rows.push({
    what: 'embedded server, idle RSS 5 s after start',
    value: `${idleMb.toFixed(0)} MB`,
    baseline: '—',
    ratio: Number.NaN,
    target: '≤ 250 MB',
  });
  // Mixed reads for LOAD_MINUTES (default 10), then idle again: memory must come back flat.
  const minutes = Number(process.env.LOAD_MINUTES ?? 10);
  if (seeded && minutes > 0) {
    const paths = [
      `/api/workspaces/${seeded.workspaceId}/dashboard`,
      `/api/workspaces/${seeded.workspaceId}/dashboard/timelines`,
      `/api/workspaces/${seeded.workspaceId}/obligations`,
      `/api/orgs/${seeded.orgIds[1]}/obligations`,
      `/api/orgs/${seeded.orgIds[2]}/certificates`,
    ];
    let peak = idleMb;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 1000);
    const mixed = await autocannon({
      url: serverBase,
      connections: 4,
      duration: minutes * 60,
      headers: { cookie: seeded.auth.cookie },
      requests: paths.map((p) => ({ method: 'GET', path: p })),
    });
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 10_000));
    const afterMb = rss();
    rows.push({
      what: `embedded server, RSS 10 s after ${minutes} min of mixed reads (${mixed.requests.total} answered, ${mixed.non2xx + mixed.errors} failed; peak ${peak.toFixed(0)} MB)`,
      value: `${afterMb.toFixed(0)} MB`,
      baseline: `idle ${idleMb.toFixed(0)} MB`,
      ratio: idleMb / afterMb,
      target: 'within ±10 % of idle',
    });
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (!kept) await rm(dir, { recursive: true, force: true });

  console.log(
    `\n| Measure | Bytes | Zizhi | Baseline, same run | Ratio | Target |\n| --- | --- | --- | --- | --- | --- |`,
  );
  for (const r of rows) {
    const bytes =
      r.bytes === undefined
        ? ''
        : r.bytes > 1e6
          ? `${(r.bytes / 1e6).toFixed(1)} MB`
          : `${(r.bytes / 1024).toFixed(0)} KB`;
    console.log(
      `| ${r.what} | ${bytes} | ${r.value} | ${r.baseline} | ${Number.isNaN(r.ratio) ? '—' : r.ratio.toFixed(3)} | ${r.target} |`,
    );
  }
  const out = path.join(root, 'tmp', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'consultancy.json'),
    JSON.stringify(
      { orgs: seeded?.orgIds.length ?? ORGS, certificates: seeded?.certIds.length ?? CERTS, rows },
      null,
      2,
    ),
  );
  console.log(`\nwritten: tmp/bench/consultancy.json`);
}

await main();
