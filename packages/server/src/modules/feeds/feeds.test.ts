import os from 'node:os';
import { PassThrough } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import { auditLog, obligations, organisations, workspaces } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import {
  addMember,
  BACKENDS,
  client,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Client,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { recomputeCertificate } from '../obligations/recompute.js';
import { addEvent, createCertificate } from '../../test/factories.js';
import { buildObligationsCalendar, shortOrgName, type FeedItem } from './ics.js';

interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  url: string;
  status: string | null;
  isDate: boolean;
  start: ICAL.Time;
}

/** Parses an ICS body with a real parser (ical.js), resolving Asia/Shanghai from its VTIMEZONE. */
function parseIcs(text: string): { name: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = calendar.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      url: String(c.getFirstPropertyValue('url')),
      status: (c.getFirstPropertyValue('status') as string | null) ?? null,
      isDate: e.startDate.isDate,
      start: e.startDate,
    };
  });
  return { name: String(calendar.getFirstPropertyValue('x-wr-calname')), events };
}

describe.each(BACKENDS)('calendar feeds (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let certA: string;
  let certA2: string;
  const feedPath = (url: string) => new URL(url).pathname;
  const ics = (c: Client, url: string) => c.request('GET', feedPath(url));
  const anonymous = () => client(t.app, null);

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    const orgA = await createOrg(a, CREDIT_CODES[0], '甲科技有限公司');
    const orgA2 = await createOrg(a, CREDIT_CODES[1], '乙信息技术有限公司');
    const orgB = await createOrg(b, CREDIT_CODES[0], '丙公司');
    const { db } = t.database;
    certA = await createCertificate(db, {
      orgId: orgA.id,
      level: 'CS3',
      number: 'CS3-2025-0001',
      issuedOn: '2025-03-15',
      events: [
        { type: 'supervision.done', date: '2026-06-10', data: { passed: true } },
        { type: 'complaint', date: '2026-09-28' },
        { type: 'incident', at: '2026-05-01T14:30:00+08:00' },
      ],
    });
    certA2 = await createCertificate(db, {
      orgId: orgA2.id,
      level: 'CS2',
      number: 'CS2-2024-0007',
      issuedOn: '2024-06-01',
    });
    await createCertificate(db, { orgId: orgB.id, level: 'CS4', number: 'CS4-2025-0100', issuedOn: '2025-01-10' });
  });
  afterAll(() => t.close());

  // A feed of every obligation ever (the default shows open work from 90 days back to 2 years ahead).
  const EVERYTHING = { daysBack: 3650, daysAhead: 3650, includeFinished: true };

  const countObligations = (workspaceId: string, orgId?: string) =>
    withSystem(t.database.db, async (tx) => {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(obligations)
        .innerJoin(organisations, eq(organisations.id, obligations.orgId))
        .where(and(eq(organisations.workspaceId, workspaceId), orgId ? eq(organisations.id, orgId) : undefined));
      return Number(row!.n);
    });

  it('creates a feed whose URL holds a token shown once, lists it without the token and audits it', async () => {
    const res = await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId });
    expect(res.statusCode).toBe(201);
    const feed = res.json();
    expect(feed.token).toMatch(/^zzc_[\w-]{40,}$/);
    expect(feed.url).toBe(`http://localhost:80/api/calendar/${feed.token}.ics`);
    const list = (await a.owner.get('/api/calendar/feeds')).json().items;
    expect(list).toContainEqual({
      id: feed.id,
      workspaceId: a.workspaceId,
      createdAt: expect.any(String),
      daysBack: 90,
      daysAhead: 730,
      includeFinished: false,
      orgIds: null,
      rules: null,
      assignedToMe: false,
    });
    expect(JSON.stringify(list)).not.toContain(feed.token);
    const rows = await withSystem(t.database.db, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.targetId, feed.id)),
    );
    expect(rows.map((r) => r.action)).toEqual(['feed.created']);
    expect(JSON.stringify(rows)).not.toContain(feed.token);
  });

  it('returns 404 for a feed of another workspace, and for another member’s feed', async () => {
    expect((await b.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).statusCode).toBe(404);
    const mine = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
    expect((await b.owner.delete(`/api/calendar/feeds/${mine.id}`)).statusCode).toBe(404);
    const theirs = (await b.owner.get('/api/calendar/feeds')).json().items;
    expect(theirs.map((f: { id: string }) => f.id)).not.toContain(mine.id);
    expect((await ics(anonymous(), mine.url)).statusCode).toBe(200);
  });

  it('needs a session to create a feed: not an API token, not anonymous', async () => {
    const token = (await a.owner.post('/api/tokens', { name: '脚本' })).json().token;
    const viaToken = await client(t.app, { bearer: token }).post('/api/calendar/feeds', { workspaceId: a.workspaceId });
    expect(viaToken.statusCode).toBe(403);
    expect((await anonymous().post('/api/calendar/feeds', { workspaceId: a.workspaceId })).statusCode).toBe(401);
  });

  it('serves every visible obligation as iCalendar that a real parser reads back', async () => {
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, ...EVERYTHING })).json();
    const res = await ics(anonymous(), feed.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const text = res.body;
    // Line format that Outlook, Apple Calendar and the 钉钉/飞书 importers insist on.
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(text).toContain('X-PUBLISHED-TTL:PT1H');

    const { name, events } = parseIcs(text);
    expect(name).toMatch(/^资质义务 · \S/);
    expect(events.length).toBe(await countObligations(a.workspaceId));
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.uid.endsWith('@zizhi'))).toBe(true);
    expect((text.match(/^DTSTAMP:\d{8}T\d{6}Z$/gm) ?? []).length).toBe(events.length);
    // Soonest first.
    const days = [...text.matchAll(/^DTSTART[^:]*:(\d{8})/gm)].map((m) => m[1]!);
    expect(days).toEqual([...days].sort());

    const complaint = events.find((e) => e.summary.startsWith('投诉调查与整改方案'))!;
    expect(complaint.isDate).toBe(true);
    expect(complaint.start.toString()).toBe('2026-10-13');
    // The organisation as people call it, without its legal form.
    expect(complaint.summary).toBe('投诉调查与整改方案 · 甲科技 · CS3-2025-0001');
    // How the date was counted, in one line; open work says nothing of its status.
    expect(complaint.description).toMatch(/^7 个工作日，自 2026-09-28 起算.*截止 2026-10-13/);
    expect(complaint.description).not.toContain('\n');
    expect(text).toContain('DTSTART;VALUE=DATE:20261013');
    // Each event opens its obligation in the app, as its reminders do.
    const orgs = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items;
    const jia = orgs.find((o: { name: string }) => o.name === '甲科技有限公司');
    const complaintId = complaint.uid.replace(/@zizhi$/, '');
    expect(complaint.url).toBe(`http://localhost:80/orgs/${jia.id}/certificates/${certA}?obligation=${complaintId}`);
    expect(events.every((e) => e.url.endsWith(`?obligation=${e.uid.replace(/@zizhi$/, '')}`))).toBe(true);

    // An hour deadline is a UTC instant: no time zone to resolve.
    const incident = events.find((e) => e.summary.startsWith('重大事件书面报备'))!;
    expect(incident.isDate).toBe(false);
    expect(incident.start.toJSDate().toISOString()).toBe(new Date('2026-05-03T14:30:00+08:00').toISOString());
    expect(text).toContain('DTSTART:20260503T063000Z\r\nDTEND:20260503T070000Z\r\n');
  });

  it('keeps each obligation’s UID across fetches, recomputation and new events', async () => {
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, ...EVERYTHING })).json();
    const uids = async () => new Set(parseIcs((await ics(anonymous(), feed.url)).body).events.map((e) => e.uid));
    const first = await uids();
    expect(await uids()).toEqual(first);
    await withSystem(t.database.db, (tx) => recomputeCertificate(tx, certA));
    expect(await uids()).toEqual(first);
    await addEvent(t.database.db, certA, { type: 'complaint', date: '2026-11-02' });
    const after = await uids();
    expect([...first].every((uid) => after.has(uid))).toBe(true);
    expect(after.size).toBeGreaterThan(first.size);
  });

  it('marks done obligations with ✔ and waived ones as cancelled', async () => {
    const { db } = t.database;
    const rows = await withSystem(db, (tx) =>
      tx.select().from(obligations).where(eq(obligations.certificateId, certA2)),
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    await withSystem(db, async (tx) => {
      await tx
        .update(obligations)
        .set({ status: 'done', completedOn: '2026-06-01' })
        .where(eq(obligations.id, rows[0]!.id));
      await tx
        .update(obligations)
        .set({ status: 'waived', waivedReason: '不适用' })
        .where(eq(obligations.id, rows[1]!.id));
    });
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, ...EVERYTHING })).json();
    const { events } = parseIcs((await ics(anonymous(), feed.url)).body);
    const done = events.find((e) => e.uid === `${rows[0]!.id}@zizhi`)!;
    expect(done.summary.startsWith('✔ ')).toBe(true);
    expect(done.description).toContain('已完成（2026-06-01 完成）');
    const waived = events.find((e) => e.uid === `${rows[1]!.id}@zizhi`)!;
    expect(waived.status).toBe('CANCELLED');
    expect(waived.description).toContain('已豁免（不适用）');
  });

  it('shows a member limited to one organisation only that organisation’s obligations', async () => {
    const orgs = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items;
    const only = orgs.find((o: { name: string }) => o.name === '甲科技有限公司');
    const limited = await addMember(t.app, a, 'viewer', [only.id]);
    const feed = (
      await limited.client.post('/api/calendar/feeds', { workspaceId: a.workspaceId, ...EVERYTHING })
    ).json();
    const { events } = parseIcs((await ics(anonymous(), feed.url)).body);
    expect(events.length).toBe(await countObligations(a.workspaceId, only.id));
    expect(events.every((e) => e.summary.includes(' · 甲科技 · '))).toBe(true);
    expect(events.some((e) => e.summary.includes('乙信息技术'))).toBe(false);
  });

  it('answers 404 once the feed is revoked (audited), for an unknown token, and after the member leaves', async () => {
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
    expect((await a.owner.delete(`/api/calendar/feeds/${feed.id}`)).statusCode).toBe(204);
    expect((await ics(anonymous(), feed.url)).statusCode).toBe(404);
    expect((await a.owner.delete(`/api/calendar/feeds/${feed.id}`)).statusCode).toBe(404);
    expect((await a.owner.get('/api/calendar/feeds')).json().items.map((f: { id: string }) => f.id)).not.toContain(
      feed.id,
    );
    const audit = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, feed.id), eq(auditLog.action, 'feed.revoked'))),
    );
    expect(audit).toHaveLength(1);
    expect((await anonymous().get('/api/calendar/zzc_unknown.ics')).statusCode).toBe(404);

    const leaving = await addMember(t.app, a, 'contributor');
    const theirs = (await leaving.client.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
    expect((await ics(anonymous(), theirs.url)).statusCode).toBe(200);
    expect((await a.owner.delete(`/api/workspaces/${a.workspaceId}/members/${leaving.userId}`)).statusCode).toBe(204);
    expect((await ics(anonymous(), theirs.url)).statusCode).toBe(404);
  });

  it('shows by default open work due from 90 days back to 2 years ahead, nothing finished', async () => {
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
    const { events } = parseIcs((await ics(anonymous(), feed.url)).body);
    const expected = await withSystem(t.database.db, async (tx) => {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(obligations)
        .innerJoin(organisations, eq(organisations.id, obligations.orgId))
        .where(
          and(
            eq(organisations.workspaceId, a.workspaceId),
            sql`${obligations.dueDate} between '2026-08-29' and '2028-11-26'`,
            sql`${obligations.status} in ('open', 'in_progress')`,
            sql`${obligations.satisfiedOn} is null and ${obligations.cancelledOn} is null`,
          ),
        );
      return Number(row!.n);
    });
    expect(expected).toBeGreaterThan(0);
    expect(events).toHaveLength(expected);
    expect(events.length).toBeLessThan(await countObligations(a.workspaceId));
    expect(events.some((e) => e.summary.startsWith('✔'))).toBe(false);
    // The incident of 2026-05-01 was due on 2026-05-03: before the window.
    expect(events.some((e) => e.summary.startsWith('重大事件书面报备'))).toBe(false);
  });

  it('keeps to the organisations, kinds and assignments chosen when the feed was made', async () => {
    const orgs = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items;
    const yi = orgs.find((o: { name: string }) => o.name === '乙信息技术有限公司');
    const byOrg = (
      await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, ...EVERYTHING, orgIds: [yi.id] })
    ).json();
    const orgEvents = parseIcs((await ics(anonymous(), byOrg.url)).body).events;
    expect(orgEvents.length).toBe(await countObligations(a.workspaceId, yi.id));
    expect(orgEvents.every((e) => e.summary.includes(' · 乙信息技术 · '))).toBe(true);

    const byRule = (
      await a.owner.post('/api/calendar/feeds', {
        workspaceId: a.workspaceId,
        ...EVERYTHING,
        rules: ['supervision.first'],
      })
    ).json();
    const ruleEvents = parseIcs((await ics(anonymous(), byRule.url)).body).events;
    expect(ruleEvents).toHaveLength(1);
    expect(ruleEvents[0]!.summary).toContain('CS3-2025-0001');

    const open = (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?status=open`)).json().items;
    const target = open.find((o: { dueDate: string }) => o.dueDate > '2026-11-27');
    await a.owner.patch(`/api/orgs/${target.orgId}/obligations/${target.id}`, { assigneeId: a.ownerId });
    const mine = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, assignedToMe: true })).json();
    expect(mine).toMatchObject({ assignedToMe: true, daysBack: 90, includeFinished: false });
    const mineEvents = parseIcs((await ics(anonymous(), mine.url)).body).events;
    expect(mineEvents.map((e) => e.uid)).toEqual([`${target.id}@zizhi`]);
  });

  it('refuses options it cannot honour, saying which, and makes no feed', async () => {
    const before = (await a.owner.get('/api/calendar/feeds')).json().items.length;
    const theirs = (await b.owner.get(`/api/orgs?workspaceId=${b.workspaceId}`)).json().items[0];
    const foreign = await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, orgIds: [theirs.id] });
    expect(foreign.statusCode).toBe(404);
    const rule = await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, rules: ['no.such.rule'] });
    expect(rule.statusCode).toBe(400);
    expect(rule.json().error.message).toContain('不是已知的义务类型');
    const back = await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId, daysBack: -1 });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.message).toContain('回溯天数');
    expect((await a.owner.get('/api/calendar/feeds')).json().items.length).toBe(before);
  });

  it('answers 304 while nothing changed, and the new calendar once something did', async () => {
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
    const first = await ics(anonymous(), feed.url);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['last-modified']).toMatch(/GMT$/);
    const again = await anonymous().request('GET', feedPath(feed.url), undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const open = (await a.owner.get(`/api/workspaces/${a.workspaceId}/obligations?status=open`)).json().items;
    const target = open.find((o: { dueDate: string }) => o.dueDate > '2026-11-27');
    await a.owner.patch(`/api/orgs/${target.orgId}/obligations/${target.id}`, { status: 'in_progress' });
    const changed = await anonymous().request('GET', feedPath(feed.url), undefined, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const event = parseIcs(changed.body).events.find((e) => e.uid === `${target.id}@zizhi`)!;
    expect(event.description).toContain('状态：进行中');
  });

  it('serves an unchanged feed again without reading it, and a renamed workspace at once', async () => {
    const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
    const first = await ics(anonymous(), feed.url);
    const second = await ics(anonymous(), feed.url);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    // No route renames a workspace yet; whatever writes the name moves the counter on.
    await withSystem(t.database.db, (tx) =>
      tx.update(workspaces).set({ name: '更名后的工作区' }).where(eq(workspaces.id, a.workspaceId)),
    );
    const third = await ics(anonymous(), feed.url);
    expect(third.headers.etag).not.toBe(first.headers.etag);
    expect(third.body).toContain('X-WR-CALNAME:资质义务 · 更名后的工作区');
  });

  it('never writes the feed token to the request log', async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'info' });
    const logged = await buildApp({ database: t.database, config, logger: true, logStream: stream });
    try {
      const feed = (await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId })).json();
      const res = await logged.inject({ method: 'GET', url: feedPath(feed.url) });
      expect(res.statusCode).toBe(200);
      await new Promise((r) => setImmediate(r));
      const log = lines.join('\n');
      expect(log).toContain('/api/calendar/***.ics');
      expect(log).not.toContain(feed.token);
      expect(log).not.toContain(feed.token.slice(4, 20));
    } finally {
      await logged.close();
    }
  });
});

describe('iCalendar text', () => {
  const BASE_URL = 'https://zizhi.example.cn';
  const item = (overrides: Partial<FeedItem> = {}): FeedItem => ({
    id: '3f1c2b9e-7a4d-4e21-9c6b-0d8e5f4a2b17',
    orgId: '8b0e6c1d-2f3a-4b5c-9d7e-1a2b3c4d5e6f',
    certificateId: 'c47d9e2a-5b6f-4a8c-b1d3-e9f0a7b6c5d4',
    rule: 'audit.internal',
    titleZh: '内部合规检查',
    orgName: '深圳市甲方科技有限公司',
    certificateNumber: 'CS3-2025-0001',
    dueDate: '2027-01-29',
    dueAt: null,
    provisional: true,
    basis:
      '2027 年 1 月最后一个工作日 2027-01-29（01-30 至 01-31 非工作日）；2027 年节假日安排尚未发布，暂按周一至周五计算，发布后日期可能变动（元旦假期可涉及上年 12 月下旬；导入后重算）',
    status: 'open',
    completedOn: null,
    waivedReason: null,
    updatedAt: new Date('2026-11-20T01:02:03Z'),
    ...overrides,
  });
  const write = (items: FeedItem[], name = '资质义务 · 示例') =>
    buildObligationsCalendar({ name, baseUrl: BASE_URL, items }).toString('utf8');
  const eventText = (text: string) => text.slice(text.indexOf('BEGIN:VEVENT'), text.indexOf('END:VEVENT') + 12);

  it('escapes and folds any text so that a real parser reads back exactly what was written', () => {
    const tricky = `整改方案；第一步,第二步\\备注\n下一行 😀 ${'长文本'.repeat(40)}`;
    const text = write(
      [
        item({
          id: 'x1',
          titleZh: tricky,
          orgName: 'A,B;C 公司',
          certificateNumber: 'CS3-1',
          dueDate: '2030-12-31',
          basis: tricky,
        }),
      ],
      `资质义务 · ${tricky}`,
    );
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).not.toContain('\uFFFD');
    const { name, events } = parseIcs(text);
    // ical.js reads X-WR-CALNAME as an unknown property, without unescaping: only its start is compared.
    expect(name.startsWith('资质义务 · 整改方案；第一步')).toBe(true);
    expect(events[0]!.summary).toBe(`${tricky}（暂定） · A,B;C 公司 · CS3-1`);
    expect(events[0]!.description).toBe(tricky);
    // The day after the calendar's last year is plain arithmetic.
    expect(text).toContain('DTEND;VALUE=DATE:20310101');
    expect(text).toContain('DTSTAMP:20261120T010203Z');
  });

  it('folds at 75 octets between characters of one, two, three and four octets alike', () => {
    for (let shift = 0; shift < 4; shift++) {
      const mixed = `${'a'.repeat(shift)}${'é中😀'.repeat(30)}\uD800${'b'.repeat(shift)}`;
      const text = write([item({ titleZh: mixed, basis: mixed })]);
      const lines = text.split('\r\n');
      for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      // Only a lone surrogate becomes U+FFFD: every folded piece is whole characters.
      expect(text.split('\uFFFD')).toHaveLength(3);
      expect(parseIcs(text).events[0]!.description).toBe(mixed.replace('\uD800', '\uFFFD'));
    }
  });

  it('keeps a typical event small: what a calendar shows, said once', () => {
    const text = write([item()]);
    const event = eventText(text);
    // A consultancy's feed holds ~50,000 of these. The same event was 869 octets, without its link,
    // before the repetition was cut.
    expect(Buffer.byteLength(event)).toBeLessThanOrEqual(560);
    expect(event.replace(/\r\n /g, '')).toBe(
      [
        'BEGIN:VEVENT',
        'UID:3f1c2b9e-7a4d-4e21-9c6b-0d8e5f4a2b17@zizhi',
        'DTSTAMP:20261120T010203Z',
        'DTSTART;VALUE=DATE:20270129',
        'DTEND;VALUE=DATE:20270130',
        'SUMMARY:内部合规检查（暂定） · 深圳市甲方科技 · CS3-2025-0001',
        `URL:${BASE_URL}/orgs/8b0e6c1d-2f3a-4b5c-9d7e-1a2b3c4d5e6f/certificates/c47d9e2a-5b6f-4a8c-b1d3-e9f0a7b6c5d4?obligation=3f1c2b9e-7a4d-4e21-9c6b-0d8e5f4a2b17`,
        // The title's （暂定） says what the engine's long note on the unpublished year said.
        'DESCRIPTION:2027 年 1 月最后一个工作日 2027-01-29（01-30 至 01-31 非工作日）',
        'STATUS:CONFIRMED',
        'END:VEVENT\r\n',
      ].join('\r\n'),
    );
    // Nothing per event that a calendar would repeat thousands of times for no one.
    expect(text).not.toMatch(/VALARM|SEQUENCE|LAST-MODIFIED|X-MICROSOFT|VTIMEZONE|TZID=/);
    expect(shortOrgName('北京乙方信息技术股份有限公司')).toBe('北京乙方信息技术');
    expect(shortOrgName('有限公司')).toBe('有限公司');
  });

  it('writes the status of finished work on a line of its own before the basis', () => {
    const text = write([
      item({ status: 'done', completedOn: '2027-01-20', provisional: false, basis: '依月计' }),
      item({ id: 'w1', status: 'waived', waivedReason: '不适用；已注销', provisional: false, basis: '依月计' }),
    ]);
    const [done, waived] = parseIcs(text).events;
    expect(done!.summary.startsWith('✔ 内部合规检查 · ')).toBe(true);
    expect(done!.description).toBe('状态：已完成（2027-01-20 完成）\n依月计');
    expect(done!.status).toBe('CONFIRMED');
    expect(waived!.summary.startsWith('（已豁免）内部合规检查 · ')).toBe(true);
    expect(waived!.description).toBe('状态：已豁免（不适用；已注销）\n依月计');
    expect(waived!.status).toBe('CANCELLED');
  });

  it('shows one event for the obligations of one rule due on one day, from three of them', () => {
    const many = Array.from({ length: 7 }, (_, i) =>
      item({ id: `m${i}`, certificateNumber: `CS2-${i}`, orgName: `客户${i}有限公司`, provisional: i === 6 }),
    );
    const text = write([
      ...many,
      item({ id: 'other-day', dueDate: '2027-02-26' }),
      item({ id: 'other-rule', rule: 'training.annual', titleZh: '年度培训' }),
      item({ id: 'timed', dueAt: new Date('2027-01-29T02:00:00Z') }),
    ]);
    const { events } = parseIcs(text);
    expect(events).toHaveLength(4);
    const shared = events.find((e) => e.summary.startsWith('内部合规检查（暂定）（7 项）'))!;
    expect(shared.description).toBe(
      ['客户0 · CS2-0', '客户1 · CS2-1', '客户2 · CS2-2', '客户3 · CS2-3', '客户4 · CS2-4', '…共 7 项'].join('\n'),
    );
    expect(text).toContain('UID:audit.internal-2027-01-29-open@zizhi');
    expect(text.replace(/\r\n /g, '')).toContain(
      `URL:${BASE_URL}/obligations?rule=audit.internal&from=2027-01-29&to=2027-01-29`,
    );
    // Two of a kind stay two events.
    expect(parseIcs(write([item({ id: 'a' }), item({ id: 'b' })])).events).toHaveLength(2);
  });
});
