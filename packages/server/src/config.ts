import path from 'node:path';
import { z } from 'zod';

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  /** postgres://… to run on a PostgreSQL server; unset for the embedded database. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  dataDir: z.string().min(1).default('./data'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Marks cookies Secure; on by default when the public URL is https. */
  cookieSecure: z.enum(['true', 'false', 'auto']).default('auto'),
  publicUrl: z.string().url().optional(),
  trustProxy: z.enum(['true', 'false']).default('false'),
  sessionDays: z.coerce.number().int().min(1).max(365).default(14),
  webDir: z.string().optional(),
  /** Requests per minute per IP for the whole API (login has its own stricter limit). */
  rateLimitPerMinute: z.coerce.number().int().min(1).default(600),
  /** Largest file upload in MB (MiB); the files table stores sizes as int4, hence the ceiling. */
  maxUploadMb: z.coerce.number().int().min(1).max(2000).default(50),
});

export type Config = z.infer<typeof ConfigSchema> & { pgliteDir: string; filesDir: string };

/** Every setting, its environment variable and its meaning: the README's table is made from this. */
export const SETTINGS: ReadonlyArray<{ key: keyof z.infer<typeof ConfigSchema>; env: string; help: string }> = [
  { key: 'port', env: 'PORT', help: 'HTTP port (default 8080)' },
  { key: 'host', env: 'HOST', help: 'address to listen on (default 0.0.0.0)' },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    help: 'postgres://… to use a PostgreSQL server instead of the embedded database',
  },
  { key: 'dataDir', env: 'ZIZHI_DATA_DIR', help: 'folder for the embedded database and files (default ./data)' },
  { key: 'logLevel', env: 'LOG_LEVEL', help: 'fatal, error, warn, info (default), debug, trace or silent' },
  {
    key: 'cookieSecure',
    env: 'ZIZHI_COOKIE_SECURE',
    help: 'true, false or auto (Secure when ZIZHI_PUBLIC_URL is https)',
  },
  {
    key: 'publicUrl',
    env: 'ZIZHI_PUBLIC_URL',
    help: 'the URL people use to reach Zizhi, e.g. https://zizhi.example.com',
  },
  {
    key: 'trustProxy',
    env: 'ZIZHI_TRUST_PROXY',
    help: 'true behind a reverse proxy, so client IPs come from X-Forwarded-For',
  },
  { key: 'sessionDays', env: 'ZIZHI_SESSION_DAYS', help: 'days a login stays valid (default 14)' },
  { key: 'webDir', env: 'ZIZHI_WEB_DIR', help: 'folder of the built web app (default packages/web/dist)' },
  { key: 'rateLimitPerMinute', env: 'ZIZHI_RATE_LIMIT', help: 'API requests per minute per IP (default 600)' },
  { key: 'maxUploadMb', env: 'ZIZHI_MAX_UPLOAD_MB', help: 'largest file upload in MB, 1–2000 (default 50)' },
];

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads settings from the environment (and overrides such as CLI flags); throws a readable list. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof z.infer<typeof ConfigSchema>, string | number | undefined>> = {},
): Config {
  const raw: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const value = overrides[s.key] ?? env[s.env];
    if (value !== undefined && value !== '') raw[s.key] = value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const setting = SETTINGS.find((s) => s.key === issue.path[0]);
        return `${setting?.env ?? issue.path.join('.')}: ${issue.message}`;
      }),
    );
  }
  const dataDir = path.resolve(parsed.data.dataDir);
  return {
    ...parsed.data,
    dataDir,
    pgliteDir: path.join(dataDir, 'pgdata'),
    filesDir: path.join(dataDir, 'files'),
  };
}
