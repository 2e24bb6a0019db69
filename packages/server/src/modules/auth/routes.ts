import { z } from 'zod';
import { clearSessionCookie, inTenant, requestMeta, requireActor, setSessionCookie } from '../../http/auth.js';
import { cookieSecure, zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, PasswordSchema } from '../../http/schemas.js';
import { withSystem } from '../../db/tenancy.js';
import { listWorkspaces } from '../workspaces/service.js';
import { LoginSchema, MeSchema, SetupSchema, UserSchema } from './schemas.js';
import { changePassword, completeSetup, createSession, isSetupNeeded, login, logout } from './service.js';

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
      schema: {
        tags: ['auth'],
        summary: 'Log in with e-mail and password; sets the session cookie',
        body: LoginSchema,
        response: { 200: z.object({ user: UserSchema, csrfToken: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await login({
        db,
        email: request.body.email,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        sessionDays: config.sessionDays,
      });
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
        summary: 'Change your own password; your other sessions end',
        body: z.object({
          currentPassword: z.string().min(1, { message: '请输入当前密码' }).max(200),
          newPassword: PasswordSchema,
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await changePassword({ db, actor, ...request.body, ip: request.ip });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user and their workspaces',
        response: { 200: MeSchema, 401: errorResponses[401] },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        user: { id: actor.userId, email: actor.email, name: actor.name, isAdmin: actor.isAdmin },
        workspaces: (await listWorkspaces({ tx, actor })).map(({ id, name, kind, role, orgIds }) => ({
          id,
          name,
          kind,
          role,
          orgIds,
        })),
        csrfToken: actor.csrfToken ?? null,
      })),
  );
};
