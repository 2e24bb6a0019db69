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
import { pdf, uploadFile } from '../../test/multipart.js';

const ID_A = '11010519491231002X';
const ID_B = '440300199003071234';

describe.each(BACKENDS)('evidence registry (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgB: { id: string };
  let viewer: Client;
  let contributor: Client;
  const base = () => `/api/orgs/${orgA.id}`;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0]);
    orgB = await createOrg(b, CREDIT_CODES[1]);
    viewer = (await addMember(t.app, a, 'viewer')).client;
    contributor = (await addMember(t.app, a, 'contributor')).client;
  });
  afterAll(() => t.close());

  it('records a staff member with qualifications and masks the ID number everywhere', async () => {
    const created = await contributor.post(`${base()}/staff`, {
      name: '张伟',
      idNumber: ID_A.toLowerCase(),
      role: '项目经理',
      isTechnical: true,
      employedFrom: '2019-03-01',
      socialInsuranceFrom: '2019-03',
      qualifications: [{ kind: 'pmp', number: 'PMP-1234567', expiresOn: '2027-06-30' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const staff = created.json();
    expect(staff.idNumber).not.toBe(ID_A);
    expect(staff.idNumber.slice(-4)).toBe('002X');
    expect(staff.qualifications).toMatchObject([{ kind: 'pmp', number: 'PMP-1234567', expiresOn: '2027-06-30' }]);

    const list = (await viewer.get(`${base()}/staff`)).json().items;
    expect(list).toHaveLength(1);
    expect(list[0].idNumber).not.toContain('19491231');
    expect(list[0].idNumber.slice(-4)).toBe('002X');

    for (const who of [viewer, contributor, a.owner]) {
      const one = await who.get(`${base()}/staff/${staff.id}`);
      expect(one.statusCode).toBe(200);
      expect(one.body).not.toContain(ID_A);
    }

    // The audit log never keeps the number in full.
    const audit = await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}`);
    expect(audit.body).not.toContain(ID_A);
  });

  it('reveals a full ID number to managers and above only, writing each reveal to the audit log', async () => {
    const created = (await contributor.post(`${base()}/staff`, { name: '王五', idNumber: ID_B })).json();
    const url = `${base()}/staff/${created.id}/id-number`;
    expect((await viewer.post(url)).statusCode).toBe(403);
    expect((await contributor.post(url)).statusCode).toBe(403);
    expect((await b.owner.post(url)).statusCode).toBe(404);
    const manager = (await addMember(t.app, a, 'manager')).client;
    const shown = await manager.post(url);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual({ idNumber: ID_B });
    const audit = (
      await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&action=staff.id-number-revealed`)
    ).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ targetId: created.id, summary: { name: '王五' } });
    expect(JSON.stringify(audit)).not.toContain(ID_B);
    await contributor.delete(`${base()}/staff/${created.id}`);
    await a.owner.delete(`${base()}/staff/${created.id}`);
  });

  it('refuses a bad ID number, month order and a second person with the same number, saving nothing', async () => {
    const bad = await contributor.post(`${base()}/staff`, { name: '李四', idNumber: '110105194912310021' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/校验|身份证/);
    const months = await contributor.post(`${base()}/staff`, {
      name: '李四',
      socialInsuranceFrom: '2024-06',
      socialInsuranceUntil: '2024-01',
    });
    expect(months.statusCode).toBe(400);
    expect(months.json().error.message).toContain('社保截止月不能早于起始月');
    const twin = await contributor.post(`${base()}/staff`, { name: '张伟（重复）', idNumber: ID_A });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.message).toContain('张伟');
    expect((await viewer.get(`${base()}/staff`)).json().items).toHaveLength(1);
  });

  it('records a project with its manager, exact money and attachments, and edits it', async () => {
    const [manager] = (await viewer.get(`${base()}/staff`)).json().items;
    const file = await uploadFile(contributor, orgA.id, { filename: '合同-智慧园区.pdf', content: pdf('contract') });
    expect(file.statusCode, file.body).toBe(201);
    const created = await contributor.post(`${base()}/projects`, {
      name: '智慧园区综合管理平台',
      client: '深圳市某区政务服务数据管理局',
      contractNumber: 'SZ-2024-017',
      amount: '12345678.91',
      signedOn: '2024-03-15',
      status: 'in-progress',
      managerId: manager.id,
      technologies: ['云计算', '大数据'],
      files: [{ fileId: file.json().id, role: 'contract' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const project = created.json();
    expect(project).toMatchObject({ amount: '12345678.91', managerName: '张伟', technologies: ['云计算', '大数据'] });
    expect(project.files).toMatchObject([{ role: 'contract', name: '合同-智慧园区.pdf' }]);

    const patched = await contributor.patch(`${base()}/projects/${project.id}`, {
      status: 'accepted',
      acceptedOn: '2025-01-20',
      client: '',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'accepted', acceptedOn: '2025-01-20', client: null });
    expect(patched.json().files).toHaveLength(1);
  });

  it('refuses float-looking money, an unknown manager and another organisation’s file', async () => {
    const money = await contributor.post(`${base()}/projects`, { name: '金额错误', amount: '1.234' });
    expect(money.statusCode).toBe(400);
    expect(money.json().error.message).toContain('两位小数');
    const foreignStaff = (await b.owner.post(`/api/orgs/${orgB.id}/staff`, { name: '外人', idNumber: ID_B })).json();
    const manager = await contributor.post(`${base()}/projects`, { name: '经理错误', managerId: foreignStaff.id });
    expect(manager.statusCode).toBe(400);
    const foreignFile = (await uploadFile(b.owner, orgB.id, { filename: 'b.pdf', content: pdf('tenant b') })).json();
    const file = await contributor.post(`${base()}/projects`, {
      name: '附件错误',
      files: [{ fileId: foreignFile.id, role: 'contract' }],
    });
    expect(file.statusCode).toBe(400);
    const names = (await viewer.get(`${base()}/projects`)).json().items.map((p: { name: string }) => p.name);
    expect(names).toEqual(['智慧园区综合管理平台']);
  });

  it('keeps one financial row per year, with signed profit', async () => {
    const first = await contributor.post(`${base()}/financial-years`, {
      year: 2025,
      revenue: '98000000.00',
      systemIntegrationRevenue: '85000000',
      netProfit: '-1200000.50',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      year: 2025,
      netProfit: '-1200000.50',
      systemIntegrationRevenue: '85000000.00',
    });
    const twin = await contributor.post(`${base()}/financial-years`, { year: 2025 });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.message).toContain('2025');
  });

  it('records IP and management certificates and refuses an expiry before issue', async () => {
    const ip = await contributor.post(`${base()}/ip`, {
      kind: 'software-copyright',
      name: '智慧园区管理软件 V1.0',
      number: '2024SR0123456',
      grantedOn: '2024-05-10',
    });
    expect(ip.statusCode, ip.body).toBe(201);
    const iso = await contributor.post(`${base()}/management-certificates`, {
      kind: 'iso27001',
      number: 'ISMS-0001',
      issuedOn: '2024-01-01',
      expiresOn: '2026-12-31',
    });
    expect(iso.statusCode, iso.body).toBe(201);
    const bad = await contributor.post(`${base()}/management-certificates`, {
      kind: 'iso9001',
      issuedOn: '2024-01-01',
      expiresOn: '2023-12-31',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('有效期至不能早于发证日期');
  });

  it('lets managers delete evidence but not contributors, keeping the files stored', async () => {
    const ip = (await viewer.get(`${base()}/ip`)).json().items[0];
    expect((await contributor.delete(`${base()}/ip/${ip.id}`)).statusCode).toBe(403);
    expect((await a.owner.delete(`${base()}/ip/${ip.id}`)).statusCode).toBe(204);
    expect((await viewer.get(`${base()}/ip/${ip.id}`)).statusCode).toBe(404);
    expect((await viewer.get(`/api/orgs/${orgA.id}/files`)).json().items.length).toBeGreaterThan(0);
  });

  describe('tenancy', () => {
    const kinds = ['projects', 'staff', 'financial-years', 'ip', 'management-certificates'] as const;
    const bodies: Record<(typeof kinds)[number], object> = {
      projects: { name: '越权项目' },
      staff: { name: '越权人员' },
      'financial-years': { year: 2020 },
      ip: { kind: 'utility-patent', name: '越权专利' },
      'management-certificates': { kind: 'cmmi' },
    };

    it.each(kinds)('%s: every route answers 404 for another workspace and 403 for a viewer’s writes', async (kind) => {
      const created = await b.owner.post(`/api/orgs/${orgB.id}/${kind}`, bodies[kind]);
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      const foreign = [
        await a.owner.get(`/api/orgs/${orgB.id}/${kind}`),
        await a.owner.post(`/api/orgs/${orgB.id}/${kind}`, bodies[kind]),
        await a.owner.get(`/api/orgs/${orgB.id}/${kind}/${id}`),
        await a.owner.patch(`/api/orgs/${orgB.id}/${kind}/${id}`, { notes: '越权修改' }),
        await a.owner.delete(`/api/orgs/${orgB.id}/${kind}/${id}`),
        // Tenant B's record through tenant A's own organisation.
        await a.owner.get(`${base()}/${kind}/${id}`),
        await a.owner.patch(`${base()}/${kind}/${id}`, { notes: '越权修改' }),
        await a.owner.delete(`${base()}/${kind}/${id}`),
      ];
      expect(foreign.map((r) => r.statusCode)).toEqual(Array(8).fill(404));
      expect((await b.owner.get(`/api/orgs/${orgB.id}/${kind}/${id}`)).json().notes).toBeNull();

      const writes = [
        await viewer.post(`${base()}/${kind}`, bodies[kind]),
        await viewer.patch(`${base()}/${kind}/${id}`, { notes: 'x' }),
        await viewer.delete(`${base()}/${kind}/${id}`),
      ];
      expect(writes[0]!.statusCode).toBe(403);
      // The viewer may write nothing; on another tenant's id the answer stays 404 or 403, never 2xx.
      expect(writes.slice(1).every((r) => r.statusCode === 403 || r.statusCode === 404)).toBe(true);
    });

    it('GET /api/orgs/:orgId/checks answers 404 for another workspace', async () => {
      expect((await a.owner.get(`/api/orgs/${orgB.id}/checks`)).statusCode).toBe(404);
      expect((await viewer.get(`/api/orgs/${orgA.id}/checks`)).statusCode).toBe(200);
    });
  });
});

describe.each(BACKENDS)('authenticity checks (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let org: { id: string };
  const base = () => `/api/orgs/${org.id}`;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    org = await createOrg(a, CREDIT_CODES[2]);
  });
  afterAll(() => t.close());

  const codes = async () =>
    (await a.owner.get(`${base()}/checks`))
      .json()
      .items.map((f: { code: string; recordLabel: string }) => [f.code, f.recordLabel].join(' '));

  it('finds nothing in consistent evidence', async () => {
    const pm = (
      await a.owner.post(`${base()}/staff`, {
        name: '王芳',
        idNumber: ID_B,
        socialInsuranceFrom: '2020-01',
        qualifications: [{ kind: 'senior-pm', expiresOn: '2030-12-31' }],
      })
    ).json();
    const report = (await uploadFile(a.owner, org.id, { filename: '验收报告.pdf', content: pdf('ok') })).json();
    const invoice = (await uploadFile(a.owner, org.id, { filename: '发票.pdf', content: pdf('inv') })).json();
    const ok = await a.owner.post(`${base()}/projects`, {
      name: '一致的项目',
      contractNumber: 'HT-001',
      amount: '5000000.00',
      signedOn: '2024-02-01',
      acceptedOn: '2024-12-01',
      status: 'accepted',
      managerId: pm.id,
      files: [
        { fileId: report.id, role: 'acceptance-report' },
        { fileId: invoice.id, role: 'invoice', amount: '5000000.00' },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await codes()).toEqual([]);
  });

  it('flags each inconsistency on the record to fix, with a link', async () => {
    const late = (
      await a.owner.post(`${base()}/staff`, {
        name: '赵磊',
        socialInsuranceFrom: '2024-09',
        qualifications: [{ kind: 'pmp', expiresOn: '2023-05-31' }],
      })
    ).json();
    const invoice = (await uploadFile(a.owner, org.id, { filename: '发票2.pdf', content: pdf('inv2') })).json();
    await a.owner.post(`${base()}/projects`, {
      name: '倒签项目',
      contractNumber: 'HT-001',
      amount: '100.00',
      signedOn: '2024-06-01',
      acceptedOn: '2024-05-01',
      managerId: late.id,
      files: [{ fileId: invoice.id, role: 'invoice', amount: '100.01' }],
    });
    const found = await codes();
    expect(found).toEqual(
      expect.arrayContaining([
        'acceptance-before-signing 倒签项目',
        'invoices-above-contract 倒签项目',
        'manager-not-insured 倒签项目',
        'expired-qualification 倒签项目',
        'duplicate-contract-number 倒签项目',
        'duplicate-contract-number 一致的项目',
        'missing-acceptance-report 倒签项目',
      ]),
    );
    expect(found).toHaveLength(7);
    const flag = (await a.owner.get(`${base()}/checks`))
      .json()
      .items.find((f: { code: string }) => f.code === 'invoices-above-contract');
    expect(flag.message).toContain('100.01');
    expect(flag.link).toBe(`/orgs/${org.id}/evidence/projects?id=${flag.recordId}`);
  });
});
