// Request signatures of the chat robots and of our generic webhook. Pure functions of (secret, time,
// body): the sender passes its clock, so tests fix the time and a retry re-signs with a fresh one.
import { createHmac, timingSafeEqual } from 'node:crypto';

function requireSecret(secret: string, what: string): void {
  if (typeof secret !== 'string' || secret === '')
    throw new Error(`The ${what} secret is empty: set it on the channel.`);
}

function checkNow(now: number): number {
  if (!Number.isFinite(now) || now < 0) throw new Error(`The signing time must be epoch milliseconds, got ${now}.`);
  return Math.floor(now);
}

/** A DingTalk robot signature: `timestamp` (ms) and `sign` (base64), plus both as a ready query string. */
export interface DingTalkSignature {
  timestamp: string;
  /** Base64 HMAC, not yet URL-encoded. */
  sign: string;
  /** `timestamp=…&sign=…` with `sign` URL-encoded (base64 has `+`, `/` and `=`). */
  query: string;
}

/**
 * Signs a DingTalk (钉钉) custom robot request with the 加签 security setting: HMAC-SHA256 of
 * `timestamp + "\n" + secret` keyed with the secret, base64, then URL-encoded as the `sign` query
 * parameter next to `timestamp` (epoch milliseconds, accepted within one hour of DingTalk's clock).
 * Source: DingTalk open platform, 自定义机器人安全设置 › 加签
 * (https://open.dingtalk.com/document/robots/customize-robot-security-settings; the Java and Python
 * samples there key the HMAC with the secret and URL-encode the base64 result).
 */
export function signDingTalk({ secret, now }: { secret: string; now: number }): DingTalkSignature {
  requireSecret(secret, 'DingTalk robot');
  const timestamp = String(checkNow(now));
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  return { timestamp, sign, query: `timestamp=${timestamp}&sign=${encodeURIComponent(sign)}` };
}

/**
 * The robot webhook URL (with its `access_token`) with `timestamp` and `sign` appended. Appended as
 * text rather than through URLSearchParams, which would re-encode the parameters already there.
 */
export function signDingTalkUrl({
  webhookUrl,
  secret,
  now,
}: {
  webhookUrl: string;
  secret: string;
  now: number;
}): string {
  const { query } = signDingTalk({ secret, now });
  return `${webhookUrl}${webhookUrl.includes('?') ? '&' : '?'}${query}`;
}

/** A Feishu/Lark custom bot signature, sent as top-level `timestamp` and `sign` fields of the JSON body. */
export interface FeishuSignature {
  /** Epoch seconds, as a string like the platform's examples. */
  timestamp: string;
  sign: string;
}

/**
 * Signs a Feishu / Lark (飞书) custom bot request with the 签名校验 setting: string_to_sign =
 * `timestamp + "\n" + secret` (timestamp in SECONDS, within one hour of Feishu's clock), used as the
 * HMAC-SHA256 KEY over an EMPTY message, then base64. This differs from DingTalk (secret as key,
 * string as message) and is the usual cause of error 19021 "sign match fail".
 * Source: Feishu open platform, 自定义机器人使用指南 › 签名校验
 * (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot; its Java sample initialises
 * the Mac with stringToSign and calls doFinal on an empty byte array).
 */
export function signFeishu({ secret, now }: { secret: string; now: number }): FeishuSignature {
  requireSecret(secret, 'Feishu bot');
  const timestamp = String(Math.floor(checkNow(now) / 1000));
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
  return { timestamp, sign };
}

/** A Feishu message body with its signature fields added (they travel in the JSON, not in headers). */
export function signFeishuBody<T extends object>({
  body,
  secret,
  now,
}: {
  body: T;
  secret: string;
  now: number;
}): FeishuSignature & T {
  return { ...signFeishu({ secret, now }), ...body };
}

export const WEBHOOK_SIGNATURE_HEADER = 'X-Zizhi-Signature' as const;
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Zizhi-Timestamp' as const;
/** How far a receiver should accept our timestamp from its own clock (seconds). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export interface WebhookSignatureHeaders {
  [WEBHOOK_TIMESTAMP_HEADER]: string;
  [WEBHOOK_SIGNATURE_HEADER]: string;
}

function webhookHex(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/**
 * Signs a generic webhook delivery. Signed content: `${timestamp}.${body}`, where `timestamp` is the
 * `X-Zizhi-Timestamp` header (epoch seconds) and `body` the exact raw JSON bytes sent (UTF-8); HMAC-
 * SHA256 keyed with the channel secret, sent as `X-Zizhi-Signature: sha256=<lowercase hex>`.
 * The timestamp is inside the signed content so a captured request cannot be replayed later with a
 * fresh header: receivers verify the HMAC over the raw body (before parsing it) and reject
 * timestamps more than WEBHOOK_TOLERANCE_SECONDS from their clock. `body` is a string, not an object,
 * so the bytes signed are the bytes sent.
 */
export function signWebhook({
  secret,
  body,
  now,
}: {
  secret: string;
  body: string;
  now: number;
}): WebhookSignatureHeaders {
  requireSecret(secret, 'webhook');
  const timestamp = String(Math.floor(checkNow(now) / 1000));
  return {
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    [WEBHOOK_SIGNATURE_HEADER]: `sha256=${webhookHex(secret, timestamp, body)}`,
  };
}

/**
 * Checks a webhook delivery as a receiver should (our tests, and the reference for integrators):
 * the signature matches the raw body and the timestamp is within the tolerance. Constant-time compare.
 */
export function verifyWebhookSignature({
  secret,
  body,
  timestamp,
  signature,
  now,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
}: {
  secret: string;
  body: string;
  timestamp: string;
  signature: string;
  now: number;
  toleranceSeconds?: number;
}): boolean {
  if (secret === '' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Math.floor(now / 1000) - Number(timestamp)) > toleranceSeconds) return false;
  const m = /^sha256=([0-9a-f]{64})$/.exec(signature);
  if (!m) return false;
  const expected = Buffer.from(webhookHex(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[1] as string, 'hex'));
}
