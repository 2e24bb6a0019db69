import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { clearSessionCookie, inTenant, requestMeta, requireActor, setSessionCookie } from '../../http/auth.js';
import { cookieSecure, zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, PasswordSchema } from '../../http/schemas.js';
import { withSystem } from '../../db/tenancy.js';
import { listWorkspaces } from '../workspaces/api.js';
import { passwordResetEmail, sendAccountEmail } from './mail.js';
import {
  LoginSchema,
  MeSchema,
  PasswordResetRequestSchema,
  PasswordResetSchema,
  SetupSchema,
  UserSchema,
} from './schemas.js';
import {
  changePassword,
  completePasswordReset,
  completeSetup,
  createSession,
  isSetupNeeded,
  login,
  logout,
  PASSWORD_RESET,
  RateLimitedError,
  requestPasswordReset,
} from './service.js';

/** Runs `fn`; a log-in limit's refusal carries `Retry-After`. */
async function retryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RateLimitedError) void reply.header('retry-after', String(err.retryAfterSeconds));
    throw err;
  }
}

export const authRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const secure = cookieSecure(config);

  app.get(
    '/api/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether the first administrator still has to be created',
        response: { 200: z.object({ needed: z.boolean() }) },
      },
    },
    async () => ({ needed: await isSetupNeeded(db) }),
  );

  app.post(
    '/api/setup',
    {
      // Carries the CSRF token: never compressed, so its length cannot leak it (BREACH).
      compress: false,
      schema: {
        tags: ['auth'],
        summary: 'Create the first administrator and workspace (only while no user exists); logs in',
        body: SetupSchema,
        response: {
          201: z.object({
            user: UserSchema,
            workspace: z.object({ id: z.string(), name: z.string() }),
            csrfToken: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const meta = requestMeta(request);
      const result = await completeSetup({ db, input: request.body, ip: meta.ip });
      const session = await withSystem(db, (tx) =>
        createSession(tx, {
          userId: result.user.id,
          ip: meta.ip,
          userAgent: request.headers['user-agent'],
          days: config.sessionDays,
        }),
      );
      setSessionCookie(reply, session.token, session.expiresAt, secure);
      return reply.status(201).send({ ...result, csrfToken: session.csrfToken });
    },
  );

  app.post(
    '/api/auth/login',
    {
      // Carries the CSRF token: never compressed, so its length cannot leak it (BREACH).
      compress: false,
      schema: {
        tags: ['auth'],
        summary: 'Log in with e-mail and password; sets the session cookie',
        body: LoginSchema,
        response: { 200: z.object({ user: UserSchema, csrfToken: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await retryAfter(reply, () =>
        login({
          db,
          email: request.body.email,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          sessionDays: config.sessionDays,
        }),
      );
      setSessionCookie(reply, result.token, result.expiresAt, secure);
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await logout({ db, actor, ip: request.ip });
      clearSessionCookie(reply, secure);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Change your own password (from a log-in session, not an API token; wrong current passwords count against the log-in limit); your other sessions end',
        body: z.object({
          currentPassword: z.string().min(1, { message: '请输入当前密码' }).max(200),
          newPassword: PasswordSchema,
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await retryAfter(reply, () => changePassword({ db, actor, ...request.body, ip: request.ip }));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: `Ask for a password-reset link by e-mail (valid ${PASSWORD_RESET.minutes} minutes, single use); the same answer whether or not the address has an account`,
        security: [],
        body: PasswordResetRequestSchema,
        response: { 202: z.object({ message: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const started = await requestPasswordReset({ db, email: request.body.email, ip: request.ip });
      // Links in e-mail must point at the configured address: the request's Host header could be
      // an attacker's, who would then receive the token.
      if (started && config.publicUrl) {
        const link = `${config.publicUrl.replace(/\/+$/, '')}/reset-password#${started.token}`;
        // Not awaited: the answer must not take longer for addresses that have an account.
        void sendAccountEmail({
          database,
          config,
          log: request.log,
          workspaceIds: started.workspaceIds,
          to: started.email,
          message: passwordResetEmail({ name: started.name, link, minutes: PASSWORD_RESET.minutes }),
        });
      } else if (started) {
        request.log.warn('password reset requested but ZIZHI_PUBLIC_URL is not set: no e-mail sent');
      }
      return reply.status(202).send({
        message: `如果 ${request.body.email} 有账户，重置密码的链接已发送到该邮箱，${PASSWORD_RESET.minutes} 分钟内有效。没有收到请检查垃圾邮件，或联系管理员。`,
      });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token from a reset link; every session of the account ends',
        security: [],
        body: PasswordResetSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await completePasswordReset({
        db,
        token: request.body.token,
        newPassword: request.body.newPassword,
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      // Carries the CSRF token: never compressed, so its length cannot leak it (BREACH).
      compress: false,
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user and their workspaces',
        response: { 200: MeSchema, 401: errorResponses[401] },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        user: {
          id: actor.userId,
          email: actor.email,
          name: actor.name,
          isAdmin: actor.isAdmin,
          mustChangePassword: actor.mustChangePassword ?? false,
        },
        workspaces: (await listWorkspaces({ tx, actor })).map(({ id, name, kind, demo, role, orgIds }) => ({
          id,
          name,
          kind,
          demo,
          role,
          orgIds,
        })),
        csrfToken: actor.csrfToken ?? null,
      })),
  );
};
