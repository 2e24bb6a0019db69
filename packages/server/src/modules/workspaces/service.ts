import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { organisations, users, workspaceMembers, workspaces } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { conflict, forbidden, invalid, notFound } from '../../errors.js';
import type { Role } from '../../http/schemas.js';
import type { Actor, RequestMeta } from '../auth/actor.js';
import { createUser } from '../auth/service.js';
import { diffSummary, recordAudit } from '../audit/service.js';
import { requireMembership, type Membership } from './access.js';

const presentMember = (m: typeof workspaceMembers.$inferSelect, u: { email: string; name: string }) => ({
  userId: m.userId,
  email: u.email,
  name: u.name,
  role: m.role,
  orgIds: m.orgIds,
  createdAt: m.createdAt.toISOString(),
});

/** The workspaces the actor belongs to, with their role in each. */
export async function listWorkspaces({ tx, actor }: { tx: Tx; actor: Actor }) {
  const rows = await tx
    .select({ w: workspaces, role: workspaceMembers.role, orgIds: workspaceMembers.orgIds })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(eq(workspaceMembers.userId, actor.userId))
    .orderBy(asc(workspaces.createdAt));
  return rows.map(({ w, role, orgIds }) => ({
    id: w.id,
    name: w.name,
    kind: w.kind,
    role,
    orgIds,
    createdAt: w.createdAt.toISOString(),
  }));
}

/**
 * Creates a workspace owned by the actor. Only instance administrators may: a workspace is a
 * customer of this installation. Runs outside tenant scope because the workspace has no
 * members yet.
 */
export async function createWorkspace({
  db,
  actor,
  input,
  meta,
}: {
  db: Db;
  actor: Actor;
  input: { name: string; kind: 'company' | 'consultancy' };
  meta: RequestMeta;
}) {
  if (!actor.isAdmin) throw forbidden('只有系统管理员可以创建工作空间');
  return withSystem(db, async (tx) => {
    const [w] = await tx.insert(workspaces).values(input).returning();
    await tx.insert(workspaceMembers).values({ workspaceId: w!.id, userId: actor.userId, role: 'owner' });
    await recordAudit(tx, {
      action: 'workspace.created',
      actorId: actor.userId,
      workspaceId: w!.id,
      targetType: 'workspace',
      targetId: w!.id,
      summary: { name: w!.name, kind: w!.kind },
      ip: meta.ip,
    });
    return { id: w!.id, name: w!.name, kind: w!.kind, role: 'owner' as const, createdAt: w!.createdAt.toISOString() };
  });
}

export async function listMembers({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  await requireMembership(tx, actor, workspaceId);
  const rows = await tx
    .select({ m: workspaceMembers, email: users.email, name: users.name })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.workspaceId, workspaceId))
    .orderBy(asc(workspaceMembers.createdAt));
  return rows.map((r) => presentMember(r.m, r));
}

/**
 * Checks an organisation limit to grant: every id must belong to the workspace, and a caller
 * who is limited themselves may grant only within their own limit (never "all", which is
 * null), so nobody can widen their own or another's access beyond what they hold.
 * An empty list means no organisations.
 */
async function checkOrgIds(tx: Tx, me: Membership, orgIds: string[] | null | undefined) {
  if (me.orgIds && orgIds !== undefined) {
    if (orgIds === null || orgIds.some((id) => !me.orgIds!.includes(id))) {
      throw forbidden('您只能访问部分企业，只能在这些企业范围内授权');
    }
  }
  if (!orgIds || orgIds.length === 0) return;
  const found = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.workspaceId, me.workspaceId), inArray(organisations.id, orgIds)));
  if (found.length !== new Set(orgIds).size) {
    throw invalid('orgIds', '所选企业中有不属于此工作空间的企业，请重新选择');
  }
}

function checkGrant(actorRole: Role, role: Role) {
  if (role === 'owner' && actorRole !== 'owner') throw forbidden('只有所有者可以授予所有者角色');
}

/**
 * Adds a person to a workspace: an existing account by e-mail, or a new account with the
 * first password an admin sets.
 */
export async function addMember({
  tx,
  actor,
  workspaceId,
  input,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  input: { email: string; name: string; password?: string; role: Role; orgIds?: string[] | null };
  meta: RequestMeta;
}) {
  const me = await requireMembership(tx, actor, workspaceId, 'admin');
  checkGrant(me.role, input.role);
  // A limited admin's new members are limited too: "all" is not theirs to give.
  const orgIds = input.orgIds === undefined && me.orgIds ? me.orgIds : input.orgIds;
  await checkOrgIds(tx, me, orgIds);
  let [user] = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(sql`lower(${users.email})`, input.email));
  let created = false;
  if (!user) {
    if (!input.password) {
      throw invalid('password', `${input.email} 还没有账户，请为其设置至少 10 个字符的初始密码`);
    }
    user = await createUser(tx, { email: input.email, name: input.name, password: input.password });
    created = true;
    await recordAudit(tx, {
      action: 'user.created',
      actorId: actor.userId,
      workspaceId,
      targetType: 'user',
      targetId: user.id,
      summary: { email: user.email, name: user.name },
      ip: meta.ip,
    });
  }
  const [existing] = await tx
    .select()
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, user.id)));
  if (existing) throw conflict(`${input.email} 已是此工作空间的成员`, 'email');
  const [m] = await tx
    .insert(workspaceMembers)
    .values({ workspaceId, userId: user.id, role: input.role, orgIds: orgIds ?? null })
    .returning();
  await recordAudit(tx, {
    action: 'member.added',
    actorId: actor.userId,
    workspaceId,
    targetType: 'member',
    targetId: user.id,
    summary: { email: user.email, role: m!.role, orgIds: m!.orgIds, newAccount: created },
    ip: meta.ip,
  });
  return presentMember(m!, user);
}

async function loadMember(tx: Tx, workspaceId: string, userId: string) {
  const [row] = await tx
    .select({ m: workspaceMembers, email: users.email, name: users.name })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  if (!row) throw notFound('成员');
  return row;
}

async function ensureAnotherOwner(tx: Tx, workspaceId: string, userId: string) {
  const owners = await tx
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, 'owner')));
  if (!owners.some((o) => o.userId !== userId)) {
    throw conflict('工作空间至少需要一位所有者，请先把其他成员设为所有者');
  }
}

export async function updateMember({
  tx,
  actor,
  workspaceId,
  userId,
  input,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  userId: string;
  input: { role?: Role; orgIds?: string[] | null };
  meta: RequestMeta;
}) {
  const me = await requireMembership(tx, actor, workspaceId, 'admin');
  const target = await loadMember(tx, workspaceId, userId);
  if (target.m.role === 'owner' && me.role !== 'owner') throw forbidden('只有所有者可以修改所有者');
  if (input.role) checkGrant(me.role, input.role);
  if (target.m.role === 'owner' && input.role && input.role !== 'owner') {
    await ensureAnotherOwner(tx, workspaceId, userId);
  }
  if (target.m.orgIds === null && me.orgIds) throw forbidden('您只能访问部分企业，不能修改可访问全部企业的成员');
  await checkOrgIds(tx, me, input.orgIds);
  const next = {
    role: input.role ?? target.m.role,
    orgIds: input.orgIds === undefined ? target.m.orgIds : input.orgIds,
  };
  const [m] = await tx
    .update(workspaceMembers)
    .set(next)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)))
    .returning();
  await recordAudit(tx, {
    action: 'member.updated',
    actorId: actor.userId,
    workspaceId,
    targetType: 'member',
    targetId: userId,
    summary: diffSummary({ role: target.m.role, orgIds: target.m.orgIds }, next),
    ip: meta.ip,
  });
  return presentMember(m!, target);
}

export async function removeMember({
  tx,
  actor,
  workspaceId,
  userId,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  userId: string;
  meta: RequestMeta;
}) {
  const me = await requireMembership(tx, actor, workspaceId, 'admin');
  const target = await loadMember(tx, workspaceId, userId);
  if (target.m.orgIds === null && me.orgIds) throw forbidden('您只能访问部分企业，不能移除可访问全部企业的成员');
  if (target.m.role === 'owner') {
    if (me.role !== 'owner') throw forbidden('只有所有者可以移除所有者');
    await ensureAnotherOwner(tx, workspaceId, userId);
  }
  await tx
    .delete(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  await recordAudit(tx, {
    action: 'member.removed',
    actorId: actor.userId,
    workspaceId,
    targetType: 'member',
    targetId: userId,
    summary: { email: target.email, role: target.m.role },
    ip: meta.ip,
  });
}
