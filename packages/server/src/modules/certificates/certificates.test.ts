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

interface Obligation {
  id: string;
  key: string;
  rule: string;
  dueDate: string;
  dueAt: string | null;
  windowStart: string | null;
  basis: string;
  status: string;
  note: string | null;
  assigneeId: string | null;
  overdue: boolean;
  eventId: string | null;
}

describe.each(BACKENDS)('certificates, events and obligations (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let orgId: string;
  let certId: string;
  const base = () => `/api/orgs/${orgId}/certificates/${certId}`;
  const obligations = async (query = '') =>
    (await a.owner.get(`/api/orgs/${orgId}/obligations${query}`)).json().items as Obligation[];

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    orgId = (await createOrg(a)).id;
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level: 'CS3',
      number: 'CS3-4403-2025-0001',
      issuer: '中国电子信息行业联合会',
      issuedOn: '2025-03-15',
    });
    expect(res.statusCode, res.body).toBe(201);
    certId = res.json().id;
  });

  it('alerts, without changing the state, when the first supervision window passes without a record', async () => {
    const cert = (await a.owner.get(base())).json();
    expect(cert.state).toBe('active');
    expect(cert.timeline.map((s: { state: string }) => s.state)).toEqual(['active', 'expired']);
    expect(cert.alerts).toMatchObject([
      { code: 'supervision-missed', possibleState: 'abandoned', possibleFrom: '2026-09-16' },
    ]);
    const done = await a.owner.post(`${base()}/events`, { type: 'supervision.done', date: '2026-06-20', passed: true });
    expect(done.statusCode, done.body).toBe(201);
    expect((await a.owner.get(base())).json()).toMatchObject({ state: 'active', alerts: [] });
  });
  afterAll(() => t.close());

  it('proposes the expiry as issue + 4 years − 1 day and computes the first supervision window', async () => {
    const cert = (await a.owner.get(base())).json();
    expect(cert).toMatchObject({ level: 'CS3', expiresOn: '2029-03-14', expiresOnProposed: true });
    expect(cert.transitions).toHaveLength(1);
    const [first] = await obligations('?rule=supervision.first');
    // Done: the supervision recorded by the test before satisfies it.
    expect(first).toMatchObject({ windowStart: '2026-03-15', dueDate: '2026-09-15', status: 'done' });
  });

  it('previews a complaint’s deadline with its basis before saving, then saves the same', async () => {
    const body = { type: 'complaint', date: '2026-09-28' };
    const preview = await a.owner.post(`${base()}/events/preview`, body);
    expect(preview.statusCode, preview.body).toBe(200);
    const [due] = preview.json().obligations;
    expect(due).toMatchObject({ rule: 'complaint.response', dueDate: '2026-10-13' });
    expect(due.basis).toContain('7 个工作日');
    expect(await obligations('?rule=complaint.response')).toHaveLength(0);
    const saved = await a.owner.post(`${base()}/events`, body);
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().obligations).toMatchObject([{ rule: 'complaint.response', dueDate: '2026-10-13' }]);
  });

  it('rejects an unknown event type or a missing field with a message saying what to fix', async () => {
    const unknown = await a.owner.post(`${base()}/events`, { type: 'meteor', date: '2026-09-28' });
    expect(unknown.statusCode).toBe(400);
    const missing = await a.owner.post(`${base()}/events`, { type: 'incident' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/发生时间/);
  });

  it('counts an incident report in hours, as an instant in China time', async () => {
    const res = await a.owner.post(`${base()}/events`, { type: 'incident', at: '2026-05-01T14:30:00+08:00' });
    expect(res.statusCode, res.body).toBe(201);
    const [report] = res.json().obligations;
    expect(report).toMatchObject({
      rule: 'incident.report',
      dueAt: '2026-05-03T14:30:00+08:00',
      dueDate: '2026-05-03',
    });
  });

  it('keeps what people set on an obligation when the certificate is recomputed', async () => {
    const [complaint] = await obligations('?rule=complaint.response');
    const done = await a.owner.patch(`/api/orgs/${orgId}/obligations/${complaint!.id}`, {
      status: 'done',
      completedOn: '2026-10-09',
      note: '已提交整改方案',
      assigneeId: a.ownerId,
    });
    expect(done.statusCode, done.body).toBe(200);
    // A change to the certificate recomputes everything.
    expect((await a.owner.patch(base(), { issuer: '赛迪评估' })).statusCode).toBe(200);
    const [again] = await obligations('?rule=complaint.response');
    expect(again).toMatchObject({ id: complaint!.id, status: 'done', note: '已提交整改方案', assigneeId: a.ownerId });
  });

  it('moves an obligation when its event is corrected and removes it when the event is withdrawn', async () => {
    const ev = (await a.owner.post(`${base()}/events`, { type: 'complaint', date: '2026-06-01' })).json().event;
    const corrected = await a.owner.patch(`${base()}/events/${ev.id}`, { date: '2026-06-02' });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const mine = (await obligations('?rule=complaint.response')).filter((o) => o.eventId === ev.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.dueDate).toBe('2026-06-11');
    const noReason = await a.owner.delete(`${base()}/events/${ev.id}`);
    expect(noReason.statusCode).toBe(400);
    expect((await a.owner.delete(`${base()}/events/${ev.id}?reason=${encodeURIComponent('误录')}`)).statusCode).toBe(
      204,
    );
    expect((await obligations('?rule=complaint.response')).some((o) => o.eventId === ev.id)).toBe(false);
    const listed = (await a.owner.get(`${base()}/events`)).json().items.find((e: { id: string }) => e.id === ev.id);
    expect(listed).toMatchObject({ withdrawnReason: '误录' });
  });

  it('records a scheduled assessment step without a warning or a duty, corrects its step, and names a bad one', async () => {
    const before = (await obligations()).length;
    const res = await a.owner.post(`${base()}/events`, {
      type: 'assessment.step',
      date: '2027-01-12',
      assessment: 'supervision',
      step: 'on-site',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ obligations: [], warnings: [] });
    const id = res.json().event.id as string;
    expect((await obligations()).length).toBe(before);
    const fixed = await a.owner.patch(`${base()}/events/${id}`, { step: 'expert-review' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const listed = (await a.owner.get(`${base()}/events`)).json().items.find((e: { id: string }) => e.id === id);
    expect(listed).toMatchObject({
      type: 'assessment.step',
      date: '2027-01-12',
      assessment: 'supervision',
      step: 'expert-review',
    });
    const bad = await a.owner.post(`${base()}/events`, {
      type: 'assessment.step',
      date: '2027-01-12',
      assessment: 'supervision',
      step: 'visit',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('评估环节');
    expect((await a.owner.delete(`${base()}/events/${id}?reason=${encodeURIComponent('测试')}`)).statusCode).toBe(204);
  });

  it('gives one consistent result for two concurrent event writes', async () => {
    const [r1, r2] = await Promise.all([
      a.owner.post(`${base()}/events`, { type: 'complaint', date: '2026-07-01' }),
      a.owner.post(`${base()}/events`, { type: 'complaint', date: '2026-07-06' }),
    ]);
    expect([r1.statusCode, r2.statusCode]).toEqual([201, 201]);
    const ids = [r1.json().event.id, r2.json().event.id];
    const rows = (await obligations('?rule=complaint.response')).filter((o) => ids.includes(o.eventId!));
    expect(rows.map((o) => o.dueDate).sort()).toEqual(['2026-07-10', '2026-07-15']);
  });

  it('records a suspension with a reason and refuses an impossible transition', async () => {
    const s = await a.owner.post(`${base()}/transitions`, {
      to: 'suspended',
      on: '2026-06-15',
      reason: '监督评估未通过，整改期',
    });
    expect(s.statusCode, s.body).toBe(201);
    expect((await a.owner.get(base())).json().state).toBe('suspended');
    const back = await a.owner.post(`${base()}/transitions`, { to: 'active', on: '2026-09-15', reason: '整改完成' });
    expect(back.statusCode).toBe(201);
    const cert = (await a.owner.get(base())).json();
    expect(cert.transitions.map((x: { toState: string }) => x.toState)).toEqual(['active', 'suspended', 'active']);
  });

  it('continues the history with a renewal, superseding the old certificate', async () => {
    const other = (
      await a.owner.post(`/api/orgs/${orgId}/certificates`, {
        level: 'CS2',
        number: 'CS2-OLD-1',
        issuer: '评估机构',
        issuedOn: '2021-01-10',
        expiresOn: '2025-01-09',
        public: true,
      })
    ).json();
    const up = await a.owner.post(`/api/orgs/${orgId}/certificates/${other.id}/successor`, {
      kind: 'upgrade',
      level: 'CS4',
      number: 'X',
      issuer: '评估机构',
      issuedOn: '2024-12-01',
    });
    expect(up.statusCode).toBe(400);
    const renewal = await a.owner.post(`/api/orgs/${orgId}/certificates/${other.id}/successor`, {
      kind: 'renewal',
      level: 'CS2',
      number: 'CS2-NEW-1',
      issuer: '评估机构',
      issuedOn: '2024-12-01',
    });
    expect(renewal.statusCode, renewal.body).toBe(201);
    expect(renewal.json()).toMatchObject({ predecessorId: other.id, public: true, expiresOn: '2028-11-30' });
    const old = (await a.owner.get(`/api/orgs/${orgId}/certificates/${other.id}`)).json();
    expect(old).toMatchObject({ state: 'superseded', successorId: renewal.json().id, public: false });
  });

  it('refuses a duplicate certificate number in the organisation (409)', async () => {
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level: 'CS3',
      number: 'cs3-4403-2025-0001',
      issuer: '机构',
      issuedOn: '2025-03-15',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.field).toBe('number');
  });

  it('closes several past obligations at once, all or none', async () => {
    const past = (await obligations(`?rule=audit.internal&to=2025-06-30&certificateId=${certId}`)).map((o) => o.id);
    expect(past.length).toBeGreaterThan(2);
    const res = await a.owner.post(`/api/orgs/${orgId}/obligations/bulk`, {
      ids: past,
      status: 'done',
      completedOn: '2025-07-01',
      note: '登记前已完成（内审记录见档案）',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.every((o: Obligation) => o.status === 'done' && !o.overdue)).toBe(true);
    const foreign = '00000000-0000-4000-8000-000000000000';
    const partial = await a.owner.post(`/api/orgs/${orgId}/obligations/bulk`, { ids: [past[0], foreign], note: '改' });
    expect(partial.statusCode).toBe(404);
    const [first] = (await obligations(`?rule=audit.internal&to=2025-06-30&certificateId=${certId}`)).filter(
      (o) => o.id === past[0],
    );
    expect(first!.note).toBe('登记前已完成（内审记录见档案）');
  });

  it('lists obligations across the workspace and derives overdue', async () => {
    const all = (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?to=2025-12-31`)).json()
      .items as Obligation[];
    expect(all.length).toBeGreaterThan(5);
    expect(all.every((o) => o.dueDate <= '2025-12-31')).toBe(true);
    expect(all.filter((o) => o.status === 'open').every((o) => o.overdue)).toBe(true);
    const overdue = (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?status=overdue`)).json().items;
    expect(overdue.length).toBeGreaterThan(0);
  });

  it('pages a list by cursor: every row once, in due order, with the counts over all pages', async () => {
    // Two hour deadlines on one day sort by their instant, before that day's date deadlines.
    for (const at of ['2025-09-01T15:00:00+08:00', '2025-09-01T09:00:00+08:00']) {
      const res = await a.owner.post(`${base()}/events`, { type: 'incident', at });
      expect(res.statusCode, res.body).toBe(201);
    }
    const url = `/api/workspaces/${a.workspaceId}/obligations`;
    const whole = (await a.owner.get(`${url}?limit=500`)).json();
    expect(whole.nextCursor).toBeNull();
    expect(whole.total).toBe(whole.items.length);
    expect(whole.overdue).toBe(whole.items.filter((o: Obligation) => o.overdue).length);
    const seen: Obligation[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await a.owner.get(`${url}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      expect(page.total).toBe(whole.total);
      expect(page.overdue).toBe(whole.overdue);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(whole.total / 3));
    expect(seen.map((o) => o.id)).toEqual(whole.items.map((o: Obligation) => o.id));
    const keys = seen.map((o) => `${o.dueDate} ${o.dueAt ?? '~'}`);
    expect(keys).toEqual([...keys].sort());
    const incidents = seen.filter((o) => o.dueAt?.startsWith('2025-09-0'));
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    expect(incidents.map((o) => o.dueAt)).toEqual([...incidents.map((o) => o.dueAt)].sort());

    // The default page, and what a forged cursor or a page too large gets.
    const first = (await a.owner.get(url)).json();
    expect(first.items.length).toBe(Math.min(100, whole.total));
    for (const bad of [
      'abc',
      Buffer.from('["2025-13-45",null,"x"]').toString('base64url'),
      Buffer.from(JSON.stringify(['2025-01-01', 'never', '00000000-0000-4000-8000-000000000000'])).toString(
        'base64url',
      ),
    ]) {
      const res = await a.owner.get(`${url}?cursor=${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('翻页');
    }
    const tooMany = await a.owner.get(`${url}?limit=501`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('每页条数');
  });

  describe('tenancy', () => {
    let b: Tenant;
    let viewer: Client;
    let eventId: string;
    let obligationId: string;
    beforeAll(async () => {
      b = await createTenant(t.app, a.owner);
      await createOrg(b, CREDIT_CODES[1]);
      viewer = (await addMember(t.app, a, 'viewer')).client;
      eventId = (await a.owner.get(`${base()}/events`)).json().items[0].id;
      obligationId = (await obligations())[0]!.id;
    });

    const routes = (): Array<[string, string, string, unknown?]> => [
      ['GET', `/api/orgs/${orgId}/certificates`, 'read'],
      [
        'POST',
        `/api/orgs/${orgId}/certificates`,
        'write',
        { level: 'CS1', number: 'N-1', issuer: 'I', issuedOn: '2025-01-01' },
      ],
      ['GET', base(), 'read'],
      ['PATCH', base(), 'write', { issuer: '改' }],
      ['POST', `${base()}/transitions`, 'write', { to: 'revoked', on: '2026-01-01', reason: 'x' }],
      [
        'POST',
        `${base()}/successor`,
        'write',
        { kind: 'renewal', level: 'CS3', number: 'N-2', issuer: 'I', issuedOn: '2026-01-01' },
      ],
      ['GET', `${base()}/events`, 'read'],
      ['POST', `${base()}/events`, 'write', { type: 'complaint', date: '2026-01-05' }],
      ['POST', `${base()}/events/preview`, 'read', { type: 'complaint', date: '2026-01-05' }],
      ['GET', `${base()}/events/${eventId}`, 'read'],
      ['PATCH', `${base()}/events/${eventId}`, 'write', { note: '改' }],
      ['DELETE', `${base()}/events/${eventId}?reason=x`, 'write'],
      ['GET', `/api/orgs/${orgId}/obligations`, 'read'],
      ['PATCH', `/api/orgs/${orgId}/obligations/${obligationId}`, 'write', { note: '改' }],
      ['POST', `/api/orgs/${orgId}/obligations/bulk`, 'write', { ids: [obligationId], note: '改' }],
      ['GET', `/api/workspaces/${a.workspaceId}/obligations`, 'read'],
    ];

    it('answers 404 to a member of another workspace on every route', async () => {
      for (const [method, url, , body] of routes()) {
        const res = await b.owner.request(method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    });

    it('answers 403 to a viewer on every write', async () => {
      for (const [method, url, kind, body] of routes()) {
        const res = await viewer.request(method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(kind === 'write' ? 403 : 200);
      }
    });
  });
});
