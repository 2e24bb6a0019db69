import os from 'node:os';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { setClock } from '../../clock.js';
import { loadConfig } from '../../config/index.js';
import { invitations } from '../../db/schema.js';
import { withActor, withSystem } from '../../db/tenancy.js';
import {
  acceptInvitation,
  addMember,
  BACKENDS,
  type Backend,
  client,
  createOrg,
  createTenant,
  createTestDatabase,
  CREDIT_CODES,
  email,
  invite,
  inviteToken,
  login,
  sessionCookie,
  setupAdmin,
  TEST_NOW,
  type Tenant,
} from '../../test/harness.js';
import type { Database } from '../../db/client.js';
import type { FastifyInstance } from 'fastify';
import { startSmtpSink, type SmtpSink } from '../../test/peers.js';

/** A test app that sends account e-mails to a real SMTP sink, with a configured public URL. */
async function mailingApp(backend: Backend) {
  const smtp = await startSmtpSink();
  const database = await createTestDatabase(backend);
  const config = loadConfig(
    {},
    {
      dataDir: os.tmpdir(),
      logLevel: 'silent',
      smtpUrl: `smtp://zizhi:smtp-password@127.0.0.1:${smtp.port}`,
      smtpFrom: '资质提醒 <zizhi@example.cn>',
      publicUrl: 'https://zizhi.example.cn',
    },
  );
  const app = await buildApp({ database, config, logger: false });
  const close = async () => {
    await app.close();
    await database.close();
    await smtp.close();
  };
  return { app, database, smtp, close };
}

describe.each(BACKENDS)('invitations instead of admin-set passwords (%s)', (backend) => {
  let database: Database;
  let app: FastifyInstance;
  let smtp: SmtpSink;
  let a: Tenant;
  let b: Tenant;
  let bOwnerEmail: string;

  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, database, smtp, close } = await mailingApp(backend));
    a = await setupAdmin(app);
    b = await createTenant(app, a.owner, '另一家公司');
    bOwnerEmail = (await b.owner.get('/api/me')).json().user.email;
  });
  afterAll(() => close());

  const anon = () => client(app, null);

  it('never lets an admin of one workspace set the password of an existing account', async () => {
    // The attack: A's admin "adds" B's owner with a password of their choosing.
    const res = await a.owner.post(`/api/workspaces/${a.workspaceId}/members`, {
      email: bOwnerEmail,
      name: '冒名',
      password: 'attacker-knows-this',
      role: 'viewer',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().invitation.state).toBe('pending');
    // Nothing joined, nothing changed: the chosen password opens nothing, the owner's still works.
    const members = (await a.owner.get(`/api/workspaces/${a.workspaceId}/members`)).json().items;
    expect(members.map((m: { email: string }) => m.email)).not.toContain(bOwnerEmail);
    const tried = await anon().post('/api/auth/login', { email: bOwnerEmail, password: 'attacker-knows-this' });
    expect(tried.statusCode).toBe(401);
    expect((await login(app, bOwnerEmail)).auth).toBeTruthy();
    // Even a temporary password never attaches to an existing account.
    await a.owner.post(`/api/workspaces/${a.workspaceId}/members`, {
      email: bOwnerEmail,
      name: '冒名',
      temporaryPassword: 'attacker-temporary-1',
      role: 'viewer',
    });
    const temp = await anon().post('/api/auth/login', { email: bOwnerEmail, password: 'attacker-temporary-1' });
    expect(temp.statusCode).toBe(401);
    // And accepting the link without logging in as that account cannot create or take it over.
    const token = inviteToken(res.json().inviteUrl);
    const grab = await anon().post(`/api/invitations/${token}/accept`, { password: 'attacker-new-password' });
    expect(grab.statusCode).toBe(404); // replaced by the temporary-password invitation above
  });

  it('answers the same for an address with an account and one without', async () => {
    const fresh = email('fresh');
    const [known, unknown] = await Promise.all([
      a.owner.post(`/api/workspaces/${a.workspaceId}/members`, { email: bOwnerEmail, name: '甲', role: 'viewer' }),
      a.owner.post(`/api/workspaces/${a.workspaceId}/members`, { email: fresh, name: '甲', role: 'viewer' }),
    ]);
    expect(known.statusCode).toBe(201);
    expect(unknown.statusCode).toBe(201);
    const shape = (r: typeof known) => {
      const { invitation, emailSent } = r.json();
      return { ...invitation, id: '', email: '', createdAt: '', expiresAt: '', emailSent };
    };
    expect(shape(known)).toEqual(shape(unknown));
    // Neither reveals another workspace's name for the person.
    expect(known.body).not.toContain('另一家公司');
    expect(known.body).not.toContain('另一位所有者');
  });

  it('lets a new person join with their own password through a single-use link e-mailed to them', async () => {
    const mail = email('newcomer');
    const before = smtp.mails.length;
    const res = await a.owner.post(`/api/workspaces/${a.workspaceId}/members`, {
      email: mail,
      name: '新同事',
      role: 'manager',
    });
    expect(res.json().emailSent).toBe(true);
    const token = inviteToken(res.json().inviteUrl);
    expect(res.json().inviteUrl).toBe(`https://zizhi.example.cn/invite#${token}`);
    const sent = smtp.mails.slice(before).find((m) => m.envelopeTo.includes(mail))!;
    expect(sent.subject).toContain('邀请您加入');
    expect(sent.text).toContain(token);

    const preview = await anon().get(`/api/invitations/${token}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ email: mail, role: 'manager', workspaceName: '我的工作空间' });

    const missing = await anon().post(`/api/invitations/${token}/accept`, {});
    expect(missing.statusCode).toBe(400);
    const joined = await acceptInvitation(app, token, 'my-own-password-1');
    expect((await joined.client.get('/api/me')).json().workspaces[0]).toMatchObject({ role: 'manager' });
    expect((await login(app, mail, 'my-own-password-1')).auth).toBeTruthy();
    // Single use.
    expect((await anon().post(`/api/invitations/${token}/accept`, { password: 'another-password' })).statusCode).toBe(
      404,
    );
    expect((await anon().get(`/api/invitations/${token}`)).statusCode).toBe(404);
  });

  it('makes an existing account log in before it joins, as the invited address only', async () => {
    const token = await invite(a.owner, a.workspaceId, { email: bOwnerEmail, name: 'B 的所有者', role: 'viewer' });
    const notLoggedIn = await anon().post(`/api/invitations/${token}/accept`, { password: 'whatever-password' });
    expect(notLoggedIn.statusCode).toBe(409);
    expect(notLoggedIn.json().error.message).toContain('请先用该账户登录');
    const someoneElse = (await addMember(app, a, 'viewer')).client;
    expect((await someoneElse.post(`/api/invitations/${token}/accept`, {})).statusCode).toBe(403);
    const accepted = await b.owner.post(`/api/invitations/${token}/accept`, {});
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ workspaceId: a.workspaceId, user: null });
    const spaces = (await b.owner.get('/api/me')).json().workspaces.map((w: { id: string }) => w.id);
    expect(spaces).toContain(a.workspaceId);
    // Leave again, so the tenants stay separate for the other tests.
    const bId = (await b.owner.get('/api/me')).json().user.id;
    expect((await a.owner.delete(`/api/workspaces/${a.workspaceId}/members/${bId}`)).statusCode).toBe(204);
  });

  it('expires links after 7 days, and lets an admin revoke or renew them', async () => {
    const mail = email('late');
    const res = await a.owner.post(`/api/workspaces/${a.workspaceId}/members`, {
      email: mail,
      name: '迟到',
      role: 'viewer',
    });
    const { id } = res.json().invitation;
    const token = inviteToken(res.json().inviteUrl);
    try {
      setClock(() => TEST_NOW + 7 * 86_400_000 + 1000);
      expect((await anon().get(`/api/invitations/${token}`)).statusCode).toBe(404);
      const listed = (await a.owner.get(`/api/workspaces/${a.workspaceId}/invitations`)).json().items;
      expect(listed.find((i: { id: string }) => i.id === id).state).toBe('expired');
      const renewed = await a.owner.post(`/api/workspaces/${a.workspaceId}/invitations/${id}/renew`);
      expect(renewed.statusCode).toBe(200);
      const fresh = inviteToken(renewed.json().inviteUrl);
      expect(fresh).not.toBe(token);
      expect((await anon().get(`/api/invitations/${fresh}`)).statusCode).toBe(200);
      expect((await a.owner.delete(`/api/workspaces/${a.workspaceId}/invitations/${id}`)).statusCode).toBe(204);
      expect((await anon().get(`/api/invitations/${fresh}`)).statusCode).toBe(404);
    } finally {
      setClock(() => TEST_NOW);
    }
    const stored = await withSystem(database.db, (tx) =>
      tx
        .select({ hash: invitations.tokenHash })
        .from(invitations)
        .where(sql`${invitations.id} = ${id}`),
    );
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('creates an account with a temporary password only at its first log-in, forced to change it', async () => {
    const mail = email('office');
    const res = await a.owner.post(`/api/workspaces/${a.workspaceId}/members`, {
      email: mail,
      name: '没有邮箱的同事',
      role: 'contributor',
      temporaryPassword: 'temporary-pass-1',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ emailSent: false, invitation: { withTemporaryPassword: true } });
    const first = await anon().post('/api/auth/login', { email: mail, password: 'temporary-pass-1' });
    expect(first.statusCode).toBe(200);
    expect(first.json().user.mustChangePassword).toBe(true);
    const me = client(app, { cookie: sessionCookie(first), csrf: first.json().csrfToken });
    expect((await me.get('/api/me')).json().user.mustChangePassword).toBe(true);
    const blocked = await me.get('/api/orgs');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.message).toContain('临时密码');
    expect(
      (await me.post('/api/me/password', { currentPassword: 'temporary-pass-1', newPassword: 'chosen-by-me-1' }))
        .statusCode,
    ).toBe(204);
    expect((await me.get('/api/orgs')).statusCode).toBe(200);
    expect((await me.get('/api/me')).json().workspaces[0].role).toBe('contributor');
    // The temporary password is gone.
    expect((await anon().post('/api/auth/login', { email: mail, password: 'temporary-pass-1' })).statusCode).toBe(401);
  });

  it('keeps limited admins within their organisations for members and invitations', async () => {
    const orgA = await createOrg(a, CREDIT_CODES[1], '甲企业');
    const orgB = await createOrg(a, CREDIT_CODES[2], '乙企业');
    const limited = await addMember(app, a, 'admin', [orgA.id]);
    const inB = await addMember(app, a, 'viewer', [orgB.id]);
    const inA = await addMember(app, a, 'viewer', [orgA.id]);
    const ws = `/api/workspaces/${a.workspaceId}`;
    // Promote or re-point a member outside the limit: refused.
    expect((await limited.client.patch(`${ws}/members/${inB.userId}`, { role: 'admin' })).statusCode).toBe(403);
    expect((await limited.client.delete(`${ws}/members/${inB.userId}`)).statusCode).toBe(403);
    // Move one of their own members to another organisation: refused.
    expect((await limited.client.patch(`${ws}/members/${inA.userId}`, { orgIds: [orgB.id] })).statusCode).toBe(403);
    expect((await limited.client.patch(`${ws}/members/${inA.userId}`, { orgIds: [orgA.id, orgB.id] })).statusCode).toBe(
      403,
    );
    // Within the limit: allowed.
    expect((await limited.client.patch(`${ws}/members/${inA.userId}`, { role: 'manager' })).statusCode).toBe(200);
    // Invitations outside the limit: refused, and invisible.
    const out = await limited.client.post(`${ws}/members`, {
      email: email('x'),
      name: '外',
      role: 'viewer',
      orgIds: [orgB.id],
    });
    expect(out.statusCode).toBe(403);
    const ownerInvite = await a.owner.post(`${ws}/members`, {
      email: email('y'),
      name: '乙',
      role: 'viewer',
      orgIds: [orgB.id],
    });
    const invId = ownerInvite.json().invitation.id;
    const seen = (await limited.client.get(`${ws}/invitations`)).json().items.map((i: { id: string }) => i.id);
    expect(seen).not.toContain(invId);
    expect((await limited.client.delete(`${ws}/invitations/${invId}`)).statusCode).toBe(403);
  });

  it('keeps invitations of one workspace from another (404) and from viewers (403)', async () => {
    const res = await a.owner.post(`/api/workspaces/${a.workspaceId}/members`, {
      email: email('z'),
      name: '丙',
      role: 'viewer',
    });
    const invId = res.json().invitation.id;
    expect((await b.owner.get(`/api/workspaces/${a.workspaceId}/invitations`)).statusCode).toBe(404);
    expect((await b.owner.delete(`/api/workspaces/${a.workspaceId}/invitations/${invId}`)).statusCode).toBe(404);
    expect((await b.owner.post(`/api/workspaces/${b.workspaceId}/invitations/${invId}/renew`)).statusCode).toBe(404);
    const viewer = (await addMember(app, a, 'viewer')).client;
    expect((await viewer.get(`/api/workspaces/${a.workspaceId}/invitations`)).statusCode).toBe(403);
    expect(
      (await viewer.post(`/api/workspaces/${a.workspaceId}/members`, { email: email(), name: 'v', role: 'viewer' }))
        .statusCode,
    ).toBe(403);
  });

  it('does not let tenant code insert users or see people outside its workspaces', async () => {
    const me = (await a.owner.get('/api/me')).json().user.id;
    await expect(
      withActor(database.db, me, (tx) =>
        tx.execute(sql`insert into users (email, name, password_hash, is_admin) values ('root@x.cn', 'x', 'x', true)`),
      ),
    ).rejects.toThrow();
    const visible = await withActor(database.db, me, (tx) => tx.execute(sql`select lower(email) as email from users`));
    const emails = (visible as { rows: Array<{ email: string }> }).rows.map((r) => r.email);
    expect(emails).not.toContain(bOwnerEmail.toLowerCase());
    expect(emails.length).toBeGreaterThan(0);
  });
});

describe.each(BACKENDS)('password reset by e-mail (%s)', (backend) => {
  let app: FastifyInstance;
  let smtp: SmtpSink;
  let tenant: Tenant;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, smtp, close } = await mailingApp(backend));
    tenant = await setupAdmin(app);
  });
  afterAll(() => close());

  /** Asks for a reset of `mail` and returns the token from the e-mail. */
  const resetToken = async (mail: string) => {
    const before = smtp.mails.length;
    const asked = await app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: mail } });
    expect(asked.statusCode).toBe(202);
    for (let i = 0; i < 100; i++) {
      const sent = smtp.mails.slice(before).find((m) => m.envelopeTo.includes(mail));
      if (sent) {
        expect(sent.subject).toContain('重置密码');
        return /https:\/\/zizhi\.example\.cn\/reset-password#([\w-]+)/.exec(sent.text ?? '')![1]!;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail to ${mail}`);
  };
  const confirm = (token: string, newPassword: string) =>
    app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, newPassword } });

  it('sends a single-use link that ends every session, answering unknown addresses the same', async () => {
    const member = await addMember(app, tenant, 'manager');
    const other = await login(app, member.email);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'nobody.here@example.cn' },
    });
    expect(unknown.statusCode).toBe(202);
    const token = await resetToken(member.email);
    expect((await confirm(token, 'short')).statusCode).toBe(400);
    expect((await confirm(token, 'a-reset-password-1')).statusCode).toBe(204);
    expect((await member.client.get('/api/me')).statusCode).toBe(401);
    expect((await other.get('/api/me')).statusCode).toBe(401);
    await expect(login(app, member.email)).rejects.toThrow();
    expect((await login(app, member.email, 'a-reset-password-1')).auth).toBeTruthy();
    const again = await confirm(token, 'a-reset-password-2');
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toContain('重置链接无效');
    expect(smtp.mails.some((m) => m.envelopeTo.includes('nobody.here@example.cn'))).toBe(false);
  });

  it('refuses a reset link after 30 minutes', async () => {
    const member = await addMember(app, tenant, 'viewer');
    const token = await resetToken(member.email);
    try {
      setClock(() => TEST_NOW + 31 * 60_000);
      expect((await confirm(token, 'too-late-password')).statusCode).toBe(400);
    } finally {
      setClock(() => TEST_NOW);
    }
    expect((await login(app, member.email)).auth).toBeTruthy();
  });
});
