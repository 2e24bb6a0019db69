// E-mails about accounts (invitations, password resets). They go through ZIZHI_SMTP_URL, else the
// first enabled e-mail channel of the workspace(s) concerned; without either, nothing is sent and
// the caller says so (an invitation link is also shown to the admin who made it).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/client.js';
import { channels } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { escapeHtml, type EmailMessage } from '../../notify/messages.js';
import { addressPolicy, OPERATOR_POLICY, type AddressPolicy } from '../../notify/address-policy.js';
import { channelKey, channelSecrets } from '../../notify/secret-box.js';
import { sendMessage, type ChannelSecrets } from '../../notify/send.js';
import { now } from '../../clock.js';

/** The SMTP server for account e-mails, and the address policy it is reached under. */
async function smtpFor(
  database: Database,
  config: Config,
  workspaceIds: string[],
): Promise<{ secrets: ChannelSecrets; policy: AddressPolicy } | null> {
  // The operator's own setting is trusted; a workspace's channel is user input, under the policy.
  if (config.smtpUrl) {
    return {
      secrets: { url: config.smtpUrl.reveal(), ...(config.smtpFrom ? { from: config.smtpFrom } : {}) },
      policy: OPERATOR_POLICY,
    };
  }
  if (workspaceIds.length === 0) return null;
  const key = channelKey(config, database.kind);
  if (!key) return null;
  const [row] = await withSystem(database.db, (tx) =>
    tx
      .select()
      .from(channels)
      .where(and(inArray(channels.workspaceId, workspaceIds), eq(channels.type, 'email'), eq(channels.enabled, true)))
      .orderBy(asc(channels.createdAt))
      .limit(1),
  );
  return row ? { secrets: channelSecrets(key, row), policy: addressPolicy(config.channelAllowHosts) } : null;
}

/**
 * Sends one account e-mail; true when the SMTP server accepted it. Failures are logged (without
 * the link) and reported as false, never thrown: the change it announces is already saved.
 */
export async function sendAccountEmail({
  database,
  config,
  log,
  workspaceIds,
  to,
  message,
}: {
  database: Database;
  config: Config;
  log: FastifyBaseLogger;
  workspaceIds: string[];
  to: string;
  message: EmailMessage;
}): Promise<boolean> {
  try {
    const smtp = await smtpFor(database, config, workspaceIds);
    if (!smtp) return false;
    await sendMessage({ ...smtp, out: { type: 'email', message, to: [to] }, now: now() });
    return true;
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'account e-mail not sent');
    return false;
  }
}

function layout(paragraphs: string[], link: string, action: string): { html: string; text: string } {
  const html = `<div style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;line-height:1.7;color:#1f1f1f">
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p><a href="${escapeHtml(link)}" style="display:inline-block;background:#1677ff;color:#fff;padding:6px 16px;border-radius:4px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="color:#8c8c8c;font-size:12px">如果按钮无法打开，请复制此链接到浏览器：<br>${escapeHtml(link)}</p>
</div>`;
  const text = `${paragraphs.join('\n\n')}\n\n${action}：${link}\n`;
  return { html, text };
}

export function invitationEmail(input: {
  workspaceName: string;
  inviterName: string;
  name: string;
  link: string;
  expiresAt: string;
}): EmailMessage {
  const until = new Date(input.expiresAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return {
    subject: `${input.inviterName} 邀请您加入「${input.workspaceName}」· 资质管理`,
    ...layout(
      [
        `${input.name}，您好：`,
        `${input.inviterName} 邀请您加入「${input.workspaceName}」，一起管理信息系统建设和服务能力评估（CS）证书的期限与证据。`,
        `请在 ${until}（北京时间）前打开下面的链接接受邀请：新用户在页面上设置自己的密码；已有账户的请先登录再接受。`,
        '如果您不认识邀请人，请忽略这封邮件。',
      ],
      input.link,
      '接受邀请',
    ),
  };
}

export function passwordResetEmail(input: { name: string; link: string; minutes: number }): EmailMessage {
  return {
    subject: '重置密码 · 资质管理',
    ...layout(
      [
        `${input.name}，您好：`,
        `我们收到了重置您账户密码的请求。请在 ${input.minutes} 分钟内打开下面的链接设置新密码；链接只能使用一次，设置后您在所有设备上的登录都会退出。`,
        '如果这不是您本人的操作，请忽略这封邮件，您的密码不会改变。',
      ],
      input.link,
      '设置新密码',
    ),
  };
}
