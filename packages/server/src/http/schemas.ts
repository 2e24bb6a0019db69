import { isValidDate } from '@zizhi/core';
import { z } from 'zod';

/** Shared edge schemas: every route builds its body from these so rules and messages agree. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: '请输入有效的电子邮件地址，例如 name@example.com' }));

export const PasswordSchema = z
  .string()
  .min(10, { message: '密码至少需要 10 个字符' })
  .max(200, { message: '密码最多 200 个字符' });

export const NameSchema = z.string().trim().min(1, { message: '不能为空' }).max(200, { message: '最多 200 个字符' });

export const OptionalTextSchema = z.string().trim().max(500, { message: '最多 500 个字符' }).nullable().optional();

/** A China calendar date as written on documents: YYYY-MM-DD, a real day (core's one validator). */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD，例如 2026-03-15' })
  .refine(isValidDate, { message: '不是有效的日期，请检查年、月、日' });

export const UuidSchema = z.uuid({ message: '应为有效的 ID (UUID)' });

export const RoleSchema = z.enum(['owner', 'admin', 'manager', 'contributor', 'viewer'], {
  message: '角色应为 owner、admin、manager、contributor 或 viewer',
});
export type Role = z.infer<typeof RoleSchema>;

export const ErrorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

export const IdParamsSchema = z.object({ id: UuidSchema });

/** Standard error responses to list in a route's OpenAPI entry. */
export const errorResponses = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
} as const;
