import { z } from 'zod';
import { RoleSchema, UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';
import { KIND_ORDER } from './tables.js';
import { ImportProgressSchema, ProgressIdSchema } from '../../http/progress.js';

export const ExportParamsSchema = z.object({ id: UuidSchema });

/** An archive passphrase: long enough to resist guessing, bounded so scrypt gets sane input. */
export const PassphraseSchema = z
  .string()
  .min(12, { message: says('口令至少 12 个字符', 'at least 12 characters') })
  .max(200)
  .describe('Encrypts the archive with age (scrypt); the importer enters it again');

export const EncryptedExportSchema = z.object({ passphrase: PassphraseSchema });

export const WorkspaceImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'], { message: says('应为 true 或 false', 'must be true or false') })
    .default('true')
    .transform((v) => v === 'true')
    .meta({ description: 'true (default): check everything and report, change nothing; false: import' }),
  progressId: ProgressIdSchema.optional().meta({
    description: 'Client-generated id; poll GET /api/workspaces/import/progress/{progressId} while the import runs',
  }),
});

export const WorkspaceImportProgressParamsSchema = z.object({ progressId: ProgressIdSchema });
export { ImportProgressSchema };

const KindSchema = z.enum(KIND_ORDER as [string, ...string[]]);

export const WorkspaceImportReportSchema = z.object({
  dryRun: z.boolean(),
  imported: z.boolean().describe('True once the workspace is in this instance (never for a dry run)'),
  workspace: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  archive: z.object({ createdAt: z.string(), zizhiVersion: z.string(), encrypted: z.boolean() }),
  kinds: z.array(z.object({ kind: KindSchema, rows: z.number().int() })).describe('Rows per kind of data'),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int() })),
  files: z.object({ count: z.number().int(), bytes: z.number().int() }),
  people: z.array(
    z.object({
      email: z.string(),
      name: z.string(),
      role: RoleSchema.nullable().describe('null: named only in the history (a former member)'),
      limited: z.boolean(),
      account: z
        .enum(['existing', 'new'])
        .describe('existing: linked to the account with this e-mail; new: created without a password'),
    }),
  ),
  mustSetPassword: z
    .array(z.string())
    .describe('Members whose accounts are new: each sets a password with “forgot password”'),
  conflicts: z
    .array(z.object({ table: z.string(), kind: KindSchema, rows: z.number().int(), names: z.array(z.string()) }))
    .describe('Rows whose ids exist here already: the import is refused while there are any'),
});

export const ArchiveResponse = {
  description: 'The workspace archive (gzip-compressed tar; age-encrypted when a passphrase was given)',
  content: { 'application/gzip': { schema: z.string().meta({ format: 'binary' }) } },
};
