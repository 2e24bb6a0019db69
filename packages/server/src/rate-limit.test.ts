import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config/index.js';
import type { Database } from './db/client.js';
import { createTestDatabase } from './test/harness.js';

const BIG = `export const words = ${JSON.stringify('资质证书 '.repeat(4000))};\n`;

describe('request rate limit', () => {
  let database: Database;
  let webDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    webDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-web-'));
    await mkdir(path.join(webDir, 'assets'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>资质</title>');
    await writeFile(path.join(webDir, 'assets', 'app-1a2b3c.js'), 'console.log(1);');
    // What the build writes beside a large file (packages/web/vite.config.ts).
    await writeFile(path.join(webDir, 'assets', 'big-4d5e6f.js'), BIG);
    await writeFile(path.join(webDir, 'assets', 'big-4d5e6f.js.br'), brotliCompressSync(BIG));
    await writeFile(path.join(webDir, 'assets', 'big-4d5e6f.js.gz'), gzipSync(BIG));
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
      expect(limited.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await app.close();
    }
  });

  it('sends the build’s compressed files as they are, hashed files cached for good and the page checked each time', async () => {
    const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent', webDir });
    const app = await buildApp({ database, config, logger: false });
    try {
      const url = '/assets/big-4d5e6f.js';
      const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BIG);
      expect(br.rawPayload.length).toBeLessThan(BIG.length / 10);

      const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).toString()).toBe(BIG);

      const plain = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(BIG);

      for (const page of ['/', '/orgs/unknown/evidence']) {
        const html = await app.inject({ method: 'GET', url: page });
        expect(html.statusCode, page).toBe(200);
        expect(html.headers['content-type']).toMatch(/^text\/html/);
        expect(html.headers['cache-control'], page).toBe('no-cache');
      }
      // A file of an older release is missing, not the page: a script tag must not get HTML.
      const gone = await app.inject({ method: 'GET', url: '/assets/index-0old0.js' });
      expect(gone.statusCode).toBe(404);
      expect(gone.headers['content-type']).toMatch(/json/);
    } finally {
      await app.close();
    }
  });
});
