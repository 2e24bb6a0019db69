import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/client.js';
import { withActor } from '../db/tenancy.js';
import { AppError } from '../errors.js';
import type { Actor, RequestMeta } from '../access/actor.js';
import { safeEqual } from '../access/crypto.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = 'zizhi_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// These open a session: they must work with a stale cookie and carry no CSRF token yet.
const CSRF_EXEMPT = new Set(['/api/auth/login', '/api/setup']);
// All an account with a temporary password may do before choosing its own.
// (Public routes too: they need no account and must answer such a user like anyone.)
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'POST /api/me/password', 'GET /api/setup']);
const PUBLIC_PREFIXES = ['/api/auth/', '/api/invitations/', '/api/public/', '/api/health'];

function requirePasswordChosen(request: FastifyRequest, actor: Actor): void {
  if (!actor.mustChangePassword) return;
  const path = request.url.split('?')[0]!;
  if (BEFORE_PASSWORD_CHANGE.has(`${request.method} ${path}`)) return;
  if (PUBLIC_PREFIXES.some((p) => path.startsWith(p))) return;
  throw new AppError('FORBIDDEN', '请先修改管理员设置的临时密码，再继续使用');
}

/**
 * Establishes `request.actor` from `Authorization: Bearer` or the session cookie, and requires
 * the session's CSRF token on cookie-authenticated writes (a bearer token cannot be sent by a
 * foreign page, a cookie can).
 */
export interface ActorLookups {
  fromSession(db: Db, cookie: string): Promise<Actor | null>;
  fromToken(db: Db, token: string): Promise<Actor | null>;
}

export function registerAuth(app: FastifyInstance, db: Db, lookups: ActorLookups): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED', 'Authorization 头应为 "Bearer <API 令牌>"');
      const actor = await lookups.fromToken(db, match[1]!);
      if (!actor) throw new AppError('UNAUTHENTICATED', 'API 令牌无效、已过期或已撤销，请创建新令牌');
      requirePasswordChosen(request, actor);
      request.actor = actor;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const actor = await lookups.fromSession(db, cookie);
    if (!actor) return;
    const path = request.url.split('?')[0]!;
    if (!SAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(path)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, actor.csrfToken ?? '')) {
        throw new AppError('FORBIDDEN', '缺少或无效的 CSRF 令牌 (X-CSRF-Token)，请刷新页面后重试');
      }
    }
    requirePasswordChosen(request, actor);
    request.actor = actor;
  });
}

/** The authenticated actor, or 401. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', '请先登录');
  return request.actor;
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip };
}

/**
 * Authenticates, opens a tenant-scoped transaction and hands the service what it needs:
 * the one way route handlers reach tenant data.
 */
export function inTenant<T>(
  db: Db,
  request: FastifyRequest,
  fn: (ctx: { tx: Tx; actor: Actor; meta: RequestMeta }) => Promise<T>,
): Promise<T> {
  const actor = requireActor(request);
  return withActor(db, actor.userId, (tx) => fn({ tx, actor, meta: requestMeta(request) }));
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
