import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import { addressPolicy } from '../../notify/address-policy.js';
import { requireChannelKey } from '../../notify/secret-box.js';
import { requireMembership } from '../../access/membership.js';
import { appBaseUrl } from '../../http/base-url.js';
import { createTestDelivery, getPreferences, listDeliveries, loadDelivery, setPreferences } from './deliveries.js';
import {
  ChannelParamsSchema,
  ChannelSchema,
  CreateChannelSchema,
  DeliverySchema,
  ListDeliveriesQuerySchema,
  PreferencesSchema,
  UpdateChannelSchema,
} from './schemas.js';
import { checkChannelAddress, createChannel, deleteChannel, listChannels, updateChannel } from './service.js';
import { WorkspaceParamsSchema } from '../../http/params.js';

export const channelRoutes: RouteModule = (fastify, { database, config, deliverNow }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['notifications'];
  const key = () => requireChannelKey(config, database.kind);
  const policy = addressPolicy(config.channelAllowHosts);
  /**
   * The address check resolves names: only for the workspace's admins (a DNS probe for nobody
   * else), and outside the transaction that saves.
   */
  const checkAddress = async (request: FastifyRequest, workspaceId: string, url?: string) => {
    if (url === undefined) return;
    await inTenant(db, request, ({ tx, actor }) => requireMembership(tx, actor, workspaceId, 'admin'));
    await checkChannelAddress(policy, url);
  };

  app.get(
    '/api/workspaces/:id/channels',
    {
      schema: {
        tags,
        summary: "The workspace's notification channels, URLs masked (admins)",
        params: WorkspaceParamsSchema,
        response: { 200: z.object({ items: z.array(ChannelSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listChannels({ tx, actor, workspaceId: request.params.id }),
      })),
  );

  app.post(
    '/api/workspaces/:id/channels',
    {
      schema: {
        tags,
        summary:
          'Add a notification channel: e-mail (SMTP), 企业微信, 钉钉 or 飞书 robot, or a signed webhook. It receives the reminders of all the workspace’s organisations, or of `orgIds` only (admins)',
        params: WorkspaceParamsSchema,
        body: CreateChannelSchema,
        response: { 201: ChannelSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await checkAddress(request, request.params.id, request.body.url);
      const channel = await inTenant(db, request, ({ tx, actor, meta }) =>
        createChannel({ tx, actor, meta, workspaceId: request.params.id, input: request.body, key }),
      );
      return reply.status(201).send(channel);
    },
  );

  app.patch(
    '/api/workspaces/:id/channels/:channelId',
    {
      schema: {
        tags,
        summary: 'Change a channel; URL and secret left out keep their stored values (admins)',
        params: ChannelParamsSchema,
        body: UpdateChannelSchema,
        response: { 200: ChannelSchema, ...errorResponses },
      },
    },
    async (request) => {
      await checkAddress(request, request.params.id, request.body.url);
      return inTenant(db, request, ({ tx, actor, meta }) =>
        updateChannel({
          tx,
          actor,
          meta,
          workspaceId: request.params.id,
          channelId: request.params.channelId,
          input: request.body,
          key,
        }),
      );
    },
  );

  app.delete(
    '/api/workspaces/:id/channels/:channelId',
    {
      schema: {
        tags,
        summary: 'Remove a channel; its unsent messages are cancelled, the delivery log stays (admins)',
        params: ChannelParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        deleteChannel({ tx, actor, meta, workspaceId: request.params.id, channelId: request.params.channelId }),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/workspaces/:id/channels/:channelId/test',
    {
      schema: {
        tags,
        summary:
          'Send a test message through the channel now and return its delivery (status sent, or failed with the error)',
        params: ChannelParamsSchema,
        response: { 200: DeliverySchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id: workspaceId, channelId } = request.params;
      const deliveryId = await inTenant(db, request, ({ tx, actor, meta }) =>
        createTestDelivery({ tx, actor, meta, workspaceId, channelId, baseUrl: appBaseUrl(config) }),
      );
      await deliverNow(deliveryId);
      return inTenant(db, request, ({ tx }) => loadDelivery(tx, workspaceId, deliveryId));
    },
  );

  app.get(
    '/api/workspaces/:id/deliveries',
    {
      schema: {
        tags,
        summary:
          'The delivery log: every reminder, digest and test message with its status, attempts and error (admins)',
        params: WorkspaceParamsSchema,
        querystring: ListDeliveriesQuerySchema,
        response: { 200: z.object({ items: z.array(DeliverySchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listDeliveries({ tx, actor, workspaceId: request.params.id, query: request.query }),
      })),
  );

  app.get(
    '/api/workspaces/:id/notification-preferences',
    {
      schema: {
        tags,
        summary: "The caller's own reminder choices in the workspace: e-mail, in-app inbox, digest",
        params: WorkspaceParamsSchema,
        response: { 200: PreferencesSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) => getPreferences({ tx, actor, workspaceId: request.params.id })),
  );

  app.put(
    '/api/workspaces/:id/notification-preferences',
    {
      schema: {
        tags,
        summary: "Set the caller's own reminder choices in the workspace",
        params: WorkspaceParamsSchema,
        body: PreferencesSchema,
        response: { 200: PreferencesSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor }) =>
        setPreferences({ tx, actor, workspaceId: request.params.id, input: request.body }),
      ),
  );
};
