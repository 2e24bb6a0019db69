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

interface Impact {
  orgId: string;
  suggested: boolean;
  certificates: Array<{ id: string; touched: boolean }>;
  assessment: { impact: string; caseId: string | null; note: string | null } | null;
}

describe.each(BACKENDS)('policy and standard updates (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgId: string;
  let certId: string;
  let viewer: Client;
  let manager: Client;
  const updates = () => `/api/workspaces/${a.workspaceId}/policy-updates`;
  const revision = {
    title: 'GB/T 2025 修订版评估标准',
    issuer: '中国电子信息行业联合会',
    publishedOn: '2026-09-01',
    link: 'https://example.org/notice/2025',
    summary: '新增人工智能和绿色数据中心能力要求',
    levels: ['CS3', 'CS4'],
    items: ['SM.1.1'],
    rules: ['policy.review'],
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgId = (await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司')).id;
    viewer = (await addMember(t.app, a, 'viewer')).client;
    manager = (await addMember(t.app, a, 'manager')).client;
    const cert = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level: 'CS3',
      number: 'CS3-4403-2025-0500',
      issuer: '中国电子信息行业联合会',
      issuedOn: '2025-03-15',
    });
    expect(cert.statusCode, cert.body).toBe(201);
    certId = cert.json<{ id: string }>().id;
  });
  afterAll(() => t.close());

  it('records an update, assesses each company, opens the review case with actions, and lists it on the meeting agenda', async () => {
    expect((await viewer.post(updates(), revision)).statusCode).toBe(403);
    expect((await b.owner.post(updates(), revision)).statusCode).toBe(404);
    for (const [patch, message] of [
      [{ link: 'ftp://x' }, '链接应以 http:// 或 https:// 开头'],
      [{ items: ['XX.9.9'] }, '能力目录中没有这些能力项：XX.9.9'],
      [{ publishedOn: '2027-01-01' }, '发布日期不能晚于今天'],
      [{ summary: ' ' }, '请说明变化内容'],
    ] as const) {
      const res = await manager.post(updates(), { ...revision, ...patch });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    const created = await manager.post(updates(), revision);
    expect(created.statusCode, created.body).toBe(201);
    const update = created.json<{
      id: string;
      affects: { items: Array<{ name: string }>; rules: Array<{ name: string }> };
    }>();
    expect(update.affects.items[0]!.name).toBe('战略意图制定');
    expect(update.affects.rules[0]!.name).toBe('评估标准/政策更新影响评审');
    expect((await viewer.get(updates())).json().items).toEqual([
      expect.objectContaining({ id: update.id, assessed: 0, affected: 0 }),
    ]);
    expect((await b.owner.get(updates())).statusCode).toBe(404);

    // The company holds a CS3 certificate: the update names its level.
    const impacts = `${updates()}/${update.id}/orgs`;
    const [row] = (await viewer.get(impacts)).json<{ items: Impact[] }>().items;
    expect(row).toMatchObject({
      orgId,
      suggested: true,
      certificates: [{ id: certId, touched: true }],
      assessment: null,
    });

    const assess = `${impacts}/${orgId}`;
    expect((await viewer.request('PUT', assess, { impact: 'affected', certificateId: certId })).statusCode).toBe(403);
    expect((await b.owner.request('PUT', assess, { impact: 'affected', certificateId: certId })).statusCode).toBe(404);
    const noCert = await manager.request('PUT', assess, { impact: 'affected' });
    expect(noCert.statusCode).toBe(400);
    expect(noCert.json().error.message).toContain('受影响时请选择由哪张证书办理');
    const affected = await manager.request('PUT', assess, {
      impact: 'affected',
      certificateId: certId,
      date: '2026-11-02',
      note: '涉及数据中心运维能力项',
    });
    expect(affected.statusCode, affected.body).toBe(200);
    const caseId = affected.json<Impact>().assessment!.caseId!;
    expect(caseId).toBeTruthy();

    // The case: the review due by the engine's rule, 30 days (assumed) from the review's start.
    const policyCase = (await viewer.get(`/api/orgs/${orgId}/cases/${caseId}`)).json<{
      kind: string;
      note: string;
      steps: Array<{ key: string; dueDate: string | null }>;
      actions: unknown[];
    }>();
    expect(policyCase.kind).toBe('policy');
    expect(policyCase.note).toBe('GB/T 2025 修订版评估标准（中国电子信息行业联合会，2026-09-01 发布）');
    expect(policyCase.steps[0]).toMatchObject({ key: 'review', dueDate: '2026-12-02' });
    const duties = (
      await viewer.get(`/api/orgs/${orgId}/obligations?certificateId=${certId}&rule=policy.review&limit=10`)
    ).json<{ items: Array<{ dueDate: string }> }>().items;
    expect(duties.map((d) => d.dueDate)).toEqual(['2026-12-02']);

    const action = await manager.post(`/api/orgs/${orgId}/cases/${caseId}/actions`, {
      title: '修订数据中心运维制度',
      dueDate: '2026-12-20',
    });
    expect(action.statusCode, action.body).toBe(201);
    expect(action.json().actions).toEqual([
      expect.objectContaining({ text: '修订数据中心运维制度', dueDate: '2026-12-20', status: 'open' }),
    ]);
    const actions = (
      await viewer.get(`/api/orgs/${orgId}/obligations?certificateId=${certId}&rule=policy.action&limit=10`)
    ).json<{ items: unknown[] }>().items;
    expect(actions).toHaveLength(1);
    expect(
      (await viewer.post(`/api/orgs/${orgId}/cases/${caseId}/actions`, { title: 'x', dueDate: '2026-12-20' }))
        .statusCode,
    ).toBe(403);
    expect((await viewer.get(updates())).json().items[0]).toMatchObject({ assessed: 1, affected: 1 });

    // The quarterly meeting's agenda names the update while its review is open.
    const meeting = await manager.post(`/api/orgs/${orgId}/meetings`, { certificateId: certId, quarter: '2026-Q4' });
    expect(meeting.statusCode, meeting.body).toBe(201);
    const agenda = meeting.json<{ agenda: Array<{ title: string; lines: string[] }> }>().agenda;
    expect(agenda.find((s) => s.title === '政策和标准更新')!.lines).toEqual([
      '2026-11-02：GB/T 2025 修订版评估标准（中国电子信息行业联合会，2026-09-01 发布）（影响评审办理中）',
    ]);

    // Not affected after all: a reason is required, and the case goes.
    const noReason = await manager.request('PUT', assess, { impact: 'not-affected' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('不受影响时请说明理由');
    const cleared = await manager.request('PUT', assess, { impact: 'not-affected', note: '本公司不运营数据中心' });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<Impact>().assessment).toMatchObject({ impact: 'not-affected', caseId: null });
    expect((await viewer.get(`/api/orgs/${orgId}/cases/${caseId}`)).statusCode).toBe(404);
    expect((await viewer.get(updates())).json().items[0]).toMatchObject({ assessed: 1, affected: 0 });
  });
});
