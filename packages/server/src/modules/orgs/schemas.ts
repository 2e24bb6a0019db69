import { checkCreditCode, normalizeCreditCode } from '@zizhi/core';
import { z } from 'zod';
import { CalendarDateSchema, NameSchema, OptionalTextSchema, UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

const CREDIT_CODE_MESSAGES = {
  length: says('统一社会信用代码应为 18 位，请核对营业执照', 'must be 18 characters long (check the business licence)'),
  character: says(
    '统一社会信用代码含有无效字符（只允许数字和除 I、O、Z、S、V 以外的大写字母）',
    'has characters a credit code cannot contain (only digits and capital letters other than I, O, Z, S and V)',
  ),
  check: says(
    '统一社会信用代码校验位不正确，请核对营业执照上的代码',
    'has a wrong check character (compare it with the code on the business licence)',
  ),
} as const;

export const CreditCodeSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = checkCreditCode(value);
    if (problem) ctx.addIssue({ code: 'custom', message: CREDIT_CODE_MESSAGES[problem] });
  })
  .transform(normalizeCreditCode);

const profile = {
  name: NameSchema,
  creditCode: CreditCodeSchema,
  address: OptionalTextSchema,
  foundedOn: CalendarDateSchema.nullable().optional(),
  legalRepresentative: z.string().trim().max(100).nullable().optional(),
};

export const CreateOrgSchema = z.object({ workspaceId: UuidSchema, ...profile });
export const UpdateOrgSchema = z
  .object(profile)
  .partial()
  .refine((v) => Object.keys(v).length > 0, {
    message: says('请至少提供一个要修改的字段', 'Give at least one field to change'),
  });

export const OrgSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  creditCode: z.string(),
  address: z.string().nullable(),
  foundedOn: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ListOrgsQuerySchema = z.object({ workspaceId: UuidSchema.optional() });
