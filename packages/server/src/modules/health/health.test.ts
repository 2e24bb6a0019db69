import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import { openPostgres, wrapPglite, type Database } from '../../db/client.js';
import {
  BACKENDS,
  createOrg,
  createTestApp,
  createTestDatabase,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { checkDataDir, checkHealth, probeDataDir } from './service.js';

const DOWN = '数据库暂不可用，请稍后重试；如持续出现请联系管理员';

async function appOn(database: Database, dataDir = os.tmpdir()): Promise<FastifyInstance> {
  return buildApp({ database, config: loadConfig({}, { dataDir, logLevel: 'silent' }), logger: false });
}

const health = async (app: FastifyInstance) => {
  const res = await app.inject({ method: 'GET', url: '/api/health' });
  return { status: res.statusCode, body: res.json() };
};

describe.each(BACKENDS)('health on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(() => t.close());

  it('is 200 with every check passed on a working installation', async () => {
    const { status, body } = await health(t.app);
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ok',
      database: backend,
      version: expect.any(String),
      checks: { database: { ok: true }, role: { ok: true }, dataDir: { ok: true } },
    });
  });

  it('fails the role check when the app role does not exist, saying how to create it', async () => {
    // The real role is shared by every database on the server: check against one that is absent.
    const role = `zizhi_absent_${randomBytes(4).toString('hex')}`;
    const report = await checkHealth({ database: t.database, dataDir: os.tmpdir(), role });
    expect(report.ok).toBe(false);
    expect(report.checks.database).toEqual({ ok: true });
    expect(report.checks.dataDir).toEqual({ ok: true });
    expect(report.checks.role.ok).toBe(false);
    expect(report.checks.role.message).toMatch(
      new RegExp(`^缺少数据库角色 ${role}：.*CREATE ROLE ${role} NOLOGIN; GRANT ${role} TO \\w+;`),
    );
  });

  it('leaves no probe file behind in the data folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-health-'));
    try {
      const report = await checkHealth({ database: t.database, dataDir: dir });
      expect(report.checks.dataDir).toEqual({ ok: true });
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('health and requests with the database down', () => {
  it('are 503 when the PostgreSQL server cannot be reached', async () => {
    // Nothing listens on port 1: connections are refused, as when the server is stopped.
    const database = openPostgres('postgres://postgres@127.0.0.1:1/zizhi');
    const app = await appOn(database);
    try {
      const { status, body } = await health(app);
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: 'error',
        database: 'postgres',
        checks: {
          database: { ok: false, message: expect.stringContaining('数据库无法连接') },
          role: { ok: false },
          dataDir: { ok: true },
        },
      });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'someone@example.cn', password: 'correct-horse-battery' },
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().error).toEqual({ code: 'DATABASE_UNAVAILABLE', message: DOWN });
      const tenant = await app.inject({
        method: 'GET',
        url: '/api/orgs',
        headers: { authorization: 'Bearer zizhi_0123456789abcdef0123456789abcdef' },
      });
      expect(tenant.statusCode).toBe(503);
      expect(tenant.json().error.code).toBe('DATABASE_UNAVAILABLE');
      const setup = await app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { email: 'admin@example.cn', name: '管理员', password: 'correct-horse-battery' },
      });
      expect(setup.statusCode).toBe(503);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('are 503 when the embedded database has been closed', async () => {
    const database = await createTestDatabase('pglite');
    const app = await appOn(database);
    try {
      const a = await setupAdmin(app);
      await database.close();
      const { status, body } = await health(app);
      expect(status).toBe(503);
      expect(body.checks.database.ok).toBe(false);
      const res = await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`);
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toEqual({ code: 'DATABASE_UNAVAILABLE', message: DOWN });
    } finally {
      await app.close();
    }
  });
});

describe('health with a data folder that cannot be written', () => {
  let dir: string;
  let database: Database;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-health-'));
    database = wrapPglite(await PGlite.create());
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is 503 naming the folder', async () => {
    // Tests run as root, for whom permissions do not stop writes: a folder under a regular file
    // cannot be created by anyone.
    const file = path.join(dir, 'a-file');
    await writeFile(file, '');
    const dataDir = path.join(file, 'data');
    const app = await appOn(database, dataDir);
    try {
      const { status, body } = await health(app);
      expect(status).toBe(503);
      expect(body.status).toBe('error');
      expect(body.checks.database).toEqual({ ok: true });
      expect(body.checks.dataDir).toEqual({ ok: false, message: `数据目录不可写：${dataDir}` });
    } finally {
      await app.close();
    }
  });
});

describe('the data folder probe while the disk is busy', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-probe-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The real probe, finishing `ms` later, as under a file system journal waiting for fsyncs. */
  const slow =
    (ms: number): typeof checkDataDir =>
    async (...args) => {
      const check = await checkDataDir(...args);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return check;
    };

  it('answers a slow probe with the last passed one, once there is one, and never hides a failure', async () => {
    const folder = path.join(dir, 'data');
    let t0 = performance.now();
    // No result yet: the request waits for its probe, however slow.
    expect(await probeDataDir(folder, [], slow(400))).toEqual({ ok: true });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
    t0 = performance.now();
    expect(await probeDataDir(folder, [], slow(1000))).toEqual({ ok: true });
    expect(performance.now() - t0).toBeLessThan(900);
    // The slow probe still running is shared, not started twice.
    expect(await probeDataDir(folder, [], () => Promise.reject(new Error('a second probe')))).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await readdir(folder)).toEqual([]);
    // The folder can no longer take a file: the next probe fails fast, and that is the answer.
    await rm(folder, { recursive: true });
    await writeFile(folder, '');
    expect(await probeDataDir(folder, [])).toEqual({ ok: false, message: `数据目录不可写：${folder}` });
    // A failure is not taken over either: each request waits for a probe of its own.
    await rm(folder);
    t0 = performance.now();
    expect(await probeDataDir(folder, [], slow(300))).toEqual({ ok: true });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
  });
});

describe('the app role missing from an embedded database', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
    await createOrg(a);
  });
  afterAll(() => t.close());

  it('fails health and answers tenant requests with 503 instead of a bare 500', async () => {
    // This PGlite instance is private to the test, unlike a server's cluster-wide roles.
    await t.database.db.execute(sql`alter role zizhi_app rename to zizhi_app_gone`);
    try {
      const { status, body } = await health(t.app);
      expect(status).toBe(503);
      expect(body.checks.database).toEqual({ ok: true });
      expect(body.checks.role.message).toMatch(/^缺少数据库角色 zizhi_app：/);
      const res = await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`);
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.json().error.message).toContain('zizhi_app');
    } finally {
      await t.database.db.execute(sql`alter role zizhi_app_gone rename to zizhi_app`);
    }
    expect((await health(t.app)).status).toBe(200);
    expect((await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).statusCode).toBe(200);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('the app role on a PostgreSQL server', () => {
  let database: Database;
  let login: string;
  let adminUrl: string;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    adminUrl = process.env.TEST_DATABASE_URL!;
    login = `zizhi_login_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`create role ${login} login`);
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    await database.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`drop role if exists ${login}`);
    } finally {
      await admin.end();
    }
  });

  it('fails health when the connecting user cannot switch to zizhi_app, saying what to grant', async () => {
    // A login that is not a member of zizhi_app, as when the app connects as a user created
    // after the migration (the role itself is shared by the server's databases: left alone).
    const result: unknown = await database.db.execute(sql`select current_database() as name`);
    const url = new URL(adminUrl);
    url.username = login;
    url.pathname = `/${(result as { rows: { name: string }[] }).rows[0]!.name}`;
    const restricted = openPostgres(url.toString());
    const app = await appOn(restricted);
    try {
      const { status, body } = await health(app);
      expect(status).toBe(503);
      expect(body.checks.database).toEqual({ ok: true });
      expect(body.checks.role).toEqual({
        ok: false,
        message: `数据库用户 ${login} 不能切换到角色 zizhi_app：请以有授权权限的用户执行 GRANT zizhi_app TO ${login};`,
      });
    } finally {
      await app.close();
      await restricted.close();
    }
  });
});
