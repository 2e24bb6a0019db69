import { z } from 'zod';
import { UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';
import { ProgressIdSchema } from '../../http/progress.js';
import { EXPORT_KINDS } from './export.js';
import { IMPORT_KINDS } from './columns.js';

export const ImportKindSchema = z.enum(IMPORT_KINDS);
export const ExportKindSchema = z.enum(EXPORT_KINDS);

export const ImportParamsSchema = z.object({ orgId: UuidSchema, kind: ImportKindSchema });
export const ExportParamsSchema = z.object({ orgId: UuidSchema, kind: ExportKindSchema });

/** A client-made id for polling an import's progress. */
export const ImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'], { message: says('应为 true 或 false', 'must be true or false') })
    .default('true')
    .transform((v) => v === 'true')
    .meta({ description: 'true (default): check every row and save nothing; false: save when there are no errors' }),
  progressId: ProgressIdSchema.optional().meta({
    description: 'Client-generated id; poll GET …/imports/progress/{progressId} while the import runs',
  }),
});

export const ImportErrorSchema = z.object({
  /** As Excel numbers the row: the header is row 1. */
  row: z.number().int(),
  /** The column's header as written in the file (null: the file as a whole). */
  column: z.string().nullable(),
  /** The whole sentence to show, e.g. "第 12 行：签订日期 2026-13-01 无效…". */
  message: z.string(),
});

export const ImportResultSchema = z.object({
  rows: z.number().int().meta({ description: 'Data rows read (blank rows not counted)' }),
  errors: z.array(ImportErrorSchema).meta({ description: 'Every row error (at most 10,000 listed)' }),
  errorCount: z.number().int(),
  dryRun: z.boolean(),
  columns: z.array(z.string()).meta({ description: "The file's column headers, for mapping them to fields" }),
  missingFields: z
    .array(z.string())
    .meta({ description: 'Required fields (keys) without a column in the file, even with the saved mapping' }),
  created: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Rows added (on a dry run: that would be); only without errors' }),
  updated: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Existing rows updated by natural key (on a dry run: that would be)' }),
});

export const ProgressParamsSchema = z.object({ orgId: UuidSchema, progressId: ProgressIdSchema });

export const ImportFieldSchema = z.object({
  key: z.string(),
  header: z.string(),
  aliases: z.array(z.string()),
  type: z.enum(['text', 'date', 'money', 'boolean', 'enum', 'tags', 'month', 'idNumber', 'staffRef']),
  required: z.boolean(),
  help: z.string(),
  options: z.array(z.object({ code: z.string(), label: z.string() })).optional(),
});

export const MappingSchema = z.object({
  kind: ImportKindSchema,
  /** Field key → the header of the source column. */
  mapping: z.record(z.string(), z.string()),
  fields: z.array(ImportFieldSchema),
});

export const SaveMappingSchema = z.object({
  mapping: z
    .record(z.string().max(50), z.string().max(200))
    .meta({ description: 'Field key → source column header; an empty object removes the saved mapping' }),
});

export const XlsxResponse = {
  description: 'An .xlsx workbook',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: z.string().meta({ format: 'binary' }),
    },
  },
};
