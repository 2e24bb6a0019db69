import { z } from 'zod';
import { EmailSchema, NameSchema, PasswordSchema, RoleSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

export const SetupSchema = z.object({
  email: EmailSchema,
  name: NameSchema,
  password: PasswordSchema,
  workspaceName: NameSchema.optional(),
  /** Accepted for symmetry with adding members; the first account is always the owner. */
  role: RoleSchema.optional(),
});

export const LoginSchema = z.object({
  email: EmailSchema,
  password: z
    .string()
    .min(1, { message: says('请输入密码', 'Enter your password') })
    .max(200),
});

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  /** True until an account created with a temporary password has chosen its own. */
  mustChangePassword: z.boolean(),
});

export const PasswordResetRequestSchema = z.object({ email: EmailSchema });

export const PasswordResetSchema = z.object({
  token: z
    .string()
    .min(16, { message: says('重置链接不完整，请复制完整的链接', 'The reset link is incomplete; copy the whole link') })
    .max(100, { message: says('重置链接无效', 'The reset link is not valid') }),
  newPassword: PasswordSchema,
});

export const MeSchema = z.object({
  user: UserSchema,
  workspaces: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(['company', 'consultancy']),
      /** Example data to try the product on, removable in one click. */
      demo: z.boolean(),
      role: RoleSchema,
      orgIds: z.array(z.string()).nullable(),
    }),
  ),
  /** For cookie sessions: send it back as X-CSRF-Token on writes. */
  csrfToken: z.string().nullable(),
});
