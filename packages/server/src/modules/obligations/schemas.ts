import { CERTIFICATE_STATES, isValidDate } from '@zizhi/core';
import { z } from 'zod';
import { cursorSchema, limitSchema } from '../../http/paging.js';
import { CalendarDateSchema, UuidSchema } from '../../http/schemas.js';

export const ObligationStatusSchema = z.enum(['open', 'in_progress', 'done', 'waived'], {
  message: '状态应为 open（待办）、in_progress（进行中）、done（已完成）或 waived（豁免）',
});

/**
 * The status people see: what they set, except that an obligation an event satisfied is `done`
 * and one a recorded state ended is `cancelled`.
 */
export const ObligationViewStatusSchema = z.enum(['open', 'in_progress', 'done', 'waived', 'cancelled']);

/** A note from the engine in both languages; `code` is stable for programs. */
export const EngineMessageSchema = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  eventId: z.string().optional(),
});

/** A deadline passed with nothing recorded: what the certificate may have become, never its state. */
export const EngineAlertSchema = EngineMessageSchema.extend({
  possibleState: z.enum(CERTIFICATE_STATES),
  possibleFrom: z.string(),
  obligationKey: z.string().optional(),
});

export const ObligationSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  certificateId: z.string(),
  certificateNumber: z.string(),
  level: z.string(),
  key: z.string(),
  rule: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  dueDate: z.string(),
  /** Hour deadlines only: ISO instant with +08:00. */
  dueAt: z.string().nullable(),
  windowStart: z.string().nullable(),
  provisional: z.boolean(),
  awaitingNotice: z.boolean(),
  basis: z.string(),
  basisEn: z.string(),
  source: z.string(),
  status: ObligationViewStatusSchema,
  /** Derived: still to do (not done, waived, satisfied or cancelled), and past its due date (or instant). */
  overdue: z.boolean(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  note: z.string().nullable(),
  completedOn: z.string().nullable(),
  waivedReason: z.string().nullable(),
  satisfiedOn: z.string().nullable(),
  /** The day a recorded state (revoked, superseded …) ended this duty, with the reason. */
  cancelledOn: z.string().nullable(),
  cancelReason: z.string().nullable(),
  cancelReasonEn: z.string().nullable(),
  eventId: z.string().nullable(),
  /** When the reminder sweep next looks at this obligation (ISO instant, +08:00); null when none is planned. */
  nextReminderAt: z.string().nullable(),
  /** The reminder step due then: `before-30d`, `on-day`, `overdue-1` … */
  nextReminderStep: z.string().nullable(),
  /** Files attached to it (on completion, usually): minutes, receipts, reports. */
  files: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const ObligationFilterSchema = z
  .object({
    from: CalendarDateSchema,
    to: CalendarDateSchema,
    status: z.union([ObligationStatusSchema, z.literal('cancelled'), z.literal('overdue')]),
    rule: z.string().max(100),
    assigneeId: UuidSchema,
    certificateId: UuidSchema,
  })
  .partial();

/** A page of a list: its sort key is (due date, due instant or none, id). */
const PageSchema = z.object({
  limit: limitSchema(100, 500),
  cursor: cursorSchema([
    (date) => date !== null && isValidDate(date),
    (instant) => instant === null || !Number.isNaN(Date.parse(instant)),
    (id) => id !== null && UuidSchema.safeParse(id).success,
  ]).optional(),
});

export const ObligationListQuerySchema = ObligationFilterSchema.extend(PageSchema.shape);

export const WorkspaceObligationListQuerySchema = ObligationListQuerySchema.extend({ orgId: UuidSchema.optional() });

export const ObligationPatchSchema = z
  .object({
    status: ObligationStatusSchema,
    assigneeId: UuidSchema.nullable(),
    note: z.string().trim().max(2000).nullable(),
    completedOn: CalendarDateSchema,
    waivedReason: z.string().trim().min(1).max(1000),
    fileIds: z
      .array(UuidSchema)
      .max(20, { message: '一项义务最多附 20 个文件' })
      .describe('The files attached, as a whole (upload them to /files first); [] removes them'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '请至少提供一个要修改的字段' });

export const ObligationParamsSchema = z.object({ orgId: UuidSchema, id: UuidSchema });

/** Several obligations of one organisation at once, e.g. history entered after the fact. */
export const ObligationBulkSchema = z
  .object({
    ids: z.array(UuidSchema).min(1, { message: '请至少选择一项义务' }).max(500, { message: '一次最多更新 500 项' }),
    status: ObligationStatusSchema,
    note: z.string().trim().max(2000).nullable(),
    completedOn: CalendarDateSchema,
    waivedReason: z.string().trim().min(1).max(1000),
  })
  .partial({ status: true, note: true, completedOn: true, waivedReason: true })
  .refine((v) => Object.keys(v).length > 1, { message: '请说明要做的更新（状态、完成日期、备注或豁免原因）' });

/** One page of a list, with the counts over every page (for "N items, M overdue"). */
export const ObligationPageSchema = z.object({
  items: z.array(ObligationSchema),
  total: z.number().int(),
  overdue: z.number().int(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
