import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, chmod, link, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertSha256,
  BlobCorruptError,
  BlobMissingError,
  createHasher,
  type BlobStore,
  type StoredBlob,
  type VerifiedBlob,
} from './blob-store.js';

const isErrno = (err: unknown, ...codes: string[]) =>
  err instanceof Error && codes.includes((err as NodeJS.ErrnoException).code ?? '');

async function fsyncPath(target: string, flags = 'r'): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Blobs in a local folder as `<root>/<first two hex digits>/<sha256>`. A write goes to
 * `<root>/tmp/` while being hashed, is fsynced, and is then linked into place, so a blob
 * under its final name is always complete; an existing blob is never replaced.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  /** Where a blob lives (exported for tests and backups). */
  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(source: Readable | Buffer): Promise<StoredBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    const hasher = createHasher();
    try {
      const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
      await pipeline(input, hasher.stream, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      await fsyncPath(tmp);
      const { sha256, size } = hasher.result();
      const target = this.pathOf(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      await chmod(tmp, 0o444);
      await this.placeOnce(tmp, target);
      return { sha256, size };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Links the finished temp file to its name unless that blob exists (same bytes by definition). */
  private async placeOnce(tmp: string, target: string): Promise<void> {
    try {
      await link(tmp, target);
    } catch (err) {
      if (isErrno(err, 'EEXIST')) return;
      // Filesystems without hard links: rename, which is atomic but would replace; check first.
      if (!isErrno(err, 'EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP')) throw err;
      if (await this.exists(target)) return;
      await rename(tmp, target);
    }
    await fsyncPath(path.dirname(target)).catch(() => undefined);
  }

  async get(sha256: string): Promise<VerifiedBlob> {
    const file = this.pathOf(sha256);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new BlobMissingError(sha256);
      throw err;
    }
    try {
      // Hash the whole blob first, through the same open file that will then be streamed.
      const { size } = await handle.stat();
      const hash = createHash('sha256');
      for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) {
        hash.update(chunk as Buffer);
      }
      if (hash.digest('hex') !== sha256) throw new BlobCorruptError(sha256);
      return { stream: handle.createReadStream({ start: 0, end: Math.max(size - 1, 0) }), size };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return this.exists(this.pathOf(sha256));
  }

  private async exists(file: string): Promise<boolean> {
    try {
      await access(file);
      return true;
    } catch {
      return false;
    }
  }
}
