// Channel secrets at rest: webhook URLs (their access tokens), robot signing secrets and SMTP
// passwords are stored AES-256-GCM encrypted under a key from the configuration, and shown again
// only masked.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { ChannelSecrets } from './send.js';

const PREFIX = 'v1';

/** Encrypts `plain` as `v1:<iv>:<tag>:<ciphertext>` (base64 parts; a fresh 96-bit IV each time). */
export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [PREFIX, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** Decrypts what `seal` produced; throws when the key is wrong or the text was altered. */
export function open(key: Buffer, sealed: string): string {
  const [prefix, iv, tag, data] = sealed.split(':');
  if (prefix !== PREFIX || !iv || !tag || data === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}

const cache = new Map<string, Buffer>();

/** The settings the channel key comes from (structural, so this module needs no settings import). */
export interface KeySource {
  secretKey?: { reveal(): string } | undefined;
  dataDir: string;
}

/**
 * The key that encrypts channel configuration: ZIZHI_SECRET_KEY when set. In embedded (PGlite)
 * mode without it, a key is generated once into `<dataDir>/secret.key` (mode 0600) and read from
 * there afterwards: one process, one folder, nothing to configure. On a PostgreSQL server several
 * processes must share the key, so none is generated: null, and storing a channel is refused with
 * a message saying what to set (the server itself still starts: channels are optional).
 */
export function channelKey(config: KeySource, kind: 'pglite' | 'postgres'): Buffer | null {
  if (config.secretKey) return Buffer.from(config.secretKey.reveal(), 'base64');
  if (kind !== 'pglite') return null;
  const file = path.join(config.dataDir, 'secret.key');
  const cached = cache.get(file);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    key = randomBytes(32);
    try {
      // 'wx': never overwrite a key another start wrote meanwhile (its ciphertexts would be lost).
      writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    }
  }
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  cache.set(file, key);
  return key;
}

/** The key, or a 409 that says how to configure it. */
export function requireChannelKey(config: KeySource, kind: 'pglite' | 'postgres'): Buffer {
  const key = channelKey(config, kind);
  if (!key) {
    throw new AppError(
      'CONFLICT',
      '服务器未配置 ZIZHI_SECRET_KEY，无法加密保存通知渠道的地址和密钥。请管理员用 `openssl rand -base64 32` 生成密钥并设置该环境变量后重启服务。',
    );
  }
  return key;
}

/**
 * A secret shown again: its first and last four characters, e.g. `abcd…wxyz`, when at least 16
 * stay hidden (robot tokens are 32–64 characters); all dots when shorter, where eight shown
 * characters would give away most of it.
 */
export function maskSecret(value: string): string {
  if (value.length < 24) return '•'.repeat(Math.min(value.length, 8));
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** A path segment that reads as a route (robot/send, open-apis, v2, hooks) rather than a token. */
const ROUTE_WORD = /^(?:[a-z][a-z._-]{0,15}|v\d{1,2})$/;
/** Already masked: hints stored before are masked again when shown, and must come out the same. */
const MASKED = /[…•]/;

const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * A URL shown again: scheme, host and route stay readable, credentials go, and every query value
 * and every path segment that is not a plain lower-case word is masked. Robot and webhook
 * services put their tokens in either place (WeCom `key=`, DingTalk `access_token=`, Feishu
 * `/hook/<token>`, Slack-style `/T0/B1/abc123`), and a short token is no less a secret:
 * https://oapi.dingtalk.com/robot/send?access_token=abcd…wxyz
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return maskSecret(raw);
  }
  const smtp = /^smtps?:$/.test(url.protocol);
  const keep = (value: string) => MASKED.test(value);
  const path = url.pathname
    .split('/')
    .map((segment) => {
      const text = decode(segment);
      if (segment === '' || ROUTE_WORD.test(segment)) return segment;
      return keep(text) ? text : maskSecret(text);
    })
    .join('/');
  const query = [...url.searchParams]
    .map(([k, v]) => `${k}=${keep(v) || (smtp && k === 'tls' && v === 'insecure') ? v : maskSecret(v)}`)
    .join('&');
  // An SMTP user name tells which mailbox sends; in an HTTP URL it is a credential like the password.
  const user = decode(url.username);
  const auth = user ? `${smtp || keep(user) ? user : maskSecret(user)}:•••@` : '';
  return `${url.protocol}//${auth}${url.host}${path}${query ? `?${query}` : ''}`;
}

/** The decrypted settings of a channel (sending and test messages only; never an API response). */
export function channelSecrets(key: Buffer, row: { config: string }): ChannelSecrets {
  return JSON.parse(open(key, row.config)) as ChannelSecrets;
}
