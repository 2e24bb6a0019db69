// Sends one built message to one channel: SMTP through nodemailer, the chat robots and the generic
// webhook by HTTPS POST with a timeout. Throws a `DeliveryError` with a short, loggable reason
// (never the URL or secret) when the other side refuses or does not answer.
import nodemailer from 'nodemailer';
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
}: {
  secrets: ChannelSecrets;
  out: OutboundMessage;
  now: number;
}): Promise<void> {
  switch (out.type) {
    case 'email':
      return sendEmail(secrets, out.message, out.to);
    case 'wecom':
      return postJson(secrets.url, JSON.stringify(out.message), {}, robotOk('errcode'));
    case 'dingtalk': {
      const url = secrets.secret
        ? signDingTalkUrl({ webhookUrl: secrets.url, secret: secrets.secret, now })
        : secrets.url;
      return postJson(url, JSON.stringify(out.message), {}, robotOk('errcode'));
    }
    case 'feishu': {
      const body = secrets.secret ? signFeishuBody({ body: out.message, secret: secrets.secret, now }) : out.message;
      return postJson(secrets.url, JSON.stringify(body), {}, feishuOk);
    }
    case 'webhook': {
      const body = JSON.stringify(out.message);
      const headers = secrets.secret ? { ...signWebhook({ secret: secrets.secret, body, now }) } : {};
      return postJson(secrets.url, body, headers, () => null);
    }
  }
}

/** 企业微信 and 钉钉 answer HTTP 200 with `{errcode, errmsg}`; anything but errcode 0 is a refusal. */
const robotOk = (field: 'errcode') => (json: Record<string, unknown> | null) => {
  if (json && json[field] !== undefined && json[field] !== 0)
    return `errcode ${JSON.stringify(json[field])}: ${JSON.stringify(json.errmsg ?? '')}`;
  return null;
};

/** 飞书 answers `{code, msg}` (older bots: `{StatusCode, StatusMessage}`). */
const feishuOk = (json: Record<string, unknown> | null) => {
  const code = json?.code ?? json?.StatusCode;
  if (code !== undefined && code !== 0)
    return `code ${JSON.stringify(code)}: ${JSON.stringify(json?.msg ?? json?.StatusMessage ?? '')}`;
  return null;
};

async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  check: (json: Record<string, unknown> | null) => string | null,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Zizhi-Notify/1', ...headers },
      body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') throw new DeliveryError(`no answer within ${SEND_TIMEOUT_MS / 1000} s`);
    throw new DeliveryError(`request failed: ${e.cause?.code ?? e.message}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new DeliveryError(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the generic webhook may answer anything with a 2xx.
  }
  const refused = check(json);
  if (refused) throw new DeliveryError(refused.slice(0, 300));
}

async function sendEmail(secrets: ChannelSecrets, message: EmailMessage, to: readonly string[]): Promise<void> {
  if (to.length === 0) throw new DeliveryError('no recipients');
  const url = new URL(secrets.url);
  const user = decodeURIComponent(url.username);
  const pass = secrets.secret ?? decodeURIComponent(url.password);
  const transport = nodemailer.createTransport({
    host: url.hostname,
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
      from: secrets.from ?? (user.includes('@') ? user : `zizhi@${url.hostname}`),
      to: [...to],
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    throw new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? ''}: ${e.message}`.slice(0, 300));
  } finally {
    transport.close();
  }
}
