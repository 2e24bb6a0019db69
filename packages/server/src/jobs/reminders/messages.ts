// Phase 2 of the sweep: group queued personal reminders into digest messages (see sweep.ts).
import { isWorkday } from '@zizhi/core';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { deliveries, notificationPreferences } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { type DigestPeriod, type ReminderMessageInput } from '../../notify/messages.js';
import { appBaseUrl } from '../../http/base-url.js';
import { type DeliveryRow, type DigestPayload, type SweepOptions } from './types.js';

const DAY_MS = 86_400_000;
const chinaDate = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

/** Digest days; a year without a published holiday notice falls back to Monday–Friday (provisional). */
function workday(date: string): boolean {
  try {
    return isWorkday(date);
  } catch {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  }
}

/** Monday of the (China) week of `date`. */
function weekStart(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Digests go out with the reminders, at 09:00 China time on working days: daily ones every working
 * day, weekly ones on the first working day of the week. What accumulated since is grouped into one
 * message per member and channel; its key (member, channel, period, day) makes it once per period.
 */
export async function buildDigests(options: SweepOptions): Promise<number> {
  const { at } = options;
  const today = chinaDate(at);
  if (at < Date.parse(`${today}T09:00:00+08:00`) || !workday(today)) return 0;
  const monday = weekStart(today);
  let firstOfWeek = monday;
  while (firstOfWeek < today && !workday(firstOfWeek)) {
    firstOfWeek = new Date(Date.parse(`${firstOfWeek}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  }
  const base = appBaseUrl(options.config);
  return withSystem(options.db, async (tx) => {
    const queued = await tx
      .select({ d: deliveries, digest: notificationPreferences.digest })
      .from(deliveries)
      .leftJoin(
        notificationPreferences,
        and(
          eq(notificationPreferences.workspaceId, deliveries.workspaceId),
          eq(notificationPreferences.userId, deliveries.userId),
        ),
      )
      .where(and(eq(deliveries.status, 'queued'), lte(deliveries.createdAt, new Date(at + 60_000))))
      .orderBy(asc(deliveries.createdAt))
      .limit(10_000)
      .for('update', { of: deliveries, skipLocked: true });
    const groups = new Map<string, { period: DigestPeriod; rows: DeliveryRow[] }>();
    for (const { d, digest } of queued) {
      // A member who went back to single messages gets what was waiting as one last daily digest.
      const period: DigestPeriod = digest === 'weekly' ? 'weekly' : 'daily';
      if (period === 'weekly' && today !== firstOfWeek) continue;
      const k = `${d.workspaceId}:${d.userId}:${d.channelType}:${period}`;
      const g = groups.get(k) ?? { period, rows: [] };
      g.rows.push(d);
      groups.set(k, g);
    }
    let made = 0;
    for (const [k, g] of groups) {
      const first = g.rows[0]!;
      const date = g.period === 'weekly' ? monday : today;
      const payload: DigestPayload = {
        period: g.period,
        date,
        link: `${base}/obligations`,
        reminders: g.rows.map((r) => r.payload as ReminderMessageInput),
      };
      const [digest] = await tx
        .insert(deliveries)
        .values({
          workspaceId: first.workspaceId,
          orgId: null,
          key: `d:${k}:${date}`,
          kind: 'digest',
          userId: first.userId,
          channelType: first.channelType,
          payload,
          status: 'pending',
          nextAttemptAt: new Date(at),
        })
        .onConflictDoNothing({ target: deliveries.key })
        .returning({ id: deliveries.id });
      // Already sent this period: what arrived since waits for the next one.
      if (!digest) continue;
      made++;
      await tx
        .update(deliveries)
        .set({ status: 'digested', digestId: digest.id })
        .where(
          inArray(
            deliveries.id,
            g.rows.map((r) => r.id),
          ),
        );
    }
    return made;
  });
}
