import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../app.js';
import { apiTokens } from '../../db/schema.js';
import { chinaToday, setClock } from '../../clock.js';
import { loadConfig } from '../../config/index.js';
import {
  BACKENDS,
  client,
  createTestApp,
  createTestDatabase,
  email,
  login,
  PASSWORD,
  sessionCookie,
  setupAdmin,
  TEST_NOW,
  type TestApp,
} from '../../test/harness.js';

describe.each(BACKENDS)('set-up, log-in and sessions (%s)', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(backend);
  });
  afterEach(() => t.close());

  it('offers set-up only until the first administrator exists', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: true });
    const first = await setupAdmin(t.app);
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: email(), name: '第二位', password: PASSWORD },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SETUP_DONE');
    const me = (await first.owner.get('/api/me')).json();
    expect(me.user.isAdmin).toBe(true);
    expect(me.workspaces).toEqual([
      { id: first.workspaceId, name: '我的工作空间', kind: 'company', demo: false, role: 'owner', orgIds: null },
    ]);
  });

  it('rejects a short password at set-up, naming the field, and creates nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: email(), name: '管理员', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', field: 'password' });
    expect(res.json().error.message).toContain('10');
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json().needed).toBe(true);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie on log-in and ends it on log-out', async () => {
    const { owner } = await setupAdmin(t.app);
    const mail = (await owner.get('/api/me')).json().user.email;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: mail.toUpperCase(), password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'zizhi_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const session = client(t.app, { cookie: sessionCookie(res), csrf: res.json().csrfToken });
    expect((await session.get('/api/me')).statusCode).toBe(200);
    expect((await session.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await session.get('/api/me')).statusCode).toBe(401);
  });

  it('says the same thing for an unknown e-mail and a wrong password', async () => {
    await setupAdmin(t.app);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.cn', password: PASSWORD },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an unknown address out of an account after 10 failures in 15 minutes, even with the right password', async () => {
    const { owner } = await setupAdmin(t.app);
    const mail = (await owner.get('/api/me')).json().user.email;
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '192.0.2.44',
        payload: { email: mail, password: 'wrong-password' },
      });
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '192.0.2.44',
      payload: { email: mail, password: PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    expect(locked.json().error.message).toContain('15 分钟');
    expect(locked.headers['retry-after']).toBe('900');
  });

  it('limits failures per IP across accounts', async () => {
    await setupAdmin(t.app);
    for (let i = 0; i < 30; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `guess${i}@example.cn`, password: 'wrong-password' },
        remoteAddress: '10.9.8.7',
      });
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'other@example.cn', password: 'whatever-pw' },
      remoteAddress: '10.9.8.7',
    });
    expect(res.statusCode).toBe(429);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'other@example.cn', password: 'whatever-pw' },
      remoteAddress: '10.9.8.8',
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const { owner, workspaceId } = await setupAdmin(t.app);
    const auth = owner.auth as { cookie: string };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { cookie: auth.cookie },
      payload: { workspaceId, name: '无令牌', creditCode: '91440300708461136T' },
    });
    expect(res.statusCode).toBe(403);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { cookie: auth.cookie, 'x-csrf-token': 'not-the-token' },
      payload: { workspaceId, name: '错令牌', creditCode: '91440300708461136T' },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await owner.get(`/api/orgs?workspaceId=${workspaceId}`)).json().items).toHaveLength(0);
  });

  it('authenticates a personal API token without CSRF, shows it once, and refuses it once revoked', async () => {
    const { owner, workspaceId } = await setupAdmin(t.app);
    const created = await owner.post('/api/tokens', { name: '自动化脚本' });
    expect(created.statusCode).toBe(201);
    const { id, token, prefix } = created.json();
    expect(token.startsWith(prefix)).toBe(true);
    const list = (await owner.get('/api/tokens')).json().items;
    expect(list).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(token);
    const bot = client(t.app, { bearer: token });
    const org = await bot.post('/api/orgs', { workspaceId, name: '脚本创建', creditCode: '91440300708461136T' });
    expect(org.statusCode).toBe(201);
    expect((await owner.delete(`/api/tokens/${id}`)).statusCode).toBe(204);
    const after = await bot.get('/api/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token whose expiry date has passed, and creating one that is already expired', async () => {
    const { owner } = await setupAdmin(t.app);
    const past = await owner.post('/api/tokens', { name: '旧令牌', expiresOn: '2020-01-01' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.field).toBe('expiresOn');
    const { id, token } = (await owner.post('/api/tokens', { name: '今天到期', expiresOn: chinaToday() })).json();
    const bot = client(t.app, { bearer: token });
    expect((await bot.get('/api/me')).statusCode).toBe(200);
    await t.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(TEST_NOW - 1000) })
      .where(eq(apiTokens.id, id));
    expect((await bot.get('/api/me')).statusCode).toBe(401);
  });

  it('does not let an API token create more tokens', async () => {
    const { owner } = await setupAdmin(t.app);
    const { token } = (await owner.post('/api/tokens', { name: '脚本' })).json();
    const res = await client(t.app, { bearer: token }).post('/api/tokens', { name: '子令牌' });
    expect(res.statusCode).toBe(403);
    expect((await owner.get('/api/tokens')).json().items).toHaveLength(1);
  });

  it('counts parallel wrong guesses against the limit', async () => {
    const { owner } = await setupAdmin(t.app);
    const mail = (await owner.get('/api/me')).json().user.email;
    const guesses = await Promise.all(
      Array.from({ length: 14 }, () =>
        t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: mail, password: 'wrong-password' } }),
      ),
    );
    const codes = guesses.map((g) => g.statusCode).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(4);
  });

  it('does not let guesses from elsewhere lock an account out, and slows its own address down instead', async () => {
    const { owner } = await setupAdmin(t.app);
    const mail = (await owner.get('/api/me')).json().user.email;
    const from = (ip: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { email: mail, password } });
    // An attacker at 203.0.113.9 guesses ten times: that address is locked for this account …
    for (let i = 0; i < 10; i++) expect((await from('203.0.113.9', `guess-${i}-wrong`)).statusCode).toBe(401);
    const locked = await from('203.0.113.9', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    // … while the owner's own address (127.0.0.1, used at set-up) still logs in.
    expect((await from('127.0.0.1', PASSWORD)).statusCode).toBe(200);
    // Failures from the owner's address slow down rather than lock: a short wait, then it works.
    for (let i = 0; i < 10; i++) expect((await from('127.0.0.1', `typo-${i}-wrong`)).statusCode).toBe(401);
    const slowed = await from('127.0.0.1', PASSWORD);
    expect(slowed.statusCode).toBe(429);
    const wait = Number(slowed.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    try {
      setClock(() => TEST_NOW + (wait + 1) * 1000);
      expect((await from('127.0.0.1', PASSWORD)).statusCode).toBe(200);
      // The attacker's address is still locked for the rest of its window.
      expect((await from('203.0.113.9', PASSWORD)).statusCode).toBe(429);
    } finally {
      setClock(() => TEST_NOW);
    }
  });

  it('limits one address guessing over many accounts, without locking out accounts that know it', async () => {
    const { owner } = await setupAdmin(t.app);
    const mail = (await owner.get('/api/me')).json().user.email;
    const office = '198.51.100.7';
    // The owner logs in from the office once: that address is now theirs.
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: office,
      payload: { email: mail, password: PASSWORD },
    });
    expect(first.statusCode).toBe(200);
    for (let i = 0; i < 30; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: office,
        payload: { email: `nobody${i}@example.cn`, password: 'spray-password' },
      });
      expect(res.statusCode).toBe(401);
    }
    const sprayed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: office,
      payload: { email: 'nobody-else@example.cn', password: 'spray-password' },
    });
    expect(sprayed.statusCode).toBe(429);
    expect(sprayed.headers['retry-after']).toBeDefined();
    const owners = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: office,
      payload: { email: mail, password: PASSWORD },
    });
    expect(owners.statusCode).toBe(200);
  });

  it('changes passwords only from a log-in session, and counts wrong current passwords against the limit', async () => {
    const { owner } = await setupAdmin(t.app);
    const { token } = (await owner.post('/api/tokens', { name: '被盗的令牌' })).json();
    const stolen = client(t.app, { bearer: token });
    const viaToken = await stolen.post('/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'taken-over-password',
    });
    expect(viaToken.statusCode).toBe(403);
    for (let i = 0; i < 10; i++) {
      const res = await owner.post('/api/me/password', {
        currentPassword: `wrong-${i}-guess`,
        newPassword: 'x-new-password-1',
      });
      expect(res.statusCode).toBe(400);
    }
    // Limited now, even with the right current password; the response says when to retry.
    const limited = await owner.post('/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'x-new-password-1',
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('changes one’s own password after checking the current one, ending the other sessions', async () => {
    const { owner } = await setupAdmin(t.app);
    const mail = (await owner.get('/api/me')).json().user.email;
    const other = await login(t.app, mail);
    const wrong = await owner.post('/api/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-brand-new-password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('currentPassword');
    const short = await owner.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('newPassword');
    expect(
      (await owner.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'a-brand-new-password' }))
        .statusCode,
    ).toBe(204);
    expect((await owner.get('/api/me')).statusCode).toBe(200);
    expect((await other.get('/api/me')).statusCode).toBe(401);
    await expect(login(t.app, mail)).rejects.toThrow();
    expect((await login(t.app, mail, 'a-brand-new-password').then((c) => c.get('/api/me'))).statusCode).toBe(200);
  });
});

describe('secrets in logs', () => {
  it('never writes passwords, cookies or tokens to the log, even at trace level', async () => {
    let log = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        log += String(chunk);
        cb();
      },
    });
    const database = await createTestDatabase('pglite');
    const app = await buildApp({ database, config: loadConfig({}, { logLevel: 'trace' }), logStream: sink });
    try {
      const { owner } = await setupAdmin(app);
      const mail = (await owner.get('/api/me')).json().user.email;
      const session = await login(app, mail);
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: mail, password: 'wrong-password-1' },
      });
      const { token } = (await session.post('/api/tokens', { name: '日志测试' })).json();
      await client(app, { bearer: token }).get('/api/me');
      expect(log).toContain('/api/me');
      for (const secret of [
        PASSWORD,
        'wrong-password-1',
        token,
        (session.auth as { cookie: string }).cookie.split('=')[1]!,
        (session.auth as { csrf: string }).csrf,
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await app.close();
      await database.close();
    }
  });
});
