// Phase 1 of the sweep: claim due reminder steps as delivery rows (see sweep.ts).
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  certificates,
  channels,
  deliveries,
  notificationPreferences,
  obligations,
  organisations,
  users,
  workspaceMembers,
} from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import type { ReminderMessageInput } from '../../notify/messages.js';
import { formatInstant } from '../../clock.js';
import { hasRole } from '../../access/membership.js';
import { dueNow, wantsReminders } from '../../modules/obligations/api.js';
import { appBaseUrl } from '../../http/base-url.js';
import { CLAIM_BATCH, STALE_AFTER_MS, type ChannelRow, type PersonalType, type SweepOptions } from './types.js';

/** A workspace member as the sweep addresses them, with their notification choices. */
export interface Member {
  userId: string;
  email: string;
  role: (typeof workspaceMembers.$inferSelect)['role'];
  orgIds: string[] | null;
  /** Wants reminders by e-mail. */
  email_: boolean;
  inApp: boolean;
  digest: 'none' | 'daily' | 'weekly';
}

interface WorkspaceTargets {
  channels: ChannelRow[];
  members: Member[];
}

async function loadTargets(tx: Tx, workspaceId: string): Promise<WorkspaceTargets> {
  const chans = await tx
    .select()
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), eq(channels.enabled, true)));
  const rows = await tx
    .select({
      userId: workspaceMembers.userId,
      email: users.email,
      role: workspaceMembers.role,
      orgIds: workspaceMembers.orgIds,
      prefEmail: notificationPreferences.email,
      prefInApp: notificationPreferences.inApp,
      digest: notificationPreferences.digest,
    })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .leftJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.workspaceId, workspaceMembers.workspaceId),
        eq(notificationPreferences.userId, workspaceMembers.userId),
      ),
    )
    .where(eq(workspaceMembers.workspaceId, workspaceId));
  return {
    channels: chans,
    members: rows.map((r) => ({
      userId: r.userId,
      email: r.email,
      role: r.role,
      orgIds: r.orgIds,
      // No row yet: the in-app inbox only, single messages.
      email_: r.prefEmail ?? false,
      inApp: r.prefInApp ?? true,
      digest: r.digest ?? 'none',
    })),
  };
}

/**
 * Who hears of a step: the assignee; with nobody assigned, the organisation's managers (manager
 * and above who may see it); on an escalating overdue step, both.
 */
export function peopleFor(members: Member[], orgId: string, assigneeId: string | null, escalate: boolean): Member[] {
  const canSee = (m: Member) => m.orgIds === null || m.orgIds.includes(orgId);
  const assignee = members.find((m) => m.userId === assigneeId && canSee(m));
  const managers = members.filter((m) => canSee(m) && hasRole(m.role, 'manager'));
  const people = escalate ? [...(assignee ? [assignee] : []), ...managers] : assignee ? [assignee] : managers;
  return [...new Map(people.map((m) => [m.userId, m])).values()];
}

export async function claimReminders(
  options: SweepOptions,
): Promise<{ scanned: number; claimed: number; created: number; stale: number }> {
  const at = options.at;
  const base = appBaseUrl(options.config);
  return withSystem(options.db, async (tx) => {
    const due = await tx
      .select({
        o: obligations,
        workspaceId: organisations.workspaceId,
        orgName: organisations.name,
        certificateNumber: certificates.number,
        level: certificates.level,
      })
      .from(obligations)
      .innerJoin(certificates, eq(certificates.id, obligations.certificateId))
      .innerJoin(organisations, eq(organisations.id, obligations.orgId))
      // Nothing of an organisation in the recycle bin reminds anyone; restored, it catches up.
      .where(and(lte(obligations.nextReminderAt, new Date(at)), isNull(organisations.deletedAt)))
      .orderBy(asc(obligations.nextReminderAt))
      .limit(CLAIM_BATCH)
      .for('update', { of: obligations, skipLocked: true });
    if (due.length === 0) return { scanned: 0, claimed: 0, created: 0, stale: 0 };
    const targets = new Map<string, WorkspaceTargets>();
    const rows: (typeof deliveries.$inferInsert)[] = [];
    const updates: { id: string; last: string | null; nextAt: Date | null; nextStep: string | null }[] = [];
    let claimed = 0;
    let stale = 0;
    for (const { o, workspaceId, orgName, certificateNumber, level } of due) {
      if (!wantsReminders(o)) {
        updates.push({ id: o.id, last: o.lastReminderStep, nextAt: null, nextStep: null });
        continue;
      }
      let d;
      try {
        d = dueNow(o, at);
      } catch {
        // A stored step the schedule cannot place: stop reminding rather than risk repeats.
        updates.push({ id: o.id, last: o.lastReminderStep, nextAt: null, nextStep: null });
        continue;
      }
      updates.push({
        id: o.id,
        last: d.send?.step ?? o.lastReminderStep,
        nextAt: d.next ? new Date(d.next.at) : null,
        nextStep: d.next?.step ?? null,
      });
      if (!d.send) continue;
      if (at - Date.parse(d.send.at) > STALE_AFTER_MS) {
        stale++;
        continue;
      }
      claimed++;
      const step = d.send;
      let t = targets.get(workspaceId);
      if (!t) {
        t = await loadTargets(tx, workspaceId);
        targets.set(workspaceId, t);
      }
      const payload: ReminderMessageInput = {
        orgId: o.orgId,
        orgName,
        certificateId: o.certificateId,
        certificateNumber,
        level,
        obligationKey: o.key,
        rule: o.rule,
        titleZh: o.titleZh,
        dueDate: o.dueDate,
        ...(o.dueAt ? { dueAt: formatInstant(o.dueAt) } : {}),
        basis: o.basis,
        step: step.step,
        kind: step.kind,
        escalate: step.escalate,
        provisional: step.provisional,
        link: `${base}/orgs/${o.orgId}/certificates/${o.certificateId}?obligation=${o.id}`,
      };
      const common = {
        workspaceId,
        orgId: o.orgId,
        obligationId: o.id,
        step: step.step,
        kind: 'reminder' as const,
        payload,
      };
      for (const c of t.channels) {
        if (c.orgIds !== null && !c.orgIds.includes(o.orgId)) continue;
        rows.push({
          ...common,
          key: `r:${o.id}:${step.step}:c:${c.id}`,
          channelId: c.id,
          channelType: c.type,
          status: 'pending',
          nextAttemptAt: new Date(at),
        });
      }
      for (const m of peopleFor(t.members, o.orgId, o.assigneeId, step.escalate)) {
        const types: PersonalType[] = [
          ...(m.inApp ? ['in-app' as const] : []),
          ...(m.email_ ? ['email' as const] : []),
        ];
        for (const type of types) {
          const queued = m.digest !== 'none';
          rows.push({
            ...common,
            key: `r:${o.id}:${step.step}:u:${m.userId}:${type}`,
            userId: m.userId,
            channelType: type,
            status: queued ? 'queued' : 'pending',
            nextAttemptAt: queued ? null : new Date(at),
          });
        }
      }
    }
    let created = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await tx
        .insert(deliveries)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing({ target: deliveries.key })
        .returning({ id: deliveries.id });
      created += inserted.length;
    }
    await advanceObligations(tx, updates);
    return { scanned: due.length, claimed, created, stale };
  });
}

/** One UPDATE … FROM (VALUES …) for the batch instead of one statement per obligation. */
async function advanceObligations(
  tx: Tx,
  updates: { id: string; last: string | null; nextAt: Date | null; nextStep: string | null }[],
): Promise<void> {
  if (updates.length === 0) return;
  const values = sql.join(
    updates.map(
      (u) =>
        sql`(${u.id}::uuid, ${u.last}::text, ${u.nextAt ? u.nextAt.toISOString() : null}::timestamptz, ${u.nextStep}::text)`,
    ),
    sql`, `,
  );
  await tx.execute(sql`
    update obligations as o
       set last_reminder_step = v.last, next_reminder_at = v.next_at, next_reminder_step = v.next_step
      from (values ${values}) as v(id, last, next_at, next_step)
     where o.id = v.id`);
}
