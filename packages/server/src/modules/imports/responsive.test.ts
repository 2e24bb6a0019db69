import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../access/actor.js';
import { projects } from '../../db/schema.js';
import { withActor } from '../../db/tenancy.js';
import {
  BACKENDS,
  createOrg,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import type { ImportProgress } from '../../http/progress.js';
import { importFile, type RunInTransaction } from './service.js';

/** A CSV of `rows` new projects, contract numbers HT-00001 up. */
const projectsCsv = (rows: number) =>
  [
    '项目名称,合同编号,签订日期',
    ...Array.from({ length: rows }, (_, i) => `项目 ${i + 1},HT-${String(i + 1).padStart(5, '0')},2025-03-05`),
  ].join('\r\n');

describe.each(BACKENDS)('imports beside other work (%s)', (backend) => {
  let t: TestApp;
  let tenant: Tenant;
  let actor: Actor;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    tenant = await setupAdmin(t.app);
    actor = { userId: tenant.ownerId, email: 'owner@example.cn', name: '所有者', isAdmin: true, via: 'session' };
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-import-turns-'));
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const importCsv = async (
    orgId: string,
    rows: number,
    { run, onProgress }: { run?: RunInTransaction; onProgress?: (p: ImportProgress) => void } = {},
  ) => {
    const file = path.join(dir, `${orgId}.csv`);
    await writeFile(file, projectsCsv(rows));
    return importFile({
      run: run ?? ((fn) => withActor(t.database.db, actor.userId, fn)),
      actor,
      orgId,
      kind: 'projects',
      file: { path: file, name: '项目.csv' },
      dryRun: false,
      ip: 'test',
      onProgress,
    });
  };

  // The embedded database lets nobody in while a transaction is open and runs its statements on
  // the event loop without giving a turn: an import that checked rows inside its write
  // transaction, or saved batch after batch without a turn, stalled every other request.
  it.runIf(backend === 'pglite')(
    'answers a request sent while it checks rows against the database before saving, and turns the event loop between saved batches',
    async () => {
      const org = await createOrg(tenant);
      const order: string[] = [];
      let read: Promise<void> | undefined;
      const outcome = await importCsv(org.id, 3000, {
        onProgress: (p) => {
          if (p.phase === 'validate' && !read) {
            read = tenant.owner.get(`/api/orgs/${org.id}`).then((res) => void order.push(`read ${res.statusCode}`));
          }
          if (p.phase === 'save' && !order.includes('save')) {
            order.push('save');
            setImmediate(() => order.push('a turn during the save'));
          }
        },
      });
      order.push('imported');
      await read;
      expect(outcome).toMatchObject({ errorCount: 0, created: 3000 });
      expect(order).toEqual(['read 200', 'save', 'a turn during the save', 'imported']);
    },
  );

  it('places rows again under the lock when the records changed after they were checked', async () => {
    const org = await createOrg(tenant, CREDIT_CODES[1], '另一家示例科技有限公司');
    // Another import (or a form) saves one of the file's contract numbers after the rows were
    // placed as new, before the write transaction: the row must update it, not add a twin.
    let armed = true;
    let sneak: (() => Promise<void>) | null = null;
    const outcome = await importCsv(org.id, 3000, {
      run: async (fn) => {
        const other = sneak;
        sneak = null;
        await other?.();
        return withActor(t.database.db, actor.userId, fn);
      },
      onProgress: (p) => {
        if (p.phase !== 'validate' || p.rows < 2000 || !armed) return;
        armed = false;
        sneak = async () => {
          await withActor(t.database.db, actor.userId, (tx) =>
            tx.insert(projects).values({ orgId: org.id, name: '手工登记的项目', contractNumber: 'ht-00042' }),
          );
        };
      },
    });
    expect(outcome).toMatchObject({ errorCount: 0, created: 2999, updated: 1 });
    const twins = await t.database.db
      .select({ name: projects.name, contractNumber: projects.contractNumber })
      .from(projects)
      .where(and(eq(projects.orgId, org.id), eq(projects.name, '项目 42')));
    expect(twins).toEqual([{ name: '项目 42', contractNumber: 'ht-00042' }]);
  });
});
