import { z } from 'zod';
import { EmailSchema, NameSchema, PasswordSchema, RoleSchema, UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

export const InviteMemberSchema = z.object({
  email: EmailSchema,
  name: NameSchema,
  role: RoleSchema,
  orgIds: z.array(UuidSchema).max(1000).nullable().optional(),
  /**
   * For offices without e-mail: the person logs in with this address and password and must
   * change the password at once. Works only for an address without an account.
   */
  temporaryPassword: PasswordSchema.optional(),
});

export const InvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  orgIds: z.array(z.string()).nullable(),
  withTemporaryPassword: z.boolean(),
  state: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  invitedBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
});

export const InvitationCreatedSchema = z.object({
  invitation: InvitationSchema,
  /** The link to accept; shown this once (only its hash is stored). */
  inviteUrl: z.string(),
  /** Whether the link went out by e-mail (an e-mail channel or ZIZHI_SMTP_URL is configured). */
  emailSent: z.boolean(),
});

export const InvitationParamsSchema = z.object({ id: UuidSchema, invitationId: UuidSchema });

export const InvitationTokenParamsSchema = z.object({
  token: z
    .string()
    .min(16, {
      message: says('邀请链接不完整，请复制完整的链接', 'The invitation link is incomplete; copy the whole link'),
    })
    .max(100, { message: says('邀请链接无效', 'The invitation link is not valid') }),
});

export const InvitationPreviewSchema = z.object({
  workspaceName: z.string(),
  invitedBy: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  expiresAt: z.string(),
});

export const AcceptInvitationSchema = z.object({
  /** Your name, for a new account (defaults to the name in the invitation). */
  name: NameSchema.optional(),
  /** Your password, for a new account; leave out when accepting while logged in. */
  password: PasswordSchema.optional(),
});
