import { eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../db/client.js';
import { auditLog, workspaceMembers } from '../db/schema.js';

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
  | 'workspace.demo-removed'
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
  | 'org.restored'
  | 'org.purged'
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
  | 'document.submitted'
  | 'audit.planned'
  | 'audit.item-updated'
  | 'audit.closed'
  | 'meeting.planned'
  | 'meeting.minutes-updated'
  | 'meeting.closed'
  | 'report-template.updated'
  | 'report-template.reset'
  | 'supervision.planned'
  | 'supervision.results-recorded'
  | 'supervision.finding-added'
  | 'supervision.contact-updated'
  | 'catalogue.corrected'
  | 'catalogue.reset'
  | 'usage.registered'
  | 'usage.voided'
  | 'case.updated'
  | 'case.step-done'
  | 'case.material-set'
  | 'case.material-cleared'
  | 'case.closed'
  | 'case.action-added'
  | 'policy-update.created'
  | 'policy-update.assessed'
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

/**
 * Writes the audit row of an account's own doing (log-in, failed log-in, log-out, password, API
 * token), which belongs to no one workspace: each workspace the account is a member of gets it,
 * so that its owners and admins read it in their log (等保 asks for log-ins to be audited there).
 * An account in no workspace, or an unknown one, gets a row of no workspace.
 */
export async function recordAccountAudit(
  tx: Queryable,
  entry: Omit<AuditEntry, 'workspaceId' | 'orgId'>,
): Promise<void> {
  const workspaces = entry.actorId
    ? await tx
        .select({ id: workspaceMembers.workspaceId })
        .from(workspaceMembers)
        .where(eq(workspaceMembers.userId, entry.actorId))
    : [];
  if (workspaces.length === 0) return recordAudit(tx, entry);
  await tx.insert(auditLog).values(
    workspaces.map(({ id }) => ({
      action: entry.action,
      actorId: entry.actorId,
      workspaceId: id,
      orgId: null,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      summary: entry.summary ?? {},
      ip: entry.ip ?? null,
    })),
  );
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

/**
 * Names of the people who acted in audit rows, including those who have since left the workspace
 * (whom the users table no longer shows to tenant code).
 */
export async function actorNames(tx: Tx, ids: string[]): Promise<Map<string, { name: string; email: string }>> {
  if (ids.length === 0) return new Map();
  // The two drivers type execute() differently; both return { rows }.
  const result: unknown = await tx.execute(
    sql`select id, name, email from zizhi_audit_actor_names(${`{${ids.join(',')}}`}::uuid[])`,
  );
  const { rows } = result as { rows: Array<{ id: string; name: string; email: string }> };
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}
