import { z } from 'zod';
import { CalendarDateSchema, UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';
import { OrgParamsSchema } from '../../http/params.js';

/** The form fields that may accompany the `file` part of an upload. */
export const UploadFieldsSchema = z
  .strictObject({
    effectiveOn: CalendarDateSchema.optional(),
    validUntil: CalendarDateSchema.optional(),
    replacesId: UuidSchema.optional(),
  })
  .refine((v) => !v.effectiveOn || !v.validUntil || v.validUntil >= v.effectiveOn, {
    message: says('有效期至不能早于生效日期', 'must not be before the effective date'),
    path: ['validUntil'],
  });
export type UploadFields = z.infer<typeof UploadFieldsSchema>;

export const FileSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  name: z.string(),
  contentType: z.string(),
  effectiveOn: z.string().nullable(),
  validUntil: z.string().nullable(),
  replacesId: z.string().nullable(),
  createdAt: z.string(),
});

export const FileParamsSchema = OrgParamsSchema.extend({ id: UuidSchema });
