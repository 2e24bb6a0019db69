// Reminder state of obligations: `next_reminder_at` / `next_reminder_step` say when the sweep must
// look at an obligation again, `last_reminder_step` what was already said. Kept current wherever an
// obligation changes (recompute, done/waive/reopen), so the sweep is a cheap indexed range scan.
import {
  DEFAULT_REMINDERS,
  dueSteps,
  getRule,
  type DueSteps,
  type ReminderInput,
  type ReminderLadder,
  type RuleId,
} from '@zizhi/core';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { deliveries, obligations } from '../../db/schema.js';
import { now as clockNow } from '../../clock.js';

type ObligationRow = typeof obligations.$inferSelect;

function ladderOf(rule: string): ReminderLadder {
  try {
    return getRule(rule as RuleId).reminders;
  } catch {
    // A rule a newer release removed: remind on the default ladder rather than not at all.
    return DEFAULT_REMINDERS;
  }
}

/** The schedule input of a stored obligation: its rule's ladder and its dates. */
export function reminderInput(
  o: Pick<ObligationRow, 'rule' | 'dueDate' | 'dueAt' | 'windowStart' | 'provisional'>,
): ReminderInput {
  return {
    ladder: ladderOf(o.rule),
    dueDate: o.dueDate,
    ...(o.dueAt ? { dueAt: o.dueAt.toISOString() } : {}),
    ...(o.windowStart ? { windowStart: o.windowStart } : {}),
    provisional: o.provisional,
  };
}

/**
 * Whether an obligation still wants reminders: open work the engine has not seen satisfied and
 * no recorded state (a revocation, a successor …) has cancelled.
 */
export function wantsReminders(o: Pick<ObligationRow, 'status' | 'satisfiedOn' | 'cancelledOn'>): boolean {
  return o.status !== 'done' && o.status !== 'waived' && o.satisfiedOn === null && o.cancelledOn === null;
}

/** What `dueSteps` says for a stored obligation at `at` (epoch ms). */
export function dueNow(o: ObligationRow, at: number): DueSteps {
  return dueSteps({
    ...reminderInput(o),
    now: at,
    ...(o.lastReminderStep ? { lastSentStep: o.lastReminderStep } : {}),
  });
}

/**
 * The reminder fields an obligation should have at `at`: the step due now (the sweep will take it at
 * once) or else the next one; nothing for finished work or an exhausted ladder.
 */
export function plannedReminder(
  o: ObligationRow,
  at: number,
): { nextReminderAt: Date | null; nextReminderStep: string | null } {
  if (!wantsReminders(o)) return { nextReminderAt: null, nextReminderStep: null };
  const d = dueNow(o, at);
  const step = d.send ?? d.next;
  return step
    ? { nextReminderAt: new Date(step.at), nextReminderStep: step.step }
    : { nextReminderAt: null, nextReminderStep: null };
}

/**
 * Recomputes the reminder fields of a certificate's obligations, or of some obligations: after the
 * engine moved a due date the pending reminder moves with it; done or waived work has none, and its
 * deliveries not yet sent are cancelled. Steps already sent are not repeated (`last_reminder_step`).
 */
export async function refreshReminders(
  tx: Queryable,
  target: { certificateId: string } | { obligationIds: string[] },
  at = clockNow(),
): Promise<void> {
  const where: SQL =
    'certificateId' in target
      ? eq(obligations.certificateId, target.certificateId)
      : inArray(
          obligations.id,
          target.obligationIds.length > 0 ? target.obligationIds : ['00000000-0000-0000-0000-000000000000'],
        );
  const rows = await tx.select().from(obligations).where(where);
  const finished: string[] = [];
  for (const o of rows) {
    const plan = plannedReminder(o, at);
    if (!wantsReminders(o)) finished.push(o.id);
    if (plan.nextReminderAt?.getTime() === o.nextReminderAt?.getTime() && plan.nextReminderStep === o.nextReminderStep)
      continue;
    await tx.update(obligations).set(plan).where(eq(obligations.id, o.id));
  }
  if (finished.length > 0) await cancelPendingDeliveries(tx, finished);
}

/** Deliveries of finished obligations that have not gone out yet are not sent. */
export async function cancelPendingDeliveries(tx: Queryable, obligationIds: string[]): Promise<void> {
  await tx
    .update(deliveries)
    .set({
      status: 'cancelled',
      leaseUntil: null,
      nextAttemptAt: null,
      lastError: '义务已完成、豁免或取消，提醒已取消',
    })
    .where(
      and(
        inArray(deliveries.obligationId, obligationIds),
        sql`${deliveries.status} in ('queued', 'pending')`,
        eq(deliveries.kind, 'reminder'),
      ),
    );
}
