// The recycle bin: a deleted organisation is kept, out of sight with everything under it, for
// RECYCLE_DAYS; an admin can restore it or remove it for good before then, and the reminder
// sweep removes it afterwards. Row-level security hides it from tenant code (migration 0031);
// the bin's own reads and writes go through the database functions made for them.
import { and, count, eq, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client.js';
import { inTurn } from '../../db/client.js';
import {
  certificateEvents,
  certificates,
  files,
  financialYears,
  ipAssets,
  managementCertificates,
  obligations,
  organisations,
  projects,
  staff,
  workspaceMembers,
} from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { requireMembership, requireOrgAccess } from '../../access/membership.js';
import { actorNames, recordAudit } from '../../access/audit.js';

/** Days an organisation stays in the recycle bin before it is removed for good. */
export const RECYCLE_DAYS = 30;
const DAY_MS = 86_400_000;

/** What is filed under an organisation, counted for the delete confirmation. */
type Counted =
  | 'certificates'
  | 'events'
  | 'openObligations'
  | 'files'
  | 'projects'
  | 'staff'
  | 'ipAssets'
  | 'financialYears'
  | 'managementCertificates';
const COUNTED: ReadonlyArray<[Counted, PgTable & { orgId: PgColumn }, SQL?]> = [
  ['certificates', certificates],
  ['events', certificateEvents],
  ['openObligations', obligations, sql`${obligations.status} in ('open', 'in_progress')`],
  ['files', files],
  ['projects', projects],
  ['staff', staff],
  ['ipAssets', ipAssets],
  ['financialYears', financialYears],
  ['managementCertificates', managementCertificates],
];

/** How much goes into the recycle bin with an organisation (admins, who may delete it). */
export async function deletionImpact({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'admin');
  const counts = await inTurn(
    COUNTED.map(([, table, extra]) =>
      tx
        .select({ n: count() })
        .from(table)
        .where(and(eq(table.orgId, orgId), extra)),
    ),
  );
  return {
    name: org.name,
    recycleDays: RECYCLE_DAYS,
    counts: Object.fromEntries(COUNTED.map(([key], i) => [key, Number(counts[i]?.[0]?.n ?? 0)])) as Record<
      Counted,
      number
    >,
  };
}

/** Puts an organisation into the recycle bin (admins and owners); nothing under it is removed. */
export async function recycleOrg({
  tx,
  actor,
  orgId,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  meta: RequestMeta;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'admin');
  const at = new Date();
  await tx.execute(sql`select zizhi_recycle_org(${orgId}::uuid)`);
  await recordAudit(tx, {
    action: 'org.deleted',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'org',
    targetId: orgId,
    summary: {
      before: { name: org.name, creditCode: org.creditCode },
      purgeOn: new Date(at.getTime() + RECYCLE_DAYS * DAY_MS).toISOString(),
    },
    ip: meta.ip,
  });
}

interface BinRow {
  id: string;
  name: string;
  credit_code: string;
  deleted_at: string | Date;
  deleted_by: string | null;
}

async function binRows(tx: Tx, workspaceId: string): Promise<BinRow[]> {
  // The two drivers type execute() differently; both return { rows }.
  const result: unknown = await tx.execute(sql`select * from zizhi_recycle_bin(${workspaceId}::uuid)`);
  return (result as { rows: BinRow[] }).rows;
}

/** The organisation with this credit code in the workspace's recycle bin, if any. */
export async function inRecycleBin(tx: Tx, workspaceId: string, creditCode: string) {
  return (await binRows(tx, workspaceId)).find((r) => r.credit_code === creditCode);
}

/** The workspace's recycle bin, newest first (admins and owners; a limited admin, their own). */
export async function listRecycleBin({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const rows = await binRows(tx, workspaceId);
  const people = await actorNames(tx, [...new Set(rows.flatMap((r) => (r.deleted_by ? [r.deleted_by] : [])))]);
  return rows.map((r) => {
    const deletedAt = new Date(r.deleted_at);
    return {
      id: r.id,
      name: r.name,
      creditCode: r.credit_code,
      deletedAt: deletedAt.toISOString(),
      deletedBy: (r.deleted_by && people.get(r.deleted_by)?.name) || null,
      purgeAt: new Date(deletedAt.getTime() + RECYCLE_DAYS * DAY_MS).toISOString(),
    };
  });
}

/** The organisation in `workspaceId`'s recycle bin, or 404. */
async function binned(tx: Tx, workspaceId: string, orgId: string): Promise<BinRow> {
  const row = (await binRows(tx, workspaceId)).find((r) => r.id === orgId);
  if (!row) throw notFound('回收站中的企业');
  return row;
}

/** Who asks what of which organisation in which workspace's recycle bin. */
interface BinRequest {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  orgId: string;
  meta: RequestMeta;
}

/** Takes an organisation out of the recycle bin with everything under it. */
export async function restoreOrg({ tx, actor, workspaceId, orgId, meta }: BinRequest) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const row = await binned(tx, workspaceId, orgId);
  await tx.execute(sql`select zizhi_restore_org(${orgId}::uuid)`);
  await recordAudit(tx, {
    action: 'org.restored',
    actorId: actor.userId,
    workspaceId,
    orgId,
    targetType: 'org',
    targetId: orgId,
    summary: { after: { name: row.name, creditCode: row.credit_code } },
    ip: meta.ip,
  });
}

/** Drops a removed organisation's id from members' limits, so no stale reference remains. */
async function forgetInLimits(tx: Tx, workspaceId: string, orgId: string) {
  await tx
    .update(workspaceMembers)
    .set({ orgIds: sql`array_remove(${workspaceMembers.orgIds}, ${orgId}::uuid)` })
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), sql`${orgId}::uuid = any(${workspaceMembers.orgIds})`));
}

/** Removes an organisation in the recycle bin for good, before its 30 days are up. */
export async function purgeOrg({ tx, actor, workspaceId, orgId, meta }: BinRequest) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const row = await binned(tx, workspaceId, orgId);
  await tx.execute(sql`select zizhi_purge_org(${orgId}::uuid)`);
  await forgetInLimits(tx, workspaceId, orgId);
  await recordAudit(tx, {
    action: 'org.purged',
    actorId: actor.userId,
    workspaceId,
    orgId: null,
    targetType: 'org',
    targetId: orgId,
    summary: { before: { name: row.name, creditCode: row.credit_code } },
    ip: meta.ip,
  });
}

/** Removes for good what has been in the recycle bin for RECYCLE_DAYS (the reminder sweep calls it). */
export async function purgeExpiredOrgs(db: Db, at: number): Promise<number> {
  return withSystem(db, async (tx) => {
    const expired = await tx
      .delete(organisations)
      .where(and(isNotNull(organisations.deletedAt), lt(organisations.deletedAt, new Date(at - RECYCLE_DAYS * DAY_MS))))
      .returning({ id: organisations.id, workspaceId: organisations.workspaceId, name: organisations.name });
    for (const org of expired) {
      await forgetInLimits(tx, org.workspaceId, org.id);
      await recordAudit(tx, {
        action: 'org.purged',
        actorId: null,
        workspaceId: org.workspaceId,
        targetType: 'org',
        targetId: org.id,
        summary: { before: { name: org.name }, expired: true },
      });
    }
    return expired.length;
  });
}
