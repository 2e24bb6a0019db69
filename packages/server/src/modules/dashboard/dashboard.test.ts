import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  TEST_NOW,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { eq } from 'drizzle-orm';
import { setClock } from '../../clock.js';
import { certificates, obligations, workspaceVersions } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { evaluateStoredMany, recomputeCertificate, storedState } from '../obligations/api.js';

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
      await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?limit=500`)
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

  it('draws each certificate’s timeline with its milestones, a page at a time', async () => {
    const timelines = async (query: string) =>
      (await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard/timelines${query}`)).json();
    const line = (await timelines(`?orgId=${orgA}`)).items;
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ number: 'A-CS3', issuedOn: '2025-03-15', expiresOn: '2029-03-14' });
    const rules = line[0].milestones.map((m: { rule: string }) => m.rule);
    expect(rules).toEqual(expect.arrayContaining(['supervision.first', 'renewal.apply', 'expiry']));
    // By organisation name (乙 sorts before 甲), one certificate a page.
    const first = await timelines('?limit=1');
    expect(first).toMatchObject({ total: 2 });
    expect(first.items.map((x: { number: string }) => x.number)).toEqual(['B-CS2']);
    const second = await timelines(`?limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((x: { number: string }) => x.number)).toEqual(['A-CS3']);
    expect(second.nextCursor).toBeNull();
    const bad = await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard/timelines?cursor=bm9wZQ`);
    expect(bad.statusCode).toBe(400);
  });

  it('lists the nearest deadlines not yet passed, in due order', async () => {
    const d = await dashboard();
    expect(d.nearest.length).toBeGreaterThan(0);
    expect(d.nearest.length).toBeLessThanOrEqual(10);
    const open: { id: string; overdue: boolean; status: string }[] = (
      await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?limit=500`)
    ).json().items;
    const expected = open
      .filter((o) => !o.overdue && (o.status === 'open' || o.status === 'in_progress'))
      .slice(0, 10)
      .map((o) => o.id);
    expect(d.nearest.map((n: { obligationId: string }) => n.obligationId)).toEqual(expected);
  });

  it('shows a limited member only their organisations, and another workspace 404', async () => {
    const limited = await addMember(t.app, a, 'viewer', [orgB]);
    const d = (await limited.client.get(`/api/workspaces/${a.workspaceId}/dashboard`)).json();
    expect(d.certificates.total).toBe(1);
    expect(new Set(d.redLines.map((r: { certificateNumber: string }) => r.certificateNumber))).toEqual(
      new Set(['B-CS2']),
    );
    const lines = (await limited.client.get(`/api/workspaces/${a.workspaceId}/dashboard/timelines`)).json();
    expect(lines.items.map((x: { number: string }) => x.number)).toEqual(['B-CS2']);
    const b = await createTenant(t.app, a.owner);
    expect((await b.owner.get(`/api/workspaces/${a.workspaceId}/dashboard`)).statusCode).toBe(404);
    expect((await b.owner.get(`/api/workspaces/${a.workspaceId}/dashboard/timelines`)).statusCode).toBe(404);
  });
});

describe('dashboard red lines at scale (pglite)', () => {
  let t: TestApp;
  let a: Tenant;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('finds the same “needs a record” alerts as running the engine on every certificate', async () => {
    // A fixed pseudo-random mix of levels, issue dates and records, kept and missed.
    let seed = 20261205;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const orgs = [
      (await createOrg(a, CREDIT_CODES[0], '甲公司')).id,
      (await createOrg(a, CREDIT_CODES[1], '乙公司')).id,
    ];
    const levels = ['CS1', 'CS2', 'CS3', 'CS4'] as const;
    for (let i = 0; i < 24; i++) {
      const orgId = orgs[i % 2]!;
      const level = levels[i % 4]!;
      const year = 2021 + Math.floor(random() * 5);
      const issuedOn = `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
      const cert = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
        level,
        number: `${level}-${i}`,
        issuer: '机构',
        issuedOn,
      });
      expect(cert.statusCode, cert.body).toBe(201);
      const events = `/api/orgs/${orgId}/certificates/${cert.json().id}/events`;
      if (level === 'CS3' || level === 'CS4') {
        const kind = Math.floor(random() * 4); // none, passed, failed, failed long ago
        if (kind > 0) {
          const date =
            kind === 2 ? '2026-10-20' : `${year + 1}-${String(3 + Math.floor(random() * 6)).padStart(2, '0')}-15`;
          const res = await a.owner.post(events, { type: 'supervision.done', date, passed: kind === 1 });
          expect([201, 400]).toContain(res.statusCode);
        }
      } else {
        for (let y = year + 1; y <= 2026; y++) {
          if (random() < 0.5) continue;
          const res = await a.owner.post(events, {
            type: 'self-check.submitted',
            date: `${y}-04-10`,
            year: y - 1,
            result: 'normal',
          });
          expect([201, 400]).toContain(res.statusCode);
        }
      }
    }
    // Failed inside the first supervision's window, before its deadline: no deadline has passed.
    const early = await a.owner.post(`/api/orgs/${orgs[0]}/certificates`, {
      level: 'CS3',
      number: 'CS3-early',
      issuer: '机构',
      issuedOn: '2025-09-10',
    });
    const failed = await a.owner.post(`/api/orgs/${orgs[0]}/certificates/${early.json().id}/events`, {
      type: 'supervision.done',
      date: '2026-10-20',
      passed: false,
    });
    expect(failed.statusCode, failed.body).toBe(201);
    const d = (await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard`)).json();
    expect(d.redLines.some((r: { certificateNumber: string }) => r.certificateNumber === 'CS3-early')).toBe(true);
    const found = d.redLines
      .filter((r: { kind: string }) => r.kind === 'needs-record')
      .map((r: { certificateId: string; title: string }) => `${r.certificateId} ${r.title}`)
      .sort();
    expect(found.length).toBeGreaterThan(3);
    expect(d.redLinesTotal).toBe(d.redLines.length);

    // Every certificate through the engine, as the dashboard once did.
    const expected = await withSystem(t.database.db, async (tx) => {
      const rows = await tx.select().from(certificates);
      const results = await evaluateStoredMany(tx, rows, '2026-11-27');
      return rows
        .filter((c) => ['active', 'suspended'].includes(storedState(c, '2026-11-27')))
        .flatMap((c) => results.get(c.id)!.alerts.map((alert) => `${c.id} ${alert.zh}`))
        .sort();
    });
    expect(found).toEqual(expected);
  });
});

describe.each(BACKENDS)('answers kept until something changes (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let orgId: string;
  let certId: string;
  const dashboard = async () => (await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard`)).json();
  const counter = () =>
    withSystem(t.database.db, async (tx) => {
      const [row] = await tx.select().from(workspaceVersions).where(eq(workspaceVersions.workspaceId, a.workspaceId));
      return row?.version ?? 0;
    });

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    orgId = (await createOrg(a, CREDIT_CODES[0], '甲公司')).id;
    certId = (
      await a.owner.post(`/api/orgs/${orgId}/certificates`, {
        level: 'CS3',
        number: 'A-CS3',
        issuer: '机构',
        issuedOn: '2025-03-15',
      })
    ).json().id;
  });
  afterAll(() => {
    setClock(() => TEST_NOW);
    return t.close();
  });

  it('moves the workspace counter once per writing transaction, and not on reads', async () => {
    const before = await counter();
    await dashboard();
    await a.owner.get(`/api/orgs/${orgId}/obligations`);
    expect(await counter()).toBe(before);
    // An event and the recompute it starts: many rows, one transaction.
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates/${certId}/events`, {
      type: 'supervision.done',
      date: '2026-06-20',
      passed: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await counter()).toBe(before + 1);
  });

  it('rewrites nothing when a recompute finds nothing changed: no dead rows, the counter stays', async () => {
    const stamps = () =>
      withSystem(t.database.db, async (tx) =>
        (
          await tx
            .select({ id: obligations.id, at: obligations.updatedAt })
            .from(obligations)
            .where(eq(obligations.certificateId, certId))
        )
          .map((r) => `${r.id}@${r.at.toISOString()}`)
          .sort(),
      );
    const before = await stamps();
    const version = await counter();
    await withSystem(t.database.db, (tx) => recomputeCertificate(tx, certId));
    expect(await stamps()).toEqual(before);
    expect(await counter()).toBe(version);
  });

  it('shows a change at once: a renamed organisation, a recorded event, a finished obligation', async () => {
    const first = await dashboard();
    expect(first.nearest[0].orgName).toBe('甲公司');
    expect(await dashboard()).toEqual(first);
    const timelines = async () => (await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard/timelines`)).json();
    expect((await timelines()).items[0].orgName).toBe('甲公司');
    await a.owner.patch(`/api/orgs/${orgId}`, { name: '甲公司（更名）' });
    expect((await dashboard()).nearest[0].orgName).toBe('甲公司（更名）');
    expect((await timelines()).items[0].orgName).toBe('甲公司（更名）');

    const redLines = (await dashboard()).redLinesTotal;
    await a.owner.post(`/api/orgs/${orgId}/certificates/${certId}/events`, {
      type: 'incident',
      at: '2026-11-27T02:00:00+08:00',
    });
    expect((await dashboard()).redLinesTotal).toBe(redLines + 1);

    const listed = async () => (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?limit=1`)).json();
    const before = await listed();
    const next = before.items[0];
    await a.owner.patch(`/api/orgs/${orgId}/obligations/${next.id}`, { status: 'waived', waivedReason: '不适用' });
    const after = await listed();
    expect(after.total).toBe(before.total);
    expect(after.items[0].id).toBe(next.id);
    expect((await listed()).items[0].status).toBe('waived');
    const open = async () =>
      (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?limit=1&status=open`)).json().total;
    const openBefore = await open();
    const another = (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?limit=1&status=open`)).json()
      .items[0];
    await a.owner.patch(`/api/orgs/${orgId}/obligations/${another.id}`, { status: 'waived', waivedReason: '不适用' });
    expect(await open()).toBe(openBefore - 1);
  });

  it('keeps an answer only while the clock leaves it true: an hour deadline passing changes it', async () => {
    // The incident report above is due 2026-11-29 02:00 in China.
    setClock(() => Date.parse('2026-11-29T01:59:00+08:00'));
    const before = await dashboard();
    expect(await dashboard()).toEqual(before);
    // The lists too: the overdue filter takes the report in, its row shows it overdue.
    const list = async (query: string) =>
      (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?limit=500&${query}`)).json();
    const report = (await list('status=open')).items.find((o: { dueAt: string | null }) => o.dueAt !== null);
    expect(report.overdue).toBe(false);
    const overdueBefore = await list('status=overdue');
    expect(overdueBefore.items.map((o: { id: string }) => o.id)).not.toContain(report.id);
    expect(await list('status=overdue')).toEqual(overdueBefore);
    setClock(() => Date.parse('2026-11-29T02:01:00+08:00'));
    const after = await dashboard();
    expect(after.overdue).toBe(before.overdue + 1);
    expect((await list('status=open')).items.find((o: { id: string }) => o.id === report.id).overdue).toBe(true);
    const overdueAfter = await list('status=overdue');
    expect(overdueAfter.total).toBe(overdueBefore.total + 1);
    expect(overdueAfter.items.map((o: { id: string }) => o.id)).toContain(report.id);
    // And back: an answer computed later is not served to an earlier clock.
    setClock(() => Date.parse('2026-11-29T01:59:00+08:00'));
    expect((await dashboard()).overdue).toBe(before.overdue);
    setClock(() => TEST_NOW);
  });

  it('gives each scope its own answer: a limited member never sees the full workspace’s', async () => {
    const other = (await createOrg(a, CREDIT_CODES[1], '乙公司')).id;
    await a.owner.post(`/api/orgs/${other}/certificates`, {
      level: 'CS2',
      number: 'B-CS2',
      issuer: '机构',
      issuedOn: '2024-05-10',
    });
    expect((await dashboard()).certificates.total).toBe(2);
    const limited = await addMember(t.app, a, 'viewer', [other]);
    const own = (await limited.client.get(`/api/workspaces/${a.workspaceId}/dashboard`)).json();
    expect(own.certificates.total).toBe(1);
    const list = (await limited.client.get(`/api/workspaces/${a.workspaceId}/obligations?limit=500`)).json();
    expect(new Set(list.items.map((o: { orgId: string }) => o.orgId))).toEqual(new Set([other]));
    expect(list.total).toBe(list.items.length);
    expect((await dashboard()).certificates.total).toBe(2);
  });
});
