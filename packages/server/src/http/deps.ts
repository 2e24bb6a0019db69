import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';

/** What every route module receives. */
export interface AppDeps {
  database: Database;
  config: Config;
  version: string;
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
