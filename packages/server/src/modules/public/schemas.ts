import { CERTIFICATE_STATES, LEVELS } from '@zizhi/core';
import { z } from 'zod';

/** A certificate number as printed, in a public URL (matched without regard to case). */
export const CertificateNumberParamsSchema = z.object({
  number: z.string().trim().min(1, { message: '请提供证书编号' }).max(100, { message: '证书编号最多 100 个字符' }),
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
  state: z.enum(CERTIFICATE_STATES),
  stateLabel: z.string().describe('状态的中文名称，例如 有效'),
});
export type PublicCertificate = z.infer<typeof PublicCertificateSchema>;
