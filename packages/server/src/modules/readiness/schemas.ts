import { EVIDENCE_REF_TYPES, LEVELS, REQUIREMENT_KINDS, REQUIREMENT_PURPOSES } from '@zizhi/core';
import { z } from 'zod';
import { CalendarDateSchema, LevelSchema } from '../../http/schemas.js';

const Localized = z.object({ zh: z.string(), en: z.string() });
const Status = z.enum(['met', 'not-met', 'unknown']);

export const ReadinessQuerySchema = z.object({
  level: z
    .string()
    .toUpperCase()
    .pipe(z.enum(LEVELS, { message: '等级应为 CS1、CS2、CS3、CS4 或 CS5' }))
    .optional(),
  at: CalendarDateSchema.optional(),
});

const RequirementResultSchema = z.object({
  id: z.string(),
  kind: z.enum(REQUIREMENT_KINDS),
  label: Localized,
  source: z.string(),
  advisory: z.boolean(),
  status: Status,
  /** Null, like the threshold, for a condition (independent legal entity, no adverse records). */
  operator: z.string().nullable(),
  value: z.union([z.number(), z.string()]).nullable(),
  threshold: z.union([z.number(), z.string()]).nullable(),
  unit: z.string(),
  parts: z.object({ numerator: z.number(), denominator: z.number() }).optional(),
  summary: Localized,
  gap: Localized.nullable(),
  missing: Localized.nullable(),
  evidence: z.array(z.object({ type: z.enum(EVIDENCE_REF_TYPES), id: z.string(), label: z.string() })),
  forecast: z.object({ date: z.string(), status: Status, reason: Localized }).nullable(),
});

export const ReadinessSchema = z.object({
  level: LevelSchema,
  at: z.string(),
  requirementSetId: z.string(),
  purpose: z.enum(REQUIREMENT_PURPOSES).nullable(),
  window: z.object({ from: z.string(), to: z.string(), label: Localized }),
  horizon: z.string().nullable(),
  status: Status,
  counts: z.object({ met: z.number(), notMet: z.number(), unknown: z.number() }),
  requirements: z.array(RequirementResultSchema),
  skipped: z.array(z.object({ id: z.string(), label: Localized, appliesTo: z.array(z.string()).readonly() })),
  stopsBeingMet: z.object({ date: z.string(), requirementIds: z.array(z.string()) }).nullable(),
  /** Whether the workspace's edited requirement set was used instead of the shipped default. */
  customRequirements: z.boolean(),
  currentLevel: LevelSchema.nullable(),
  upgradeLevel: LevelSchema.nullable(),
  certificateNumber: z.string().nullable(),
  /** Readiness on the certificate's next supervision or renewal date, with today's evidence. */
  next: z
    .object({
      date: z.string(),
      rule: z.string(),
      title: Localized,
      status: Status,
      counts: z.object({ met: z.number(), notMet: z.number(), unknown: z.number() }),
      notMet: z.array(z.object({ id: z.string(), label: Localized, status: Status })),
    })
    .nullable(),
});

export const RequirementSetItemSchema = z.object({
  level: LevelSchema,
  custom: z.boolean(),
  /** The set as data (see packages/core/src/scheme/requirements.ts for its shape). */
  set: z.record(z.string(), z.unknown()),
});

export const LevelParamsSchema = z.object({ id: z.uuid({ message: '应为有效的 ID (UUID)' }), level: LevelSchema });
