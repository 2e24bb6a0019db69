import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from './index.js';
import { openPglite, queryRows } from '../db/client.js';
import { DataDirInUseError } from '../db/errors.js';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', logLevel: 'info' });
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.databaseUrl).toBeUndefined();
  });

  it('lists every wrong setting by its environment variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(message).toContain(name);
    }
  });
});

describe('embedded database folder', () => {
  it('refuses a second opener of the same data folder with a clear message, and allows it after close', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-lock-'));
    try {
      const first = await openPglite(dir);
      await expect(openPglite(dir)).rejects.toThrow(DataDirInUseError);
      await expect(openPglite(dir)).rejects.toThrow(/ZIZHI_DATA_DIR/);
      await first.close();
      const second = await openPglite(dir);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens at once after the holder was killed, because the holder’s process is gone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-crash-'));
    const client = fileURLToPath(new URL('../db/client.ts', import.meta.url));
    const script = `const { openPglite } = await import(${JSON.stringify(client)}); await openPglite(${JSON.stringify(dir)}); console.log('open'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve());
        child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const holder = JSON.parse(await readFile(path.join(dir, 'zizhi.lock.pid'), 'utf8')) as { pid: number };
      expect(holder.pid).toBe(child.pid);
      await expect(openPglite(dir)).rejects.toThrow(DataDirInUseError);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const started = Date.now();
      const reopened = await openPglite(dir);
      // The lock's own staleness (10 s) is not what let it in.
      expect(Date.now() - started).toBeLessThan(8000);
      await reopened.close();
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('syncs commits to the disk, unless fsync is turned off as the setting documents as unsafe', async () => {
    expect(loadConfig({}).pgliteFsync).toBe('on');
    expect(loadConfig({ ZIZHI_PGLITE_FSYNC: 'off' }).pgliteFsync).toBe('off');
    expect(() => loadConfig({ ZIZHI_PGLITE_FSYNC: 'maybe' })).toThrow(/ZIZHI_PGLITE_FSYNC: must be on or off/);
    const fsync = vi.spyOn(fs, 'fsyncSync');
    const counts: number[] = [];
    try {
      for (const on of [true, false]) {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-fsync-'));
        const database = await openPglite(dir, { fsync: on });
        try {
          expect(await queryRows(database.db, sql`show fsync`)).toEqual([{ fsync: on ? 'on' : 'off' }]);
          await database.db.execute(sql`create table t (x int)`);
          fsync.mockClear();
          for (let i = 0; i < 5; i++) await database.db.execute(sql`insert into t values (${i})`);
          counts.push(fsync.mock.calls.length);
        } finally {
          await database.close();
          await rm(dir, { recursive: true, force: true });
        }
      }
    } finally {
      fsync.mockRestore();
    }
    // Each commit flushes the write-ahead log to the disk before it answers.
    expect(counts[0]).toBeGreaterThanOrEqual(5);
    expect(counts[1]).toBe(0);
  }, 60_000);
});
