import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TinyDisk {
  /** The mounted folder: writes beyond its size fail with ENOSPC, as on a full disk. */
  dir: string;
  unmount(): Promise<void>;
}

/**
 * A real file system of `sizeKb` (tmpfs), or null where mounting is not allowed (not root, no
 * CAP_SYS_ADMIN): tests that need it skip there. `owner` hands it to another user, e.g. the
 * PostgreSQL server's `postgres` for a tablespace.
 */
export async function mountTinyDisk(sizeKb: number, owner?: string): Promise<TinyDisk | null> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'zizhi-tiny-disk-'));
  // mkdtemp makes the folder private; another user (the database server) must pass through it.
  await chmod(parent, 0o755);
  const dir = path.join(parent, 'disk');
  await mkdir(dir);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', dir]);
  } catch {
    await rm(parent, { recursive: true, force: true });
    return null;
  }
  const unmount = async () => {
    await run('umount', [dir]).catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
  };
  if (owner) {
    try {
      await run('chown', [`${owner}:`, dir]);
    } catch {
      await unmount();
      return null;
    }
  }
  return { dir, unmount };
}
