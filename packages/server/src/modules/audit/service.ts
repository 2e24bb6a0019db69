import { and, count, desc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { inTurn, type Tx } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';
import { addCalendarDays } from '@zizhi/core';
import type { Actor } from '../../access/actor.js';
import { requireMembership } from '../../access/membership.js';
import { actorNames } from '../../access/audit.js';
import { targetNames } from './targets.js';

export interface AuditQuery {
  workspaceId: string;
  action?: string;
  actorId?: string;
  orgId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Lists a workspace's audit rows, newest first; admins and owners only. */
export async function listAudit({ tx, actor, query }: { tx: Tx; actor: Actor; query: AuditQuery }) {
  const me = await requireMembership(tx, actor, query.workspaceId, 'admin');
  const filters: SQL[] = [eq(auditLog.workspaceId, query.workspaceId)];
  // A member limited to some organisations reads only their rows and workspace-wide ones.
  if (me.orgIds) filters.push(or(isNull(auditLog.orgId), inArray(auditLog.orgId, me.orgIds))!);
  if (query.action) filters.push(eq(auditLog.action, query.action));
  if (query.actorId) filters.push(eq(auditLog.actorId, query.actorId));
  if (query.orgId) filters.push(eq(auditLog.orgId, query.orgId));
  // Days are China calendar days: [from 00:00, to+1 00:00) in +08:00.
  if (query.from) filters.push(gte(auditLog.at, new Date(`${query.from}T00:00:00+08:00`)));
  if (query.to) filters.push(lt(auditLog.at, new Date(`${addCalendarDays(query.to, 1)}T00:00:00+08:00`)));
  const where = and(...filters);
  const [rows, [total]] = await inTurn([
    tx
      .select({ row: auditLog })
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(query.limit)
      .offset(query.offset),
    tx.select({ n: count() }).from(auditLog).where(where),
  ]);
  const names = await actorNames(tx, [...new Set(rows.flatMap(({ row }) => (row.actorId ? [row.actorId] : [])))]);
  const targets = await targetNames(
    tx,
    query.workspaceId,
    rows.map(({ row }) => row),
  );
  return {
    items: rows.map(({ row }) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actorId
        ? { id: row.actorId, name: names.get(row.actorId)?.name ?? '', email: names.get(row.actorId)?.email ?? '' }
        : null,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      targetName: (row.targetId && targets.get(`${row.targetType}:${row.targetId}`)) ?? null,
      orgId: row.orgId,
      summary: row.summary as Record<string, unknown>,
      ip: row.ip,
    })),
    total: Number(total?.n ?? 0),
  };
}
