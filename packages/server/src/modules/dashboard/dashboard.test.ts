import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.each(BACKENDS)('dashboard (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let orgA: string;
  let orgB: string;
  const dashboard = async (query = '') =>
    (await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard${query}`)).json();

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    orgA = (await createOrg(a, CREDIT_CODES[0], '甲公司')).id;
    orgB = (await createOrg(a, CREDIT_CODES[1], '乙公司')).id;
    const cs3 = (
      await a.owner.post(`/api/orgs/${orgA}/certificates`, {
        level: 'CS3',
        number: 'A-CS3',
        issuer: '机构',
        issuedOn: '2025-03-15',
      })
    ).json();
    await a.owner.post(`/api/orgs/${orgA}/certificates/${cs3.id}/events`, {
      type: 'supervision.done',
      date: '2026-06-20',
      passed: true,
    });
    // The clock stands at 2026-11-27 12:00 in China: this report is due in 38 hours.
    await a.owner.post(`/api/orgs/${orgA}/certificates/${cs3.id}/events`, {
      type: 'incident',
      at: '2026-11-27T02:00:00+08:00',
    });
    const cs2 = (
      await a.owner.post(`/api/orgs/${orgB}/certificates`, {
        level: 'CS2',
        number: 'B-CS2',
        issuer: '机构',
        issuedOn: '2024-05-10',
      })
    ).json();
    await a.owner.post(`/api/orgs/${orgB}/certificates/${cs2.id}/transitions`, {
      to: 'suspended',
      on: '2026-11-01',
      reason: '投诉核查整改',
    });
  });
  afterAll(() => t.close());

  it('counts certificates by state and level across the workspace', async () => {
    const d = await dashboard();
    expect(d.asOf).toBe('2026-11-27');
    expect(d.certificates).toEqual({ total: 2, byState: { active: 1, suspended: 1 }, byLevel: { CS3: 1, CS2: 1 } });
  });

  it('lists red lines: an incident report due within hours and a suspended certificate', async () => {
    const kinds = (await dashboard()).redLines.map((r: { kind: string; certificateNumber: string }) => [
      r.kind,
      r.certificateNumber,
    ]);
    expect(kinds).toContainEqual(['incident-report', 'A-CS3']);
    expect(kinds).toContainEqual(['suspended', 'B-CS2']);
  });

  it('counts what is due in 7/30/90 days and what is overdue, and names unpublished years', async () => {
    const d = await dashboard();
    expect(d.due.d7).toBeGreaterThanOrEqual(1);
    expect(d.due.d30).toBeGreaterThanOrEqual(d.due.d7);
    expect(d.due.d90).toBeGreaterThanOrEqual(d.due.d30);
    expect(d.overdue).toBeGreaterThan(0);
    expect(d.unpublishedYears).toContain(2027);
    const before = d.overdue;
    const late = (await a.owner.get(`/api/orgs/${orgA}/obligations?status=overdue`)).json().items[0];
    await a.owner.patch(`/api/orgs/${orgA}/obligations/${late.id}`, { status: 'done', completedOn: '2026-11-20' });
    expect((await dashboard()).overdue).toBe(before - 1);
  });

  it('agrees with the obligations list: the same overdue and due-soon counts, computed from every row', async () => {
    const d = await dashboard();
    const items: { status: string; overdue: boolean; dueDate: string; awaitingNotice: number | null }[] = (
      await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations`)
    ).json().items;
    // Both certificates are live (active, suspended): every pending row counts.
    const pending = items.filter((o) => o.status === 'open' || o.status === 'in_progress');
    const within = (days: number) => {
      const limit = new Date(Date.parse(`${d.asOf}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      return pending.filter((o) => !o.overdue && o.dueDate <= limit).length;
    };
    expect(d.overdue).toBe(pending.filter((o) => o.overdue).length);
    expect(d.due).toEqual({ d7: within(7), d30: within(30), d90: within(90) });
    const years = new Set(pending.map((o) => Number(o.dueDate.slice(0, 4))).filter((y) => y >= 2027));
    expect(d.unpublishedYears).toEqual([...years].sort());
  });

  it('draws each certificate’s timeline with its milestones', async () => {
    const line = (await dashboard(`?orgId=${orgA}`)).timelines;
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ number: 'A-CS3', issuedOn: '2025-03-15', expiresOn: '2029-03-14' });
    const rules = line[0].milestones.map((m: { rule: string }) => m.rule);
    expect(rules).toEqual(expect.arrayContaining(['supervision.first', 'renewal.apply', 'expiry']));
  });

  it('shows a limited member only their organisations, and another workspace 404', async () => {
    const limited = await addMember(t.app, a, 'viewer', [orgB]);
    const d = (await limited.client.get(`/api/workspaces/${a.workspaceId}/dashboard`)).json();
    expect(d.timelines.map((x: { number: string }) => x.number)).toEqual(['B-CS2']);
    const b = await createTenant(t.app, a.owner);
    expect((await b.owner.get(`/api/workspaces/${a.workspaceId}/dashboard`)).statusCode).toBe(404);
  });
});
