import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config/index.js';
import type { Database } from '../db/client.js';
import { backupRuns, organisations, workspaces } from '../db/schema.js';
import { withSystem } from '../db/tenancy.js';
import { BackupService, type BackupLog } from '../modules/backup/service.js';
import { archiveName, DirTarget, openTargets } from '../modules/backup/targets.js';
import { BACKENDS, createTestDatabase } from '../test/harness.js';
import { startS3rver, type LocalS3 } from '../test/s3rver.js';
import { startBackupJobs } from './backup.js';

const BUCKET = 'zizhi-backups';
const KEYS = { ZIZHI_S3_ACCESS_KEY_ID: 'S3RVER', ZIZHI_S3_SECRET_ACCESS_KEY: 'S3RVER' };

let local: LocalS3;
let endpoint: string;
let s3: S3Client;

beforeAll(async () => {
  local = await startS3rver(BUCKET);
  endpoint = local.endpoint;
  s3 = local.client;
});

afterAll(() => local?.close());

/** Collects what the job logs, so a test can show it when something fails. */
function memoryLog(): BackupLog & { lines: string[] } {
  const lines: string[] = [];
  const put = (level: string) => (obj: object, msg: string) => lines.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  return { lines, info: put('info'), warn: put('warn'), error: put('error') };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function s3Object(key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

const s3Keys = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

const runsOf = (database: Database) =>
  withSystem(database.db, (tx) => tx.select().from(backupRuns).orderBy(backupRuns.target));

async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, log?: { lines: string[] }) {
  // Generous: on a loaded machine the first tick, the backup and the drill can take a while.
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${log?.lines.join('\n') ?? ''}`);
}

/** Something worth backing up: a workspace and an organisation. */
async function seed(database: Database): Promise<void> {
  await withSystem(database.db, async (tx) => {
    const [ws] = await tx.insert(workspaces).values({ name: '备份测试' }).returning();
    await tx.insert(organisations).values({ workspaceId: ws!.id, name: '备份企业', creditCode: '91440300708461136T' });
  });
}

function connectionString(database: Database): string | undefined {
  if (database.kind !== 'postgres') return undefined;
  return (database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options
    .connectionString;
}

describe.each(BACKENDS)('scheduled backups on %s', (backend) => {
  it('back up on the schedule to a folder and an S3 bucket at once, the same archive in both, and drill it', async () => {
    const database = await createTestDatabase(backend);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-job-'));
    const prefix = `dual-${backend}/`;
    const log = memoryLog();
    try {
      await seed(database);
      const databaseUrl = connectionString(database);
      const config = loadConfig({
        ZIZHI_DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        ZIZHI_BACKUP_TARGETS: `${path.join(dir, 'backups')}, s3://${BUCKET}/${prefix}`,
        ZIZHI_S3_ENDPOINT: endpoint,
        ...KEYS,
        // Every minute: pg-boss sends the current minute's job at once.
        ZIZHI_BACKUP_SCHEDULE: '* * * * *',
        ZIZHI_BACKUP_VERIFY: 'true',
        // A second tick's backup must not delete the first one's archive before it is checked.
        ZIZHI_BACKUP_KEEP: 'all',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      });
      const jobs = await startBackupJobs({
        database,
        config,
        log,
        boss: { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 },
      });
      let runs;
      try {
        // The first tick's two runs (on a slow machine the next minute's tick may start another backup).
        const firstBackup = async () => {
          const rows = await runsOf(database);
          const first = [...rows].sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime())[0];
          return rows.filter((r) => r.archiveName === first?.archiveName);
        };
        runs = await waitFor(
          'a scheduled backup and its drill',
          firstBackup,
          (rows) =>
            rows.length === 2 &&
            rows.every((r) => r.status !== 'running') &&
            rows.some((r) => r.verifyStatus === 'ok' || r.verifyStatus === 'failed'),
          log,
        );
      } finally {
        await jobs.stop();
      }
      const [folder, bucket] = runs;
      expect([folder!.target, bucket!.target]).toEqual([path.join(dir, 'backups'), `s3://${BUCKET}/${prefix}`]);
      for (const run of runs) {
        expect(run, log.lines.join('\n')).toMatchObject({ status: 'ok', trigger: 'scheduled', error: null });
        expect(run.rows).toBeGreaterThan(0);
      }
      // One snapshot, one archive: the same name, size and SHA-256 in both places.
      expect(bucket!.archiveName).toBe(folder!.archiveName);
      expect(bucket!.sha256).toBe(folder!.sha256);
      const local = await readFile(path.join(dir, 'backups', folder!.archiveName));
      const remote = await s3Object(`${prefix}${bucket!.archiveName}`);
      expect(sha256(local)).toBe(folder!.sha256);
      expect(sha256(remote)).toBe(folder!.sha256);
      expect(local.length).toBe(folder!.bytes);
      // The drill ran once, on the folder's copy (no transfer out of the bucket).
      expect(folder!.verifyStatus, JSON.stringify(folder!.verifyError)).toBe('ok');
      expect(folder!.verifiedAt).not.toBeNull();
      expect(bucket!.verifyStatus).toBeNull();
      // No partial file was left beside the archive.
      expect(
        (await readdir(path.join(dir, 'backups'))).filter((n) => !/^zizhi-backup-[^.]+\.tar\.gz$/.test(n)),
      ).toEqual([]);
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('backup jobs at start', () => {
  it('mark a run a stopped server left running as interrupted, and schedule nothing when backups are off', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const [left] = await withSystem(database.db, (tx) =>
        tx
          .insert(backupRuns)
          .values({ status: 'running', trigger: 'scheduled', target: '/srv/backups', archiveName: 'a.tar.gz' })
          .returning(),
      );
      const config = loadConfig({ ZIZHI_BACKUP_TARGETS: '/srv/backups', ZIZHI_BACKUP_SCHEDULE: 'off' });
      const jobs = await startBackupJobs({ database, config, log: memoryLog() });
      await jobs.stop();
      const [after] = await withSystem(database.db, (tx) =>
        tx.select().from(backupRuns).where(eq(backupRuns.id, left!.id)),
      );
      expect(after).toMatchObject({ status: 'failed', error: { zh: expect.stringContaining('备份未完成') } });
      expect(after!.finishedAt).not.toBeNull();
    } finally {
      await database.close();
    }
  });
});

describe('a backup run', () => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seed(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  const configFor = (targets: string, env: Record<string, string> = {}): Config =>
    loadConfig({
      ZIZHI_DATA_DIR: dir,
      ZIZHI_BACKUP_TARGETS: targets,
      ...(targets.includes('s3://') ? { ZIZHI_S3_ENDPOINT: endpoint, ...KEYS } : {}),
      ...env,
    });

  it('records a failed run with a clear message for the target that fails, while the other target succeeds', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-fail-'));
    const log = memoryLog();
    try {
      const config = configFor(`${path.join(dir, 'backups')},s3://no-such-bucket/x`);
      const service = new BackupService({ database, config, log });
      const started = await service.start({ trigger: 'manual' });
      expect(started.runs.map((r) => r.target)).toEqual([path.join(dir, 'backups'), 's3://no-such-bucket/x/']);
      const runs = await started.finished;
      const byTarget = new Map(runs.map((r) => [r.target, r]));
      const folder = byTarget.get(path.join(dir, 'backups'))!;
      const bucket = byTarget.get('s3://no-such-bucket/x/')!;
      expect(folder).toMatchObject({ status: 'ok', error: null });
      expect(await readdir(path.join(dir, 'backups'))).toEqual([folder.archiveName]);
      expect(bucket.status).toBe('failed');
      expect(bucket.finishedAt).not.toBeNull();
      expect(bucket.error).toEqual({
        zh: expect.stringContaining('备份位置 s3://no-such-bucket/x/ 的存储桶不存在'),
        en: expect.stringContaining('The bucket of the backup target s3://no-such-bucket/x/ does not exist'),
      });
      // Worded for people: no stack trace, no key.
      expect(JSON.stringify(bucket.error)).not.toMatch(/\n\s+at |S3RVER/);
      expect(await s3Keys('x/')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails every run and leaves no archive or partial file when every target fails', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-fail-'));
    try {
      // A file where the folder should be: the folder cannot be created.
      await writeFile(path.join(dir, 'taken'), 'not a folder');
      const config = configFor(`${path.join(dir, 'taken', 'backups')},s3://no-such-bucket/y`);
      const service = new BackupService({ database, config, log: memoryLog() });
      const runs = await (await service.start({ trigger: 'manual' })).finished;
      expect(runs.map((r) => r.status)).toEqual(['failed', 'failed']);
      expect(runs.every((r) => r.error && !/\n\s+at /.test(r.error.zh + r.error.en))).toBe(true);
      expect(await readdir(dir)).toEqual(['taken', 'tmp']);
      // The spool of the tables is gone too.
      expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a second backup while one runs', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-twice-'));
    try {
      const config = configFor(path.join(dir, 'backups'));
      const service = new BackupService({ database, config, log: memoryLog() });
      const first = await service.start({ trigger: 'manual' });
      await expect(service.start({ trigger: 'scheduled' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await first.finished;
      const second = await service.start({ trigger: 'manual' });
      await second.finished;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('deletes the archives retention no longer keeps at each target, and keeps the rest', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-keep-'));
    const prefix = 'keep/';
    try {
      // Ten earlier nightly archives, 2026-11-17 … 2026-11-26 at 02:30 China time, in both targets.
      const folder = path.join(dir, 'backups');
      await mkdir(folder);
      const earlier = Array.from({ length: 10 }, (_, i) => {
        const at = new Date(Date.parse('2026-11-17T02:30:00+08:00') + i * 86_400_000);
        return { at, name: archiveName(at, { encrypted: false }) };
      });
      const config = configFor(`${folder},s3://${BUCKET}/${prefix}`, { ZIZHI_BACKUP_KEEP: '3d,2w' });
      const [dirTarget, s3Target] = openTargets(config);
      for (const { at, name } of earlier) {
        await writeFile(path.join(folder, name), `old ${name}`);
        await utimes(path.join(folder, name), at, at);
        await s3Target!.save(name, (await import('node:stream')).Readable.from([Buffer.from(`old ${name}`)]));
      }
      // A file that is not an archive is never touched.
      await writeFile(path.join(folder, 'notes.txt'), 'keep me');
      const now = new Date('2026-11-27T02:30:00+08:00');
      const service = new BackupService({ database, config, log: memoryLog(), now: () => now });
      const runs = await (await service.start({ trigger: 'scheduled' })).finished;
      expect(runs.map((r) => r.status)).toEqual(['ok', 'ok']);
      const kept = (names: string[]) =>
        names
          .filter((n) => n !== 'notes.txt')
          .map((n) => n.replace(/^zizhi-backup-(\d{8}).*$/, '$1'))
          .sort();
      // 3 days: 27 (new), 26, 25 (UTC dates of 02:30 China time are the day before); 2 ISO weeks:
      // week 48's newest is the new one, week 47's is Sunday 22 November.
      const expected = ['20261121', '20261124', '20261125', '20261126'];
      expect(kept(await readdir(folder))).toEqual(expected);
      expect(await readdir(folder)).toContain('notes.txt');
      expect(kept((await s3Keys(prefix)).map((k) => k.slice(prefix.length)))).toEqual(expected);
      expect((await dirTarget!.list()).map((a) => a.name)).toContain(runs[0]!.archiveName);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('marks runs of the archives retention deleted', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-mark-'));
    try {
      const config = configFor(path.join(dir, 'backups'), { ZIZHI_BACKUP_KEEP: '1d' });
      const day = (d: string) => new Date(`${d}T02:30:00+08:00`);
      const first = new BackupService({ database, config, log: memoryLog(), now: () => day('2026-11-25') });
      const [old] = await (await first.start({ trigger: 'scheduled' })).finished;
      const second = new BackupService({ database, config, log: memoryLog(), now: () => day('2026-11-26') });
      const [recent] = await (await second.start({ trigger: 'scheduled' })).finished;
      const [after] = await withSystem(database.db, (tx) =>
        tx.select().from(backupRuns).where(eq(backupRuns.id, old!.id)),
      );
      expect(after!.deletedAt).not.toBeNull();
      expect(await readdir(path.join(dir, 'backups'))).toEqual([recent!.archiveName]);
      expect(new DirTarget(path.join(dir, 'backups')).display).toBe(recent!.target);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
