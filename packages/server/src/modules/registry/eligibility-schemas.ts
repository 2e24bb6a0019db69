import { ADVERSE_RECORD_KINDS, STANDARD_ROLES } from '@zizhi/core';
import { z } from 'zod';
import { CalendarDateSchema, NameSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';
import { AttachmentInputSchema, AttachmentSchema } from './schemas.js';

// Edge schemas of the records behind the eligibility conditions and the renewal growth
// requirement: standards taken part in, adverse records, and the legal-entity confirmation.

const text = (max: number) => z.string().trim().max(max).nullable().optional();

const attachments = (roles: readonly [string, ...string[]]) =>
  z
    .array(AttachmentInputSchema.extend({ role: z.enum(roles) }))
    .max(200)
    .optional();

export const STANDARD_FILE_ROLES = ['standard', 'other'] as const;
export const ADVERSE_RECORD_FILE_ROLES = ['listing-notice', 'removal-notice', 'other'] as const;
export const LEGAL_ENTITY_FILE_ROLES = ['business-licence', 'articles', 'other'] as const;

const record = {
  id: z.string(),
  orgId: z.string(),
  notes: z.string().nullable(),
  files: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
};

// ── Standards (标准制定)

const standardFields = {
  name: NameSchema,
  number: text(100),
  role: z.enum(STANDARD_ROLES),
  publishedOn: CalendarDateSchema,
  notes: text(2000),
  files: attachments(STANDARD_FILE_ROLES),
};
export const CreateStandardSchema = z.object(standardFields);
export const UpdateStandardSchema = z.object(standardFields).partial();
export const StandardSchema = z.object({
  ...record,
  name: z.string(),
  number: z.string().nullable(),
  role: z.enum(STANDARD_ROLES),
  publishedOn: z.string(),
});

// ── Adverse records (不良记录)

const adverseFields = {
  kind: z.enum(ADVERSE_RECORD_KINDS),
  listedOn: CalendarDateSchema,
  clearedOn: CalendarDateSchema.nullable().optional(),
  notes: text(2000),
  files: attachments(ADVERSE_RECORD_FILE_ROLES),
};
/** A record cannot be cleared before it was listed; a change of one date alone is checked by the service. */
const clearedAfterListed = <T extends z.ZodType<{ listedOn?: string; clearedOn?: string | null }>>(schema: T) =>
  schema.refine((r) => !r.listedOn || !r.clearedOn || r.clearedOn >= r.listedOn, {
    message: says('移出日期不能早于列入日期', 'must not be before the date listed'),
    path: ['clearedOn'],
  });
export const CreateAdverseRecordSchema = clearedAfterListed(z.object(adverseFields));
export const UpdateAdverseRecordSchema = clearedAfterListed(z.object(adverseFields).partial());
export const AdverseRecordSchema = z.object({
  ...record,
  kind: z.enum(ADVERSE_RECORD_KINDS),
  listedOn: z.string(),
  clearedOn: z.string().nullable(),
});

// ── Legal entity (独立法人)

export const SaveLegalEntitySchema = z.object({
  isIndependent: z.boolean(),
  /** Today (China) when left out. */
  confirmedOn: CalendarDateSchema.optional(),
  notes: text(2000),
  files: attachments(LEGAL_ENTITY_FILE_ROLES),
});
export const LegalEntitySchema = z.object({
  orgId: z.string(),
  /** Null until someone confirms it. */
  isIndependent: z.boolean().nullable(),
  confirmedOn: z.string().nullable(),
  confirmedByName: z.string().nullable(),
  notes: z.string().nullable(),
  files: z.array(AttachmentSchema),
  updatedAt: z.string().nullable(),
});
