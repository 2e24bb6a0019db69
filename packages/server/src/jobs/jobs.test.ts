import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { channels, deliveries, organisations, workspaces } from '../db/schema.js';
import { withSystem } from '../db/tenancy.js';
import { seedDueObligations } from '../test/reminder-seed.js';
import { startRobotPeer } from '../test/peers.js';
import { maskUrl, seal } from '../notify/secret-box.js';
import { BACKENDS, createTestDatabase, TEST_NOW } from '../test/harness.js';
import { startReminderJobs } from './reminders/schedule.js';

const KEY = Buffer.alloc(32, 9);
const silent = { info: () => {}, error: () => {} };

describe.each(BACKENDS)('reminder jobs on %s', (backend) => {
  it('sweep at start and then periodically, and stop cleanly', async () => {
    const database = await createTestDatabase(backend);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-jobs-'));
    const robots = await startRobotPeer();
    try {
      const databaseUrl =
        backend === 'postgres'
          ? (database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options
              .connectionString
          : undefined;
      const config = loadConfig(
        {
          ZIZHI_SECRET_KEY: KEY.toString('base64'),
          // The robot peer listens on loopback, which the channel address policy refuses otherwise.
          ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1',
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        },
        { dataDir: dir, logLevel: 'silent' },
      );
      const orgId = await withSystem(database.db, async (tx) => {
        const [ws] = await tx.insert(workspaces).values({ name: '任务' }).returning();
        const url = `${robots.url}/wecom?key=k`;
        await tx.insert(channels).values({
          workspaceId: ws!.id,
          type: 'wecom',
          name: '群机器人',
          config: seal(KEY, JSON.stringify({ url })),
          hint: { url: maskUrl(url), hasSecret: false },
        });
        const [org] = await tx
          .insert(organisations)
          .values({ workspaceId: ws!.id, name: '任务企业', creditCode: '91440300708461136T' })
          .returning();
        return org!.id;
      });
      // Due at the test clock's instant: the sweep at start must send them.
      await seedDueObligations(database.db, {
        orgId,
        count: 3,
        dueDate: '2026-11-27',
        nextAt: new Date(TEST_NOW - 60_000),
        prefix: 'job',
      });
      const jobs = await startReminderJobs({ database, config, log: silent });
      const sent = async () =>
        (
          await withSystem(database.db, (tx) =>
            tx
              .select({ n: sql<number>`count(*)::int` })
              .from(deliveries)
              .where(eq(deliveries.status, 'sent')),
          )
        )[0]!.n;
      for (let i = 0; i < 100 && (await sent()) < 3; i++) await new Promise((r) => setTimeout(r, 200));
      await jobs.stop();
      expect(await sent()).toBe(3);
      expect(robots.requests.filter((r) => r.path === '/wecom')).toHaveLength(3);
      const rows = await withSystem(database.db, (tx) =>
        tx.select().from(deliveries).where(like(deliveries.key, 'r:%')),
      );
      expect(rows.every((r) => r.channelType === 'wecom')).toBe(true);
    } finally {
      await robots.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
