// Benchmark: the annual self-check report of an organisation with 500 projects (half of them
// accepted in the year, so the year's project table runs over pages) and 300 staff with their
// qualifications, through the HTTP route on the embedded database: time to .docx and to PDF
// (target under 3 s each), the pages, the bytes and the process's peak memory. Baseline in the
// same run: the same route for an organisation with no evidence (the fixed cost of a document).
// Run: npx tsx bench/self-check-report.ts [projects] [staff] [runs]
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
import { readPdf } from '../packages/server/src/test/documents.js';
import { projects, qualifications, staff } from '../packages/server/src/db/schema.js';
import { withSystem } from '../packages/server/src/db/tenancy.js';
import { stopPdfWorker } from '../packages/server/src/reports/pdf.js';
import { prng } from './prng.js';

const PROJECTS = Number(process.argv[2] ?? 500);
const STAFF = Number(process.argv[3] ?? 300);
const RUNS = Number(process.argv[4] ?? 5);
const TARGET_MS = 3000;

const rand = prng(20261205);
const day = (year: number) =>
  `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;

const rssMb = () => (process.memoryUsage().rss / 1048576).toFixed(0);
const memory = [`at start ${rssMb()} MB`];
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-bench-report-'));
const database = await openPglite(dataDir);
await migrateDatabase(database);
memory.push(`after migrating a new database ${rssMb()} MB`);
const app = await buildApp({
  database,
  config: loadConfig({}, { dataDir, logLevel: 'silent', rateLimitPerMinute: 1_000_000_000 }),
  logger: false,
});
const t = { app, database };
const setup = await app.inject({
  method: 'POST',
  url: '/api/setup',
  payload: { email: 'bench@example.cn', name: '系统管理员', password: 'bench-password-123' },
});
const { csrfToken, workspace } = setup.json<{ csrfToken: string; workspace: { id: string } }>();
const headers = {
  cookie: setup.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
  'x-csrf-token': csrfToken,
};
const createOrg = async (n: number, name: string) =>
  (
    await app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers,
      payload: { workspaceId: workspace.id, name, creditCode: creditCode(n) },
    })
  ).json<{ id: string }>();
const tenant = { owner: { get: (url: string) => app.inject({ method: 'GET', url, headers }) } };
const full = await createOrg(1, '深圳市智慧城市科技发展集团有限公司');
const empty = await createOrg(2, '空白示例有限公司');
const certFull = await createCertificate(t.database.db, {
  orgId: full.id,
  level: 'CS2',
  number: 'CS2-4403-2024-0001',
  issuedOn: '2024-03-15',
});
const certEmpty = await createCertificate(t.database.db, {
  orgId: empty.id,
  level: 'CS2',
  number: 'CS2-4403-2024-0002',
  issuedOn: '2024-03-15',
});

await withSystem(t.database.db, async (tx) => {
  const people = await tx
    .insert(staff)
    .values(
      Array.from({ length: STAFF }, (_, i) => ({
        orgId: full.id,
        name: `员工${i + 1}`,
        isTechnical: rand() < 0.7,
        isRnd: rand() < 0.3,
        employedFrom: day(2018 + Math.floor(rand() * 9)),
        socialInsuranceFrom: '2018-01',
      })),
    )
    .returning({ id: staff.id });
  await tx.insert(qualifications).values(
    people.map((p, i) => ({
      orgId: full.id,
      staffId: p.id,
      kind: i % 3 === 0 ? ('pmp' as const) : ('si-pm' as const),
      name: i % 3 === 0 ? 'PMP' : '系统集成项目管理工程师',
      number: `ZG-${100000 + i}`,
      issuedOn: day(2020 + Math.floor(rand() * 7)),
      expiresOn: day(2027 + Math.floor(rand() * 3)),
    })),
  );
  await tx.insert(projects).values(
    Array.from({ length: PROJECTS }, (_, i) => {
      const accepted = rand() < 0.5 ? day(2026) : day(2022 + Math.floor(rand() * 4));
      return {
        orgId: full.id,
        name: `${['智慧园区', '政务云平台', '数据中台', '城市大脑', '应急指挥'][i % 5]}建设项目（第${i + 1}期）`,
        client: `某市${['政务服务数据管理局', '公安局', '交通运输局', '卫生健康委员会'][i % 4]}`,
        contractNumber: `HT-${2020 + (i % 7)}-${String(i + 1).padStart(4, '0')}`,
        amount: String(Math.round(200_000 + rand() * 9_800_000)),
        signedOn: `${Number(accepted.slice(0, 4)) - 1}${accepted.slice(4)}`,
        acceptedOn: accepted,
        status: 'accepted' as const,
        managerId: people[i % people.length]!.id,
      };
    }),
  );
});

const url = (orgId: string, certId: string, format: string) =>
  `/api/orgs/${orgId}/certificates/${certId}/self-check-report.${format}?year=2026`;

async function time(orgId: string, certId: string, format: string) {
  const times: number[] = [];
  let body: Buffer = Buffer.alloc(0);
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const res = await tenant.owner.get(url(orgId, certId, format));
    times.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(`${format}: ${res.statusCode} ${res.body}`);
    body = res.rawPayload;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { first: times[0]!, median: sorted[Math.floor(sorted.length / 2)]!, body };
}

const rows: string[] = [];
memory.push(`after seeding ${rssMb()} MB`);
for (const format of ['docx', 'pdf']) {
  const base = await time(empty.id, certEmpty, format);
  const big = await time(full.id, certFull, format);
  memory.push(`after the ${format} runs ${rssMb()} MB`);
  const pages = format === 'pdf' ? (await readPdf(big.body)).pages : null;
  rows.push(
    `| ${format} | ${big.first.toFixed(0)} ms | ${big.median.toFixed(0)} ms | ${base.median.toFixed(0)} ms | ${(big.median / base.median).toFixed(1)}× | ${(big.body.length / 1024).toFixed(0)} KB${pages ? `, ${pages} pages` : ''} | < ${TARGET_MS} ms (${big.first < TARGET_MS && big.median < TARGET_MS ? 'met' : 'NOT met'}) |`,
  );
}
console.log(
  `\nSelf-check report, ${PROJECTS} projects and ${STAFF} staff, through the route on the embedded database (${RUNS} runs each)\n`,
);
console.log('| Format | First | Median | Baseline: no evidence, median | Ratio | Size | Target |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
await stopPdfWorker();
(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 1000));
memory.push(`once the idle PDF process has stopped ${rssMb()} MB`);
console.log(
  `\nRSS ${memory.join(', ')}; peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (of this process; the PDF process apart)`,
);
await stopPdfWorker();
await app.close();
await database.close();
await rm(dataDir, { recursive: true, force: true });
