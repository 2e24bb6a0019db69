import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inTenant, requestMeta, setSessionCookie } from '../../http/auth.js';
import { cookieSecure, zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { invitationEmail, sendAccountEmail, UserSchema } from '../auth/api.js';
import { publicBaseUrl } from '../../http/base-url.js';
import {
  AcceptInvitationSchema,
  InvitationCreatedSchema,
  InvitationParamsSchema,
  InvitationPreviewSchema,
  InvitationSchema,
  InvitationTokenParamsSchema,
  InviteMemberSchema,
} from './schemas.js';
import {
  acceptInvitation,
  createInvitation,
  describeInvitation,
  listInvitations,
  renewInvitation,
  revokeInvitation,
  type Invitation,
} from './service.js';
import { WorkspaceParamsSchema } from '../../http/params.js';

export const invitationRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['workspaces'];
  const secure = cookieSecure(config);

  /** The link, shown once, and the e-mail with it (not for temporary passwords: no e-mail there). */
  const deliver = async (
    request: FastifyRequest,
    workspaceId: string,
    made: { invitation: Invitation; token: string; workspaceName: string },
  ) => {
    // In the fragment: browsers do not send it, so the token stays out of server and proxy logs.
    const inviteUrl = `${publicBaseUrl(config, request)}/invite#${made.token}`;
    const emailSent =
      !made.invitation.withTemporaryPassword &&
      (await sendAccountEmail({
        database,
        config,
        log: request.log,
        workspaceIds: [workspaceId],
        to: made.invitation.email,
        message: invitationEmail({
          workspaceName: made.workspaceName,
          inviterName: made.invitation.invitedBy ?? '',
          name: made.invitation.name,
          link: inviteUrl,
          expiresAt: made.invitation.expiresAt,
        }),
      }));
    return { invitation: made.invitation, inviteUrl, emailSent };
  };

  app.post(
    '/api/workspaces/:id/members',
    {
      schema: {
        tags,
        summary:
          'Invite a member by e-mail: a single-use link valid 7 days (shown once, e-mailed when SMTP is set). With temporaryPassword, the person logs in with it and must change it (new addresses only)',
        params: WorkspaceParamsSchema,
        body: InviteMemberSchema,
        response: { 201: InvitationCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const made = await inTenant(db, request, ({ tx, actor, meta }) =>
        createInvitation({ tx, actor, meta, workspaceId: request.params.id, input: request.body }),
      );
      return reply.status(201).send(await deliver(request, request.params.id, made));
    },
  );

  app.get(
    '/api/workspaces/:id/invitations',
    {
      schema: {
        tags,
        summary: "A workspace's invitations: pending ones first, then those of the last 30 days (admins)",
        params: WorkspaceParamsSchema,
        response: { 200: z.object({ items: z.array(InvitationSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listInvitations({ tx, actor, workspaceId: request.params.id }),
      })),
  );

  app.post(
    '/api/workspaces/:id/invitations/:invitationId/renew',
    {
      schema: {
        tags,
        summary: 'A new link for a pending or expired invitation (7 more days); the old link stops working',
        params: InvitationParamsSchema,
        response: { 200: InvitationCreatedSchema, ...errorResponses },
      },
    },
    async (request) => {
      const made = await inTenant(db, request, ({ tx, actor, meta }) =>
        renewInvitation({ tx, actor, meta, workspaceId: request.params.id, invitationId: request.params.invitationId }),
      );
      return deliver(request, request.params.id, made);
    },
  );

  app.delete(
    '/api/workspaces/:id/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Withdraw a pending invitation: its link and temporary password stop working',
        params: InvitationParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        revokeInvitation({
          tx,
          actor,
          meta,
          workspaceId: request.params.id,
          invitationId: request.params.invitationId,
        }),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/invitations/:token',
    {
      schema: {
        tags: ['auth'],
        summary: 'What an invitation link offers, before accepting it (no authentication: the token is the credential)',
        security: [],
        params: InvitationTokenParamsSchema,
        response: { 200: InvitationPreviewSchema, ...errorResponses },
      },
    },
    async (request) => describeInvitation({ db, token: request.params.token }),
  );

  app.post(
    '/api/invitations/:token/accept',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Accept an invitation: logged in as the invited address, join; otherwise create the account with your own password (and log in)',
        security: [],
        params: InvitationTokenParamsSchema,
        body: AcceptInvitationSchema,
        response: {
          200: z.object({
            workspaceId: z.string(),
            /** Set when a new account was created and logged in. */
            user: UserSchema.nullable(),
            csrfToken: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await acceptInvitation({
        db,
        token: request.params.token,
        actor: request.actor,
        input: request.body,
        meta: requestMeta(request),
        sessionDays: config.sessionDays,
        userAgent: request.headers['user-agent'],
      });
      if (!result.session) return { workspaceId: result.workspaceId, user: null, csrfToken: null };
      setSessionCookie(reply, result.session.token, result.session.expiresAt, secure);
      return { workspaceId: result.workspaceId, user: result.session.user, csrfToken: result.session.csrfToken };
    },
  );
};
