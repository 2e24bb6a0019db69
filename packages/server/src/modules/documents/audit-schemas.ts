import { z } from 'zod';
import { OrgParamsSchema } from '../../http/params.js';
import { CalendarDateSchema, UuidSchema } from '../../http/schemas.js';
import { FORMATS } from '../../reports/model.js';
import { ITEM_KINDS } from './checklist.js';

const name = z.string().trim().min(1, { message: '审核员姓名不能为空' }).max(50);

export const AuditInputSchema = z.object({
  certificateId: UuidSchema.describe('The certificate whose duties the audit serves'),
  periodStart: CalendarDateSchema.describe('First day the audit covers'),
  periodEnd: CalendarDateSchema.describe('Last day the audit covers'),
  auditors: z
    .array(name)
    .min(1, { message: '请至少填写一名审核员' })
    .max(20, { message: '审核员最多 20 名' })
    .describe('The audit team, by name'),
  scope: z.string().trim().max(2000).optional().describe('What the audit covers, in the company’s words'),
});
export type AuditInput = z.infer<typeof AuditInputSchema>;

export const AuditParamsSchema = OrgParamsSchema.extend({ id: UuidSchema });
export const AuditItemParamsSchema = AuditParamsSchema.extend({ itemId: UuidSchema });
export const AuditReportParamsSchema = AuditParamsSchema.extend({ format: z.enum(FORMATS) });
export const AuditListQuerySchema = z.object({ certificateId: UuidSchema.optional() });

export const ItemPatchSchema = z.object({
  result: z.enum(['conform', 'nonconform', 'observation']).describe('符合 / 不符合 / 观察项'),
  note: z.string().trim().max(2000).nullable().optional().describe('The auditor’s record of what was seen'),
  action: z
    .object({
      title: z.string().trim().min(1).max(180).optional().describe('What is to be corrected (default: the line)'),
      assigneeId: UuidSchema.optional().describe('Who corrects it (default: the auditor)'),
      dueDate: CalendarDateSchema.optional().describe('By when (default: 30 days on)'),
    })
    .optional()
    .describe('The corrective action of a nonconformity'),
});
export type ItemPatch = z.infer<typeof ItemPatchSchema>;

export const CloseAuditSchema = z.object({
  conclusion: z.string().trim().min(1, { message: '请填写检查结论' }).max(4000),
  closedOn: CalendarDateSchema.describe('The day the audit ended'),
});
export type CloseAuditInput = z.infer<typeof CloseAuditSchema>;

export const AuditSchema = z.object({
  id: UuidSchema,
  certificateId: UuidSchema,
  periodStart: z.string(),
  periodEnd: z.string(),
  auditors: z.array(z.string()),
  scope: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  conclusion: z.string().nullable(),
  closedOn: z.string().nullable(),
  obligationId: UuidSchema.nullable().describe('The internal-audit duty the closed audit completed'),
  counts: z.object({
    items: z.number().int(),
    conform: z.number().int(),
    nonconform: z.number().int(),
    observation: z.number().int(),
    undecided: z.number().int(),
  }),
  createdAt: z.string(),
});

export const ChecklistItemSchema = z.object({
  id: UuidSchema,
  position: z.number().int(),
  kind: z.enum(ITEM_KINDS).or(z.string()),
  text: z.string(),
  refs: z.array(z.object({ type: z.string(), id: z.string(), label: z.string() })),
  result: z.enum(['conform', 'nonconform', 'observation']).nullable(),
  note: z.string().nullable(),
  action: z
    .object({
      obligationId: UuidSchema,
      title: z.string(),
      dueDate: z.string(),
      status: z.string(),
      completedOn: z.string().nullable(),
      assigneeId: UuidSchema.nullable(),
      assigneeName: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable()
    .describe('A nonconformity’s corrective action (an obligation)'),
});
