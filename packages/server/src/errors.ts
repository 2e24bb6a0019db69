import { CalendarUnknownYearError, InvalidDateError } from '@zizhi/core';
import { DrizzleQueryError } from 'drizzle-orm/errors';

/** The error codes the API speaks; the web app translates them. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SETUP_DONE'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CALENDAR_UNKNOWN_YEAR'
  | 'INTERNAL'
  | 'DATABASE_UNAVAILABLE'
  | 'INSUFFICIENT_STORAGE';

const STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SETUP_DONE: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CALENDAR_UNKNOWN_YEAR: 422,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
};

/** A message in Chinese (the default) and English, for requests that ask for English. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * An error whose message is safe to show to the user and says what to do. `message` is the
 * Chinese text; `en` the English one when the thrower wrote it (else English requests get the
 * Chinese text, which is still true, rather than nothing).
 */
export class AppError extends Error {
  readonly status: number;
  readonly en: string | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string | Bilingual,
    readonly field?: string,
  ) {
    super(typeof message === 'string' ? message : message.zh);
    this.en = typeof message === 'string' ? undefined : message.en;
    this.status = STATUS[code];
  }

  /** The message in the language a request asked for. */
  messageIn(language: 'zh-CN' | 'en'): string {
    return language === 'en' && this.en !== undefined ? this.en : this.message;
  }
}

const CODES = new Set(Object.keys(STATUS));

const DATABASE_UNAVAILABLE_MESSAGE: Bilingual = {
  zh: '数据库暂不可用，请稍后重试；如持续出现请联系管理员',
  en: 'The database is unavailable. Try again later; if it persists, contact your administrator.',
};
const DISK_FULL_MESSAGE: Bilingual = {
  zh: '服务器磁盘空间不足，请联系管理员清理空间',
  en: 'The server is out of disk space. Ask your administrator to free some.',
};
const UNSTORABLE_TEXT_MESSAGE: Bilingual = {
  zh: '提交的内容含有数据库无法保存的字符（空字符或不成对的代理项），请删除后重试',
  en: 'What was sent contains characters the database cannot store (NUL or unpaired surrogates). Remove them and try again.',
};
const APP_ROLE_UNUSABLE_MESSAGE: Bilingual = {
  zh: '数据库配置不完整：应用角色 zizhi_app 不存在或当前数据库用户无权切换到它，请联系管理员（/api/health 会说明如何修复）',
  en: 'The database is not fully configured: the application role zizhi_app is missing or cannot be used. Contact your administrator (/api/health says how to fix it).',
};

/**
 * The pool hands a refused or lost connection out of `connect()` as a bare network error, the
 * same shape an unreachable S3 endpoint gives: the database client marks its own, so only
 * those are reported as a database outage.
 */
const FROM_DATABASE = new WeakSet<object>();

export function markDatabaseError<T>(err: T): T {
  if (err !== null && typeof err === 'object') FROM_DATABASE.add(err);
  return err;
}

/** Socket errors that mean the server could not be reached or went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** node-postgres's and PGlite's own words for a connection that is gone or never came. */
const CONNECTION_GONE =
  /^(Connection terminated|PGlite is closed|Cannot use a pool after calling end on the pool|Client was closed and is not queryable|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect|timeout expired$)/;

/**
 * SQLSTATEs of a server that cannot serve right now, or of one we cannot get into (wrong
 * credentials, missing database: nothing a retry by the user fixes, but not their fault).
 */
function isUnavailableState(code: string): boolean {
  const cls = code.slice(0, 2);
  return cls === '08' || cls === '53' || cls === '28' || code === '3D000' || /^57P0\d$/.test(code);
}

/** The error and everything it wraps (Drizzle puts the driver's error in `cause`). */
function errorChain(err: Error): Error[] {
  const chain: Error[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && chain.length < 16) {
    const next = queue.shift();
    if (!(next instanceof Error) || chain.includes(next)) continue;
    chain.push(next);
    queue.push((next as { cause?: unknown }).cause);
    if (next instanceof AggregateError) queue.push(...(next.errors as unknown[]));
  }
  return chain;
}

/** A database outage, a full disk, or an unusable app role, as the error the user should see. */
function infrastructureError(err: Error): AppError | null {
  const chain = errorChain(err);
  const fromDatabase = chain.some((e) => FROM_DATABASE.has(e) || e instanceof DrizzleQueryError);
  for (const e of chain) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') {
      if (CONNECTION_GONE.test(e.message)) return new AppError('DATABASE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
      continue;
    }
    // 53100 is PostgreSQL's disk_full; ENOSPC and EDQUOT the file system's (uploads, spooling).
    if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') {
      return new AppError('INSUFFICIENT_STORAGE', DISK_FULL_MESSAGE);
    }
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (isUnavailableState(code)) return new AppError('DATABASE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
      // SET ROLE to a role that is missing (22023) or not granted (42501): every tenant request
      // fails the same way until an administrator fixes the database, so it is no 403 or 500.
      if ((code === '22023' || code === '42501') && e.message.includes('"zizhi_app"')) {
        return new AppError('DATABASE_UNAVAILABLE', APP_ROLE_UNUSABLE_MESSAGE);
      }
    } else if (fromDatabase && NETWORK_CODES.has(code)) {
      return new AppError('DATABASE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
    }
  }
  return null;
}

/**
 * The one conversion of any thrown value to an AppError, or null for an unexpected error.
 * Core's errors carry the same codes (INVALID_INPUT, CALENDAR_UNKNOWN_YEAR) with messages that
 * say what to fix; PostgreSQL's refusals become conflicts and permission errors; a database that
 * is down becomes 503 and a full disk 507, so neither passes for a bug in the request.
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  // Core speaks English (it is also a library and a CLI): the two of its errors a person meets
  // through the app get their Chinese words here.
  if (err instanceof CalendarUnknownYearError) {
    return new AppError('CALENDAR_UNKNOWN_YEAR', {
      zh: `${err.year} 年的节假日安排尚未导入日历：请管理员在“日历设置”中导入该年度的国务院通知`,
      en: err.message,
    });
  }
  if (err instanceof InvalidDateError) {
    const shown = typeof err.value === 'string' && err.value !== '' ? `“${err.value.slice(0, 40)}”` : '';
    return new AppError('INVALID_INPUT', { zh: `日期${shown}无效：必须是真实日期（YYYY-MM-DD）`, en: err.message });
  }
  if (typeof code === 'string' && CODES.has(code) && code !== 'INTERNAL') {
    return new AppError(code as ErrorCode, err.message);
  }
  const infrastructure = infrastructureError(err);
  if (infrastructure) return infrastructure;
  const pg = databaseError(err);
  if (pg?.code === '23505') {
    return new AppError('CONFLICT', {
      zh: '与已有记录重复，请检查后重试',
      en: 'This duplicates an existing record. Check and try again.',
    });
  }
  if (pg?.code === '42501') {
    return new AppError('FORBIDDEN', {
      zh: '无权访问或修改这条记录',
      en: 'You may not read or change this record.',
    });
  }
  // The edge guard refuses these in JSON bodies; text from files (imports, uploads) can still
  // carry them: what was sent cannot be stored, so it is the request's fault, not a 500.
  if (pg?.code === '22021' || pg?.code === '22P05' || (pg?.code === '22P02' && pg.message.includes('json'))) {
    return new AppError('INVALID_INPUT', UNSTORABLE_TEXT_MESSAGE);
  }
  return null;
}

interface DatabaseErrorInfo {
  code?: string;
  constraint?: string;
  table?: string;
  message: string;
}

/** The driver's error behind a failed query (Drizzle wraps it with the SQL and its parameters). */
function databaseError(err: Error): DatabaseErrorInfo | null {
  const cause = (err as { cause?: unknown }).cause;
  const source = cause instanceof Error ? cause : err;
  const code = (source as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const { constraint, table } = source as { constraint?: string; table?: string };
  return { code, constraint, table, message: source.message };
}

/**
 * What may be logged about an unexpected error: never the failed query's parameters, which
 * can hold password hashes, tokens or personal data.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err) };
  const pg = databaseError(err);
  if (pg) return { name: 'DatabaseError', ...pg };
  // Drizzle's own message lists the parameters: log only what went wrong underneath.
  if (err instanceof DrizzleQueryError) {
    const cause: unknown = err.cause;
    const code = (cause as { code?: unknown } | undefined)?.code;
    return {
      name: 'DatabaseError',
      ...(typeof code === 'string' ? { code } : {}),
      message: cause instanceof Error ? cause.message : String(cause),
    };
  }
  return { name: err.name, message: err.message, stack: err.stack };
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在或无权访问`);
export const forbidden = (
  message: string | Bilingual = {
    zh: '当前角色无权执行此操作，请联系工作空间管理员',
    en: 'Your role may not do this. Ask a workspace administrator.',
  },
) => new AppError('FORBIDDEN', message);
export const invalid = (field: string, message: string | Bilingual) => new AppError('INVALID_INPUT', message, field);
export const conflict = (message: string | Bilingual, field?: string) => new AppError('CONFLICT', message, field);

/** What to do about a database error met while starting, by its code: Chinese, then English. */
function startupAdvice(code: string | undefined): [string, string] {
  if (code && (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0\d$/.test(code))) {
    return [
      '无法连接数据库：请确认 PostgreSQL 正在运行，且 DATABASE_URL 中的主机、端口正确。',
      'Cannot reach the database: check that PostgreSQL is running and that the host and port in DATABASE_URL are right.',
    ];
  }
  if (code?.startsWith('28')) {
    return [
      '数据库拒绝登录：请检查 DATABASE_URL 中的用户名和密码。',
      'The database refused the login: check the user and password in DATABASE_URL.',
    ];
  }
  if (code === '3D000') {
    return [
      '数据库不存在：请先创建（例如 createdb zizhi），或改正 DATABASE_URL 中的数据库名。',
      'The database does not exist: create it (e.g. createdb zizhi) or correct the name in DATABASE_URL.',
    ];
  }
  if (code === '42501') {
    return [
      '数据库用户权限不足：Zizhi 的用户需要拥有该数据库，并能创建角色 zizhi_app（CREATEROLE）；或由管理员先执行 CREATE ROLE zizhi_app NOLOGIN 并授予该用户。',
      "The database user lacks a privilege: Zizhi's user must own the database and be able to create the role zizhi_app (CREATEROLE), or an administrator creates it first (CREATE ROLE zizhi_app NOLOGIN) and grants it to that user.",
    ];
  }
  if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') return [DISK_FULL_MESSAGE.zh, DISK_FULL_MESSAGE.en];
  return ['请按上面数据库给出的错误处理后再启动。', 'Fix what the database reports above, then start again.'];
}

/**
 * A failure while opening or migrating the database, for the terminal: the database's own
 * message (Drizzle's "Failed query: …" hides it in `cause`) and what to do about it.
 */
export function describeStartupError(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const chain = errorChain(err);
  const source = chain.reverse().find((e) => typeof (e as { code?: unknown }).code === 'string');
  if (!source && !chain.some((e) => e instanceof DrizzleQueryError)) return null;
  const code = (source as { code?: string } | undefined)?.code;
  const detail = (source as { detail?: string } | undefined)?.detail;
  const message = `${(source ?? chain[0]!).message}${detail ? ` (${detail})` : ''}${code ? ` [${code}]` : ''}`;
  const [zh, en] = startupAdvice(code);
  return `数据库出错：${message}\n${zh}\nDatabase error: ${message}\n${en}`;
}
