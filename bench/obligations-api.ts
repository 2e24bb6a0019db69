// GET /api/orgs/:orgId/obligations for one organisation with 3 certificates (CS3, CS2, CS4) and
// 30 events each over their years, under autocannon (50 connections, 10 s), against a bare
// Fastify JSON route serving a same-size body in the same process and run. Targets: ratio at
// least 0.2, p99 under 100 ms. Also recomputing one certificate after an event: under 50 ms.
// On a fresh PGlite, and on PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set
// (a database of its own, dropped afterwards). Run: npx tsx bench/obligations-api.ts
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config/index.js';
import { openPglite, openPostgres, type Database } from '../packages/server/src/db/client.js';
import { certificateEvents } from '../packages/server/src/db/schema.js';
import { withSystem } from '../packages/server/src/db/tenancy.js';
import { createCertificate, type EventInput } from '../packages/server/src/test/factories.js';
import { recomputeCertificate } from '../packages/server/src/modules/obligations/recompute.js';
import { addCalendarDays } from '../packages/core/src/index.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const EVENTS_PER_CERTIFICATE = 30;
const RECOMPUTE_RUNS = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** 30 events spread over the certificate's years, of every kind that keeps it active. */
function eventsFor(issuedOn: string): EventInput[] {
  const events: EventInput[] = [];
  const year = Number(issuedOn.slice(0, 4));
  // A passed supervision each year keeps the certificate active, so later events still count.
  for (let k = 1; k <= 3; k++) {
    events.push({ type: 'supervision.done', date: addCalendarDays(issuedOn, 365 * k + 30), data: { passed: true } });
    events.push({
      type: 'self-check.notice',
      date: `${year + k}-03-01`,
      data: { year: year + k, deadline: `${year + k}-04-30` },
    });
  }
  const kinds = ['complaint', 'license.changed', 'change.general', 'change.applied', 'policy.update', 'incident'];
  for (let i = 0; events.length < EVENTS_PER_CERTIFICATE; i++) {
    const date = addCalendarDays(issuedOn, 20 + i * 45);
    const type = kinds[i % kinds.length]!;
    events.push(type === 'incident' ? { type, at: `${date}T10:15:00+08:00` } : { type, date });
  }
  return events;
}

async function openDatabase(kind: 'pglite' | 'postgres', url?: string) {
  if (kind === 'pglite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-'));
    const database = await openPglite(path.join(dir, 'pgdata'));
    await migrateDatabase(database);
    return { database, dataDir: dir, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `zizhi_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`create database ${name}`);
  const target = new URL(url!);
  target.pathname = `/${name}`;
  const database = openPostgres(target.toString());
  await migrateDatabase(database);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-'));
  return {
    database,
    dataDir: dir,
    drop: async () => {
      await rm(dir, { recursive: true, force: true });
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

async function load(url: string, headers: Record<string, string> = {}) {
  // Load comes from a worker thread, so the servers keep this thread's event loop to themselves.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers, workers: 1 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers, workers: 1 });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses under load`);
  // Requests waiting longer than autocannon's 10 s time-out are reported, not hidden.
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    timeouts: result.timeouts,
    total: result.requests.total,
  };
}

async function seed(database: Database, base: string) {
  const setup = await fetch(`${base}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.cn', name: '压测管理员', password: 'bench-password-123' }),
  });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const cookie = setup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken, workspace } = (await setup.json()) as { csrfToken: string; workspace: { id: string } };
  const org = await fetch(`${base}/api/orgs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      workspaceId: workspace.id,
      name: '深圳市示例科技有限公司',
      creditCode: '91440300708461136T',
    }),
  });
  if (org.status !== 201) throw new Error(`org: ${org.status} ${await org.text()}`);
  const orgId = ((await org.json()) as { id: string }).id;
  const certIds: string[] = [];
  for (const [level, issuedOn] of [
    ['CS3', '2023-03-15'],
    ['CS2', '2023-06-01'],
    ['CS4', '2023-09-20'],
  ] as const) {
    certIds.push(
      await createCertificate(database.db, {
        orgId,
        level,
        number: `${level}-${issuedOn.slice(0, 4)}-0001`,
        issuedOn,
        events: eventsFor(issuedOn),
      }),
    );
  }
  return { cookie, orgId, certIds };
}

async function run(kind: 'pglite' | 'postgres', url?: string) {
  const { database, dataDir, drop } = await openDatabase(kind, url);
  const config = loadConfig({}, { dataDir, logLevel: 'silent', rateLimitPerMinute: 1_000_000_000 });
  const app = await buildApp({ database, config, logger: false });
  const bare = Fastify({ logger: false });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const { cookie, orgId, certIds } = await seed(database, base);
    const target = `${base}/api/orgs/${orgId}/obligations`;
    const sample = await fetch(target, { headers: { cookie } });
    if (sample.status !== 200) throw new Error(`${target}: ${sample.status} ${await sample.text()}`);
    const body = (await sample.json()) as { items: unknown[] };
    const size = JSON.stringify(body).length;
    console.log(
      `seeded (${kind}): 3 certificates, ${EVENTS_PER_CERTIFICATE * 3} events, ${body.items.length} obligations; response ${(size / 1024).toFixed(0)} KiB`,
    );

    bare.get('/bare', (_request, reply) => reply.send(body));
    const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });

    const zizhi = await load(target, { cookie });
    const baseline = await load(`${bareBase}/bare`);
    const ratio = zizhi.rps / baseline.rps;
    console.log(
      `obligations api (${kind}): ${zizhi.rps.toFixed(0)} req/s, p99 ${zizhi.p99} ms, ${zizhi.timeouts} of ${zizhi.total + zizhi.timeouts} over 10 s; bare fastify ${baseline.rps.toFixed(0)} req/s, p99 ${baseline.p99} ms; ratio ${ratio.toFixed(2)}` +
        ` (target ratio ≥ 0.2 ${verdict(ratio >= 0.2)}, p99 < 100 ms ${verdict(zizhi.p99 < 100)})`,
    );

    const certId = certIds[0]!;
    const times: number[] = [];
    for (let i = 0; i < RECOMPUTE_RUNS; i++) {
      await withSystem(database.db, (tx) =>
        tx.insert(certificateEvents).values({
          orgId,
          certificateId: certId,
          type: 'complaint',
          date: addCalendarDays('2025-01-06', i * 7),
        }),
      );
      const started = performance.now();
      await withSystem(database.db, (tx) => recomputeCertificate(tx, certId));
      times.push(performance.now() - started);
    }
    const m = median(times);
    console.log(
      `recompute one certificate after an event (${kind}): median ${m.toFixed(1)} ms over ${RECOMPUTE_RUNS} runs; target < 50 ms (${verdict(m < 50)})`,
    );
  } finally {
    await bare.close();
    await app.close();
    await database.close();
    await drop();
  }
}

await run('pglite');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (serverUrl) await run('postgres', serverUrl);
else console.log('postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to run it)');
