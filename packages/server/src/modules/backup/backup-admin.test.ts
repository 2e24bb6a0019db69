import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import type { Database } from '../../db/client.js';
import { backupRuns } from '../../db/schema.js';
import { withActor } from '../../db/tenancy.js';
import {
  addMember,
  BACKENDS,
  createTenant,
  createTestDatabase,
  setupAdmin,
  type Client,
  type Tenant,
} from '../../test/harness.js';

interface Overview {
  running: boolean;
  lastBackupAt: string | null;
  lastVerifiedAt: string | null;
  targets: Array<{ target: string; kind: string; archives: Array<{ name: string; runId: string | null }> | null }>;
  runs: Array<{
    id: string;
    status: string;
    target: string;
    archiveName: string;
    bytes: number | null;
    rows: number | null;
    verifyStatus: string | null;
    verifyError: string | null;
    canVerify: boolean;
    error: string | null;
  }>;
}

async function settled(admin: Client, done: (o: Overview) => boolean): Promise<Overview> {
  for (let i = 0; i < 300; i++) {
    const res = await admin.get('/api/admin/backups');
    expect(res.statusCode, res.body).toBe(200);
    const overview = res.json<Overview>();
    if (done(overview)) return overview;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('backup did not finish');
}

describe.each(BACKENDS)('backup administration (%s)', (backend) => {
  let database: Database;
  let app: FastifyInstance;
  let dir: string;
  let a: Tenant;
  let b: Tenant;
  let viewer: Client;
  let workspaceAdmin: Client;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-admin-'));
    const config = loadConfig(
      // On PostgreSQL there is no default target: give the same folder on both.
      { ZIZHI_BACKUP_TARGETS: path.join(dir, 'backups') },
      { dataDir: dir, logLevel: 'silent' },
    );
    app = await buildApp({ database, config, logger: false });
    a = await setupAdmin(app);
    b = await createTenant(app, a.owner);
    viewer = (await addMember(app, a, 'viewer')).client;
    workspaceAdmin = (await addMember(app, a, 'admin')).client;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused (403) to everyone but instance administrators, workspace owners and admins included', async () => {
    const runId = '00000000-0000-4000-8000-000000000000';
    for (const who of [b.owner, viewer, workspaceAdmin]) {
      for (const res of [
        await who.get('/api/admin/backups'),
        await who.post('/api/admin/backups'),
        await who.post(`/api/admin/backups/${runId}/verify`),
      ]) {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error.message).toBe('只有系统管理员可以查看和管理备份');
      }
    }
    const english = await viewer.request('GET', '/api/admin/backups', undefined, { 'accept-language': 'en' });
    expect(english.json().error.message).toBe('Only instance administrators may see and manage backups.');
    expect(await readdir(dir)).not.toContain('backups');
  });

  it('backs up now (202), shows the run, its archive and then the drill that restored it', async () => {
    const admin = a.owner;
    const before = await admin.get('/api/admin/backups');
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({
      schedule: '30 2 * * *',
      timezone: 'Asia/Shanghai',
      keep: { days: 7, weeks: 4, months: 12, years: 0, all: false },
      encryption: 'none',
      running: false,
      lastBackupAt: null,
      lastVerifiedAt: null,
      targets: [{ target: path.join(dir, 'backups'), kind: 'dir', archives: [] }],
      runs: [],
    });

    const started = await admin.post('/api/admin/backups');
    expect(started.statusCode, started.body).toBe(202);
    const [run] = started.json().runs;
    expect(run).toEqual({ id: expect.any(String), target: path.join(dir, 'backups') });

    const done = await settled(admin, (o) => !o.running);
    expect(done.runs).toHaveLength(1);
    const recorded = done.runs[0]!;
    expect(recorded).toMatchObject({ id: run.id, status: 'ok', error: null, canVerify: true, verifyStatus: null });
    expect(recorded.rows).toBeGreaterThan(0);
    expect(done.lastBackupAt).not.toBeNull();
    expect(done.targets[0]!.archives).toEqual([expect.objectContaining({ name: recorded.archiveName, runId: run.id })]);

    const drill = await admin.post(`/api/admin/backups/${run.id}/verify`);
    expect(drill.statusCode, drill.body).toBe(202);
    const verified = await settled(admin, (o) => o.runs[0]!.verifyStatus !== 'running');
    expect(verified.runs[0]!.verifyStatus, verified.runs[0]!.verifyError ?? '').toBe('ok');
    expect(verified.lastVerifiedAt).not.toBeNull();
  }, 120_000);

  it('records a drill that fails on a damaged archive, worded in the language asked for', async () => {
    const admin = a.owner;
    const { runs } = (await admin.get('/api/admin/backups')).json<Overview>();
    const run = runs.find((r) => r.status === 'ok')!;
    await writeFile(path.join(dir, 'backups', run.archiveName), 'not an archive any more');
    expect((await admin.post(`/api/admin/backups/${run.id}/verify`)).statusCode).toBe(202);
    const failed = await settled(admin, (o) => o.runs.find((r) => r.id === run.id)!.verifyStatus !== 'running');
    const after = failed.runs.find((r) => r.id === run.id)!;
    expect(after.verifyStatus).toBe('failed');
    expect(after.verifyError).toMatch(/^恢复演练未通过：这不是 Zizhi 备份文件/);
    const english = (
      await admin.request('GET', '/api/admin/backups', undefined, { 'accept-language': 'en' })
    ).json<Overview>();
    expect(english.runs.find((r) => r.id === run.id)!.verifyError).toMatch(
      /^The restore drill did not pass: This is not/,
    );
    // The last drill that succeeded is still the one shown.
    expect(failed.lastVerifiedAt).not.toBeNull();
  }, 60_000);

  it('keeps the runs from tenant code: the app role may not read them', async () => {
    await expect(withActor(database.db, a.ownerId, (tx) => tx.select().from(backupRuns))).rejects.toSatisfy(
      (err: Error & { cause?: Error }) => /permission denied/.test(err.cause?.message ?? err.message),
    );
  });

  it('answers 404 for a run that does not exist and 400 for an id that is not one', async () => {
    const unknown = await a.owner.post('/api/admin/backups/00000000-0000-4000-8000-000000000000/verify');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('该备份记录不存在');
    expect((await a.owner.post('/api/admin/backups/not-an-id/verify')).statusCode).toBe(400);
  });
});

describe('backup administration without a target', () => {
  it('says how to configure one when asked to back up', async () => {
    const database = await createTestDatabase('pglite');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-none-'));
    const app = await buildApp({
      database,
      config: loadConfig({ ZIZHI_BACKUP_TARGETS: 'none' }, { dataDir: dir, logLevel: 'silent' }),
      logger: false,
    });
    try {
      const { owner } = await setupAdmin(app);
      const overview = await owner.get('/api/admin/backups');
      expect(overview.json()).toMatchObject({ targets: [], runs: [] });
      const res = await owner.post('/api/admin/backups');
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain('ZIZHI_BACKUP_TARGETS');
    } finally {
      await app.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
