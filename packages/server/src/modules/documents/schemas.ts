import { z } from 'zod';
import { CertParamsSchema } from '../../http/params.js';
import { CalendarDateSchema, UuidSchema } from '../../http/schemas.js';
import { FORMATS } from '../../reports/model.js';

export const SelfCheckParamsSchema = CertParamsSchema.extend({ format: z.enum(FORMATS) });

export const SelfCheckQuerySchema = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .describe('The year the report covers (YYYY), within the certificate’s validity and not after this year'),
});

const binary = z.string().meta({ format: 'binary' });

export const DocumentResponse = {
  description: 'The document as a Word file (.docx) or PDF',
  content: {
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: binary },
    'application/pdf': { schema: binary },
  },
};

export const SubmitSelfCheckSchema = z.object({
  year: z.number().int().min(2000).max(2100).describe('The year the report covers'),
  submittedOn: CalendarDateSchema.describe('The day it was submitted on the assessment platform'),
  receiptNumber: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('The platform’s receipt or submission number, when it gives one'),
  result: z
    .enum(['normal', 'abnormal'])
    .default('normal')
    .describe('The platform’s result when known: abnormal starts the on-site re-check duty'),
  fileId: UuidSchema.optional().describe(
    'The file submitted (uploaded first to /files: a signed and sealed scan); without it, the draft as it is now is kept as a PDF',
  ),
});
export type SubmitSelfCheck = z.infer<typeof SubmitSelfCheckSchema>;

export const SelfCheckListQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Only this year’s versions'),
});

export const DocumentVersionSchema = z.object({
  id: UuidSchema,
  kind: z.enum(['self-check-report', 'audit-report', 'meeting-minutes']),
  period: z.string().describe('The year of a self-check report; the audit or meeting otherwise'),
  version: z.number().int(),
  status: z.enum(['submitted', 'issued']).describe('submitted: filed with the platform; issued: an audit report'),
  submittedOn: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  file: z.object({ id: UuidSchema, name: z.string(), size: z.number().int(), sha256: z.string() }),
  /** Null for a file a person uploaded. */
  dataSha256: z.string().nullable(),
  eventId: UuidSchema.nullable(),
  createdBy: z.string().nullable().describe('Who recorded it (name)'),
  createdAt: z.string(),
});
