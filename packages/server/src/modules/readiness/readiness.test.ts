import { defaultRequirementSet } from '@zizhi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirementSets } from '../../db/schema.js';
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

describe.each(BACKENDS)('readiness (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgB: { id: string };
  let viewer: Client;
  const base = () => `/api/orgs/${orgA.id}`;

  type Requirement = {
    id: string;
    kind: string;
    status: string;
    value: unknown;
    operator: string | null;
    threshold: unknown;
    summary: { zh: string; en: string };
    gap: { zh: string } | null;
    missing: { zh: string } | null;
    evidence: { type: string; id: string; label: string }[];
    forecast: { date: string; status: string; reason: { zh: string } } | null;
  };
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
    const dates = [
      ['2024-02-01', '2024-06-01'],
      ['2024-08-01', '2024-12-01'],
      ['2025-05-01', '2025-09-01'],
    ] as const;
    for (const [i, [signedOn, acceptedOn]] of dates.entries()) {
      const p = await a.owner.post(`${base()}/projects`, {
        name: `大型项目 ${i + 1}`,
        contractNumber: `HT-${i + 1}`,
        amount: '12000000.00',
        signedOn,
        acceptedOn,
        status: 'accepted',
        technologies: ['云计算'],
      });
      expect(p.statusCode, p.body).toBe(201);
    }
    const body = (await viewer.get(`${base()}/readiness?level=cs3&at=2026-06-30`)).json();
    const large = requirement(body, 'large-projects');
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

  describe('completed work, eligibility and growth', () => {
    let orgC: { id: string };
    let contributor: Client;
    const c = () => `/api/orgs/${orgC.id}`;
    const sets = () => `/api/workspaces/${a.workspaceId}/requirement-sets`;
    const readiness = async (query = 'level=CS3&at=2026-06-30') => {
      const res = await viewer.get(`${c()}/readiness?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ customRequirements: boolean; requirements: Requirement[] }>();
    };

    beforeAll(async () => {
      orgC = await createOrg(a, CREDIT_CODES[2], '广州市完成度测试有限公司');
      contributor = (await addMember(t.app, a, 'contributor')).client;
      const projects = [
        { name: '已验收一期', signedOn: '2022-09-01', acceptedOn: '2023-05-20', status: 'accepted' },
        { name: '已验收二期', signedOn: '2023-11-01', acceptedOn: '2024-10-15', status: 'accepted' },
        { name: '在建三期', signedOn: '2025-03-01', status: 'in-progress' },
      ];
      for (const [i, p] of projects.entries()) {
        const res = await contributor.post(`${c()}/projects`, {
          ...p,
          contractNumber: `WC-${i}`,
          amount: '15000000.00',
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    });

    it('counts a project by its acceptance: a signing alone does not count, and the answer says so', async () => {
      const large = requirement(await readiness(), 'large-projects');
      expect(large).toMatchObject({ status: 'not-met', value: 2 });
      expect(large.evidence.map((e) => e.label)).toEqual(['已验收一期', '已验收二期']);
      expect(large.summary.zh).toContain('验收的 1000 万以上项目 2 个');
      expect(large.summary.zh).toContain(
        '按验收日期计入；另有 1 个近三年签约、尚未验收的项目不计入，验收后计入：在建三期',
      );
      expect(large.summary.en).toContain('counted by acceptance date');
    });

    it('counts by signing when the workspace’s set says so, stored with the set', async () => {
      const set = { ...structuredClone(defaultRequirementSet('CS3')), projectDateBasis: 'signed' };
      const saved = await a.owner.request('PUT', `${sets()}/CS3`, set);
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().set.projectDateBasis).toBe('signed');
      const listed = (await viewer.get(sets())).json().items.find((i: { level: string }) => i.level === 'CS3');
      expect(listed.set.projectDateBasis).toBe('signed');
      const large = requirement(await readiness(), 'large-projects');
      // Signed in the window: 二期 (2023) and 三期 (2025); 一期 was signed in 2022.
      expect(large.evidence.map((e) => e.label)).toEqual(['已验收二期', '在建三期']);
      expect(large.summary.zh).toContain('按合同签订日期计入，含尚未验收的项目');

      const bad = await a.owner.request('PUT', `${sets()}/CS3`, { ...set, projectDateBasis: 'invoiced' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('项目计入依据应为 accepted、signed 之一');
      expect((await a.owner.delete(`${sets()}/CS3`)).statusCode).toBe(200);
    });

    it('evaluates a set saved before the set chose its date basis, by acceptance and with the eligibility conditions', async () => {
      const earlier = structuredClone(defaultRequirementSet('CS3')) as unknown as Record<string, unknown> & {
        requirements: Record<string, unknown>[];
      };
      delete earlier.projectDateBasis;
      earlier.requirements = earlier.requirements
        .filter((r) => r.kind !== 'legal-entity' && r.kind !== 'no-adverse-records')
        .map((r) =>
          r.kind === 'large-projects'
            ? { ...r, threshold: 2, params: { ...(r.params as object), dateBasis: 'signed-or-accepted' } }
            : r,
        );
      await t.database.db
        .insert(requirementSets)
        .values({ workspaceId: a.workspaceId, level: 'CS3', set: earlier, updatedBy: null });
      const body = await readiness();
      expect(body.customRequirements).toBe(true);
      expect(body.requirements.slice(0, 2).map((r) => r.kind)).toEqual(['legal-entity', 'no-adverse-records']);
      // The saved threshold stays; the project signed but never accepted does not count.
      expect(requirement(body, 'large-projects')).toMatchObject({ status: 'met', value: 2 });
      const listed = (await viewer.get(sets())).json().items.find((i: { level: string }) => i.level === 'CS3');
      expect(listed.set.projectDateBasis).toBe('accepted');
      expect((await a.owner.delete(`${sets()}/CS3`)).statusCode).toBe(200);
    });

    it('asks to confirm the independent legal entity, then counts the confirmation with its licence', async () => {
      const before = requirement(await readiness(), 'legal-entity');
      expect(before).toMatchObject({ status: 'unknown', operator: null, threshold: null });
      expect(before.missing!.zh).toContain('尚未确认企业是否为独立法人');
      expect((await viewer.get(`${c()}/legal-entity`)).json()).toMatchObject({ isIndependent: null, files: [] });

      expect(
        (await viewer.request('PUT', `${c()}/legal-entity`, { isIndependent: true, confirmedOn: '2026-01-05' }))
          .statusCode,
      ).toBe(403);
      const refused = await contributor.request('PUT', `${c()}/legal-entity`, { isIndependent: 'yes' });
      expect(refused.statusCode).toBe(400);
      const file = await uploadFile(contributor, orgC.id, { filename: '营业执照.pdf', content: pdf('licence') });
      expect(file.statusCode, file.body).toBe(201);
      const saved = await contributor.request('PUT', `${c()}/legal-entity`, {
        isIndependent: true,
        confirmedOn: '2026-01-05',
        notes: '统一社会信用代码与营业执照一致',
        files: [{ fileId: file.json().id, role: 'business-licence' }],
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({
        isIndependent: true,
        confirmedOn: '2026-01-05',
        confirmedByName: 'contributor 成员',
        files: [{ role: 'business-licence', name: '营业执照.pdf' }],
      });
      const met = requirement(await readiness(), 'legal-entity');
      expect(met.status).toBe('met');
      expect(met.summary.zh).toBe('已确认企业为独立法人（2026-01-05 确认）');
      expect(met.evidence).toEqual([
        { type: 'legal-entity', id: 'legal-entity', label: '独立法人（2026-01-05 确认）' },
      ]);

      // A branch is not eligible; confirming it so fails the condition.
      await contributor.request('PUT', `${c()}/legal-entity`, { isIndependent: false });
      const branch = requirement(await readiness(), 'legal-entity');
      expect(branch.status).toBe('not-met');
      expect(branch.gap!.zh).toContain('分支机构不能单独申请');
      await contributor.request('PUT', `${c()}/legal-entity`, { isIndependent: true, confirmedOn: '2026-01-05' });
      const audit = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}`)).json();
      expect(JSON.stringify(audit)).toContain('legal-entity');
    });

    it('fails on an adverse record overlapping the window and says when it stops counting', async () => {
      const clean = requirement(await readiness(), 'no-adverse-records');
      expect(clean.status).toBe('met');
      expect(clean.summary.zh).toContain('国家企业信用信息公示系统');

      const backwards = await contributor.post(`${c()}/adverse-records`, {
        kind: 'abnormal-operation',
        listedOn: '2024-06-10',
        clearedOn: '2024-03-01',
      });
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().error.message).toContain('移出日期不能早于列入日期');
      expect(
        (await contributor.post(`${c()}/adverse-records`, { kind: 'fine', listedOn: '2024-01-01' })).statusCode,
      ).toBe(400);

      const created = await contributor.post(`${c()}/adverse-records`, {
        kind: 'abnormal-operation',
        listedOn: '2024-03-01',
        clearedOn: '2024-06-10',
        notes: '未按时报送年度报告，补报后移出',
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const failing = requirement(await readiness(), 'no-adverse-records');
      expect(failing).toMatchObject({ status: 'not-met', value: 1 });
      expect(failing.evidence).toEqual([
        { type: 'adverse-record', id, label: '经营异常名录（2024-03-01 列入，2024-06-10 移出）' },
      ]);
      expect(failing.forecast).toMatchObject({ date: '2028-01-01', status: 'met' });

      // Changing one date alone is checked against the other as stored.
      const early = await contributor.patch(`${c()}/adverse-records/${id}`, { clearedOn: '2024-01-01' });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.message).toContain('早于列入日期');
      // Cleared before the window: no longer counts.
      const moved = await contributor.patch(`${c()}/adverse-records/${id}`, {
        listedOn: '2021-03-01',
        clearedOn: '2022-06-10',
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(requirement(await readiness(), 'no-adverse-records').status).toBe('met');
    });

    it('shows growth at renewal by a standard the organisation helped draft', async () => {
      const before = requirement(await readiness(), 'growth');
      expect(before.status).toBe('unknown');
      const refused = await contributor.post(`${c()}/standards`, { name: '运维规范', role: 'author' });
      expect(refused.statusCode).toBe(400);
      const created = await contributor.post(`${c()}/standards`, {
        name: '信息技术服务 运行维护',
        number: 'GB/T 28827.1-2022',
        role: 'participant',
        publishedOn: '2024-10-12',
      });
      expect(created.statusCode, created.body).toBe(201);
      const growth = requirement(await readiness(), 'growth');
      expect(growth.status).toBe('met');
      expect(growth.evidence).toEqual([
        { type: 'standard', id: created.json().id, label: '信息技术服务 运行维护（GB/T 28827.1-2022）' },
      ]);
      expect(growth.summary.zh).toContain('满足其一即可');
      expect((await viewer.get(`${c()}/standards`)).json().items).toHaveLength(1);
    });

    it('answers 404 for the new records of another workspace’s organisation', async () => {
      const standard = (await viewer.get(`${c()}/standards`)).json().items[0].id as string;
      const adverse = (await viewer.get(`${c()}/adverse-records`)).json().items[0].id as string;
      const calls = [
        await b.owner.get(`${c()}/legal-entity`),
        await b.owner.request('PUT', `${c()}/legal-entity`, { isIndependent: false }),
        await b.owner.get(`${c()}/standards/${standard}`),
        await b.owner.get(`${c()}/adverse-records/${adverse}`),
        await b.owner.get(`/api/orgs/${orgB.id}/standards/${standard}`),
        await b.owner.patch(`/api/orgs/${orgB.id}/adverse-records/${adverse}`, { notes: '改' }),
      ];
      expect(calls.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
      expect((await viewer.get(`${c()}/legal-entity`)).json().isIndependent).toBe(true);
    });
  });
});
