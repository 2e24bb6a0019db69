import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config/index.js';
import type { Database } from './db/client.js';
import { createTestDatabase, setupAdmin, type Client } from './test/harness.js';

describe('API documentation', () => {
  let database: Database;
  let owner: Client;
  const appWith = (apiDocs?: string) =>
    buildApp({
      database,
      config: loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent', apiDocs }),
      logger: false,
    });

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database.close());

  it('is for logged-in users by default, public or off when configured', async () => {
    const app = await appWith();
    try {
      owner = (await setupAdmin(app)).owner;
      const anonymous = await app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.message).toContain('登录');
      expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(401);
      const member = await owner.get('/api/docs/json');
      expect(member.statusCode).toBe(200);
      expect(member.json().openapi).toMatch(/^3\./);
    } finally {
      await app.close();
    }
    const open = await appWith('public');
    try {
      expect((await open.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
    const off = await appWith('off');
    try {
      expect((await off.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
