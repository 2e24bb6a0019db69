import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.js';
import { readDocx } from '../../test/documents.js';
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
import { pdf, uploadFile } from '../../test/multipart.js';

interface Step {
  key: string;
  status: string;
  action: string;
  dueDate: string | null;
  basis: string | null;
  doneOn: string | null;
  obligationId: string | null;
}
interface Case {
  id: string;
  kind: string;
  state: string;
  steps: Step[];
  checklist: Array<{ id: string; status: string; file: { name: string } | null; reason: string | null }>;
  actions: Array<{ text: string; dueDate: string; afterPeriod: boolean; status: string }>;
  progress: Record<string, number>;
  outcome: { certificateNo: string | null } | null;
}

/** A Word document's paragraphs and table cells, one per line. */
async function docxText(content: Buffer): Promise<string> {
  const d = await readDocx(content);
  return [...d.paragraphs, ...d.tables.flat(2)].join('\n');
}

describe.each(BACKENDS)('guided cases (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgId: string;
  let viewer: Client;
  let manager: Client;

  async function certificate(level: string, number: string, issuedOn: string) {
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level,
      number,
      issuer: '中国电子信息行业联合会',
      issuedOn,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }
  async function event(certId: string, body: Record<string, unknown>) {
    const res = await manager.post(`/api/orgs/${orgId}/certificates/${certId}/events`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ event: { id: string } }>().event.id;
  }
  /** The engine's stored duty of a rule on the certificate: what a step's deadline must equal. */
  async function duty(certId: string, rule: string) {
    const res = await viewer.get(`/api/orgs/${orgId}/obligations?certificateId=${certId}&rule=${rule}&limit=100`);
    return res.json<{
      items: Array<{ id: string; dueDate: string; basis: string; status: string; completedOn: string | null }>;
    }>().items;
  }
  const caseUrl = (id: string) => `/api/orgs/${orgId}/cases/${id}`;
  const step = (c: Case, key: string) => c.steps.find((s) => s.key === key)!;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgId = (await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司')).id;
    viewer = (await addMember(t.app, a, 'viewer')).client;
    manager = (await addMember(t.app, a, 'manager')).client;
  });
  afterAll(() => t.close());

  it('runs a loss case from the event to the re-issued certificate, with engine deadlines, the checklist and the notice', async () => {
    const certId = await certificate('CS2', 'CS2-4403-2024-0077', '2024-06-01');
    const lostId = await event(certId, { type: 'lost', date: '2026-11-02', note: '搬家时遗失正本' });

    const list = await viewer.get(`/api/orgs/${orgId}/cases?certificateId=${certId}`);
    expect(list.statusCode, list.body).toBe(200);
    const [opened] = list.json<{ items: Case[] }>().items;
    expect(opened).toMatchObject({ id: lostId, kind: 'loss', state: 'open' });
    expect(opened!.steps.map((s) => [s.key, s.status, s.action])).toEqual([
      ['notice', 'open', 'manual'],
      ['apply', 'open', 'event'],
      ['collect', 'waiting', 'close'],
    ]);
    // The step's deadline is the engine's: 30 days from 11-02 (assumed), the stored duty's date and basis.
    const [replace] = await duty(certId, 'lost.replace');
    expect(step(opened!, 'apply')).toMatchObject({
      dueDate: '2026-12-02',
      basis: replace!.basis,
      obligationId: replace!.id,
    });
    expect(replace!.dueDate).toBe('2026-12-02');
    expect(opened!.checklist.map((m) => [m.id, m.status])).toEqual([
      ['notice', 'missing'],
      ['application', 'missing'],
      ['receipt', 'missing'],
    ]);

    // The notice as a newspaper prints it.
    const notice = await viewer.get(`${caseUrl(lostId)}/documents/loss-notice`);
    expect(notice.statusCode, notice.body).toBe(200);
    const text = await docxText(notice.rawPayload);
    expect(text).toContain(
      '深圳市示例科技有限公司遗失由中国电子信息行业联合会颁发的信息系统建设和服务能力评估证书（CS2）',
    );
    expect(text).toContain('证书编号：CS2-4403-2024-0077');
    expect(text).toContain('有效期至：2028年5月31日，特此声明作废');
    expect((await viewer.get(`${caseUrl(lostId)}/documents/rectification-plan`)).statusCode).toBe(404);

    // Closing waits for the steps before the last and for every material.
    const early = await manager.post(`${caseUrl(lostId)}/close`, { date: '2026-11-20' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('请先完成「在省级以上媒体刊登遗失声明（注明证书编号、有效期）」，再结案');

    expect((await viewer.post(`${caseUrl(lostId)}/steps/notice`, { date: '2026-11-05' })).statusCode).toBe(403);
    expect((await b.owner.post(`${caseUrl(lostId)}/steps/notice`, { date: '2026-11-05' })).statusCode).toBe(404);
    const before = await manager.post(`${caseUrl(lostId)}/steps/notice`, { date: '2026-10-30' });
    expect(before.statusCode).toBe(400);
    expect(before.json().error.message).toContain('完成日期不能早于办理事项开始的 2026-11-02');
    const noticed = await manager.post(`${caseUrl(lostId)}/steps/notice`, { date: '2026-11-05' });
    expect(noticed.statusCode, noticed.body).toBe(200);
    expect(step(noticed.json<Case>(), 'notice')).toMatchObject({ status: 'done', doneOn: '2026-11-05' });
    expect((await manager.post(`${caseUrl(lostId)}/steps/notice`, { date: '2026-11-06' })).statusCode).toBe(409);

    // Applying records the event: the engine settles the application duty and counts the collection.
    const applied = (await manager.post(`${caseUrl(lostId)}/steps/apply`, { date: '2026-11-10' })).json<Case>();
    expect(step(applied, 'apply')).toMatchObject({ status: 'done', doneOn: '2026-11-10' });
    const [collect] = await duty(certId, 'lost.replace.collect');
    expect(step(applied, 'collect')).toMatchObject({
      status: 'open',
      dueDate: '2026-11-24',
      obligationId: collect!.id,
    });
    expect(collect!.dueDate).toBe('2026-11-24');
    expect((await duty(certId, 'lost.replace'))[0]!.status).toBe('done');

    // The checklist: a file, a reason, and a file of another organisation refused.
    const file = await uploadFile(manager, orgId, { filename: '遗失声明-报纸.pdf', content: pdf('遗失声明') });
    expect(file.statusCode, file.body).toBe(201);
    const fileId = file.json<{ id: string }>().id;
    const provided = await manager.request('PUT', `${caseUrl(lostId)}/checklist/notice`, {
      status: 'provided',
      fileId,
    });
    expect(provided.statusCode, provided.body).toBe(200);
    expect(provided.json<Case>().checklist[0]).toMatchObject({
      status: 'provided',
      file: { name: '遗失声明-报纸.pdf' },
    });
    const noReason = await manager.request('PUT', `${caseUrl(lostId)}/checklist/receipt`, {
      status: 'not-applicable',
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('请说明为什么不适用');
    const otherOrg = (await createOrg(b, CREDIT_CODES[1], '另一家公司')).id;
    const foreign = await uploadFile(b.owner, otherOrg, { filename: 'x.pdf', content: pdf('x') });
    const stolen = await manager.request('PUT', `${caseUrl(lostId)}/checklist/application`, {
      status: 'provided',
      fileId: foreign.json<{ id: string }>().id,
    });
    expect(stolen.statusCode).toBe(404);
    expect(
      (await manager.request('PUT', `${caseUrl(lostId)}/checklist/nothing`, { status: 'provided', fileId })).statusCode,
    ).toBe(404);
    await manager.request('PUT', `${caseUrl(lostId)}/checklist/receipt`, {
      status: 'not-applicable',
      reason: '评估机构免收工本费',
    });
    const missing = await manager.post(`${caseUrl(lostId)}/close`, { date: '2026-11-20' });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error.message).toContain('材料清单还有 1 项未处理（补发申请）');
    await manager.request('PUT', `${caseUrl(lostId)}/checklist/application`, { status: 'provided', fileId });

    // Closing records the re-issued certificate: the collection is settled and the number follows.
    const closed = await manager.post(`${caseUrl(lostId)}/close`, {
      date: '2026-11-20',
      certificateNo: 'CS2-4403-2024-0077B',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<Case>()).toMatchObject({
      state: 'closed',
      outcome: { certificateNo: 'CS2-4403-2024-0077B' },
      progress: { steps: 3, stepsDone: 3, materials: 3, materialsDone: 3 },
    });
    expect((await duty(certId, 'lost.replace.collect'))[0]).toMatchObject({
      status: 'done',
      completedOn: '2026-11-20',
    });
    const cert = await viewer.get(`/api/orgs/${orgId}/certificates/${certId}`);
    expect(cert.json()).toMatchObject({ number: 'CS2-4403-2024-0077B' });
    const changed = await manager.request('PUT', `${caseUrl(lostId)}/checklist/receipt`, {
      status: 'not-applicable',
      reason: '改了',
    });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.message).toBe('这个办理事项已结案，不能再修改');
    const audit = await t.database.db
      .select({ action: auditLog.action, summary: auditLog.summary })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'case'), eq(auditLog.targetId, lostId)));
    expect(audit.map((r) => r.action)).toEqual(
      expect.arrayContaining(['case.step-done', 'case.material-set', 'case.closed']),
    );
    expect(audit.find((r) => r.action === 'case.closed')!.summary).toMatchObject({
      kind: 'loss',
      certificateNo: 'CS2-4403-2024-0077B',
      certificateNoBefore: 'CS2-4403-2024-0077',
    });

    // Withdrawing the outcome reopens the case; withdrawing the opening event removes it.
    const outcomeEvents = (await viewer.get(`/api/orgs/${orgId}/certificates/${certId}/events`)).json<{
      items: Array<{ id: string; type: string }>;
    }>().items;
    const reissued = outcomeEvents.find((e) => e.type === 'certificate.reissued')!;
    const withdrawn = await manager.delete(
      `/api/orgs/${orgId}/certificates/${certId}/events/${reissued.id}?reason=${encodeURIComponent('记错了')}`,
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    expect((await viewer.get(caseUrl(lostId))).json<Case>().state).toBe('open');
    await manager.delete(
      `/api/orgs/${orgId}/certificates/${certId}/events/${lostId}?reason=${encodeURIComponent('误录')}`,
    );
    expect((await viewer.get(caseUrl(lostId))).statusCode).toBe(404);
  });

  it('counts a change opened by a licence change from the licence rule, and drafts the change statement', async () => {
    const certId = await certificate('CS3', 'CS3-4403-2025-0200', '2025-03-15');
    const id = await event(certId, { type: 'license.changed', date: '2026-11-10', note: '公司名称变更' });
    const c = (await viewer.get(caseUrl(id))).json<Case>();
    const [mismatch] = await duty(certId, 'license.mismatch');
    expect(c.kind).toBe('change');
    expect(step(c, 'apply')).toMatchObject({ dueDate: mismatch!.dueDate, obligationId: mismatch!.id });
    expect(mismatch!.dueDate).toBe('2026-12-10');
    expect(step(c, 'prepare').action).toBe('manual');
    const doc = await viewer.get(`${caseUrl(id)}/documents/change-statement`);
    expect(doc.statusCode).toBe(200);
    const text = await docxText(doc.rawPayload);
    expect(text).toContain('于 2026年11月10日 发生营业执照变更（公司名称变更），现申请办理证书变更');
    expect(text).toContain('新营业执照副本');
    // Another tenant and a limited reader learn nothing.
    expect((await b.owner.get(caseUrl(id))).statusCode).toBe(404);
    expect((await b.owner.get(`${caseUrl(id)}/documents/change-statement`)).statusCode).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgId}/cases`)).statusCode).toBe(404);
    expect((await viewer.request('PATCH', caseUrl(id), { ownerId: null })).statusCode).toBe(403);
    const owner = await manager.request('PATCH', caseUrl(id), { ownerId: a.ownerId });
    expect(owner.statusCode, owner.body).toBe(200);
    expect(owner.json().owner).toMatchObject({ id: a.ownerId });
    const stranger = await manager.request('PATCH', caseUrl(id), { ownerId: b.ownerId });
    expect(stranger.statusCode).toBe(400);
  });

  it('runs a general change and a major change to their re-issued certificates, each duty settled by its event', async () => {
    const certId = await certificate('CS3', 'CS3-4403-2025-0600', '2025-03-15');
    const changeId = await event(certId, { type: 'change.general', date: '2026-11-02', note: '注册地址变更' });
    let c = (await viewer.get(caseUrl(changeId))).json<Case>();
    const [general] = await duty(certId, 'change.general');
    expect(step(c, 'apply')).toMatchObject({ dueDate: '2026-12-02', obligationId: general!.id, action: 'event' });
    expect(general!.dueDate).toBe('2026-12-02');
    expect(step(c, 'collect').status).toBe('waiting');
    expect(c.checklist.map((m) => m.id)).toEqual(['application', 'licence', 'statement', 'premises', 'resolution']);

    await manager.post(`${caseUrl(changeId)}/steps/prepare`, { date: '2026-11-03' });
    c = (await manager.post(`${caseUrl(changeId)}/steps/apply`, { date: '2026-11-05' })).json<Case>();
    const [reissue] = await duty(certId, 'change.general.reissue');
    // 15 working days from the application: 11-06 … 11-26.
    expect(step(c, 'collect')).toMatchObject({ status: 'open', dueDate: '2026-11-26', obligationId: reissue!.id });
    expect(reissue!.dueDate).toBe('2026-11-26');
    expect((await duty(certId, 'change.general'))[0]).toMatchObject({ status: 'done', completedOn: '2026-11-05' });
    for (const m of c.checklist) {
      await manager.request('PUT', `${caseUrl(changeId)}/checklist/${m.id}`, {
        status: 'not-applicable',
        reason: '纸质提交',
      });
    }
    const closed = await manager.post(`${caseUrl(changeId)}/close`, { date: '2026-11-20' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<Case>().outcome).toEqual(expect.objectContaining({ certificateNo: null }));
    expect((await duty(certId, 'change.general.reissue'))[0]).toMatchObject({
      status: 'done',
      completedOn: '2026-11-20',
    });
    // The number did not change, so the certificate keeps it.
    expect((await viewer.get(`/api/orgs/${orgId}/certificates/${certId}`)).json().number).toBe('CS3-4403-2025-0600');

    // A major change: the application within 90 days is a duty completed from the case.
    const majorId = await event(certId, { type: 'change.major', date: '2026-09-01' });
    c = (await viewer.get(caseUrl(majorId))).json<Case>();
    const [major] = await duty(certId, 'change.major');
    expect(step(c, 'apply')).toMatchObject({ dueDate: '2026-11-30', obligationId: major!.id, action: 'obligation' });
    expect(major!.dueDate).toBe('2026-11-30');
    const applied = await manager.post(`${caseUrl(majorId)}/steps/apply`, { date: '2026-10-10' });
    expect(applied.statusCode, applied.body).toBe(200);
    expect((await duty(certId, 'change.major'))[0]).toMatchObject({ status: 'done', completedOn: '2026-10-10' });
    await manager.post(`${caseUrl(majorId)}/steps/onsite`, { date: '2026-11-10' });
    for (const m of c.checklist) {
      await manager.request('PUT', `${caseUrl(majorId)}/checklist/${m.id}`, {
        status: 'not-applicable',
        reason: '纸质提交',
      });
    }
    const concluded = await manager.post(`${caseUrl(majorId)}/close`, {
      date: '2026-11-25',
      note: '评估机构确认等级不变',
    });
    expect(concluded.statusCode, concluded.body).toBe(200);
    expect(concluded.json<Case>()).toMatchObject({ state: 'closed', progress: { steps: 3, stepsDone: 3 } });
    const events = (await viewer.get(`/api/orgs/${orgId}/certificates/${certId}/events`)).json<{
      items: Array<{ type: string; date: string }>;
    }>().items;
    expect(events.filter((e) => e.type === 'certificate.reissued').map((e) => e.date)).toEqual(
      expect.arrayContaining(['2026-11-20', '2026-11-25']),
    );
  });

  it('guides a rectification: the plan due in 15 days, the period from the recorded suspension, findings as actions, the re-assessment closing it', async () => {
    const certId = await certificate('CS3', 'CS3-4403-2025-0300', '2025-09-01');
    const plan = await manager.request('PUT', `/api/orgs/${orgId}/certificates/${certId}/supervision-plan`, {
      initialPersonDays: 10,
      visits: [
        { date: '2026-10-15', personDays: 5 },
        { date: '2027-09-01', personDays: 5 },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(200);
    const id = await event(certId, { type: 'supervision.done', date: '2026-10-15', passed: false });
    const finding = await manager.post(`/api/orgs/${orgId}/certificates/${certId}/supervision-plan/findings`, {
      date: '2026-10-15',
      text: '缺少年度市场分析报告',
      dueDate: '2027-03-01',
    });
    expect(finding.statusCode, finding.body).toBe(201);

    let c = (await viewer.get(caseUrl(id))).json<Case>();
    expect(c.kind).toBe('rectification');
    const [planDuty] = await duty(certId, 'supervision.failed');
    expect(step(c, 'plan')).toMatchObject({ dueDate: '2026-10-30', obligationId: planDuty!.id, action: 'obligation' });
    expect(planDuty!.dueDate).toBe('2026-10-30');
    expect(step(c, 'reassess').dueDate).toBe('2027-01-15');
    expect(c.actions).toEqual([
      expect.objectContaining({ text: '缺少年度市场分析报告', dueDate: '2027-03-01', afterPeriod: true }),
    ]);

    // The period starts only with the recorded suspension, and counts from it.
    const period = await manager.post(`${caseUrl(id)}/steps/period`, { date: '2026-10-20' });
    expect(period.statusCode).toBe(409);
    expect(period.json().error.message).toContain('请在证书页记录状态变更');
    const suspended = await manager.post(`/api/orgs/${orgId}/certificates/${certId}/transitions`, {
      to: 'suspended',
      on: '2026-10-20',
      reason: '监督评估未通过，整改期',
    });
    expect(suspended.statusCode, suspended.body).toBe(201);
    c = (await viewer.get(caseUrl(id))).json<Case>();
    expect(step(c, 'period')).toMatchObject({ status: 'done', doneOn: '2026-10-20' });
    expect(step(c, 'reassess').dueDate).toBe('2027-01-20');

    const text = await docxText((await viewer.get(`${caseUrl(id)}/documents/rectification-plan`)).rawPayload);
    expect(text).toContain('缺少年度市场分析报告');
    expect(text).toContain('全部问题于 2027年1月20日 前整改完成');

    // The plan is completed through the case; closing records the passed re-assessment, which ends the suspension.
    const planned = await manager.post(`${caseUrl(id)}/steps/plan`, { date: '2026-10-28' });
    expect(planned.statusCode, planned.body).toBe(200);
    expect((await duty(certId, 'supervision.failed'))[0]).toMatchObject({ status: 'done', completedOn: '2026-10-28' });
    for (const m of ['plan', 'evidence', 'report']) {
      await manager.request('PUT', `${caseUrl(id)}/checklist/${m}`, { status: 'not-applicable', reason: '纸质提交' });
    }
    const number = await manager.post(`${caseUrl(id)}/close`, { date: '2026-11-25', certificateNo: 'X-1' });
    expect(number.statusCode).toBe(400);
    const closed = await manager.post(`${caseUrl(id)}/close`, { date: '2026-11-25' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<Case>().state).toBe('closed');
    expect((await viewer.get(`/api/orgs/${orgId}/certificates/${certId}`)).json().state).toBe('active');
  });

  it('lists a page at a time by kind and state, and refuses a forged cursor', async () => {
    const certId = await certificate('CS1', 'CS1-4403-2025-0400', '2025-05-01');
    await event(certId, { type: 'policy.update', date: '2026-09-01', note: '标准 2025 版' });
    await event(certId, { type: 'change.major', date: '2026-09-02' });
    await event(certId, { type: 'complaint', date: '2026-09-03' });
    const first = (await viewer.get(`/api/orgs/${orgId}/cases?certificateId=${certId}&limit=1`)).json();
    expect(first.items.map((c: Case) => c.kind)).toEqual(['major-change']);
    const second = (
      await viewer.get(`/api/orgs/${orgId}/cases?certificateId=${certId}&limit=1&cursor=${first.nextCursor}`)
    ).json();
    expect(second).toMatchObject({ items: [{ kind: 'policy' }], nextCursor: null });
    const policy = (await viewer.get(`/api/orgs/${orgId}/cases?kind=policy&state=open&certificateId=${certId}`)).json();
    expect(policy.items).toHaveLength(1);
    expect(
      (await viewer.get(`/api/orgs/${orgId}/cases?kind=policy&state=closed&certificateId=${certId}`)).json().items,
    ).toEqual([]);
    expect((await viewer.get(`/api/orgs/${orgId}/cases?cursor=abc`)).statusCode).toBe(400);
    expect((await viewer.get(`/api/orgs/${orgId}/cases?kind=nothing`)).statusCode).toBe(400);

    // The workspace's list (the dashboard): every organisation the member may see, and no other.
    const ws = `/api/workspaces/${a.workspaceId}/cases`;
    const all = (await viewer.get(`${ws}?state=open&limit=100`)).json<{ items: Array<Case & { orgId: string }> }>();
    expect(all.items.some((c) => c.kind === 'policy' && c.orgId === orgId)).toBe(true);
    const secondOrg = (await createOrg(a, CREDIT_CODES[2], '第二家公司')).id;
    const limited = (await addMember(t.app, a, 'contributor', [secondOrg])).client;
    expect((await limited.get(ws)).json()).toEqual({ items: [], nextCursor: null });
    expect((await limited.get(`${ws}?orgId=${orgId}`)).statusCode).toBe(404);
    expect((await b.owner.get(ws)).statusCode).toBe(404);
  });
});
