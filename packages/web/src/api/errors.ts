import { i18next } from '../i18n';

/** Error codes the server sends; each has a translation under `errors.code`. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SETUP_DONE',
  'INVALID_CREDENTIALS',
  'INTERNAL',
  'DATABASE_UNAVAILABLE',
  'INSUFFICIENT_STORAGE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes whose message from the server is specific to the request, so shown beside the title. */
const DETAILED = new Set<string>(['INVALID_INPUT', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

/** A failed API call: `{error:{code, message, field?}}` from the server, or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(options: { status: number; code: string; message: string; field?: string | undefined }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
  }
}

/** Builds an ApiError from whatever a failed response carried. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : status >= 500 ? 'INTERNAL' : `HTTP_${status}`;
  const message = typeof error?.message === 'string' ? error.message : '';
  const field = typeof error?.field === 'string' && error.field !== '' ? error.field : undefined;
  return new ApiError({ status, code, message, field });
}

function isKnownCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * The text to show for an error: the translation of its code, plus the server's (safe, specific)
 * message for input and conflict errors; the server's message alone for rate limits (it says how long to
 * wait) and for codes we do not know.
 */
export function describeError(error: unknown): string {
  const t = i18next.t.bind(i18next);
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    // The server's message says how long to wait (log-in and password limits).
    if (error.code === 'RATE_LIMITED' && error.message) return error.message;
    if (isKnownCode(error.code)) {
      const translated = t(`errors.code.${error.code}`);
      // The server's own sentence says what to fix (the field, the file's type or size): shown with the title.
      const detailed = DETAILED.has(error.code);
      if (detailed && error.message && error.message !== translated) {
        return t('errors.detail', { title: translated, detail: error.message });
      }
      return translated;
    }
    return error.message || t('errors.unknown');
  }
  if (error instanceof Error && error.message) return error.message;
  return t('errors.unknown');
}

/** The last segment of a server field path (`body.creditCode` or `/creditCode` → `creditCode`). */
export function fieldName(field: string): string {
  const parts = field.split(/[./[\]]+/).filter(Boolean);
  return parts[parts.length - 1] ?? field;
}

/**
 * The server's own message when it sent one (an invitation link that is invalid or meant for
 * another address, a reset link that expired …), else the same text as `describeError`.
 */
export function describeServerError(error: unknown): string {
  if (error instanceof ApiError && error.status !== 0 && error.status < 500 && error.message) return error.message;
  return describeError(error);
}
