import type { FastifyReply } from 'fastify';
import { withSystem } from '../../db/tenancy.js';
import { AppError } from '../../errors.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { chinaToday } from '../../clock.js';
import { errorResponses } from '../../http/schemas.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { renderBadge, renderNotFoundPage, renderVerifyPage } from './render.js';
import { PublicCertificateSchema, PublicSlugParamsSchema, type PublicCertificate } from './schemas.js';
import { findPublicCertificate, findSlugByNumber, PUBLIC_SLUG_PATTERN, publicPath } from './service.js';

// Badges and QR codes are meant to be shown on the company's own site and in bid documents.
const EMBEDDABLE = { 'cross-origin-resource-policy': 'cross-origin' } as const;

export const publicRoutes: RouteModule = (fastify, { database, config }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const params = PublicSlugParamsSchema;

  /** The published certificate, or null for an unknown or unpublished slug. */
  const lookup = async (slug: string): Promise<PublicCertificate | null> => {
    try {
      return await withSystem(db, (tx) => findPublicCertificate({ tx, slug }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  };
  const notPublished = (reply: FastifyReply) =>
    reply.status(404).type('text/plain; charset=utf-8').send('没有这个地址的公开证书');

  app.get(
    '/api/public/certificates/:slug',
    {
      schema: {
        tags: ['public'],
        summary:
          "Verify a published certificate by its public slug (the last part of its page's address; no authentication; 404 unless published)",
        security: [],
        params,
        response: { 200: PublicCertificateSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cert = await withSystem(db, (tx) => findPublicCertificate({ tx, slug: request.params.slug }));
      void reply.header('cache-control', 'public, max-age=300');
      return cert;
    },
  );

  app.get('/verify/:slug', { schema: { hide: true, params } }, async (request, reply) => {
    const { slug } = request.params;
    const cert = await lookup(slug);
    if (!cert) {
      // Links printed before pages had slugs name the number: follow them only when one
      // certificate publishes that number, since otherwise the link cannot say whose it is.
      const moved = PUBLIC_SLUG_PATTERN.test(slug)
        ? null
        : await withSystem(db, (tx) => findSlugByNumber({ tx, number: slug }));
      if (moved) return reply.redirect(publicPath(moved), 301);
      return reply.status(404).type('text/html; charset=utf-8').send(renderNotFoundPage());
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(renderVerifyPage(cert, chinaToday()));
  });

  app.get('/badge/:slug.svg', { schema: { hide: true, params } }, async (request, reply) => {
    const cert = await lookup(request.params.slug);
    if (!cert) return notPublished(reply);
    return reply
      .type('image/svg+xml; charset=utf-8')
      .headers({ 'cache-control': 'public, max-age=300', ...EMBEDDABLE })
      .send(renderBadge(cert));
  });

  app.get('/qr/:slug.png', { schema: { hide: true, params } }, async (request, reply) => {
    const cert = await lookup(request.params.slug);
    if (!cert) return notPublished(reply);
    const url = `${publicBaseUrl(config, request)}${publicPath(request.params.slug)}`;
    // Loaded on the first QR code asked for, not at every start.
    const { default: QRCode } = await import('qrcode');
    const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 300 });
    return reply
      .type('image/png')
      .headers({ 'cache-control': 'public, max-age=3600', ...EMBEDDABLE })
      .send(png);
  });
};
