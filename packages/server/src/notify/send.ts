// Sends one built message to one channel: SMTP through nodemailer, the chat robots and the generic
// webhook by HTTPS POST with a timeout, both only to addresses the address policy allows. Throws a
// `DeliveryError` with a short, fixed reason (never the URL, the secret or what the other side
// said) when the other side refuses or does not answer.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import {
  addressPolicy,
  AddressRefusedError,
  channelHost,
  guardedLookup,
  normaliseHost,
  resolveAllowed,
  type AddressPolicy,
} from './address-policy.js';
import type {
  DingTalkMessage,
  EmailMessage,
  FeishuMessage,
  WebhookDigestEvent,
  WebhookReminderEvent,
  WecomMessage,
} from './messages.js';
import { signDingTalkUrl, signFeishuBody, signWebhook } from './sign.js';

/** Outbound requests give up after this long: a hanging robot endpoint must not stall the sweep. */
export const SEND_TIMEOUT_MS = 10_000;

export class DeliveryError extends Error {}

/** A channel's decrypted settings. */
export interface ChannelSecrets {
  /** Robot/webhook URL, or for e-mail the SMTP URL (smtp://user@host:587, smtps://…:465). */
  url: string;
  /** Signing secret (钉钉 加签, 飞书 签名校验, webhook HMAC) or the SMTP password. */
  secret?: string;
  /** E-mail sender; defaults to the SMTP user. */
  from?: string;
}

export type OutboundMessage =
  | { type: 'email'; message: EmailMessage; to: readonly string[] }
  | { type: 'wecom'; message: WecomMessage }
  | { type: 'dingtalk'; message: DingTalkMessage }
  | { type: 'feishu'; message: FeishuMessage }
  | { type: 'webhook'; message: WebhookReminderEvent | WebhookDigestEvent };

/** Sends `out` over the channel; resolves when the other side accepted it. */
export async function sendMessage({
  secrets,
  out,
  now,
  policy = addressPolicy(),
}: {
  secrets: ChannelSecrets;
  out: OutboundMessage;
  now: number;
  /**
   * Where the message may go (address-policy.ts): `addressPolicy(config.channelAllowHosts)` for
   * what workspace admins configured, OPERATOR_POLICY for ZIZHI_SMTP_URL. Left out: the strict
   * policy without allow-list, so a caller that forgets cannot reach more than any channel.
   */
  policy?: AddressPolicy;
}): Promise<void> {
  switch (out.type) {
    case 'email':
      return sendEmail(secrets, out.message, out.to, policy);
    case 'wecom':
      return postJson(policy, secrets.url, JSON.stringify(out.message), {}, robotRefusal('wecom'));
    case 'dingtalk': {
      const url = secrets.secret
        ? signDingTalkUrl({ webhookUrl: secrets.url, secret: secrets.secret, now })
        : secrets.url;
      return postJson(policy, url, JSON.stringify(out.message), {}, robotRefusal('dingtalk'));
    }
    case 'feishu': {
      const body = secrets.secret ? signFeishuBody({ body: out.message, secret: secrets.secret, now }) : out.message;
      return postJson(policy, secrets.url, JSON.stringify(body), {}, robotRefusal('feishu'));
    }
    case 'webhook': {
      const body = JSON.stringify(out.message);
      const headers = secrets.secret ? { ...signWebhook({ secret: secrets.secret, body, now }) } : {};
      return postJson(policy, secrets.url, body, headers, () => null);
    }
  }
}

// ---- reasons ------------------------------------------------------------------------------------
// What reaches the delivery log and the test result is a fixed Chinese reason and at most a status
// code, never the other side's body or a raw error text: channel URLs are typed by workspace
// admins, and echoing what answered would turn the test button into a probe of the server's network.

const ROBOT_NAME = { wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书' } as const;

/** The robots' documented refusals that an admin can act on; any other code gets the general advice. */
const ROBOT_CODES: Record<keyof typeof ROBOT_NAME, Record<string, string>> = {
  wecom: {
    '93000': '机器人地址无效或机器人已被移除，请重新复制群机器人的 Webhook 地址',
    '45009': '发送过于频繁，已被限流，稍后会重试',
  },
  dingtalk: {
    '300001': '机器人地址中的 access_token 无效，请重新复制 Webhook 地址',
    '310000': '安全设置不符，请核对加签密钥、自定义关键词或 IP 地址段',
    '130101': '发送过于频繁，已被限流，稍后会重试',
  },
  feishu: {
    '19021': '签名校验失败，请核对签名密钥和服务器时间',
    '19022': '服务器 IP 不在机器人的 IP 白名单中',
    '19024': '消息不含机器人设置的自定义关键词',
  },
};

/**
 * 企业微信 and 钉钉 answer HTTP 200 with `{errcode, errmsg}`, 飞书 with `{code, msg}` (older bots
 * `{StatusCode, StatusMessage}`); anything but 0 is a refusal.
 */
const robotRefusal = (robot: keyof typeof ROBOT_NAME) => (json: Record<string, unknown> | null) => {
  const code = robot === 'feishu' ? (json?.code ?? json?.StatusCode) : json?.errcode;
  if (code === undefined || code === 0) return null;
  // Only a code of the table is named: it is then our text, not the other side's.
  const key = typeof code === 'number' || typeof code === 'string' ? String(code) : '';
  const known = Object.hasOwn(ROBOT_CODES[robot], key) ? ROBOT_CODES[robot][key] : undefined;
  return known
    ? `${ROBOT_NAME[robot]}拒绝了消息（错误码 ${key}）：${known}`
    : `${ROBOT_NAME[robot]}拒绝了消息，请核对机器人地址和安全设置`;
};

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export const REASON = {
  timeout: '超时',
  connect: '连接失败',
  dns: '域名无法解析',
  tls: 'TLS 证书校验失败',
} as const;

/** The fixed reason for a failed connection. */
function connectionReason(err: unknown): string {
  if (err instanceof AddressRefusedError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ZIZHI_TIMEOUT' || code === 'ETIMEDOUT') return REASON.timeout;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_NODATA') return REASON.dns;
  if (typeof code === 'string' && TLS_CODES.has(code)) return REASON.tls;
  return REASON.connect;
}

// ---- HTTP ---------------------------------------------------------------------------------------

/** Enough of an answer to read a robot's `{errcode}`; the rest is drained unread. */
const MAX_ANSWER_BYTES = 64 * 1024;

const agents = new WeakMap<AddressPolicy, { http: http.Agent; https: https.Agent }>();

/**
 * Keep-alive agents per policy whose every new socket resolves through the policy's lookup: a
 * pooled socket was checked when it connected, and a pool is never shared with a laxer policy.
 */
function agentsFor(policy: AddressPolicy) {
  let pair = agents.get(policy);
  if (!pair) {
    const lookup = guardedLookup(policy);
    pair = {
      http: new http.Agent({ keepAlive: true, lookup }),
      https: new https.Agent({ keepAlive: true, lookup }),
    };
    agents.set(policy, pair);
  }
  return pair;
}

/** POSTs `body`; the status and up to MAX_ANSWER_BYTES of the answer. Redirects are not followed. */
async function post(
  policy: AddressPolicy,
  url: URL,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  // Node connects to an address literal without calling `lookup`: checked here instead.
  if (net.isIP(normaliseHost(url.hostname)) !== 0) await resolveAllowed(policy, url.hostname);
  try {
    return await postOnce(policy, url, body, headers);
  } catch (err) {
    // A pooled socket the other side closed while idle fails the moment it is reused, before
    // the request reached anyone: sending again on a fresh socket cannot deliver twice.
    if ((err as { staleSocket?: boolean }).staleSocket) return postOnce(policy, url, body, headers);
    throw err;
  }
}

function postOnce(
  policy: AddressPolicy,
  url: URL,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const secure = url.protocol === 'https:';
  const pair = agentsFor(policy);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? pair.https : pair.http,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Zizhi-Notify/1',
        ...headers,
      },
    });
    let answer: http.IncomingMessage | undefined;
    const timer = setTimeout(() => {
      const err = Object.assign(new Error('timeout'), { code: 'ZIZHI_TIMEOUT' });
      answer?.destroy(err);
      req.destroy(err);
    }, SEND_TIMEOUT_MS);
    req.on('response', (res) => {
      answer = res;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!answer && req.reusedSocket && err.code === 'ECONNRESET') Object.assign(err, { staleSocket: true });
      reject(err);
    });
    req.end(body);
  });
}

async function postJson(
  policy: AddressPolicy,
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  check: (json: Record<string, unknown> | null) => string | null,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DeliveryError('渠道地址无效，请重新填写');
  }
  let answer: { status: number; text: string };
  try {
    answer = await post(policy, url, body, headers);
  } catch (err) {
    throw new DeliveryError(connectionReason(err));
  }
  const { status, text } = answer;
  if (status >= 300 && status < 400) throw new DeliveryError(`对方返回 HTTP ${status}（不跟随重定向，请填写最终地址）`);
  if (status < 200 || status >= 300) throw new DeliveryError(`对方返回 HTTP ${status}`);
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the generic webhook may answer anything with a 2xx.
  }
  const refused = check(json);
  if (refused) throw new DeliveryError(refused);
}

// ---- SMTP ---------------------------------------------------------------------------------------

/** The fixed reason for a failed SMTP send; the server's reply code is a status, its text is not kept. */
function smtpReason(err: unknown): string {
  if (err instanceof AddressRefusedError) return err.message;
  const e = err as { code?: string; originalCode?: string; responseCode?: number };
  const reply =
    Number.isInteger(e.responseCode) && e.responseCode! >= 200 && e.responseCode! < 600 ? e.responseCode : null;
  const status = reply ? `（SMTP ${reply}）` : '';
  if (e.code === 'ETIMEDOUT' || e.originalCode === 'ETIMEDOUT') return REASON.timeout;
  if (e.code === 'EDNS') return REASON.dns;
  if (e.originalCode && TLS_CODES.has(e.originalCode)) return `${REASON.tls}：自签名证书可在地址后加 ?tls=insecure`;
  if (e.code === 'EAUTH') return `邮件服务器拒绝登录${status}，请核对用户名和密码`;
  if (e.code === 'EENVELOPE') return `邮件服务器拒绝了发件人或收件人${status}`;
  if (reply) return `邮件服务器拒绝了邮件${status}`;
  return REASON.connect;
}

async function sendEmail(
  secrets: ChannelSecrets,
  message: EmailMessage,
  to: readonly string[],
  policy: AddressPolicy,
): Promise<void> {
  if (to.length === 0) throw new DeliveryError('没有收件人');
  let url: URL;
  try {
    url = new URL(secrets.url);
  } catch {
    throw new DeliveryError('邮件服务器地址无效，请重新填写');
  }
  const host = channelHost(secrets.url) ?? url.hostname;
  // Resolved and checked here, then nodemailer is given the address itself: it would otherwise
  // resolve the name again (and cache it), and could connect somewhere the check never saw.
  let target: string;
  try {
    target = (await resolveAllowed(policy, host))[0]!.address;
  } catch (err) {
    throw new DeliveryError(connectionReason(err));
  }
  const user = decodeURIComponent(url.username);
  const pass = secrets.secret ?? decodeURIComponent(url.password);
  // Loaded when an e-mail goes out: a server without e-mail channels never pays for it.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: target,
    // Certificates are checked against the name, not the address connected to.
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(user ? { auth: { user, pass } } : {}),
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
    // `?tls=insecure` accepts a self-signed certificate (intranet relays); certificates are checked otherwise.
    ...(url.searchParams.get('tls') === 'insecure' ? { tls: { rejectUnauthorized: false } } : {}),
  });
  try {
    await transport.sendMail({
      from: secrets.from ?? (user.includes('@') ? user : `zizhi@${host}`),
      to: [...to],
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  } catch (err) {
    throw new DeliveryError(smtpReason(err));
  } finally {
    transport.close();
  }
}
