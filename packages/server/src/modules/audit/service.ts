import { and, count, desc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';
import { addCalendarDays } from '@zizhi/core';
import type { Actor } from '../auth/actor.js';
import { requireMembership } from '../workspaces/access.js';
import { actorNames, targetNames } from './targets.js';

/** Every kind of change the audit log records. */
export type AuditAction =
  | 'setup.completed'
  | 'user.created'
  | 'user.password-changed'
  | 'user.password-reset-requested'
  | 'user.password-reset'
  | 'auth.login'
  | 'auth.login-failed'
  | 'auth.logout'
  | 'workspace.created'
  | 'workspace.exported'
  | 'workspace.imported'
  | 'member.invited'
  | 'member.joined'
  | 'invitation.revoked'
  | 'invitation.renewed'
  | 'member.added'
  | 'member.updated'
  | 'member.removed'
  | 'org.created'
  | 'org.updated'
  | 'org.deleted'
  | 'token.created'
  | 'token.revoked'
  | 'calendar.year-imported'
  | 'feed.created'
  | 'feed.revoked'
  | 'certificate.created'
  | 'certificate.updated'
  | 'certificate.transition'
  | 'certificate.history-recorded'
  | 'event.recorded'
  | 'event.corrected'
  | 'event.withdrawn'
  | 'obligation.updated'
  | 'file.uploaded'
  | 'evidence.created'
  | 'evidence.updated'
  | 'evidence.deleted'
  | 'staff.id-number-revealed'
  | 'requirements.updated'
  | 'requirements.reset'
  | 'import.completed'
  | 'import.mapping-saved'
  | 'channel.created'
  | 'channel.updated'
  | 'channel.deleted'
  | 'channel.tested';

export interface AuditEntry {
  action: AuditAction;
  actorId: string | null;
  workspaceId?: string | null;
  orgId?: string | null;
  targetType: string;
  targetId?: string | null;
  /** Before/after of what changed; never secrets. */
  summary?: Record<string, unknown>;
  ip?: string | null;
}

/** Writes one audit row; call it in the same transaction as the change it records. */
export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    action: entry.action,
    actorId: entry.actorId,
    workspaceId: entry.workspaceId ?? null,
    orgId: entry.orgId ?? null,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    summary: entry.summary ?? {},
    ip: entry.ip ?? null,
  });
}

/** Before/after of the fields that changed, for an update's audit row. */
export function diffSummary<T extends Record<string, unknown>>(before: T, after: T): Record<string, unknown> {
  const changed: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changed[key] = { before: before[key], after: after[key] };
    }
  }
  return { changed };
}

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
  const [rows, [total]] = await Promise.all([
    tx
      .select({ row: auditLog })
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(query.limit)
      .offset(query.offset),
    tx.select({ n: count() }).from(auditLog).where(where),
  ]);
  const [names, targets] = await Promise.all([
    actorNames(tx, [...new Set(rows.flatMap(({ row }) => (row.actorId ? [row.actorId] : [])))]),
    targetNames(
      tx,
      query.workspaceId,
      rows.map(({ row }) => row),
    ),
  ]);
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
