import { isYearPublished, resetCalendarYears } from '@zizhi/core';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, obligations } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import {
  addMember,
  BACKENDS,
  client,
  createOrg,
  createTenant,
  createTestApp,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { createCertificate } from '../../test/factories.js';
import { seedCertificates } from '../../test/consultancy-seed.js';

const YEAR_2031 = {
  $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
  year: 2031,
  papers: ['https://www.gov.cn/zhengce/content/2030-11/01/example.htm'],
  days: [
    { name: '元旦', date: '2031-01-01', isOffDay: true },
    { name: '春节', date: '2031-01-22', isOffDay: true },
    { name: '春节', date: '2031-01-23', isOffDay: true },
    { name: '春节', date: '2031-01-24', isOffDay: true },
    { name: '春节', date: '2031-01-25', isOffDay: false },
  ],
};

/** Waits for the background recompute a calendar import started; its last status. */
async function recomputed(tenant: Tenant) {
  for (;;) {
    const status = (await tenant.owner.get('/api/calendar/recompute')).json();
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(BACKENDS)('calendar years (%s)', (backend) => {
  let t: TestApp;
  let admin: Tenant;
  let other: Tenant;
  let certId: string;
  beforeAll(async () => {
    resetCalendarYears();
    t = await createTestApp(backend);
    admin = await setupAdmin(t.app);
    other = await createTenant(t.app, admin.owner);
    const org = await createOrg(admin);
    // Valid into 2031: its complaint deadline there is provisional until the year is published.
    certId = await createCertificate(t.database.db, {
      orgId: org.id,
      level: 'CS3',
      number: 'CS3-2027-0001',
      issuedOn: '2027-03-15',
      events: [{ type: 'complaint', date: '2031-01-20' }],
    });
  });
  afterAll(async () => {
    await t.close();
    resetCalendarYears();
  });

  const complaintDeadline = () =>
    withSystem(t.database.db, async (tx) => {
      const [row] = await tx
        .select({ dueDate: obligations.dueDate, provisional: obligations.provisional })
        .from(obligations)
        .where(and(eq(obligations.certificateId, certId), eq(obligations.rule, 'complaint.response')));
      return row!;
    });

  it('lists the published years with their source to any logged-in user, not to anonymous callers', async () => {
    const res = await other.owner.get('/api/calendar/years');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toContainEqual({ year: 2026, papers: expect.any(Array), source: 'builtin' });
    expect(items.some((y: { year: number }) => y.year === 2031)).toBe(false);
    expect((await client(t.app, null).get('/api/calendar/years')).statusCode).toBe(401);
  });

  it('refuses an import by anyone but an instance administrator (403), even a workspace owner', async () => {
    const owner = await other.owner.post('/api/calendar/years', YEAR_2031);
    expect(owner.statusCode).toBe(403);
    const member = await addMember(t.app, admin, 'admin');
    expect((await member.client.post('/api/calendar/years', YEAR_2031)).statusCode).toBe(403);
    expect(isYearPublished(2031)).toBe(false);
  });

  it('lists every problem of an invalid year file (400) and imports nothing', async () => {
    const res = await admin.owner.post('/api/calendar/years', {
      year: 2031,
      papers: [],
      days: [
        { name: '元旦', date: '2031-01-01', isOffDay: true },
        { name: '元旦', date: '2031-01-01', isOffDay: true },
        { name: '劳动节', date: '2033-05-01', isOffDay: true },
        { name: '国庆', date: '2031-10-01', isOffDay: 'yes' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const { code, message } = res.json().error;
    expect(code).toBe('INVALID_INPUT');
    expect(message).toContain('日历年度文件有误');
    expect(message).toContain('days[1].date 2031-01-01 appears more than once');
    expect(message).toContain('days[2].date 2033-05-01 is outside 2031');
    expect(message).toContain('days[3].isOffDay');
    expect(isYearPublished(2031)).toBe(false);
  });

  it('imports a new year, recomputes certificates so its dates stop being provisional, and audits it', async () => {
    // Weekday rule while 2031 is unpublished: 21–24, 27–29 January.
    expect(await complaintDeadline()).toEqual({ dueDate: '2031-01-29', provisional: true });
    const res = await admin.owner.post('/api/calendar/years', YEAR_2031);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ year: 2031, papers: YEAR_2031.papers, source: 'imported' });
    expect(res.json().recompute).toMatchObject({ year: 2031, state: expect.stringMatching(/running|done/) });
    expect(await recomputed(admin)).toMatchObject({ state: 'done', year: 2031, total: 1, done: 1 });
    // 7 working days from 2031-01-20 on the notice: the 22nd–24th off, Saturday the 25th worked.
    expect(await complaintDeadline()).toEqual({ dueDate: '2031-01-31', provisional: false });
    const years = (await other.owner.get('/api/calendar/years')).json().items;
    expect(years).toContainEqual({ year: 2031, papers: YEAR_2031.papers, source: 'imported' });
    const audit = await withSystem(t.database.db, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'calendar.year-imported')),
    );
    expect(audit.map((r) => r.actorId)).toEqual([admin.ownerId]);
  });

  it('refuses to replace a built-in year (409) unless asked to with ?replace=true', async () => {
    const file = {
      year: 2026,
      papers: ['https://www.gov.cn/replacement'],
      days: [{ name: '元旦', date: '2026-01-01', isOffDay: true }],
    };
    const refused = await admin.owner.post('/api/calendar/years', file);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('?replace=true');
    const replaced = await admin.owner.post('/api/calendar/years?replace=true', file);
    expect(replaced.statusCode).toBe(201);
    expect(replaced.json()).toMatchObject({ year: 2026, source: 'imported' });
  });
});

describe('the recompute after a calendar import (pglite)', () => {
  let t: TestApp;
  let admin: Tenant;

  beforeAll(async () => {
    resetCalendarYears();
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
    const orgs = [(await createOrg(admin)).id];
    await seedCertificates(t.database.db, orgs, 80);
  }, 300_000);
  afterAll(async () => {
    await t.close();
    resetCalendarYears();
  });

  it('runs in the background with progress while other requests are answered', async () => {
    const res = await admin.owner.post('/api/calendar/years', YEAR_2031);
    expect(res.statusCode, res.body).toBe(201);
    // Requests made meanwhile are answered before the recompute is through.
    const health = await admin.owner.get('/api/health');
    expect(health.statusCode).toBe(200);
    const list = await admin.owner.get(`/api/workspaces/${admin.workspaceId}/obligations?limit=10`);
    expect(list.statusCode).toBe(200);
    const during = (await admin.owner.get('/api/calendar/recompute')).json();
    expect(during).toMatchObject({ state: 'running', year: 2031, total: 80 });
    expect(during.done).toBeLessThan(80);
    // Only instance administrators see it.
    const member = await addMember(t.app, admin, 'manager');
    expect((await member.client.get('/api/calendar/recompute')).statusCode).toBe(403);
    expect(await recomputed(admin)).toMatchObject({ state: 'done', total: 80, done: 80 });
  });
});
