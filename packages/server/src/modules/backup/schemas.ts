import { z } from 'zod';
import { IdParamsSchema } from '../../http/schemas.js';

export const BackupIdParamsSchema = IdParamsSchema;

const Instant = z.string().meta({ description: 'ISO 8601 instant' });

export const RunProgressSchema = z.object({
  phase: z.enum(['tables', 'files', 'retention', 'drill-check', 'drill-tables', 'drill-files']).meta({
    description:
      'tables: rows read (done/total rows); files: file bytes archived; retention: old archives pruned; ' +
      'drill-check: archive bytes checked by the restore drill; drill-tables: rows restored; drill-files: file bytes restored',
  }),
  done: z.number(),
  total: z.number(),
});

export const BackupRunSchema = z.object({
  id: z.string(),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  status: z.enum(['running', 'ok', 'failed']),
  trigger: z.enum(['scheduled', 'manual']),
  target: z.string().meta({ description: 'A folder path or s3://bucket/prefix/ (never credentials)' }),
  targetKind: z.enum(['dir', 's3']),
  archiveName: z.string(),
  bytes: z.number().nullable().meta({ description: 'Size of the archive as stored' }),
  rows: z.number().nullable().meta({ description: 'Database rows in the archive' }),
  files: z.number().nullable().meta({ description: 'Stored files in the archive' }),
  sha256: z.string().nullable(),
  encrypted: z.boolean(),
  error: z.string().nullable().meta({ description: 'Why it failed, in the language of the request' }),
  verifyStatus: z
    .enum(['running', 'ok', 'failed'])
    .nullable()
    .meta({ description: 'The last restore drill on this copy' }),
  verifiedAt: Instant.nullable().meta({ description: 'When a restore drill last succeeded on this copy' }),
  verifyError: z.string().nullable(),
  deletedAt: Instant.nullable().meta({ description: 'When retention deleted the archive' }),
  canVerify: z.boolean().meta({ description: 'The archive is at a configured target and the server can open it' }),
  progress: RunProgressSchema.nullable().meta({ description: 'While running, in the process that runs it' }),
});

export const BackupArchiveSchema = z.object({
  name: z.string(),
  bytes: z.number(),
  createdAt: Instant,
  runId: z.string().nullable().meta({ description: 'The run that wrote it, when it is among the listed runs' }),
});

export const BackupTargetSchema = z.object({
  target: z.string(),
  kind: z.enum(['dir', 's3']),
  archives: z
    .array(BackupArchiveSchema)
    .nullable()
    .meta({ description: 'Newest first, at most 100; null when the target could not be listed' }),
  archiveCount: z.number().nullable(),
  error: z.string().nullable(),
});

export const BackupOverviewSchema = z.object({
  database: z.enum(['pglite', 'postgres']),
  schedule: z.string().nullable().meta({ description: 'Five-field cron in timezone; null: scheduled backups are off' }),
  timezone: z.string(),
  keep: z.object({
    days: z.number(),
    weeks: z.number(),
    months: z.number(),
    years: z.number(),
    all: z.boolean(),
  }),
  verifyAfterBackup: z.boolean(),
  encryption: z.enum(['none', 'passphrase', 'recipients']),
  running: z.boolean(),
  lastBackupAt: Instant.nullable(),
  lastVerifiedAt: Instant.nullable().meta({ description: 'When a restore drill last succeeded' }),
  targets: z.array(BackupTargetSchema),
  runs: z.array(BackupRunSchema).meta({ description: 'The latest 50 runs, newest first' }),
});

export const StartedBackupSchema = z.object({
  runs: z.array(z.object({ id: z.string(), target: z.string() })).meta({
    description: 'One run per target; poll GET /api/admin/backups for their progress and outcome',
  }),
});

export const StartedDrillSchema = z.object({ id: z.string() });
