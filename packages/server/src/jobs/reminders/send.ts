// Phase 3 of the sweep: lease pending deliveries, send them, record the outcome (see sweep.ts).
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channels, deliveries, inboxItems, obligations, users } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { buildDigestMessage, buildReminderMessage, type ReminderMessageInput } from '../../notify/messages.js';
import { addressPolicy, OPERATOR_POLICY, type AddressPolicy } from '../../notify/address-policy.js';
import { channelKey, channelSecrets } from '../../notify/secret-box.js';
import { DeliveryError, sendMessage, type ChannelSecrets, type OutboundMessage } from '../../notify/send.js';
import { wantsReminders } from '../../modules/obligations/api.js';
import {
  backoffMs,
  emptyReport,
  LEASE_MS,
  MAX_ATTEMPTS,
  SEND_BATCH,
  SEND_CONCURRENCY,
  type ChannelRow,
  type DeliveryRow,
  type DigestPayload,
  type SweepItem,
  type SweepOptions,
  type SweepReport,
} from './types.js';

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

export async function sendPending(options: SweepOptions, report: SweepReport): Promise<void> {
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
  const report = emptyReport(options.at);
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
