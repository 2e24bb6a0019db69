// Benchmark: the supervision preparation pack of an organisation with 500 projects and 2,000
// evidence files (1 GB: four files of 512 KB per project) on the embedded database, downloaded
// over HTTP as a browser would. It prints the time and throughput, the process's peak memory while
// the pack streams (against the memory before: flat means the files are not held), and the p99 of
// a read polled every 50 ms during the download, against the same read polled for the same time
// before it (the baseline, in the same run).
// The read and the pack answer once each before measuring (first-request costs are not measured).
// Run: npx tsx bench/supervision-pack.ts [projects] [fileKb]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config/index.js';
import { openPglite } from '../packages/server/src/db/client.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';
import { creditCode } from '../packages/server/src/test/consultancy-seed.js';
import { createCertificate } from '../packages/server/src/test/factories.js';
import { files, projects, recordFiles } from '../packages/server/src/db/schema.js';
import { withSystem } from '../packages/server/src/db/tenancy.js';
import { createBlobStore } from '../packages/server/src/storage/index.js';

const PROJECTS = Number(process.argv[2] ?? 500);
const FILE_KB = Number(process.argv[3] ?? 512);
const ROLES = ['contract', 'acceptance-report', 'invoice', 'feedback'] as const;

const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-pack-'));
const database = await openPglite(dataDir);
await migrateDatabase(database);
const config = loadConfig({}, { dataDir, logLevel: 'silent', rateLimitPerMinute: 1_000_000_000 });
const app = await buildApp({ database, config, logger: false });
const setup = await app.inject({
  method: 'POST',
  url: '/api/setup',
  payload: { email: 'bench@example.cn', name: '系统管理员', password: 'bench-password-123' },
});
const { csrfToken, workspace } = setup.json<{ csrfToken: string; workspace: { id: string } }>();
const headers = { cookie: setup.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': csrfToken };
const org = (
  await app.inject({
    method: 'POST',
    url: '/api/orgs',
    headers,
    payload: { workspaceId: workspace.id, name: '深圳市智慧城市科技发展集团有限公司', creditCode: creditCode(1) },
  })
).json<{ id: string }>();
const certId = await createCertificate(database.db, {
  orgId: org.id,
  level: 'CS3',
  number: 'CS3-4403-2025-0001',
  issuedOn: '2025-03-15',
});

const warm = (
  await app.inject({
    method: 'POST',
    url: '/api/orgs',
    headers,
    payload: { workspaceId: workspace.id, name: '预热示例有限公司', creditCode: creditCode(2) },
  })
).json<{ id: string }>();
const warmCert = await createCertificate(database.db, {
  orgId: warm.id,
  level: 'CS3',
  number: 'CS3-4403-2025-0002',
  issuedOn: '2025-03-15',
});

// The files: random bytes (as incompressible as the PDFs and scans they stand for), stored
// through the blob store and attached to the projects in their four roles.
const store = createBlobStore(config);
let stored = 0;
const seedStart = performance.now();
for (let batch = 0; batch < PROJECTS; batch += 50) {
  const count = Math.min(50, PROJECTS - batch);
  const blobs: Array<{ sha256: string; size: number }> = [];
  for (let i = 0; i < count * ROLES.length; i++) {
    const blob = await store.put(randomBytes(FILE_KB * 1024));
    stored += blob.size;
    blobs.push(blob);
  }
  await withSystem(database.db, async (tx) => {
    const rows = await tx
      .insert(projects)
      .values(
        Array.from({ length: count }, (_, i) => ({
          orgId: org.id,
          name: `${['智慧园区', '政务云平台', '数据中台', '城市大脑'][(batch + i) % 4]}建设项目（第${batch + i + 1}期）`,
          status: 'accepted' as const,
          acceptedOn: '2026-03-01',
        })),
      )
      .returning({ id: projects.id });
    const fileRows = await tx
      .insert(files)
      .values(
        blobs.map((b, k) => ({
          orgId: org.id,
          sha256: b.sha256,
          size: b.size,
          name: `${ROLES[k % ROLES.length]}-${batch + Math.floor(k / ROLES.length) + 1}.pdf`,
          contentType: 'application/pdf',
        })),
      )
      .returning({ id: files.id });
    await tx.insert(recordFiles).values(
      fileRows.map((f, k) => ({
        orgId: org.id,
        recordType: 'project' as const,
        recordId: rows[Math.floor(k / ROLES.length)]!.id,
        fileId: f.id,
        role: ROLES[k % ROLES.length]!,
      })),
    );
  });
}
const seedSeconds = (performance.now() - seedStart) / 1000;

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const readUrl = `${base}/api/orgs/${org.id}/certificates/${certId}`;

/** Polls the read every 50 ms while `running()` and returns its latencies. */
async function poll(running: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (running()) {
    const start = performance.now();
    const res = await fetch(readUrl, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`read: ${res.status}`);
    times.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return times;
}
const p = (times: number[], q: number) =>
  [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(times.length * q))]!;

// Both the read and the pack route answer once before measuring (the pack of an organisation with
// no files): first-request costs (compiling, loading exceljs and the docx writer) are not measured.
await poll(
  (
    (n) => () =>
      n-- > 0
  )(3),
);
await (
  await fetch(`${base}/api/orgs/${warm.id}/certificates/${warmCert}/packs/supervision.zip`, { headers })
).arrayBuffer();

// The pack, streamed and counted, never held.
global.gc?.();
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
let downloading = true;
const start = performance.now();
const during = poll(() => downloading);
const res = await fetch(`${base}/api/orgs/${org.id}/certificates/${certId}/packs/supervision.zip`, { headers });
if (!res.ok || !res.body) throw new Error(`pack: ${res.status}`);
let bytes = 0;
for await (const chunk of res.body) bytes += (chunk as Uint8Array).length;
const seconds = (performance.now() - start) / 1000;
downloading = false;
const duringTimes = await during;
clearInterval(sampler);

// The baseline: the same read, polled for as long, with nothing else running.
const until = performance.now() + seconds * 1000;
const baseline = await poll(() => performance.now() < until);

console.log(
  `\nSupervision pack: ${PROJECTS} projects, ${PROJECTS * ROLES.length} files of ${FILE_KB} KB (${mb(stored)} MB stored; seeded in ${seedSeconds.toFixed(0)} s), over HTTP on the embedded database\n`,
);
console.log('| Measure | Value |');
console.log('| --- | --- |');
console.log(
  `| Time to download the pack | ${seconds.toFixed(1)} s (${(bytes / 1048576 / seconds).toFixed(0)} MB/s, zip ${mb(bytes)} MB) |`,
);
console.log(
  `| Process memory (RSS) before → peak during | ${mb(rssBefore)} MB → ${mb(rssPeak)} MB (+${mb(rssPeak - rssBefore)} MB) |`,
);
console.log(
  `| Parallel read, p50 / p99 during the pack (n=${duringTimes.length}) | ${p(duringTimes, 0.5).toFixed(0)} / ${p(duringTimes, 0.99).toFixed(0)} ms |`,
);
console.log(
  `| Same read, p50 / p99 alone (baseline, n=${baseline.length}) | ${p(baseline, 0.5).toFixed(0)} / ${p(baseline, 0.99).toFixed(0)} ms |`,
);
console.log(`| p99 ratio, during / alone | ${(p(duringTimes, 0.99) / p(baseline, 0.99)).toFixed(2)} |`);

await app.close();
await database.close();
await rm(dataDir, { recursive: true, force: true });
