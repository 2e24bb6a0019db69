import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';

describe.each(BACKENDS)('onboarding steps (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  const steps = async () => (await a.owner.get(`/api/workspaces/${a.workspaceId}/onboarding`)).json();

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('ticks each step as the workspace takes it', async () => {
    expect(await steps()).toEqual({
      steps: { org: false, certificate: false, history: false, evidence: false, channel: false },
      firstOrgId: null,
      firstCertificate: null,
    });
    const org = await createOrg(a, CREDIT_CODES[0], '甲科技有限公司');
    expect((await steps()).steps).toMatchObject({ org: true, certificate: false });
    expect((await steps()).firstOrgId).toBe(org.id);

    const cert = (
      await a.owner.post(`/api/orgs/${org.id}/certificates`, {
        level: 'CS2',
        number: 'CS2-1',
        issuer: '机构',
        issuedOn: '2025-03-15',
      })
    ).json();
    expect((await steps()).firstCertificate).toEqual({ id: cert.id, orgId: org.id });
    expect((await steps()).steps.history).toBe(false);
    const event = await a.owner.post(`/api/orgs/${org.id}/certificates/${cert.id}/events`, {
      type: 'complaint',
      date: '2026-11-20',
    });
    expect(event.statusCode, event.body).toBe(201);
    expect((await steps()).steps.history).toBe(true);

    const project = await a.owner.post(`/api/orgs/${org.id}/projects`, {
      name: '智慧园区平台',
      contractNumber: 'HT-1',
      amount: '1000000.00',
      signedOn: '2025-03-01',
    });
    expect(project.statusCode, project.body).toBe(201);
    expect((await steps()).steps.evidence).toBe(true);

    // A channel as the notifications page stores one (its sealed settings do not matter here).
    await withSystem(t.database.db, (tx) =>
      tx.insert(channels).values({
        workspaceId: a.workspaceId,
        type: 'webhook',
        name: '集成',
        config: 'v1:sealed',
        hint: { url: null, hasSecret: false },
      }),
    );
    expect((await steps()).steps).toEqual({
      org: true,
      certificate: true,
      history: true,
      evidence: true,
      channel: true,
    });
  });

  it('shows a limited member the steps of their organisations, and another workspace nothing', async () => {
    const other = await createOrg(a, CREDIT_CODES[1], '乙科技有限公司');
    const limited = await addMember(t.app, a, 'viewer', [other.id]);
    const mine = (await limited.client.get(`/api/workspaces/${a.workspaceId}/onboarding`)).json();
    expect(mine.firstOrgId).toBe(other.id);
    expect(mine.steps).toMatchObject({ org: true, certificate: false, evidence: false });
    const b = await createTenant(t.app, a.owner);
    expect((await b.owner.get(`/api/workspaces/${a.workspaceId}/onboarding`)).statusCode).toBe(404);
  });
});
