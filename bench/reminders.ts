// Benchmark: one reminder sweep of 10,000 due reminders to a signed webhook channel against a local
// HTTP receiver: reminders per second, on the embedded database (PGlite) and on a PostgreSQL server,
// and on PostgreSQL with two sweepers (two connection pools standing in for two server processes)
// running at the same instant: duplicates must be 0 and every reminder must arrive.
// PostgreSQL: DATABASE_URL or TEST_DATABASE_URL (a scratch database is created next to it and
// dropped), else postgres://postgres@127.0.0.1:5432/test when reachable; skipped otherwise.
// Run: npx tsx bench/reminders.ts [count]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadConfig } from '../packages/server/src/config/index.js';
import { openPostgres, wrapPglite, type Database } from '../packages/server/src/db/client.js';
import {
  channels,
  notificationPreferences,
  organisations,
  users,
  workspaceMembers,
  workspaces,
} from '../packages/server/src/db/schema.js';
import { withSystem } from '../packages/server/src/db/tenancy.js';
import { seal, maskUrl } from '../packages/server/src/notify/secret-box.js';
import { seedDueObligations } from '../packages/server/src/test/reminder-seed.js';
import { runSweep, type SweepReport } from '../packages/server/src/jobs/reminders/sweep.js';
import { migrateDatabase } from '../packages/server/src/db/migrate.js';

const COUNT = Number(process.argv[2] ?? 10_000);
const KEY = randomBytes(32);
const SECRET = 'bench-webhook-secret';
const AT = Date.parse('2026-12-04T09:00:00+08:00');
// The receiver listens on loopback, which the channel address policy refuses otherwise.
const config = loadConfig(
  { ZIZHI_SECRET_KEY: KEY.toString('base64'), ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1' },
  { logLevel: 'silent' },
);

/** Counts webhook events by id. */
async function startReceiver() {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A workspace with one organisation, a webhook channel, and an owner who wants no in-app copies. */
async function seed(database: Database, url: string) {
  return withSystem(database.db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: `bench-${Date.now()}@example.cn`, name: '基准', passwordHash: 'x' })
      .returning();
    const [ws] = await tx.insert(workspaces).values({ name: '基准工作空间' }).returning();
    await tx.insert(workspaceMembers).values({ workspaceId: ws!.id, userId: user!.id, role: 'owner' });
    await tx
      .insert(notificationPreferences)
      .values({ workspaceId: ws!.id, userId: user!.id, inApp: false, email: false, digest: 'none' });
    const [org] = await tx
      .insert(organisations)
      .values({ workspaceId: ws!.id, name: '基准企业', creditCode: '91440300708461136T' })
      .returning();
    await tx.insert(channels).values({
      workspaceId: ws!.id,
      type: 'webhook',
      name: 'bench',
      config: seal(KEY, JSON.stringify({ url, secret: SECRET })),
      hint: { url: maskUrl(url), hasSecret: true },
    });
    return org!.id;
  });
}

function summary(seen: Map<string, number>) {
  let duplicates = 0;
  for (const n of seen.values()) if (n > 1) duplicates += n - 1;
  return { received: seen.size, duplicates, missing: COUNT - seen.size };
}

async function measure(label: string, database: Database, sweepers: Database[]) {
  const receiver = await startReceiver();
  try {
    const orgId = await seed(database, receiver.url);
    await seedDueObligations(database.db, {
      orgId,
      count: COUNT,
      dueDate: '2026-12-08',
      nextAt: new Date(AT),
      prefix: 'bench',
    });
    const t0 = performance.now();
    const reports: SweepReport[] = await Promise.all(
      sweepers.map((s) => runSweep({ db: s.db, config, kind: s.kind, at: AT })),
    );
    const ms = performance.now() - t0;
    const s = summary(receiver.seen);
    const claimedBy = reports.map((r) => r.claimed).join(' + ');
    console.log(
      `${label.padEnd(34)} ${String(COUNT).padStart(6)} reminders in ${(ms / 1000).toFixed(2)} s = ` +
        `${Math.round((COUNT / ms) * 1000)
          .toString()
          .padStart(5)} reminders/s; received ${s.received}, duplicates ${s.duplicates}, missing ${s.missing}` +
        (sweepers.length > 1 ? ` (claimed ${claimedBy})` : ''),
    );
    return s;
  } finally {
    await receiver.close();
  }
}

async function postgresUrl(): Promise<string | null> {
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return null;
  }
}

let bad = 0;
{
  const database = wrapPglite(await PGlite.create());
  await migrateDatabase(database);
  const s = await measure('PGlite, one sweeper', database, [database]);
  if (s.duplicates > 0 || s.missing > 0) bad++;
  await database.close();
}

const adminUrl = await postgresUrl();
if (!adminUrl) {
  console.log('PostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL; nothing answered on 127.0.0.1:5432)');
} else {
  for (const sweepers of [1, 2]) {
    const name = `zizhi_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const pools = Array.from({ length: sweepers }, () => openPostgres(url.toString()));
    try {
      await migrateDatabase(pools[0]!);
      const s = await measure(
        sweepers > 1 ? `PostgreSQL, ${sweepers} sweepers concurrently` : 'PostgreSQL, one sweeper',
        pools[0]!,
        pools,
      );
      if (s.duplicates > 0 || s.missing > 0) bad++;
    } finally {
      for (const p of pools) await p.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    }
  }
}
console.log(bad === 0 ? 'OK: every reminder delivered exactly once.' : 'FAILED: duplicates or missing reminders.');
process.exitCode = bad === 0 ? 0 : 1;
