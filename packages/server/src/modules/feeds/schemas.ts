import { OBLIGATION_RULES } from '@zizhi/core';
import { z } from 'zod';
import { UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

const RULE_IDS: ReadonlySet<string> = new Set(OBLIGATION_RULES.map((r) => r.id));

/** What a feed shows, chosen when it is made; every field has a default. */
export const FeedOptionsSchema = z.object({
  daysBack: z
    .number()
    .int()
    .min(0, { message: says('回溯天数不能为负数', 'must not be negative') })
    .max(3650, { message: says('回溯天数最多 3650 天', 'must be at most 3650 days') })
    .default(90)
    .describe('Obligations due up to this many days before today'),
  daysAhead: z
    .number()
    .int()
    .min(1, { message: says('向后天数至少 1 天', 'must be at least 1 day') })
    .max(3650, { message: says('向后天数最多 3650 天', 'must be at most 3650 days') })
    .default(730)
    .describe('Obligations due up to this many days after today'),
  includeFinished: z.boolean().default(false).describe('Also show done and waived obligations'),
  orgIds: z
    .array(UuidSchema)
    .min(1, { message: says('请至少选择一家企业，或不限企业', 'choose at least one organisation, or leave it open') })
    .max(500)
    .nullable()
    .default(null)
    .describe('Only these organisations (null: every one the member sees)'),
  rules: z
    .array(
      z
        .string()
        .refine((id) => RULE_IDS.has(id), { message: says('不是已知的义务类型', 'is not a known obligation kind') }),
    )
    .min(1, { message: says('请至少选择一种义务，或不限类型', 'choose at least one kind, or leave it open') })
    .max(100)
    .nullable()
    .default(null)
    .describe('Only obligations of these rules (null: all)'),
  assignedToMe: z.boolean().default(false).describe("Only obligations assigned to the feed's owner"),
});

export const CreateFeedSchema = FeedOptionsSchema.extend({ workspaceId: UuidSchema });

export const FeedSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  createdAt: z.string(),
  daysBack: z.number().int(),
  daysAhead: z.number().int(),
  includeFinished: z.boolean(),
  orgIds: z.array(z.string()).nullable(),
  rules: z.array(z.string()).nullable(),
  assignedToMe: z.boolean(),
});

export const CreatedFeedSchema = FeedSchema.extend({
  token: z.string().describe('The secret part of the URL; shown only in this response'),
  url: z.string().describe('The address to subscribe to in Outlook, Apple Calendar, 钉钉 or 飞书'),
});

export const FeedTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });
