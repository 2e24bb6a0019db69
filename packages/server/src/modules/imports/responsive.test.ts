import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../access/actor.js';
import { auditLog, importRuns, importUndo, projects } from '../../db/schema.js';
import { withActor, withSystem } from '../../db/tenancy.js';
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
import { creditCode } from '../../test/consultancy-seed.js';
import { importFile, undoUnfinishedImports, type RunInTransaction, type SaveParts } from './service.js';

/** A CSV of `rows` projects, contract numbers HT-00001 up (from `first`), named `name` and their number. */
const projectsCsv = (rows: number, { first = 1, name = '项目' }: { first?: number; name?: string } = {}) =>
  [
    '项目名称,合同编号,签订日期',
    ...Array.from(
      { length: rows },
      (_, i) => `${name} ${first + i},HT-${String(first + i).padStart(5, '0')},2025-03-05`,
    ),
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
    {
      run,
      onProgress,
      parts,
      csv = projectsCsv(rows),
    }: { run?: RunInTransaction; onProgress?: (p: ImportProgress) => void; parts?: SaveParts; csv?: string } = {},
  ) => {
    const file = path.join(dir, `${orgId}.csv`);
    await writeFile(file, csv);
    return importFile({
      run: run ?? ((fn) => withActor(t.database.db, actor.userId, fn)),
      actor,
      orgId,
      kind: 'projects',
      file: { path: file, name: '项目.csv' },
      dryRun: false,
      ip: 'test',
      parts,
      onProgress,
    });
  };

  const system: RunInTransaction = (fn) => withSystem(t.database.db, fn);
  const logged: string[] = [];
  /** Parts of 1,000 rows: one statement each. */
  const inParts = (over: Partial<SaveParts> = {}): SaveParts => ({
    rows: 1000,
    system,
    log: (_err, message) => void logged.push(message),
    ...over,
  });
  const rowsOf = (orgId: string) =>
    t.database.db.select().from(projects).where(eq(projects.orgId, orgId)).orderBy(asc(projects.contractNumber));
  const journal = async () => ({
    runs: Number((await t.database.db.select({ n: count() }).from(importRuns))[0]!.n),
    undo: Number((await t.database.db.select({ n: count() }).from(importUndo))[0]!.n),
  });
  const imports = async (orgId: string) =>
    Number(
      (
        await t.database.db
          .select({ n: count() })
          .from(auditLog)
          .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'import.completed')))
      )[0]!.n,
    );

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

  it('saves a large file in parts with a turn for others between them, and keeps no journal after', async () => {
    const org = await createOrg(tenant, CREDIT_CODES[2], '分批保存示例科技有限公司');
    const between: string[] = [];
    let saves = 0;
    const created = await importCsv(org.id, 2500, {
      parts: inParts(),
      onProgress: (p) => {
        // After the first part: a read sent now is answered before the next part's transaction.
        if (p.phase === 'save' && p.rows > 0 && saves++ === 0) {
          void tenant.owner
            .get(`/api/orgs/${org.id}`)
            .then((res) => between.push(`read ${res.statusCode} at ${saves}`));
        }
      },
    });
    expect(created).toMatchObject({ errorCount: 0, created: 2500, updated: 0 });
    if (backend === 'pglite') expect(between).toEqual(['read 200 at 1']);
    const updated = await importCsv(org.id, 2500, { parts: inParts(), csv: projectsCsv(2500, { name: '改名项目' }) });
    expect(updated).toMatchObject({ errorCount: 0, created: 0, updated: 2500 });
    const rows = await rowsOf(org.id);
    expect(rows).toHaveLength(2500);
    expect(rows[41]).toMatchObject({ name: '改名项目 42', contractNumber: 'HT-00042' });
    expect(await journal()).toEqual({ runs: 0, undo: 0 });
    expect(await imports(org.id)).toBe(2);
    expect(logged).toEqual([]);
  });

  /** `updates` renamed rows from HT-00001, then `added` new ones after them. */
  const updatesThenNew = (updates: number, added: number) =>
    [
      projectsCsv(updates, { name: '改名项目' }),
      ...projectsCsv(added, { first: updates + 1 })
        .split('\r\n')
        .slice(1),
    ].join('\r\n');

  it('undoes the parts already saved when a later part fails: new rows gone, updated rows as they were', async () => {
    const org = await createOrg(tenant, creditCode(9001), '撤销示例科技有限公司');
    await importCsv(org.id, 1500);
    const kept = await rowsOf(org.id);
    // Parts of one statement: 1,000 and 500 new rows, then 1,000 and 500 updates. The fourth fails,
    // after 1,500 rows were added and 1,000 updated.
    let saved = 0;
    await expect(
      importCsv(org.id, 3000, {
        csv: updatesThenNew(1500, 1500),
        parts: inParts(),
        onProgress: (p) => void (p.phase === 'save' && p.rows > 0 && saved++),
        run: (fn) =>
          saved >= 3
            ? Promise.reject(new Error('could not extend file: No space left on device'))
            : withActor(t.database.db, actor.userId, fn),
      }),
    ).rejects.toThrow(/No space left/);
    expect(saved).toBe(3);
    // Byte for byte as before, update times included.
    expect(await rowsOf(org.id)).toEqual(kept);
    expect(await journal()).toEqual({ runs: 0, undo: 0 });
    expect(await imports(org.id)).toBe(1);
    expect(logged).toEqual([]);
  });

  it('keeps other imports of the kind out while a run is left unfinished, and undoes it at start', async () => {
    const org = await createOrg(tenant, creditCode(9002), '中断示例科技有限公司');
    await importCsv(org.id, 1200);
    const kept = await rowsOf(org.id);
    const stopped: RunInTransaction = () => Promise.reject(new Error('server stopped'));
    // A save stopped after its first part, with nobody left to undo it (the process ended).
    let calls = 0;
    await expect(
      importCsv(org.id, 3000, {
        csv: updatesThenNew(1200, 1800),
        parts: inParts({ system: stopped }),
        onProgress: (p) => {
          if (p.phase === 'save' && p.rows > 0) calls++;
        },
        run: (fn) =>
          calls >= 1 ? Promise.reject(new Error('server stopped')) : withActor(t.database.db, actor.userId, fn),
      }),
    ).rejects.toThrow('server stopped');
    expect(logged.splice(0)).toEqual(['undoing a failed import failed; the next start undoes it']);
    expect((await journal()).runs).toBe(1);
    expect((await rowsOf(org.id)).length).toBeGreaterThan(1200);
    // Another import of projects into the organisation waits for the start to undo it.
    await expect(importCsv(org.id, 10)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '本企业正在保存另一份项目导入，请等它完成后再导入',
    });
    expect(await undoUnfinishedImports(system)).toBe(1);
    expect(await rowsOf(org.id)).toEqual(kept);
    expect(await journal()).toEqual({ runs: 0, undo: 0 });
    expect(await importCsv(org.id, 10)).toMatchObject({ errorCount: 0, updated: 10 });
  });
});
