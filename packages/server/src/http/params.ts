import { z } from 'zod';
import { UuidSchema } from './schemas.js';

// Path parameters that routes of several features share.
export const WorkspaceParamsSchema = z.object({ id: UuidSchema });
export const OrgParamsSchema = z.object({ orgId: UuidSchema });
export const CertParamsSchema = z.object({ orgId: UuidSchema, certId: UuidSchema });
