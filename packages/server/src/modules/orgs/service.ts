import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { organisations, workspaceMembers } from '../../db/schema.js';
import { conflict, forbidden } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { requireMembership, requireOrgAccess } from '../../access/membership.js';
import { inRecycleBin } from './recycle-bin.js';

type OrgRow = typeof organisations.$inferSelect;
export interface OrgProfile {
  name: string;
  creditCode: string;
  address?: string | null;
  foundedOn?: string | null;
  legalRepresentative?: string | null;
}

export const presentOrg = (o: OrgRow) => ({
  id: o.id,
  workspaceId: o.workspaceId,
  name: o.name,
  creditCode: o.creditCode,
  address: o.address,
  foundedOn: o.foundedOn,
  legalRepresentative: o.legalRepresentative,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

const auditFields = (o: OrgRow) => ({
  name: o.name,
  creditCode: o.creditCode,
  address: o.address,
  foundedOn: o.foundedOn,
  legalRepresentative: o.legalRepresentative,
});

async function ensureUniqueCreditCode(tx: Tx, workspaceId: string, creditCode: string, exceptId?: string) {
  const [dup] = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.workspaceId, workspaceId), eq(organisations.creditCode, creditCode)));
  const binned = dup ? undefined : await inRecycleBin(tx, workspaceId, creditCode);
  if (binned) {
    throw conflict(
      {
        zh: `统一社会信用代码 ${creditCode} 属于回收站中的企业「${binned.name}」：请到回收站恢复它，或彻底删除后再新建`,
        en: `The credit code ${creditCode} belongs to “${binned.name}” in the recycle bin: restore it there, or delete it for good first`,
      },
      'creditCode',
    );
  }
  if (dup && dup.id !== exceptId) {
    throw conflict(
      {
        zh: `统一社会信用代码 ${creditCode} 已属于企业「${dup.name}」`,
        en: `The credit code ${creditCode} already belongs to “${dup.name}”`,
      },
      'creditCode',
    );
  }
}

/** Organisations the actor can see: all of their workspaces', or one workspace's. */
export async function listOrgs({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId?: string }) {
  if (workspaceId) await requireMembership(tx, actor, workspaceId);
  const rows = await tx
    .select({ o: organisations })
    .from(organisations)
    .innerJoin(
      workspaceMembers,
      and(eq(workspaceMembers.workspaceId, organisations.workspaceId), eq(workspaceMembers.userId, actor.userId)),
    )
    .where(
      and(
        workspaceId ? eq(organisations.workspaceId, workspaceId) : undefined,
        or(isNull(workspaceMembers.orgIds), sql`${organisations.id} = any(${workspaceMembers.orgIds})`),
      ),
    )
    .orderBy(asc(organisations.name));
  return rows.map((r) => presentOrg(r.o));
}

export async function getOrg({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  return presentOrg(org);
}

/**
 * Adds a certificate-holding company to a workspace. Managers (资质专员) may: in a consultancy
 * they are the ones taking on new client companies.
 */
export async function createOrg({
  tx,
  actor,
  workspaceId,
  input,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  input: OrgProfile;
  meta: RequestMeta;
}) {
  const me = await requireMembership(tx, actor, workspaceId, 'manager');
  // A member limited to some organisations would not see the new one; adding is for those
  // who see the whole workspace.
  if (me.orgIds) {
    throw forbidden({
      zh: '您只能访问部分企业，不能新增企业；请联系工作空间管理员',
      en: 'You have access to some organisations only and cannot add one: ask a workspace administrator',
    });
  }
  await ensureUniqueCreditCode(tx, workspaceId, input.creditCode);
  const [org] = await tx
    .insert(organisations)
    .values({
      workspaceId,
      name: input.name,
      creditCode: input.creditCode,
      address: input.address ?? null,
      foundedOn: input.foundedOn ?? null,
      legalRepresentative: input.legalRepresentative ?? null,
    })
    .returning();
  await recordAudit(tx, {
    action: 'org.created',
    actorId: actor.userId,
    workspaceId,
    orgId: org!.id,
    targetType: 'org',
    targetId: org!.id,
    summary: { after: auditFields(org!) },
    ip: meta.ip,
  });
  return presentOrg(org!);
}

/** Edits an organisation's profile (managers and above). */
export async function updateOrg({
  tx,
  actor,
  orgId,
  input,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  input: Partial<OrgProfile>;
  meta: RequestMeta;
}) {
  const { org: before } = await requireOrgAccess(tx, actor, orgId, 'manager');
  if (input.creditCode) await ensureUniqueCreditCode(tx, before.workspaceId, input.creditCode, orgId);
  const [after] = await tx
    .update(organisations)
    .set({ ...input, updatedAt: new Date() })
    .where(and(eq(organisations.id, orgId), eq(organisations.workspaceId, before.workspaceId)))
    .returning();
  await recordAudit(tx, {
    action: 'org.updated',
    actorId: actor.userId,
    workspaceId: before.workspaceId,
    orgId,
    targetType: 'org',
    targetId: orgId,
    summary: diffSummary(auditFields(before), auditFields(after!)),
    ip: meta.ip,
  });
  return presentOrg(after!);
}
