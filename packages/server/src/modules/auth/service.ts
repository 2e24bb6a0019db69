import { and, count, desc, eq, gt, isNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  apiTokens,
  invitations,
  knownLoginIps,
  loginFailures,
  passwordResets,
  sessions,
  users,
  workspaceMembers,
  workspaces,
} from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, conflict, type Bilingual } from '../../errors.js';
import { recordAccountAudit, recordAudit } from '../../access/audit.js';
import { now } from '../../clock.js';
import type { Actor } from '../../access/actor.js';
import { hashPassword, newSecret, sha256, verifyPassword } from '../../access/crypto.js';

/**
 * Log-in limits over a sliding window. Failures count per (account, IP): guesses from elsewhere
 * cannot lock an account's owner out. From an address the account has logged in from before, the
 * limit slows attempts down (doubling waits up to `maxBackoffSeconds`) instead of locking. Addresses
 * not known for the account are also limited per IP over all accounts (spraying one password over
 * many addresses, or unknown accounts) and per account over all unknown IPs (a distributed guess).
 */
export const LOGIN_LIMIT = {
  failures: 10,
  windowMinutes: 15,
  perIp: 30,
  perAccountUnknownIps: 50,
  maxBackoffSeconds: 60,
};

/** A refusal with the seconds after which trying again may succeed (sent as `Retry-After`). */
export class RateLimitedError extends AppError {
  constructor(
    message: string | Bilingual,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

function limitedMessage(seconds: number): Bilingual {
  const minutes = Math.ceil(seconds / 60);
  const wait = seconds >= 90 ? `${minutes} 分钟` : `${seconds} 秒`;
  const waitEn = seconds >= 90 ? `${minutes} minutes` : `${seconds} seconds`;
  return {
    zh: `登录失败次数过多，请 ${wait}后再试；忘记密码可通过“忘记密码”重置`,
    en: `Too many failed attempts. Try again in ${waitEn}, or reset your password with “Forgot password”.`,
  };
}

/**
 * Whether another password attempt for `email` from `ip` may be made now; null when it may,
 * else the seconds to wait. Runs under the account's advisory lock (see `login`).
 */
async function loginWait(tx: Tx, email: string, ip: string, userId: string | null): Promise<number | null> {
  const at = now();
  const since = new Date(at - LOGIN_LIMIT.windowMinutes * 60_000);
  const windowMs = LOGIN_LIMIT.windowMinutes * 60_000;
  const known = userId
    ? (await tx.select({ ip: knownLoginIps.ip }).from(knownLoginIps).where(eq(knownLoginIps.userId, userId))).map(
        (r) => r.ip,
      )
    : [];
  const isKnown = known.includes(ip);
  const recent = (filter: ReturnType<typeof and>) =>
    tx
      .select({ n: count(), first: sql<string>`min(${loginFailures.at})`, last: sql<string>`max(${loginFailures.at})` })
      .from(loginFailures)
      .where(and(filter, gt(loginFailures.at, since)));
  const untilWindowEnds = (first: string) => Math.max(1, Math.ceil((new Date(first).getTime() + windowMs - at) / 1000));

  const [pair] = await recent(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip)));
  const pairCount = Number(pair?.n ?? 0);
  if (pairCount >= LOGIN_LIMIT.failures) {
    if (!isKnown) return untilWindowEnds(pair!.first);
    const backoff = Math.min(2 ** (pairCount - LOGIN_LIMIT.failures + 1), LOGIN_LIMIT.maxBackoffSeconds);
    const wait = Math.ceil((new Date(pair!.last).getTime() + backoff * 1000 - at) / 1000);
    if (wait > 0) return wait;
  }
  if (isKnown) return null;
  const [byIp] = await recent(eq(loginFailures.ip, ip));
  if (Number(byIp?.n ?? 0) >= LOGIN_LIMIT.perIp) return untilWindowEnds(byIp!.first);
  const [byAccount] = await recent(
    known.length
      ? and(eq(loginFailures.email, email), notInArray(loginFailures.ip, known))
      : eq(loginFailures.email, email),
  );
  if (Number(byAccount?.n ?? 0) >= LOGIN_LIMIT.perAccountUnknownIps) return untilWindowEnds(byAccount!.first);
  return null;
}

async function recordLoginFailure(tx: Tx, email: string, ip: string): Promise<void> {
  await tx.insert(loginFailures).values({ email, ip, at: new Date(now()) });
  // Old rows only slow the counts down; prune them while we are here.
  await tx.delete(loginFailures).where(lt(loginFailures.at, new Date(now() - LOGIN_LIMIT.windowMinutes * 60_000)));
}

async function rememberLoginIp(tx: Tx, userId: string, ip: string): Promise<void> {
  await tx
    .insert(knownLoginIps)
    .values({ userId, ip, lastLoginAt: new Date(now()) })
    .onConflictDoUpdate({ target: [knownLoginIps.userId, knownLoginIps.ip], set: { lastLoginAt: new Date(now()) } });
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  /** An account created with a temporary password must choose its own before anything else. */
  mustChangePassword: boolean;
}

const presentUser = (u: typeof users.$inferSelect): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isAdmin: u.isAdmin,
  mustChangePassword: u.mustChangePassword,
});

/** True while no user exists: the set-up page is offered only then. */
export async function isSetupNeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row?.n ?? 0) === 0;
}

/**
 * Creates a user; the e-mail address must be new. System transactions only: tenant code may not
 * insert users (set-up, an accepted invitation and a temporary password's first log-in do).
 */
export async function createUser(
  tx: Tx,
  input: {
    email: string;
    name: string;
    password?: string;
    passwordHash?: string;
    isAdmin?: boolean;
    mustChangePassword?: boolean;
  },
): Promise<PublicUser> {
  const existing = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
  if (existing.length > 0) {
    throw conflict(
      { zh: `电子邮件 ${input.email} 已被使用`, en: `The email address ${input.email} is already in use` },
      'email',
    );
  }
  const [user] = await tx
    .insert(users)
    .values({
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash: input.passwordHash ?? (await hashPassword(input.password ?? '')),
      isAdmin: input.isAdmin ?? false,
      mustChangePassword: input.mustChangePassword ?? false,
    })
    .returning();
  return presentUser(user!);
}

/**
 * First run: creates the administrator and a first workspace they own. Refused once any
 * user exists; the lock serialises two racing set-up requests.
 */
export async function completeSetup({
  db,
  input,
  ip,
}: {
  db: Db;
  input: { email: string; name: string; password: string; workspaceName?: string };
  ip: string;
}) {
  return withSystem(db, async (tx) => {
    await tx.execute(sql`lock table users in exclusive mode`);
    const [row] = await tx.select({ n: count() }).from(users);
    if (Number(row?.n ?? 0) > 0) {
      throw new AppError('SETUP_DONE', { zh: '系统已完成初始化，请直接登录', en: 'Setup is already done: log in' });
    }
    const user = await createUser(tx, { ...input, isAdmin: true });
    const [workspace] = await tx
      .insert(workspaces)
      .values({ name: input.workspaceName ?? '我的工作空间' })
      .returning();
    await tx.insert(workspaceMembers).values({ workspaceId: workspace!.id, userId: user.id, role: 'owner' });
    await recordAudit(tx, {
      action: 'setup.completed',
      actorId: user.id,
      workspaceId: workspace!.id,
      targetType: 'user',
      targetId: user.id,
      summary: { email: user.email, name: user.name, workspace: workspace!.name },
      ip,
    });
    return { user, workspace: { id: workspace!.id, name: workspace!.name } };
  });
}

/**
 * Creates a session row and returns the cookie value (only its hash is stored). The address it
 * came from becomes known good for the log-in limit.
 */
export async function createSession(
  tx: Tx,
  { userId, ip, userAgent, days }: { userId: string; ip: string; userAgent?: string; days: number },
) {
  const token = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(now() + days * 86_400_000);
  await tx.insert(sessions).values({
    userId,
    tokenHash: sha256(token),
    csrfToken,
    ip,
    userAgent: userAgent?.slice(0, 300) ?? null,
    expiresAt,
  });
  await rememberLoginIp(tx, userId, ip);
  return { token, csrfToken, expiresAt };
}

// Verified when the e-mail is unknown, so both answers take the same time and the log-in
// form does not reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * The account a temporary password opens: for an address without an account, a pending
 * invitation made with a temporary password creates the account at its first log-in (forced to
 * change the password) and joins its workspace. Never attaches to an existing account.
 */
async function loginWithTemporaryPassword(tx: Tx, email: string, password: string) {
  const pending = await tx
    .select()
    .from(invitations)
    .where(
      and(
        eq(sql`lower(${invitations.email})`, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date(now())),
        sql`${invitations.temporaryPasswordHash} is not null`,
      ),
    )
    .orderBy(desc(invitations.createdAt));
  for (const inv of pending) {
    if (!(await verifyPassword(inv.temporaryPasswordHash!, password))) continue;
    const user = await createUser(tx, {
      email,
      name: inv.name,
      passwordHash: inv.temporaryPasswordHash!,
      mustChangePassword: true,
    });
    await tx
      .insert(workspaceMembers)
      .values({ workspaceId: inv.workspaceId, userId: user.id, role: inv.role, orgIds: inv.orgIds });
    await tx
      .update(invitations)
      .set({ acceptedAt: new Date(now()), acceptedBy: user.id, temporaryPasswordHash: null })
      .where(eq(invitations.id, inv.id));
    await recordAudit(tx, {
      action: 'member.joined',
      actorId: user.id,
      workspaceId: inv.workspaceId,
      targetType: 'member',
      targetId: user.id,
      summary: { email, name: inv.name, role: inv.role, via: 'temporary-password' },
    });
    return user;
  }
  return null;
}

/**
 * Checks e-mail and password within LOGIN_LIMIT and opens a session. The same message for an
 * unknown e-mail and a wrong password. The check, the password test and the failure record run
 * under a per-account lock, so parallel guesses cannot slip past the limit.
 */
export async function login({
  db,
  email,
  password,
  ip,
  userAgent,
  sessionDays,
}: {
  db: Db;
  email: string;
  password: string;
  ip: string;
  userAgent?: string;
  sessionDays: number;
}) {
  const outcome = await withSystem(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${email}`}))`);
    const [found] = await tx
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, email));
    const wait = await loginWait(tx, email, ip, found?.id ?? null);
    if (wait !== null) return { kind: 'limited' as const, wait };
    let user: PublicUser | null = null;
    if (found) {
      if (await verifyPassword(found.passwordHash, password)) user = presentUser(found);
    } else {
      user = await loginWithTemporaryPassword(tx, email, password);
      if (!user) {
        dummyHash ??= hashPassword('not-a-real-password-0000');
        await verifyPassword(await dummyHash, password);
      }
    }
    if (!user) {
      await recordLoginFailure(tx, email, ip);
      await recordAccountAudit(tx, {
        action: 'auth.login-failed',
        actorId: found?.id ?? null,
        targetType: 'session',
        summary: { email },
        ip,
      });
      return { kind: 'failed' as const };
    }
    await tx.delete(loginFailures).where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip)));
    const session = await createSession(tx, { userId: user.id, ip, userAgent, days: sessionDays });
    await recordAccountAudit(tx, { action: 'auth.login', actorId: user.id, targetType: 'session', ip });
    return { kind: 'ok' as const, user, ...session };
  });
  if (outcome.kind === 'limited') throw new RateLimitedError(limitedMessage(outcome.wait), outcome.wait);
  if (outcome.kind === 'failed') {
    throw new AppError('INVALID_CREDENTIALS', { zh: '电子邮件或密码不正确', en: 'Wrong email address or password' });
  }
  return outcome;
}

/** Ends the session behind a cookie. */
export async function logout({ db, actor, ip }: { db: Db; actor: Actor; ip: string }) {
  if (!actor.sessionId) return;
  await withSystem(db, async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, actor.sessionId!));
    await recordAccountAudit(tx, { action: 'auth.logout', actorId: actor.userId, targetType: 'session', ip });
  });
}

const actorColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  isAdmin: users.isAdmin,
  mustChangePassword: users.mustChangePassword,
};

/**
 * Resolves a session cookie to its actor, or null when unknown or expired. Runs as a
 * transaction like the request's own work: on the embedded database that queues it fairly
 * with other requests' transactions instead of between their statements.
 */
export function actorFromSession(db: Db, token: string): Promise<Actor | null> {
  return withSystem(db, async (tx) => {
    const [row] = await tx
      .select({ session: sessions, user: actorColumns })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date(now()))));
    if (!row) return null;
    // Writing on every request would make each read a write; a minute's precision is enough.
    if (now() - row.session.lastSeenAt.getTime() > 60_000) {
      await tx
        .update(sessions)
        .set({ lastSeenAt: new Date(now()) })
        .where(eq(sessions.id, row.session.id));
    }
    return {
      userId: row.user.id,
      email: row.user.email,
      name: row.user.name,
      isAdmin: row.user.isAdmin,
      mustChangePassword: row.user.mustChangePassword,
      via: 'session' as const,
      sessionId: row.session.id,
      csrfToken: row.session.csrfToken,
    };
  });
}

/** Resolves a personal API token to its actor, or null when unknown, revoked or expired. */
export function actorFromToken(db: Db, token: string): Promise<Actor | null> {
  return withSystem(db, async (tx) => {
    const at = new Date(now());
    const [row] = await tx
      .select({ token: apiTokens, user: actorColumns })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, sha256(token)),
          isNull(apiTokens.revokedAt),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, at)),
        ),
      );
    if (!row) return null;
    if (!row.token.lastUsedAt || at.getTime() - row.token.lastUsedAt.getTime() > 60_000) {
      await tx.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, row.token.id));
    }
    return {
      userId: row.user.id,
      email: row.user.email,
      name: row.user.name,
      isAdmin: row.user.isAdmin,
      mustChangePassword: row.user.mustChangePassword,
      via: 'token' as const,
    };
  });
}

/**
 * Changes the actor's own password after checking the current one, and ends their other
 * sessions (a changed password must lock out whoever knew the old one). Only from a log-in
 * session: a stolen API token must not become the account. Wrong current passwords count
 * against the log-in limit.
 */
export async function changePassword({
  db,
  actor,
  currentPassword,
  newPassword,
  ip,
}: {
  db: Db;
  actor: Actor;
  currentPassword: string;
  newPassword: string;
  ip: string;
}): Promise<void> {
  if (actor.via !== 'session') {
    throw new AppError('FORBIDDEN', {
      zh: '修改密码需要在浏览器中登录后进行，API 令牌不能修改密码',
      en: 'Change your password after logging in with a browser; an API token cannot change it',
    });
  }
  const outcome = await withSystem(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${actor.email}`}))`);
    const wait = await loginWait(tx, actor.email, ip, actor.userId);
    if (wait !== null) return { kind: 'limited' as const, wait };
    const [user] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
    if (!user || !(await verifyPassword(user.hash, currentPassword))) {
      await recordLoginFailure(tx, actor.email, ip);
      return { kind: 'wrong' as const };
    }
    if (currentPassword === newPassword) {
      throw new AppError(
        'INVALID_INPUT',
        { zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
        'newPassword',
      );
    }
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), mustChangePassword: false })
      .where(eq(users.id, actor.userId));
    await tx.delete(sessions).where(and(eq(sessions.userId, actor.userId), ne(sessions.id, actor.sessionId!)));
    await recordAccountAudit(tx, {
      action: 'user.password-changed',
      actorId: actor.userId,
      targetType: 'user',
      targetId: actor.userId,
      ip,
    });
    return { kind: 'ok' as const };
  });
  if (outcome.kind === 'limited') throw new RateLimitedError(limitedMessage(outcome.wait), outcome.wait);
  // Committed above: the failure counts even though the request is refused.
  if (outcome.kind === 'wrong') {
    throw new AppError(
      'INVALID_INPUT',
      { zh: '当前密码不正确', en: 'The current password is wrong' },
      'currentPassword',
    );
  }
}

/** How long a password-reset link works, and how many may be asked for an account per hour. */
export const PASSWORD_RESET = { minutes: 30, perHour: 5 };

/**
 * Starts a password reset: for a known address (and within PASSWORD_RESET.perHour), stores a
 * hashed single-use token and returns what to send; for an unknown one, null. The caller answers
 * both the same way, so the form does not reveal which addresses have accounts.
 */
export async function requestPasswordReset({
  db,
  email,
  ip,
}: {
  db: Db;
  email: string;
  ip: string;
}): Promise<{ userId: string; email: string; name: string; token: string; workspaceIds: string[] } | null> {
  return withSystem(db, async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email));
    if (!user) return null;
    const [recent] = await tx
      .select({ n: count() })
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, user.id), gt(passwordResets.createdAt, new Date(now() - 3_600_000))));
    if (Number(recent?.n ?? 0) >= PASSWORD_RESET.perHour) return null;
    const token = newSecret();
    await tx.insert(passwordResets).values({
      userId: user.id,
      tokenHash: sha256(token),
      createdAt: new Date(now()),
      expiresAt: new Date(now() + PASSWORD_RESET.minutes * 60_000),
    });
    await recordAccountAudit(tx, {
      action: 'user.password-reset-requested',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ip,
    });
    // Where the e-mail may go out from when no ZIZHI_SMTP_URL is set: the account's workspaces.
    const memberships = await tx
      .select({ id: workspaceMembers.workspaceId })
      .from(workspaceMembers)
      .where(eq(workspaceMembers.userId, user.id));
    return { userId: user.id, email: user.email, name: user.name, token, workspaceIds: memberships.map((m) => m.id) };
  });
}

/**
 * Sets a new password from a reset link: the token must be unused and younger than
 * PASSWORD_RESET.minutes. Every session of the account ends and every other reset link dies.
 */
export async function completePasswordReset({
  db,
  token,
  newPassword,
  ip,
}: {
  db: Db;
  token: string;
  newPassword: string;
  ip: string;
}): Promise<void> {
  await withSystem(db, async (tx) => {
    const [reset] = await tx
      .select({ id: passwordResets.id, userId: passwordResets.userId, email: users.email })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(
        and(
          eq(passwordResets.tokenHash, sha256(token)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, new Date(now())),
        ),
      )
      .for('update');
    if (!reset) {
      throw new AppError(
        'INVALID_INPUT',
        {
          zh: '重置链接无效、已使用或已过期，请重新申请重置密码',
          en: 'The reset link is not valid, was used or has expired: ask for a new one',
        },
        'token',
      );
    }
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), mustChangePassword: false })
      .where(eq(users.id, reset.userId));
    await tx
      .update(passwordResets)
      .set({ usedAt: new Date(now()) })
      .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
    await tx.delete(loginFailures).where(eq(loginFailures.email, reset.email));
    await recordAccountAudit(tx, {
      action: 'user.password-reset',
      actorId: reset.userId,
      targetType: 'user',
      targetId: reset.userId,
      ip,
    });
  });
}
