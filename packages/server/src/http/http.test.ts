import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import type { Database } from '../db/client.js';
import { mountTinyDisk, type TinyDisk } from '../test/full-disk.js';
import {
  createOrg,
  createTestApp,
  createTestDatabase,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../test/harness.js';
import { pdf, uploadFile } from '../test/multipart.js';

describe('HTTP edge', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('answers health with the database kind, version and passed checks', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: 'pglite',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      checks: { database: { ok: true }, role: { ok: true }, dataDir: { ok: true } },
    });
  });

  it('serves the OpenAPI document with every route of the API', async () => {
    const doc = (await a.owner.get('/api/docs/json')).json();
    for (const path of [
      '/api/health',
      '/api/setup',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/me',
      '/api/workspaces',
      '/api/workspaces/{id}/members',
      '/api/orgs',
      '/api/orgs/{orgId}',
      '/api/tokens',
      '/api/tokens/{id}',
      '/api/audit-log',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect((await a.owner.get('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/static/index.html' });
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('rejects a NUL byte in any string with 400 naming the field, instead of a database error', async () => {
    const res = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: 'a\u0000b',
      creditCode: '91440300708461136T',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
  });

  /** POST /api/orgs with a raw JSON text, as a client could send it. */
  const postOrgJson = (payload: string) => {
    const auth = a.owner.auth as { cookie: string; csrf: string };
    return t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { cookie: auth.cookie, 'x-csrf-token': auth.csrf, 'content-type': 'application/json' },
      payload,
    });
  };

  it('refuses JSON nested thousands of levels deep with 400, and keeps serving', async () => {
    // 5,000 levels overflowed the recursive guard's stack: a 500 from any unauthenticated body.
    const deep = `{"workspaceId":"${a.workspaceId}","name":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const res = await postOrgJson(deep);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'INVALID_INPUT', message: '请求内容嵌套层数过多（超过 64 层）' });
    // Near the bodyLimit: 500,000 levels.
    const deeper = await postOrgJson('['.repeat(500_000) + ']'.repeat(500_000));
    expect(deeper.statusCode).toBe(400);
    expect(deeper.json().error.message).toContain('嵌套层数过多');
    const org = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '嵌套之后仍可创建',
      creditCode: CREDIT_CODES[1],
    });
    expect(org.statusCode).toBe(201);
  });

  it('draws the nesting limit at 64 levels', async () => {
    const nest = (levels: number) =>
      JSON.stringify({ name: 'x', extra: JSON.parse(`${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}`) });
    // The body object is level 1: 64 levels pass the guard (and are then refused by the schema).
    const within = await postOrgJson(nest(64));
    expect(within.statusCode).toBe(400);
    expect(within.json().error.message).not.toContain('嵌套层数过多');
    const beyond = await postOrgJson(nest(65));
    expect(beyond.json().error.message).toBe('请求内容嵌套层数过多（超过 64 层）');
  });

  it('refuses an unpaired surrogate in a value with 400 naming the field, instead of a database error', async () => {
    const org = await postOrgJson(
      `{"workspaceId":"${a.workspaceId}","name":"\\ud800 公司","creditCode":"${CREDIT_CODES[2]}"}`,
    );
    expect(org.statusCode).toBe(400);
    expect(org.json().error).toEqual({
      code: 'INVALID_INPUT',
      message: '字段 name 含有无效字符（不成对的代理项），请删除后重试',
      field: 'name',
    });
    const created = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '代理项测试',
      creditCode: CREDIT_CODES[2],
    });
    expect(created.statusCode).toBe(201);
    // A low half alone, and one in an update (whose audit row stores before and after as jsonb).
    const renamed = await a.owner.patch(`/api/orgs/${created.json().id}`, { name: '公司\udc00' });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().error.field).toBe('name');
    const workspace = await a.owner.post('/api/workspaces', { name: '\ud83d', kind: 'company' });
    expect(workspace.statusCode).toBe(400);
    expect(workspace.json().error.message).toContain('不成对的代理项');
  });

  it('accepts characters outside the BMP, whose surrogates are paired', async () => {
    const created = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '𠀀科技😀有限公司',
      creditCode: '91310000MA1FL0BK2Y',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().name).toBe('𠀀科技😀有限公司');
  });

  it('refuses NUL and unpaired surrogates in keys, naming where the key is', async () => {
    const nulKey = await postOrgJson(`{"workspaceId":"${a.workspaceId}","name":"x","a\\u0000b":1}`);
    expect(nulKey.statusCode).toBe(400);
    expect(nulKey.json().error).toEqual({
      code: 'INVALID_INPUT',
      message: '字段名 "a\\u0000b" 含有空字符 (NUL)，请删除后重试',
    });
    const nested = await postOrgJson(`{"workspaceId":"${a.workspaceId}","name":"x","extra":[{"\\udfff":1}]}`);
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error).toEqual({
      code: 'INVALID_INPUT',
      message: '字段 extra[0] 中的字段名 "\\udfff" 含有无效字符（不成对的代理项），请删除后重试',
      field: 'extra[0]',
    });
  });

  it('checks the query string and path parameters too', async () => {
    const query = await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}&q=a%00b`);
    expect(query.statusCode).toBe(400);
    expect(query.json().error.field).toBe('q');
    const param = await a.owner.get('/api/orgs/a%00b');
    expect(param.statusCode).toBe(400);
    expect(param.json().error.message).toContain('空字符');
  });

  it('walks a body with 60,000 keys quickly', async () => {
    const keys = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i % 2 ? 'v' : [i]]));
    const started = performance.now();
    const res = await postOrgJson(JSON.stringify({ workspaceId: a.workspaceId, name: 'x', ...keys }));
    const elapsed = performance.now() - started;
    expect(res.statusCode).toBe(400);
    expect(elapsed).toBeLessThan(2_000);
    // A NUL after all of them is still found.
    const last = await postOrgJson(JSON.stringify({ ...keys, last: '\u0000' }));
    expect(last.json().error.field).toBe('last');
  });

  it('answers malformed JSON with 400, a wrong content type with 415 and a huge body with 413', async () => {
    const auth = a.owner.auth as { cookie: string; csrf: string };
    const headers = { cookie: auth.cookie, 'x-csrf-token': auth.csrf };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_INPUT');
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('never shows a stack trace: an invalid id in the path is a 400 with what to do', async () => {
    const res = await a.owner.get('/api/orgs/not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('链接地址无效');
    expect(res.body).not.toContain('at ');
  });
});

describe('a full disk', () => {
  let disk: TinyDisk | null;
  let database: Database;
  let app: FastifyInstance;
  let a: Tenant;
  let orgId: string;
  beforeAll(async () => {
    // A real 128 KB file system as the data folder (skipped where mounting is not allowed).
    disk = await mountTinyDisk(128);
    if (!disk) return;
    database = await createTestDatabase('pglite');
    app = await buildApp({
      database,
      config: loadConfig({}, { dataDir: disk.dir, logLevel: 'silent' }),
      logger: false,
    });
    a = await setupAdmin(app);
    orgId = (await createOrg(a)).id;
  });
  afterAll(async () => {
    if (!disk) return;
    await app.close();
    await database.close();
    await disk.unmount();
  });

  it('answers an upload that does not fit with 507, keeps nothing of it, and keeps serving', async (ctx) => {
    if (!disk) return ctx.skip();
    const big = await uploadFile(a.owner, orgId, {
      filename: '大文件.pdf',
      content: pdf(Buffer.alloc(512 * 1024, 'x')),
    });
    expect(big.statusCode).toBe(507);
    expect(big.json().error).toEqual({
      code: 'INSUFFICIENT_STORAGE',
      message: '服务器磁盘空间不足，请联系管理员清理空间',
    });
    expect(await readdir(path.join(disk.dir, 'files', 'tmp'))).toEqual([]);
    const small = await uploadFile(a.owner, orgId, { filename: '小文件.pdf', content: pdf('small') });
    expect(small.statusCode).toBe(201);
  });

  it('fails health naming the full data folder', async (ctx) => {
    if (!disk) return ctx.skip();
    await writeFile(path.join(disk.dir, 'filler'), Buffer.alloc(512 * 1024)).catch(() => undefined);
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.dataDir).toEqual({ ok: false, message: `数据目录所在磁盘已满：${disk.dir}` });
  });
});
