// The reminder sweep. Exactly once across processes, although pg-boss (and any timer) runs it at
// least once and possibly concurrently:
//
// 1. Claim (one short transaction per batch): due obligations are selected FOR UPDATE SKIP LOCKED,
//    so two sweepers never take the same obligation; `dueSteps` picks the step to send; a delivery
//    row per target is inserted with ON CONFLICT (key) DO NOTHING — the key is obligation + step +
//    target, the unique side-effect key checked in the same transaction; and the obligation's
//    last/next reminder fields advance. Commit. A crash before commit leaves nothing claimed.
// 2. Digest: queued personal deliveries of members who chose a digest are grouped into one delivery
//    per member, channel and day (or week), again under a unique key.
// 3. Send: pending deliveries are leased in batches (FOR UPDATE SKIP LOCKED, status → sending,
//    lease_until), sent outside any transaction, then marked sent, or pending again with
//    exponential backoff, or failed after MAX_ATTEMPTS. A sender that dies mid-send leaves a lease
//    that expires (LEASE_MS) and is taken over: the one case where a message can go out twice,
//    which is why webhook events carry a stable `id` to deduplicate on. In-app messages are rows
//    keyed by their delivery, so they never duplicate.
import { isWorkday } from '@zizhi/core';
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Tx } from '../../db/client.js';
import {
  certificates,
  channels,
  deliveries,
  inboxItems,
  notificationPreferences,
  obligations,
  organisations,
  users,
  workspaceMembers,
} from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import {
  buildDigestMessage,
  buildReminderMessage,
  type DigestPeriod,
  type ReminderMessageInput,
} from '../../notify/messages.js';
import { addressPolicy, OPERATOR_POLICY, type AddressPolicy } from '../../notify/address-policy.js';
import { channelKey } from '../../notify/secret-box.js';
import { DeliveryError, sendMessage, type ChannelSecrets, type OutboundMessage } from '../../notify/send.js';
import { formatInstant } from '../../clock.js';
import { channelSecrets } from '../channels/service.js';
import { hasRole } from '../../access/membership.js';
import { dueNow, wantsReminders } from './state.js';

/** Attempts per delivery before it is marked failed. */
export const MAX_ATTEMPTS = 5;
/** First retry after 1 minute, then 2, 4, 8 … (capped at 1 hour). */
export const RETRY_BASE_MS = 60_000;
/** How long a sender holds a delivery it is sending before another sweep may take it over. */
export const LEASE_MS = 5 * 60_000;
/**
 * A due step older than this is recorded as said but not sent. Catch-up after an outage (days)
 * still sends; a certificate entered late does not announce reminders from months ago (its overdue
 * work shows in the app, and its next overdue step, if any, is sent when it falls due).
 */
export const STALE_AFTER_MS = 14 * 86_400_000;
const CLAIM_BATCH = 200;
const SEND_BATCH = 100;
const SEND_CONCURRENCY = 16;

export const backoffMs = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), 3_600_000);

type DeliveryRow = typeof deliveries.$inferSelect;
type ChannelRow = typeof channels.$inferSelect;
type PersonalType = 'email' | 'in-app';

/** The payload of a digest delivery. */
export interface DigestPayload {
  period: DigestPeriod;
  date: string;
  link: string;
  reminders: ReminderMessageInput[];
}

export interface SweepItem {
  deliveryId: string;
  kind: DeliveryRow['kind'];
  channelType: string;
  /** Channel name or member e-mail. */
  target: string;
  step: string | null;
  title: string;
  error?: string;
}

export interface SweepReport {
  at: string;
  /** Obligations whose due step was claimed. */
  claimed: number;
  /** Delivery rows created for them (targets × steps). */
  created: number;
  /** Due steps too old to send (STALE_AFTER_MS): recorded as said. */
  stale: number;
  digests: number;
  sent: SweepItem[];
  retrying: SweepItem[];
  failed: SweepItem[];
  cancelled: number;
}

export interface SweepOptions {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'port' | 'secretKey' | 'dataDir' | 'channelAllowHosts'> & {
    smtpUrl?: Config['smtpUrl'];
    smtpFrom?: string;
  };
  kind: 'pglite' | 'postgres';
  /** The sweep's instant (epoch ms): `zizhi reminders run --at`, tests; the clock otherwise. */
  at: number;
  /** Skip the send phase (bench: measure claim and send separately). */
  claimOnly?: boolean;
}

/** The app's address for links in messages. */
export function appBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

/** Runs one sweep as of `at`: claims due reminders, builds due digests, sends what is pending. */
export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = {
    at: formatInstant(new Date(options.at)),
    claimed: 0,
    created: 0,
    stale: 0,
    digests: 0,
    sent: [],
    retrying: [],
    failed: [],
    cancelled: 0,
  };
  for (;;) {
    const r = await claimReminders(options);
    report.claimed += r.claimed;
    report.created += r.created;
    report.stale += r.stale;
    if (r.scanned < CLAIM_BATCH) break;
  }
  report.digests = await buildDigests(options);
  if (!options.claimOnly) await sendPending(options, report);
  return report;
}

// ---- 1. claim -----------------------------------------------------------------------------------

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

async function claimReminders(
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
      .where(lte(obligations.nextReminderAt, new Date(at)))
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

// ---- 2. digests ---------------------------------------------------------------------------------

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
async function buildDigests(options: SweepOptions): Promise<number> {
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

// ---- 3. send ------------------------------------------------------------------------------------

async function leaseBatch(db: Db, at: number): Promise<DeliveryRow[]> {
  const now = new Date(at);
  return withSystem(db, async (tx) => {
    const ids = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        or(
          and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, now)),
          and(eq(deliveries.status, 'sending'), lte(deliveries.leaseUntil, now)),
        ),
      )
      .orderBy(asc(deliveries.nextAttemptAt))
      .limit(SEND_BATCH)
      .for('update', { skipLocked: true });
    if (ids.length === 0) return [];
    return tx
      .update(deliveries)
      .set({ status: 'sending', leaseUntil: new Date(at + LEASE_MS), attempts: sql`${deliveries.attempts} + 1` })
      .where(
        inArray(
          deliveries.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
  });
}

interface SendContext {
  options: SweepOptions;
  /** The channel key, read (or in embedded mode generated) on first need. */
  key: () => Buffer | null;
  /** Where channels may send (ZIZHI_CHANNEL_ALLOW_HOSTS). */
  policy: AddressPolicy;
  /** Sent in this batch, not yet recorded. */
  sentIds: string[];
  secrets: Map<string, ChannelSecrets>;
  channels: Map<string, ChannelRow | null>;
  emails: Map<string, string | null>;
  smtp: Map<string, ChannelSecrets | null>;
}

function sendContext(options: Omit<SweepOptions, 'claimOnly'>): SendContext {
  return {
    options,
    key: () => channelKey(options.config, options.kind),
    policy: addressPolicy(options.config.channelAllowHosts),
    sentIds: [],
    secrets: new Map(),
    channels: new Map(),
    emails: new Map(),
    smtp: new Map(),
  };
}

async function sendPending(options: SweepOptions, report: SweepReport): Promise<void> {
  const ctx = sendContext(options);
  for (;;) {
    const batch = await leaseBatch(options.db, options.at);
    if (batch.length === 0) break;
    const live = await cancelFinished(options.db, batch);
    report.cancelled += batch.length - live.length;
    let next = 0;
    const worker = async () => {
      while (next < live.length) {
        const d = live[next++]!;
        await deliver(ctx, d, report);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, live.length) }, worker));
    await flushSent(ctx);
  }
}

/**
 * Marks what the batch sent. A process that dies before this leaves those deliveries leased; when
 * the lease ends they are sent again (at-least-once at the very edge; receivers deduplicate on the
 * webhook event `id`, in-app messages are unique per delivery).
 */
async function flushSent(ctx: SendContext): Promise<void> {
  if (ctx.sentIds.length === 0) return;
  const ids = ctx.sentIds.splice(0);
  await ctx.options.db
    .update(deliveries)
    .set({ status: 'sent', sentAt: new Date(ctx.options.at), leaseUntil: null, nextAttemptAt: null, lastError: null })
    .where(inArray(deliveries.id, ids));
}

/** Reminders whose obligation was finished or removed after the claim are not sent. */
async function cancelFinished(db: Db, batch: DeliveryRow[]): Promise<DeliveryRow[]> {
  const reminderIds = [
    ...new Set(batch.filter((d) => d.kind === 'reminder' && d.obligationId).map((d) => d.obligationId!)),
  ];
  const open = new Set<string>();
  if (reminderIds.length > 0) {
    const rows = await db
      .select({
        id: obligations.id,
        status: obligations.status,
        satisfiedOn: obligations.satisfiedOn,
        cancelledOn: obligations.cancelledOn,
      })
      .from(obligations)
      .where(inArray(obligations.id, reminderIds));
    for (const r of rows) if (wantsReminders(r)) open.add(r.id);
  }
  const dead = batch.filter((d) => d.kind === 'reminder' && (!d.obligationId || !open.has(d.obligationId)));
  if (dead.length > 0) {
    await db
      .update(deliveries)
      .set({
        status: 'cancelled',
        leaseUntil: null,
        nextAttemptAt: null,
        lastError: '义务已完成、豁免、取消或删除，提醒已取消',
      })
      .where(
        inArray(
          deliveries.id,
          dead.map((d) => d.id),
        ),
      );
  }
  const deadIds = new Set(dead.map((d) => d.id));
  return batch.filter((d) => !deadIds.has(d.id));
}

function titleOf(d: DeliveryRow): string {
  if (d.kind === 'digest') {
    const p = d.payload as DigestPayload;
    return `${p.period === 'weekly' ? '每周' : '每日'}汇总（${p.reminders.length} 项）`;
  }
  return (d.payload as ReminderMessageInput).titleZh;
}

async function channelOf(ctx: SendContext, id: string): Promise<ChannelRow | null> {
  if (!ctx.channels.has(id)) {
    const [row] = await ctx.options.db.select().from(channels).where(eq(channels.id, id));
    ctx.channels.set(id, row ?? null);
  }
  return ctx.channels.get(id) ?? null;
}

/**
 * SMTP for personal e-mails: ZIZHI_SMTP_URL (the operator's, sent to wherever it points), else the
 * workspace's first enabled e-mail channel (under the address policy like any channel).
 */
async function personalSmtp(
  ctx: SendContext,
  workspaceId: string,
): Promise<{ secrets: ChannelSecrets; policy: AddressPolicy } | null> {
  const { config } = ctx.options;
  if (config.smtpUrl) {
    const url = config.smtpUrl.reveal();
    return { secrets: { url, ...(config.smtpFrom ? { from: config.smtpFrom } : {}) }, policy: OPERATOR_POLICY };
  }
  if (!ctx.smtp.has(workspaceId)) {
    const [row] = await ctx.options.db
      .select()
      .from(channels)
      .where(and(eq(channels.workspaceId, workspaceId), eq(channels.type, 'email'), eq(channels.enabled, true)))
      .orderBy(asc(channels.createdAt))
      .limit(1);
    const key = row ? ctx.key() : null;
    ctx.smtp.set(workspaceId, row && key ? openSecrets(key, row) : null);
  }
  const secrets = ctx.smtp.get(workspaceId);
  return secrets ? { secrets, policy: ctx.policy } : null;
}

function openSecrets(key: Buffer, channel: ChannelRow): ChannelSecrets {
  try {
    return channelSecrets(key, channel);
  } catch {
    throw new DeliveryError('无法解密渠道设置：ZIZHI_SECRET_KEY 可能已更换，请重新填写渠道地址和密钥');
  }
}

async function userEmail(ctx: SendContext, userId: string): Promise<string | null> {
  if (!ctx.emails.has(userId)) {
    const [row] = await ctx.options.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    ctx.emails.set(userId, row?.email ?? null);
  }
  return ctx.emails.get(userId) ?? null;
}

function build<T extends OutboundMessage['type'] | 'in-app'>(type: T, d: DeliveryRow) {
  if (d.kind === 'digest') {
    const p = d.payload as DigestPayload;
    return buildDigestMessage({ channel: type, period: p.period, date: p.date, reminders: p.reminders, link: p.link });
  }
  return buildReminderMessage({ channel: type, reminder: d.payload as ReminderMessageInput });
}

/** Sends one leased delivery and records the outcome. */
async function deliver(ctx: SendContext, d: DeliveryRow, report: SweepReport): Promise<void> {
  const { db, at } = ctx.options;
  let target = d.channelType;
  const item = (error?: string): SweepItem => ({
    deliveryId: d.id,
    kind: d.kind,
    channelType: d.channelType,
    target,
    step: d.step,
    title: titleOf(d),
    ...(error ? { error } : {}),
  });
  try {
    if (d.channelType === 'in-app') {
      if (!d.userId) throw new DeliveryError('收件成员已不存在');
      const msg = build('in-app', d);
      target = (await userEmail(ctx, d.userId)) ?? d.userId;
      await db
        .insert(inboxItems)
        .values({
          userId: d.userId,
          workspaceId: d.workspaceId,
          orgId: d.orgId,
          obligationId: d.obligationId,
          deliveryId: d.id,
          title: msg.title,
          body: msg.body,
          link: msg.link,
        })
        .onConflictDoNothing({ target: inboxItems.deliveryId });
    } else if (d.channelId) {
      const channel = await channelOf(ctx, d.channelId);
      if (!channel) throw new DeliveryError('渠道已删除');
      target = channel.name;
      const key = ctx.key();
      if (!key) throw new DeliveryError('未配置 ZIZHI_SECRET_KEY，无法解密渠道设置');
      let secrets = ctx.secrets.get(channel.id);
      if (!secrets) {
        secrets = openSecrets(key, channel);
        ctx.secrets.set(channel.id, secrets);
      }
      const out =
        channel.type === 'email'
          ? { type: 'email' as const, message: build('email', d), to: channel.recipients }
          : ({ type: channel.type, message: build(channel.type, d) } as OutboundMessage);
      // Signatures carry the wall clock, not the sweep's instant: the robots reject timestamps more
      // than an hour from their own clock, and `reminders run --at` may name another day.
      await sendMessage({ secrets, out, now: Date.now(), policy: ctx.policy });
    } else if (d.userId && d.channelType === 'email') {
      const to = await userEmail(ctx, d.userId);
      if (!to) throw new DeliveryError('收件成员已不存在');
      target = to;
      const smtp = await personalSmtp(ctx, d.workspaceId);
      if (!smtp) throw new DeliveryError('没有可用的邮件服务器：请设置 ZIZHI_SMTP_URL 或添加一个邮件渠道');
      await sendMessage({
        secrets: smtp.secrets,
        out: { type: 'email', message: build('email', d), to: [to] },
        now: Date.now(),
        policy: smtp.policy,
      });
    } else {
      throw new DeliveryError('投递目标无效');
    }
    // Recorded with the rest of the batch (flushSent): one statement instead of one per message.
    ctx.sentIds.push(d.id);
    report.sent.push(item());
  } catch (err) {
    // Only our own fixed reasons are recorded: any other error's text could carry what a remote
    // side said, or internals.
    const message = err instanceof DeliveryError ? err.message : '发送失败（服务器内部错误）';
    // A test message is tried once: the admin sees the answer at once and can try again.
    const final = d.kind === 'test' || d.attempts >= MAX_ATTEMPTS;
    await db
      .update(deliveries)
      .set({
        status: final ? 'failed' : 'pending',
        leaseUntil: null,
        nextAttemptAt: final ? null : new Date(at + backoffMs(d.attempts)),
        lastError: message.slice(0, 500),
      })
      .where(eq(deliveries.id, d.id));
    (final ? report.failed : report.retrying).push(item(message));
  }
}

/** Sends one delivery now (test messages): leases it like the sweep does, then delivers it. */
export async function deliverNow(options: Omit<SweepOptions, 'claimOnly'>, deliveryId: string): Promise<SweepReport> {
  const report: SweepReport = {
    at: formatInstant(new Date(options.at)),
    claimed: 0,
    created: 0,
    stale: 0,
    digests: 0,
    sent: [],
    retrying: [],
    failed: [],
    cancelled: 0,
  };
  const [row] = await withSystem(options.db, (tx) =>
    tx
      .update(deliveries)
      .set({
        status: 'sending',
        leaseUntil: new Date(options.at + LEASE_MS),
        attempts: sql`${deliveries.attempts} + 1`,
      })
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.status, 'pending')))
      .returning(),
  );
  if (!row) return report;
  const ctx = sendContext(options);
  await deliver(ctx, row, report);
  await flushSent(ctx);
  return report;
}
