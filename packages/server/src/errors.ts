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
  | 'INTERNAL';

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

/**
 * The one conversion of any thrown value to an AppError, or null for an unexpected error.
 * Core's errors carry the same codes (INVALID_INPUT, CALENDAR_UNKNOWN_YEAR) with messages that
 * say what to fix; PostgreSQL's refusals become conflicts and permission errors.
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CODES.has(code) && code !== 'INTERNAL') {
    return new AppError(code as ErrorCode, err.message);
  }
  const pg = databaseError(err);
  if (pg?.code === '23505') return new AppError('CONFLICT', '与已有记录重复，请检查后重试');
  if (pg?.code === '42501') return new AppError('FORBIDDEN', '无权访问或修改这条记录');
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
  return { name: err.name, message: err.message, stack: err.stack };
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在或无权访问`);
export const forbidden = (message = '当前角色无权执行此操作，请联系工作空间管理员') =>
  new AppError('FORBIDDEN', message);
export const invalid = (field: string, message: string) => new AppError('INVALID_INPUT', message, field);
export const conflict = (message: string, field?: string) => new AppError('CONFLICT', message, field);
