import { USAGE_PURPOSES } from '@zizhi/core';
import { z } from 'zod';
import { says } from '../../http/validation.js';
import { cursorSchema, limitSchema } from '../../http/paging.js';
import {
  CalendarDateSchema,
  LevelSchema,
  NameSchema,
  StateSchema,
  UuidSchema,
  boundedText,
} from '../../http/schemas.js';
import { EngineAlertSchema, EngineMessageSchema } from '../obligations/api.js';

const NumberSchema = z
  .string()
  .trim()
  .min(1, { message: '请填写证书编号' })
  .max(100, { message: '证书编号最多 100 个字符' });

export const CreateCertificateSchema = z
  .object({
    level: LevelSchema,
    number: NumberSchema,
    issuer: NameSchema,
    issuedOn: CalendarDateSchema,
    /** As printed on the certificate; omitted: issue + 4 years − 1 day, marked as proposed. */
    expiresOn: CalendarDateSchema.optional(),
    public: z.boolean().default(false),
  })
  .refine((c) => !c.expiresOn || c.expiresOn > c.issuedOn, {
    message: '到期日应晚于发证日期',
    path: ['expiresOn'],
  });

export const UpdateCertificateSchema = z
  .object({
    level: LevelSchema,
    number: NumberSchema,
    issuer: NameSchema,
    issuedOn: CalendarDateSchema,
    expiresOn: CalendarDateSchema,
    public: z.boolean(),
    scanFileId: UuidSchema.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '请至少提供一个要修改的字段' });

export const TransitionInputSchema = z.object({
  to: z.enum(['active', 'suspended', 'revoked', 'abandoned', 'expired', 'invalidated'], {
    message:
      '状态应为 active（有效）、suspended（暂停使用）、revoked（已撤销）、abandoned（视为放弃）、expired（已过期）或 invalidated（已失效）；降级、换证请用“接续证书”',
  }),
  on: CalendarDateSchema,
  reason: z.string().trim().min(1, { message: '请说明原因' }).max(1000),
});

export const SuccessorInputSchema = z
  .object({
    kind: z.enum(['renewal', 'upgrade', 'downgrade'], {
      message: '类型应为 renewal（换证）、upgrade（升级）或 downgrade（降级）',
    }),
    level: LevelSchema,
    number: NumberSchema,
    issuer: NameSchema,
    issuedOn: CalendarDateSchema,
    expiresOn: CalendarDateSchema.optional(),
  })
  .refine((c) => !c.expiresOn || c.expiresOn > c.issuedOn, { message: '到期日应晚于发证日期', path: ['expiresOn'] });

export const CertificateSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  level: LevelSchema,
  number: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string(),
  expiresOnProposed: z.boolean(),
  /** What holds today from recorded facts: recorded state changes, recorded events, the printed expiry. */
  state: StateSchema,
  /** The state as last stored (today's state when the certificate was last recomputed). */
  recordedState: StateSchema,
  public: z.boolean(),
  /** Path of the public verification page (`/verify/<slug>`; badge `/badge/<slug>.svg`, QR `/qr/<slug>.png`), null unless public. */
  publicUrl: z.string().nullable(),
  predecessorId: z.string().nullable(),
  successorId: z.string().nullable(),
  scanFileId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const TransitionSchema = z.object({
  id: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  on: z.string(),
  reason: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
});

export const CertificateDetailSchema = CertificateSchema.extend({
  transitions: z.array(TransitionSchema),
  timeline: z.array(
    z.object({
      state: StateSchema,
      from: z.string(),
      to: z.string().optional(),
      reasonZh: z.string(),
      reasonEn: z.string(),
    }),
  ),
  /** Events not used and checks on recorded events. */
  warnings: z.array(EngineMessageSchema),
  /** Deadlines passed with no result recorded: what to record or confirm. */
  alerts: z.array(EngineAlertSchema),
});

const YEAR_MESSAGE = '年度应为 1900–2199 之间的整数';

/** The history step: what was done before the certificate was entered. */
export const HistoryInputSchema = z.object({
  supervisions: z
    .array(
      z.object({
        date: CalendarDateSchema,
        passed: z.boolean({ message: '请选择监督评估是否通过' }),
      }),
    )
    .max(10, { message: '一次最多补录 10 次监督评估' })
    .default([]),
  selfChecks: z
    .array(
      z.object({
        year: z
          .number({ message: YEAR_MESSAGE })
          .int({ message: YEAR_MESSAGE })
          .min(1900, { message: YEAR_MESSAGE })
          .max(2199, { message: YEAR_MESSAGE }),
        date: CalendarDateSchema,
        result: z.enum(['normal', 'abnormal'], { message: '自查结果应为 normal（正常）或 abnormal（异常）' }),
      }),
    )
    .max(10, { message: '一次最多补录 10 次年度自查' })
    .default([]),
  /** Periodic duties (internal audits, quarterly meetings) due before this day are recorded as done. */
  periodicDoneBefore: CalendarDateSchema.optional(),
  /** The completion date to record for them; by default each one's own due date. */
  periodicCompletedOn: CalendarDateSchema.optional(),
  /** Say what would change without saving. */
  dryRun: z.boolean().default(false),
});

export const HistoryResultSchema = z.object({
  saved: z.boolean(),
  events: z.number(),
  closed: z.number(),
  overdue: z.number(),
  warnings: z.array(EngineMessageSchema),
  alerts: z.array(EngineAlertSchema),
});

export const UsageInputSchema = z.object({
  purpose: z
    .enum(USAGE_PURPOSES)
    .describe(
      'tender 投标, supplier-registration 供应商入库, contract 合同签订, website 网站或宣传资料, qualification-review 资格审查, other 其他',
    ),
  recipient: boundedText('接收方', 'The recipient', 200)
    .min(1, says('请填写接收方（招标人、客户或网站）', 'Enter the recipient (the tenderer, client or website)'))
    .describe('Who receives the copy: the tenderer, the client, the website'),
  tenderName: boundedText('项目或招标名称', 'The project or tender name', 200)
    .transform((v) => v || null)
    .nullable()
    .optional()
    .describe('The project or tender the copy is for'),
  tenderNumber: boundedText('项目编号', 'The project number', 100)
    .transform((v) => v || null)
    .nullable()
    .optional(),
  date: CalendarDateSchema.describe('The day of the use (China date)'),
  approvedBy: boundedText('审批人', 'The approver', 100)
    .transform((v) => v || null)
    .nullable()
    .optional()
    .describe('Who approved letting the copy out'),
  note: boundedText('备注', 'The note', 1000)
    .transform((v) => v || null)
    .nullable()
    .optional(),
});
export type UsageInput = z.infer<typeof UsageInputSchema>;

export const UsageSchema = z.object({
  id: z.string(),
  certificateId: z.string(),
  registrationNo: z.string().describe('SY<year>-<order>: printed on the stamped copy'),
  purpose: z.enum(USAGE_PURPOSES),
  recipient: z.string(),
  tenderName: z.string().nullable(),
  tenderNumber: z.string().nullable(),
  date: z.string(),
  approvedBy: z.string().nullable(),
  note: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});

export const UsageListQuerySchema = z.object({
  certificateId: UuidSchema.optional().describe('Only this certificate’s uses'),
  limit: limitSchema(50, 200).describe('Page size (50 when left out)'),
  cursor: cursorSchema([
    (at) => at !== null && !Number.isNaN(Date.parse(at)),
    (id) => id !== null && UuidSchema.safeParse(id).success,
  ])
    .optional()
    .describe('nextCursor of the previous page'),
});
export type UsageListQuery = z.infer<typeof UsageListQuerySchema>;

export const UsageParamsSchema = z.object({ orgId: UuidSchema, certId: UuidSchema, usageId: UuidSchema });

export const VoidUsageSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, says('请说明作废原因', 'Say why the registration is void'))
    .max(500, says('作废原因最多 500 个字', 'The reason is at most 500 characters')),
});
