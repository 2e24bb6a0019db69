import { LEVELS, RULE_IDS } from '@zizhi/core';
import { z } from 'zod';
import { cursorSchema, limitSchema } from '../../http/paging.js';
import { CalendarDateSchema, UuidSchema, boundedText } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

export const PolicyUpdateInputSchema = z.object({
  title: boundedText('标题', 'The title', 200).min(1, says('请填写标题', 'Enter the title')),
  issuer: boundedText('发布机构', 'The issuer', 200).min(1, says('请填写发布机构', 'Enter the issuer')),
  publishedOn: CalendarDateSchema.describe('The day it was published (China date)'),
  link: z
    .string()
    .trim()
    .max(1000, says('链接最多 1000 个字符', 'The link is at most 1000 characters'))
    .refine((v) => v === '' || /^https?:\/\/\S+$/i.test(v), {
      message: says('链接应以 http:// 或 https:// 开头', 'The link must start with http:// or https://'),
    })
    .transform((v) => v || null)
    .nullable()
    .optional(),
  summary: boundedText('变化内容', 'What changes', 4000).min(1, says('请说明变化内容', 'Say what changes')),
  levels: z.array(z.enum(LEVELS)).max(5).default([]).describe('The levels whose requirements it touches'),
  items: z
    .array(z.string().regex(/^[A-Z]{1,3}\.\d{1,2}\.\d{1,2}$/, says('能力项编号无效', 'not a capability item id')))
    .max(100)
    .default([])
    .describe('Capability catalogue items it touches'),
  rules: z.array(z.enum(RULE_IDS)).max(RULE_IDS.length).default([]).describe('Obligation rules it touches'),
});
export type PolicyUpdateInput = z.infer<typeof PolicyUpdateInputSchema>;

const page = {
  limit: limitSchema(20, 100).describe('Page size (20 when left out)'),
  cursor: cursorSchema([(a) => a !== null && a.length <= 200, (id) => id !== null && UuidSchema.safeParse(id).success])
    .optional()
    .describe('nextCursor of the previous page'),
};
export const PolicyListQuerySchema = z.object(page);
export type PolicyListQuery = z.infer<typeof PolicyListQuerySchema>;

export const PolicyParamsSchema = z.object({ id: UuidSchema, updateId: UuidSchema });
export const PolicyOrgParamsSchema = PolicyParamsSchema.extend({ orgId: UuidSchema });

export const ImpactInputSchema = z
  .object({
    impact: z.enum(['affected', 'not-affected']).describe('affected 受影响, not-affected 不受影响'),
    note: boundedText('评估说明', 'The assessment', 2000).optional(),
    certificateId: UuidSchema.optional().describe('Affected: the certificate whose case handles it'),
    date: CalendarDateSchema.optional().describe('Affected: the day the review starts (today when left out)'),
  })
  .refine((v) => v.impact === 'not-affected' || v.certificateId, {
    message: says('受影响时请选择由哪张证书办理', 'Choose the certificate that handles it'),
    path: ['certificateId'],
  })
  .refine((v) => v.impact === 'affected' || (v.note ?? '') !== '', {
    message: says('不受影响时请说明理由', 'Say why it does not apply'),
    path: ['note'],
  });
export type ImpactInput = z.infer<typeof ImpactInputSchema>;

export const CaseActionInputSchema = z.object({
  title: boundedText('事项', 'The action', 200).min(1, says('请填写事项', 'Enter the action')),
  dueDate: CalendarDateSchema,
  assigneeId: UuidSchema.optional(),
});
export type CaseActionInput = z.infer<typeof CaseActionInputSchema>;

const Affects = z.object({
  levels: z.array(z.enum(LEVELS)),
  items: z.array(z.object({ id: z.string(), name: z.string() })),
  rules: z.array(z.object({ id: z.string(), name: z.string(), nameEn: z.string() })),
});

export const PolicyUpdateSchema = z.object({
  id: z.string(),
  title: z.string(),
  issuer: z.string(),
  publishedOn: z.string(),
  link: z.string().nullable(),
  summary: z.string(),
  affects: Affects,
  assessed: z.number().describe('Organisations (of those the member sees) that assessed it'),
  affected: z.number(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export const PolicyUpdateListSchema = z.object({
  items: z.array(PolicyUpdateSchema),
  nextCursor: z.string().nullable(),
});

export const PolicyImpactSchema = z.object({
  orgId: z.string(),
  orgName: z.string(),
  certificates: z.array(z.object({ id: z.string(), number: z.string(), level: z.enum(LEVELS), touched: z.boolean() })),
  /** A certificate of a level the update names: likely affected. */
  suggested: z.boolean(),
  assessment: z
    .object({
      impact: z.enum(['affected', 'not-affected']),
      note: z.string().nullable(),
      caseId: z.string().nullable(),
      certificateId: z.string().nullable(),
      assessedAt: z.string(),
      assessedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    })
    .nullable(),
});
export const PolicyImpactListSchema = z.object({
  items: z.array(PolicyImpactSchema),
  nextCursor: z.string().nullable(),
});
