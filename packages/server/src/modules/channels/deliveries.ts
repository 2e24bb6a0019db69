import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.js';
import { channels, deliveries, notificationPreferences, obligations, users } from '../../db/schema.js';
import type { ReminderMessageInput, DigestPayload } from '../../notify/messages.js';
import { chinaToday, now, formatInstant } from '../../clock.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership } from '../../access/membership.js';
import { loadChannel, requireChannelScope } from './service.js';

type DeliveryRow = typeof deliveries.$inferSelect;
type Status = DeliveryRow['status'];

const recipient = alias(users, 'recipient');

/** What the message is about, in Chinese and English (the log is read in either). */
function titleOf(
  d: DeliveryRow,
  context: { obligationTitleEn: string | null; channelName: string | null },
): { zh: string; en: string } {
  if (d.kind === 'digest') {
    const p = d.payload as DigestPayload;
    const n = p.reminders.length;
    return {
      zh: `${p.period === 'weekly' ? '每周' : '每日'}汇总（${n} 项）`,
      en: `${p.period === 'weekly' ? 'Weekly' : 'Daily'} digest (${n} ${n === 1 ? 'reminder' : 'reminders'})`,
    };
  }
  const zh = (d.payload as ReminderMessageInput).titleZh;
  if (d.kind === 'test') {
    return { zh, en: context.channelName ? `Test message to the channel “${context.channelName}”` : 'Test message' };
  }
  return { zh, en: context.obligationTitleEn ?? zh };
}

const iso = (d: Date | null) => (d ? formatInstant(d) : null);

function presentDelivery(row: {
  d: DeliveryRow;
  channel: { id: string; name: string; type: string } | null;
  user: { id: string; name: string; email: string } | null;
  obligationTitleEn: string | null;
}) {
  const { d } = row;
  const title = titleOf(d, { obligationTitleEn: row.obligationTitleEn, channelName: row.channel?.name ?? null });
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    channelType: d.channelType,
    channel: row.channel,
    user: row.user,
    orgId: d.orgId,
    obligationId: d.obligationId,
    step: d.step,
    title: title.zh,
    titleEn: title.en,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: iso(d.nextAttemptAt),
    sentAt: iso(d.sentAt),
    digestId: d.digestId,
    // With milliseconds: it is also the paging cursor (`before`), and seconds would skip rows.
    createdAt: d.createdAt.toISOString(),
  };
}

async function selectDeliveries(tx: Tx, where: SQL[], limit: number) {
  const rows = await tx
    .select({
      d: deliveries,
      channelId: channels.id,
      channelName: channels.name,
      channelType: channels.type,
      userId: recipient.id,
      userName: recipient.name,
      userEmail: recipient.email,
      obligationTitleEn: obligations.titleEn,
    })
    .from(deliveries)
    .leftJoin(channels, eq(channels.id, deliveries.channelId))
    .leftJoin(recipient, eq(recipient.id, deliveries.userId))
    .leftJoin(obligations, eq(obligations.id, deliveries.obligationId))
    .where(and(...where))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(limit);
  return rows.map((r) =>
    presentDelivery({
      d: r.d,
      channel: r.channelId ? { id: r.channelId, name: r.channelName!, type: r.channelType! } : null,
      user: r.userId ? { id: r.userId, name: r.userName!, email: r.userEmail! } : null,
      obligationTitleEn: r.obligationTitleEn,
    }),
  );
}

/**
 * What of the log a member limited to some organisations sees: deliveries of those organisations,
 * their own personal ones (digests), and test messages of channels inside their limit. Row-level
 * security lets every delivery without an organisation through (tests, digests): the rest of
 * the workspace's would tell them of channels and members beyond their limit.
 */
function limitedTo(orgIds: string[], userId: string): SQL {
  const own = eq(deliveries.userId, userId);
  if (orgIds.length === 0) return own;
  const ids = sql`array[${sql.join(
    orgIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  return or(
    inArray(deliveries.orgId, orgIds),
    and(isNull(deliveries.orgId), own),
    and(
      isNull(deliveries.orgId),
      eq(deliveries.kind, 'test'),
      sql`cardinality(${channels.orgIds}) > 0`,
      sql`${channels.orgIds} <@ ${ids}`,
    ),
  )!;
}

/** The workspace's delivery log, newest first (admins: it names members and channels). */
export async function listDeliveries({
  tx,
  actor,
  workspaceId,
  query,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  query: { status?: Status; channelId?: string; obligationId?: string; limit: number; before?: string };
}) {
  const membership = await requireMembership(tx, actor, workspaceId, 'admin');
  const where: SQL[] = [eq(deliveries.workspaceId, workspaceId)];
  if (membership.orgIds) where.push(limitedTo(membership.orgIds, actor.userId));
  if (query.status) where.push(eq(deliveries.status, query.status));
  if (query.channelId) where.push(eq(deliveries.channelId, query.channelId));
  if (query.obligationId) where.push(eq(deliveries.obligationId, query.obligationId));
  if (query.before) where.push(lt(deliveries.createdAt, new Date(query.before)));
  return selectDeliveries(tx, where, query.limit);
}

export async function loadDelivery(tx: Tx, workspaceId: string, id: string) {
  const [item] = await selectDeliveries(tx, [eq(deliveries.workspaceId, workspaceId), eq(deliveries.id, id)], 1);
  return item!;
}

/**
 * Queues a test message to a channel (sent right after the transaction by the route): a sample
 * reminder, so the admin sees the real format arrive.
 */
export async function createTestDelivery({
  tx,
  actor,
  meta,
  workspaceId,
  channelId,
  baseUrl,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  channelId: string;
  baseUrl: string;
}): Promise<string> {
  const membership = await requireMembership(tx, actor, workspaceId, 'admin');
  const channel = await loadChannel(tx, workspaceId, channelId);
  requireChannelScope(membership, channel.orgIds);
  const payload: ReminderMessageInput = {
    orgId: '00000000-0000-0000-0000-000000000000',
    orgName: '测试企业（示例）',
    certificateId: '00000000-0000-0000-0000-000000000000',
    certificateNumber: 'CS3-TEST-0001',
    level: 'CS3',
    obligationKey: 'test',
    titleZh: `【测试消息】来自 Zizhi 的通知渠道“${channel.name}”`,
    dueDate: chinaToday(),
    basis: `这是 ${actor.name} 在设置页面发送的测试消息，收到即说明渠道配置正确。`,
    step: 'on-day',
    kind: 'due',
    escalate: false,
    link: `${baseUrl}/settings/notifications`,
  };
  const [row] = await tx
    .insert(deliveries)
    .values({
      workspaceId,
      key: `t:${randomUUID()}`,
      kind: 'test',
      channelId,
      channelType: channel.type,
      payload,
      status: 'pending',
      nextAttemptAt: new Date(now()),
    })
    .returning({ id: deliveries.id });
  await recordAudit(tx, {
    action: 'channel.tested',
    actorId: actor.userId,
    workspaceId,
    targetType: 'channel',
    targetId: channelId,
    summary: { type: channel.type, name: channel.name },
    ip: meta.ip,
  });
  return row!.id;
}

const DEFAULT_PREFERENCES = { email: false, inApp: true, digest: 'none' as const };

/** The caller's notification choices in a workspace (defaults: in-app inbox, single messages). */
export async function getPreferences({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  await requireMembership(tx, actor, workspaceId);
  const [row] = await tx
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.workspaceId, workspaceId), eq(notificationPreferences.userId, actor.userId)));
  return row ? { email: row.email, inApp: row.inApp, digest: row.digest } : { ...DEFAULT_PREFERENCES };
}

export async function setPreferences({
  tx,
  actor,
  workspaceId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  input: { email: boolean; inApp: boolean; digest: 'none' | 'daily' | 'weekly' };
}) {
  await requireMembership(tx, actor, workspaceId);
  await tx
    .insert(notificationPreferences)
    .values({ workspaceId, userId: actor.userId, ...input })
    .onConflictDoUpdate({
      target: [notificationPreferences.workspaceId, notificationPreferences.userId],
      set: { ...input, updatedAt: new Date() },
    });
  return input;
}
