import { createHash } from 'node:crypto';
import { z } from 'zod';
import { inTenant } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses, IdParamsSchema } from '../../http/schemas.js';
import { withActor, withSystem } from '../../db/tenancy.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { AnswerCache, workspaceStamp } from '../../http/answer-cache.js';
import { chinaToday, nextChinaMidnight } from '../../clock.js';
import { buildObligationsCalendar } from './ics.js';
import { CreatedFeedSchema, CreateFeedSchema, FeedSchema, FeedTokenParamsSchema } from './schemas.js';
import {
  createFeed,
  feedUrl,
  findFeedByToken,
  findFeedMember,
  listFeedObligations,
  listFeeds,
  revokeFeed,
  type FeedOptions,
} from './service.js';

export const feedRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['calendar'];

  app.post(
    '/api/calendar/feeds',
    {
      schema: {
        tags,
        summary: "Create a private calendar feed (ICS URL) of a workspace's obligations; the URL is shown only once",
        body: CreateFeedSchema,
        response: { 201: CreatedFeedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await inTenant(db, request, ({ tx, actor, meta }) =>
        createFeed({ tx, actor, meta, workspaceId: request.body.workspaceId, options: feedOptions(request.body) }),
      );
      return reply.status(201).send({ ...created, url: feedUrl(publicBaseUrl(config, request), created.token) });
    },
  );

  app.get(
    '/api/calendar/feeds',
    {
      schema: {
        tags,
        summary: "The caller's active calendar feeds",
        response: { 200: z.object({ items: z.array(FeedSchema) }), ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, async ({ tx, actor }) => ({ items: await listFeeds({ tx, actor }) })),
  );

  app.delete(
    '/api/calendar/feeds/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a calendar feed: its URL stops working',
        params: IdParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) => revokeFeed({ tx, actor, meta, id: request.params.id }));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/calendar/:token.ics',
    {
      schema: {
        tags,
        summary: 'The obligations as iCalendar (no session: the token in the URL is the credential)',
        security: [],
        params: FeedTokenParamsSchema,
        produces: ['text/calendar'],
        response: {
          200: z.string().describe('text/calendar'),
          304: z.null().describe('Not modified since the ETag sent in If-None-Match'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const feed = await withSystem(db, (tx) => findFeedByToken({ tx, token: request.params.token }));
      const baseUrl = publicBaseUrl(config, request);
      const { body, etag, lastModified } = await withActor(db, feed.userId, async (tx) => {
        const member = await findFeedMember({ tx, feed });
        // The counter before the rows: a body kept under it is never older than its writes.
        const stamp = await workspaceStamp(tx, feed.workspaceId);
        const scope = member.orgIds ? [...member.orgIds].sort().join(',') : '*';
        return feedBodies.get(`${stamp}|${feed.id}|${scope}|${chinaToday()}|${baseUrl}`, async () => {
          const { workspaceName, items } = await listFeedObligations({ tx, feed, member });
          const built = buildObligationsCalendar({ name: `资质义务 · ${workspaceName}`, baseUrl, items });
          // A loop, not Math.max(...items): a large enough feed overflows the stack with its arguments.
          let latest = feed.createdAt.getTime();
          for (const i of items) latest = Math.max(latest, i.updatedAt.getTime());
          return {
            value: {
              body: built,
              // The same bytes while nothing in them changed: calendar clients that poll every
              // hour get a 304 and no body.
              etag: `"${createHash('sha256').update(built).digest('base64url').slice(0, 27)}"`,
              lastModified: new Date(latest).toUTCString(),
            },
            // The window moves with the date; nothing in an event depends on the hour.
            validUntil: nextChinaMidnight(),
          };
        });
      });
      void reply
        .header('etag', etag)
        .header('last-modified', lastModified)
        .header('cache-control', 'private, no-cache');
      if (fresh(request.headers['if-none-match'], etag)) return reply.status(304).send(null);
      return (
        reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', 'inline; filename="zizhi.ics"')
          // Bytes are sent as they are (never serialized); the schema above only documents them.
          .send(body as unknown as string)
      );
    },
  );
};

/**
 * Feeds as last built, by workspace counter, feed and scope: a calendar client polling an
 * unchanged feed is answered without reading its obligations again.
 */
const feedBodies = new AnswerCache<{ body: Buffer; etag: string; lastModified: string }>({
  maxEntries: 1_000,
  maxBytes: 32 * 1024 * 1024,
  size: (f) => f.body.length + 200,
});

/** True when the client's If-None-Match names this ETag (or any, with *). */
function fresh(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

const feedOptions = ({ workspaceId: _w, ...options }: z.infer<typeof CreateFeedSchema>): FeedOptions => options;
