import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { registerRemindersCommand } from '../../cli/reminders.js';
import { loadConfig, type Config } from '../../config.js';
import { openPostgres, type Database } from '../../db/client.js';
import { channels, deliveries, inboxItems, obligations } from '../../db/schema.js';
import { withActor, withSystem } from '../../db/tenancy.js';
import {
  BACKENDS,
  CREDIT_CODES,
  addMember,
  createOrg,
  createTenant,
  createTestDatabase,
  setupAdmin,
  TEST_NOW,
  type Backend,
  type Tenant,
} from '../../test/harness.js';
import { addEvent, createCertificate } from '../../test/factories.js';
import { recomputeCertificate } from '../obligations/recompute.js';
import { startRobotPeer, startSmtpSink, type RobotPeer, type SmtpSink } from './peers.js';
import { seedDueObligations } from './seed.js';
import { MAX_ATTEMPTS, peopleFor, runSweep, type Member, type SweepReport } from './sweep.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRETS = {
  dingtalk: 'SECdingtalk-secret-0123456789',
  feishu: 'feishu-secret-abc',
  webhook: 'whsec-0123456789abcdef',
};
const at = (iso: string) => Date.parse(iso);

interface Ctx {
  app: Awaited<ReturnType<typeof buildApp>>;
  database: Database;
  config: Config;
  tenant: Tenant;
  orgId: string;
  dir: string;
  sweep(iso: string): Promise<SweepReport>;
  close(): Promise<void>;
}

async function setup(backend: Backend): Promise<Ctx> {
  const database = await createTestDatabase(backend);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-reminders-'));
  const config = loadConfig(
    { ZIZHI_SECRET_KEY: KEY, ZIZHI_PUBLIC_URL: 'https://zizhi.example.com' },
    { dataDir: dir, logLevel: 'silent' },
  );
  const app = await buildApp({ database, config, logger: false });
  const tenant = await setupAdmin(app);
  const org = await createOrg(tenant);
  return {
    app,
    database,
    config,
    tenant,
    orgId: org.id,
    dir,
    sweep: (iso) => runSweep({ db: database.db, config, kind: database.kind, at: at(iso) }),
    close: async () => {
      await app.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let robots: RobotPeer;
let smtp: SmtpSink;
beforeAll(async () => {
  robots = await startRobotPeer(SECRETS);
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await robots.close();
  await smtp.close();
});
afterEach(() => {
  robots.requests.length = 0;
  smtp.mails.length = 0;
});

const webhookEvents = () =>
  robots.requests.filter((r) => r.path === '/webhook').map((r) => r.json as { id: string; reminder: { step: string } });

async function addWebhook(c: Ctx, extra: Record<string, unknown> = {}) {
  const res = await c.tenant.owner.post(`/api/workspaces/${c.tenant.workspaceId}/channels`, {
    type: 'webhook',
    name: '运维 Webhook',
    url: `${robots.url}/webhook`,
    secret: SECRETS.webhook,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>();
}

// A CS2 certificate issued 2025-12-01 plus a complaint on the test day (Friday 2026-11-27): the
// 2026-Q3 internal audit and meeting are overdue, the 2026 self-check is due Tuesday Dec 1 and
// the complaint's reply Tuesday Dec 8.
async function certificateWithComplaint(c: Ctx) {
  const certId = await createCertificate(c.database.db, {
    orgId: c.orgId,
    level: 'CS2',
    number: `CS2-${Math.floor(Math.random() * 1e9)}`,
    issuedOn: '2025-12-01',
  });
  await addEvent(c.database.db, certId, { type: 'complaint', date: '2026-11-27' });
  return certId;
}

async function obligationByKey(c: Ctx, prefix: string) {
  const [o] = await withSystem(c.database.db, (tx) =>
    tx
      .select()
      .from(obligations)
      .where(like(obligations.key, `${prefix}%`)),
  );
  return o!;
}

describe.each(BACKENDS)('reminders on %s', (backend) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(backend);
  });
  afterAll(async () => {
    await c.close();
  });

  it('keeps the next reminder of each obligation at 09:00 China time, whatever the server time zone', async () => {
    await certificateWithComplaint(c);
    const complaint = await obligationByKey(c, 'complaint.response:');
    // before-3d of Tuesday Dec 8 is Saturday Dec 5 → Friday Dec 4, 09:00 +08:00 = 01:00 UTC.
    expect(complaint.nextReminderAt?.toISOString()).toBe('2026-12-04T01:00:00.000Z');
    expect(complaint.nextReminderStep).toBe('before-3d');
    expect(complaint.lastReminderStep).toBeNull();
  });

  it('reminds of an hour deadline 24 h, 4 h and 1 h before its instant', async () => {
    const certId = await createCertificate(c.database.db, {
      orgId: c.orgId,
      level: 'CS2',
      number: `CS2-H-${Math.floor(Math.random() * 1e9)}`,
      issuedOn: '2025-12-01',
    });
    await addEvent(c.database.db, certId, { type: 'incident', at: '2026-11-28T14:30:00+08:00' });
    const incident = await obligationByKey(c, 'incident.report:');
    expect(incident.dueAt?.toISOString()).toBe('2026-11-30T06:30:00.000Z');
    expect(incident.nextReminderStep).toBe('before-24h');
    expect(incident.nextReminderAt?.toISOString()).toBe('2026-11-29T06:30:00.000Z');
    await withSystem(c.database.db, (tx) => tx.execute(sql`delete from certificates where id = ${certId}`));
  });

  it('sends a due reminder once to the workspace channel and the managers, with a signed webhook', async () => {
    const channel = await addWebhook(c);
    const first = await c.sweep('2026-11-27T12:00:00+08:00');
    // The overdue Q3 audit and meeting (escalating), and the self-check's 7-day step.
    expect(first.claimed).toBe(3);
    const events = webhookEvents();
    expect(events).toHaveLength(3);
    expect(robots.requests.every((r) => r.path !== '/webhook' || r.signed === true)).toBe(true);
    expect(events.map((e) => e.reminder.step).sort()).toEqual(['before-7d', 'overdue-12', 'overdue-12']);
    // The owner (no assignee: the managers) got the same three in the inbox.
    const inbox = await c.tenant.owner.get('/api/me/inbox');
    expect(inbox.json().unreadCount).toBe(3);
    expect(inbox.json().items[0].link).toMatch(
      /^https:\/\/zizhi\.example\.com\/orgs\/.+\/certificates\/.+\?obligation=/,
    );
    // Again at the same instant: nothing new.
    const again = await c.sweep('2026-11-27T12:05:00+08:00');
    expect(again.claimed + again.sent.length).toBe(0);
    expect(webhookEvents()).toHaveLength(3);
    const log = await c.tenant.owner.get(`/api/workspaces/${c.tenant.workspaceId}/deliveries?channelId=${channel.id}`);
    expect(log.json().items.map((d: { status: string }) => d.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('after a three-day outage sends each missed reminder once: the latest step only', async () => {
    await c.sweep('2026-12-01T10:00:00+08:00');
    robots.requests.length = 0;
    // Down from Tuesday 10:00 to Friday 10:00: overdue-14 of the audit and meeting (Dec 3), the
    // self-check's overdue-1 and the complaint's 3-day step (both Dec 4 09:00) were missed.
    const report = await c.sweep('2026-12-04T10:00:00+08:00');
    expect(report.claimed).toBe(4);
    const steps = webhookEvents()
      .map((e) => e.reminder.step)
      .sort();
    expect(steps).toEqual(['before-3d', 'overdue-1', 'overdue-14', 'overdue-14']);
    expect(new Set(webhookEvents().map((e) => e.id)).size).toBe(4);
    expect((await c.sweep('2026-12-04T10:30:00+08:00')).sent).toHaveLength(0);
    expect(webhookEvents()).toHaveLength(4);
  });

  it('cancels the reminders of done work and moves them when the due date moves', async () => {
    const certId = await certificateWithComplaint(c);
    const complaint = await withSystem(c.database.db, (tx) =>
      tx
        .select()
        .from(obligations)
        .where(and(eq(obligations.certificateId, certId), like(obligations.key, 'complaint.response:%'))),
    );
    const o = complaint[0]!;
    // Re-dating: the complaint was received a week later.
    await withSystem(c.database.db, async (tx) => {
      await tx.execute(sql`update certificate_events set date = '2026-12-04' where id = ${o.eventId}`);
      await recomputeCertificate(tx, certId);
    });
    const moved = await obligationByKey(c, `complaint.response:${o.eventId}`);
    expect(moved.dueDate).toBe('2026-12-15');
    // before-3d: Saturday Dec 12 → Friday Dec 11, 09:00 China time.
    expect(moved.nextReminderAt?.toISOString()).toBe('2026-12-11T01:00:00.000Z');
    // Done: nothing pending.
    const res = await c.tenant.owner.patch(`/api/orgs/${c.orgId}/obligations/${o.id}`, { status: 'done' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await obligationByKey(c, `complaint.response:${o.eventId}`)).nextReminderAt).toBeNull();
    // Reopened: reminders resume.
    await c.tenant.owner.patch(`/api/orgs/${c.orgId}/obligations/${o.id}`, { status: 'open' });
    expect((await obligationByKey(c, `complaint.response:${o.eventId}`)).nextReminderAt).not.toBeNull();
    // Out of the way of the next tests' counts.
    await withSystem(c.database.db, (tx) => tx.execute(sql`delete from certificates where id = ${certId}`));
  });

  it('retries a failing channel with backoff, then marks it failed, without holding up the others', async () => {
    const ws = c.tenant.workspaceId;
    const bad = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'wecom',
      name: '坏掉的机器人',
      url: `${robots.url}/fail?key=abc`,
    });
    expect(bad.statusCode).toBe(201);
    const ids = await seedDueObligations(c.database.db, {
      orgId: c.orgId,
      count: 1,
      dueDate: '2026-12-08',
      nextAt: new Date('2026-12-04T09:00:00+08:00'),
      prefix: 'retry',
    });
    let report = await c.sweep('2026-12-04T11:00:00+08:00');
    expect(report.sent.some((s) => s.channelType === 'webhook')).toBe(true);
    expect(report.retrying.map((r) => r.target)).toEqual(['坏掉的机器人']);
    expect(report.retrying[0]!.error).toMatch(/HTTP 500/);
    // Backoff: not before a minute has passed.
    expect((await c.sweep('2026-12-04T11:00:30+08:00')).retrying).toHaveLength(0);
    let t = at('2026-12-04T11:00:00+08:00');
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      t += 60_000 * 2 ** (attempt - 2);
      report = await runSweep({ db: c.database.db, config: c.config, kind: c.database.kind, at: t });
      expect(report.retrying.length + report.failed.length).toBe(1);
    }
    expect(report.failed).toHaveLength(1);
    const log = await c.tenant.owner.get(`/api/workspaces/${ws}/deliveries?channelId=${bad.json().id}`);
    const [d] = log.json().items;
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, obligationId: ids[0] });
    expect(d.lastError).toMatch(/HTTP 500/);
    // The webhook got it exactly once.
    expect(webhookEvents().filter((e) => e.id.includes('retry:0'))).toHaveLength(1);
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${bad.json().id}`);
  });

  it('groups a member’s reminders into one daily digest when they chose it', async () => {
    const ws = c.tenant.workspaceId;
    const put = await c.tenant.owner.request('PUT', `/api/workspaces/${ws}/notification-preferences`, {
      email: false,
      inApp: true,
      digest: 'daily',
    });
    expect(put.statusCode, put.body).toBe(200);
    await c.tenant.owner.post('/api/me/inbox/read-all');
    await seedDueObligations(c.database.db, {
      orgId: c.orgId,
      count: 3,
      dueDate: '2026-12-15',
      nextAt: new Date('2026-12-10T09:00:00+08:00'),
      prefix: 'digest',
    });
    const report = await c.sweep('2026-12-10T09:01:00+08:00');
    expect(report.digests).toBe(1);
    const inbox = (await c.tenant.owner.get('/api/me/inbox?unread=true')).json();
    expect(inbox.unreadCount).toBe(1);
    expect(inbox.items[0].title).toContain('日报');
    expect(inbox.items[0].body).toContain('投诉处理回复 #1');
    await c.tenant.owner.request('PUT', `/api/workspaces/${ws}/notification-preferences`, {
      email: false,
      inApp: true,
      digest: 'none',
    });
  });

  it('sends only to channels of the obligation’s organisation when a channel is limited to some', async () => {
    const ws = c.tenant.workspaceId;
    const org2 = await createOrg(c.tenant, CREDIT_CODES[1], '第二家企业');
    const limited = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'wecom',
      name: '只管第二家',
      url: `${robots.url}/wecom?key=only-org2`,
      orgIds: [org2.id],
    });
    expect(limited.statusCode, limited.body).toBe(201);
    await seedDueObligations(c.database.db, {
      orgId: c.orgId,
      count: 1,
      dueDate: '2026-12-16',
      nextAt: new Date('2026-12-11T09:00:00+08:00'),
      prefix: 'org1',
    });
    await seedDueObligations(c.database.db, {
      orgId: org2.id,
      count: 1,
      dueDate: '2026-12-16',
      nextAt: new Date('2026-12-11T09:00:00+08:00'),
      prefix: 'org2',
    });
    await c.sweep('2026-12-11T09:00:00+08:00');
    const wecom = robots.requests.filter((r) => r.path === '/wecom');
    expect(wecom).toHaveLength(1);
    expect(wecom[0]!.raw).toContain('第二家企业');
    // The unlimited webhook had both.
    expect(webhookEvents().filter((e) => /\/org[12]:0\//.test(e.id))).toHaveLength(2);
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${limited.json().id}`);
  });

  it('e-mails a reminder in Chinese to the channel’s list and to a member who chose e-mail', async () => {
    const ws = c.tenant.workspaceId;
    const me = (await c.tenant.owner.get('/api/me')).json<{ user: { email: string } }>().user.email;
    await c.tenant.owner.request('PUT', `/api/workspaces/${ws}/notification-preferences`, {
      email: true,
      inApp: false,
      digest: 'none',
    });
    const channel = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'email',
      name: '资质组邮件',
      url: `smtp://zizhi@127.0.0.1:${smtp.port}`,
      secret: 'smtp-password',
      from: '资质提醒 <zizhi@example.cn>',
      recipients: ['ops@example.cn', 'boss@example.cn'],
    });
    expect(channel.statusCode, channel.body).toBe(201);
    const [id] = await seedDueObligations(c.database.db, {
      orgId: c.orgId,
      count: 1,
      dueDate: '2026-12-16',
      nextAt: new Date('2026-12-11T09:00:00+08:00'),
      prefix: 'mail',
    });
    const report = await c.sweep('2026-12-11T09:00:00+08:00');
    expect(report.failed).toEqual([]);
    const mails = smtp.mails.filter((m) => m.text?.includes(`obligation=${id}`));
    expect(mails.map((m) => m.envelopeTo.sort().join(',')).sort()).toEqual(
      [me.toLowerCase(), 'boss@example.cn,ops@example.cn'].sort(),
    );
    for (const m of mails) {
      expect(m.subject).toContain('投诉处理回复 #1');
      expect(m.text).toContain('依据：收到投诉后 7 个工作日内回复');
      expect(m.text).toContain('2026-12-16');
      expect(m.html).toContain('https://zizhi.example.com/orgs/');
    }
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${channel.json().id}`);
    await c.tenant.owner.request('PUT', `/api/workspaces/${ws}/notification-preferences`, {
      email: false,
      inApp: true,
      digest: 'none',
    });
  });

  it('prints what one `zizhi reminders run --at` sweep sent', async () => {
    await seedDueObligations(c.database.db, {
      orgId: c.orgId,
      count: 2,
      dueDate: '2026-09-21',
      nextAt: new Date('2026-09-21T09:00:00+08:00'),
      prefix: 'cli',
    });
    let out = '';
    const program = new Command().exitOverride();
    registerRemindersCommand(program, {
      config: () => c.config,
      openDatabase: () => Promise.resolve({ ...c.database, close: async () => {} }),
      write: { out: (t) => void (out += t), err: () => {} },
    });
    await program.parseAsync(['node', 'zizhi', 'reminders', 'run', '--at', '2026-09-21T09:00:00+08:00']);
    expect(out).toMatch(/^Reminder sweep as of 2026-09-21T09:00:00\+08:00: 2 reminders due/);
    expect(out).toContain('sent  webhook  运维 Webhook · on-day · 投诉处理回复 #1');
  });
});

describe.each(BACKENDS)('channels on %s', (backend) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(backend);
  });
  afterAll(async () => {
    await c.close();
  });

  it('stores URLs and secrets encrypted and shows them masked', async () => {
    const res = await c.tenant.owner.post(`/api/workspaces/${c.tenant.workspaceId}/channels`, {
      type: 'dingtalk',
      name: '钉钉群',
      url: `${robots.url}/dingtalk?access_token=abcd1234567890wxyz`,
      secret: SECRETS.dingtalk,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ url: `${robots.url}/dingtalk?access_token=abcd…wxyz`, hasSecret: true });
    expect(res.body).not.toContain(SECRETS.dingtalk);
    const result: unknown = await withSystem(c.database.db, (tx) =>
      tx.execute(sql`select config::text as c from channels`),
    );
    const [row] = (result as { rows: { c: string }[] }).rows;
    expect(row!.c).toMatch(/^v1:/);
    expect(row!.c).not.toContain('abcd1234567890wxyz');
    expect(row!.c).not.toContain(SECRETS.dingtalk);
  });

  it('sends a test message to each channel type, signed as the services check it', async () => {
    const ws = c.tenant.workspaceId;
    const add = async (body: Record<string, unknown>) => {
      const res = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const ids = {
      wecom: await add({ type: 'wecom', name: '企业微信群', url: `${robots.url}/wecom?key=k-123` }),
      dingtalk: await add({
        type: 'dingtalk',
        name: '钉钉',
        url: `${robots.url}/dingtalk?access_token=t0k`,
        secret: SECRETS.dingtalk,
      }),
      feishu: await add({ type: 'feishu', name: '飞书', url: `${robots.url}/feishu`, secret: SECRETS.feishu }),
      webhook: await add({ type: 'webhook', name: 'Webhook', url: `${robots.url}/webhook`, secret: SECRETS.webhook }),
      email: await add({
        type: 'email',
        name: '资质组邮件',
        url: `smtp://zizhi@127.0.0.1:${smtp.port}`,
        secret: 'smtp-password',
        from: '资质提醒 <zizhi@example.cn>',
        recipients: ['ops@example.cn', 'boss@example.cn'],
      }),
    };
    for (const [type, id] of Object.entries(ids)) {
      const res = await c.tenant.owner.post(`/api/workspaces/${ws}/channels/${id}/test`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json(), type).toMatchObject({ status: 'sent', kind: 'test', attempts: 1, lastError: null });
    }
    const byPath = (p: string) => robots.requests.find((r) => r.path === p)!;
    expect(byPath('/dingtalk').signed).toBe(true);
    expect(byPath('/dingtalk').query.get('access_token')).toBe('t0k');
    expect(byPath('/feishu').signed).toBe(true);
    expect(byPath('/feishu').json.msg_type).toBe('interactive');
    expect(byPath('/webhook').signed).toBe(true);
    expect(byPath('/wecom').json.msgtype).toBe('markdown');
    const [mail] = smtp.mails;
    expect(mail!.envelopeTo.sort()).toEqual(['boss@example.cn', 'ops@example.cn']);
    expect(mail!.user).toBe('zizhi');
    expect(mail!.subject).toContain('测试消息');
    expect(mail!.from?.text).toContain('资质提醒');
    expect(mail!.text).toContain('依据');
    expect(mail!.html).toContain('lang="zh-CN"');
  });

  it('records a refused signature as a failed test with the robot’s answer', async () => {
    const ws = c.tenant.workspaceId;
    const res = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'dingtalk',
      name: '密钥错误',
      url: `${robots.url}/dingtalk?access_token=t1`,
      secret: 'SECwrong',
    });
    const test = await c.tenant.owner.post(`/api/workspaces/${ws}/channels/${res.json().id}/test`);
    expect(test.json()).toMatchObject({ status: 'failed' });
    expect(test.json().lastError).toMatch(/310000/);
  });

  it('keeps channels and the delivery log to admins, and other tenants out', async () => {
    const ws = c.tenant.workspaceId;
    const [channel] = (await c.tenant.owner.get(`/api/workspaces/${ws}/channels`)).json().items;
    for (const role of ['manager', 'viewer'] as const) {
      const m = await addMember(c.app, c.tenant, role);
      expect((await m.client.get(`/api/workspaces/${ws}/channels`)).statusCode).toBe(403);
      expect(
        (
          await m.client.post(`/api/workspaces/${ws}/channels`, {
            type: 'wecom',
            name: 'x',
            url: 'https://qyapi.weixin.qq.com/x',
          })
        ).statusCode,
      ).toBe(403);
      expect((await m.client.post(`/api/workspaces/${ws}/channels/${channel.id}/test`)).statusCode).toBe(403);
      expect((await m.client.get(`/api/workspaces/${ws}/deliveries`)).statusCode).toBe(403);
      // Their own preferences are theirs to set.
      expect((await m.client.get(`/api/workspaces/${ws}/notification-preferences`)).statusCode).toBe(200);
    }
    const other = await createTenant(c.app, c.tenant.owner);
    const o = other.owner;
    expect((await o.get(`/api/workspaces/${ws}/channels`)).statusCode).toBe(404);
    expect(
      (
        await o.post(`/api/workspaces/${ws}/channels`, {
          type: 'wecom',
          name: 'x',
          url: 'https://qyapi.weixin.qq.com/x',
        })
      ).statusCode,
    ).toBe(404);
    expect((await o.patch(`/api/workspaces/${ws}/channels/${channel.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await o.delete(`/api/workspaces/${ws}/channels/${channel.id}`)).statusCode).toBe(404);
    expect((await o.post(`/api/workspaces/${ws}/channels/${channel.id}/test`)).statusCode).toBe(404);
    expect((await o.get(`/api/workspaces/${ws}/deliveries`)).statusCode).toBe(404);
    expect((await o.get(`/api/workspaces/${ws}/notification-preferences`)).statusCode).toBe(404);
    // A channel id of one workspace under the other's own path: 404 too.
    expect((await o.post(`/api/workspaces/${other.workspaceId}/channels/${channel.id}/test`)).statusCode).toBe(404);
    // Row-level security: a query that forgets its workspace filter still sees only its own rows.
    const seen = await withActor(c.database.db, other.ownerId, async (tx) => ({
      channels: await tx.select().from(channels),
      deliveries: await tx.select().from(deliveries),
    }));
    expect(seen).toEqual({ channels: [], deliveries: [] });
    const mine = await withActor(c.database.db, c.tenant.ownerId, (tx) => tx.select().from(channels));
    expect(mine.length).toBeGreaterThan(0);
  });

  it('shows each member only their own inbox', async () => {
    const id = await withSystem(c.database.db, async (tx) => {
      const [row] = await tx
        .insert(inboxItems)
        .values({
          userId: c.tenant.ownerId,
          workspaceId: c.tenant.workspaceId,
          deliveryId: '00000000-0000-0000-0000-000000000001',
          title: '测试',
          body: '正文',
          link: 'https://zizhi.example.com/obligations',
        })
        .returning({ id: inboxItems.id });
      return row!.id;
    });
    const m = await addMember(c.app, c.tenant, 'admin');
    expect((await m.client.get('/api/me/inbox')).json().items).toHaveLength(0);
    expect(await withActor(c.database.db, m.userId, (tx) => tx.select().from(inboxItems))).toEqual([]);
    expect((await m.client.post(`/api/me/inbox/${id}/read`)).statusCode).toBe(404);
    const other = await createTenant(c.app, c.tenant.owner, '第三家');
    expect((await other.owner.post(`/api/me/inbox/${id}/read`)).statusCode).toBe(404);
    expect((await c.tenant.owner.get('/api/me/inbox/unread-count')).json().count).toBe(1);
    const read = await c.tenant.owner.post(`/api/me/inbox/${id}/read`);
    expect(read.json()).toMatchObject({ id, read: true });
    expect((await c.tenant.owner.get('/api/me/inbox/unread-count')).json().count).toBe(0);
  });

  it('pages the inbox without skipping messages received within the same second', async () => {
    const base = Date.parse('2026-11-27T01:00:00.100Z');
    const ids = await withSystem(c.database.db, async (tx) => {
      const rows = await tx
        .insert(inboxItems)
        .values(
          [0, 1, 2].map((i) => ({
            userId: c.tenant.ownerId,
            workspaceId: c.tenant.workspaceId,
            deliveryId: `00000000-0000-0000-0000-00000000010${i}`,
            title: `同一秒的消息 ${i}`,
            body: '正文',
            link: 'https://zizhi.example.com/obligations',
            createdAt: new Date(base + i * 200),
          })),
        )
        .returning({ id: inboxItems.id });
      return rows.map((r) => r.id);
    });
    const seen: string[] = [];
    let before = '';
    for (let page = 0; page < 10; page++) {
      const res = (await c.tenant.owner.get(`/api/me/inbox?limit=1${before}`)).json();
      if (res.items.length === 0) break;
      seen.push(...res.items.map((i: { id: string }) => i.id));
      before = `&before=${encodeURIComponent(res.items.at(-1).createdAt)}`;
    }
    expect(seen).toEqual(expect.arrayContaining(ids));
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('two server processes on one PostgreSQL', () => {
  it('send each of 200 due reminders exactly once when sweeping concurrently', async () => {
    const c = await setup('postgres');
    try {
      await c.tenant.owner.post(`/api/workspaces/${c.tenant.workspaceId}/channels`, {
        type: 'webhook',
        name: 'Webhook',
        url: `${robots.url}/webhook`,
        secret: SECRETS.webhook,
      });
      await seedDueObligations(c.database.db, {
        orgId: c.orgId,
        count: 200,
        dueDate: '2026-12-08',
        nextAt: new Date('2026-12-04T09:00:00+08:00'),
        prefix: 'pair',
      });
      // A second connection pool on the same database stands in for the second process.
      const url = (c.database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options
        .connectionString;
      const second = openPostgres(url);
      try {
        const t = at('2026-12-04T09:00:00+08:00');
        const [a, b] = await Promise.all([
          runSweep({ db: c.database.db, config: c.config, kind: 'postgres', at: t }),
          runSweep({ db: second.db, config: c.config, kind: 'postgres', at: t }),
        ]);
        expect(a.claimed + b.claimed).toBe(200);
        const events = webhookEvents().filter((e) => e.id.includes('/pair:'));
        expect(events).toHaveLength(200);
        expect(new Set(events.map((e) => e.id)).size).toBe(200);
        const [counts] = await withSystem(c.database.db, (tx) =>
          tx
            .select({ n: sql<number>`count(*)::int`, sent: sql<number>`count(*) filter (where status = 'sent')::int` })
            .from(deliveries)
            .where(like(deliveries.key, 'r:%')),
        );
        // 200 to the webhook and 200 to the owner's inbox, all sent.
        expect(counts).toEqual({ n: 400, sent: 400 });
        const inbox = await withSystem(c.database.db, (tx) =>
          tx.select({ n: sql<number>`count(*)::int` }).from(inboxItems),
        );
        expect(inbox[0]!.n).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await c.close();
    }
  });
});

describe('who hears of a reminder', () => {
  const member = (userId: string, role: Member['role'], orgIds: string[] | null = null): Member => ({
    userId,
    email: `${userId}@example.cn`,
    role,
    orgIds,
    email_: false,
    inApp: true,
    digest: 'none',
  });
  const members = [
    member('owner', 'owner'),
    member('mgr', 'manager'),
    member('mgr-other', 'manager', ['org-2']),
    member('doer', 'contributor'),
    member('viewer', 'viewer'),
  ];
  const ids = (ms: Member[]) => ms.map((m) => m.userId).sort();

  it('tells the assignee, or the managers who may see the organisation when nobody is assigned', () => {
    expect(ids(peopleFor(members, 'org-1', 'doer', false))).toEqual(['doer']);
    expect(ids(peopleFor(members, 'org-1', null, false))).toEqual(['mgr', 'owner']);
  });

  it('copies the managers on an escalating overdue step', () => {
    expect(ids(peopleFor(members, 'org-1', 'doer', true))).toEqual(['doer', 'mgr', 'owner']);
    expect(ids(peopleFor(members, 'org-2', 'doer', true))).toEqual(['doer', 'mgr', 'mgr-other', 'owner']);
  });

  it('ignores an assignee who can no longer see the organisation', () => {
    expect(ids(peopleFor([...members, member('gone', 'contributor', ['org-9'])], 'org-1', 'gone', false))).toEqual([
      'mgr',
      'owner',
    ]);
  });
});

it('keeps the test clock on 2026-11-27 noon in China', () => {
  expect(new Date(TEST_NOW).toISOString()).toBe('2026-11-27T04:00:00.000Z');
});
