import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { chinaToday } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { workspaceMembers, workspaces } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, conflict, forbidden } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAccountAudit } from '../../access/audit.js';
import { requireMembership } from '../../access/membership.js';
import { fillDemo, type ApiCall } from './content.js';

export const DEMO_NAME = '演示工作区（示例数据）';

/** How the demo's calls authenticate: as the person who asked for it, from their address. */
export interface Caller {
  headers: { cookie?: string; 'x-csrf-token'?: string; authorization?: string };
  ip: string;
}

/**
 * The app's own routes, called in-process as `caller`: the demo is built by exactly the
 * checks, rules and audit entries a user's own typing goes through (and counts against the
 * caller's rate limit like their own requests).
 */
export function callAs(app: FastifyInstance, caller: Caller): ApiCall {
  return async <T>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<T> => {
    const res = await app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: caller.headers,
      remoteAddress: caller.ip,
    });
    if (res.statusCode >= 300) {
      const answer = res.json<{ error?: { message?: string } }>();
      throw new DemoStepError(`${method} ${url}`, res.statusCode, answer.error?.message ?? res.body.slice(0, 300));
    }
    return res.json<T>();
  };
}

class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly answer: string,
  ) {
    super(`${step}: ${status} ${answer}`);
  }
}

/**
 * Creates a workspace of example data owned by the caller (instance administrators, who are the
 * ones that create workspaces), one per person at a time. A step that fails removes what was
 * made and says which step it was.
 */
export async function createDemo({
  app,
  db,
  actor,
  caller,
}: {
  app: FastifyInstance;
  db: Db;
  actor: Actor;
  caller: Caller;
}) {
  if (!actor.isAdmin) throw forbidden('只有系统管理员可以创建演示工作区');
  const [existing] = await withSystem(db, (tx) =>
    tx
      .select({ name: workspaces.name })
      .from(workspaces)
      .innerJoin(workspaceMembers, eq(workspaceMembers.workspaceId, workspaces.id))
      .where(and(eq(workspaces.demo, true), eq(workspaceMembers.userId, actor.userId))),
  );
  if (existing) {
    throw conflict({
      zh: `您已有演示工作区「${existing.name}」：请直接使用它，或先删除后再新建`,
      en: `You already have the demo workspace “${existing.name}”: use it, or remove it first`,
    });
  }
  const call = callAs(app, caller);
  const ws = await call<{ id: string; name: string; kind: 'company' | 'consultancy'; createdAt: string }>(
    'POST',
    '/api/workspaces',
    { name: DEMO_NAME, kind: 'consultancy' },
  );
  await withSystem(db, (tx) => tx.update(workspaces).set({ demo: true }).where(eq(workspaces.id, ws.id)));
  try {
    const orgs = await fillDemo(call, ws.id, chinaToday());
    return { workspace: { ...ws, demo: true, role: 'owner' as const }, orgs };
  } catch (err) {
    await withSystem(db, (tx) => tx.delete(workspaces).where(eq(workspaces.id, ws.id)));
    if (err instanceof DemoStepError) {
      throw new AppError('INTERNAL', {
        zh: `演示数据生成失败（${err.step}：${err.answer}），未完成的演示工作区已删除`,
        en: `The demo data could not be made (${err.step}: ${err.answer}); the unfinished demo workspace was removed`,
      });
    }
    throw err;
  }
}

/**
 * Removes a demo workspace with everything in it (its owners). A workspace of real data is
 * never removed this way: its organisations go through the recycle bin one by one.
 */
export async function removeDemo({
  db,
  actor,
  workspaceId,
  meta,
}: {
  db: Db;
  actor: Actor;
  workspaceId: string;
  meta: RequestMeta;
}) {
  // Outside tenant scope: the workspace row itself goes, which no member's policy allows.
  return withSystem(db, async (system) => {
    await requireMembership(system, actor, workspaceId, 'owner');
    const [ws] = await system
      .select({ name: workspaces.name, demo: workspaces.demo })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!ws?.demo) {
      throw conflict({
        zh: '只有演示工作区可以整个删除；正式工作空间中的企业请逐个移入回收站',
        en: 'Only a demo workspace can be removed as a whole; move the organisations of a real one to the recycle bin one by one',
      });
    }
    await system.delete(workspaces).where(and(eq(workspaces.id, workspaceId), eq(workspaces.demo, true)));
    // After the removal: the entry goes to the workspaces the remover still has.
    await recordAccountAudit(system, {
      action: 'workspace.demo-removed',
      actorId: actor.userId,
      targetType: 'workspace',
      summary: { name: ws.name },
      ip: meta.ip,
    });
    return { removed: true as const, name: ws.name };
  });
}
