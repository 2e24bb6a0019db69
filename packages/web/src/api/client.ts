import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, toApiError } from './errors';
import type { paths } from './schema';

let csrfToken: string | null = null;

/** Remembers the CSRF token from login, setup or /api/me; cookie-authenticated writes send it. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
};

/** The typed API client (types from the server's OpenAPI document). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrfMiddleware);

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError carrying the server's
 * `{error:{code, message, field}}` (status 0 for a network failure).
 */
export async function call<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'NETWORK', message: cause instanceof Error ? cause.message : '' });
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}
