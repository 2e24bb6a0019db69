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
import { readDocx, readPdf } from '../../test/documents.js';
import { auditLog } from '../../db/schema.js';
import { defaultSelfCheckTemplate, type SelfCheckTemplate } from '../../reports/self-check-template.js';
import type { Block } from '../../reports/model.js';

/** The default with the sections moved, one off, the commitment reworded and a section of the company's own. */
function edited(): SelfCheckTemplate {
  const base = defaultSelfCheckTemplate();
  const byKey = (key: string) => base.sections.find((s) => s.key === key)!;
  return {
    coverTitle: '{单位名称}年度自查报告（报送稿）',
    sections: [
      { ...byKey('commitment'), text: '我单位{单位名称}承诺：{年度}年度自查材料真实有效。' },
      byKey('basics'),
      {
        key: 'custom',
        enabled: true,
        title: '党建与企业文化',
        text: '本年度开展党建活动 4 次。\n\n企业文化建设持续推进。',
      },
      { ...byKey('problems'), title: '存在问题与整改' },
      { ...byKey('domains'), text: '对照{证书等级}逐项自查。' },
      { ...byKey('overall'), enabled: false },
      byKey('changes'),
      { ...byKey('attachments'), text: '附件按以下顺序装订。' },
    ],
  };
}

describe.each(BACKENDS)('the self-check report template (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgB: { id: string };
  let certA: string;
  let certB: string;
  let viewer: Client;
  let manager: Client;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司');
    orgB = await createOrg(b, CREDIT_CODES[1], '另一家公司的企业');
    certA = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS2',
      number: 'CS2-4403-2024-0123',
      issuedOn: '2024-05-20',
    });
    certB = await createCertificate(t.database.db, {
      orgId: orgB.id,
      level: 'CS1',
      number: 'CS1-1100-2025-0001',
      issuedOn: '2025-01-10',
    });
    viewer = (await addMember(t.app, a, 'viewer')).client;
    manager = (await addMember(t.app, a, 'manager')).client;
  });
  afterAll(() => t.close());

  const templateUrl = (tenant: Tenant) => `/api/workspaces/${tenant.workspaceId}/report-templates/self-check-report`;
  const docxUrl = (orgId: string, certId: string) =>
    `/api/orgs/${orgId}/certificates/${certId}/self-check-report.docx?year=2026`;
  const previewUrl = (orgId: string, certId: string) =>
    `/api/orgs/${orgId}/certificates/${certId}/self-check-report/preview`;
  const put = (client: Client, tenant: Tenant, body: unknown) => client.request('PUT', templateUrl(tenant), body);
  const headings = (blocks: Block[]) =>
    blocks
      .filter((x): x is Extract<Block, { type: 'heading' }> => x.type === 'heading' && x.level === 1)
      .map((x) => x.text);

  it('starts from the default, with the placeholders its text may use', async () => {
    const res = await viewer.get(templateUrl(a));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.custom).toBe(false);
    expect(body.updatedAt).toBeNull();
    expect(body.template).toEqual(defaultSelfCheckTemplate());
    expect(body.placeholders.map((p: { name: string }) => p.name)).toEqual([
      '单位名称',
      '年度',
      '证书等级',
      '证书编号',
      '截止日期',
      '统计期',
      '要求集',
    ]);
  });

  it('previews an unsaved template without saving it: sections in its order, numbered, placeholders filled', async () => {
    const res = await viewer.post(previewUrl(orgA.id, certA), { year: 2026, template: edited() });
    expect(res.statusCode, res.body).toBe(200);
    const { document } = res.json<{ document: { cover: { title: string }; blocks: Block[] } }>();
    expect(document.cover.title).toBe('深圳市示例科技有限公司年度自查报告（报送稿）');
    expect(headings(document.blocks)).toEqual([
      '一、企业基本情况',
      '二、党建与企业文化',
      '三、存在问题与整改',
      '四、能力要素自查情况',
      '五、本年度变更及重要事项',
      '六、附件清单',
    ]);
    const paragraphs = document.blocks.flatMap((x) => (x.type === 'paragraph' ? [x.text] : []));
    expect(paragraphs).toContain('我单位深圳市示例科技有限公司承诺：2026年度自查材料真实有效。');
    expect(paragraphs).toContain('本年度开展党建活动 4 次。');
    expect(paragraphs).toContain('企业文化建设持续推进。');
    expect(paragraphs).toContain('对照CS2（基本级）逐项自查。');
    expect(paragraphs.some((p) => p.startsWith('按信息系统建设和服务能力评估的四个能力域'))).toBe(false);
    // Nothing was saved: the download still follows the default.
    expect((await viewer.get(templateUrl(a))).json().custom).toBe(false);
    const doc = await readDocx((await viewer.get(docxUrl(orgA.id, certA))).rawPayload);
    expect(doc.paragraphs).toContain('四、总体符合情况');
  });

  it('is saved by an admin, and the Word and PDF drafts follow it', async () => {
    expect((await put(manager, a, edited())).statusCode).toBe(403);
    const res = await put(a.owner, a, edited());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ custom: true, template: edited() });
    expect((await viewer.get(templateUrl(a))).json()).toMatchObject({ custom: true, template: edited() });

    const doc = await readDocx((await viewer.get(docxUrl(orgA.id, certA))).rawPayload);
    for (const heading of ['二、党建与企业文化', '三、存在问题与整改', '六、附件清单']) {
      expect(doc.paragraphs).toContain(heading);
    }
    expect(doc.paragraphs.some((p) => p.includes('总体符合情况'))).toBe(false);
    expect(doc.paragraphs).toContain('附件按以下顺序装订。');
    const pdf = await readPdf((await viewer.get(docxUrl(orgA.id, certA).replace('.docx', '.pdf'))).rawPayload);
    const text = pdf.text.replace(/\s+/g, '');
    expect(text).toContain('我单位深圳市示例科技有限公司承诺：2026年度自查材料真实有效。');
    expect(text).toContain('二、党建与企业文化');

    // Another workspace keeps the default.
    const other = await readDocx((await b.owner.get(docxUrl(orgB.id, certB))).rawPayload);
    expect(other.paragraphs).toContain('四、总体符合情况');
    expect(other.paragraphs.some((p) => p.includes('党建'))).toBe(false);

    const [entry] = await t.database.db
      .select({ summary: auditLog.summary })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, a.workspaceId), eq(auditLog.action, 'report-template.updated')));
    expect(entry?.summary).toEqual({
      sections: [
        '承 诺 书',
        '企业基本情况',
        '党建与企业文化',
        '存在问题与整改',
        '能力要素自查情况',
        '本年度变更及重要事项',
        '附件清单',
      ],
    });
  });

  it('refuses a template that drops a section, repeats one or uses an unknown placeholder, keeping the saved one', async () => {
    const base = edited();
    const cases: Array<[SelfCheckTemplate, string]> = [
      [{ ...base, sections: base.sections.filter((s) => s.key !== 'domains') }, '缺少“能力要素自查情况”一节'],
      [{ ...base, sections: [...base.sections, base.sections[1]!] }, '“企业基本情况”一节出现了 2 次'],
      [
        { ...base, sections: base.sections.map((s) => (s.key === 'basics' ? { ...s, text: '{公司名称}的情况' } : s)) },
        '不认识的占位符 {公司名称}；可用的占位符：{单位名称}、{年度}',
      ],
      [
        {
          ...base,
          sections: [
            ...base.sections,
            ...Array.from({ length: 10 }, (_, i) => ({
              key: 'custom' as const,
              enabled: true,
              title: `自定义${i}`,
              text: '',
            })),
          ],
        },
        '报告章节',
      ],
      [{ ...base, sections: base.sections.map((s, i) => (i === 2 ? { ...s, title: '  ' } : s)) }, '请填写章节标题'],
      [{ ...base, coverTitle: '' }, '封面标题'],
    ];
    for (const [template, message] of cases) {
      const res = await put(a.owner, a, template);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain(message);
      const preview = await viewer.post(previewUrl(orgA.id, certA), { year: 2026, template });
      expect(preview.statusCode).toBe(400);
    }
    expect((await viewer.get(templateUrl(a))).json().template).toEqual(edited());
    const english = await a.owner.request('PUT', templateUrl(a), cases[4]![0], { 'accept-language': 'en' });
    expect(english.json().error.message).toContain('Enter the section heading');
  });

  it('shows a long table’s first 20 rows in the preview and says how many more the file has', async () => {
    for (let i = 0; i < 23; i++) {
      const res = await a.owner.post(`/api/orgs/${orgA.id}/projects`, {
        name: `验收项目${i}`,
        contractNumber: `HT-2026-${i}`,
        amount: '100000',
        acceptedOn: '2026-03-01',
        status: 'accepted',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const preview = await viewer.post(previewUrl(orgA.id, certA), { year: 2026 });
    const { document } = preview.json<{ document: { blocks: Block[] } }>();
    const projects = document.blocks.find(
      (x): x is Extract<Block, { type: 'table' }> => x.type === 'table' && x.columns[1]?.title === '项目名称',
    )!;
    expect(projects.rows).toHaveLength(20);
    expect(projects.more).toBe(3);
    const doc = await readDocx((await viewer.get(docxUrl(orgA.id, certA))).rawPayload);
    expect(doc.tables.flat().filter((r) => r[1]?.startsWith('验收项目'))).toHaveLength(23);
  });

  it('goes back to the default when an admin resets it', async () => {
    expect((await manager.delete(templateUrl(a))).statusCode).toBe(403);
    const res = await a.owner.delete(templateUrl(a));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ custom: false, template: defaultSelfCheckTemplate() });
    const doc = await readDocx((await viewer.get(docxUrl(orgA.id, certA))).rawPayload);
    expect(doc.paragraphs).toContain('四、总体符合情况');
    expect(doc.paragraphs).toContain('信息系统建设和服务能力评估年度自查报告');
  });

  it('keeps the template to its workspace: another tenant gets 404 and cannot preview with it', async () => {
    expect((await b.owner.get(templateUrl(a))).statusCode).toBe(404);
    expect((await put(b.owner, a, edited())).statusCode).toBe(404);
    expect((await b.owner.post(previewUrl(orgA.id, certA), { year: 2026 })).statusCode).toBe(404);
  });
});
