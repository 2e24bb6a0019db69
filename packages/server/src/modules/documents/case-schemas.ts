import { CASE_DOCUMENTS, CASE_KINDS, EVENT_TYPES } from '@zizhi/core';
import { z } from 'zod';
import { cursorSchema, limitSchema } from '../../http/paging.js';
import { CalendarDateSchema, UuidSchema, boundedText } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

export const CaseListQuerySchema = z.object({
  certificateId: UuidSchema.optional().describe('Only this certificate’s cases'),
  kind: z
    .enum(CASE_KINDS)
    .optional()
    .describe('change 变更, major-change 重大变更, loss 遗失补办, rectification 整改, policy 政策更新'),
  state: z.enum(['open', 'closed']).optional(),
  limit: limitSchema(20, 100).describe('Page size (20 when left out)'),
  cursor: cursorSchema([
    (date) => date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date),
    (id) => id !== null && UuidSchema.safeParse(id).success,
  ])
    .optional()
    .describe('nextCursor of the previous page'),
});
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;

export const WorkspaceCaseListQuerySchema = CaseListQuerySchema.omit({ certificateId: true }).extend({
  orgId: UuidSchema.optional().describe('Only this organisation’s cases'),
});
export type WorkspaceCaseListQuery = z.infer<typeof WorkspaceCaseListQuerySchema>;

export const CaseParamsSchema = z.object({ orgId: UuidSchema, caseId: UuidSchema });
export const CaseStepParamsSchema = CaseParamsSchema.extend({
  stepKey: z.string().max(40, says('没有这个步骤', 'no such step')),
});
export const CaseMaterialParamsSchema = CaseParamsSchema.extend({
  materialId: z.string().max(40, says('没有这项材料', 'no such material')),
});
export const CaseDocumentParamsSchema = CaseParamsSchema.extend({ document: z.enum(CASE_DOCUMENTS) });

export const CasePatchSchema = z.object({
  ownerId: UuidSchema.nullable().describe('The member who runs the case; null: nobody'),
});
export type CasePatch = z.infer<typeof CasePatchSchema>;

export const CaseStepInputSchema = z.object({
  date: CalendarDateSchema.describe('The day the step was done (China date)'),
  note: boundedText('备注', 'The note', 500).optional(),
});
export type CaseStepInput = z.infer<typeof CaseStepInputSchema>;

export const MaterialInputSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('provided'),
    fileId: UuidSchema.describe('The file uploaded to the organisation’s files'),
  }),
  z.object({
    status: z.literal('not-applicable'),
    reason: boundedText('原因', 'The reason', 500).min(
      1,
      says('请说明为什么不适用', 'Say why the material does not apply'),
    ),
  }),
]);
export type MaterialInput = z.infer<typeof MaterialInputSchema>;

export const CaseCloseInputSchema = z.object({
  date: CalendarDateSchema.describe('The day of the outcome: the certificate re-issued, the re-assessment passed'),
  certificateNo: boundedText('新证书编号', 'The new number', 64)
    .transform((v) => v || undefined)
    .optional()
    .describe('Only when the re-issued certificate carries a new number'),
  note: boundedText('备注', 'The note', 1000).optional(),
});
export type CaseCloseInput = z.infer<typeof CaseCloseInputSchema>;

const Person = z.object({ id: z.string(), name: z.string() }).nullable();

export const CaseSchema = z.object({
  id: z.string().describe('The id of the event that opened the case'),
  kind: z.enum(CASE_KINDS),
  orgId: z.string(),
  certificateId: z.string(),
  certificateNo: z.string(),
  openedOn: z.string(),
  openedBy: z.enum(EVENT_TYPES),
  note: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  owner: Person,
  steps: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      nameEn: z.string(),
      status: z.enum(['done', 'open', 'waiting', 'cancelled']),
      doneOn: z.string().nullable(),
      action: z.enum(['event', 'obligation', 'state', 'manual', 'close']),
      event: z.enum(EVENT_TYPES).nullable(),
      state: z.enum(['suspended']).nullable(),
      obligationId: z.string().nullable(),
      dueDate: z.string().nullable(),
      dueAt: z.string().nullable(),
      basis: z.string().nullable(),
      basisEn: z.string().nullable(),
      overdue: z.boolean(),
      assignee: Person,
    }),
  ),
  checklist: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      nameEn: z.string(),
      when: z.string().nullable(),
      whenEn: z.string().nullable(),
      assumed: z.boolean(),
      status: z.enum(['missing', 'provided', 'not-applicable']),
      file: z.object({ id: z.string(), name: z.string() }).nullable(),
      reason: z.string().nullable(),
    }),
  ),
  actions: z.array(
    z.object({
      obligationId: z.string(),
      text: z.string(),
      dueDate: z.string(),
      status: z.enum(['open', 'done', 'waived']),
      completedOn: z.string().nullable(),
      overdue: z.boolean(),
      afterPeriod: z.boolean().describe('Due after the rectification period ends'),
      assignee: Person,
    }),
  ),
  documents: z.array(z.enum(CASE_DOCUMENTS)),
  progress: z.object({
    steps: z.number(),
    stepsDone: z.number(),
    materials: z.number(),
    materialsDone: z.number(),
    actions: z.number(),
    actionsDone: z.number(),
  }),
  nextDue: z.string().nullable(),
  overdue: z.boolean(),
  closedOn: z.string().nullable(),
  closedBy: Person,
  closingNote: z.string().nullable(),
  outcome: z.object({ eventId: z.string(), certificateNo: z.string().nullable() }).nullable(),
});

export const CaseListSchema = z.object({ items: z.array(CaseSchema), nextCursor: z.string().nullable() });
