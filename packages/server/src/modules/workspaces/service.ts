import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { organisations, users, workspaceMembers, workspaces } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { conflict, forbidden, invalid, notFound, type Bilingual } from '../../errors.js';
import type { Role } from '../../access/roles.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { requireMembership, type Membership } from '../../access/membership.js';

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
    demo: w.demo,
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
    return {
      id: w!.id,
      name: w!.name,
      kind: w!.kind,
      demo: w!.demo,
      role: 'owner' as const,
      createdAt: w!.createdAt.toISOString(),
    };
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
export async function checkOrgIds(tx: Tx, me: Membership, orgIds: string[] | null | undefined) {
  if (me.orgIds && orgIds !== undefined) {
    if (orgIds === null || orgIds.some((id) => !me.orgIds!.includes(id))) {
      throw forbidden({
        zh: '您只能访问部分企业，只能在这些企业范围内授权',
        en: 'You have access to some organisations only, and can grant access to those only',
      });
    }
  }
  if (!orgIds || orgIds.length === 0) return;
  const found = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.workspaceId, me.workspaceId), inArray(organisations.id, orgIds)));
  if (found.length !== new Set(orgIds).size) {
    throw invalid('orgIds', {
      zh: '所选企业中有不属于此工作空间的企业，请重新选择',
      en: 'Some of the organisations chosen are not in this workspace: choose again',
    });
  }
}

/**
 * A member limited to some organisations manages only members whose access lies within their
 * own: not those who see every organisation, nor those with any organisation outside the limit.
 */
function ensureWithinLimit(me: Membership, targetOrgIds: string[] | null, verb: Bilingual) {
  if (!me.orgIds) return;
  if (targetOrgIds === null || targetOrgIds.some((id) => !me.orgIds!.includes(id))) {
    throw forbidden({
      zh: `您只能访问部分企业，不能${verb.zh}可访问其他企业的成员`,
      en: `You have access to some organisations only, and cannot ${verb.en} members with access to others`,
    });
  }
}

export function checkGrant(actorRole: Role, role: Role) {
  if (role === 'owner' && actorRole !== 'owner') {
    throw forbidden({ zh: '只有所有者可以授予所有者角色', en: 'Only owners can make someone an owner' });
  }
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
    throw conflict({
      zh: '工作空间至少需要一位所有者，请先把其他成员设为所有者',
      en: 'A workspace needs at least one owner: make another member an owner first',
    });
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
  ensureWithinLimit(me, target.m.orgIds, { zh: '修改', en: 'change' });
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
  ensureWithinLimit(me, target.m.orgIds, { zh: '移除', en: 'remove' });
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
