import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/index.js';
import type { Database } from '../db/client.js';

/** What every route module receives. */
export interface AppDeps {
  database: Database;
  config: Config;
  version: string;
  /**
   * Sends one stored delivery now (a channel's test message), as the reminder job would: the job
   * owns sending, so features reach it through this port rather than importing it.
   */
  deliverNow: (deliveryId: string) => Promise<void>;
}

export type ZodApp = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;
export type RouteModule = (app: FastifyInstance, deps: AppDeps) => void;

/** The app with zod schemas as the type source for routes. */
export const zodApp = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

/** Cookies are Secure when configured, or automatically when the public URL is https. */
export function cookieSecure(config: Config): boolean {
  if (config.cookieSecure === 'auto') return config.publicUrl?.startsWith('https://') ?? false;
  return config.cookieSecure === 'true';
}
