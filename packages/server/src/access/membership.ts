import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/client.js';
import { certificates, organisations, workspaceMembers } from '../db/schema.js';
import { forbidden, notFound } from '../errors.js';
import type { Role } from './roles.js';
import type { Actor } from './actor.js';

const RANK: Record<Role, number> = { viewer: 0, contributor: 1, manager: 2, admin: 3, owner: 4 };

/** True when `role` is at least `min` (owner > admin > manager > contributor > viewer). */
export function hasRole(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

export interface Membership {
  workspaceId: string;
  role: Role;
  orgIds: string[] | null;
}

/**
 * The actor's membership of a workspace. Not a member: 404, so other tenants cannot even
 * learn that the workspace exists. A lower role than `min`: 403.
 */
export async function requireMembership(
  tx: Tx,
  actor: Actor,
  workspaceId: string,
  min: Role = 'viewer',
): Promise<Membership> {
  const [m] = await tx
    .select({ role: workspaceMembers.role, orgIds: workspaceMembers.orgIds })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, actor.userId)));
  if (!m) throw notFound('工作空间');
  if (!hasRole(m.role, min)) throw forbidden();
  return { workspaceId, role: m.role, orgIds: m.orgIds };
}

/**
 * The organisation with the actor's membership, checked the same way; a member limited to
 * other organisations gets 404.
 */
export async function requireOrgAccess(tx: Tx, actor: Actor, orgId: string, min: Role = 'viewer') {
  const [row] = await tx
    .select({ org: organisations, role: workspaceMembers.role, orgIds: workspaceMembers.orgIds })
    .from(organisations)
    .innerJoin(
      workspaceMembers,
      and(eq(workspaceMembers.workspaceId, organisations.workspaceId), eq(workspaceMembers.userId, actor.userId)),
    )
    .where(eq(organisations.id, orgId));
  if (!row || (row.orgIds && !row.orgIds.includes(orgId))) throw notFound('企业');
  if (!hasRole(row.role, min)) throw forbidden();
  return { org: row.org, membership: { workspaceId: row.org.workspaceId, role: row.role, orgIds: row.orgIds } };
}

/**
 * The organisation's certificate, or 404: a certificate id under another organisation's path is
 * not found, whoever asks. Call after requireOrgAccess.
 */
export async function loadCertificate(tx: Tx, orgId: string, certId: string) {
  const [row] = await tx
    .select()
    .from(certificates)
    .where(and(eq(certificates.id, certId), eq(certificates.orgId, orgId)));
  if (!row) throw notFound('证书');
  return row;
}

/** Whether `userId` is a member of the workspace who can see organisation `orgId` (an assignee, an owner). */
export async function seesOrg(tx: Tx, workspaceId: string, userId: string, orgId: string): Promise<boolean> {
  const [m] = await tx
    .select({ orgIds: workspaceMembers.orgIds })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return Boolean(m) && (!m!.orgIds || m!.orgIds.includes(orgId));
}

/**
 * The organisations of a workspace a member may see, as a condition on an `org_id` column: all of
 * them, or those the membership is limited to (a subquery, so no list grows with the workspace).
 */
export function visibleOrgsSql(column: AnyPgColumn, workspaceId: string, orgIds: string[] | null): SQL {
  return and(
    inArray(column, sql`(select id from organisations where workspace_id = ${workspaceId})`),
    orgIds ? inArray(column, orgIds) : undefined,
  )!;
}
