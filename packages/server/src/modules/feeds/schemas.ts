import { z } from 'zod';
import { UuidSchema } from '../../http/schemas.js';

export const CreateFeedSchema = z.object({ workspaceId: UuidSchema });

export const FeedSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  createdAt: z.string(),
});

export const CreatedFeedSchema = FeedSchema.extend({
  token: z.string().describe('The secret part of the URL; shown only in this response'),
  url: z.string().describe('The address to subscribe to in Outlook, Apple Calendar, 钉钉 or 飞书'),
});

export const FeedTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });
