import { ASSESSMENT_KINDS, ASSESSMENT_STEPS, CertificateEventSchema } from '@zizhi/core';
import { z } from 'zod';
import { UuidSchema } from '../../http/schemas.js';
import { ObligationSchema } from '../obligations/api.js';

/** An event as the engine defines it (type-specific fields); the server assigns its id. */
export const EventBodySchema = CertificateEventSchema;

/** Corrections keep the type; any of the type's fields may change. */
export const EventPatchSchema = z
  .object({
    date: z.string(),
    at: z.string(),
    year: z.number(),
    deadline: z.string(),
    passed: z.boolean(),
    result: z.enum(['normal', 'abnormal']),
    assessment: z.enum(ASSESSMENT_KINDS),
    step: z.enum(ASSESSMENT_STEPS),
    note: z.string().max(2000).nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '请至少提供一个要更正的字段' });

export const EventSchema = z.object({
  id: z.string(),
  certificateId: z.string(),
  type: z.string(),
  date: z.string(),
  at: z.string().nullable(),
  year: z.number().optional(),
  deadline: z.string().optional(),
  passed: z.boolean().optional(),
  /** Self-check submitted: normal or abnormal. */
  result: z.enum(['normal', 'abnormal']).optional(),
  /** Assessment step: which assessment, and which of its steps. */
  assessment: z.enum(ASSESSMENT_KINDS).optional(),
  step: z.enum(ASSESSMENT_STEPS).optional(),
  note: z.string().optional(),
  withdrawnAt: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});

export const PreviewObligationSchema = ObligationSchema.pick({
  key: true,
  rule: true,
  titleZh: true,
  titleEn: true,
  dueDate: true,
  dueAt: true,
  windowStart: true,
  provisional: true,
  awaitingNotice: true,
  basis: true,
  basisEn: true,
  source: true,
  satisfiedOn: true,
  cancelReason: true,
  cancelReasonEn: true,
});

export const EventParamsSchema = z.object({ orgId: UuidSchema, certId: UuidSchema, eventId: UuidSchema });
export const WithdrawQuerySchema = z.object({
  reason: z.string().trim().min(1, { message: '请说明撤回原因' }).max(1000),
});
