// The `zizhi backup` / `restore` commands: in-process for their output and exit codes, as a real
// child process for what only a killed process shows, and against s3rver for S3 targets.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBackupCommands } from '../../cli/backup.js';
import { runCli } from '../../cli/run.js';
import { loadConfig } from '../../config/index.js';
import { openPglite } from '../../db/client.js';
import { LocalBlobStore } from '../../storage/index.js';
import { createDataFolder, flipByte, rewriteArchive } from '../../test/backup-archives.js';
import { S3RVER_KEYS, startS3rver, type LocalS3 } from '../../test/s3rver.js';
import { tableHashes } from './restore.js';

// Whole restores (each creates an embedded database) take seconds each, more on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../cli/index.ts');
const ROOT = path.resolve(here, '../../../../..');

let work: string;
let data: Awaited<ReturnType<typeof createDataFolder>>;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-cli-'));
  data = await createDataFolder([200 * 1024, 50 * 1024]);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(data.dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = 0;
});

/** Runs `zizhi …args` in-process with the given settings; returns its output and exit code. */
async function zizhi(env: Record<string, string>, ...args: string[]) {
  let out = '';
  let err = '';
  const program = new Command().name('zizhi');
  registerBackupCommands(program, {
    config: () => loadConfig({ LOG_LEVEL: 'silent', ...env }),
    write: { out: (t) => void (out += t), err: (t) => void (err += t) },
    progressStream: null,
    askPassphrase: () => Promise.reject(new Error('no terminal in tests')),
  });
  process.exitCode = 0;
  await runCli(program, ['node', 'zizhi', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

const archivesIn = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();

async function hashesOf(dir: string) {
  const database = await openPglite(dir);
  try {
    return await tableHashes(database);
  } finally {
    await database.close();
  }
}

describe('zizhi backup and restore on the command line', () => {
  it('backs up a data folder, lists, verifies and restores it into an empty one, and refuses a second restore', async () => {
    const out = path.join(work, 'plain');
    const made = await zizhi({ ZIZHI_DATA_DIR: data.dir }, 'backup', '--to', out);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain('备份完成');
    expect(made.out).toContain('Backup written');
    const names = await archivesIn(out);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^zizhi-backup-\d{8}T\d{6}Z\.tar\.gz$/);
    const archive = path.join(out, names[0]!);

    const listed = await zizhi({ ZIZHI_DATA_DIR: data.dir }, 'backup', 'list', out);
    expect(listed.out).toContain(names[0]);

    const verified = await zizhi({}, 'backup', 'verify', archive);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('校验通过');
    expect(verified.out).toContain('OK:');

    const fresh = path.join(work, 'restored');
    const restored = await zizhi({ ZIZHI_DATA_DIR: fresh }, 'restore', archive);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/^恢复完成/);
    expect(restored.out).toContain('Restored');
    expect(await hashesOf(fresh)).toEqual(data.hashes);
    const blobs = new LocalBlobStore(path.join(fresh, 'files'));
    for (const content of data.files) {
      const { createHash } = await import('node:crypto');
      expect(await blobs.has(createHash('sha256').update(content).digest('hex'))).toBe(true);
    }

    const again = await zizhi({ ZIZHI_DATA_DIR: fresh }, 'restore', archive);
    expect(again.code).toBe(1);
    expect(again.err).toContain('目标数据库不是空的');
    expect(again.err).toContain('not empty');
  });

  it('fails a verify of a damaged archive with exit code 1 and says what is damaged', async () => {
    const out = path.join(work, 'to-damage');
    await zizhi({ ZIZHI_DATA_DIR: data.dir }, 'backup', '--to', out);
    const [name] = await archivesIn(out);
    const damaged = path.join(work, 'damaged.tar.gz');
    await rewriteArchive(path.join(out, name!), damaged, (entry, c) =>
      entry === 'tables/organisations.ndjson' ? flipByte(c, 20) : undefined,
    );
    const verified = await zizhi({}, 'backup', 'verify', damaged);
    expect(verified.code).toBe(1);
    expect(verified.out).toContain('校验失败');
    expect(verified.out).toContain('tables/organisations.ndjson');
  });

  it('encrypts with ZIZHI_BACKUP_PASSPHRASE or to a recipient, and reads back only with the key', async () => {
    const out = path.join(work, 'encrypted');
    const passphrase = 'a long enough passphrase';
    const made = await zizhi({ ZIZHI_DATA_DIR: data.dir, ZIZHI_BACKUP_PASSPHRASE: passphrase }, 'backup', '--to', out);
    expect(made.code).toBe(0);
    expect(made.out).toContain('已加密');
    const identity = await generateIdentity();
    const identityFile = path.join(work, 'key.txt');
    await writeFile(
      identityFile,
      `# created: today\n# public key: ${await identityToRecipient(identity)}\n${identity}\n`,
    );
    const toKey = await zizhi(
      { ZIZHI_DATA_DIR: data.dir },
      'backup',
      '--to',
      out,
      '--recipient',
      await identityToRecipient(identity),
    );
    expect(toKey.code).toBe(0);
    const names = await archivesIn(out);
    expect(names.every((n) => n.endsWith('.tar.gz.age'))).toBe(true);
    // Two backups within one second: the second gets a suffix instead of failing.
    expect(names).toHaveLength(2);
    const newest = path.join(out, names.at(-1)!);

    const withoutKey = await zizhi({}, 'backup', 'verify', newest);
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.out + withoutKey.err).toContain('--passphrase');
    const withKey = await zizhi({}, 'backup', 'verify', newest, '--identity', identityFile);
    expect(withKey.code).toBe(0);
    expect(withKey.out).toContain('已加密');
    const wrong = await zizhi({}, 'restore', newest, '--passphrase', 'not the right one');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('口令错误');
  });

  it('tells to use the running server’s backup when the data folder is in use', async () => {
    const held = await openPglite(data.dir);
    try {
      const r = await zizhi({ ZIZHI_DATA_DIR: data.dir }, 'backup', '--to', path.join(work, 'busy'));
      expect(r.code).toBe(1);
      expect(r.err).toContain('立即备份');
      expect(r.err).toContain('Back up now');
      expect(await archivesIn(path.join(work, 'busy'))).toEqual([]);
    } finally {
      await held.close();
    }
  });

  it('refuses to back up a data folder that holds no database, rather than an empty new one', async () => {
    const nowhere = path.join(work, 'no-such-installation');
    const r = await zizhi({ ZIZHI_DATA_DIR: nowhere }, 'backup', '--to', path.join(work, 'nothing'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('没有 Zizhi 数据库');
    expect(await archivesIn(nowhere)).toEqual([]);
  });

  it('writes no archive when a stored file is missing, and names the file', async () => {
    const broken = await createDataFolder([10 * 1024]);
    try {
      const filesDir = path.join(broken.dir, 'files');
      const shard = (await readdir(filesDir)).find((d) => d !== 'tmp')!;
      const [blob] = await readdir(path.join(filesDir, shard));
      await unlink(path.join(filesDir, shard, blob!));
      const out = path.join(work, 'missing');
      const r = await zizhi({ ZIZHI_DATA_DIR: broken.dir }, 'backup', '--to', out);
      expect(r.code).toBe(1);
      expect(r.err).toContain('文件-0.pdf');
      expect(r.err).toContain('no incomplete archive is written');
      expect(await archivesIn(out)).toEqual([]);
    } finally {
      await rm(broken.dir, { recursive: true, force: true });
    }
  });
});

describe('a backup killed part way', () => {
  it('leaves only a .partial file, which restore refuses', async () => {
    const big = await createDataFolder([3, 3, 3, 3].map((mb) => mb * 1024 * 1024));
    const out = path.join(work, 'killed');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'backup', '--to', out], {
        cwd: ROOT,
        env: { ...process.env, ZIZHI_DATA_DIR: big.dir, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let partial: string | undefined;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        partial = (await archivesIn(out)).find((n) => n.endsWith('.partial'));
        if (partial && (await stat(path.join(out, partial)).catch(() => null))?.size) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(partial).toBeDefined();
      child.kill('SIGKILL');
      await exited;
      const left = await archivesIn(out);
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((n) => n.endsWith('.partial'))).toBe(true);
      const restore = await zizhi(
        { ZIZHI_DATA_DIR: path.join(work, 'from-partial') },
        'restore',
        path.join(out, partial!),
      );
      expect(restore.code).toBe(1);
      expect(restore.err).toContain('未完成的备份');
    } finally {
      await rm(big.dir, { recursive: true, force: true });
    }
  });
});

describe('backups in S3-compatible storage', () => {
  let local: LocalS3;
  let env: Record<string, string>;
  const target = 's3://zizhi-backups/nightly';

  beforeAll(async () => {
    local = await startS3rver('zizhi-backups');
    env = {
      ZIZHI_BACKUP_TARGETS: target,
      ZIZHI_S3_ENDPOINT: local.endpoint,
      ZIZHI_S3_ACCESS_KEY_ID: S3RVER_KEYS.accessKeyId,
      ZIZHI_S3_SECRET_ACCESS_KEY: S3RVER_KEYS.secretAccessKey,
    };
  });
  afterAll(() => local?.close());

  it('uploads an archive, lists it, verifies it and restores from it', async () => {
    const made = await zizhi({ ...env, ZIZHI_DATA_DIR: data.dir }, 'backup');
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain(`${target}/zizhi-backup-`);
    const listed = await zizhi(env, 'backup', 'list', '--json');
    const archives = JSON.parse(listed.out) as { name: string; bytes: number }[];
    expect(archives).toHaveLength(1);
    const url = `${target}/${archives[0]!.name}`;
    const verified = await zizhi(env, 'backup', 'verify', url);
    expect(verified.code).toBe(0);
    const fresh = path.join(work, 'from-s3');
    const restored = await zizhi({ ...env, ZIZHI_DATA_DIR: fresh }, 'restore', url);
    expect(restored.code).toBe(0);
    expect(await hashesOf(fresh)).toEqual(data.hashes);

    const missing = await zizhi(
      { ...env, ZIZHI_DATA_DIR: path.join(work, 'none') },
      'restore',
      `${target}/zizhi-backup-20000101T000000Z.tar.gz`,
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('找不到备份');
  });

  it('leaves no object behind when the backup fails after parts were uploaded', async () => {
    // Files are archived in hash order: damaging the last one fails the backup after 10 MB or so
    // went up as parts of a multipart upload, which must be aborted, not completed.
    const broken = await createDataFolder([5, 5, 5].map((mb) => mb * 1024 * 1024));
    try {
      const before = JSON.parse((await zizhi(env, 'backup', 'list', '--json')).out) as unknown[];
      const filesDir = path.join(broken.dir, 'files');
      const blobs = (await readdir(filesDir, { recursive: true })).filter((f) => /[0-9a-f]{64}$/.test(f));
      const last = path.join(filesDir, blobs.sort((a, b) => path.basename(a).localeCompare(path.basename(b))).at(-1)!);
      // Damaged rather than missing this time: the bytes no longer hash to the name.
      await chmod(last, 0o644);
      await writeFile(last, Buffer.from('damaged'));
      const r = await zizhi({ ...env, ZIZHI_DATA_DIR: broken.dir }, 'backup');
      expect(r.code).toBe(1);
      expect(r.err).toContain('存储中的内容已损坏');
      const after = JSON.parse((await zizhi(env, 'backup', 'list', '--json')).out) as unknown[];
      expect(after).toEqual(before);
    } finally {
      await rm(broken.dir, { recursive: true, force: true });
    }
  });
});
