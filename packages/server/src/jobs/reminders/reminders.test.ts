import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { registerRemindersCommand } from '../../cli/reminders.js';
import { loadConfig, type Config } from '../../config/index.js';
import { openPostgres, type Database } from '../../db/client.js';
import { channels, deliveries, inboxItems, obligations, users, workspaceMembers } from '../../db/schema.js';
import { withActor, withSystem } from '../../db/tenancy.js';
import {
  BACKENDS,
  CREDIT_CODES,
  addMember,
  createOrg,
  createTenant,
  createTestDatabase,
  email,
  login,
  PASSWORD,
  setupAdmin,
  TEST_NOW,
  type Backend,
  type Tenant,
} from '../../test/harness.js';
import { addEvent, createCertificate } from '../../test/factories.js';
import { maskUrl, seal } from '../../notify/secret-box.js';
import { hashPassword } from '../../access/crypto.js';
import { recomputeCertificate } from '../../modules/obligations/recompute.js';
import { PEER_SECRET_BODY, startRobotPeer, startSmtpSink, type RobotPeer, type SmtpSink } from '../../test/peers.js';
import { seedDueObligations } from '../../test/reminder-seed.js';
import { peopleFor, type Member } from './claim.js';
import { runSweep, type SweepReport } from './sweep.js';
import { MAX_ATTEMPTS } from './types.js';

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

/**
 * The local peers listen on 127.0.0.1, which the channel address policy refuses: the app allows
 * it the way an operator allows an intranet relay, unless a test passes other settings.
 */
const ALLOW_PEERS = { ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1' };

async function setup(backend: Backend, env: Record<string, string> = ALLOW_PEERS): Promise<Ctx> {
  const database = await createTestDatabase(backend);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-reminders-'));
  const config = loadConfig(
    { ZIZHI_SECRET_KEY: KEY, ZIZHI_PUBLIC_URL: 'https://zizhi.example.com', ...env },
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
      url: `${robots.url}/dingtalk?access_token=abcd1234567890abcdef1234567890wxyz`,
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
    expect(row!.c).not.toContain('abcd1234567890abcdef1234567890wxyz');
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

  it('masks tokens in URL paths and query values in every response, also of hints stored before', async () => {
    const ws = c.tenant.workspaceId;
    const url = `${robots.url}/T0/abc123?token=s3cr3t-value&access_token=tok`;
    const masked = `${robots.url}/••/••••••?token=••••••••&access_token=•••`;
    const created = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'webhook',
      name: '短令牌 Webhook',
      url,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const patched = await c.tenant.owner.patch(`/api/workspaces/${ws}/channels/${id}`, { name: '短令牌 Webhook 2' });
    const listed = await c.tenant.owner.get(`/api/workspaces/${ws}/channels`);
    for (const res of [created, patched, listed]) {
      expect(res.statusCode, res.body).toBeLessThan(300);
      expect(res.body).not.toContain('abc123');
      expect(res.body).not.toContain('/T0/');
      expect(res.body).not.toContain('s3cr3t');
    }
    expect(created.json().url).toBe(masked);
    expect(patched.json().url).toBe(masked);
    // A hint saved by an earlier release, which showed short path tokens, is masked when shown.
    await withSystem(c.database.db, (tx) =>
      tx
        .update(channels)
        .set({ hint: { url: `${robots.url}/T0/abc123?token=••••••••&access_token=•••`, hasSecret: false } })
        .where(eq(channels.id, id)),
    );
    const again = await c.tenant.owner.get(`/api/workspaces/${ws}/channels`);
    expect(again.body).not.toContain('abc123');
    expect(again.json().items.find((i: { id: string }) => i.id === id).url).toBe(masked);
    expect(maskUrl(url)).toBe(masked);
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${id}`);
  });

  it('records only a status code and a fixed reason, never what the other side answered', async () => {
    const ws = c.tenant.workspaceId;
    const add = async (body: Record<string, unknown>) => {
      const res = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const leak = await add({ type: 'webhook', name: '泄露正文', url: `${robots.url}/leak` });
    const robot = await add({ type: 'wecom', name: '泄露错误信息', url: `${robots.url}/leak-robot?key=k` });
    const tested = [
      await c.tenant.owner.post(`/api/workspaces/${ws}/channels/${leak}/test`),
      await c.tenant.owner.post(`/api/workspaces/${ws}/channels/${robot}/test`),
    ];
    expect(tested.map((t) => t.json<{ status: string; lastError: string }>())).toMatchObject([
      { status: 'failed', lastError: '对方返回 HTTP 500' },
      { status: 'failed', lastError: '企业微信拒绝了消息，请核对机器人地址和安全设置' },
    ]);
    // The peers did answer with the secret: it is the server that keeps it out.
    expect(robots.requests.map((r) => r.path)).toEqual(['/leak', '/leak-robot']);
    const log = await c.tenant.owner.get(`/api/workspaces/${ws}/deliveries`);
    for (const body of [...tested.map((t) => t.body), log.body]) {
      expect(body).not.toContain(PEER_SECRET_BODY);
      expect(body).not.toContain('secret-token');
      expect(body).not.toContain('redis_version');
    }
    const reasons = log
      .json<{ items: { channel: { id: string } | null; lastError: string | null }[] }>()
      .items.filter((d) => d.channel?.id === leak || d.channel?.id === robot)
      .map((d) => d.lastError);
    expect(reasons.sort()).toEqual(['企业微信拒绝了消息，请核对机器人地址和安全设置', '对方返回 HTTP 500'].sort());
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${leak}`);
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${robot}`);
  });

  it('does not follow a redirect to a loopback address', async () => {
    const ws = c.tenant.workspaceId;
    const target = `http://localhost:${new URL(robots.url).port}/webhook`;
    const res = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'webhook',
      name: '跳转',
      url: `${robots.url}/redirect?to=${encodeURIComponent(target)}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const test = await c.tenant.owner.post(`/api/workspaces/${ws}/channels/${res.json().id}/test`);
    expect(test.json()).toMatchObject({ status: 'failed' });
    expect(test.json().lastError).toMatch(/^对方返回 HTTP 302/);
    expect(robots.requests.map((r) => r.path)).toEqual(['/redirect']);
    await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${res.json().id}`);
  });
});

describe.each(BACKENDS)('channel addresses without an allow-list on %s', (backend) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(backend, {});
  });
  afterAll(async () => {
    await c.close();
  });
  const port = () => new URL(robots.url).port;

  it('refuses loopback, unspecified, link-local, metadata and multicast addresses, naming the field', async () => {
    const ws = c.tenant.workspaceId;
    const cases: [string, string, string][] = [
      ['webhook', `http://127.0.0.1:${port()}/webhook`, '回环地址'],
      ['webhook', `http://localhost:${port()}/webhook`, '回环地址'],
      ['webhook', `http://2130706433:${port()}/webhook`, '回环地址'],
      ['webhook', `http://[::ffff:127.0.0.1]:${port()}/webhook`, '回环地址'],
      ['webhook', 'http://0.0.0.0:9200/', '未指定地址'],
      ['webhook', 'http://169.254.169.254/latest/meta-data/', '云服务器元数据地址'],
      ['wecom', 'http://100.100.100.200/cgi-bin/webhook/send?key=k', '云服务器元数据地址'],
      ['dingtalk', 'http://0x7f.0.0.1/robot/send?access_token=t', '回环地址'],
      ['feishu', 'http://[fe80::1]/open-apis/bot/v2/hook/h', '链路本地地址'],
      ['webhook', 'http://224.0.0.251/', '组播地址'],
      ['email', `smtp://zizhi@127.0.0.1:${smtp.port}`, '回环地址'],
      ['email', `smtp://2130706433:${smtp.port}`, '回环地址'],
      ['email', 'smtps://zizhi@localhost:465', '回环地址'],
    ];
    for (const [type, url, reason] of cases) {
      const res = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
        type,
        name: '内部地址',
        url,
        ...(type === 'email' ? { recipients: ['ops@example.cn'] } : {}),
      });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      const { error } = res.json<{ error: { field: string; message: string } }>();
      expect(error.field, url).toBe('url');
      expect(error.message, url).toContain(`地址不允许：${reason}`);
      expect(error.message).toContain('ZIZHI_CHANNEL_ALLOW_HOSTS');
    }
    expect((await c.tenant.owner.get(`/api/workspaces/${ws}/channels`)).json().items).toEqual([]);
  });

  it('accepts private intranet addresses, and refuses re-pointing a channel at loopback', async () => {
    const ws = c.tenant.workspaceId;
    const lan = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'webhook',
      name: '内网中转',
      url: 'http://10.0.0.5:8080/hook',
    });
    expect(lan.statusCode, lan.body).toBe(201);
    const mail = await c.tenant.owner.post(`/api/workspaces/${ws}/channels`, {
      type: 'email',
      name: '内网邮件',
      url: 'smtp://192.168.1.20:25',
      recipients: ['ops@example.cn'],
    });
    expect(mail.statusCode, mail.body).toBe(201);
    const moved = await c.tenant.owner.patch(`/api/workspaces/${ws}/channels/${lan.json().id}`, {
      url: `http://localhost:${port()}/webhook`,
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error).toMatchObject({ field: 'url' });
    expect(moved.json().error.message).toContain('地址不允许：回环地址');
    const [channel] = (await c.tenant.owner.get(`/api/workspaces/${ws}/channels`)).json().items;
    expect(channel.url).toBe('http://10.0.0.5:8080/hook');
    for (const id of [lan.json().id, mail.json().id])
      await c.tenant.owner.delete(`/api/workspaces/${ws}/channels/${id}`);
  });

  it('checks the address again when sending, and does not connect', async () => {
    const ws = c.tenant.workspaceId;
    // Stored as they would be had the names pointed elsewhere when the channels were saved.
    const key = Buffer.from(KEY, 'base64');
    const stored = [
      { type: 'webhook' as const, url: `http://localhost:${port()}/webhook`, recipients: [] },
      { type: 'email' as const, url: `smtp://zizhi@localhost:${smtp.port}`, recipients: ['ops@example.cn'] },
    ];
    const ids = await withSystem(c.database.db, async (tx) => {
      const rows = await tx
        .insert(channels)
        .values(
          stored.map((s) => ({
            workspaceId: ws,
            type: s.type,
            name: `改指向的${s.type}`,
            config: seal(key, JSON.stringify({ url: s.url, secret: 'smtp-password' })),
            hint: { url: maskUrl(s.url), hasSecret: true },
            recipients: s.recipients,
          })),
        )
        .returning({ id: channels.id });
      return rows.map((r) => r.id);
    });
    for (const id of ids) {
      const test = await c.tenant.owner.post(`/api/workspaces/${ws}/channels/${id}/test`);
      expect(test.statusCode, test.body).toBe(200);
      expect(test.json()).toMatchObject({ status: 'failed', lastError: '地址不允许：回环地址' });
    }
    expect(robots.requests).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
  });
});

/**
 * An admin limited to some organisations, inserted directly: how members join is not what these
 * tests are about, only what the membership allows.
 */
async function limitedAdmin(c: Ctx, orgIds: string[]) {
  const mail = email('limited');
  const passwordHash = await hashPassword(PASSWORD);
  const userId = await withSystem(c.database.db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: mail, name: '受限管理员', passwordHash })
      .returning({ id: users.id });
    await tx
      .insert(workspaceMembers)
      .values({ workspaceId: c.tenant.workspaceId, userId: user!.id, role: 'admin', orgIds });
    return user!.id;
  });
  return { client: await login(c.app, mail), userId };
}

describe.each(BACKENDS)('channels of an admin limited to some organisations on %s', (backend) => {
  let c: Ctx;
  let org2: string;
  let limited: Awaited<ReturnType<typeof limitedAdmin>>;
  const path = (rest = '') => `/api/workspaces/${c.tenant.workspaceId}/channels${rest}`;
  const hook = (name: string, orgIds?: string[] | null) => ({
    type: 'wecom',
    name,
    url: `${robots.url}/wecom?key=${encodeURIComponent(name)}`,
    ...(orgIds === undefined ? {} : { orgIds }),
  });
  beforeAll(async () => {
    c = await setup(backend);
    org2 = (await createOrg(c.tenant, CREDIT_CODES[1], '第二家企业')).id;
    limited = await limitedAdmin(c, [c.orgId]);
  });
  afterAll(async () => {
    await c.close();
  });

  it('may create channels only for some of their own organisations', async () => {
    const refused: [Record<string, unknown>, RegExp][] = [
      [hook('全工作空间'), /仅限部分企业/],
      [hook('显式为空', null), /仅限部分企业/],
      [hook('空列表', []), /仅限部分企业/],
      [hook('别家企业', [org2]), /只能选择您有权管理的企业/],
      [hook('混合', [c.orgId, org2]), /只能选择您有权管理的企业/],
    ];
    for (const [body, message] of refused) {
      const res = await limited.client.post(path(), body);
      expect(res.statusCode, `${String(body.name)}: ${res.body}`).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', field: 'orgIds' });
      expect(res.json().error.message).toMatch(message);
    }
    const own = await limited.client.post(path(), hook('本企业', [c.orgId]));
    expect(own.statusCode, own.body).toBe(201);
    const names = (await c.tenant.owner.get(path())).json().items.map((i: { name: string }) => i.name);
    expect(names).toEqual(['本企业']);
    await c.tenant.owner.delete(path(`/${own.json().id}`));
  });

  it('may not change, test or delete a channel reaching beyond their organisations', async () => {
    const made: Record<string, { id: string; name: string; orgIds: string[] | null }> = {};
    for (const [label, orgIds] of [
      ['wide', null],
      ['other', [org2]],
      ['mixed', [c.orgId, org2]],
    ] as const) {
      const res = await c.tenant.owner.post(path(), hook(`管理员的${label}`, orgIds === null ? null : [...orgIds]));
      expect(res.statusCode, res.body).toBe(201);
      made[label] = res.json();
    }
    for (const { id } of Object.values(made)) {
      for (const res of [
        await limited.client.patch(path(`/${id}`), { name: '改名' }),
        // Re-pointing the channel at their own organisation would take it from the others.
        await limited.client.patch(path(`/${id}`), { orgIds: [c.orgId] }),
        await limited.client.patch(path(`/${id}`), { url: `${robots.url}/wecom?key=mine` }),
        await limited.client.post(path(`/${id}/test`)),
        await limited.client.delete(path(`/${id}`)),
      ]) {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error.message).toMatch(/不能修改、测试或删除/);
      }
    }
    const after = (await c.tenant.owner.get(path())).json<{
      items: { id: string; name: string; orgIds: string[] | null; url: string }[];
    }>().items;
    expect(after.map(({ id, name, orgIds }) => ({ id, name, orgIds }))).toEqual(
      Object.values(made).map(({ id, name, orgIds }) => ({ id, name, orgIds })),
    );
    expect(robots.requests).toHaveLength(0);
    for (const { id } of Object.values(made)) await c.tenant.owner.delete(path(`/${id}`));
  });

  it('may change, test and delete their own channel, but not widen it', async () => {
    const own = (await limited.client.post(path(), hook('自己的', [c.orgId]))).json<{ id: string }>();
    for (const orgIds of [null, [], [c.orgId, org2], [org2]]) {
      const res = await limited.client.patch(path(`/${own.id}`), { orgIds });
      expect(res.statusCode, `${JSON.stringify(orgIds)}: ${res.body}`).toBe(403);
      expect(res.json().error.field).toBe('orgIds');
    }
    const renamed = await limited.client.patch(path(`/${own.id}`), { name: '自己的（改名）' });
    expect(renamed.json()).toMatchObject({ name: '自己的（改名）', orgIds: [c.orgId] });
    const test = await limited.client.post(path(`/${own.id}/test`));
    expect(test.json()).toMatchObject({ status: 'sent' });
    expect((await limited.client.delete(path(`/${own.id}`))).statusCode).toBe(204);
  });

  it('shows them only the deliveries of their organisations in the log', async () => {
    const ws = c.tenant.workspaceId;
    const mine = (await c.tenant.owner.post(path(), hook('第一家的', [c.orgId]))).json<{ id: string }>().id;
    const wide = (await c.tenant.owner.post(path(), hook('全体的'))).json<{ id: string }>().id;
    const reminder = { titleZh: '提醒' };
    const digest = { period: 'daily', date: '2026-11-27', link: 'https://zizhi.example.com', reminders: [] };
    const rows = {
      org1: { orgId: c.orgId, kind: 'reminder' as const, channelId: mine, payload: reminder },
      org2: { orgId: org2, kind: 'reminder' as const, channelId: wide, payload: reminder },
      testMine: { kind: 'test' as const, channelId: mine, payload: reminder },
      testWide: { kind: 'test' as const, channelId: wide, payload: reminder },
      digestOwner: { kind: 'digest' as const, userId: c.tenant.ownerId, channelType: 'in-app', payload: digest },
      digestMine: { kind: 'digest' as const, userId: limited.userId, channelType: 'in-app', payload: digest },
    };
    const ids = await withSystem(c.database.db, async (tx) => {
      const out: Record<string, string> = {};
      for (const [label, row] of Object.entries(rows)) {
        const [d] = await tx
          .insert(deliveries)
          .values({ workspaceId: ws, key: `log:${label}`, channelType: 'wecom', status: 'sent', ...row })
          .returning({ id: deliveries.id });
        out[label] = d!.id;
      }
      return out;
    });
    const seen = async (client: typeof limited.client) => {
      const res = await client.get(`/api/workspaces/${ws}/deliveries?limit=200`);
      expect(res.statusCode, res.body).toBe(200);
      const got = new Set(res.json<{ items: { id: string }[] }>().items.map((d) => d.id));
      return Object.keys(ids).filter((label) => got.has(ids[label]!));
    };
    expect(await seen(limited.client)).toEqual(['org1', 'testMine', 'digestMine']);
    expect(await seen(c.tenant.owner)).toEqual(Object.keys(rows));
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
