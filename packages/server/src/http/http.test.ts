import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupAdmin, type Tenant, type TestApp } from '../test/harness.js';

describe('HTTP edge', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('answers health with the database kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', database: 'pglite', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('serves the OpenAPI document with every route of the API', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
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
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
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

  it('never shows a stack trace: an invalid UUID is a 400 with what to fix', async () => {
    const res = await a.owner.get('/api/orgs/not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('UUID');
    expect(res.body).not.toContain('at ');
  });
});
