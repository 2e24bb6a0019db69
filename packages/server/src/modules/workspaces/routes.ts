import { z } from 'zod';
import { inTenant, requestMeta, requireActor } from '../../http/auth.js';
import { zodApp, type RouteModule } from '../../http/deps.js';
import { errorResponses } from '../../http/schemas.js';
import {
  CreateWorkspaceSchema,
  MemberParamsSchema,
  MemberSchema,
  UpdateMemberSchema,
  WorkspaceSchema,
} from './schemas.js';
import { createWorkspace, listMembers, listWorkspaces, removeMember, updateMember } from './service.js';
import { WorkspaceParamsSchema } from '../../http/params.js';

export const workspaceRoutes: RouteModule = (fastify, { database }) => {
  const app = zodApp(fastify);
  const { db } = database;
  const tags = ['workspaces'];

  app.get(
    '/api/workspaces',
    {
      schema: {
        tags,
        summary: "The caller's workspaces with their role",
        response: { 200: z.object({ items: z.array(WorkspaceSchema) }), ...errorResponses },
      },
    },
    async (request) => inTenant(db, request, async ({ tx, actor }) => ({ items: await listWorkspaces({ tx, actor }) })),
  );

  app.post(
    '/api/workspaces',
    {
      schema: {
        tags,
        summary: 'Create a workspace (instance administrators); the creator becomes its owner',
        body: CreateWorkspaceSchema,
        response: { 201: WorkspaceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const ws = await createWorkspace({ db, actor, input: request.body, meta: requestMeta(request) });
      return reply.status(201).send(ws);
    },
  );

  app.get(
    '/api/workspaces/:id/members',
    {
      schema: {
        tags,
        summary: 'Members of a workspace',
        params: WorkspaceParamsSchema,
        response: { 200: z.object({ items: z.array(MemberSchema) }), ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, async ({ tx, actor }) => ({
        items: await listMembers({ tx, actor, workspaceId: request.params.id }),
      })),
  );

  app.patch(
    '/api/workspaces/:id/members/:userId',
    {
      schema: {
        tags,
        summary: "Change a member's role or organisation limit",
        params: MemberParamsSchema,
        body: UpdateMemberSchema,
        response: { 200: MemberSchema, ...errorResponses },
      },
    },
    async (request) =>
      inTenant(db, request, ({ tx, actor, meta }) =>
        updateMember({
          tx,
          actor,
          meta,
          workspaceId: request.params.id,
          userId: request.params.userId,
          input: request.body,
        }),
      ),
  );

  app.delete(
    '/api/workspaces/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member from the workspace',
        params: MemberParamsSchema,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await inTenant(db, request, ({ tx, actor, meta }) =>
        removeMember({ tx, actor, meta, workspaceId: request.params.id, userId: request.params.userId }),
      );
      return reply.status(204).send(null);
    },
  );
};
