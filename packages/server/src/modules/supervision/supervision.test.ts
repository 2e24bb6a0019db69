import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
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
import { auditLog } from '../../db/schema.js';
import ExcelJS from 'exceljs';
import { readDocx, readPdf } from '../../test/documents.js';

interface PlanBody {
  saved: boolean;
  initialPersonDays: number | null;
  visits: Array<{ date: string; personDays: number; itemIds: string[]; capacity: number; past: boolean }>;
  missingItemIds: string[];
  problems: Array<{ code: string; visit?: number; message: { zh: string; en: string } }>;
  coverage: { covered: number; planned: number; missing: number };
  minimumPersonDays: number | null;
  suggestedDates: Array<{ date: string; title: { zh: string } }>;
}

describe.each(BACKENDS)('the supervision planner (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgB: { id: string };
  let cert: string;
  let certCs2: string;
  let viewer: Client;
  let contributor: Client;
  let manager: Client;
  let itemIds: string[];

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司');
    orgB = await createOrg(b, CREDIT_CODES[1], '另一家公司的企业');
    cert = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS3',
      number: 'CS3-4403-2025-0009',
      issuedOn: '2025-09-01',
    });
    certCs2 = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS2',
      number: 'CS2-4403-2025-0010',
      issuedOn: '2025-09-01',
    });
    viewer = (await addMember(t.app, a, 'viewer')).client;
    contributor = (await addMember(t.app, a, 'contributor')).client;
    manager = (await addMember(t.app, a, 'manager')).client;
    const catalogue = (await viewer.get('/api/capability-catalogue')).json();
    itemIds = catalogue.versions[0].items.map((i: { id: string }) => i.id);
  });
  afterAll(() => t.close());

  const url = (orgId: string, certId: string) => `/api/orgs/${orgId}/certificates/${certId}/supervision-plan`;
  const put = (client: Client, body: unknown, orgId = orgA.id, certId = cert) =>
    client.request('PUT', url(orgId, certId), body);

  it('serves the catalogue: 46 items in 4 domains and 17 sub-domains, each with confidence and source', async () => {
    const res = await viewer.get('/api/capability-catalogue');
    expect(res.statusCode).toBe(200);
    const [version] = res.json().versions;
    expect(version.id).toBe('T/CITIF 001-2019');
    expect(version.items).toHaveLength(46);
    expect(version.domains.map((d: { name: string }) => d.name)).toEqual([
      '战略管理',
      '业务运营',
      '基础保障',
      '改进创新',
    ]);
    expect(new Set(version.items.map((i: { subdomain: string }) => i.subdomain)).size).toBe(17);
    expect(version.items[0]).toMatchObject({
      domain: '战略管理',
      subdomain: '战略定位',
      name: '战略意图制定',
      confidence: 'low',
      en: { name: 'Strategic intent' },
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/capability-catalogue' })).statusCode).toBe(401);
  });

  it('starts from the supervisions the engine expects, with nothing covered yet', async () => {
    const res = await viewer.get(url(orgA.id, cert));
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json<PlanBody>();
    expect(plan.saved).toBe(false);
    expect(plan.visits).toEqual([]);
    expect(plan.coverage).toEqual({ covered: 0, planned: 0, missing: 46 });
    expect(plan.suggestedDates.length).toBeGreaterThanOrEqual(1);
    expect(plan.suggestedDates[0]!.title.zh).toBe('第一次监督评估');
  });

  it('proposes which items each visit covers so that two visits cover all 46, and keeps the plan', async () => {
    expect((await put(contributor, { initialPersonDays: 12, visits: [] })).statusCode).toBe(400);
    const body = {
      initialPersonDays: 12,
      visits: [
        { date: '2027-09-01', personDays: 6 },
        { date: '2026-10-15', personDays: 7.5 },
      ],
    };
    expect((await put(contributor, body)).statusCode).toBe(403);
    const res = await put(manager, body);
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json<PlanBody>();
    expect(plan.saved).toBe(true);
    expect(plan.problems).toEqual([]);
    expect(plan.missingItemIds).toEqual([]);
    expect(plan.minimumPersonDays).toBe(6);
    expect(plan.visits.map((v) => [v.date, v.personDays, v.past])).toEqual([
      ['2026-10-15', 7.5, true],
      ['2027-09-01', 6, false],
    ]);
    expect(plan.visits.flatMap((v) => v.itemIds).sort()).toEqual([...itemIds].sort());
    expect(plan.coverage).toEqual({
      covered: plan.visits[0]!.itemIds.length,
      planned: plan.visits[1]!.itemIds.length,
      missing: 0,
    });
    // Read back as it was shown.
    const again = (await viewer.get(url(orgA.id, cert))).json<PlanBody>();
    expect(again.visits.map((v) => v.itemIds)).toEqual(plan.visits.map((v) => v.itemIds));

    const [entry] = await t.database.db
      .select({ summary: auditLog.summary })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, cert), eq(auditLog.action, 'supervision.planned')));
    expect(entry?.summary).toEqual({ initialPersonDays: 12, visitDates: ['2026-10-15', '2027-09-01'], missing: 0 });
  });

  it('says in Chinese when a visit is under half the initial person-days and what stays uncovered', async () => {
    const res = await put(manager, {
      initialPersonDays: 12,
      visits: [
        { date: '2026-10-15', personDays: 4 },
        { date: '2027-09-01', personDays: 6 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const plan = res.json<PlanBody>();
    expect(plan.problems.map((p) => p.message.zh)).toEqual([
      '第 1 次监督评估（2026-10-15）计划 4 人天，少于初次评估 12 人天的一半（6 人天）',
      expect.stringContaining('7 个能力项没有安排在任何一次监督评估中'),
    ]);
    expect(plan.coverage.missing).toBe(7);
  });

  it('keeps items a person placed and refuses an item on two visits, a date outside the validity or a bad number', async () => {
    const mine = itemIds.slice(0, 3);
    const ok = await put(manager, {
      initialPersonDays: 10,
      visits: [
        { date: '2026-10-15', personDays: 5, itemIds: mine },
        { date: '2027-09-01', personDays: 10 },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<PlanBody>().visits[0]!.itemIds).toEqual(mine);
    const before = (await viewer.get(url(orgA.id, cert))).body;

    const cases: Array<[unknown, string]> = [
      [
        {
          initialPersonDays: 10,
          visits: [
            { date: '2026-10-15', personDays: 5, itemIds: [itemIds[0]] },
            { date: '2027-09-01', personDays: 5, itemIds: [itemIds[0]] },
          ],
        },
        '能力项“战略意图制定”同时安排在第 1 次和第 2 次监督评估中，请只保留一次',
      ],
      [
        { initialPersonDays: 10, visits: [{ date: '2030-01-01', personDays: 5 }] },
        '第 1 次监督评估的日期 2030-01-01 不在证书有效期内（2025-09-01 之后至 2029-08-31）',
      ],
      [
        { initialPersonDays: 10, visits: [{ date: '2026-10-15', personDays: 5, itemIds: ['X.9.9'] }] },
        '第 1 次监督评估中有不在能力目录中的能力项',
      ],
      [{ initialPersonDays: 0, visits: [{ date: '2026-10-15', personDays: 5 }] }, '初次评估人天'],
      [{ initialPersonDays: 10.25, visits: [{ date: '2026-10-15', personDays: 5 }] }, '人天最多保留一位小数'],
      [{ initialPersonDays: 10, visits: [{ date: '2026-02-30', personDays: 5 }] }, '监督评估日期'],
    ];
    for (const [body, message] of cases) {
      const res = await put(manager, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
    expect((await viewer.get(url(orgA.id, cert))).body).toBe(before);
  });

  it('records what a held visit found and turns the body’s findings into rectification duties', async () => {
    const results = `/api/orgs/${orgA.id}/certificates/${cert}/supervision-plan/results`;
    const findings = `/api/orgs/${orgA.id}/certificates/${cert}/supervision-plan/findings`;
    const saved = await put(manager, {
      initialPersonDays: 10,
      visits: [
        { date: '2026-10-15', personDays: 5 },
        { date: '2027-09-01', personDays: 5 },
      ],
    });
    const first = saved.json<PlanBody>().visits[0]!.itemIds;

    const future = await manager.request('PUT', results, { date: '2027-09-01', items: [] });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toBe('2027-09-01 的监督评估还没有进行，进行后才能登记结果');
    const notInPlan = await manager.request('PUT', results, { date: '2026-10-16', items: [] });
    expect(notInPlan.json().error.message).toBe('计划中没有 2026-10-16 的监督评估：请选择计划中的一次');
    expect((await contributor.request('PUT', results, { date: '2026-10-15', items: [] })).statusCode).toBe(403);

    const recorded = await manager.request('PUT', results, {
      date: '2026-10-15',
      items: [
        { itemId: first[0], result: 'conform' },
        { itemId: first[1], result: 'finding', note: '战略分析缺少年度市场分析报告' },
      ],
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const afterResults = recorded.json<PlanBody & { results: Array<{ date: string; items: unknown[] }> }>();
    expect(afterResults.results).toEqual([
      {
        date: '2026-10-15',
        items: [
          { itemId: first[0], result: 'conform', note: null },
          { itemId: first[1], result: 'finding', note: '战略分析缺少年度市场分析报告' },
        ],
        findings: [],
      },
    ]);

    const finding = await manager.post(findings, {
      date: '2026-10-15',
      text: '缺少年度市场分析报告',
      dueDate: '2027-01-15',
    });
    expect(finding.statusCode, finding.body).toBe(201);
    const { obligationId } = finding.json<{ obligationId: string }>();
    const duties = (
      await viewer.get(`/api/orgs/${orgA.id}/obligations?certificateId=${cert}&rule=supervision.finding&limit=100`)
    ).json<{ items: Array<{ id: string; dueDate: string }> }>().items;
    expect(duties.map((d) => [d.id, d.dueDate])).toEqual([[obligationId, '2027-01-15']]);
    expect(JSON.stringify(duties[0])).toContain('监督评估问题整改：缺少年度市场分析报告');
    const early = await manager.post(findings, { date: '2026-10-15', text: '问题', dueDate: '2026-10-01' });
    expect(early.json().error.message).toContain('整改期限不能早于监督评估的日期');

    // The visit with results cannot be dropped or moved; a re-plan keeps them.
    const moved = await put(manager, {
      initialPersonDays: 10,
      visits: [
        { date: '2026-10-20', personDays: 5 },
        { date: '2027-09-01', personDays: 5 },
      ],
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.message).toBe('2026-10-15 的监督评估已登记结果，不能删除或修改日期');
    const replanned = await put(manager, {
      initialPersonDays: 10,
      visits: [
        { date: '2026-10-15', personDays: 6 },
        { date: '2027-09-01', personDays: 5 },
      ],
    });
    expect(replanned.statusCode).toBe(200);
    expect(replanned.json().results[0].findings).toEqual([
      { text: '缺少年度市场分析报告', dueDate: '2027-01-15', obligationId },
    ]);
  });

  it('exports the plan and the evidence checklist as .xlsx, .docx and .pdf', async () => {
    const base = `/api/orgs/${orgA.id}/certificates/${cert}/supervision-plan`;
    const xlsx = await viewer.get(`${base}.xlsx`);
    expect(xlsx.statusCode, xlsx.body.slice(0, 200)).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(
      encodeURIComponent('深圳市示例科技有限公司-监督评估计划及证据清单.xlsx'),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = (name: string) =>
      book
        .getWorksheet(name)!
        .getSheetValues()
        .slice(2)
        .map((r) =>
          (r as unknown[]).slice(1).map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')),
        );
    const items = rows('能力项覆盖与证据');
    expect(items).toHaveLength(46);
    expect(items[1]).toEqual([
      '战略管理',
      '战略定位',
      '战略分析',
      '第 1 次',
      '已覆盖',
      '发现问题',
      '资质维护季度会议纪要',
      '0',
      '缺少资质维护季度会议纪要',
    ]);
    expect(rows('问题及整改')).toEqual([['2026-10-15', '缺少年度市场分析报告', '2027-01-15']]);
    expect(rows('监督评估').map((r) => r.slice(0, 3))).toEqual([
      ['第 1 次', '2026-10-15', '6'],
      ['第 2 次', '2027-09-01', '5'],
    ]);

    const docx = await readDocx((await viewer.get(`${base}.docx`)).rawPayload);
    expect(docx.paragraphs).toContain('监督评估计划及证据清单');
    expect(docx.paragraphs).toContain('二、能力项覆盖与证据清单');
    expect(docx.tables.flat()).toContainEqual(['1', '2026-10-15', '缺少年度市场分析报告', '2027-01-15']);
    const pdf = await readPdf((await viewer.get(`${base}.pdf`)).rawPayload);
    expect(pdf.text.replace(/\s+/g, '')).toContain('缺少年度市场分析报告');
    expect((await b.owner.get(`${base}.xlsx`)).statusCode).toBe(404);
  });

  it('lets a workspace correct an item’s name, sub-domain and evidence, used by the plan and its exports, and undo it', async () => {
    const item = itemIds[1]!;
    const path = `/api/workspaces/${a.workspaceId}/capability-catalogue/items/${item}`;
    const body = { name: '战略分析与评审', subdomain: '战略制定', evidence: ['audit-reports'], note: '按评估机构清单' };
    expect((await manager.request('PUT', path, body)).statusCode).toBe(403);
    expect((await b.owner.request('PUT', path, body)).statusCode).toBe(404);
    const unknown = await a.owner.request(
      'PUT',
      `/api/workspaces/${a.workspaceId}/capability-catalogue/items/XX.1.1`,
      body,
    );
    expect(unknown.statusCode).toBe(404);
    const empty = await a.owner.request('PUT', path, { note: '只写说明' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('请至少更正名称、能力子域或证据类别中的一项');
    const badKind = await a.owner.request('PUT', path, { evidence: ['photos'] });
    expect(badKind.statusCode).toBe(400);

    const saved = await a.owner.request('PUT', path, body);
    expect(saved.statusCode, saved.body).toBe(200);
    const mine = (await viewer.get(`/api/capability-catalogue?workspaceId=${a.workspaceId}`)).json().versions[0]
      .items[1];
    expect(mine).toMatchObject({
      id: item,
      name: '战略分析与评审',
      subdomain: '战略制定',
      evidence: ['audit-reports'],
      corrected: {
        note: '按评估机构清单',
        shipped: { name: '战略分析', subdomain: '战略定位', evidence: ['meeting-minutes'] },
      },
    });
    // The shipped catalogue and another workspace are untouched; a stranger's workspace is not readable.
    expect((await viewer.get('/api/capability-catalogue')).json().versions[0].items[1]).toMatchObject({
      name: '战略分析',
      corrected: null,
    });
    expect(
      (await b.owner.get(`/api/capability-catalogue?workspaceId=${b.workspaceId}`)).json().versions[0].items[1],
    ).toMatchObject({ name: '战略分析', corrected: null });
    expect((await b.owner.get(`/api/capability-catalogue?workspaceId=${a.workspaceId}`)).statusCode).toBe(404);

    // The plan's gap and its workbook follow the correction.
    const plan = (await viewer.get(url(orgA.id, cert))).json();
    expect(plan.evidence.find((e: { itemId: string }) => e.itemId === item).gap.zh).toBe('缺少财务审计报告');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await viewer.get(`${url(orgA.id, cert)}.xlsx`)).rawPayload as unknown as ArrayBuffer);
    const row = (book.getWorksheet('能力项覆盖与证据')!.getRow(3).values as unknown[]).slice(1, 4);
    expect(row).toEqual(['战略管理', '战略制定', '战略分析与评审']);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.action, 'catalogue.corrected')));
    expect(audit.map((r) => r.summary)).toContainEqual(
      expect.objectContaining({ capabilityItem: '战略分析', name: '战略分析与评审', evidenceKinds: ['audit-reports'] }),
    );

    const reset = await a.owner.request('DELETE', path);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().versions[0].items[1]).toMatchObject({
      name: '战略分析',
      corrected: null,
      evidence: ['meeting-minutes'],
    });
    expect(
      (await viewer.get(url(orgA.id, cert))).json().evidence.find((e: { itemId: string }) => e.itemId === item).gap.zh,
    ).toBe('缺少资质维护季度会议纪要');
  });

  it('keeps the assessment body’s contact per certificate, the issuer until someone enters it', async () => {
    const contact = `/api/orgs/${orgA.id}/certificates/${certCs2}/assessment-contact`;
    expect((await viewer.get(contact)).json()).toMatchObject({
      body: '中国电子信息行业联合会',
      person: null,
      updatedAt: null,
    });
    const body = {
      body: '赛宝认证中心',
      person: '李老师',
      phone: '020-8723 6000 转 8',
      email: 'li@example.cn',
      note: '周一至周五',
    };
    expect((await contributor.request('PUT', contact, body)).statusCode).toBe(403);
    const saved = await manager.request('PUT', contact, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await viewer.get(contact)).json()).toMatchObject(body);
    const bad = await manager.request('PUT', contact, { ...body, email: 'li@', phone: 'call me' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('请填写有效的电子邮件地址');
    expect((await viewer.get(contact)).json()).toMatchObject(body);
    expect((await b.owner.get(contact)).statusCode).toBe(404);
  });

  it('has no plan for a CS1/CS2 certificate, and is closed to another tenant', async () => {
    const cs2 = await viewer.get(url(orgA.id, certCs2));
    expect(cs2.statusCode).toBe(409);
    expect(cs2.json().error.message).toBe('CS2 证书每年提交年度自查报告，不接受监督评估，不需要监督评估计划');
    expect((await b.owner.get(url(orgA.id, cert))).statusCode).toBe(404);
    expect((await b.owner.get(url(orgB.id, cert))).statusCode).toBe(404);
    expect(
      (await put(b.owner, { initialPersonDays: 10, visits: [{ date: '2026-10-15', personDays: 5 }] })).statusCode,
    ).toBe(404);
  });
});
