import path from 'node:path';
import { z } from 'zod';
import { Secret } from './secret.js';
import {
  BACKUP_TIMEZONE,
  cronProblem,
  DEFAULT_BACKUP_SCHEDULE,
  DEFAULT_KEEP,
  isAgeRecipient,
  parseBackupTargets,
  parseKeepRule,
  type BackupConfig,
} from './backup.js';
import { parseAllowEntry } from '../notify/address-policy.js';

/**
 * What reading one import workbook may cost. A 50,000-row file of the template's 10 columns is
 * 0.5 million cells and about 30 MB of XML, so the defaults leave room for 40 columns of such rows
 * while a zip bomb stops within seconds and a few hundred MB.
 */
export const IMPORT_LIMIT_DEFAULTS = { maxCells: 2_000_000, maxInflatedMb: 200 } as const;

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  /** postgres://… to run on a PostgreSQL server; unset for the embedded database. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  dataDir: z.string().min(1).default('./data'),
  /** Off only where losing the last committed writes to an OS crash or power cut is acceptable. */
  pgliteFsync: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
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
  /** Cells of an import's first worksheet (each row counted to its last cell). */
  importMaxCells: z.coerce.number().int().min(1000).max(100_000_000).default(IMPORT_LIMIT_DEFAULTS.maxCells),
  /** MB (MiB) an import workbook may inflate to; its shared strings get half of it. */
  importMaxInflatedMb: z.coerce.number().int().min(1).max(10_000).default(IMPORT_LIMIT_DEFAULTS.maxInflatedMb),
  /** Unset for AWS S3 itself; the URL of any other S3-compatible server (MinIO, Ceph, OSS, COS…). */
  s3Endpoint: z
    .string()
    .regex(/^https?:\/\/[^/]/, 'must be a URL starting with http:// or https://')
    .optional(),
  /** Files go to S3-compatible storage when this is set, else to the local folder. */
  s3Bucket: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/, 'must be a bucket name (letters, digits, . - _)')
    .optional(),
  s3Region: z.string().min(1).default('us-east-1'),
  s3AccessKeyId: z.string().min(1).optional(),
  s3SecretAccessKey: z.string().min(1).optional(),
  s3Prefix: z
    .string()
    .refine((v) => !v.startsWith('/'), 'must not start with /')
    .optional(),
  /** Most self-hosted servers only answer `<endpoint>/<bucket>/<key>`, not `<bucket>.<host>`. */
  s3ForcePathStyle: z.enum(['true', 'false']).default('true'),
  /** Base64 of 32 random bytes: encrypts channel URLs, secrets and SMTP passwords (AES-256-GCM). */
  secretKey: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 random bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`',
    })
    .optional(),
  /** smtp://user:password@host:587 or smtps://…:465 for members' personal reminder e-mails. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^/]/, 'must be a URL starting with smtp:// or smtps://')
    .optional(),
  smtpFrom: z.string().min(3).optional(),
  /** Who may read the API documentation at /api/docs: logged-in users (default), everyone, or no one. */
  apiDocs: z.enum(['members', 'public', 'off'], { message: 'must be members, public or off' }).default('members'),
  /** Minutes between reminder sweeps in `serve` (a pg-boss cron schedule); 0 turns them off. */
  reminderSweepMinutes: z.coerce.number().int().min(0).max(59).default(1),
  /** Host names, IP addresses and CIDR ranges channels may reach although the address policy refuses them. */
  channelAllowHosts: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .superRefine((entries, ctx) => {
      for (const entry of entries.filter((e) => !parseAllowEntry(e))) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not a host name, IP address or CIDR range (e.g. relay.corp.example, 127.0.0.1, 10.8.0.0/16)`,
        });
      }
    })
    .default([]),
  /** Folders and s3://bucket/prefix targets for backups; unset: <data dir>/backups when embedded. */
  backupTargets: z.string().optional(),
  /** Five-field cron in China time, or off. */
  backupSchedule: z
    .string()
    .superRefine((v, ctx) => {
      const problem = v.trim().toLowerCase() === 'off' ? null : cronProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default(DEFAULT_BACKUP_SCHEDULE),
  backupKeep: z
    .string()
    .superRefine((v, ctx) => {
      const rule = parseKeepRule(v);
      if (typeof rule === 'string') ctx.addIssue({ code: 'custom', message: rule });
    })
    .default(DEFAULT_KEEP),
  /** Encrypts archives with a passphrase (age scrypt). */
  backupPassphrase: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Encrypts archives to age public keys: the server cannot read its own backups. */
  backupRecipients: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .superRefine((entries, ctx) => {
      if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no recipient' });
      for (const entry of entries.filter((e) => !isAgeRecipient(e))) {
        // A private key pasted by mistake must not be repeated into the log.
        const shown = entry.toUpperCase().startsWith('AGE-SECRET-KEY-')
          ? 'an age secret key'
          : `"${entry.slice(0, 12)}…"`;
        ctx.addIssue({ code: 'custom', message: `${shown} is not an age recipient (age1…); give public keys only` });
      }
    })
    .optional(),
  backupVerify: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
});

type Settings = z.infer<typeof ConfigSchema>;
type S3SettingKey = Extract<keyof Settings, `s3${string}`>;
type BackupSettingKey = Extract<keyof Settings, `backup${string}`>;

export { Secret } from './secret.js';

/** Where files are stored when ZIZHI_S3_BUCKET is set. */
export interface S3Config {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: Secret;
  /** Key prefix, empty or ending in `/`. */
  prefix: string;
  forcePathStyle: boolean;
}

type SecretSettingKey = 'secretKey' | 'smtpUrl';

export type Config = Omit<Settings, S3SettingKey | SecretSettingKey | BackupSettingKey> & {
  /** ZIZHI_SECRET_KEY; in embedded mode a generated key file is used when unset (notify/secret-box.ts). */
  secretKey?: Secret;
  /** ZIZHI_SMTP_URL: holds the SMTP password. */
  smtpUrl?: Secret;
  pgliteDir: string;
  filesDir: string;
  /** S3-compatible storage for files; undefined for the local folder `filesDir`. */
  s3?: S3Config;
  /**
   * The S3-compatible server that s3:// backup targets live on: the ZIZHI_S3_ endpoint, region and
   * keys (the bucket of each target is its own). Undefined when no target is in S3.
   */
  backupS3?: Omit<S3Config, 'bucket' | 'prefix'>;
  backup: BackupConfig;
};

/** Every setting, its environment variable and its meaning: the README's table is made from this. */
export const SETTINGS: ReadonlyArray<{ key: keyof Settings; env: string; help: string }> = [
  { key: 'port', env: 'PORT', help: 'HTTP port (default 8080)' },
  { key: 'host', env: 'HOST', help: 'address to listen on (default 0.0.0.0)' },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    help: 'postgres://… to use a PostgreSQL server instead of the embedded database',
  },
  { key: 'dataDir', env: 'ZIZHI_DATA_DIR', help: 'folder for the embedded database and files (default ./data)' },
  {
    key: 'pgliteFsync',
    env: 'ZIZHI_PGLITE_FSYNC',
    help: 'on (default) or off; off is unsafe: an OS crash or power cut may lose data the embedded database had committed',
  },
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
  {
    key: 'importMaxCells',
    env: 'ZIZHI_IMPORT_MAX_CELLS',
    help: 'most cells in the first worksheet of an imported .xlsx, 1000–100000000 (default 2000000)',
  },
  {
    key: 'importMaxInflatedMb',
    env: 'ZIZHI_IMPORT_MAX_INFLATED_MB',
    help: 'most MB an imported .xlsx may inflate to, 1–10000 (default 200; shared strings get half)',
  },
  {
    key: 's3Endpoint',
    env: 'ZIZHI_S3_ENDPOINT',
    help: 'URL of an S3-compatible server, e.g. http://minio:9000 (unset for AWS S3)',
  },
  {
    key: 's3Bucket',
    env: 'ZIZHI_S3_BUCKET',
    help: 'bucket for stored files; when set, files go to S3-compatible storage instead of the data folder',
  },
  { key: 's3Region', env: 'ZIZHI_S3_REGION', help: 'region of the bucket (default us-east-1)' },
  { key: 's3AccessKeyId', env: 'ZIZHI_S3_ACCESS_KEY_ID', help: 'access key ID for the bucket' },
  { key: 's3SecretAccessKey', env: 'ZIZHI_S3_SECRET_ACCESS_KEY', help: 'secret access key for the bucket' },
  { key: 's3Prefix', env: 'ZIZHI_S3_PREFIX', help: 'key prefix inside the bucket, e.g. zizhi/ (default none)' },
  {
    key: 's3ForcePathStyle',
    env: 'ZIZHI_S3_FORCE_PATH_STYLE',
    help: 'true (default) for <endpoint>/<bucket>/ URLs, as MinIO needs; false for <bucket>.<host>',
  },
  {
    key: 'secretKey',
    env: 'ZIZHI_SECRET_KEY',
    help: 'base64 of 32 random bytes (`openssl rand -base64 32`) encrypting channel URLs and secrets; required on PostgreSQL to add channels, generated into <data dir>/secret.key in embedded mode',
  },
  {
    key: 'smtpUrl',
    env: 'ZIZHI_SMTP_URL',
    help: "SMTP server for members' personal reminder e-mails, e.g. smtps://user:password@smtp.example.com:465",
  },
  {
    key: 'smtpFrom',
    env: 'ZIZHI_SMTP_FROM',
    help: 'sender of personal reminder e-mails, e.g. 资质提醒 <zizhi@example.com>',
  },
  {
    key: 'reminderSweepMinutes',
    env: 'ZIZHI_REMINDER_SWEEP_MINUTES',
    help: 'minutes between reminder sweeps of `serve`, 1–59 (default 1; 0 turns them off)',
  },
  {
    key: 'apiDocs',
    env: 'ZIZHI_API_DOCS',
    help: 'who may read the API documentation at /api/docs: members (logged-in users, default), public or off',
  },
  {
    key: 'backupTargets',
    env: 'ZIZHI_BACKUP_TARGETS',
    help: 'comma-separated backup targets: folder paths and/or s3://bucket/prefix (both: local + cloud copies of every backup; S3 targets use the ZIZHI_S3_ endpoint and keys); default <data dir>/backups in embedded mode, none on PostgreSQL; none turns backups off',
  },
  {
    key: 'backupSchedule',
    env: 'ZIZHI_BACKUP_SCHEDULE',
    help: `when \`serve\` backs up, a five-field cron in China time (default ${DEFAULT_BACKUP_SCHEDULE}: daily at 02:30); off turns scheduled backups off`,
  },
  {
    key: 'backupKeep',
    env: 'ZIZHI_BACKUP_KEEP',
    help: `archives each target keeps after a backup (default ${DEFAULT_KEEP}: the newest of each of the last 7 days, 4 ISO weeks and 12 months that have one; y for years; all keeps everything); the newest good archive is never deleted`,
  },
  {
    key: 'backupPassphrase',
    env: 'ZIZHI_BACKUP_PASSPHRASE',
    help: 'encrypts backups with this passphrase (age; at least 12 characters; never logged); keep it apart from the backups',
  },
  {
    key: 'backupRecipients',
    env: 'ZIZHI_BACKUP_RECIPIENTS',
    help: 'encrypts backups to these comma-separated age public keys (age1…) instead; restoring needs a matching secret key, which the server never holds',
  },
  {
    key: 'backupVerify',
    env: 'ZIZHI_BACKUP_VERIFY',
    help: 'true or false: restore each scheduled backup into a scratch database to prove it can be restored (default true in embedded mode, false on PostgreSQL)',
  },
  {
    key: 'channelAllowHosts',
    env: 'ZIZHI_CHANNEL_ALLOW_HOSTS',
    help: 'comma-separated host names, IP addresses and CIDR ranges that notification channels may reach although they are loopback, link-local, metadata or multicast addresses, e.g. relay.corp.example,127.0.0.1',
  },
];

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads settings from the environment (and overrides such as CLI flags); throws a readable list. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof Settings, string | number | undefined>> = {},
): Config {
  const raw: Partial<Record<keyof Settings, unknown>> = {};
  for (const s of SETTINGS) {
    const value = overrides[s.key] ?? env[s.env];
    if (value !== undefined && value !== '') raw[s.key] = value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${envName(issue.path[0]) ?? issue.path.join('.')}: ${issue.message}`);
  const backupTargets =
    typeof raw.backupTargets === 'string' ? parseBackupTargets(raw.backupTargets) : { targets: [], problems: [] };
  problems.push(...backupTargets.problems.map((p) => `ZIZHI_BACKUP_TARGETS: ${p}`));
  const hasS3Target = backupTargets.targets.some((t) => t.kind === 's3');
  problems.push(...s3Problems(raw, hasS3Target), ...backupProblems(raw));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const settings = parsed.data;
  const dataDir = path.resolve(settings.dataDir);
  const local = Object.fromEntries(
    Object.entries(settings).filter(
      ([key]) => !key.startsWith('s3') && !key.startsWith('backup') && key !== 'secretKey' && key !== 'smtpUrl',
    ),
  );
  return {
    ...(local as Omit<Settings, S3SettingKey | SecretSettingKey>),
    ...(settings.secretKey ? { secretKey: new Secret(settings.secretKey) } : {}),
    ...(settings.smtpUrl ? { smtpUrl: new Secret(settings.smtpUrl) } : {}),
    dataDir,
    pgliteDir: path.join(dataDir, 'pgdata'),
    filesDir: path.join(dataDir, 'files'),
    ...(settings.s3Bucket ? { s3: s3Config(settings, settings.s3Bucket) } : {}),
    ...(hasS3Target ? { backupS3: s3Connection(settings) } : {}),
    backup: backupConfig(settings, dataDir, backupTargets.targets),
  };
}

const envName = (key: PropertyKey | undefined) => SETTINGS.find((s) => s.key === key)?.env;

const list = (keys: readonly S3SettingKey[]) => keys.map(envName).join(' and ');
const isOrAre = (keys: readonly unknown[]) => (keys.length > 1 ? 'are' : 'is');

/**
 * Half an S3 configuration stops start-up: otherwise files would silently stay in the local
 * folder, or every upload would fail. Messages name the variables, never their values. An
 * s3:// backup target uses the same endpoint and keys, so they may come without a files bucket.
 */
function s3Problems(raw: Partial<Record<keyof Settings, unknown>>, hasS3Target: boolean): string[] {
  if (raw.s3Bucket === undefined && hasS3Target) {
    const missing = (['s3AccessKeyId', 's3SecretAccessKey'] as const).filter((key) => raw[key] === undefined);
    if (missing.length === 0) return [];
    return [
      `ZIZHI_BACKUP_TARGETS names an s3:// target but ${list(missing)} ${isOrAre(missing)} not set: ` +
        'give the access key of a user that may list, write and delete in that bucket (and ZIZHI_S3_ENDPOINT for a server other than AWS S3)',
    ];
  }
  if (raw.s3Bucket === undefined) {
    const given = (['s3Endpoint', 's3AccessKeyId', 's3SecretAccessKey', 's3Prefix'] as const).filter(
      (key) => raw[key] !== undefined,
    );
    if (given.length === 0) return [];
    return [
      `${list(given)} ${isOrAre(given)} set but ZIZHI_S3_BUCKET is not: set ZIZHI_S3_BUCKET to store files ` +
        'in S3-compatible storage, or unset the other ZIZHI_S3_ settings to keep them in the data folder',
    ];
  }
  const missing = (['s3AccessKeyId', 's3SecretAccessKey'] as const).filter((key) => raw[key] === undefined);
  if (missing.length === 0) return [];
  return [
    `ZIZHI_S3_BUCKET is set but ${list(missing)} ${isOrAre(missing)} not: ` +
      'give the access key of a user that may read and write the bucket',
  ];
}

function backupProblems(raw: Partial<Record<keyof Settings, unknown>>): string[] {
  if (raw.backupPassphrase !== undefined && raw.backupRecipients !== undefined) {
    return [
      'ZIZHI_BACKUP_PASSPHRASE and ZIZHI_BACKUP_RECIPIENTS are both set: choose one way to encrypt backups ' +
        '(recipients, public keys, keep the server unable to read its own backups)',
    ];
  }
  return [];
}

function backupConfig(settings: Settings, dataDir: string, targets: BackupConfig['targets']): BackupConfig {
  const embedded = settings.databaseUrl === undefined;
  const schedule = settings.backupSchedule.trim();
  const encryption = settings.backupPassphrase
    ? { passphrase: new Secret(settings.backupPassphrase) }
    : settings.backupRecipients
      ? { recipients: settings.backupRecipients }
      : undefined;
  const keep = parseKeepRule(settings.backupKeep);
  const defaultDir = path.join(dataDir, 'backups');
  return {
    // A server database is usually backed up by its operators already; an embedded one only by us.
    targets:
      settings.backupTargets !== undefined
        ? targets
        : embedded
          ? [{ kind: 'dir', path: defaultDir, display: defaultDir }]
          : [],
    schedule: schedule.toLowerCase() === 'off' ? null : schedule.split(/\s+/).join(' '),
    timezone: BACKUP_TIMEZONE,
    // Validated above: a string here would have been a problem already.
    keep: typeof keep === 'string' ? { days: 7, weeks: 4, months: 12, years: 0, all: false } : keep,
    ...(encryption ? { encryption } : {}),
    // The drill restores into a scratch embedded database: cheap next to an embedded installation,
    // a second full copy in memory next to a large server database, so there it is chosen.
    verify: settings.backupVerify !== undefined ? settings.backupVerify === 'true' : embedded,
  };
}

/** The endpoint, region and keys of S3-compatible storage, shared by the files bucket and backup targets. */
function s3Connection(settings: Settings): Omit<S3Config, 'bucket' | 'prefix'> {
  return {
    ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint } : {}),
    region: settings.s3Region,
    accessKeyId: settings.s3AccessKeyId!,
    secretAccessKey: new Secret(settings.s3SecretAccessKey!),
    forcePathStyle: settings.s3ForcePathStyle === 'true',
  };
}

function s3Config(settings: Settings, bucket: string): S3Config {
  const prefix = settings.s3Prefix ?? '';
  return {
    ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint } : {}),
    bucket,
    region: settings.s3Region,
    // Present: s3Problems refused the configuration otherwise.
    accessKeyId: settings.s3AccessKeyId!,
    secretAccessKey: new Secret(settings.s3SecretAccessKey!),
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    forcePathStyle: settings.s3ForcePathStyle === 'true',
  };
}
