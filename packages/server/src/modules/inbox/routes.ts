import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, IdParamsSchema } from '../../http/schemas.js';
import { listInbox, markAllRead, markRead, unreadCount } from './service.js';

const InboxItemSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  orgId: z.string().nullable(),
  obligationId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  link: z.string().describe('Absolute URL of the obligation (or of the obligations list, for a digest)'),
  read: z.boolean(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

const InboxQuerySchema = z.object({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('true: unread messages only'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Cursor: createdAt of the last item of the previous page'),
});

export const inboxRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['notifications'];

  app.get(
    '/api/me/inbox',
    {
      schema: {
        tags,
        summary: "The caller's in-app reminders, newest first, with the unread count",
        querystring: InboxQuerySchema,
        response: {
          200: z.object({ unreadCount: z.number().int(), items: z.array(InboxItemSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => inTenant(db, request, ({ tx, actor }) => listInbox({ tx, actor, query: request.query })),
  );

  app.get(
    '/api/me/inbox/unread-count',
    {
      schema: {
        tags,
        summary: "The number of the caller's unread in-app reminders (the header badge)",
        response: { 200: z.object({ count: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, async ({ tx, actor }) => ({ count: await unreadCount({ tx, actor }) })),
  );

  app.post(
    '/api/me/inbox/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of the caller’s messages read',
        params: IdParamsSchema,
        response: { 200: InboxItemSchema, ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, ({ tx, actor }) => markRead({ tx, actor, id: request.params.id })),
  );

  app.post(
    '/api/me/inbox/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all the caller’s messages read',
        response: { 200: z.object({ marked: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, async ({ tx, actor }) => ({ marked: await markAllRead({ tx, actor }) })),
  );
};
