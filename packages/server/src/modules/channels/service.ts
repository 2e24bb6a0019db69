import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { channels, deliveries, organisations } from '../../db/schema.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { checkChannelUrl, refusedKindZh, type AddressPolicy, type RefusedKind } from '../../notify/address-policy.js';
import { channelSecrets, maskUrl, seal } from '../../notify/secret-box.js';
import type { ChannelSecrets } from '../../notify/send.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership, type Membership } from '../../access/membership.js';

type ChannelRow = typeof channels.$inferSelect;
export type ChannelType = ChannelRow['type'];

export interface ChannelInput {
  type: ChannelType;
  name: string;
  url?: string | undefined;
  secret?: string | null | undefined;
  from?: string | null | undefined;
  recipients?: string[] | undefined;
  orgIds?: string[] | null | undefined;
  enabled?: boolean | undefined;
}

/**
 * A channel as the API shows it: the URL masked, the secret only as "set". The stored hint is
 * masked again, so hints saved under an older, laxer rule are shown by today's.
 */
export const presentChannel = (c: ChannelRow) => ({
  id: c.id,
  workspaceId: c.workspaceId,
  type: c.type,
  name: c.name,
  url: c.hint.url === null ? null : maskUrl(c.hint.url),
  hasSecret: c.hint.hasSecret,
  recipients: c.recipients,
  orgIds: c.orgIds,
  enabled: c.enabled,
  /** Imported from another instance without its URL and secret (workspace-transfer): enter them again. */
  needsReentry: c.config === '',
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
export type ChannelView = ReturnType<typeof presentChannel>;

/**
 * Checks a channel's settings. Robot URLs are not limited to the services' public hosts: intranets
 * reach them through relays. Which addresses they may reach is the address policy's
 * (checkChannelAddress).
 */
function checkSettings(input: { type: ChannelType; url: string; recipients: string[] }): void {
  if (input.type === 'email') {
    if (!/^smtps?:\/\/[^/]/.test(input.url)) {
      throw invalid('url', {
        zh: '邮件渠道的地址应为 SMTP 服务器，例如 smtps://user@smtp.example.com:465（密码填在“SMTP 密码”中）',
        en: 'An e-mail channel’s address is its SMTP server, e.g. smtps://user@smtp.example.com:465 (the password goes in “SMTP password”)',
      });
    }
    if (input.recipients.length === 0) {
      throw invalid('recipients', {
        zh: '邮件渠道至少需要一个收件人',
        en: 'An e-mail channel needs at least one recipient',
      });
    }
    return;
  }
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw invalid('url', {
      zh: '请输入完整的地址，例如 https://oapi.dingtalk.com/robot/send?access_token=…',
      en: 'Enter the whole address, e.g. https://oapi.dingtalk.com/robot/send?access_token=…',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('url', { zh: '地址应以 https:// 开头', en: 'The address should start with https://' });
  }
  if (input.recipients.length > 0) {
    throw invalid('recipients', { zh: '只有邮件渠道有收件人', en: 'Only e-mail channels have recipients' });
  }
}

const REFUSED_EN: Record<RefusedKind, string> = {
  loopback: 'a loopback address',
  unspecified: 'an unspecified address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast or reserved address',
};

/**
 * Refuses a channel URL or SMTP host the address policy does not allow (notify/address-policy.ts).
 * Called by the routes between the membership check and the transaction that saves: it may wait
 * on DNS, and on the embedded database an open transaction holds the one connection. Sending
 * checks again.
 */
export async function checkChannelAddress(policy: AddressPolicy, url: string | undefined): Promise<void> {
  if (url === undefined) return;
  const kind = await checkChannelUrl(policy, url);
  if (kind) {
    throw invalid('url', {
      zh: `地址不允许：${refusedKindZh(kind)}。通知渠道的地址不能指向本机、链路本地、云服务器元数据、组播或广播地址，请填写机器人或邮件服务器的实际地址；如需经由本机或内网的中转服务发送，请服务器管理员将其加入 ZIZHI_CHANNEL_ALLOW_HOSTS`,
      en: `Address not allowed (${REFUSED_EN[kind]}). A channel cannot point at this machine, link-local, cloud metadata, multicast or broadcast addresses: enter the robot's or mail server's real address; to send through a relay on this machine or the intranet, ask the server administrator to add it to ZIZHI_CHANNEL_ALLOW_HOSTS`,
    });
  }
}

/**
 * A member limited to some organisations manages only channels that stay inside that limit: a
 * workspace-wide channel (orgIds null) or one reaching other organisations would hand them those
 * organisations' reminders.
 */
export function requireChannelScope(membership: Membership, orgIds: string[] | null): void {
  const mine = membership.orgIds;
  if (mine === null) return;
  if (orgIds === null || orgIds.length === 0) {
    throw new AppError('FORBIDDEN', {
      zh: '该通知渠道接收整个工作空间的提醒，而您的权限仅限部分企业，不能修改、测试或删除它。请联系不受企业范围限制的管理员',
      en: 'This channel receives the whole workspace’s reminders and your access is limited to some organisations: you cannot change, test or delete it. Ask an administrator without that limit',
    });
  }
  if (orgIds.some((id) => !mine.includes(id))) {
    throw new AppError('FORBIDDEN', {
      zh: '该通知渠道也接收您权限范围以外企业的提醒，您不能修改、测试或删除它。请联系不受企业范围限制的管理员',
      en: 'This channel also receives reminders of organisations outside your access: you cannot change, test or delete it. Ask an administrator without that limit',
    });
  }
}

/** The organisations a limited member gives a channel: some, and only their own. */
function requireOwnOrgs(membership: Membership, orgIds: string[] | null | undefined): void {
  const mine = membership.orgIds;
  if (mine === null) return;
  if (!orgIds || orgIds.length === 0) {
    throw new AppError(
      'FORBIDDEN',
      {
        zh: '您的权限仅限部分企业：请在“适用企业”中选择您负责的企业，不能设置为接收整个工作空间的提醒',
        en: 'Your access is limited to some organisations: choose yours under “Organisations”; the channel cannot receive the whole workspace’s reminders',
      },
      'orgIds',
    );
  }
  if (orgIds.some((id) => !mine.includes(id))) {
    throw new AppError(
      'FORBIDDEN',
      {
        zh: '“适用企业”中只能选择您有权管理的企业',
        en: 'Under “Organisations”, choose only organisations you manage',
      },
      'orgIds',
    );
  }
}

async function checkOrgs(tx: Tx, workspaceId: string, orgIds: string[] | null | undefined): Promise<void> {
  for (const orgId of orgIds ?? []) {
    const [org] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.id, orgId), eq(organisations.workspaceId, workspaceId)));
    if (!org) {
      throw invalid('orgIds', {
        zh: '只能选择本工作空间的企业',
        en: 'Choose only organisations of this workspace',
      });
    }
  }
}

function sealSettings(key: Buffer, secrets: ChannelSecrets) {
  return {
    config: seal(key, JSON.stringify(secrets)),
    hint: { url: maskUrl(secrets.url), hasSecret: Boolean(secrets.secret) },
  };
}

/** The workspace's channels (admins only: they hold the configuration). */
export async function listChannels({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  const membership = await requireMembership(tx, actor, workspaceId, 'admin');
  const rows = await tx
    .select()
    .from(channels)
    .where(eq(channels.workspaceId, workspaceId))
    .orderBy(asc(channels.createdAt));
  // A limited admin sees only the channels they may manage: others' recipients and robots are
  // not theirs to know.
  const mine = membership.orgIds;
  return rows
    .filter((c) => !mine || (c.orgIds !== null && c.orgIds.length > 0 && c.orgIds.every((id) => mine.includes(id))))
    .map(presentChannel);
}

/** Adds a channel; its URL and secret are stored encrypted and not shown again in full. */
export async function createChannel({
  tx,
  actor,
  meta,
  workspaceId,
  input,
  key,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  input: ChannelInput;
  key: () => Buffer;
}) {
  const membership = await requireMembership(tx, actor, workspaceId, 'admin');
  requireOwnOrgs(membership, input.orgIds);
  if (!input.url) throw invalid('url', { zh: '请填写地址', en: 'Enter the address' });
  const recipients = input.recipients ?? [];
  checkSettings({ type: input.type, url: input.url, recipients });
  await checkOrgs(tx, workspaceId, input.orgIds);
  const secrets: ChannelSecrets = {
    url: input.url,
    ...(input.secret ? { secret: input.secret } : {}),
    ...(input.from ? { from: input.from } : {}),
  };
  const [row] = await tx
    .insert(channels)
    .values({
      workspaceId,
      type: input.type,
      name: input.name,
      ...sealSettings(key(), secrets),
      recipients,
      orgIds: input.orgIds ?? null,
      enabled: input.enabled ?? true,
      createdBy: actor.userId,
    })
    .returning();
  await recordAudit(tx, {
    action: 'channel.created',
    actorId: actor.userId,
    workspaceId,
    targetType: 'channel',
    targetId: row!.id,
    summary: { type: input.type, name: input.name, recipients: recipients.length, orgIds: input.orgIds ?? null },
    ip: meta.ip,
  });
  return presentChannel(row!);
}

export async function loadChannel(tx: Tx, workspaceId: string, channelId: string): Promise<ChannelRow> {
  const [row] = await tx
    .select()
    .from(channels)
    .where(and(eq(channels.id, channelId), eq(channels.workspaceId, workspaceId)));
  if (!row) throw notFound('通知渠道');
  return row;
}

/**
 * Changes a channel. A URL or secret left out keeps the stored one (the UI never has it);
 * `secret: null` removes the secret.
 */
export async function updateChannel({
  tx,
  actor,
  meta,
  workspaceId,
  channelId,
  input,
  key,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  channelId: string;
  input: Omit<Partial<ChannelInput>, 'type'>;
  key: () => Buffer;
}) {
  const membership = await requireMembership(tx, actor, workspaceId, 'admin');
  const before = await loadChannel(tx, workspaceId, channelId);
  requireChannelScope(membership, before.orgIds);
  const recipients = input.recipients ?? before.recipients;
  const set: Partial<typeof channels.$inferInsert> = { updatedAt: new Date(), recipients };
  if (input.name !== undefined) set.name = input.name;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.orgIds !== undefined) {
    requireOwnOrgs(membership, input.orgIds);
    await checkOrgs(tx, workspaceId, input.orgIds);
    set.orgIds = input.orgIds;
  }
  const touchesSecrets = input.url !== undefined || input.secret !== undefined || input.from !== undefined;
  // An imported channel has no settings until someone enters them (workspace-transfer).
  const blank = before.config === '';
  if (
    blank &&
    input.url === undefined &&
    (input.enabled === true || touchesSecrets || input.recipients !== undefined)
  ) {
    throw invalid('url', {
      zh: '这个通知渠道是从其他系统导入的，地址和密钥需要重新填写后才能使用',
      en: 'This channel was imported from another instance: enter its address and secret again before using it',
    });
  }
  if (touchesSecrets || input.recipients !== undefined) {
    const k = key();
    const old: ChannelSecrets = blank ? { url: '' } : channelSecrets(k, before);
    const secrets: ChannelSecrets = { url: input.url ?? old.url };
    const secret = input.secret === undefined ? old.secret : input.secret;
    const from = input.from === undefined ? old.from : input.from;
    if (secret) secrets.secret = secret;
    if (from) secrets.from = from;
    checkSettings({ type: before.type, url: secrets.url, recipients });
    Object.assign(set, sealSettings(k, secrets));
  }
  const [row] = await tx.update(channels).set(set).where(eq(channels.id, channelId)).returning();
  await recordAudit(tx, {
    action: 'channel.updated',
    actorId: actor.userId,
    workspaceId,
    targetType: 'channel',
    targetId: channelId,
    // Which settings changed, never their values.
    summary: { changed: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined) },
    ip: meta.ip,
  });
  return presentChannel(row!);
}

export async function deleteChannel({
  tx,
  actor,
  meta,
  workspaceId,
  channelId,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  channelId: string;
}) {
  const membership = await requireMembership(tx, actor, workspaceId, 'admin');
  const before = await loadChannel(tx, workspaceId, channelId);
  requireChannelScope(membership, before.orgIds);
  // Messages not yet sent through it are dropped with it; the log keeps what was sent.
  await tx
    .update(deliveries)
    .set({ status: 'cancelled', lastError: '渠道已删除', leaseUntil: null, nextAttemptAt: null })
    .where(and(eq(deliveries.channelId, channelId), eq(deliveries.status, 'pending')));
  await tx.delete(channels).where(eq(channels.id, channelId));
  await recordAudit(tx, {
    action: 'channel.deleted',
    actorId: actor.userId,
    workspaceId,
    targetType: 'channel',
    targetId: channelId,
    summary: { type: before.type, name: before.name },
    ip: meta.ip,
  });
}
