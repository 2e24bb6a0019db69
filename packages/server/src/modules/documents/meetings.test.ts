import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, obligations } from '../../db/schema.js';
import { addEvent, createCertificate } from '../../test/factories.js';
import { readDocx, readPdf } from '../../test/documents.js';
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
import { quarterBounds } from './agenda.js';

describe('quarters', () => {
  it('spans each quarter from its first day to its last', () => {
    expect(quarterBounds('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(quarterBounds('2024-Q1')?.to).toBe('2024-03-31');
    expect(quarterBounds('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterBounds('2026-Q5')).toBeNull();
  });
});

describe.each(BACKENDS)('quarterly meetings (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let certA: string;
  let manager: { client: Client; userId: string };
  let viewer: Client;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司');
    certA = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS2',
      number: 'CS2-4403-2024-0123',
      issuedOn: '2024-05-20',
      events: [
        { type: 'policy.update', date: '2026-07-20', data: { note: '电子联合会发布评估标准修订稿' } },
        { type: 'complaint', date: '2026-08-03' },
      ],
    });
    const m = await addMember(t.app, a, 'manager');
    manager = { client: m.client, userId: m.userId };
    viewer = (await addMember(t.app, a, 'viewer')).client;
  });
  afterAll(() => t.close());

  const meetings = () => `/api/orgs/${orgA.id}/meetings`;

  it('plans the quarter’s meeting with an agenda from the quarter, records minutes and action items, and finalises them', async () => {
    const planned = await manager.client.post(meetings(), { certificateId: certA, quarter: '2026-Q3' });
    expect(planned.statusCode, planned.body).toBe(201);
    const meeting = planned.json();
    const titles = meeting.agenda.map((s: { title: string }) => s.title);
    expect(titles).toEqual([
      '本季度义务完成情况',
      '未来 90 天的截止事项',
      '达标情况变化和预测',
      '内部检查纠正措施跟踪',
      '政策和标准更新',
      '其他事项',
    ]);
    const lines = meeting.agenda.flatMap((s: { lines: string[] }) => s.lines) as string[];
    expect(lines.some((l) => /^本季度（2026-07-01 至 2026-09-30）到期的义务 \d+ 项/.test(l))).toBe(true);
    expect(lines).toContain('2026-07-20：电子联合会发布评估标准修订稿（影响评审办理中）');
    expect(lines.some((l) => l.startsWith('逾期：投诉'))).toBe(true);

    // Minutes and an action item (a duty on the certificate, reminded like any other).
    const early = await manager.client.post(`${meetings()}/${meeting.id}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('请先填写会议日期和参会人员，再定稿会议纪要');
    const minutes = await manager.client.patch(`${meetings()}/${meeting.id}`, {
      heldOn: '2026-10-12',
      place: '公司三楼会议室',
      chair: '赵总',
      attendees: ['赵总', '钱专员', '孙工'],
      decisions: '9 月前补齐项目验收报告\n资质专员每月核对社保名单',
    });
    expect(minutes.statusCode, minutes.body).toBe(200);
    const action = await manager.client.post(`${meetings()}/${meeting.id}/actions`, {
      title: '补齐三个项目的验收报告',
      dueDate: '2026-12-20',
    });
    expect(action.statusCode, action.body).toBe(201);
    expect(action.json().actions).toEqual([
      expect.objectContaining({
        title: '补齐三个项目的验收报告',
        dueDate: '2026-12-20',
        status: 'open',
        assigneeId: manager.userId,
        assigneeName: 'manager 成员',
      }),
    ]);
    await addEvent(t.database.db, certA, { type: 'complaint', date: '2026-11-02' });
    const kept = await t.database.db
      .select({ origin: obligations.origin, rule: obligations.rule })
      .from(obligations)
      .where(and(eq(obligations.certificateId, certA), like(obligations.key, 'meeting.action:%')));
    expect(kept).toEqual([{ origin: 'person', rule: 'meeting.action' }]);

    const word = await viewer.get(`${meetings()}/${meeting.id}/minutes.docx`);
    expect(word.statusCode).toBe(200);
    const doc = await readDocx(word.rawPayload);
    expect(doc.paragraphs).toContain('资质维护季度会议纪要');
    expect(doc.paragraphs).toContain('（2026年第三季度）');
    expect(doc.paragraphs).toContain('2. 资质专员每月核对社保名单');
    expect(doc.tables.flat()).toContainEqual(['参会人员', '赵总、钱专员、孙工']);
    expect(doc.tables.flat()).toContainEqual(['1', '补齐三个项目的验收报告', 'manager 成员', '2026-12-20', '待处理']);

    // Final: kept as a document version, the quarter's meeting duty done on the meeting day.
    const closed = await manager.client.post(`${meetings()}/${meeting.id}/close`, {});
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    const [duty] = await t.database.db
      .select()
      .from(obligations)
      .where(eq(obligations.id, closed.json().obligationId as string));
    expect(duty).toMatchObject({ rule: 'meeting.quarterly', status: 'done', completedOn: '2026-10-12' });
    const [version] = await t.database.db
      .select()
      .from(documents)
      .where(and(eq(documents.kind, 'meeting-minutes'), eq(documents.period, meeting.id)));
    const pdf = await readPdf((await viewer.get(`/api/orgs/${orgA.id}/files/${version!.fileId}`)).rawPayload);
    expect(pdf.text.replace(/\s+/g, '')).toContain('补齐三个项目的验收报告');
    expect((await manager.client.patch(`${meetings()}/${meeting.id}`, { place: '线上' })).statusCode).toBe(409);
  });

  it('refuses a quarter not begun or badly written, and keeps other tenants and viewers out', async () => {
    const future = await manager.client.post(meetings(), { certificateId: certA, quarter: '2027-Q1' });
    expect(future.json().error).toMatchObject({
      field: 'quarter',
      message: '2027-Q1 还没有开始，只能为本季度或以往季度开会',
    });
    const bad = await manager.client.post(meetings(), { certificateId: certA, quarter: '2026Q4' });
    expect(bad.json().error).toMatchObject({ field: 'quarter', message: '季度应写作 YYYY-Qn，如 2026-Q4' });
    const meeting = (await manager.client.post(meetings(), { certificateId: certA, quarter: '2026-Q4' })).json();
    const foreign = [
      await b.owner.get(`${meetings()}/${meeting.id}`),
      await b.owner.patch(`${meetings()}/${meeting.id}`, { place: 'x' }),
      await b.owner.post(`${meetings()}/${meeting.id}/actions`, { title: 'x', dueDate: '2026-12-01' }),
      await b.owner.post(`${meetings()}/${meeting.id}/close`, {}),
      await b.owner.get(`${meetings()}/${meeting.id}/minutes.pdf`),
    ];
    expect(foreign.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404]);
    expect((await viewer.post(meetings(), { certificateId: certA, quarter: '2026-Q4' })).statusCode).toBe(403);
    expect((await viewer.patch(`${meetings()}/${meeting.id}`, { place: 'x' })).statusCode).toBe(403);
    expect((await viewer.get(`${meetings()}/${meeting.id}/minutes.pdf`)).statusCode).toBe(200);
  });
});
