import { CERTIFICATE_STATES, isValidDate, LEVELS } from '@zizhi/core';
import { z } from 'zod';
import { ROLES } from '../access/roles.js';
import { says } from './validation.js';

/** Shared edge schemas: every route builds its body from these so rules and messages agree. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(
    z.email({
      message: says(
        '请输入有效的电子邮件地址，例如 name@example.com',
        'must be a valid email address, e.g. name@example.com',
      ),
    }),
  );

export const PasswordSchema = z
  .string()
  .min(10, { message: says('密码至少需要 10 个字符', 'Passwords need at least 10 characters') })
  .max(200, { message: says('密码最多 200 个字符', 'Passwords have at most 200 characters') });

export const NameSchema = z.string().trim().min(1).max(200);

export const OptionalTextSchema = z.string().trim().max(500).nullable().optional();

/** Text trimmed and at most `max` characters, the limit said in words naming the field. */
export const boundedText = (zh: string, en: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, says(`${zh}最多 ${max} 个字`, `${en} is at most ${max} characters`));

const REAL_DATE = says('必须是真实日期（YYYY-MM-DD）', 'must be a real date (YYYY-MM-DD)');

/**
 * A China calendar date as written on documents: YYYY-MM-DD, a real day (core's one validator).
 * One message whichever check fails, and the second check skipped after the first.
 */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: REAL_DATE, abort: true })
  .refine(isValidDate, { message: REAL_DATE });

export const UuidSchema = z.uuid();

export const RoleSchema = z.enum(ROLES);

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

export const LevelSchema = z.enum(LEVELS, { message: '等级应为 CS1、CS2、CS3、CS4 或 CS5' });
export const StateSchema = z.enum(CERTIFICATE_STATES);
