import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificates, organisations } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { creditCode } from '../../test/consultancy-seed.js';
import { purgeExpiredOrgs, RECYCLE_DAYS } from './recycle-bin.js';

describe.each(BACKENDS)('organisation recycle bin (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
  });
  afterAll(() => t.close());

  /** An organisation with a published certificate and one recorded event. */
  async function orgWithCertificate(code: string, name: string) {
    const org = await createOrg(a, code, name);
    const cert = await a.owner.post(`/api/orgs/${org.id}/certificates`, {
      level: 'CS3',
      number: `CS3-2024-${code.slice(-4)}`,
      issuer: '中国电子信息行业联合会',
      issuedOn: '2024-06-01',
      public: true,
    });
    expect(cert.statusCode, cert.body).toBe(201);
    const event = await a.owner.post(`/api/orgs/${org.id}/certificates/${cert.json().id}/events`, {
      type: 'complaint',
      date: '2026-11-20',
    });
    expect(event.statusCode, event.body).toBe(201);
    return { org, certId: cert.json().id as string };
  }

  const bin = async (tenant: Tenant = a) =>
    (await tenant.owner.get(`/api/workspaces/${tenant.workspaceId}/recycle-bin`)).json<{
      items: Array<{ id: string; name: string; deletedBy: string | null; deletedAt: string; purgeAt: string }>;
    }>().items;

  it('counts what goes with an organisation, then hides all of it until it is restored', async () => {
    const { org, certId } = await orgWithCertificate(creditCode(901), '深圳市回收站测试有限公司');
    const impact = await a.owner.get(`/api/orgs/${org.id}/deletion-impact`);
    expect(impact.statusCode, impact.body).toBe(200);
    // The bin's page says how long it keeps things from the server, not a number of its own.
    expect((await a.owner.get(`/api/workspaces/${a.workspaceId}/recycle-bin`)).json().recycleDays).toBe(RECYCLE_DAYS);
    expect(impact.json()).toMatchObject({
      name: '深圳市回收站测试有限公司',
      recycleDays: RECYCLE_DAYS,
      counts: { certificates: 1, events: 1, files: 0 },
    });
    expect(impact.json().counts.openObligations).toBeGreaterThan(0);
    const [slug] = await withSystem(t.database.db, (tx) =>
      tx.select({ slug: certificates.publicSlug }).from(certificates).where(eq(certificates.id, certId)),
    );
    expect((await t.app.inject({ method: 'GET', url: `/api/public/certificates/${slug!.slug}` })).statusCode).toBe(200);

    expect((await a.owner.delete(`/api/orgs/${org.id}`)).statusCode).toBe(204);
    // Gone from every view: the organisation, its certificate, its obligations, the public page.
    expect((await a.owner.get(`/api/orgs/${org.id}`)).statusCode).toBe(404);
    expect((await a.owner.get(`/api/orgs/${org.id}/certificates/${certId}`)).statusCode).toBe(404);
    const orgs = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items as Array<{ id: string }>;
    expect(orgs.map((o) => o.id)).not.toContain(org.id);
    const due = (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations`)).json().items as Array<{
      orgId: string;
    }>;
    expect(due.filter((o) => o.orgId === org.id)).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/public/certificates/${slug!.slug}` })).statusCode).toBe(404);
    // Nothing was removed: the rows are all still there.
    const [kept] = await withSystem(t.database.db, (tx) =>
      tx.select().from(certificates).where(eq(certificates.id, certId)),
    );
    expect(kept).toBeDefined();

    const [item] = await bin();
    expect(item).toMatchObject({ id: org.id, name: '深圳市回收站测试有限公司', deletedBy: '系统管理员' });
    expect(Date.parse(item!.purgeAt) - Date.parse(item!.deletedAt)).toBe(RECYCLE_DAYS * 86_400_000);

    // The same company cannot be added again while it is in the bin: the message says where it is.
    const again = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '重复',
      creditCode: creditCode(901),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('回收站');

    const restored = await a.owner.post(`/api/workspaces/${a.workspaceId}/recycle-bin/${org.id}/restore`, {});
    expect(restored.statusCode, restored.body).toBe(204);
    expect((await a.owner.get(`/api/orgs/${org.id}/certificates/${certId}`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/public/certificates/${slug!.slug}` })).statusCode).toBe(200);
    expect(await bin()).toEqual([]);
    const actions = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&orgId=${org.id}`)).json()
      .items as Array<{ action: string }>;
    expect(actions.map((r) => r.action).slice(0, 2)).toEqual(['org.restored', 'org.deleted']);
  });

  it('removes an organisation for good on request, and by itself after 30 days', async () => {
    const now = await orgWithCertificate(creditCode(902), '立即彻底删除的企业');
    const later = await orgWithCertificate(creditCode(903), '三十天后删除的企业');
    expect((await a.owner.delete(`/api/orgs/${now.org.id}`)).statusCode).toBe(204);
    expect((await a.owner.delete(`/api/orgs/${later.org.id}`)).statusCode).toBe(204);

    expect((await a.owner.delete(`/api/workspaces/${a.workspaceId}/recycle-bin/${now.org.id}`)).statusCode).toBe(204);
    const rows = (id: string) =>
      withSystem(t.database.db, (tx) => tx.select().from(organisations).where(eq(organisations.id, id)));
    expect(await rows(now.org.id)).toEqual([]);
    // Only what is really in the bin can be removed: a live organisation is not found there.
    const live = await createOrg(a, creditCode(904), '正常的企业');
    expect((await a.owner.delete(`/api/workspaces/${a.workspaceId}/recycle-bin/${live.id}`)).statusCode).toBe(404);

    const deletedAt = Date.parse((await bin()).find((o) => o.id === later.org.id)!.deletedAt);
    expect(await purgeExpiredOrgs(t.database.db, deletedAt + (RECYCLE_DAYS - 1) * 86_400_000)).toBe(0);
    expect(await purgeExpiredOrgs(t.database.db, deletedAt + RECYCLE_DAYS * 86_400_000 + 1)).toBe(1);
    expect(await rows(later.org.id)).toEqual([]);
    expect(await bin()).toEqual([]);
    const purged = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&action=org.purged`)).json()
      .items as Array<{ actor: unknown; summary: { before: { name: string } } }>;
    expect(purged.map((r) => r.summary.before.name).sort()).toEqual(
      ['三十天后删除的企业', '立即彻底删除的企业'].sort(),
    );
    expect(purged.find((r) => r.summary.before.name === '三十天后删除的企业')!.actor).toBeNull();
  });

  it('is for admins of the workspace: not a manager, not another tenant', async () => {
    const { org } = await orgWithCertificate(creditCode(905), '权限测试企业');
    const manager = await addMember(t.app, a, 'manager');
    expect((await manager.client.delete(`/api/orgs/${org.id}`)).statusCode).toBe(403);
    expect((await manager.client.get(`/api/orgs/${org.id}/deletion-impact`)).statusCode).toBe(403);
    expect((await a.owner.delete(`/api/orgs/${org.id}`)).statusCode).toBe(204);
    expect((await manager.client.get(`/api/workspaces/${a.workspaceId}/recycle-bin`)).statusCode).toBe(403);
    const restore = `/api/workspaces/${a.workspaceId}/recycle-bin/${org.id}/restore`;
    expect((await manager.client.post(restore, {})).statusCode).toBe(403);
    // Another workspace's owner: not a member, so nothing is there to find.
    expect((await b.owner.get(`/api/workspaces/${a.workspaceId}/recycle-bin`)).statusCode).toBe(404);
    expect((await b.owner.post(restore, {})).statusCode).toBe(404);
    expect((await b.owner.post(`/api/workspaces/${b.workspaceId}/recycle-bin/${org.id}/restore`, {})).statusCode).toBe(
      404,
    );
    expect((await b.owner.delete(`/api/workspaces/${b.workspaceId}/recycle-bin/${org.id}`)).statusCode).toBe(404);
    expect(await bin(b)).toEqual([]);
    expect((await a.owner.post(restore, {})).statusCode).toBe(204);
  });
});
