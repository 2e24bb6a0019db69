import { defaultRequirementSet } from '@zizhi/core';
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
} from '../../test/harness.js';

describe.each(BACKENDS)('readiness (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgB: { id: string };
  let viewer: Client;
  const base = () => `/api/orgs/${orgA.id}`;

  type Requirement = { kind: string; status: string; value: unknown; gap: { zh: string } | null };
  const requirement = (body: { requirements: Requirement[] }, kind: string) =>
    body.requirements.find((r) => r.kind === kind)!;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0]);
    orgB = await createOrg(b, CREDIT_CODES[1]);
    viewer = (await addMember(t.app, a, 'viewer')).client;
    const cert = await a.owner.post(`${base()}/certificates`, {
      level: 'CS3',
      number: 'CS3-4403-20250012',
      issuer: '中国电子信息行业联合会',
      issuedOn: '2025-03-15',
    });
    expect(cert.statusCode, cert.body).toBe(201);
    // Without its first supervision the certificate would be abandoned by now, with no checkpoint ahead.
    const done = await a.owner.post(`${base()}/certificates/${cert.json().id}/events`, {
      type: 'supervision.done',
      date: '2026-06-20',
      passed: true,
    });
    expect(done.statusCode, done.body).toBe(201);
  });
  afterAll(() => t.close());

  it('defaults to the certificate’s level and today, and says what is missing', async () => {
    const res = await viewer.get(`${base()}/readiness`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ level: 'CS3', at: '2026-11-27', currentLevel: 'CS3', upgradeLevel: 'CS4' });
    expect(body.status).not.toBe('met');
    // Nothing registered yet is "data missing", saying what to enter, not a count of zero.
    expect(requirement(body, 'large-projects').status).toBe('unknown');
    expect(requirement(body, 'avg-annual-revenue').status).toBe('unknown');
    const staff = await a.owner.post(`${base()}/staff`, { name: '张伟', socialInsuranceFrom: '2020-01' });
    expect(staff.statusCode, staff.body).toBe(201);
    const withStaff = (await viewer.get(`${base()}/readiness`)).json();
    expect(requirement(withStaff, 'insured-staff')).toMatchObject({ status: 'not-met', value: 1 });
    expect(requirement(withStaff, 'insured-staff').gap!.zh).toContain('149');
    // The next supervision or renewal checkpoint of the certificate, judged with today's evidence.
    expect(body.next).not.toBeNull();
    expect(body.next.date > '2026-11-27').toBe(true);
  });

  it('counts recorded projects and forecasts when they leave the window', async () => {
    for (const [i, signedOn] of ['2024-02-01', '2024-08-01', '2025-05-01'].entries()) {
      const p = await a.owner.post(`${base()}/projects`, {
        name: `大型项目 ${i + 1}`,
        contractNumber: `HT-${i + 1}`,
        amount: '12000000.00',
        signedOn,
        technologies: ['云计算'],
      });
      expect(p.statusCode, p.body).toBe(201);
    }
    const body = (await viewer.get(`${base()}/readiness?level=cs3&at=2026-06-30`)).json();
    const large = requirement(body, 'large-projects') as Requirement & {
      forecast: { date: string; reason: { zh: string } } | null;
      evidence: unknown[];
    };
    expect(large).toMatchObject({ status: 'met', value: 3 });
    expect(large.evidence).toHaveLength(3);
    expect(large.forecast).not.toBeNull();
    expect(large.forecast!.date > '2026-06-30').toBe(true);
    expect(large.forecast!.reason.zh).toMatch(/窗口/);
  });

  it('refuses a bad level or date with a message', async () => {
    const level = await viewer.get(`${base()}/readiness?level=CS9`);
    expect(level.statusCode).toBe(400);
    expect(level.json().error.message).toContain('CS1');
    const at = await viewer.get(`${base()}/readiness?at=2026-02-30`);
    expect(at.statusCode).toBe(400);
  });

  it('uses a workspace’s edited requirement set, validated, and can go back to the default', async () => {
    const set = structuredClone(defaultRequirementSet('CS3')) as unknown as {
      requirements: Array<Record<string, unknown>>;
    };
    const large = set.requirements.find((r) => r.kind === 'large-projects')!;
    large.threshold = 4;
    expect((await viewer.request('PUT', `/api/workspaces/${a.workspaceId}/requirement-sets/CS3`, set)).statusCode).toBe(
      403,
    );
    const saved = await a.owner.request('PUT', `/api/workspaces/${a.workspaceId}/requirement-sets/CS3`, set);
    expect(saved.statusCode, saved.body).toBe(200);
    const body = (await viewer.get(`${base()}/readiness?level=CS3&at=2026-06-30`)).json();
    expect(body.customRequirements).toBe(true);
    expect(requirement(body, 'large-projects').status).toBe('not-met');

    const wrongLevel = await a.owner.request('PUT', `/api/workspaces/${a.workspaceId}/requirement-sets/CS2`, set);
    expect(wrongLevel.statusCode).toBe(400);
    expect(wrongLevel.json().error.message).toContain('CS3');
    const broken = await a.owner.request('PUT', `/api/workspaces/${a.workspaceId}/requirement-sets/CS3`, {
      ...set,
      window: { kind: 'decades' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toContain('统计窗口');

    const list = (await viewer.get(`/api/workspaces/${a.workspaceId}/requirement-sets`)).json().items;
    expect(list.map((s: { level: string; custom: boolean }) => [s.level, s.custom])).toEqual([
      ['CS1', false],
      ['CS2', false],
      ['CS3', true],
      ['CS4', false],
      ['CS5', false],
    ]);
    const reset = await a.owner.delete(`/api/workspaces/${a.workspaceId}/requirement-sets/CS3`);
    expect(reset.statusCode).toBe(200);
    expect((await viewer.get(`${base()}/readiness?level=CS3&at=2026-06-30`)).json().customRequirements).toBe(false);
  });

  it('answers 404 on every route for another workspace', async () => {
    const set = defaultRequirementSet('CS3');
    const calls = [
      await a.owner.get(`/api/orgs/${orgB.id}/readiness`),
      await a.owner.get(`/api/workspaces/${b.workspaceId}/requirement-sets`),
      await a.owner.request('PUT', `/api/workspaces/${b.workspaceId}/requirement-sets/CS3`, set),
      await a.owner.delete(`/api/workspaces/${b.workspaceId}/requirement-sets/CS3`),
    ];
    expect(calls.map((c) => c.statusCode)).toEqual([404, 404, 404, 404]);
    const theirs = (await b.owner.get(`/api/workspaces/${b.workspaceId}/requirement-sets`)).json().items;
    expect(theirs.every((s: { custom: boolean }) => !s.custom)).toBe(true);
  });
});
