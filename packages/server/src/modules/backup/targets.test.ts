import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { startS3rver, type LocalS3 } from '../../test/s3rver.js';
import { archiveName, archiveTime, DirTarget, openTargets, type BackupTarget } from './targets.js';

const BUCKET = 'zizhi-target-test';
let local: LocalS3;
let endpoint: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-targets-'));
  local = await startS3rver(BUCKET);
  endpoint = local.endpoint;
});
afterAll(async () => {
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `bytes` in 64 KB chunks, optionally failing after `failAfter` bytes as a dying writer would. */
function stream(bytes: Buffer, failAfter?: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) {
        if (failAfter !== undefined && at >= failAfter) throw new Error('the backup stopped');
        yield bytes.subarray(at, at + 64 * 1024);
      }
    })(),
  );
}

async function readAll(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function targets(prefix: string): BackupTarget[] {
  const config = loadConfig({
    ZIZHI_DATA_DIR: dir,
    ZIZHI_BACKUP_TARGETS: `${path.join(dir, prefix)},s3://${BUCKET}/${prefix}`,
    ZIZHI_S3_ENDPOINT: endpoint,
    ZIZHI_S3_ACCESS_KEY_ID: 'S3RVER',
    ZIZHI_S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  return openTargets(config);
}

describe('backup targets', () => {
  it('name archives by the instant they were started, and read it back', () => {
    const at = new Date('2026-11-26T18:30:00.250Z');
    expect(archiveName(at, { encrypted: false })).toBe('zizhi-backup-20261126T183000Z.tar.gz');
    expect(archiveName(at, { encrypted: true, suffix: 'ab12' })).toBe('zizhi-backup-20261126T183000Z-ab12.tar.gz.age');
    expect(archiveTime('zizhi-backup-20261126T183000Z-ab12.tar.gz.age')).toEqual(new Date('2026-11-26T18:30:00Z'));
    expect(archiveTime('zizhi-backup-20261126T183000Z.tar.gz.partial')).toBeNull();
  });

  it.each(['folder', 's3'])(
    'store a large archive in a %s, list, open and delete it',
    async (kind) => {
      // Three parts of an S3 multipart upload.
      const bytes = randomBytes(17 * 1024 * 1024);
      const target = targets(`large-${kind}`)[kind === 'folder' ? 0 : 1]!;
      const name = archiveName(new Date('2026-11-27T02:30:00+08:00'), { encrypted: false });
      expect(await target.save(name, stream(bytes))).toEqual({ bytes: bytes.length });
      const listed = await target.list();
      expect(listed.map((a) => [a.name, a.bytes])).toEqual([[name, bytes.length]]);
      expect(sha256(await readAll(await target.open(name)))).toBe(sha256(bytes));
      await target.remove(name);
      expect(await target.list()).toEqual([]);
    },
    60_000,
  );

  it.each(['folder', 's3'])(
    'leave nothing that looks like an archive in a %s when the writer fails part way',
    async (kind) => {
      const bytes = randomBytes(10 * 1024 * 1024);
      const target = targets(`broken-${kind}`)[kind === 'folder' ? 0 : 1]!;
      const name = archiveName(new Date(), { encrypted: false });
      await expect(target.save(name, stream(bytes, 9 * 1024 * 1024))).rejects.toThrow('the backup stopped');
      expect(await target.list()).toEqual([]);
      if (kind === 'folder') {
        expect(await readdir(path.join(dir, `broken-${kind}`))).toEqual([]);
      } else {
        const s3 = new S3Client({
          endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        });
        const objects = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `broken-${kind}/` }));
        expect(objects.Contents ?? []).toEqual([]);
        // The parts of the failed upload were aborted, not left to cost money.
        const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET })).catch(() => null);
        expect(uploads?.Uploads?.filter((u) => u.Key?.startsWith(`broken-${kind}/`)) ?? []).toEqual([]);
        s3.destroy();
      }
    },
    60_000,
  );

  it('skip foreign files and files in progress, and remove a partial file a dead process left a day ago', async () => {
    const folder = path.join(dir, 'listing');
    const target = new DirTarget(folder);
    const name = archiveName(new Date('2026-11-20T00:00:00Z'), { encrypted: true });
    await target.save(name, stream(Buffer.from('archive')));
    await writeFile(path.join(folder, 'notes.txt'), 'mine');
    const fresh = `${archiveName(new Date(), { encrypted: false })}.partial`;
    const stale = `${archiveName(new Date('2026-01-01T00:00:00Z'), { encrypted: false })}.partial`;
    await writeFile(path.join(folder, fresh), 'writing');
    await writeFile(path.join(folder, stale), 'abandoned');
    const old = new Date(Date.now() - 2 * 86_400_000);
    await utimes(path.join(folder, stale), old, old);
    expect((await target.list()).map((a) => a.name)).toEqual([name]);
    expect((await readdir(folder)).sort()).toEqual([fresh, name, 'notes.txt'].sort());
    // Names from outside cannot reach another file.
    await expect(target.remove('../notes.txt')).rejects.toThrow(/not an archive name/);
  });
});
