import { z } from 'zod';
import { NameSchema, RoleSchema, UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';

export const WorkspaceKindSchema = z.enum(['company', 'consultancy']);

export const CreateWorkspaceSchema = z.object({
  name: NameSchema,
  kind: WorkspaceKindSchema.default('company'),
});

export const WorkspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: WorkspaceKindSchema,
  demo: z.boolean(),
  role: RoleSchema,
  createdAt: z.string(),
});

export const UpdateMemberSchema = z
  .object({
    role: RoleSchema.optional(),
    orgIds: z.array(UuidSchema).max(1000).nullable().optional(),
  })
  .refine((v) => v.role !== undefined || v.orgIds !== undefined, {
    message: says('请修改角色或可访问的企业', 'Change the role or the organisations'),
  });

export const MemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  orgIds: z.array(z.string()).nullable(),
  createdAt: z.string(),
});

export const MemberParamsSchema = z.object({ id: UuidSchema, userId: UuidSchema });
