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

/** An error whose message is safe to show to the user and says what to do. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

const CODES = new Set(Object.keys(STATUS));

const DATABASE_UNAVAILABLE_MESSAGE = '数据库暂不可用，请稍后重试；如持续出现请联系管理员';
const DISK_FULL_MESSAGE = '服务器磁盘空间不足，请联系管理员清理空间';
const UNSTORABLE_TEXT_MESSAGE = '提交的内容含有数据库无法保存的字符（空字符或不成对的代理项），请删除后重试';
const APP_ROLE_UNUSABLE_MESSAGE =
  '数据库配置不完整：应用角色 zizhi_app 不存在或当前数据库用户无权切换到它，请联系管理员（/api/health 会说明如何修复）';

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
  if (typeof code === 'string' && CODES.has(code) && code !== 'INTERNAL') {
    return new AppError(code as ErrorCode, err.message);
  }
  const infrastructure = infrastructureError(err);
  if (infrastructure) return infrastructure;
  const pg = databaseError(err);
  if (pg?.code === '23505') return new AppError('CONFLICT', '与已有记录重复，请检查后重试');
  if (pg?.code === '42501') return new AppError('FORBIDDEN', '无权访问或修改这条记录');
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
export const forbidden = (message = '当前角色无权执行此操作，请联系工作空间管理员') =>
  new AppError('FORBIDDEN', message);
export const invalid = (field: string, message: string) => new AppError('INVALID_INPUT', message, field);
export const conflict = (message: string, field?: string) => new AppError('CONFLICT', message, field);
