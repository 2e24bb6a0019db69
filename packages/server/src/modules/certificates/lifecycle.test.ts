// Scenarios of "say only what is true": recorded states drive the obligations, what the engine only
// infers is an alert, a certificate with history is entered without alarms. Today is TEST_NOW
// (2026-11-27, Asia/Shanghai).
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificates, obligations } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import {
  BACKENDS,
  client,
  createOrg,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { ENGINE_VERSION, recomputeStale } from '../obligations/recompute.js';

interface Obligation {
  id: string;
  key: string;
  rule: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  satisfiedOn: string | null;
  completedOn: string | null;
  cancelledOn: string | null;
  cancelReason: string | null;
  nextReminderAt: string | null;
}

interface Message {
  code: string;
  zh: string;
  en: string;
}

/** An English sentence fragment: two or more Latin words in a row. */
const ENGLISH = /[A-Za-z]{3,}[ ,:]+[A-Za-z]{2,}/;

describe.each(BACKENDS)('recorded states, inferences and history (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let orgId: string;
  let seq = 0;
  const path = (certId: string) => `/api/orgs/${orgId}/certificates/${certId}`;
  const list = async (certId: string, query = '') =>
    (await a.owner.get(`/api/orgs/${orgId}/obligations?certificateId=${certId}${query}`)).json().items as Obligation[];
  const create = async (level: string, issuedOn: string, extra: Record<string, unknown> = {}) => {
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level,
      number: `${level}-TEST-${++seq}`,
      issuer: '中国电子信息行业联合会',
      issuedOn,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const detail = async (certId: string) => (await a.owner.get(path(certId))).json();

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    orgId = (await createOrg(a, CREDIT_CODES[0], '深圳市历史科技有限公司')).id;
  });
  afterAll(() => t.close());

  it('enters a CS3 certificate of 2025-03-15 without an inferred state: an alert, and the public page says 有效', async () => {
    const certId = await create('CS3', '2025-03-15', { public: true });
    const cert = await detail(certId);
    expect(cert.state).toBe('active');
    expect(cert.timeline.map((s: { state: string }) => s.state)).toEqual(['active', 'expired']);
    expect(cert.alerts).toHaveLength(1);
    expect(cert.alerts[0]).toMatchObject({
      code: 'supervision-missed',
      possibleState: 'abandoned',
      possibleFrom: '2026-09-16',
      obligationKey: 'supervision.first',
    });
    expect(cert.alerts[0].zh).toBe(
      '第一次监督评估期限（2026-09-15）已过，尚未记录结果：如已完成请补录；否则证书可能被视为放弃',
    );
    // The dashboard names it among the red lines, in both languages.
    const dash = (await a.owner.get(`/api/workspaces/${a.workspaceId}/dashboard`)).json();
    const line = dash.redLines.find((r: { certificateId: string }) => r.certificateId === certId);
    expect(line).toMatchObject({ kind: 'needs-record', title: cert.alerts[0].zh, titleEn: cert.alerts[0].en });
    expect(dash.certificates.byState.abandoned).toBeUndefined();
    const page = await client(t.app, null).request('GET', cert.publicUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('有效');
    expect(page.body).not.toContain('视为放弃');
    // A complaint still has its deadline: 7 working days from 2026-11-20.
    const complaint = await a.owner.post(`${path(certId)}/events/preview`, { type: 'complaint', date: '2026-11-20' });
    expect(complaint.statusCode, complaint.body).toBe(200);
    expect(complaint.json().obligations).toMatchObject([{ rule: 'complaint.response', dueDate: '2026-12-01' }]);
    expect(complaint.json().warnings).toEqual([]);
    expect(complaint.json().resolvedAlerts).toEqual([]);
    // Recording the supervision settles the alert: the form says so before saving.
    const supervision = await a.owner.post(`${path(certId)}/events/preview`, {
      type: 'supervision.done',
      date: '2026-06-10',
      passed: true,
    });
    expect(supervision.json().resolvedAlerts.map((x: Message) => x.code)).toEqual(['supervision-missed']);
  });

  it('records the history step: supervision 2026-06-10 and duties kept before today leave 0 overdue', async () => {
    const certId = await create('CS3', '2025-03-15');
    const overdueBefore = await list(certId, '&status=overdue');
    expect(overdueBefore.length).toBeGreaterThan(20);
    const body = {
      supervisions: [{ date: '2026-06-10', passed: true }],
      periodicDoneBefore: '2026-11-27',
    };
    const dry = await a.owner.post(`${path(certId)}/history`, { ...body, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ saved: false, events: 1, overdue: 0, warnings: [], alerts: [] });
    const closing = dry.json().closed as number;
    expect(closing).toBe(overdueBefore.length - 1);
    expect(await list(certId, '&status=overdue')).toHaveLength(overdueBefore.length); // nothing saved

    const saved = await a.owner.post(`${path(certId)}/history`, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ saved: true, events: 1, closed: closing, overdue: 0, alerts: [] });
    expect(await list(certId, '&status=overdue')).toEqual([]);
    const [first] = await list(certId, '&rule=supervision.first');
    expect(first).toMatchObject({
      status: 'done',
      overdue: false,
      satisfiedOn: '2026-06-10',
      completedOn: '2026-06-10',
    });
    expect(first!.nextReminderAt).toBeNull();
    // Each periodic duty keeps its own due date as the completion date.
    const audits = (await list(certId, '&rule=audit.internal')).filter((o) => o.dueDate < '2026-11-27');
    expect(audits.every((o) => o.status === 'done' && o.completedOn === o.dueDate)).toBe(true);
    const [october] = audits.filter((o) => o.key === 'audit.internal:2026-10');
    expect(october).toMatchObject({ dueDate: '2026-10-30', completedOn: '2026-10-30' });
    // The complaint recorded afterwards has its deadline.
    const c = await a.owner.post(`${path(certId)}/events`, { type: 'complaint', date: '2026-11-20' });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().obligations).toMatchObject([{ rule: 'complaint.response', dueDate: '2026-12-01', status: 'open' }]);
    expect((await detail(certId)).alerts).toEqual([]);
  });

  it('checks the history step: a future date, a date before issue, nothing to record', async () => {
    const certId = await create('CS3', '2025-03-15');
    const future = await a.owner.post(`${path(certId)}/history`, {
      supervisions: [{ date: '2026-12-10', passed: true }],
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error).toMatchObject({ field: 'supervisions.0.date' });
    expect(future.json().error.message).toContain('晚于今天');
    const early = await a.owner.post(`${path(certId)}/history`, {
      supervisions: [{ date: '2025-01-10', passed: true }],
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('早于发证日期');
    const empty = await a.owner.post(`${path(certId)}/history`, {});
    expect(empty.statusCode).toBe(400);
    expect(await list(certId, '&status=done')).toEqual([]);
  });

  it('cancels every duty after a recorded revocation: out of overdue counts, reminders and the calendar feed', async () => {
    const certId = await create('CS3', '2025-03-15');
    const res = await a.owner.post(`${path(certId)}/transitions`, {
      to: 'revoked',
      on: '2026-11-01',
      reason: '评估机构撤销资质',
    });
    expect(res.statusCode, res.body).toBe(201);
    const all = await list(certId);
    const after = all.filter((o) => o.dueDate >= '2026-11-01');
    expect(after.length).toBeGreaterThan(30);
    for (const o of after) {
      expect(o).toMatchObject({ status: 'cancelled', overdue: false, cancelledOn: '2026-11-01', nextReminderAt: null });
      expect(o.cancelReason).toBe('证书自 2026-11-01 起已撤销，此项不再需要办理');
    }
    const open = all.filter((o) => o.status === 'open' || o.status === 'in_progress');
    expect(open.every((o) => o.dueDate < '2026-11-01')).toBe(true);
    expect(open.every((o) => o.nextReminderAt === null || o.dueDate < '2026-11-01')).toBe(true);
    expect((await list(certId, '&status=cancelled')).length).toBe(after.length);
    expect((await detail(certId)).state).toBe('revoked');
    // An event after the revocation: the form says so before saving.
    const preview = await a.owner.post(`${path(certId)}/events/preview`, { type: 'complaint', date: '2026-11-20' });
    expect(preview.json().obligations).toEqual([]);
    expect(preview.json().warnings.map((w: Message) => w.code)).toEqual(['event-after-terminal']);
    expect(preview.json().warnings[0].zh).toContain('已撤销');
    // The calendar feed leaves them out.
    // A feed of everything, finished work included: still without the cancelled duties.
    const feed = (
      await a.owner.post('/api/calendar/feeds', {
        workspaceId: a.workspaceId,
        daysBack: 3650,
        daysAhead: 3650,
        includeFinished: true,
      })
    ).json();
    const ics = (await client(t.app, null).request('GET', new URL(feed.url).pathname)).body;
    for (const o of after) expect(ics).not.toContain(`${o.id}@zizhi`);
    const { db } = t.database;
    const rows = await withSystem(db, (tx) =>
      tx
        .select({ id: obligations.id })
        .from(obligations)
        .where(and(eq(obligations.certificateId, certId), isNotNull(obligations.nextReminderAt))),
    );
    for (const r of rows) expect(after.map((o) => o.id)).not.toContain(r.id);
  });

  it('marks a supervision recorded as passed done everywhere: lists, overdue, the feed', async () => {
    const certId = await create('CS3', '2025-03-15');
    const ev = await a.owner.post(`${path(certId)}/events`, {
      type: 'supervision.done',
      date: '2026-06-10',
      passed: true,
    });
    expect(ev.statusCode, ev.body).toBe(201);
    const [first] = await list(certId, '&rule=supervision.first');
    expect(first).toMatchObject({ status: 'done', overdue: false, satisfiedOn: '2026-06-10' });
    expect((await list(certId, '&status=overdue')).map((o) => o.rule)).not.toContain('supervision.first');
    expect((await list(certId, '&status=open')).map((o) => o.rule)).not.toContain('supervision.first');
    expect((await list(certId, '&status=done')).map((o) => o.rule)).toContain('supervision.first');
    const feed = (
      await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, includeFinished: true })
    ).json();
    const ics = (await client(t.app, null).request('GET', new URL(feed.url).pathname)).body.replace(/\r\n /g, '');
    const block = ics.split('BEGIN:VEVENT').find((b) => b.includes(`${first!.id}@zizhi`))!;
    expect(block).toMatch(/SUMMARY:✔ /);
  });

  it('treats a failed supervision as an alert until the suspension is recorded; the rectification replaces the supervision', async () => {
    // Issued 2025-06-10: the first supervision is due by 2026-12-10; it fails on 2026-10-20.
    const certId = await create('CS3', '2025-06-10', { public: true });
    const ev = await a.owner.post(`${path(certId)}/events`, {
      type: 'supervision.done',
      date: '2026-10-20',
      passed: false,
    });
    expect(ev.statusCode, ev.body).toBe(201);
    expect(ev.json().warnings.map((w: Message) => w.code)).toEqual(['supervision-failed-not-done']);
    let cert = await detail(certId);
    expect(cert.state).toBe('active');
    expect(cert.alerts.map((x: Message) => x.code)).toEqual(['supervision-failed']);
    expect(cert.alerts[0]).toMatchObject({ possibleState: 'suspended', possibleFrom: '2026-10-20' });
    expect((await client(t.app, null).request('GET', cert.publicUrl)).body).not.toContain('暂停');
    const [plan] = await list(certId, '&rule=supervision.failed');
    expect(plan).toMatchObject({ dueDate: '2026-11-04', status: 'open' });

    const s = await a.owner.post(`${path(certId)}/transitions`, {
      to: 'suspended',
      on: '2026-10-26',
      reason: '获准整改期 3 个月',
    });
    expect(s.statusCode, s.body).toBe(201);
    cert = await detail(certId);
    expect(cert.state).toBe('suspended');
    expect(cert.alerts).toEqual([]);
    // The rectification period counts from the recorded suspension.
    const [reassess] = await list(certId, '&rule=supervision.failed.reassess');
    expect(reassess).toMatchObject({ dueDate: '2027-01-26', status: 'open', overdue: false });
    const [first] = await list(certId, '&rule=supervision.first');
    expect(first).toMatchObject({ status: 'cancelled', overdue: false, nextReminderAt: null });
    expect(first!.cancelReason).toContain('重新评估代替');

    const passed = await a.owner.post(`${path(certId)}/events`, {
      type: 'supervision.done',
      date: '2026-11-20',
      passed: true,
    });
    expect(passed.statusCode, passed.body).toBe(201);
    cert = await detail(certId);
    expect(cert.state).toBe('active');
    expect(cert.alerts).toEqual([]);
    expect((await list(certId, '&rule=supervision.first'))[0]).toMatchObject({
      status: 'done',
      satisfiedOn: '2026-11-20',
    });
    expect((await list(certId, '&rule=supervision.failed.reassess'))[0]).toMatchObject({ status: 'done' });
  });

  it('records CS1/CS2 self-checks: a submitted year is done, a missed one an alert, an abnormal one a re-check', async () => {
    const certId = await create('CS2', '2024-06-01');
    let cert = await detail(certId);
    expect(cert.alerts.map((x: Message) => x.code)).toEqual(['self-check-missed', 'self-check-missed']);
    expect(cert.alerts[0].zh).toMatch(
      /^2025 年度自查期限（2025-06-03）已过，尚未记录提交：如已提交请补录；否则证书可能被视为放弃$/,
    );
    const h = await a.owner.post(`${path(certId)}/history`, {
      selfChecks: [
        { year: 2025, date: '2025-05-20', result: 'normal' },
        { year: 2026, date: '2026-05-25', result: 'abnormal' },
      ],
    });
    expect(h.statusCode, h.body).toBe(200);
    cert = await detail(certId);
    expect(cert.state).toBe('active');
    expect(cert.alerts).toEqual([]);
    const checks = await list(certId, '&rule=self-check.annual');
    expect(checks.filter((o) => o.status === 'done').map((o) => o.satisfiedOn)).toEqual(['2025-05-20', '2026-05-25']);
    const [recheck] = await list(certId, '&rule=self-check.onsite-recheck');
    expect(recheck).toMatchObject({ dueDate: '2026-06-15' });
    // A self-check for a year the certificate does not have is flagged.
    const odd = await a.owner.post(`${path(certId)}/events/preview`, {
      type: 'self-check.submitted',
      date: '2026-06-01',
      year: 2031,
      result: 'normal',
    });
    expect(odd.json().warnings.map((w: Message) => w.code)).toEqual(['self-check-year-unknown']);
  });

  it('warns, without refusing, about events that do not fit: in the user’s language', async () => {
    const certId = await create('CS3', '2025-03-15');
    const preview = async (body: Record<string, unknown>) => {
      const res = await a.owner.post(`${path(certId)}/events/preview`, body);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().warnings as Message[];
    };
    const codes = async (body: Record<string, unknown>) => (await preview(body)).map((w) => w.code);
    expect(await codes({ type: 'supervision.done', date: '2026-01-10', passed: true })).toEqual([
      'supervision-outside-window',
    ]);
    expect(await codes({ type: 'complaint', date: '2026-12-20' })).toEqual(['event-in-future']);
    expect(await codes({ type: 'complaint', date: '2025-01-20' })).toEqual(['event-before-issue']);
    expect(await codes({ type: 'supervision.done', date: '2026-08-10', passed: false })).toEqual([
      'supervision-failed-not-done',
    ]);
    expect(await codes({ type: 'renewal.applied', date: '2026-11-20' })).toEqual(['renewal-early']);
    expect(await codes({ type: 'upgrade.applied', date: '2025-10-01' })).toEqual(['upgrade-too-early']);
    for (const body of [
      { type: 'supervision.done', date: '2026-01-10', passed: true },
      { type: 'complaint', date: '2026-12-20' },
      { type: 'renewal.applied', date: '2026-11-20' },
    ]) {
      for (const w of await preview(body)) {
        expect(w.zh).not.toMatch(ENGLISH);
        expect(w.en).toMatch(ENGLISH);
      }
    }
    // A third passed supervision.
    for (const date of ['2026-06-10', '2026-10-10']) {
      expect(
        (await a.owner.post(`${path(certId)}/events`, { type: 'supervision.done', date, passed: true })).statusCode,
      ).toBe(201);
    }
    expect(await codes({ type: 'supervision.done', date: '2026-11-20', passed: true })).toEqual(['supervision-third']);
  });

  it('refuses a state change dated before the last recorded one, saying why', async () => {
    const certId = await create('CS3', '2025-03-15');
    const s = await a.owner.post(`${path(certId)}/transitions`, { to: 'suspended', on: '2026-10-01', reason: '整改' });
    expect(s.statusCode, s.body).toBe(201);
    const back = await a.owner.post(`${path(certId)}/transitions`, { to: 'revoked', on: '2026-09-01', reason: '撤销' });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.message).toContain('2026-10-01');
  });

  it('recomputes at start what an older release computed: a revoked certificate’s duties become cancelled', async () => {
    const certId = await create('CS3', '2025-03-15');
    const { db } = t.database;
    const res = await a.owner.post(`${path(certId)}/transitions`, { to: 'revoked', on: '2026-11-01', reason: '撤销' });
    expect(res.statusCode).toBe(201);
    // As the previous release left it: nothing cancelled, reminders planned, state as recorded.
    await withSystem(db, async (tx) => {
      await tx
        .update(obligations)
        .set({
          cancelledOn: null,
          cancelReason: null,
          cancelReasonEn: null,
          nextReminderAt: new Date('2027-01-01T00:00:00Z'),
        })
        .where(eq(obligations.certificateId, certId));
      await tx.update(certificates).set({ engineVersion: 0 }).where(eq(certificates.id, certId));
    });
    expect((await list(certId, '&status=cancelled')).length).toBe(0);
    expect(await recomputeStale(db)).toBeGreaterThanOrEqual(1);
    expect((await list(certId, '&status=cancelled')).length).toBeGreaterThan(30);
    const [row] = await withSystem(db, (tx) =>
      tx.select({ v: certificates.engineVersion }).from(certificates).where(eq(certificates.id, certId)),
    );
    expect(row!.v).toBe(ENGINE_VERSION);
  });
});
