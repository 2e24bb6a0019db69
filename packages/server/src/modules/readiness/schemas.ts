import { EVIDENCE_REF_TYPES, LEVELS, REQUIREMENT_KINDS, REQUIREMENT_PURPOSES } from '@zizhi/core';
import { z } from 'zod';
import { cursorSchema, limitSchema } from '../../http/paging.js';
import { CalendarDateSchema, LevelSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';
import { EXPIRY_FILTERS, OVERVIEW_SORTS } from './org-overview.js';

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

export const OrgOverviewQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  level: ReadinessQuerySchema.shape.level,
  expiry: z
    .enum(EXPIRY_FILTERS, {
      message: says(
        '证书到期筛选应为 expired、within90、within180、within365 或 none',
        'must be expired, within90, within180, within365 or none',
      ),
    })
    .optional(),
  overdueOnly: z
    .enum(['true', 'false'], { message: says('应为 true 或 false', 'must be true or false') })
    .transform((v) => v === 'true')
    .optional(),
  dueWithin: z.coerce
    .number()
    .int({ message: says('应为整数天数', 'must be a whole number of days') })
    .min(1, { message: says('至少 1 天', 'must be at least 1') })
    .max(366, { message: says('最多 366 天', 'must be at most 366') })
    .optional(),
  sort: z
    .enum(OVERVIEW_SORTS, {
      message: says('排序应为 name、expiry、next 或 overdue', 'must be name, expiry, next or overdue'),
    })
    .optional(),
  readiness: z
    .enum(['met', 'not-met', 'unknown'], {
      message: says('达标情况筛选应为 met、not-met 或 unknown', 'must be met, not-met or unknown'),
    })
    .optional(),
  limit: limitSchema(50, 200),
  cursor: cursorSchema([
    (key) => key !== null,
    (name) => name !== null,
    (id) => id !== null && z.uuid().safeParse(id).success,
  ]).optional(),
});

export const OrgOverviewSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      creditCode: z.string(),
      /** The newest live certificate, else the newest of any state; null when none is recorded. */
      certificate: z
        .object({ id: z.string(), number: z.string(), level: z.string(), state: z.string(), expiresOn: z.string() })
        .nullable(),
      /** The nearest open deadline not yet late. */
      next: z.object({ dueDate: z.string(), rule: z.string(), title: Localized }).nullable(),
      overdue: z.number().int(),
      /** Readiness today for the live certificate's level; null without a live certificate. */
      readiness: z.object({ level: z.string(), status: Status, met: z.number(), total: z.number() }).nullable(),
    }),
  ),
  /** Null when filtered by readiness: knowing it would mean evaluating every organisation. */
  total: z.number().int().nullable(),
  /** With a readiness filter a page may hold fewer rows than asked and still have a next one. */
  nextCursor: z.string().nullable(),
});
