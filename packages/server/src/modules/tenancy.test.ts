import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Client,
  type Tenant,
  type TestApp,
} from '../test/harness.js';

describe.each(BACKENDS)('tenancy on every route (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgB: { id: string };
  let orgA: { id: string };
  let viewer: Client;
  let viewerId: string;
  let memberB: string;
  let tokenB: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0]);
    orgB = await createOrg(b, CREDIT_CODES[1]);
    const v = await addMember(t.app, a, 'viewer');
    viewer = v.client;
    viewerId = v.userId;
    memberB = (await addMember(t.app, b, 'manager')).userId;
    tokenB = (await b.owner.post('/api/tokens', { name: 'B 的脚本' })).json().id;
  });
  afterAll(() => t.close());

  // Each row: a request by tenant A's owner aimed at tenant B's resources must say 404.
  const foreign: Array<[string, () => Promise<{ statusCode: number }>]> = [
    ['GET /api/workspaces/:id/members', () => a.owner.get(`/api/workspaces/${b.workspaceId}/members`)],
    [
      'POST /api/workspaces/:id/members',
      () =>
        a.owner.post(`/api/workspaces/${b.workspaceId}/members`, {
          email: 'x@example.cn',
          name: 'X',
          role: 'viewer',
        }),
    ],
    [
      'PATCH /api/workspaces/:id/members/:userId',
      () => a.owner.patch(`/api/workspaces/${b.workspaceId}/members/${memberB}`, { role: 'viewer' }),
    ],
    [
      'DELETE /api/workspaces/:id/members/:userId',
      () => a.owner.delete(`/api/workspaces/${b.workspaceId}/members/${memberB}`),
    ],
    ['GET /api/orgs?workspaceId', () => a.owner.get(`/api/orgs?workspaceId=${b.workspaceId}`)],
    [
      'POST /api/orgs',
      () => a.owner.post('/api/orgs', { workspaceId: b.workspaceId, name: '越权企业', creditCode: CREDIT_CODES[0] }),
    ],
    ['GET /api/orgs/:orgId', () => a.owner.get(`/api/orgs/${orgB.id}`)],
    ['PATCH /api/orgs/:orgId', () => a.owner.patch(`/api/orgs/${orgB.id}`, { name: '被改名' })],
    ['DELETE /api/orgs/:orgId', () => a.owner.delete(`/api/orgs/${orgB.id}`)],
    ['DELETE /api/tokens/:id', () => a.owner.delete(`/api/tokens/${tokenB}`)],
    ['GET /api/audit-log', () => a.owner.get(`/api/audit-log?workspaceId=${b.workspaceId}`)],
  ];

  it.each(foreign)('%s returns 404 for another workspace', async (_name, call) => {
    expect((await call()).statusCode).toBe(404);
  });

  it("leaves the other tenant's data untouched after those attempts", async () => {
    const org = await b.owner.get(`/api/orgs/${orgB.id}`);
    expect(org.statusCode).toBe(200);
    expect(org.json().name).toBe('深圳市示例科技有限公司');
    const members = (await b.owner.get(`/api/workspaces/${b.workspaceId}/members`)).json().items;
    expect(members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toContainEqual([
      memberB,
      'manager',
    ]);
    expect((await b.owner.get('/api/tokens')).json().items).toHaveLength(1);
  });

  it('lists only the caller’s own workspaces, organisations and tokens', async () => {
    const ws = (await a.owner.get('/api/workspaces')).json().items.map((w: { id: string }) => w.id);
    expect(ws).toContain(a.workspaceId);
    expect(ws).not.toContain(b.workspaceId);
    const orgs = (await a.owner.get('/api/orgs')).json().items.map((o: { id: string }) => o.id);
    expect(orgs).toEqual([orgA.id]);
    expect((await a.owner.get('/api/tokens')).json().items).toHaveLength(0);
  });

  // Each row: a write by a viewer of tenant A inside tenant A must say 403.
  const viewerWrites: Array<[string, () => Promise<{ statusCode: number }>]> = [
    [
      'POST /api/workspaces/:id/members',
      () =>
        viewer.post(`/api/workspaces/${a.workspaceId}/members`, {
          email: 'y@example.cn',
          name: 'Y',
          role: 'viewer',
        }),
    ],
    [
      'PATCH /api/workspaces/:id/members/:userId',
      () => viewer.patch(`/api/workspaces/${a.workspaceId}/members/${viewerId}`, { role: 'owner' }),
    ],
    [
      'DELETE /api/workspaces/:id/members/:userId',
      () => viewer.delete(`/api/workspaces/${a.workspaceId}/members/${a.ownerId}`),
    ],
    [
      'POST /api/orgs',
      () =>
        viewer.post('/api/orgs', { workspaceId: a.workspaceId, name: '只读用户的企业', creditCode: CREDIT_CODES[1] }),
    ],
    ['PATCH /api/orgs/:orgId', () => viewer.patch(`/api/orgs/${orgA.id}`, { name: '只读用户改名' })],
    ['DELETE /api/orgs/:orgId', () => viewer.delete(`/api/orgs/${orgA.id}`)],
    ['POST /api/workspaces', () => viewer.post('/api/workspaces', { name: '只读用户的空间' })],
    ['GET /api/audit-log', () => viewer.get(`/api/audit-log?workspaceId=${a.workspaceId}`)],
  ];

  it.each(viewerWrites)('%s returns 403 for a viewer', async (_name, call) => {
    expect((await call()).statusCode).toBe(403);
  });

  it('lets a manager add an organisation but not delete one; a contributor may do neither', async () => {
    const manager = (await addMember(t.app, a, 'manager')).client;
    const contributor = (await addMember(t.app, a, 'contributor')).client;
    const denied = await contributor.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '贡献者的企业',
      creditCode: CREDIT_CODES[2],
    });
    expect(denied.statusCode).toBe(403);
    const created = await manager.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '专员新增企业',
      creditCode: CREDIT_CODES[2],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await manager.delete(`/api/orgs/${created.json().id}`)).statusCode).toBe(403);
    expect((await a.owner.delete(`/api/orgs/${created.json().id}`)).statusCode).toBe(204);
  });

  it('lets a viewer read what the workspace holds', async () => {
    expect((await viewer.get(`/api/orgs/${orgA.id}`)).statusCode).toBe(200);
    expect((await viewer.get(`/api/workspaces/${a.workspaceId}/members`)).statusCode).toBe(200);
  });

  it('shows a member limited to some organisations only those, and 404 for the rest', async () => {
    const second = (
      await a.owner.post('/api/orgs', { workspaceId: a.workspaceId, name: '第二家企业', creditCode: CREDIT_CODES[1] })
    ).json();
    const limited = await addMember(t.app, a, 'manager', [second.id]);
    const seen = (await limited.client.get('/api/orgs')).json().items.map((o: { id: string }) => o.id);
    expect(seen).toEqual([second.id]);
    expect((await limited.client.get(`/api/orgs/${orgA.id}`)).statusCode).toBe(404);
    expect((await limited.client.patch(`/api/orgs/${second.id}`, { address: '北京市海淀区' })).statusCode).toBe(200);
  });

  describe('a member limited to some organisations', () => {
    let limitedAdmin: Client;
    let limitedId: string;
    let second: { id: string };
    beforeAll(async () => {
      second = (await a.owner.get('/api/orgs')).json().items.find((o: { name: string }) => o.name === '第二家企业');
      const m = await addMember(t.app, a, 'admin', [second.id]);
      limitedAdmin = m.client;
      limitedId = m.userId;
      await a.owner.patch(`/api/orgs/${orgA.id}`, { address: '只有全员可见的修改' });
    });

    it('cannot lift their own limit or give anyone more than they hold', async () => {
      const self = await limitedAdmin.patch(`/api/workspaces/${a.workspaceId}/members/${limitedId}`, { orgIds: null });
      expect(self.statusCode).toBe(403);
      const wider = await limitedAdmin.patch(`/api/workspaces/${a.workspaceId}/members/${limitedId}`, {
        orgIds: [second.id, orgA.id],
      });
      expect(wider.statusCode).toBe(403);
      const unlimited = await limitedAdmin.post(`/api/workspaces/${a.workspaceId}/members`, {
        email: 'helper@example.cn',
        name: '助手',
        role: 'viewer',
        orgIds: null,
      });
      expect(unlimited.statusCode).toBe(403);
      const inherited = await limitedAdmin.post(`/api/workspaces/${a.workspaceId}/members`, {
        email: 'helper2@example.cn',
        name: '助手二',
        role: 'viewer',
      });
      expect(inherited.statusCode).toBe(201);
      expect(inherited.json().invitation.orgIds).toEqual([second.id]);
      expect((await limitedAdmin.get(`/api/orgs/${orgA.id}`)).statusCode).toBe(404);
    });

    it('cannot add an organisation (403, not a server error)', async () => {
      const res = await limitedAdmin.post('/api/orgs', {
        workspaceId: a.workspaceId,
        name: '受限者新增',
        creditCode: CREDIT_CODES[0],
      });
      expect(res.statusCode).toBe(403);
    });

    it('reads only the audit rows of their organisations and the workspace-wide ones', async () => {
      const rows = (await limitedAdmin.get(`/api/audit-log?workspaceId=${a.workspaceId}&limit=500`)).json().items;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r: { orgId: string | null }) => r.orgId === second.id)).toBe(true);
      expect(rows.every((r: { orgId: string | null }) => r.orgId === null || r.orgId === second.id)).toBe(true);
    });

    it('keeps an empty limit as no organisations, not all of them', async () => {
      const none = await addMember(t.app, a, 'viewer', []);
      expect((await none.client.get('/api/orgs')).json().items).toEqual([]);
      const members = (await a.owner.get(`/api/workspaces/${a.workspaceId}/members`)).json().items;
      expect(members.find((m: { userId: string }) => m.userId === none.userId).orgIds).toEqual([]);
    });
  });

  it('returns 401 on every route without credentials', async () => {
    for (const [method, url] of [
      ['GET', '/api/me'],
      ['GET', '/api/workspaces'],
      ['GET', '/api/orgs'],
      ['GET', `/api/orgs/${orgA.id}`],
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens'],
      ['GET', `/api/audit-log?workspaceId=${a.workspaceId}`],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'POST' ? { name: 'x' } : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });
});
