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
import { createCertificate } from '../../test/factories.js';
import { readDocx, readPdf } from '../../test/documents.js';
import { uploadFile } from '../../test/multipart.js';
import { and, eq, isNotNull } from 'drizzle-orm';
import { auditLog, documents, obligations } from '../../db/schema.js';

describe.each(BACKENDS)('the self-check report (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgA2: { id: string };
  let orgB: { id: string };
  let certA: string;
  let certB: string;
  let viewer: Client;
  let limited: Client;
  let contributor: Client;
  let manager: Client;
  let certA3: string;

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
      events: [{ type: 'change.general', date: '2026-06-18', data: { note: '注册地址变更为南山区科技园' } }],
    });
    certB = await createCertificate(t.database.db, {
      orgId: orgB.id,
      level: 'CS1',
      number: 'CS1-1100-2025-0001',
      issuedOn: '2025-01-10',
    });
    certA3 = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS3',
      number: 'CS3-4403-2025-0009',
      issuedOn: '2025-02-01',
    });
    viewer = (await addMember(t.app, a, 'viewer')).client;
    contributor = (await addMember(t.app, a, 'contributor')).client;
    manager = (await addMember(t.app, a, 'manager')).client;
    limited = (await addMember(t.app, a, 'manager', [orgA2.id])).client;
    const base = `/api/orgs/${orgA.id}`;
    const staff = (await a.owner.post(`${base}/staff`, { name: '张三', isTechnical: true })).json<{ id: string }>();
    for (const body of [
      {
        name: '智慧园区综合管理平台',
        client: '深圳市某区政务服务数据管理局',
        contractNumber: 'HT-2025-018',
        amount: '3860000.00',
        signedOn: '2025-08-01',
        acceptedOn: '2026-04-28',
        status: 'accepted',
      },
      { name: '往年项目', contractNumber: 'HT-2023-001', amount: '100', acceptedOn: '2024-03-01', status: 'accepted' },
    ]) {
      const res = await a.owner.post(`${base}/projects`, body);
      expect(res.statusCode, res.body).toBe(201);
    }
    expect((await a.owner.post(`${base}/financial-years`, { year: 2025, revenue: '12500000' })).statusCode).toBe(201);
    expect(staff.id).toBeTruthy();
  });
  afterAll(() => t.close());

  const url = (orgId: string, certId: string, format: string, year: number | string = 2026) =>
    `/api/orgs/${orgId}/certificates/${certId}/self-check-report.${format}?year=${year}`;

  it('writes the year as .docx: cover, the four domains, the year’s accepted project and its events', async () => {
    const res = await a.owner.get(url(orgA.id, certA, 'docx'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toContain(
      encodeURIComponent('深圳市示例科技有限公司-2026年度自查报告.docx'),
    );
    const doc = await readDocx(res.rawPayload);
    expect(doc.title).toBe('深圳市示例科技有限公司 2026年度自查报告');
    expect(doc.paragraphs).toContain('信息系统建设和服务能力评估年度自查报告');
    expect(doc.paragraphs).toContain('（2026年度）');
    for (const heading of [
      '一、企业基本情况',
      '二、本年度变更及重要事项',
      '三、能力要素自查情况',
      '（一）战略管理',
      '（二）业务运营',
      '（三）基础保障',
      '（四）改进创新',
      '四、总体符合情况',
      '五、发现的问题及整改措施',
      '六、附件清单',
    ]) {
      expect(doc.paragraphs).toContain(heading);
    }
    const rows = doc.tables.flat();
    expect(rows).toContainEqual([
      '1',
      '智慧园区综合管理平台',
      '深圳市某区政务服务数据管理局',
      'HT-2025-018',
      '3,860,000.00',
      '2026-04-28',
    ]);
    // A project accepted in another year is not the year's.
    expect(rows.some((r) => r.includes('往年项目'))).toBe(false);
    expect(rows).toContainEqual(['2026年6月18日', '一般变更', '注册地址变更为南山区科技园']);
    expect(rows).toContainEqual(['证书编号', 'CS2-4403-2024-0123']);
    // Audited means an audit report is attached: none is.
    expect(rows).toContainEqual(['2025', '12,500,000.00', '—', '—', '否']);
    expect(doc.paragraphs).toContain('3. 2025年度财务审计报告（尚未上传审计报告）');
    expect(doc.paragraphs.some((p) => p.startsWith('2026年度验收项目 1 个，合同金额合计 3,860,000.00 元'))).toBe(true);
  });

  it('writes the same facts as a PDF with its fonts embedded', async () => {
    const res = await viewer.get(url(orgA.id, certA, 'pdf'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(res.rawPayload);
    const text = pdf.text.replace(/\s+/g, '');
    for (const fact of [
      '信息系统建设和服务能力评估年度自查报告',
      '三、能力要素自查情况',
      '智慧园区综合管理平台',
      'HT-2025-018',
      '3,860,000.00',
      '注册地址变更为南山区科技园',
    ]) {
      expect(text).toContain(fact);
    }
    expect(pdf.pages).toBeGreaterThan(3);
    for (const font of pdf.fonts) expect(font).toMatchObject({ embedded: true });
  });

  it('refuses a year outside the certificate’s validity or after this one, saying which years it can write', async () => {
    const before = await a.owner.get(url(orgA.id, certA, 'docx', 2023));
    expect(before.statusCode).toBe(400);
    expect(before.json().error.message).toBe(
      '证书 CS2-4403-2024-0123 可生成 2024–2026 年度的自查报告，2023 年不在其中',
    );
    expect((await a.owner.get(url(orgA.id, certA, 'pdf', 2027))).statusCode).toBe(400);
    const garbage = await a.owner.get(url(orgA.id, certA, 'docx', '二〇二六'));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.field).toBe('year');
    expect((await a.owner.get(url(orgA.id, certA, 'txt'))).statusCode).toBe(400);
  });

  it('answers 404 for another workspace’s certificate, through either organisation, and to a member limited to another organisation', async () => {
    const answers = [
      await a.owner.get(url(orgB.id, certB, 'docx', 2025)),
      await a.owner.get(url(orgA.id, certB, 'pdf', 2025)),
      await b.owner.get(url(orgA.id, certA, 'docx')),
      await b.owner.get(url(orgB.id, certA, 'docx')),
      await a.owner.get(url(orgA2.id, certA, 'docx')),
      await limited.get(url(orgA.id, certA, 'docx')),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
    expect((await b.owner.get(url(orgB.id, certB, 'docx', 2025))).statusCode).toBe(200);
  });

  const versions = (certId = certA) => `/api/orgs/${orgA.id}/certificates/${certId}/self-check-reports`;
  const selfChecksDone = async () =>
    (
      await t.database.db
        .select({ due: obligations.dueDate })
        .from(obligations)
        .where(
          and(
            eq(obligations.certificateId, certA),
            eq(obligations.rule, 'self-check.annual'),
            isNotNull(obligations.satisfiedOn),
          ),
        )
    ).length;

  it('records a submission as the next version of the year, keeps earlier versions, and completes the year’s self-check', async () => {
    const doneBefore = await selfChecksDone();
    const first = await manager.post(versions(), {
      year: 2026,
      submittedOn: '2026-11-20',
      receiptNumber: 'ZC-2026-0042',
    });
    expect(first.statusCode, first.body).toBe(201);
    const v1 = first.json();
    expect(v1).toMatchObject({
      kind: 'self-check-report',
      period: '2026',
      version: 1,
      status: 'submitted',
      submittedOn: '2026-11-20',
      receiptNumber: 'ZC-2026-0042',
      createdBy: 'manager 成员',
      file: { name: '深圳市示例科技有限公司-2026年度自查报告.pdf' },
    });
    expect(v1.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await selfChecksDone()).toBe(doneBefore + 1);
    // The kept PDF is the draft as it was: read back through the files route.
    const kept = await viewer.get(`/api/orgs/${orgA.id}/files/${v1.file.id}`);
    expect(kept.statusCode).toBe(200);
    expect((await readPdf(kept.rawPayload)).text.replace(/\s+/g, '')).toContain('智慧园区综合管理平台');

    // The sealed scan the company actually filed: the next version, the first one untouched.
    const scan = await uploadFile(manager, orgA.id, { filename: '自查报告（盖章版）.pdf', content: kept.rawPayload });
    expect(scan.statusCode, scan.body).toBe(201);
    const second = await manager.post(versions(), { year: 2026, submittedOn: '2026-11-21', fileId: scan.json().id });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ version: 2, dataSha256: null, file: { id: scan.json().id } });
    const list = (await viewer.get(`${versions()}?year=2026`)).json().versions;
    expect(list.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(list[1]).toEqual(v1);
    const audited = await t.database.db
      .select({ summary: auditLog.summary })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'document.submitted'), eq(auditLog.targetId, v1.id)));
    expect(audited[0]!.summary).toMatchObject({
      kind: '年度自查报告',
      year: 2026,
      version: 1,
      receiptNumber: 'ZC-2026-0042',
    });
  });

  it('refuses what a manager should fix, and those who may not record it, storing nothing', async () => {
    const count = async () => (await t.database.db.select({ id: documents.id }).from(documents)).length;
    const before = await count();
    const answers = {
      viewer: await viewer.post(versions(), { year: 2026, submittedOn: '2026-11-20' }),
      contributor: await contributor.post(versions(), { year: 2026, submittedOn: '2026-11-20' }),
      otherTenant: await b.owner.post(versions(), { year: 2026, submittedOn: '2026-11-20' }),
      limited: await limited.post(versions(), { year: 2026, submittedOn: '2026-11-20' }),
      future: await manager.post(versions(), { year: 2026, submittedOn: '2026-12-30' }),
      beforeYear: await manager.post(versions(), { year: 2026, submittedOn: '2025-12-30' }),
      cs3: await manager.post(versions(certA3), { year: 2026, submittedOn: '2026-11-20' }),
      foreignFile: await manager.post(versions(), {
        year: 2026,
        submittedOn: '2026-11-20',
        fileId: '00000000-0000-4000-8000-000000000000',
      }),
      badBody: await manager.post(versions(), { year: '2026', submittedOn: '20 Nov' }),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.statusCode]))).toEqual({
      viewer: 403,
      contributor: 403,
      otherTenant: 404,
      limited: 404,
      future: 400,
      beforeYear: 400,
      cs3: 400,
      foreignFile: 400,
      badBody: 400,
    });
    expect(answers.future.json().error).toMatchObject({
      field: 'submittedOn',
      message: '提交日期应在 2026-01-01 至今天（2026-11-27）之间',
    });
    expect(answers.cs3.json().error.message).toBe(
      'CS3 证书接受监督评估，不提交年度自查报告；请登记监督评估结果（证书 CS3-4403-2025-0009）',
    );
    expect(answers.foreignFile.json().error).toMatchObject({
      field: 'fileId',
      message: '所选文件不存在或不属于该企业',
    });
    expect(await count()).toBe(before);
    expect((await b.owner.get(versions())).statusCode).toBe(404);
  });
});
