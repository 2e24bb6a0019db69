import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';

/**
 * The address people reach Zizhi at, for links that leave the app (QR codes, calendar feed
 * URLs): ZIZHI_PUBLIC_URL when set, otherwise the request's own protocol and host.
 */
export function publicBaseUrl(config: Config, request: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

/** The same address without a request (reminders, digests, test messages): ZIZHI_PUBLIC_URL or localhost. */
export function appBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}
