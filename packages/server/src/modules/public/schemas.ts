import { CERTIFICATE_STATES, LEVELS } from '@zizhi/core';
import { z } from 'zod';

/** A certificate's public address: its slug (or, for old links, the number as printed). */
export const PublicSlugParamsSchema = z.object({
  slug: z.string().trim().min(1, { message: '请提供证书的公开地址' }).max(100, { message: '地址最多 100 个字符' }),
});

/** Everything the public may learn about a published certificate, and nothing more. */
export const PublicCertificateSchema = z.object({
  company: z.string(),
  level: z.enum(LEVELS),
  levelName: z.string().describe('中文等级名称，例如 良好级'),
  number: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string(),
  /** False when the expiry was not entered from the certificate but proposed as issue + 4 years − 1 day. */
  expiresOnConfirmed: z.boolean(),
  /** The state people recorded (and expiry once its date has passed); never a state only inferred. */
  state: z.enum(CERTIFICATE_STATES),
  stateLabel: z.string().describe('状态的中文名称，例如 有效'),
});
export type PublicCertificate = z.infer<typeof PublicCertificateSchema>;
