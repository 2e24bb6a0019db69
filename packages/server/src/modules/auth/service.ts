import { and, count, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { apiTokens, loginFailures, sessions, users, workspaceMembers, workspaces } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, conflict } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { now } from '../../clock.js';
import type { Actor } from './actor.js';
import { hashPassword, newSecret, sha256, verifyPassword } from './crypto.js';

/** Login limit: failures counted per account and per IP over a sliding window. */
export const LOGIN_LIMIT = { failures: 10, windowMinutes: 15 };

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

const presentUser = (u: typeof users.$inferSelect): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isAdmin: u.isAdmin,
});

/** True while no user exists: the set-up page is offered only then. */
export async function isSetupNeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row?.n ?? 0) === 0;
}

/** Creates a user; the e-mail address must be new. */
export async function createUser(
  tx: Tx,
  input: { email: string; name: string; password: string; isAdmin?: boolean },
): Promise<PublicUser> {
  const existing = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
  if (existing.length > 0) throw conflict(`电子邮件 ${input.email} 已被使用`, 'email');
  const [user] = await tx
    .insert(users)
    .values({
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash: await hashPassword(input.password),
      isAdmin: input.isAdmin ?? false,
    })
    // Tenant transactions may not read password hashes, not even the one just written.
    .returning({ id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin });
  return user!;
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
      throw new AppError('SETUP_DONE', '系统已完成初始化，请直接登录');
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

/** Creates a session row and returns the cookie value (only its hash is stored). */
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
  return { token, csrfToken, expiresAt };
}

// Verified when the e-mail is unknown, so both answers take the same time and the log-in
// form does not reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * Checks e-mail and password, limited to LOGIN_LIMIT failures per account and per IP, and
 * opens a session. The same message for an unknown e-mail and a wrong password. The check,
 * the password test and the failure record run under a per-account lock, so parallel
 * guesses cannot slip past the limit.
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
  const since = new Date(now() - LOGIN_LIMIT.windowMinutes * 60_000);
  const outcome = await withSystem(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${email}`}))`);
    const [byEmail, byIp] = await Promise.all([
      tx
        .select({ n: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.email, email), gt(loginFailures.at, since))),
      tx
        .select({ n: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.ip, ip), gt(loginFailures.at, since))),
    ]);
    if (Number(byEmail[0]?.n ?? 0) >= LOGIN_LIMIT.failures || Number(byIp[0]?.n ?? 0) >= LOGIN_LIMIT.failures) {
      return { kind: 'limited' as const };
    }
    const [user] = await tx
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, email));
    dummyHash ??= hashPassword('not-a-real-password-0000');
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
    if (!user || !ok) {
      await tx.insert(loginFailures).values({ email, ip, at: new Date(now()) });
      // Old rows only slow the count down; prune them while we are here.
      await tx.delete(loginFailures).where(lt(loginFailures.at, since));
      return { kind: 'failed' as const };
    }
    await tx.delete(loginFailures).where(eq(loginFailures.email, email));
    const session = await createSession(tx, { userId: user.id, ip, userAgent, days: sessionDays });
    await recordAudit(tx, { action: 'auth.login', actorId: user.id, targetType: 'session', ip });
    return { kind: 'ok' as const, user: presentUser(user), ...session };
  });
  if (outcome.kind === 'limited') {
    throw new AppError(
      'RATE_LIMITED',
      `登录失败次数过多，请 ${LOGIN_LIMIT.windowMinutes} 分钟后再试，或联系管理员重置密码`,
    );
  }
  if (outcome.kind === 'failed') throw new AppError('INVALID_CREDENTIALS', '电子邮件或密码不正确');
  return outcome;
}

/** Ends the session behind a cookie. */
export async function logout({ db, actor, ip }: { db: Db; actor: Actor; ip: string }) {
  if (!actor.sessionId) return;
  await withSystem(db, async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, actor.sessionId!));
    await recordAudit(tx, { action: 'auth.logout', actorId: actor.userId, targetType: 'session', ip });
  });
}

const actorColumns = { id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin };

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
      via: 'token' as const,
    };
  });
}

/**
 * Changes the actor's own password after checking the current one, and ends their other
 * sessions (a changed password must lock out whoever knew the old one).
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
  await withSystem(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${actor.email}`}))`);
    const [user] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
    if (!user || !(await verifyPassword(user.hash, currentPassword))) {
      throw new AppError('INVALID_INPUT', '当前密码不正确', 'currentPassword');
    }
    if (currentPassword === newPassword) {
      throw new AppError('INVALID_INPUT', '新密码不能与当前密码相同', 'newPassword');
    }
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword) })
      .where(eq(users.id, actor.userId));
    const others = actor.sessionId
      ? and(eq(sessions.userId, actor.userId), ne(sessions.id, actor.sessionId))
      : eq(sessions.userId, actor.userId);
    await tx.delete(sessions).where(others);
    await recordAudit(tx, {
      action: 'user.password-changed',
      actorId: actor.userId,
      targetType: 'user',
      targetId: actor.userId,
      ip,
    });
  });
}
