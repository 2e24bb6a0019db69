import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError, openPglite } from './db/client.js';

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
});
