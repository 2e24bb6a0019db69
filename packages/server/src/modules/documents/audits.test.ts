import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, obligations } from '../../db/schema.js';
import { addEvent, createCertificate } from '../../test/factories.js';
import { readDocx, readPdf } from '../../test/documents.js';
import { uploadFile } from '../../test/multipart.js';
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

describe.each(BACKENDS)('internal audits (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgA2: { id: string };
  let orgB: { id: string };
  let certA: string;
  let manager: { client: Client; userId: string };
  let viewer: Client;
  let limited: Client;
  let projectId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司');
    orgA2 = await createOrg(a, CREDIT_CODES[2], '第二家示例有限公司');
    orgB = await createOrg(b, CREDIT_CODES[1], '另一家公司的企业');
    certA = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS2',
      number: 'CS2-4403-2024-0123',
      issuedOn: '2024-05-20',
    });
    const m = await addMember(t.app, a, 'manager');
    manager = { client: m.client, userId: m.userId };
    viewer = (await addMember(t.app, a, 'viewer')).client;
    limited = (await addMember(t.app, a, 'manager', [orgA2.id])).client;
    const base = `/api/orgs/${orgA.id}`;
    const project = await a.owner.post(`${base}/projects`, {
      name: '智慧园区综合管理平台',
      contractNumber: 'HT-2025-018',
      amount: '3860000.00',
      signedOn: '2025-08-01',
      acceptedOn: '2026-08-15',
      status: 'accepted',
    });
    expect(project.statusCode, project.body).toBe(201);
    projectId = project.json().id;
    const staff = await a.owner.post(`${base}/staff`, {
      name: '张三',
      isTechnical: true,
      employedFrom: '2025-01-01',
      socialInsuranceFrom: '2025-01',
      socialInsuranceUntil: '2026-07',
      qualifications: [
        { kind: 'pmp', name: 'PMP', number: 'PMP-0042', issuedOn: '2023-12-21', expiresOn: '2026-12-20' },
      ],
    });
    expect(staff.statusCode, staff.body).toBe(201);
  });
  afterAll(() => t.close());

  const audits = () => `/api/orgs/${orgA.id}/audits`;
  const plan = (who: Client = manager.client) =>
    who.post(audits(), {
      certificateId: certA,
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      auditors: ['王审核', '李审核'],
    });
  const checklist = async (id: string) =>
    (await viewer.get(`${audits()}/${id}/checklist`)).json().items as Array<{
      id: string;
      position: number;
      kind: string;
      text: string;
      result: string | null;
      action: { obligationId: string; status: string; dueDate: string; assigneeId: string | null } | null;
    }>;

  it('plans an audit of a period with a checklist from the requirements and the evidence', async () => {
    const usages = `/api/orgs/${orgA.id}/certificates/${certA}/usages`;
    const use = { purpose: 'tender', recipient: '某招标代理有限公司', approvedBy: '王总' };
    for (const date of ['2026-06-30', '2026-07-10']) {
      expect((await manager.client.post(usages, { ...use, date })).statusCode).toBe(201);
    }
    const unapproved = await manager.client.post(usages, { ...use, approvedBy: null, date: '2026-08-03' });
    const mistaken = await manager.client.post(usages, { ...use, approvedBy: null, date: '2026-09-01' });
    await manager.client.post(`${usages}/${mistaken.json().id}/void`, { reason: '重复登记' });
    const res = await plan();
    expect(res.statusCode, res.body).toBe(201);
    const audit = res.json();
    expect(audit).toMatchObject({ status: 'open', periodStart: '2026-07-01', auditors: ['王审核', '李审核'] });
    const items = await checklist(audit.id);
    expect(audit.counts).toMatchObject({ items: items.length, undecided: items.length });
    const texts = items.map((i) => i.text);
    expect(items.slice(0, 4).map((i) => i.kind)).toEqual(['general', 'general', 'general', 'general']);
    expect(texts).toContain(
      '证书使用合规：对外提供的证书复印件均已在证书使用登记中登记并经审批，没有出借、转让或挂靠证书',
    );
    // The period's three uses (one void), and the one nobody approved; the June use is not in it.
    expect(items.filter((i) => i.kind === 'usage').map((i) => i.text)).toEqual([
      '本期登记证书使用 3 次（其中作废 1 次）：逐次核对用途、接收方与对外提供的副本一致',
      `证书使用登记 ${unapproved.json().registrationNo}（2026-08-03，提供给某招标代理有限公司）没有填写审批人`,
    ]);
    expect(texts).toContain(
      '项目“智慧园区综合管理平台（合同编号 HT-2025-018）”于 2026-08-15 验收，缺少合同、验收报告、用户反馈（满意度）文件',
    );
    expect(texts).toContain('张三在职期间 2026-08、2026-09 没有社会保险缴纳记录');
    expect(texts).toContain('张三的PMP（证书编号 PMP-0042）将于 2026-12-20 到期，请续期或更新登记');
    expect(texts).toContain('缺少 2025 年度的财务数据，请登记并附审计报告');
    expect(items.some((i) => i.kind === 'requirement')).toBe(true);
    expect(items.find((i) => i.kind === 'project-documents')).toMatchObject({
      refs: [{ type: 'project', id: projectId, label: '智慧园区综合管理平台' }],
    });
  });

  it('turns a nonconformity into a corrective action that recompute keeps, and closes the audit with its report', async () => {
    const audit = (await plan()).json();
    const items = await checklist(audit.id);
    const project = items.find((i) => i.kind === 'project-documents')!;
    const nc = await manager.client.patch(`${audits()}/${audit.id}/checklist/${project.id}`, {
      result: 'nonconform',
      note: '合同和验收报告未归档',
      action: { title: '补齐合同、验收报告和用户反馈并上传', dueDate: '2026-12-15' },
    });
    expect(nc.statusCode, nc.body).toBe(200);
    const obligationId = nc.json().obligationId as string;
    expect(nc.json().item.action).toMatchObject({
      obligationId,
      dueDate: '2026-12-15',
      status: 'open',
      assigneeId: manager.userId,
      title: '纠正措施：补齐合同、验收报告和用户反馈并上传',
    });
    // An obligation like any other: listed with its rule, reminded, and left alone by recompute.
    const listed = (await a.owner.get(`/api/orgs/${orgA.id}/obligations?rule=audit.corrective`)).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: obligationId, dueDate: '2026-12-15', status: 'open' });
    expect(listed[0].nextReminderAt).not.toBeNull();
    await addEvent(t.database.db, certA, { type: 'complaint', date: '2026-11-02' });
    const [kept] = await t.database.db.select().from(obligations).where(eq(obligations.id, obligationId));
    expect(kept).toMatchObject({ origin: 'person', rule: 'audit.corrective' });

    // A line first judged nonconforming and then conforming waives its action.
    const staffLine = items.find((i) => i.kind === 'staff-uninsured')!;
    const second = (
      await manager.client.patch(`${audits()}/${audit.id}/checklist/${staffLine.id}`, { result: 'nonconform' })
    ).json();
    expect(second.item.action.dueDate).toBe('2026-12-27');
    await manager.client.patch(`${audits()}/${audit.id}/checklist/${staffLine.id}`, {
      result: 'observation',
      note: '8 月起社保由新公司缴纳，已在办理',
    });
    const [waived] = await t.database.db
      .select({ status: obligations.status, waivedReason: obligations.waivedReason })
      .from(obligations)
      .where(eq(obligations.id, second.obligationId));
    expect(waived).toEqual({ status: 'waived', waivedReason: '检查结论已改为“观察项”' });

    // Closing needs a result on every line.
    const early = await manager.client.post(`${audits()}/${audit.id}/close`, {
      conclusion: '基本符合',
      closedOn: '2026-10-10',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/^检查表还有 \d+ 项没有结论/);
    for (const item of await checklist(audit.id)) {
      if (item.result) continue;
      await manager.client.patch(`${audits()}/${audit.id}/checklist/${item.id}`, { result: 'conform' });
    }
    const closed = await manager.client.post(`${audits()}/${audit.id}/close`, {
      conclusion: '本期基本符合 CS2 级要求，1 项不符合已落实纠正措施。',
      closedOn: '2026-10-10',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedOn: '2026-10-10', counts: { undecided: 0 } });
    // The period's internal-audit duty is done on the closing day.
    const [duty] = await t.database.db
      .select()
      .from(obligations)
      .where(eq(obligations.id, closed.json().obligationId as string));
    expect(duty).toMatchObject({
      rule: 'audit.internal',
      status: 'done',
      completedOn: '2026-10-10',
      dueDate: '2026-09-30',
    });
    const [kept2] = await t.database.db
      .select()
      .from(documents)
      .where(and(eq(documents.kind, 'audit-report'), eq(documents.period, audit.id)));
    expect(kept2).toMatchObject({ status: 'issued', version: 1 });
    const stored = await viewer.get(`/api/orgs/${orgA.id}/files/${kept2!.fileId}`);
    expect((await readPdf(stored.rawPayload)).text.replace(/\s+/g, '')).toContain('本期基本符合CS2级要求');

    // The report now, in Word: the nonconformity with its action.
    const word = await viewer.get(`${audits()}/${audit.id}/report.docx`);
    expect(word.statusCode).toBe(200);
    const doc = await readDocx(word.rawPayload);
    expect(doc.paragraphs).toContain('内部合规检查报告');
    expect(doc.paragraphs).toContain('六、不符合项及纠正措施');
    expect(doc.tables.flat()).toContainEqual([
      String(project.position),
      project.text,
      '纠正措施：补齐合同、验收报告和用户反馈并上传',
      'manager 成员',
      '2026-12-15',
      '待处理',
    ]);
    const pdf = await readPdf((await viewer.get(`${audits()}/${audit.id}/report.pdf`)).rawPayload);
    expect(pdf.text.replace(/\s+/g, '')).toContain('王审核、李审核');

    // Closed: the checklist no longer changes; the action is closed on the obligation with evidence.
    const late = await manager.client.patch(`${audits()}/${audit.id}/checklist/${project.id}`, { result: 'conform' });
    expect(late.statusCode).toBe(409);
    const evidence = await uploadFile(manager.client, orgA.id, {
      filename: '验收报告（盖章）.pdf',
      content: stored.rawPayload,
    });
    expect(evidence.statusCode, evidence.body).toBe(201);
    const foreignFile = await uploadFile(b.owner, orgB.id, { filename: '别家的.pdf', content: stored.rawPayload });
    const refused = await manager.client.patch(`/api/orgs/${orgA.id}/obligations/${obligationId}`, {
      status: 'done',
      fileIds: [foreignFile.json().id],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      field: 'fileIds',
      message: '所选文件不存在或不属于该企业，请重新上传',
    });
    const done = await manager.client.patch(`/api/orgs/${orgA.id}/obligations/${obligationId}`, {
      status: 'done',
      completedOn: '2026-11-20',
      note: '合同、验收报告和用户反馈已上传',
      fileIds: [evidence.json().id],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().files).toEqual([{ id: evidence.json().id, name: '验收报告（盖章）.pdf' }]);
    const page = (await viewer.get(`/api/orgs/${orgA.id}/obligations?rule=audit.corrective`)).json().items;
    expect(page[0].files).toEqual([{ id: evidence.json().id, name: '验收报告（盖章）.pdf' }]);
    expect((await checklist(audit.id)).find((i) => i.id === project.id)!.action).toMatchObject({ status: 'done' });
  });

  it('refuses bad plans with what to fix, and keeps other tenants, limited members and viewers out', async () => {
    const bad = await manager.client.post(audits(), {
      certificateId: certA,
      periodStart: '2026-09-30',
      periodEnd: '2026-07-01',
      auditors: [],
    });
    expect(bad.statusCode).toBe(400);
    const reversed = await manager.client.post(audits(), {
      certificateId: certA,
      periodStart: '2026-09-30',
      periodEnd: '2026-07-01',
      auditors: ['王审核'],
    });
    expect(reversed.json().error).toMatchObject({ field: 'periodEnd', message: '检查期的结束日期不能早于开始日期' });
    const audit = (await plan()).json();
    const item = (await checklist(audit.id))[0]!;
    const foreign = [
      await b.owner.get(`${audits()}/${audit.id}`),
      await b.owner.get(`${audits()}/${audit.id}/checklist`),
      await b.owner.patch(`${audits()}/${audit.id}/checklist/${item.id}`, { result: 'conform' }),
      await b.owner.post(`${audits()}/${audit.id}/close`, { conclusion: 'x', closedOn: '2026-10-10' }),
      await b.owner.get(`${audits()}/${audit.id}/report.pdf`),
      await limited.get(`${audits()}/${audit.id}`),
      await a.owner.get(`/api/orgs/${orgA2.id}/audits/${audit.id}`),
      await a.owner.post(`/api/orgs/${orgA2.id}/audits`, {
        certificateId: certA,
        periodStart: '2026-07-01',
        periodEnd: '2026-09-30',
        auditors: ['王审核'],
      }),
    ];
    expect(foreign.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    expect((await plan(viewer)).statusCode).toBe(403);
    expect((await viewer.patch(`${audits()}/${audit.id}/checklist/${item.id}`, { result: 'conform' })).statusCode).toBe(
      403,
    );
    expect((await viewer.get(`${audits()}/${audit.id}/report.docx`)).statusCode).toBe(200);
    expect((await checklist(audit.id))[0]!.result).toBeNull();
  });
});
