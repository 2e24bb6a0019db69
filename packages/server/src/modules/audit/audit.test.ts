import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createOrg,
  createTenant,
  login,
  PASSWORD,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';

interface Row {
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
}

describe('audit log targets', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  const rows = async (tenant: Tenant, action: string) =>
    (await tenant.owner.get(`/api/audit-log?workspaceId=${tenant.workspaceId}&action=${action}`)).json<{
      items: Row[];
    }>().items;

  it('names what a row is about as it is now: certificate number, organisation and member', async () => {
    const org = await createOrg(a);
    const cert = await a.owner.post(`/api/orgs/${org.id}/certificates`, {
      level: 'CS3',
      number: 'CS3-2024-0042',
      issuer: '中国电子信息行业联合会',
      issuedOn: '2024-06-01',
      expiresOn: '2028-05-31',
    });
    expect(cert.statusCode, cert.body).toBe(201);
    // The update's own summary holds only what changed: the number comes from the certificate.
    const updated = await a.owner.patch(`/api/orgs/${org.id}/certificates/${cert.json().id}`, {
      issuer: '中国电子信息行业联合会（复核）',
    });
    expect(updated.statusCode, updated.body).toBe(200);
    const [row] = await rows(a, 'certificate.updated');
    expect(row).toMatchObject({ targetType: 'certificate', targetName: 'CS3-2024-0042' });

    const renamed = await a.owner.patch(`/api/orgs/${org.id}`, { name: '深圳市示例科技集团有限公司' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const [orgRow] = await rows(a, 'org.updated');
    expect(orgRow).toMatchObject({ targetType: 'org', targetName: '深圳市示例科技集团有限公司' });

    const member = await addMember(t.app, a, 'viewer');
    const changed = await a.owner.patch(`/api/workspaces/${a.workspaceId}/members/${member.userId}`, {
      role: 'contributor',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const [memberRow] = await rows(a, 'member.updated');
    expect(memberRow).toMatchObject({ targetType: 'member', targetName: 'viewer 成员' });
  });

  it("names nothing once the record is gone: the row's own summary still names it", async () => {
    const org = await createOrg(a, CREDIT_CODES[1], '即将删除的企业');
    const deleted = await a.owner.delete(`/api/orgs/${org.id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    const [row] = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&action=org.deleted`)).json<{
      items: (Row & { summary: { before: { name: string } } })[];
    }>().items;
    expect(row).toMatchObject({ targetId: org.id, targetName: null, summary: { before: { name: '即将删除的企业' } } });
  });

  it("shows a member's log-ins, failed log-ins, log-outs and API tokens in each of the member's workspaces, and nowhere else", async () => {
    const member = await addMember(t.app, a, 'contributor');
    const other = await createTenant(t.app, a.owner, '无关的公司');
    const failed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.1.2.3',
      payload: { email: member.email, password: 'not-the-password' },
    });
    expect(failed.statusCode).toBe(401);
    const session = await login(t.app, member.email, PASSWORD);
    const token = await session.post('/api/tokens', { name: '同步脚本' });
    expect(token.statusCode, token.body).toBe(201);
    const revoked = await session.delete(`/api/tokens/${token.json().id}`);
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await session.post('/api/auth/logout', {})).statusCode).toBe(204);

    const mine = async (tenant: Tenant, action: string) =>
      (
        await tenant.owner.get(
          `/api/audit-log?workspaceId=${tenant.workspaceId}&action=${action}&actorId=${member.userId}`,
        )
      ).json<{
        items: Array<Row & { ip: string | null; summary: Record<string, unknown> }>;
      }>().items;
    const [fail] = await mine(a, 'auth.login-failed');
    expect(fail).toMatchObject({ ip: '10.1.2.3', summary: { email: member.email } });
    expect(JSON.stringify(fail)).not.toContain('not-the-password');
    expect(await mine(a, 'auth.login')).toHaveLength(1);
    expect(await mine(a, 'auth.logout')).toHaveLength(1);
    const [created] = await mine(a, 'token.created');
    expect(created).toMatchObject({ targetType: 'token', summary: { name: '同步脚本' } });
    expect(JSON.stringify(created)).not.toMatch(/zz_[A-Za-z0-9]{20,}/);
    expect(await mine(a, 'token.revoked')).toHaveLength(1);
    // A workspace the member does not belong to reads none of it.
    for (const action of ['auth.login-failed', 'auth.login', 'auth.logout', 'token.created']) {
      expect(await mine(other, action), action).toEqual([]);
    }
  });
});
