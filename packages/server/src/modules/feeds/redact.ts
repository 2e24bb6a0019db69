import type { FastifyRequest } from 'fastify';

const FEED_PATH = /^(\/api\/calendar\/)[^/?#]+(\.ics)/;
const INVITATION_PATH = /^(\/api\/invitations\/)[^/?#]+/;

/**
 * A request URL fit for the log: a calendar feed's and an invitation's token are credentials,
 * so they are masked.
 */
export function redactFeedToken(url: string): string {
  return url.replace(FEED_PATH, '$1***$2').replace(INVITATION_PATH, '$1***');
}

/** Fastify's default request log fields, with the URL redacted. */
export function serializeRequestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactFeedToken(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
