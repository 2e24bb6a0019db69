import { z } from 'zod';
import { EmailSchema, NameSchema, UuidSchema } from '../../http/schemas.js';

export const ChannelTypeSchema = z.enum(['email', 'wecom', 'dingtalk', 'feishu', 'webhook']);

const UrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .describe(
    'Robot/webhook URL (企业微信 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…, 钉钉 https://oapi.dingtalk.com/robot/send?access_token=…, 飞书 https://open.feishu.cn/open-apis/bot/v2/hook/…); for e-mail the SMTP server, smtp://user@host:587 (STARTTLS when offered) or smtps://user@host:465, with ?tls=insecure to accept a self-signed certificate. Stored encrypted, shown masked.',
  );
const SecretSchema = z
  .string()
  .min(1)
  .max(500)
  .describe('钉钉 加签 / 飞书 签名校验 secret, the webhook HMAC key, or the SMTP password. Write-only.');
const FromSchema = z.string().trim().min(3).max(300).describe('E-mail sender, e.g. 资质提醒 <zizhi@example.com>');

export const CreateChannelSchema = z.object({
  type: ChannelTypeSchema,
  name: NameSchema,
  url: UrlSchema,
  secret: SecretSchema.optional(),
  from: FromSchema.optional(),
  recipients: z.array(EmailSchema).max(100).optional().describe('E-mail channels: the addresses it sends to'),
  orgIds: z
    .array(UuidSchema)
    .max(1000)
    .nullable()
    .optional()
    .describe("null or absent: reminders of every organisation of the workspace; otherwise only these organisations'"),
  enabled: z.boolean().optional(),
});

export const UpdateChannelSchema = z.object({
  name: NameSchema.optional(),
  url: UrlSchema.optional().describe('Absent: keep the stored URL'),
  secret: SecretSchema.nullable().optional().describe('Absent: keep; null: remove the secret'),
  from: FromSchema.nullable().optional(),
  recipients: z.array(EmailSchema).max(100).optional(),
  orgIds: z.array(UuidSchema).max(1000).nullable().optional(),
  enabled: z.boolean().optional(),
});

export const ChannelSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  type: ChannelTypeSchema,
  name: z.string(),
  url: z.string().nullable().describe('Masked, e.g. https://oapi.dingtalk.com/robot/send?access_token=abcd…wxyz'),
  hasSecret: z.boolean(),
  recipients: z.array(z.string()),
  orgIds: z.array(z.string()).nullable(),
  enabled: z.boolean(),
  needsReentry: z
    .boolean()
    .describe('Imported from another instance without its URL and secret: they must be entered again before use'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ChannelParamsSchema = z.object({ id: UuidSchema, channelId: UuidSchema });

export const DeliveryStatusSchema = z.enum(['queued', 'pending', 'sending', 'sent', 'failed', 'digested', 'cancelled']);

export const DeliverySchema = z.object({
  id: z.string(),
  kind: z.enum(['reminder', 'digest', 'test']),
  status: DeliveryStatusSchema.describe(
    'queued: waiting for the member’s digest; pending: to send (or to retry at nextAttemptAt); sending; sent; failed (after the last attempt); digested: went out in digest `digestId`; cancelled: the obligation was finished first',
  ),
  channelType: z.string().describe('email, wecom, dingtalk, feishu, webhook or in-app'),
  channel: z.object({ id: z.string(), name: z.string(), type: z.string() }).nullable(),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  orgId: z.string().nullable(),
  obligationId: z.string().nullable(),
  step: z
    .string()
    .nullable()
    .describe('Reminder step: before-<n>d, before-<n>h, on-day, at-due or overdue-<n> (the n-th overdue reminder)'),
  title: z.string(),
  titleEn: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  digestId: z.string().nullable(),
  createdAt: z.string(),
});

export const ListDeliveriesQuerySchema = z.object({
  status: DeliveryStatusSchema.optional(),
  channelId: UuidSchema.optional(),
  obligationId: UuidSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Cursor: createdAt of the last item of the previous page'),
});

export const PreferencesSchema = z.object({
  email: z.boolean().describe('Reminders to my own e-mail address'),
  inApp: z.boolean().describe('Reminders in my in-app inbox'),
  digest: z
    .enum(['none', 'daily', 'weekly'])
    .describe('Single messages, or one digest each working day / week at 09:00'),
});
