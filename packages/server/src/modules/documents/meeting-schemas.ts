import { z } from 'zod';
import { OrgParamsSchema } from '../../http/params.js';
import { CalendarDateSchema, UuidSchema } from '../../http/schemas.js';
import { FORMATS } from '../../reports/model.js';

export const MeetingInputSchema = z.object({
  certificateId: UuidSchema.describe('The certificate whose upkeep the meeting reviews'),
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/, { message: '季度应写作 YYYY-Qn，如 2026-Q4' })
    .describe('The quarter reviewed: 2026-Q4'),
});
export type MeetingInput = z.infer<typeof MeetingInputSchema>;

const person = z.string().trim().min(1).max(50);

export const MinutesPatchSchema = z
  .object({
    heldOn: CalendarDateSchema.describe('The day it was held'),
    place: z.string().trim().max(200).nullable(),
    chair: person.nullable().describe('Who chaired it'),
    attendees: z.array(person).max(50, { message: '参会人员最多 50 名' }),
    decisions: z.string().trim().max(8000).nullable().describe('What the meeting decided, a line each'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '请至少填写一项会议记录' });
export type MinutesPatch = z.infer<typeof MinutesPatchSchema>;

export const ActionItemInputSchema = z.object({
  title: z.string().trim().min(1, { message: '请填写待办事项' }).max(180),
  assigneeId: UuidSchema.optional().describe('Who does it (default: the one recording it)'),
  dueDate: CalendarDateSchema.describe('By when'),
});
export type ActionItemInput = z.infer<typeof ActionItemInputSchema>;

export const MeetingParamsSchema = OrgParamsSchema.extend({ id: UuidSchema });
export const MinutesParamsSchema = MeetingParamsSchema.extend({ format: z.enum(FORMATS) });
export const MeetingListQuerySchema = z.object({ certificateId: UuidSchema.optional() });

export const MeetingSchema = z.object({
  id: UuidSchema,
  certificateId: UuidSchema,
  quarter: z.string(),
  agenda: z.array(z.object({ title: z.string(), lines: z.array(z.string()) })),
  heldOn: z.string().nullable(),
  place: z.string().nullable(),
  chair: z.string().nullable(),
  attendees: z.array(z.string()),
  decisions: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  obligationId: UuidSchema.nullable().describe('The quarter’s meeting duty the minutes completed'),
  actions: z.array(
    z.object({
      obligationId: UuidSchema,
      title: z.string(),
      dueDate: z.string(),
      status: z.string(),
      assigneeId: UuidSchema.nullable(),
      assigneeName: z.string().nullable(),
    }),
  ),
  createdAt: z.string(),
});
