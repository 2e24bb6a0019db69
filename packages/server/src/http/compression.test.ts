import { brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestApp, CREDIT_CODES, setupAdmin, type Tenant, type TestApp } from '../test/harness.js';

describe.each(BACKENDS)('response compression (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('compresses JSON over 1 KB with brotli or gzip as the client accepts, and the bytes decode to the same JSON', async () => {
    const plain = await a.owner.get('/api/docs/json');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);

    const br = await a.owner.request('GET', '/api/docs/json', undefined, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());

    const gz = await a.owner.request('GET', '/api/docs/json', undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('leaves small responses alone', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('never compresses a response that carries the CSRF token, however long it is', async () => {
    for (let i = 0; i < 12; i += 1) {
      const res = await a.owner.post('/api/workspaces', { name: `压缩测试工作空间 ${i} ${'长名称'.repeat(20)}` });
      expect(res.statusCode).toBe(201);
    }
    const me = await a.owner.request('GET', '/api/me', undefined, { 'accept-encoding': 'br, gzip' });
    expect(me.statusCode).toBe(200);
    expect(me.rawPayload.length).toBeGreaterThan(1024);
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(me.json().csrfToken).toEqual(expect.any(String));
  });

  it('does not inflate a compressed request body: it is refused and nothing is saved', async () => {
    const before = (await a.owner.get('/api/orgs')).json().items.length;
    const body = gzipSync(
      JSON.stringify({ workspaceId: a.workspaceId, name: '压缩请求公司', creditCode: CREDIT_CODES[1] }),
    );
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    if (a.owner.auth && 'cookie' in a.owner.auth) {
      headers.cookie = a.owner.auth.cookie;
      headers['x-csrf-token'] = a.owner.auth.csrf;
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/orgs', headers, payload: body });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect((await a.owner.get('/api/orgs')).json().items.length).toBe(before);
  });
});
