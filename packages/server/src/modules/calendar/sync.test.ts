import os from 'node:os';
import { calendarRevision, isYearPublished, resetCalendarYears } from '@zizhi/core';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import type { Database } from '../../db/client.js';
import { calendarYears, obligations } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { createCertificate } from '../../test/factories.js';
import {
  BACKENDS,
  TEST_NOW,
  client,
  createOrg,
  createTestDatabase,
  setupAdmin,
  type Client,
  type Tenant,
} from '../../test/harness.js';

const YEAR_2031 = {
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

const YEAR_2027 = {
  year: 2027,
  papers: ['https://www.gov.cn/zhengce/content/2026-11/01/example.htm'],
  days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }],
};

/**
 * A second server process: fresh copies of the server and core modules, so it holds its own
 * calendar in memory, as another process on the same database would.
 */
async function startOtherProcess() {
  vi.resetModules();
  const clock = await import('../../clock.js');
  clock.setClock(() => TEST_NOW);
  const [app, core, recompute] = await Promise.all([
    import('../../app.js'),
    import('@zizhi/core'),
    import('../obligations/recompute.js'),
  ]);
  return { buildApp: app.buildApp, core, recompute };
}

describe.each(BACKENDS)('one calendar for every server process (%s)', (backend) => {
  let database: Database;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  let other: Awaited<ReturnType<typeof startOtherProcess>>;
  let admin: Tenant;
  let adminOnB: Client;
  let complaintCertId: string;
  let december2026CertId: string;

  beforeAll(async () => {
    resetCalendarYears();
    database = await createTestDatabase(backend);
    const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent' });
    appA = await buildApp({ database, config, logger: false });
    other = await startOtherProcess();
    appB = await other.buildApp({ database, config, logger: false });
    admin = await setupAdmin(appA);
    // Sessions live in the database: the same log-in works on either process.
    adminOnB = client(appB, admin.owner.auth);
    const org = await createOrg(admin);
    complaintCertId = await createCertificate(database.db, {
      orgId: org.id,
      level: 'CS3',
      number: 'CS3-2027-0001',
      issuedOn: '2027-03-15',
      events: [{ type: 'complaint', date: '2031-01-20' }],
    });
    december2026CertId = await createCertificate(database.db, {
      orgId: org.id,
      level: 'CS3',
      number: 'CS3-2025-0001',
      issuedOn: '2025-03-15',
    });
  });
  afterAll(async () => {
    await appA.close();
    await appB.close();
    await database.close();
    resetCalendarYears();
  });

  const stored = (certificateId: string, column: 'rule' | 'key', value: string) =>
    withSystem(database.db, async (tx) => {
      const [row] = await tx
        .select({ dueDate: obligations.dueDate, provisional: obligations.provisional })
        .from(obligations)
        .where(and(eq(obligations.certificateId, certificateId), eq(obligations[column], value)));
      return row!;
    });
  const complaintDeadline = () => stored(complaintCertId, 'rule', 'complaint.response');
  const decemberAudit = () => stored(december2026CertId, 'key', 'audit.internal:2026-12');
  const recomputeOnB = (certificateId: string) =>
    withSystem(database.db, (tx) => other.recompute.recomputeCertificate(tx, certificateId));
  const yearsOnB = async () =>
    ((await adminOnB.get('/api/calendar/years')).json().items as { year: number }[]).map((y) => y.year);

  it('runs the second process with a calendar of its own', () => {
    expect(other.core.isYearPublished).not.toBe(isYearPublished);
  });

  it('keeps late-December dates provisional until the next year is stored, then recomputes them at start', async () => {
    // The last working day of December 2026 waits for the 2027 notice (its New Year holiday).
    expect(await decemberAudit()).toEqual({ dueDate: '2026-12-31', provisional: true });
    // Nothing became final: the start-up pass recomputes nothing, however often it runs.
    expect(await other.recompute.recomputeStale(database.db)).toBe(0);
    // 2027 stored by another process that recomputed nothing (it stopped, or an older release).
    await database.db.insert(calendarYears).values({ year: 2027, data: YEAR_2027 });
    expect(other.core.isYearPublished(2027)).toBe(false);
    expect(await other.recompute.recomputeStale(database.db)).toBeGreaterThan(0);
    expect(other.core.isYearPublished(2027)).toBe(true);
    expect(await decemberAudit()).toEqual({ dueDate: '2026-12-31', provisional: false });
  });

  it('counts a year imported through one process in the other from its next recompute, without a restart', async () => {
    // The second process has counted with its calendar already: 2031 is unknown to it.
    await recomputeOnB(complaintCertId);
    expect(await complaintDeadline()).toEqual({ dueDate: '2031-01-29', provisional: true });

    const res = await admin.owner.post('/api/calendar/years', YEAR_2031);
    expect(res.statusCode).toBe(201);
    // The importing process recomputes in the background: wait for it.
    for (;;) {
      const status = (await admin.owner.get('/api/calendar/recompute')).json();
      if (status.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // 7 working days from 2031-01-20 on the notice: the 22nd–24th off, Saturday the 25th worked.
    expect(await complaintDeadline()).toEqual({ dueDate: '2031-01-31', provisional: false });
    expect(other.core.isYearPublished(2031)).toBe(false);

    // Its next recompute checks the stored calendar first and does not write the weekday rule back.
    await recomputeOnB(complaintCertId);
    expect(other.core.isYearPublished(2031)).toBe(true);
    expect(await complaintDeadline()).toEqual({ dueDate: '2031-01-31', provisional: false });
  });

  it('follows removals and imports made elsewhere at its next request, and reloads nothing otherwise', async () => {
    expect(await yearsOnB()).toContain(2031);
    const revision = other.core.calendarRevision();
    expect(await yearsOnB()).toContain(2031);
    expect(other.core.calendarRevision()).toBe(revision);

    await database.db.delete(calendarYears).where(eq(calendarYears.year, 2031));
    expect(await yearsOnB()).not.toContain(2031);

    const res = await adminOnB.post('/api/calendar/years', YEAR_2031);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ year: 2031, source: 'imported' });
    // The first process learns it from the store at its next request as well.
    const revisionA = calendarRevision();
    const years = (await admin.owner.get('/api/calendar/years')).json().items as { year: number }[];
    expect(years.map((y) => y.year)).toContain(2031);
    expect(calendarRevision()).not.toBe(revisionA);
  });
});
