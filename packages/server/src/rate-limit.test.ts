import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config/index.js';
import type { Database } from './db/client.js';
import { createTestDatabase } from './test/harness.js';

describe('request rate limit', () => {
  let database: Database;
  let webDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    webDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-web-'));
    await mkdir(path.join(webDir, 'assets'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>资质</title>');
    await writeFile(path.join(webDir, 'assets', 'app-1a2b3c.js'), 'console.log(1);');
  });
  afterAll(async () => {
    await database.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('counts API requests but never the web app’s own files', async () => {
    const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent', rateLimitPerMinute: 5, webDir });
    const app = await buildApp({ database, config, logger: false });
    try {
      for (let i = 0; i < 30; i++) {
        const asset = await app.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
        expect(asset.statusCode, `asset load ${i + 1}`).toBe(200);
        expect((await app.inject({ method: 'GET', url: '/members' })).statusCode).toBe(200);
      }
      const api = [];
      for (let i = 0; i < 7; i++) api.push((await app.inject({ method: 'GET', url: '/api/setup' })).statusCode);
      expect(api.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(api.slice(5)).toEqual([429, 429]);
      const limited = await app.inject({ method: 'GET', url: '/api/setup' });
      expect(limited.json().error.code).toBe('RATE_LIMITED');
    } finally {
      await app.close();
    }
  });
});
